"""/convert <id> and the card's Convert button: one lead into a deal, by hand. The user
chooses the clients (new contact/company/both, or existing ones), the deal pipeline when
there are several, and what happens to open activities; then sees the new deal's card."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command, CommandObject, Filter, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _

from bot.common.replies import edit_or_send, parse_item_id, usage
from bot.items.presenter import render_card
from bot.leads import convert_views as view
from bot.leads.callbacks import ConvertCb, ConvertStep
from bot.leads.states import ConvertDialog
from bot.mode.callbacks import CLIENT_CHOICES, LINK
from bot.settings import Settings
from crm.container import CrmServices
from crm.models import Staff


async def convert_command(message: Message, command: CommandObject, state: FSMContext,
                          services: CrmServices, staff: Staff) -> None:
    lead_id = parse_item_id(command.args)
    if lead_id is None:
        await usage(message, _("/convert <lead number> — convert a lead into a deal, "
                               "e.g. /convert 12"))
        return
    lead = await services.conversion.lead_to_convert(staff, lead_id)
    await state.set_state(ConvertDialog.clients)
    await state.set_data({"lead_id": lead.id})
    await message.answer(view.clients_question(lead), reply_markup=view.clients_keyboard(lead.id))


async def press_convert(query: CallbackQuery, callback_data: ConvertCb, state: FSMContext,
                        services: CrmServices, staff: Staff) -> None:
    lead = await services.conversion.lead_to_convert(staff, callback_data.item_id)
    await state.set_state(ConvertDialog.clients)
    await state.set_data({"lead_id": lead.id})
    if isinstance(query.message, Message):
        await query.message.answer(view.clients_question(lead),
                                   reply_markup=view.clients_keyboard(lead.id))
    await query.answer()


class ForThisLead(Filter):
    """A dialog button about the lead the dialog is about (not an older dialog's)."""

    async def __call__(self, query: CallbackQuery, state: FSMContext) -> bool:
        lead_id = (await state.get_data()).get("lead_id")
        return ConvertCb.unpack(query.data or "").item_id == lead_id


async def chose_clients(query: CallbackQuery, callback_data: ConvertCb, state: FSMContext,
                        services: CrmServices, staff: Staff, lang: str,
                        settings: Settings) -> None:
    if callback_data.value == LINK:
        await state.set_state(ConvertDialog.search)
        await edit_or_send(query, view.search_question(), None)
    else:
        await state.update_data(create=callback_data.value)
        await _ask_pipeline(query, state, services, staff, lang, settings)
    await query.answer()


async def searched(message: Message, state: FSMContext, services: CrmServices,
                   staff: Staff) -> None:
    contacts, companies = await services.clients.find(staff, message.text or "")
    lead_id = (await state.get_data())["lead_id"]
    await message.answer(view.matches_text(bool(contacts or companies)),
                         reply_markup=view.matches_keyboard(lead_id, contacts, companies))


async def chose_existing(query: CallbackQuery, callback_data: ConvertCb, state: FSMContext,
                         services: CrmServices, staff: Staff, lang: str,
                         settings: Settings) -> None:
    if callback_data.step is ConvertStep.CONTACT:
        await state.update_data(create=0, contact_id=callback_data.value)
    else:
        await state.update_data(create=1, company_id=callback_data.value)
    await _ask_pipeline(query, state, services, staff, lang, settings)
    await query.answer()


async def _ask_pipeline(query: CallbackQuery, state: FSMContext, services: CrmServices,
                        staff: Staff, lang: str, settings: Settings) -> None:
    pipelines = await services.catalog.pipelines("deal")
    if len(pipelines) > 1:
        await state.set_state(ConvertDialog.pipeline)
        lead_id = (await state.get_data())["lead_id"]
        await edit_or_send(query, view.pipeline_question(),
                           view.pipeline_keyboard(lead_id, pipelines, lang))
        return
    await _ask_activities(query, state, services, staff, lang, settings)


async def chose_pipeline(query: CallbackQuery, callback_data: ConvertCb, state: FSMContext,
                         services: CrmServices, staff: Staff, lang: str,
                         settings: Settings) -> None:
    await state.update_data(pipeline_id=callback_data.value)  # the service checks it
    await _ask_activities(query, state, services, staff, lang, settings)
    await query.answer()


async def _ask_activities(query: CallbackQuery, state: FSMContext, services: CrmServices,
                          staff: Staff, lang: str, settings: Settings) -> None:
    lead_id = (await state.get_data())["lead_id"]
    open_activities = await services.activities.open_for_item(staff, lead_id)
    if open_activities:
        await state.set_state(ConvertDialog.activities)
        await edit_or_send(query, view.activities_question(len(open_activities)),
                           view.activities_keyboard(lead_id))
        return
    await _convert(query, state, services, staff, lang, settings, keep_open=True)


async def chose_activities(query: CallbackQuery, callback_data: ConvertCb, state: FSMContext,
                           services: CrmServices, staff: Staff, lang: str,
                           settings: Settings) -> None:
    await _convert(query, state, services, staff, lang, settings, bool(callback_data.value))
    await query.answer()


async def _convert(query: CallbackQuery, state: FSMContext, services: CrmServices,
                   staff: Staff, lang: str, settings: Settings, keep_open: bool) -> None:
    data = await state.get_data()
    await state.clear()
    done = await services.conversion.convert_lead(
        staff, data["lead_id"], CLIENT_CHOICES[data["create"]], data.get("contact_id"),
        data.get("company_id"), data.get("pipeline_id"), keep_open)
    text, markup = await render_card(services, staff, done.deal_id, lang, settings,
                                     note=view.converted_note(done))
    await edit_or_send(query, text, markup)


async def cancelled(query: CallbackQuery, state: FSMContext) -> None:
    await state.clear()
    await edit_or_send(query, _("Cancelled. The lead is unchanged."), None)
    await query.answer()


async def wrong_input(message: Message) -> None:
    await message.answer(_("Please choose with the buttons above, or /cancel to stop."))


def create_router() -> Router:
    router = Router(name=__name__)
    router.message.register(convert_command, Command("convert"))
    router.callback_query.register(press_convert, ConvertCb.filter(F.step == ConvertStep.START))
    created = ConvertCb.filter((F.step == ConvertStep.CREATE) & (F.value <= LINK))
    router.callback_query.register(chose_clients, StateFilter(ConvertDialog.clients), created,
                                   ForThisLead())
    router.message.register(searched, StateFilter(ConvertDialog.search), F.text,
                            ~F.text.startswith("/"))
    existing = ConvertCb.filter(F.step.in_({ConvertStep.CONTACT, ConvertStep.COMPANY}))
    router.callback_query.register(chose_existing, StateFilter(ConvertDialog.search), existing,
                                   ForThisLead())
    router.callback_query.register(chose_pipeline, StateFilter(ConvertDialog.pipeline),
                                   ConvertCb.filter(F.step == ConvertStep.PIPELINE), ForThisLead())
    router.callback_query.register(chose_activities, StateFilter(ConvertDialog.activities),
                                   ConvertCb.filter(F.step == ConvertStep.ACTIVITIES),
                                   ForThisLead())
    router.callback_query.register(cancelled, StateFilter(ConvertDialog),
                                   ConvertCb.filter(F.step == ConvertStep.CANCEL))
    asking = StateFilter(ConvertDialog.clients, ConvertDialog.pipeline, ConvertDialog.activities)
    router.message.register(wrong_input, asking, ~F.text.startswith("/"))
    return router
