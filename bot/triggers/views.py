"""/triggers: the triggers on stages, their webhook URLs, and how to add one."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder
from babel.numbers import format_decimal

from bot.common.formatting import escape, localized
from bot.triggers.callbacks import TriggerAction, TriggerCb
from crm.i18n import babel_locale
from crm.services.item_edits import PROBABILITY
from rules.conditions import format_condition
from rules.conditions.fields import field_label
from rules.triggers.admin import TriggerView
from rules.triggers.model import Trigger, TriggerEvent


def event_text(event: TriggerEvent) -> str:
    return {
        TriggerEvent.CLIENT_MESSAGE: _("the client writes"),
        TriggerEvent.WEBHOOK: _("its webhook URL is called"),
        TriggerEvent.ACTIVITY_DONE: _("an activity is marked done"),
        TriggerEvent.FIELD_CHANGED: _("a field changes"),
        TriggerEvent.RESPONSIBLE_CHANGED: _("someone else becomes responsible"),
    }[event]


def field_text(field: str, language: str) -> str:
    """A field a trigger watches, by its label: “Betrag”, “custom.region”."""
    if field == PROBABILITY:
        return _("probability")
    if field.startswith("custom."):
        return field
    return field_label("item." + field, language)


def value_text(field: str, value: str, language: str) -> str:
    """A watched value as the reader writes it: an amount as a number of their language."""
    if field != "amount":
        return value
    try:
        return str(format_decimal(Decimal(value), locale=babel_locale(language)))
    except InvalidOperation:
        return value


def trigger_event_text(trigger: Trigger, language: str) -> str:
    """What the trigger waits for: “Betrag changes to 5.000”, “the client writes”."""
    if trigger.event is TriggerEvent.FIELD_CHANGED and trigger.field:
        field = escape(field_text(trigger.field, language))
        if trigger.value is None:
            return _("“{field}” changes").format(field=field)
        return _("“{field}” changes to “{value}”").format(
            field=field, value=escape(value_text(trigger.field, trigger.value, language)))
    return event_text(trigger.event)


def trigger_text(view: TriggerView, language: str, serving: bool) -> str:
    """One trigger; `serving`: whether anything serves webhook URLs (a base URL is known)."""
    line = _("#{id} {type} · {pipeline} → “{stage}” when {event}").format(
        id=view.trigger.id, type=escape(localized(view.entity_type, language)),
        pipeline=escape(localized(view.pipeline, language)),
        stage=escape(localized(view.stage, language)),
        event=trigger_event_text(view.trigger, language))
    if view.trigger.condition:
        line += " " + _("and only if {condition}").format(
            condition=f"<code>{escape(format_condition(view.trigger.condition, language))}</code>")
    if view.trigger.backwards:
        line += " " + _("(also to an earlier stage)")
    if view.trigger.event is TriggerEvent.WEBHOOK:
        line += "\n    " + (_("each item has a URL of its own: /triggers url {id} &lt;item&gt;"
                              ).format(id=view.trigger.id) if serving else no_url_text())
    return line


def triggers_text(views: list[TriggerView], language: str, serving: bool) -> str:
    lines = [_("<b>Triggers</b>: an event moves an item to the trigger's stage, whose rules "
               "then run; never to an earlier stage unless the trigger says so. A trigger "
               "with a condition does nothing when the condition is false for the item.")]
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
    return _("Add with buttons: /triggers new · or typed: /triggers add &lt;type&gt; "
             "&lt;stage&gt; message|webhook|done|responsible|field &lt;field&gt; [= &lt;value&gt;] "
             "[back] [if &lt;condition&gt;], e.g. /triggers add deal won field amount = 5000 "
             "if currency = EUR · Delete: /triggers del &lt;number&gt;")


def triggers_keyboard(views: list[TriggerView]) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for view in views:
        builder.button(text=f"🗑 #{view.trigger.id}", callback_data=TriggerCb(
            action=TriggerAction.DELETE, trigger_id=view.trigger.id))
    builder.adjust(4)
    builder.row(InlineKeyboardButton(text=_("➕ New trigger"), callback_data=TriggerCb(
        action=TriggerAction.NEW, trigger_id=0).pack()))
    return builder.as_markup()
