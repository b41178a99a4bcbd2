"""The item card: its text and its buttons."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _

from bot.activities.callbacks import remind_button_data
from bot.activities.views import card_activity_lines
from bot.automation.status import brief_text
from bot.closing.views import (
    history_reason,
    lost_reason_line,
    offers_next,
    offers_stop,
    reached,
)
from bot.common.formatting import escape, localized, moment, money, person, quantity_text
from bot.contacts.views import contact_detail_lines
from bot.items.callbacks import CardAction, CardCb
from bot.items.card_data import card_data_lines
from bot.mode.card_buttons import mode_card_buttons
from bot.mode.texts import source_text
from bot.notes.views import card_note_lines, history_note_lines
from crm.models import Stage, StageKind
from crm.services.cards import ItemCard
from rules.services.status import Brief

KIND_ICON = {StageKind.PROGRESS: "", StageKind.SUCCESS: "🏆 ", StageKind.FAILURE: "✖️ "}


def stage_label(stage: Stage, language: str) -> str:
    return KIND_ICON[stage.kind] + localized(stage, language)


def pipeline_line(card: ItemCard, language: str) -> str:
    """The pipeline as a path: stages passed, the current one in bold, the rest plain."""
    parts = []
    for index, stage in enumerate(card.stages):
        name = escape(stage_label(stage, language))
        if stage.id == card.item.stage_id:
            parts.append(f"▶️ <b>{name}</b>")
        elif reached(card.item, stage, index, card.stage_index):  # not a skipped one
            parts.append(f"✔︎ {name}")
        else:
            parts.append(f"▫️ {name}")
    return "\n".join(parts)


def card_text(card: ItemCard, language: str, timezone: str, note: str | None = None) -> str:
    item = card.item
    lines = [
        f"<b>{escape(localized(card.entity_type, language))} #{item.id}</b> · "
        f"{escape(item.title)}",
        _("Amount: {amount}").format(amount=escape(money(item.amount, item.currency, language))),
    ]
    if card.contact:
        lines.append(_("Contact: {name}").format(name=escape(card.contact.name)))
        lines.extend(contact_detail_lines(card.contact))  # phone, e-mail
    if card.company:
        lines.append(_("Company: {name}").format(name=escape(card.company.name)))
    lines.append(_("Responsible: {name}").format(name=person(card.responsible)))
    if item.source:
        lines.append(_("Source: {source}").format(source=escape(source_text(item.source))))
    for product in item.products:
        lines.append(f"• {escape(product.name)} × {quantity_text(product.quantity, language)} = "
                     f"{escape(money(product.total, item.currency, language))}")
    lines.extend(card_data_lines(card, language))
    lines.extend(card_activity_lines(card.activities, language, timezone))
    lines.extend(card_note_lines(card, language, timezone))
    lines.append("")
    lines.append(_("Pipeline: {name}").format(name=escape(localized(card.pipeline, language))))
    lines.append(pipeline_line(card, language))
    if item.closed:
        lines.append(_("This item is closed."))
    if lost := lost_reason_line(item, card.stage, language):
        lines.append(lost)
    lines.append(_("Updated {at}").format(at=moment(item.updated_at, language, timezone)))
    brief = card.extras.get("automation")
    if isinstance(brief, Brief) and (automation := brief_text(brief, language, timezone)):
        lines.append(automation)
    if note:
        lines.extend(["", note])
    return "\n".join(lines)


def history_text(card: ItemCard, language: str, timezone: str, names: dict[int, str]) -> str:
    lines = [_("<b>History of #{id}</b>").format(id=card.item.id)]
    for change in card.history:
        to = card.stage_by_id(change.to_stage_id)
        source = card.stage_by_id(change.from_stage_id)
        who = escape(names.get(change.by_user_id or 0, _("automation")))
        when = moment(change.at, language, timezone)
        if source is None:
            lines.append(_("{at}: created in “{to}” by {who}").format(
                at=when, to=escape(localized(to, language)) if to else "?", who=who))
        else:
            lines.append(_("{at}: {source} → {to} by {who}").format(
                at=when, source=escape(localized(source, language)),
                to=escape(localized(to, language)) if to else "?", who=who)
                + history_reason(change.lost_reason, language))
    lines.extend(history_note_lines(card.notes, language, timezone, names))
    return "\n".join(lines)


def card_keyboard(card: ItemCard, language: str, picking: bool = False) -> InlineKeyboardMarkup:
    """Rows of buttons built directly: InlineKeyboardBuilder deep-copies its buttons on every
    step, which cost a tenth of a stage move's CPU time (bench/moves.py)."""
    item = card.item

    def move_to(stage: Stage, text: str) -> InlineKeyboardButton:
        return button(text, CardCb(action=CardAction.MOVE, item_id=item.id, stage_id=stage.id,
                                   version=item.version))

    if picking:
        choices = [move_to(s, stage_label(s, language)) for s in card.stages
                   if s.id != item.stage_id]
        choices.append(button(_("« Back"), CardCb(action=CardAction.BACK, item_id=item.id)))
        return InlineKeyboardMarkup(inline_keyboard=rows(choices, 2))
    index, stages, moves = card.stage_index, card.stages, []
    if index > 0:
        moves.append(move_to(stages[index - 1], "◀ " + localized(stages[index - 1], language)))
    if index + 1 < len(stages) and offers_next(stages[index], stages[index + 1]):
        moves.append(move_to(stages[index + 1], localized(stages[index + 1], language) + " ▶"))
    more = [button(text, CardCb(action=action, item_id=item.id)) for text, action in (
        (_("Choose stage"), CardAction.PICK),
        (_("🔄 Refresh"), CardAction.REFRESH),
        (_("History"), CardAction.HISTORY),
        (_("⚙️ Automation"), CardAction.STATUS),
        *(((_("⏹ Stop automation"), CardAction.STOP),) if offers_stop(card) else ()),
    )]
    more += [button(text, data)  # convert a lead; the client conversation
             for text, data in mode_card_buttons(card)]
    more.append(InlineKeyboardButton(text=_("⏰ Remind"),  # a reminder by hand
                                     callback_data=remind_button_data(item.id)))
    return InlineKeyboardMarkup(inline_keyboard=[moves, *rows(more, 3)] if moves else rows(more, 3))


def button(text: str, data: CallbackData) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=data.pack())


def rows(buttons: list[InlineKeyboardButton], width: int) -> list[list[InlineKeyboardButton]]:
    return [buttons[i:i + width] for i in range(0, len(buttons), width)]
