"""Questions and keyboards of the rule dialog."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.common.formatting import escape
from bot.rules.browse_views import choice_keyboard
from bot.rules.callbacks import DialogCb, Step
from bot.rules.choices import EXECUTIONS, TIMING_PRESETS, kind_list
from bot.rules.rule_text import execution_name, group_name
from crm.i18n import translate
from crm.models import EntityType, Pipeline, Stage, localized
from rules.kinds import by_group


def gone() -> str:
    return _("That choice is no longer available.")


def named_keyboard(step: Step, choices: list[tuple[str, int]], columns: int = 2
                   ) -> InlineKeyboardMarkup:
    buttons: list[tuple[str, CallbackData]] = [
        (label, DialogCb(step=step, value=value)) for label, value in choices]
    return choice_keyboard(buttons, columns=columns)


def types_keyboard(types: list[EntityType], lang: str) -> InlineKeyboardMarkup:
    return named_keyboard(Step.TYPE, [(localized(t, lang), t.position) for t in types])


def pipelines_keyboard(pipelines: list[Pipeline], lang: str) -> InlineKeyboardMarkup:
    return named_keyboard(Step.PIPELINE, [(localized(p, lang), p.id) for p in pipelines], 1)


def stages_keyboard(stages: list[Stage], lang: str) -> InlineKeyboardMarkup:
    return named_keyboard(Step.STAGE, [(localized(s, lang), s.id) for s in stages])


def kinds_text(lang: str) -> str:
    lines = [_("What should the rule do? (/cancel to stop)")]
    for group, kinds in by_group().items():
        lines.append(f"\n<b>{group_name(group)}</b>")
        lines += [f"• {escape(translate(kind.name, lang))}" for kind in kinds]
    return "\n".join(lines)


def kinds_keyboard(lang: str) -> InlineKeyboardMarkup:
    names = [(translate(k.name, lang), i) for i, k in enumerate(kind_list())]
    return named_keyboard(Step.KIND, names, 1)


def execution_keyboard() -> InlineKeyboardMarkup:
    names = [execution_name(e) for e in EXECUTIONS]
    return named_keyboard(Step.EXECUTION, [(n[:1].upper() + n[1:], i)
                                           for i, n in enumerate(names)], 1)


def preset_labels() -> list[str]:
    return [_("Immediately"), _("after 10 minutes"), _("after 1 hour"), _("after 1 day"),
            _("after 3 days"), _("after 7 days")]


def timing_text() -> str:
    return _("When should it run? Choose, or type e.g. “after 2 hours”, “after 30 minutes”, "
             "“at 2026-12-01 09:00” or “1 day before custom.deadline”. (/cancel to stop)")


def timing_keyboard(working_hours_only: bool, responsible_hours: bool = False
                    ) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for index, label in enumerate(preset_labels()[:len(TIMING_PRESETS)]):
        builder.button(text=label, callback_data=DialogCb(step=Step.TIMING, value=index))
    builder.adjust(2)
    builder.row()
    mark = "☑" if working_hours_only else "☐"
    builder.button(text=_("{mark} only in working hours").format(mark=mark),
                   callback_data=DialogCb(step=Step.WORKING_HOURS))
    builder.row()  # value 1: the responsible person's own hours (rules/staff_hours)
    mark = "☑" if responsible_hours else "☐"
    builder.button(text=_("{mark} in the responsible person’s working hours").format(mark=mark),
                   callback_data=DialogCb(step=Step.WORKING_HOURS, value=1))
    return builder.as_markup()


def condition_text() -> str:
    return _("Only for some items? Type a condition, e.g. <code>amount &gt; 15000 and "
             "currency = EUR</code> or <code>contact.email is not empty</code> — or choose "
             "“No condition”. (/cancel to stop)")


def condition_keyboard() -> InlineKeyboardMarkup:
    return choice_keyboard([(_("No condition: always"), DialogCb(step=Step.NO_CONDITION)),
                            (_("🧩 Put it together with buttons"), DialogCb(step=Step.BUILD))],
                           columns=1)


def title_text(suggestion: str) -> str:
    return _("Last question: what should the rule be called? It is shown in /rules and "
             "/status. Type a title, or take the suggestion:\n<b>{title}</b>").format(
        title=escape(suggestion))


def title_keyboard() -> InlineKeyboardMarkup:
    return named_keyboard(Step.TITLE, [(_("✅ Take the suggestion"), 0)])
