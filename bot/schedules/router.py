"""/schedules: the recurring copies running for my items, with a button to stop each."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _

from bot.common.replies import edit_or_send
from bot.schedules.callbacks import ScheduleStopCb
from bot.schedules.views import schedules_keyboard, schedules_text
from bot.settings import Settings
from crm.models import Staff
from rules.container import Automation


async def list_schedules(message: Message, automation: Automation, staff: Staff, lang: str,
                         settings: Settings) -> None:
    views = await automation.schedules.running(staff)
    await message.answer(schedules_text(views, lang, settings.timezone),
                         reply_markup=schedules_keyboard(views))


async def stop_schedule(query: CallbackQuery, callback_data: ScheduleStopCb,
                        automation: Automation, staff: Staff, lang: str,
                        settings: Settings) -> None:
    stopped = await automation.schedules.stop(staff, callback_data.schedule_id)
    note = _("⏹ Recurring copy {number} of #{id} stopped; no more copies follow.").format(
        number=stopped.schedule.id, id=stopped.origin.id)
    views = await automation.schedules.running(staff)
    markup = schedules_keyboard(views) or InlineKeyboardMarkup(inline_keyboard=[])
    await edit_or_send(query, schedules_text(views, lang, settings.timezone, note), markup)
    await query.answer(_("Stopped."))


def create_router() -> Router:
    router = Router(name=__name__)
    router.message.register(list_schedules, Command("schedules"))
    router.callback_query.register(stop_schedule, ScheduleStopCb.filter())
    return router
