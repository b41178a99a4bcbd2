"""/activities: my open activities, the most urgent first; their "done" buttons (also on
the message that assigned or reminded one; pressed again later it says it was done). Marking
done may fire the stage's trigger. Reminders by hand and snoozing: remind.py."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _

from bot.activities import remind
from bot.activities.callbacks import ActivityAction, ActivityCb
from bot.activities.remind_views import already_done_text
from bot.activities.views import agenda_keyboard, agenda_text, done_note, open_item_keyboard
from bot.common.replies import edit, edit_or_send
from bot.settings import Settings
from crm.container import CrmServices
from crm.models import Staff


async def my_activities(message: Message, services: CrmServices, staff: Staff, lang: str,
                        settings: Settings) -> None:
    agenda = await services.activities.agenda(staff)
    await message.answer(agenda_text(agenda, lang, settings.timezone, services.clock.now()),
                         reply_markup=agenda_keyboard(agenda))


async def press_done(query: CallbackQuery, callback_data: ActivityCb, services: CrmServices,
                     staff: Staff, lang: str, settings: Settings) -> None:
    if (before := await services.activities.get(staff, callback_data.activity_id)).done:
        await query.answer(already_done_text(before.subject), show_alert=True)  # an old button
        return
    activity = await services.activities.mark_done(staff, callback_data.activity_id)
    if callback_data.listing:
        agenda = await services.activities.agenda(staff)
        text = agenda_text(agenda, lang, settings.timezone, services.clock.now())
        await edit_or_send(query, text, agenda_keyboard(agenda))
    elif isinstance(query.message, Message) and query.message.html_text:
        await edit(query.message, query.message.html_text + done_note(staff.name),
                   open_item_keyboard(activity.item_id))
    await query.answer(_("Done: {subject}").format(subject=activity.subject[:150]))


def create_router() -> Router:
    router = Router(name=__name__)
    router.message.register(my_activities, Command("activities"))
    router.callback_query.register(press_done,
                                   ActivityCb.filter(F.action == ActivityAction.DONE))
    router.include_router(remind.create_router())  # /remind, ⏰ on the card, snoozing
    return router
