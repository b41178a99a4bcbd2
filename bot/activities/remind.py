"""Reminders by hand: `/remind <item> <when> <text>`, the card's ⏰ button (when? → what
about?), and snoozing a reminder (+1 h, the next working morning). The time phrase is read
by rules/moment_text.py; the activity is kept by the activity service."""

from __future__ import annotations

from datetime import datetime, timedelta

from aiogram import F, Router
from aiogram.filters import Command, CommandObject, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.activities.callbacks import ActivityAction, ActivityCb, RemindCb, RemindStep
from bot.activities.remind_views import (
    REMIND_PRESETS,
    already_done_text,
    ask_text_keyboard,
    ask_text_text,
    ask_when_keyboard,
    ask_when_text,
    default_subject,
    gone_text,
    moment_problem_text,
    past_text,
    remind_usage,
    reminder_set_text,
    snoozed_note,
    snoozed_toast,
    too_long_text,
)
from bot.activities.states import RemindDialog
from bot.activities.views import open_item_keyboard
from bot.common.replies import edit, parse_item_id, usage
from crm.container import CrmServices
from crm.models import Staff
from crm.services.activities import MAX_SUBJECT, NotAhead
from rules.container import Automation
from rules.moment_text import MomentInvalid, next_working_morning, parse_moment, split_moment

TEXT = F.text & ~F.text.startswith("/")


async def remind_command(message: Message, command: CommandObject, services: CrmServices,
                         automation: Automation, staff: Staff, lang: str) -> None:
    head, _space, rest = (command.args or "").strip().partition(" ")
    item_id = parse_item_id(head)
    if item_id is None or not rest.strip():
        await usage(message, remind_usage())
        return
    config = automation.config
    try:
        due, text = split_moment(rest, services.clock.now(), config.timezone,
                                 config.working_hours.start)
    except MomentInvalid as error:
        await message.answer(moment_problem_text(error, lang, config.timezone))
        return
    await _create(message, services, automation, staff, lang, item_id, due, text)


async def press_remind(query: CallbackQuery, callback_data: RemindCb, services: CrmServices,
                       automation: Automation, staff: Staff, lang: str, state: FSMContext
                       ) -> None:
    if callback_data.step is RemindStep.ASK:
        item = await services.items.get(staff, callback_data.item_id)  # may the presser?
        await state.set_state(RemindDialog.when)
        await state.set_data({"item_id": item.id})
        if isinstance(query.message, Message):
            await query.message.answer(ask_when_text(item),
                                       reply_markup=ask_when_keyboard(item.id))
        await query.answer()
    elif callback_data.step is RemindStep.PRESET:
        config = automation.config
        phrase = REMIND_PRESETS[min(callback_data.preset, len(REMIND_PRESETS) - 1)]
        due = parse_moment(phrase, services.clock.now(), config.timezone,
                           config.working_hours.start)
        await _ask_text(state, callback_data.item_id, due)
        if isinstance(query.message, Message):
            await edit(query.message, ask_text_text(due, lang, config.timezone),
                       ask_text_keyboard(callback_data.item_id))
        await query.answer()
    else:
        data = await state.get_data()
        if data.get("item_id") != callback_data.item_id or "due" not in data:
            await query.answer(gone_text(), show_alert=True)
            return
        if isinstance(query.message, Message):
            await _create(query.message, services, automation, staff, lang,
                          callback_data.item_id, datetime.fromisoformat(data["due"]), "",
                          state)
        await query.answer()


async def typed_when(message: Message, services: CrmServices, automation: Automation,
                     lang: str, state: FSMContext) -> None:
    config = automation.config
    try:
        due = parse_moment(message.text or "", services.clock.now(), config.timezone,
                           config.working_hours.start)
    except MomentInvalid as error:
        await message.answer(moment_problem_text(error, lang, config.timezone))
        return
    item_id = int((await state.get_data())["item_id"])
    await _ask_text(state, item_id, due)
    await message.answer(ask_text_text(due, lang, config.timezone),
                         reply_markup=ask_text_keyboard(item_id))


async def typed_text(message: Message, services: CrmServices, automation: Automation,
                     staff: Staff, lang: str, state: FSMContext) -> None:
    data = await state.get_data()
    await _create(message, services, automation, staff, lang, int(data["item_id"]),
                  datetime.fromisoformat(data["due"]), message.text or "", state)


async def press_snooze(query: CallbackQuery, callback_data: ActivityCb, services: CrmServices,
                       automation: Automation, staff: Staff, lang: str) -> None:
    now = services.clock.now()
    until = (now + timedelta(hours=1) if callback_data.action is ActivityAction.SNOOZE_HOUR
             else next_working_morning(now, automation.config.working_hours))
    activity = await services.activities.snooze(staff, callback_data.activity_id, until)
    if activity.done:
        await query.answer(already_done_text(activity.subject), show_alert=True)
        return
    timezone = automation.config.timezone
    message = query.message
    if isinstance(message, Message) and message.html_text:
        await edit(message, message.html_text + snoozed_note(until, staff.name, lang, timezone),
                   message.reply_markup)
    await query.answer(snoozed_toast(until, lang, timezone))


async def _ask_text(state: FSMContext, item_id: int, due: datetime) -> None:
    await state.set_state(RemindDialog.text)
    await state.set_data({"item_id": item_id, "due": due.isoformat()})


async def _create(message: Message, services: CrmServices, automation: Automation,
                  staff: Staff, lang: str, item_id: int, due: datetime, text: str,
                  state: FSMContext | None = None) -> None:
    """Keeps the reminder (the time must still be ahead) and confirms it."""
    timezone = automation.config.timezone
    subject = " ".join(text.split()) or default_subject()
    if len(subject) > MAX_SUBJECT:
        await message.answer(too_long_text(MAX_SUBJECT))
        return
    try:
        activity, item = await services.activities.remind(staff, item_id, subject, due)
    except NotAhead as error:
        if state is not None:
            await state.set_state(RemindDialog.when)  # ask again when
        await message.answer(past_text(error.at, lang, timezone))
        return
    if state is not None:
        await state.clear()
    await message.answer(reminder_set_text(activity, item, lang, timezone),
                         reply_markup=open_item_keyboard(item.id))


def create_router() -> Router:
    router = Router(name=__name__)
    router.message.register(remind_command, Command("remind"))
    router.callback_query.register(press_remind, RemindCb.filter())
    router.callback_query.register(press_snooze, ActivityCb.filter(
        F.action.in_({ActivityAction.SNOOZE_HOUR, ActivityAction.SNOOZE_MORNING})))
    router.message.register(typed_when, StateFilter(RemindDialog.when), TEXT)
    router.message.register(typed_text, StateFilter(RemindDialog.text), TEXT)
    return router
