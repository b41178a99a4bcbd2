"""Questions and keyboards of the dialog that adds a trigger."""

from __future__ import annotations

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.common.formatting import escape
from bot.triggers.callbacks import DialogStep, TriggerDialogCb
from bot.triggers.views import event_text, field_text
from crm.models import EntityType, Pipeline, Stage, localized
from crm.services.item_edits import PROBABILITY
from rules.triggers.model import TriggerEvent

EVENT_CHOICES = (TriggerEvent.FIELD_CHANGED, TriggerEvent.RESPONSIBLE_CHANGED,
                 TriggerEvent.CLIENT_MESSAGE, TriggerEvent.ACTIVITY_DONE, TriggerEvent.WEBHOOK)
FIELD_CHOICES = ("amount", "title", "currency", PROBABILITY)
MAX_LABEL = 60


def _keyboard(step: DialogStep, choices: list[tuple[str, int]], columns: int = 2
              ) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for label, value in choices:
        builder.button(text=label[:MAX_LABEL], callback_data=TriggerDialogCb(step=step,
                                                                             value=value))
    builder.adjust(columns)
    return builder.as_markup()


def type_question() -> str:
    return _("New trigger: for which type? (/cancel to stop)")


def types_keyboard(types: list[EntityType], lang: str) -> InlineKeyboardMarkup:
    return _keyboard(DialogStep.TYPE, [(localized(t, lang), t.position) for t in types])


def pipeline_question() -> str:
    return _("Which pipeline?")


def pipelines_keyboard(pipelines: list[Pipeline], lang: str) -> InlineKeyboardMarkup:
    return _keyboard(DialogStep.PIPELINE, [(localized(p, lang), p.id) for p in pipelines], 1)


def stage_question() -> str:
    return _("The trigger moves an item into a stage (its rules then run). Into which stage?")


def stages_keyboard(stages: list[Stage], lang: str) -> InlineKeyboardMarkup:
    return _keyboard(DialogStep.STAGE, [(localized(s, lang), s.id) for s in stages])


def event_question(stage: str) -> str:
    return _("An item moves into “{stage}” when …").format(stage=escape(stage))


def events_keyboard() -> InlineKeyboardMarkup:
    return _keyboard(DialogStep.EVENT, [(_("… {event}").format(event=event_text(e)), i)
                                        for i, e in enumerate(EVENT_CHOICES)], 1)


def field_question() -> str:
    return _("Which field? Choose one, or type the name of a custom field, e.g. "
             "<code>custom.region</code>.")


def fields_keyboard(lang: str) -> InlineKeyboardMarkup:
    return _keyboard(DialogStep.FIELD, [(field_text(f, lang), i)
                                        for i, f in enumerate(FIELD_CHOICES)])


def value_question(field: str) -> str:
    return _("Should any change of “{field}” count, or only a change to one value? Type the "
             "value, e.g. <code>5000</code> – or choose “Any change”.").format(
        field=escape(field))


def value_keyboard() -> InlineKeyboardMarkup:
    return _keyboard(DialogStep.ANY_VALUE, [(_("Any change"), 0)])


def condition_question() -> str:
    return _("Only for some items? Type a condition, e.g. <code>amount &gt; 15000</code> or "
             "<code>contact.email is not empty</code>; it is checked when the event happens, "
             "and the trigger does nothing while it is false. Or choose “No condition”.")


def condition_keyboard() -> InlineKeyboardMarkup:
    return _keyboard(DialogStep.NO_CONDITION, [(_("No condition: always"), 0)])


def backwards_question() -> str:
    return _("May it also move an item back from a later stage?")


def backwards_keyboard() -> InlineKeyboardMarkup:
    return _keyboard(DialogStep.BACKWARDS, [(_("No, only forward"), 0),
                                            (_("Yes, also back"), 1)])


def gone() -> str:
    return _("That choice is no longer available.")
