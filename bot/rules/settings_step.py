"""The rule dialog, the kind's own settings: who is notified (a staff member, a team chat),
the message (a template file or a typed text), or — for any other kind — its params typed
as JSON or key=value lines and checked against the kind's params model."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import StateFilter
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _

from bot.rules.callbacks import DialogCb, Step
from bot.rules.choices import parse_params_text
from bot.rules.dialog_views import gone
from bot.rules.error_texts import rule_invalid_text
from bot.rules.flow import Flow
from bot.rules.states import RuleDialog
from rules.errors import RuleInvalid
from rules.services.validation import parse_params

TEXT = F.text & ~F.text.startswith("/")
MAX_TEXT = 4000  # as MessageParams allows


async def _set(flow: Flow, **values: object) -> None:
    params = {**((await flow.data()).get("params") or {}), **values}
    await flow.state.update_data(params={k: v for k, v in params.items() if v is not None})
    await flow.ask_settings()


async def chose_staff(query: CallbackQuery, callback_data: DialogCb, flow: Flow) -> None:
    members = await flow.services.staff.list(flow.staff)
    if callback_data.value not in {m.user_id for m in members}:
        await query.answer(gone(), show_alert=True)
        return
    await _set(flow, user_id=callback_data.value)
    await query.answer()


async def chose_chat(query: CallbackQuery, callback_data: DialogCb, flow: Flow) -> None:
    chats = await flow.team_chats()
    if callback_data.value not in {c.chat_id for c in chats}:
        await query.answer(gone(), show_alert=True)
        return
    await _set(flow, chat_id=callback_data.value)
    await query.answer()


async def chose_template(query: CallbackQuery, callback_data: DialogCb, flow: Flow) -> None:
    templates = flow.templates()
    if not 0 <= callback_data.value < len(templates):
        await query.answer(gone(), show_alert=True)
        return
    await _set(flow, template=templates[callback_data.value], text=None)
    await query.answer()


async def typed_message(message: Message, flow: Flow) -> None:
    text = (message.text or "").strip()  # the template's source, Jinja and HTML tags
    if len(text) > MAX_TEXT:
        await message.answer(_("That text is too long ({length} characters; at most {limit}). "
                               "Please shorten it.").format(length=len(text), limit=MAX_TEXT))
        return
    await _set(flow, text=text, template=None)


async def typed_params(message: Message, flow: Flow) -> None:
    try:
        params = parse_params_text(message.text or "")
    except ValueError:
        await message.answer(_("I could not read that. Write JSON such as "
                               "<code>{\"days\": 3}</code>, or one <code>key = value</code> "
                               "per line."))
        return
    try:
        parse_params(await flow.kind(), params)
    except RuleInvalid as error:
        await message.answer(rule_invalid_text(error.params))
        return
    await flow.state.update_data(params=params, params_done=True)
    await flow.ask_settings()


def create_router() -> Router:
    router = Router(name=__name__)
    router.callback_query.register(chose_staff, StateFilter(RuleDialog.staff),
                                   DialogCb.filter(F.step == Step.STAFF))
    router.callback_query.register(chose_chat, StateFilter(RuleDialog.chat),
                                   DialogCb.filter(F.step == Step.CHAT))
    router.callback_query.register(chose_template, StateFilter(RuleDialog.source),
                                   DialogCb.filter(F.step == Step.TEMPLATE))
    router.message.register(typed_message, StateFilter(RuleDialog.source), TEXT)
    router.message.register(typed_params, StateFilter(RuleDialog.params), TEXT)
    return router
