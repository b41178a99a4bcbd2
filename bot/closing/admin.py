"""/lostreasons: a pipeline's list of lost reasons — show, add, remove (settings right)."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command, CommandObject
from aiogram.types import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _

from bot.closing.callbacks import LostReasonAdminCb
from bot.closing.views import reason_name
from bot.common.formatting import escape, localized
from bot.common.replies import edit_or_send, usage
from crm.container import CrmServices
from crm.models import Pipeline, Staff
from crm.storage.repos.lost_reasons import LostReason


async def lost_reasons(message: Message, command: CommandObject, services: CrmServices,
                       staff: Staff, lang: str) -> None:
    words = (command.args or "").split(maxsplit=2)
    if len(words) == 3 and words[0].isdigit() and words[1].lower() in ("add", "neu"):
        await services.closing.add(staff, int(words[0]), words[2])
    elif len(words) != 1 or not words[0].isdigit():
        await usage(message, _("/lostreasons <pipeline> — the reasons offered when an item is "
                               "lost, with buttons to remove them; /lostreasons <pipeline> "
                               "add <reason>"))
        return
    pipeline, reasons = await services.closing.reasons(staff, int(words[0]))
    text, markup = listing(pipeline, reasons, lang)
    await message.answer(text, reply_markup=markup)


async def press_remove(query: CallbackQuery, callback_data: LostReasonAdminCb,
                       services: CrmServices, staff: Staff, lang: str) -> None:
    removed = await services.closing.remove(staff, callback_data.reason_id)
    pipeline, reasons = await services.closing.reasons(staff, removed.pipeline_id)
    await edit_or_send(query, *listing(pipeline, reasons, lang))
    await query.answer(_("Removed “{reason}”.").format(reason=reason_name(removed.name, lang)))


def listing(pipeline: Pipeline, reasons: list[LostReason], lang: str
            ) -> tuple[str, InlineKeyboardMarkup | None]:
    lines = [_("<b>Lost reasons of “{pipeline}”</b> (#{id})").format(
        pipeline=escape(localized(pipeline, lang)), id=pipeline.id)]
    lines += [f"• {escape(reason_name(r.name, lang))}" for r in reasons]
    if not reasons:
        lines.append(_("None: losing an item asks only for a typed reason."))
    lines.append("")
    lines.append(_("Add one: /lostreasons {id} add &lt;reason&gt;. ✖️ removes one (items "
                   "lost for it keep it).").format(id=pipeline.id))
    buttons = [InlineKeyboardButton(text="✖️ " + reason_name(r.name, lang),
                                    callback_data=LostReasonAdminCb(reason_id=r.id).pack())
               for r in reasons]
    rows = [buttons[i:i + 2] for i in range(0, len(buttons), 2)]
    return "\n".join(lines), InlineKeyboardMarkup(inline_keyboard=rows) if rows else None


def create_router() -> Router:
    router = Router(name=__name__)
    router.message.register(lost_reasons, Command("lostreasons"))
    router.callback_query.register(press_remove, LostReasonAdminCb.filter())
    return router
