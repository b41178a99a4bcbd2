"""/hours: one's own working hours and absences (an admin: anyone's, `/hours @anna …`);
rules timed "in the responsible person's working hours" follow them."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command, CommandObject, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _

from bot.common.replies import edit_or_send
from bot.staff_hours.callbacks import HoursAction, HoursCb
from bot.staff_hours.states import HoursDialog
from bot.staff_hours.views import (
    absence_question,
    hours_keyboard,
    hours_text,
    retry_text,
    unreadable_text,
    week_question,
)
from crm.container import CrmServices
from crm.models import Staff
from crm.services.editing import match_staff
from rules.staff_hours.text import parse_absence, parse_week
from rules.workflow import Workflow

AWAY = {"away", "abwesend", "urlaub", "absence", "abwesenheit"}
COMPANY = {"company", "firma", "reset"}


async def hours(message: Message, command: CommandObject, workflow: Workflow,
                services: CrmServices, staff: Staff, lang: str) -> None:
    service = workflow.staff_hours
    words = (command.args or "").split()
    person = staff
    if words and names_someone(words, staff):
        person = match_staff(await services.staff.list(staff), words[0], staff)
        words = words[1:]
    text = " ".join(words)
    if not words:
        view = await service.show(staff, person.user_id)
    elif words[0].lower() in COMPANY:
        view = await service.use_company_hours(staff, person.user_id)
    elif words[0].lower() in AWAY:
        days = parse_absence(" ".join(words[1:]), service.today())
        if days is None:
            await message.answer(unreadable_text())
            return
        view = await service.add_absence(staff, person.user_id, *days)
    elif (week := parse_week(text)) is not None:
        view = await service.set_hours(staff, person.user_id, *week)
    else:
        await message.answer(unreadable_text())
        return
    await message.answer(hours_text(view, lang, person.user_id == staff.user_id),
                         reply_markup=hours_keyboard(view, lang))


def names_someone(words: list[str], staff: Staff) -> bool:
    """Whether the first word names whose hours these are: `@anna`, or for an admin a name
    (`Anna`), which is neither a keyword nor the start of days and times."""
    first = words[0]
    if first.startswith("@"):
        return True
    return (staff.is_admin and not first[0].isdigit() and first.lower() not in AWAY | COMPANY
            and parse_week(" ".join(words)) is None)


async def press(query: CallbackQuery, callback_data: HoursCb, workflow: Workflow,
                staff: Staff, lang: str, state: FSMContext) -> None:
    service = workflow.staff_hours
    if callback_data.action in (HoursAction.ASK_WEEK, HoursAction.ASK_ABSENCE):
        view = await service.show(staff, callback_data.user_id)  # may they? asked first
        week = callback_data.action is HoursAction.ASK_WEEK
        await state.set_state(HoursDialog.week if week else HoursDialog.absence)
        await state.set_data({"user_id": view.person.user_id})
        question = week_question if week else absence_question
        if isinstance(query.message, Message):
            await query.message.answer(question(view.person.name,
                                                view.person.user_id == staff.user_id))
        await query.answer()
        return
    if callback_data.action is HoursAction.COMPANY:
        view = await service.use_company_hours(staff, callback_data.user_id)
    else:
        view = await service.delete_absence(staff, callback_data.absence_id)
    await edit_or_send(query, hours_text(view, lang, view.person.user_id == staff.user_id),
                       hours_keyboard(view, lang))
    await query.answer(_("Saved."))


async def typed(message: Message, state: FSMContext, workflow: Workflow, staff: Staff,
                lang: str) -> None:
    """The answer to "which days and times" or "when away"."""
    service = workflow.staff_hours
    user_id = int((await state.get_data()).get("user_id") or staff.user_id)
    text = message.text or ""
    asking_week = await state.get_state() == HoursDialog.week.state
    if asking_week:
        week = parse_week(text)
        view = await service.set_hours(staff, user_id, *week) if week else None
    else:
        days = parse_absence(text, service.today())
        view = await service.add_absence(staff, user_id, *days) if days else None
    if view is None:
        await message.answer(retry_text(asking_week))
        return
    await state.clear()
    await message.answer(hours_text(view, lang, user_id == staff.user_id),
                         reply_markup=hours_keyboard(view, lang))


def create_router() -> Router:
    router = Router(name=__name__)
    router.message.register(hours, Command("hours"))
    router.callback_query.register(press, HoursCb.filter())
    router.message.register(typed, StateFilter(HoursDialog), F.text & ~F.text.startswith("/"))
    return router
