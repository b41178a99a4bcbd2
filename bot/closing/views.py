"""What closing adds to the card (the lost reason, the ladder of stages reached, which
buttons a closed item offers) and the questions asked before a move: why it was lost,
and whether to reopen a won item."""

from __future__ import annotations

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _

from bot.closing.callbacks import LostCb, ReopenCb
from bot.common.formatting import escape, localized
from bot.items.callbacks import CardAction, CardCb
from crm.i18n import translate
from crm.models import Item, Stage, StageKind
from crm.services.cards import ItemCard
from crm.services.closing import MoveQuestion
from crm.storage.repos.lost_reasons import LostReason
from rules.model import RunState
from rules.services.status import Brief

STOPPABLE = (RunState.PENDING, RunState.WAITING, RunState.WAITING_PREVIOUS)


def reason_name(name: str, language: str) -> str:
    """A shipped reason ('Price') in the reader's language; one an admin or a salesperson
    typed, as typed."""
    return translate(name, language)


def lost_reason_line(item: Item, stage: Stage, language: str) -> str | None:
    if item.lost_reason is None or stage.kind is not StageKind.FAILURE:
        return None
    return _("Lost reason: {reason}").format(
        reason=escape(reason_name(item.lost_reason, language)))


def history_reason(reason: str | None, language: str) -> str:
    """Appended to a history line of a move into a failure stage with a reason."""
    if reason is None:
        return ""
    return _(" — reason: {reason}").format(reason=escape(reason_name(reason, language)))


def reached(item: Item, stage: Stage, index: int, current_index: int) -> bool:
    """Whether the card's ladder shows the stage as done: a stage in progress before the
    current one that the item entered (its history), not one it skipped. Items without a
    record of their stages (none should be) fall back to every stage before the current."""
    if index >= current_index or stage.kind is not StageKind.PROGRESS:
        return False
    return not item.stages_reached or stage.id in item.stages_reached


def offers_next(current: Stage, following: Stage) -> bool:
    """A won item's next step is not "Lost ▶" (to lose it, Choose stage)."""
    return not (current.kind is StageKind.SUCCESS and following.kind is StageKind.FAILURE)


def offers_stop(card: ItemCard) -> bool:
    """A closed item offers no "⏹ Stop automation" — unless rules of its stage still wait
    (e.g. a follow-up a day after winning), which the button can still stop."""
    if not card.item.closed:
        return True
    brief = card.extras.get("automation")
    return isinstance(brief, Brief) and brief.count(*STOPPABLE) > 0


def lost_question(question: MoveQuestion, reasons: list[LostReason],
                  language: str) -> tuple[str, InlineKeyboardMarkup]:
    """Under the card: why was it lost? The listed reasons, typing one, or back."""
    item, stage = question.item, question.to_stage
    text = _("Why was #{id} “{title}” lost? Choose a reason or type your own; it moves "
             "to “{stage}” once you have answered.").format(
        id=item.id, title=escape(item.title), stage=escape(localized(stage, language)))

    def cb(reason_id: int) -> str:
        return LostCb(item_id=item.id, stage_id=stage.id, version=item.version,
                      reason_id=reason_id).pack()

    choices = [InlineKeyboardButton(text=reason_name(r.name, language), callback_data=cb(r.id))
               for r in reasons]
    rows = [choices[i:i + 2] for i in range(0, len(choices), 2)]
    rows.append([InlineKeyboardButton(text=_("✍️ Type a reason"), callback_data=cb(0))])
    rows.append([_cancel(item.id)])
    return text, InlineKeyboardMarkup(inline_keyboard=rows)


def reopen_question(question: MoveQuestion, language: str) -> tuple[str, InlineKeyboardMarkup]:
    item = question.item
    text = _("#{id} “{title}” is won. Reopen it and move it back to “{stage}”?").format(
        id=item.id, title=escape(item.title),
        stage=escape(localized(question.to_stage, language)))
    confirm = ReopenCb(item_id=item.id, stage_id=question.to_stage.id, version=item.version)
    return text, InlineKeyboardMarkup(inline_keyboard=[[
        InlineKeyboardButton(text=_("↩️ Yes, reopen"), callback_data=confirm.pack()),
        _cancel(item.id),
    ]])


def _cancel(item_id: int) -> InlineKeyboardButton:
    # the card's own "refresh" shows the item as it is: nothing was moved
    return InlineKeyboardButton(text=_("✖️ Cancel"),
                                callback_data=CardCb(action=CardAction.REFRESH,
                                                     item_id=item_id).pack())


def moved_note(stage: Stage, reason: str | None, language: str) -> str:
    """Under a card moved into a failure stage: where it went and why."""
    text = _("Moved to “{stage}”.").format(stage=escape(localized(stage, language)))
    if reason is None:
        return text
    return text + " " + _("Lost reason: {reason}").format(
        reason=escape(reason_name(reason, language)))
