"""/triggers: list, add and delete triggers (the settings right, checked by the service)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from aiogram import F, Router
from aiogram.filters import Command, CommandObject
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _

from bot.common.replies import edit_or_send, parse_item_id, usage
from bot.rules.error_texts import condition_error_text
from bot.triggers import dialog
from bot.triggers.callbacks import TriggerAction, TriggerCb
from bot.triggers.http import TriggerHooks
from bot.triggers.views import (
    item_url_text,
    no_url_text,
    trigger_text,
    triggers_keyboard,
    triggers_text,
)
from crm.container import CrmServices
from crm.models import Staff
from crm.services.editing import field_name
from rules.conditions import parse_condition
from rules.errors import ConditionError
from rules.triggers.admin import TriggerDetails
from rules.triggers.model import TriggerEvent
from rules.workflow import Workflow

EVENTS = {"message": TriggerEvent.CLIENT_MESSAGE, "nachricht": TriggerEvent.CLIENT_MESSAGE,
          "webhook": TriggerEvent.WEBHOOK, "done": TriggerEvent.ACTIVITY_DONE,
          "erledigt": TriggerEvent.ACTIVITY_DONE,
          "responsible": TriggerEvent.RESPONSIBLE_CHANGED,
          "verantwortlich": TriggerEvent.RESPONSIBLE_CHANGED,
          "field": TriggerEvent.FIELD_CHANGED, "feld": TriggerEvent.FIELD_CHANGED}
BACK = {"back", "backwards", "zurück"}
IF = re.compile(r"\s(?:if|wenn|falls)\s", re.IGNORECASE)
TO = {"=", "to", "auf", "zu"}


@dataclass(frozen=True, slots=True)
class Added:
    type_ref: str
    stage_ref: str
    event: TriggerEvent
    backwards: bool
    details: TriggerDetails


def parse_add(text: str) -> Added | None:
    """`<type> <stage words…> <event> [back] [if <condition>]`, the event `field <name>
    [= <value>]` for a field's change; raises ConditionError for a condition it cannot
    read, InvalidInput for an unknown field."""
    head, *tail = IF.split(" " + text, maxsplit=1)
    condition = parse_condition(tail[0]) if tail else None
    words = head.split()
    found = next((i for i, word in enumerate(words) if i >= 2 and word.lower() in EVENTS), None)
    if found is None:
        return None
    event, rest = EVENTS[words[found].lower()], words[found + 1:]
    back = bool(rest) and rest[-1].lower() in BACK
    rest = rest[:-1] if back else rest
    field = value = None
    if event is TriggerEvent.FIELD_CHANGED:
        if not rest:
            return None
        field, rest = field_name(rest[0]), rest[1:]
        if rest and rest[0].lower() in TO:
            value, rest = " ".join(rest[1:]) or None, []
    if rest:
        return None
    return Added(words[0], " ".join(words[1:found]), event, back,
                 TriggerDetails(field, value, condition))


def parse_url(words: list[str]) -> tuple[int, int] | None:
    """`<trigger> <item>` → (trigger id, item id)."""
    ids = [parse_item_id(word) for word in words]
    return (ids[0], ids[1]) if len(ids) == 2 and ids[0] and ids[1] else None


async def triggers(message: Message, command: CommandObject, workflow: Workflow,
                   trigger_hooks: TriggerHooks, staff: Staff, lang: str, state: FSMContext,
                   services: CrmServices) -> None:
    words = (command.args or "").split()
    action = words[0].lower() if words else ""
    if action == "new":
        await dialog.start(message, state, services, staff, lang)
    elif action == "add" and len(words) > 1:
        await add(message, (command.args or "").split(maxsplit=1)[1], workflow, trigger_hooks,
                  staff, lang)
    elif action == "url" and (pair := parse_url(words[1:])):
        await send_url(message, workflow, trigger_hooks, staff, *pair)
    elif action == "url":
        await usage(message, _("/triggers url <trigger number> <item number>"))
    elif action in ("del", "delete") and (trigger_id := parse_item_id(" ".join(words[1:]))):
        await workflow.trigger_admin.delete(staff, trigger_id)
        await message.answer(_("Trigger #{id} deleted.").format(id=trigger_id))
    elif action in ("add", "del", "delete"):
        await usage(message, add_usage())
    else:
        views = await workflow.trigger_admin.list(staff, action or None)
        await message.answer(triggers_text(views, lang, trigger_hooks.base_url is not None),
                             reply_markup=triggers_keyboard(views))


async def add(message: Message, text: str, workflow: Workflow, trigger_hooks: TriggerHooks,
              staff: Staff, lang: str) -> None:
    try:
        parsed = parse_add(text)
    except ConditionError as error:
        await message.answer(condition_error_text(error.params, IF.split(" " + text, 1)[-1]))
        return
    if parsed is None:
        await usage(message, add_usage())
        return
    view = await workflow.trigger_admin.add_named(staff, parsed.type_ref, parsed.stage_ref,
                                                  parsed.event, parsed.backwards,
                                                  parsed.details)
    await message.answer(_("Trigger added:") + "\n" + trigger_text(
        view, lang, trigger_hooks.base_url is not None))


def add_usage() -> str:
    return _("/triggers new (with buttons) · /triggers add <type> <stage> "
             "message|webhook|done|responsible|field <field> [= <value>] [back] "
             "[if <condition>] · /triggers del <number>")


async def press_delete(query: CallbackQuery, callback_data: TriggerCb, workflow: Workflow,
                       trigger_hooks: TriggerHooks, staff: Staff, lang: str) -> None:
    await workflow.trigger_admin.delete(staff, callback_data.trigger_id)
    views = await workflow.trigger_admin.list(staff)
    await edit_or_send(query, triggers_text(views, lang, trigger_hooks.base_url is not None),
                       triggers_keyboard(views))
    await query.answer(_("Trigger #{id} deleted.").format(id=callback_data.trigger_id))


async def send_url(message: Message, workflow: Workflow, trigger_hooks: TriggerHooks,
                   staff: Staff, trigger_id: int, item_id: int) -> None:
    """The signed URL of a webhook trigger for one item."""
    url = trigger_hooks.url(await workflow.triggers.webhook_url_path(staff, trigger_id, item_id))
    await message.answer(item_url_text(trigger_id, item_id, url) if url else no_url_text())


def create_router() -> Router:
    router = Router(name=__name__)
    router.message.register(triggers, Command("triggers"))
    dialog.register(router)
    router.callback_query.register(press_delete,
                                   TriggerCb.filter(F.action == TriggerAction.DELETE))
    return router
