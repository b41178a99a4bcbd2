"""/new: the guided dialog (type → pipeline → title → amount → contact) and the one-line form."""

from __future__ import annotations

from decimal import Decimal

from aiogram import F, Router
from aiogram.filters import Command, CommandObject, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _

from bot.common.replies import edit, usage
from bot.common.texts import error_text
from bot.contacts.callbacks import DuplicateCb
from bot.contacts.duplicates import chosen_contact, offer_existing
from bot.filters import PlainText, SlashCommand
from bot.new_item.callbacks import NewCb, NewStep
from bot.new_item.quick_form import parse_quick
from bot.new_item.states import NewItemDialog
from bot.new_item.steps import ask_contact, show_created, take_title
from bot.new_item.views import pipeline_keyboard, skip_keyboard, type_keyboard
from bot.settings import Settings
from crm.container import CrmServices
from crm.errors import InvalidAmount
from crm.models import Staff
from crm.money import parse_money
from crm.services.items import NewItem


async def new_item(message: Message, command: CommandObject, state: FSMContext,
                   services: CrmServices, staff: Staff, lang: str, settings: Settings) -> None:
    await state.clear()
    if not command.args:
        await state.set_state(NewItemDialog.type)
        await message.answer(_("What would you like to create?"),
                             reply_markup=type_keyboard(await services.catalog.types(), lang))
        return
    # Hidden types too: creating a lead in simple mode is refused by the service, with why.
    quick = parse_quick(command.args, await services.catalog.types(include_hidden=True))
    if quick is None:
        await usage(message, _("/new <type> <title>; <amount>; <contact> — "
                               "e.g. /new deal Website relaunch; 15.000 EUR; Anna Schmidt"))
        return
    item = await services.items.create(staff, NewItem(
        quick.entity_type.code, quick.title,
        amount=quick.money.amount if quick.money else None,
        currency=quick.money.currency if quick.money else None,
        contact_name=quick.contact_name))
    await show_created(message, services, staff, lang, settings, item.id)


async def chose_type(query: CallbackQuery, callback_data: NewCb, state: FSMContext,
                     services: CrmServices, lang: str) -> None:
    types = {t.position: t for t in await services.catalog.types()}
    entity_type = types.get(callback_data.value)
    if entity_type is None or not isinstance(query.message, Message):
        await query.answer(_("That choice is no longer available."), show_alert=True)
        return
    await state.update_data(type_code=entity_type.code)
    pipelines = await services.catalog.pipelines(entity_type.code)
    if len(pipelines) > 1:
        await state.set_state(NewItemDialog.pipeline)
        await edit(query.message, _("Which pipeline?"), pipeline_keyboard(pipelines, lang))
    else:
        await state.set_state(NewItemDialog.title)
        await edit(query.message, _("Title of the new item? (/cancel to stop)"), None)
    await query.answer()


async def chose_pipeline(query: CallbackQuery, callback_data: NewCb, state: FSMContext,
                         services: CrmServices) -> None:
    data = await state.get_data()
    pipelines = await services.catalog.pipelines(data["type_code"])
    if callback_data.value not in {p.id for p in pipelines} or not isinstance(
            query.message, Message):
        await query.answer(_("That choice is no longer available."), show_alert=True)
        return
    await state.update_data(pipeline_id=callback_data.value)
    await state.set_state(NewItemDialog.title)
    await edit(query.message, _("Title of the new item? (/cancel to stop)"), None)
    await query.answer()


async def got_title(message: Message, state: FSMContext) -> None:
    await take_title(message, state, NewItemDialog.amount)


async def got_amount(message: Message, state: FSMContext) -> None:
    try:
        money = parse_money(message.text or "")
    except InvalidAmount as error:
        await message.answer(error_text(error) + "\n" + _("Try again, or skip."),
                             reply_markup=skip_keyboard())
        return
    await state.update_data(amount=str(money.amount), currency=money.currency)
    await ask_contact(message, state, NewItemDialog.contact)


async def skip_amount(query: CallbackQuery, state: FSMContext) -> None:
    await query.answer()
    if isinstance(query.message, Message):
        await ask_contact(query.message, state, NewItemDialog.contact)


async def got_contact(message: Message, state: FSMContext, services: CrmServices, staff: Staff,
                      lang: str, settings: Settings) -> None:
    if await offer_existing(message, state, services, message.text or ""):
        return  # "Jana Hahn" while "Dr. Jana Hahn" exists: the buttons answer
    await _finish(message, state, services, staff, lang, settings, message.text)


async def chose_duplicate(query: CallbackQuery, callback_data: DuplicateCb, state: FSMContext,
                          services: CrmServices, staff: Staff, lang: str,
                          settings: Settings) -> None:
    if isinstance(query.message, Message):
        contact_id = await chosen_contact(query.message, callback_data, state, services, staff)
        await _finish(query.message, state, services, staff, lang, settings, None, contact_id)
    await query.answer()


async def skip_contact(query: CallbackQuery, state: FSMContext, services: CrmServices,
                       staff: Staff, lang: str, settings: Settings) -> None:
    await query.answer()
    if isinstance(query.message, Message):
        await _finish(query.message, state, services, staff, lang, settings, None)


async def wrong_input(message: Message) -> None:
    await message.answer(_("Please answer with text or use the buttons; /cancel stops."))


async def _finish(message: Message, state: FSMContext, services: CrmServices, staff: Staff,
                  lang: str, settings: Settings, contact_name: str | None,
                  contact_id: int | None = None) -> None:
    data = await state.get_data()
    await state.clear()
    item = await services.items.create(staff, NewItem(
        data["type_code"], data["title"], pipeline_id=data.get("pipeline_id"),
        amount=Decimal(data["amount"]) if data.get("amount") else None,
        currency=data.get("currency"), contact_name=contact_name, contact_id=contact_id))
    await show_created(message, services, staff, lang, settings, item.id)


def create_router() -> Router:
    router = Router(name=__name__)
    router.message.register(new_item, Command("new"))
    router.callback_query.register(chose_type, NewCb.filter(F.step == NewStep.TYPE),
                                   StateFilter(NewItemDialog.type))
    router.callback_query.register(chose_pipeline, NewCb.filter(F.step == NewStep.PIPELINE),
                                   StateFilter(NewItemDialog.pipeline))
    router.message.register(got_title, StateFilter(NewItemDialog.title), PlainText())
    router.message.register(got_amount, StateFilter(NewItemDialog.amount), PlainText())
    router.callback_query.register(skip_amount, NewCb.filter(F.step == NewStep.SKIP),
                                   StateFilter(NewItemDialog.amount))
    router.message.register(got_contact, StateFilter(NewItemDialog.contact), PlainText())
    router.callback_query.register(skip_contact, NewCb.filter(F.step == NewStep.SKIP),
                                   StateFilter(NewItemDialog.contact))
    router.callback_query.register(chose_duplicate, DuplicateCb.filter(),
                                   StateFilter(NewItemDialog.contact))
    router.message.register(wrong_input, StateFilter(NewItemDialog), ~SlashCommand())
    return router
