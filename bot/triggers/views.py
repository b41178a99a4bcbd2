"""/triggers: the triggers on stages, their webhook URLs, and how to add one."""

from __future__ import annotations

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.common.formatting import escape, localized
from bot.triggers.callbacks import TriggerAction, TriggerCb
from rules.triggers.admin import TriggerView
from rules.triggers.model import TriggerEvent


def event_text(event: TriggerEvent) -> str:
    return {
        TriggerEvent.CLIENT_MESSAGE: _("the client writes"),
        TriggerEvent.WEBHOOK: _("its webhook URL is called"),
        TriggerEvent.ACTIVITY_DONE: _("an activity is marked done"),
    }[event]


def trigger_text(view: TriggerView, language: str, serving: bool) -> str:
    """One trigger; `serving`: whether anything serves webhook URLs (a base URL is known)."""
    line = _("#{id} {type} · {pipeline} → “{stage}” when {event}").format(
        id=view.trigger.id, type=escape(localized(view.entity_type, language)),
        pipeline=escape(localized(view.pipeline, language)),
        stage=escape(localized(view.stage, language)), event=event_text(view.trigger.event))
    if view.trigger.backwards:
        line += " " + _("(also to an earlier stage)")
    if view.trigger.event is TriggerEvent.WEBHOOK:
        line += "\n    " + (_("each item has a URL of its own: /triggers url {id} &lt;item&gt;"
                              ).format(id=view.trigger.id) if serving else no_url_text())
    return line


def triggers_text(views: list[TriggerView], language: str, serving: bool) -> str:
    lines = [_("<b>Triggers</b>: an event moves an item to the trigger's stage, whose rules "
               "then run; never to an earlier stage unless the trigger says so.")]
    shown = [trigger_text(v, language, serving) for v in views]
    lines += shown or [_("No triggers yet.")]
    lines += ["", triggers_usage()]
    return "\n".join(lines)


def no_url_text() -> str:
    return _("(no URL: set TRIGGER_LISTEN_PORT or use webhook mode)")


def item_url_text(trigger_id: int, item_id: int, url: str) -> str:
    return _("URL of trigger #{id} for item #{item} — it moves this item only; give it only "
             "to the system that is to move it:\n<code>{url}</code>").format(
        id=trigger_id, item=item_id, url=escape(url))


def triggers_usage() -> str:
    return _("Add: /triggers add &lt;type&gt; &lt;stage&gt; message|webhook|done [back], "
             "e.g. /triggers add deal won webhook · Delete: /triggers del &lt;number&gt;")


def triggers_keyboard(views: list[TriggerView]) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for view in views:
        builder.button(text=f"🗑 #{view.trigger.id}", callback_data=TriggerCb(
            action=TriggerAction.DELETE, trigger_id=view.trigger.id))
    builder.adjust(4)
    return builder.as_markup()
