"""/new: the guided dialog (type → pipeline → title → amount → contact) and the one-line form."""

from __future__ import annotations

from decimal import Decimal

from aiogram import F, Router
from aiogram.filters import Command, CommandObject, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _

from bot.callbacks import NewCb, NewStep
from bot.filters import PlainText, SlashCommand
from bot.new_item_steps import ask_contact, show_created, take_title
from bot.quick_form import parse_quick
from bot.replies import edit, usage
from bot.settings import Settings
from bot.texts import error_text
from bot.views.new_item import pipeline_keyboard, skip_keyboard, type_keyboard
from crm.container import CrmServices
from crm.errors import InvalidAmount
from crm.models import Staff
from crm.money import parse_money
from crm.services.items import NewItem

router = Router(name=__name__)


class NewItemDialog(StatesGroup):
    type = State()
    pipeline = State()
    title = State()
    amount = State()
    contact = State()


@router.message(Command("new"))
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


@router.callback_query(NewCb.filter(F.step == NewStep.TYPE), StateFilter(NewItemDialog.type))
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


@router.callback_query(NewCb.filter(F.step == NewStep.PIPELINE),
                       StateFilter(NewItemDialog.pipeline))
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


@router.message(StateFilter(NewItemDialog.title), PlainText())
async def got_title(message: Message, state: FSMContext) -> None:
    await take_title(message, state, NewItemDialog.amount)


@router.message(StateFilter(NewItemDialog.amount), PlainText())
async def got_amount(message: Message, state: FSMContext) -> None:
    try:
        money = parse_money(message.text or "")
    except InvalidAmount as error:
        await message.answer(error_text(error) + "\n" + _("Try again, or skip."),
                             reply_markup=skip_keyboard())
        return
    await state.update_data(amount=str(money.amount), currency=money.currency)
    await ask_contact(message, state, NewItemDialog.contact)


@router.callback_query(NewCb.filter(F.step == NewStep.SKIP), StateFilter(NewItemDialog.amount))
async def skip_amount(query: CallbackQuery, state: FSMContext) -> None:
    await query.answer()
    if isinstance(query.message, Message):
        await ask_contact(query.message, state, NewItemDialog.contact)


@router.message(StateFilter(NewItemDialog.contact), PlainText())
async def got_contact(message: Message, state: FSMContext, services: CrmServices, staff: Staff,
                      lang: str, settings: Settings) -> None:
    await _finish(message, state, services, staff, lang, settings, message.text)


@router.callback_query(NewCb.filter(F.step == NewStep.SKIP),
                       StateFilter(NewItemDialog.contact))
async def skip_contact(query: CallbackQuery, state: FSMContext, services: CrmServices,
                       staff: Staff, lang: str, settings: Settings) -> None:
    await query.answer()
    if isinstance(query.message, Message):
        await _finish(query.message, state, services, staff, lang, settings, None)


@router.message(StateFilter(NewItemDialog), ~SlashCommand())
async def wrong_input(message: Message) -> None:
    await message.answer(_("Please answer with text or use the buttons; /cancel stops."))


async def _finish(message: Message, state: FSMContext, services: CrmServices, staff: Staff,
                  lang: str, settings: Settings, contact_name: str | None) -> None:
    data = await state.get_data()
    await state.clear()
    item = await services.items.create(staff, NewItem(
        data["type_code"], data["title"], pipeline_id=data.get("pipeline_id"),
        amount=Decimal(data["amount"]) if data.get("amount") else None,
        currency=data.get("currency"), contact_name=contact_name))
    await show_created(message, services, staff, lang, settings, item.id)

