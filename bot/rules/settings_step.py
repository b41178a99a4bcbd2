"""The rule dialog, the kind's own settings, one question each (see rules.kinds.questions):
a staff member, a team chat, a message (a template or a typed text), a choice, a typed
value; "skip" keeps an optional setting's default, "keep" a changed rule's value. All
settings may also be typed at once as key = value lines or JSON."""

from __future__ import annotations

import json
from typing import Any

from aiogram import F, Router
from aiogram.filters import StateFilter
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _

from bot.rules import question_views
from bot.rules.callbacks import DialogCb, Step
from bot.rules.choices import params_to_change, parse_params_text
from bot.rules.dialog_views import gone
from bot.rules.error_texts import rule_invalid_text
from bot.rules.flow import Flow
from bot.rules.states import RuleDialog
from rules.errors import RuleInvalid
from rules.kinds.questions import Answer
from rules.services.validation import parse_params

TEXT = F.text & ~F.text.startswith("/")
MAX_TEXT = 4000  # as MessageParams allows
SETTINGS = (RuleDialog.staff, RuleDialog.chat, RuleDialog.source, RuleDialog.question)


async def _answer(flow: Flow, name: str, value: Any, *dropped: str,
                  question: str | None = None) -> None:
    """The answer to `question` (default: the param it fills) sets `name` (None: skipped, the
    default holds) and drops what it replaces; on to the next question."""
    data = await flow.data()
    params = {k: v for k, v in (data.get("params") or {}).items() if k not in dropped}
    if value is None:
        params.pop(name, None)
    else:
        params[name] = value
    asked = [*(data.get("asked") or []), question or name]
    await flow.state.update_data(params=params, asked=asked)
    await flow.ask_settings()


async def chose_staff(query: CallbackQuery, callback_data: DialogCb, flow: Flow) -> None:
    members = await flow.services.staff.list(flow.staff)
    question = await flow.question()
    if question is None or callback_data.value not in {m.user_id for m in members}:
        await query.answer(gone(), show_alert=True)
        return
    await _answer(flow, question.name, callback_data.value)
    await query.answer()


async def chose_chat(query: CallbackQuery, callback_data: DialogCb, flow: Flow) -> None:
    chats = await flow.team_chats()
    question = await flow.question()
    if question is None or callback_data.value not in {c.chat_id for c in chats}:
        await query.answer(gone(), show_alert=True)
        return
    await _answer(flow, question.name, callback_data.value)
    await query.answer()


async def chose_template(query: CallbackQuery, callback_data: DialogCb, flow: Flow) -> None:
    templates = flow.templates()
    if not 0 <= callback_data.value < len(templates):
        await query.answer(gone(), show_alert=True)
        return
    await _answer(flow, "template", templates[callback_data.value], "text")
    await query.answer()


async def own_text(query: CallbackQuery, flow: Flow) -> None:
    await flow.show(question_views.own_text_prompt(await flow.kind(), flow.lang))
    await query.answer()


async def typed_message(message: Message, flow: Flow) -> None:
    text = (message.text or "").strip()  # the template's source, Jinja and HTML tags
    if len(text) > MAX_TEXT:
        await message.answer(_("That text is too long ({length} characters; at most {limit}). "
                               "Please shorten it.").format(length=len(text), limit=MAX_TEXT))
        return
    await _answer(flow, "text", text, "template", question="template")


async def chose_answer(query: CallbackQuery, callback_data: DialogCb, flow: Flow) -> None:
    question = await flow.question()
    choices = await flow.choices(question) if question else []
    if question is None or not 0 <= callback_data.value < len(choices):
        await query.answer(gone(), show_alert=True)
        return
    await _answer(flow, question.name, choices[callback_data.value][0])
    await query.answer()


async def typed_answer(message: Message, flow: Flow) -> None:
    question = await flow.question()
    if question is None or question.answer not in question_views.TYPED:
        await message.answer(_("Please use the buttons above, or type what I asked for; "
                               "/cancel stops."))
        return
    text = (message.text or "").strip()
    if question.answer is Answer.NUMBER:
        if not text.isdigit():
            await message.answer(_("Please type a whole number, e.g. 14."))
            return
        await _answer(flow, question.name, int(text))
        return
    await _answer(flow, question.name, text)


async def skip(query: CallbackQuery, flow: Flow) -> None:
    question = await flow.question()
    if question is None or not question.optional:
        await query.answer(gone(), show_alert=True)
        return
    await _answer(flow, question.name, None)
    await query.answer()


async def keep(query: CallbackQuery, flow: Flow) -> None:
    question = await flow.question()
    current = (await flow.data()).get("current") or {}
    if question is None:
        await query.answer(gone(), show_alert=True)
        return
    if question.answer is Answer.MESSAGE and "text" in current:
        await _answer(flow, "text", current["text"], "template", question="template")
    else:
        await _answer(flow, question.name, current.get(question.name))
    await query.answer()


async def type_all(query: CallbackQuery, flow: Flow) -> None:
    data = await flow.data()
    current = {**(data.get("current") or {}), **(data.get("params") or {})}
    await flow.state.set_state(RuleDialog.params)
    await flow.show(question_views.params_text(
        await flow.kind(), flow.lang,
        json.dumps(current, ensure_ascii=False) if current else None))
    await query.answer()


async def typed_params(message: Message, flow: Flow) -> None:
    try:
        typed = parse_params_text(message.text or "")
    except ValueError:
        await message.answer(_("I could not read that. Please write one "
                               "<code>name = value</code> per line."))
        return
    kind = await flow.kind()
    data = await flow.data()
    params = {**params_to_change(kind, data.get("current") or {}), **typed}
    try:
        parse_params(kind, params)
    except RuleInvalid as error:
        await message.answer(rule_invalid_text(error.params, flow.lang))
        return
    await flow.state.update_data(params=params, params_done=True)
    await flow.ask_settings()


def create_router() -> Router:
    router = Router(name=__name__)
    cb = router.callback_query.register
    cb(chose_staff, StateFilter(RuleDialog.staff), DialogCb.filter(F.step == Step.STAFF))
    cb(chose_chat, StateFilter(RuleDialog.chat), DialogCb.filter(F.step == Step.CHAT))
    cb(chose_template, StateFilter(RuleDialog.source), DialogCb.filter(F.step == Step.TEMPLATE))
    cb(own_text, StateFilter(RuleDialog.source), DialogCb.filter(F.step == Step.OWN_TEXT))
    cb(chose_answer, StateFilter(RuleDialog.question), DialogCb.filter(F.step == Step.ANSWER))
    cb(skip, StateFilter(*SETTINGS), DialogCb.filter(F.step == Step.SKIP))
    cb(keep, StateFilter(*SETTINGS), DialogCb.filter(F.step == Step.KEEP))
    cb(type_all, StateFilter(*SETTINGS), DialogCb.filter(F.step == Step.TYPE_ALL))
    router.message.register(typed_message, StateFilter(RuleDialog.source), TEXT)
    router.message.register(typed_answer, StateFilter(RuleDialog.question), TEXT)
    router.message.register(typed_params, StateFilter(RuleDialog.params), TEXT)
    return router
