"""/triggers: list, add and delete triggers (the settings right, checked by the service)."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command, CommandObject
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _

from bot.common.replies import edit_or_send, parse_item_id, usage
from bot.triggers.callbacks import TriggerCb
from bot.triggers.http import TriggerHooks
from bot.triggers.views import (
    item_url_text,
    no_url_text,
    trigger_text,
    triggers_keyboard,
    triggers_text,
)
from crm.models import Staff
from rules.triggers.model import TriggerEvent
from rules.workflow import Workflow

EVENTS = {"message": TriggerEvent.CLIENT_MESSAGE, "nachricht": TriggerEvent.CLIENT_MESSAGE,
          "webhook": TriggerEvent.WEBHOOK, "done": TriggerEvent.ACTIVITY_DONE,
          "erledigt": TriggerEvent.ACTIVITY_DONE}
BACK = {"back", "backwards", "zurück"}


def parse_add(words: list[str]) -> tuple[str, str, TriggerEvent, bool] | None:
    """`<type> <stage words…> <event> [back]` → (type, stage, event, backwards)."""
    back = bool(words) and words[-1].lower() in BACK
    words = words[:-1] if back else words
    if len(words) < 3 or words[-1].lower() not in EVENTS:
        return None
    return words[0], " ".join(words[1:-1]), EVENTS[words[-1].lower()], back


def parse_url(words: list[str]) -> tuple[int, int] | None:
    """`<trigger> <item>` → (trigger id, item id)."""
    ids = [parse_item_id(word) for word in words]
    return (ids[0], ids[1]) if len(ids) == 2 and ids[0] and ids[1] else None


async def triggers(message: Message, command: CommandObject, workflow: Workflow,
                   trigger_hooks: TriggerHooks, staff: Staff, lang: str) -> None:
    words = (command.args or "").split()
    action = words[0].lower() if words else ""
    if action == "add" and (parsed := parse_add(words[1:])):
        view = await workflow.trigger_admin.add_named(staff, *parsed)
        await message.answer(_("Trigger added:") + "\n" + trigger_text(
            view, lang, trigger_hooks.base_url is not None))
    elif action == "url" and (pair := parse_url(words[1:])):
        await send_url(message, workflow, trigger_hooks, staff, *pair)
    elif action == "url":
        await usage(message, _("/triggers url <trigger number> <item number>"))
    elif action in ("del", "delete") and (trigger_id := parse_item_id(" ".join(words[1:]))):
        await workflow.trigger_admin.delete(staff, trigger_id)
        await message.answer(_("Trigger #{id} deleted.").format(id=trigger_id))
    elif action in ("add", "del", "delete"):
        await usage(message, _("/triggers add <type> <stage> message|webhook|done [back] · "
                               "/triggers del <number>"))
    else:
        views = await workflow.trigger_admin.list(staff, action or None)
        await message.answer(triggers_text(views, lang, trigger_hooks.base_url is not None),
                             reply_markup=triggers_keyboard(views))


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
    router.callback_query.register(press_delete, TriggerCb.filter())
    return router
