"""Leads created by hand, with their source (call, e-mail, website, event, other): the
one-line `/new lead <title>; <amount>; <contact>; <source>` and, when "Lead" is chosen in
the /new dialog, a lead dialog of its own (source → title → amount → contact).

Included before the /new router, which handles every other type (and explains that leads
are off in simple mode)."""

from __future__ import annotations

from decimal import Decimal

from aiogram import F, Router
from aiogram.filters import Command, CommandObject, Filter, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _

from bot.common.replies import edit_or_send, usage
from bot.contacts.callbacks import DuplicateCb
from bot.contacts.duplicates import chosen_contact, offer_existing
from bot.leads.callbacks import SourceCb
from bot.leads.states import LeadDialog
from bot.leads.views import (
    LeadLine,
    lead_line_usage,
    parse_lead_line,
    source_keyboard,
    source_question,
)
from bot.mode.texts import MANUAL_SOURCES, leads_off_text
from bot.new_item.callbacks import NewCb, NewStep
from bot.new_item.states import NewItemDialog
from bot.new_item.steps import ask_contact, show_created, take_title
from bot.new_item.views import skip_keyboard
from bot.settings import Settings
from crm.container import CrmServices
from crm.errors import InvalidAmount
from crm.models import CrmMode, Staff
from crm.money import parse_money
from crm.services.items import NewItem


class LeadLineFilter(Filter):
    """`/new lead <title>...`: passes the parsed line as `line`."""

    async def __call__(self, message: Message, command: CommandObject) -> bool | dict[str, object]:
        line = parse_lead_line(command.args or "")
        return {"line": line} if line else False


class LeadChosen(Filter):
    """The /new dialog's type button for leads."""

    async def __call__(self, query: CallbackQuery, callback_data: NewCb,
                       services: CrmServices) -> bool:
        types = {t.position: t.code for t in await services.catalog.types()}
        return types.get(callback_data.value) == "lead"


async def new_lead_line(message: Message, line: LeadLine, state: FSMContext,
                        services: CrmServices, staff: Staff, lang: str,
                        settings: Settings) -> None:
    await state.clear()
    if not line.title:
        simple = await services.mode.mode() is CrmMode.SIMPLE
        await (message.answer(leads_off_text()) if simple else usage(message, lead_line_usage()))
        return
    contact = (await services.clients.find_or_create_contact(staff, line.contact_name)
               if line.contact_name else None)
    item = await services.items.create(staff, NewItem(
        "lead", line.title, amount=line.money.amount if line.money else None,
        currency=line.money.currency if line.money else None,
        contact_id=contact.id if contact else None, source=line.source))
    await show_created(message, services, staff, lang, settings, item.id)


async def chose_lead(query: CallbackQuery, state: FSMContext) -> None:
    await state.set_state(LeadDialog.source)
    await edit_or_send(query, source_question(), source_keyboard())
    await query.answer()


async def chose_source(query: CallbackQuery, callback_data: SourceCb, state: FSMContext) -> None:
    await state.set_data({"source": callback_data.value})
    await state.set_state(LeadDialog.title)
    await edit_or_send(query, _("Title of the new lead? (/cancel to stop)"), None)
    await query.answer()


async def got_title(message: Message, state: FSMContext) -> None:
    await take_title(message, state, LeadDialog.amount)


async def got_amount(message: Message, state: FSMContext) -> None:
    try:
        money = parse_money(message.text or "")
    except InvalidAmount:
        await message.answer(_("That is not an amount I understand. Try again, or skip."),
                             reply_markup=skip_keyboard())
        return
    await state.update_data(amount=str(money.amount), currency=money.currency)
    await ask_contact(message, state, LeadDialog.contact)


async def skip_amount(query: CallbackQuery, state: FSMContext) -> None:
    if isinstance(query.message, Message):
        await ask_contact(query.message, state, LeadDialog.contact)
    await query.answer()


async def got_contact(message: Message, state: FSMContext, services: CrmServices, staff: Staff,
                      lang: str, settings: Settings) -> None:
    if await offer_existing(message, state, services, message.text or ""):
        return  # a name like an existing contact's: the buttons answer
    contact = await services.clients.find_or_create_contact(staff, message.text or "")
    await _create(message, state, services, staff, lang, settings, contact.id)


async def chose_duplicate(query: CallbackQuery, callback_data: DuplicateCb, state: FSMContext,
                          services: CrmServices, staff: Staff, lang: str,
                          settings: Settings) -> None:
    if isinstance(query.message, Message):
        contact_id = await chosen_contact(query.message, callback_data, state, services, staff)
        await _create(query.message, state, services, staff, lang, settings, contact_id)
    await query.answer()


async def skip_contact(query: CallbackQuery, state: FSMContext, services: CrmServices,
                       staff: Staff, lang: str, settings: Settings) -> None:
    if isinstance(query.message, Message):
        await _create(query.message, state, services, staff, lang, settings, None)
    await query.answer()


async def wrong_input(message: Message) -> None:
    await message.answer(_("Please answer with text or use the buttons; /cancel stops."))


async def _create(message: Message, state: FSMContext, services: CrmServices, staff: Staff,
                  lang: str, settings: Settings, contact_id: int | None) -> None:
    data = await state.get_data()
    await state.clear()
    item = await services.items.create(staff, NewItem(
        "lead", data["title"], amount=Decimal(data["amount"]) if data.get("amount") else None,
        currency=data.get("currency"), contact_id=contact_id,
        source=MANUAL_SOURCES[data["source"]]))
    await show_created(message, services, staff, lang, settings, item.id)


def create_router() -> Router:
    router = Router(name=__name__)
    router.message.register(new_lead_line, Command("new"), LeadLineFilter())
    router.callback_query.register(chose_lead, StateFilter(NewItemDialog.type),
                                   NewCb.filter(F.step == NewStep.TYPE), LeadChosen())
    router.callback_query.register(chose_source, StateFilter(LeadDialog.source),
                                   SourceCb.filter(F.value < len(MANUAL_SOURCES)))
    router.message.register(got_title, StateFilter(LeadDialog.title), F.text,
                            ~F.text.startswith("/"))
    router.message.register(got_amount, StateFilter(LeadDialog.amount), F.text,
                            ~F.text.startswith("/"))
    router.callback_query.register(skip_amount, StateFilter(LeadDialog.amount),
                                   NewCb.filter(F.step == NewStep.SKIP))
    router.message.register(got_contact, StateFilter(LeadDialog.contact), F.text,
                            ~F.text.startswith("/"))
    router.callback_query.register(skip_contact, StateFilter(LeadDialog.contact),
                                   NewCb.filter(F.step == NewStep.SKIP))
    router.callback_query.register(chose_duplicate, StateFilter(LeadDialog.contact),
                                   DuplicateCb.filter())
    router.message.register(wrong_input, StateFilter(LeadDialog), ~F.text.startswith("/"))
    return router
