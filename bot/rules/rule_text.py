"""Rules in words: one line per rule in a stage's list, and the card of one rule.

Kind names and summaries come from the rules package in both languages; timing and
condition are shown in words the dialog accepts back (timing_words,
format_condition), so what an admin reads is what they can type.
"""

from __future__ import annotations

from typing import Any

from aiogram.utils.i18n import gettext as _
from pydantic import ValidationError

from bot.common.formatting import escape, localized
from crm.i18n import translate
from crm.models import EntityType, Pipeline, Stage
from rules.conditions import format_condition
from rules.kinds import CATALOGUE
from rules.kinds.base import KindGroup
from rules.model import Execution, Rule, Timing, TimingMode
from rules.services.validation import MAX_TITLE
from rules.shipped_titles import shown_title
from rules.timing_words import timing_words

LIMIT = 3900  # Telegram allows 4096 characters; a note may go above the list


def group_name(group: KindGroup) -> str:
    return {
        KindGroup.CLIENT: _("Client communication"),
        KindGroup.PAPERWORK: _("Paperwork"),
        KindGroup.EMPLOYEE: _("Employee work"),
        KindGroup.DATA: _("Data"),
        KindGroup.RECURRING: _("Recurring work"),
        KindGroup.INTEGRATION: _("Integration"),
        KindGroup.FLOW: _("Flow"),
    }.get(group, str(group))


def execution_name(execution: Execution) -> str:
    if execution is Execution.AFTER_PREVIOUS:
        return _("after the previous rule")
    return _("independently of the others")


def kind_summary(kind_code: str, params: dict[str, Any], lang: str) -> str:
    """The kind's own few words on the rule; the bare code for a kind that is gone."""
    kind = CATALOGUE.get(kind_code)
    if kind is None:
        return kind_code
    try:
        return kind.configure(params).summary(lang)
    except ValidationError:
        return translate(kind.name, lang)


def title_suggestion(kind_code: str, params: dict[str, Any], timing: Timing, lang: str) -> str:
    """A new rule's title: what it does (a message by its kind, not its text) and when,
    e.g. "Telegram-Nachricht an den Kunden – nach 2 Stunden"; cut at a word, not in one."""
    kind = CATALOGUE.get(kind_code)
    message = "template" in params or "text" in params
    what = translate(kind.name, lang) if kind and message else kind_summary(kind_code, params,
                                                                           lang)
    if timing.mode is not TimingMode.IMMEDIATELY:
        what += " – " + timing_words(timing, lang)
    if len(what) <= MAX_TITLE:
        return what
    return what[:MAX_TITLE - 1].rsplit(" ", 1)[0].rstrip(" –:,") + "…"


def condition_text(condition: dict[str, Any] | None, lang: str) -> str:
    return format_condition(condition, lang) if condition else _("always")


def rule_line(number: int, rule: Rule, lang: str, summary: str) -> str:
    paused = "⏸ " if not rule.enabled else ""
    lines = [f"{number}. {paused}<b>{escape(shown_title(rule.title, lang))}</b>",
             f"    {escape(summary)}",
             f"    🕒 {escape(timing_words(rule.timing, lang))} · "
             f"{execution_name(rule.execution)}"]
    if rule.condition:
        lines.append("    " + _("if {condition}").format(
            condition=escape(format_condition(rule.condition, lang))))
    return "\n".join(lines)


def where_text(entity_type: EntityType | None, pipeline: Pipeline, stage: Stage,
               lang: str) -> str:
    parts = [localized(entity_type, lang)] if entity_type else []
    parts += [localized(pipeline, lang), localized(stage, lang)]
    return escape(" › ".join(parts))


def stage_rules_text(where: str, rules: list[Rule], lang: str, summaries: dict[int, str]
                     ) -> str:
    head = _("<b>⚙️ Rules of {where}</b>").format(where=where)
    if not rules:
        return head + "\n" + _("No rules yet: items entering this stage trigger nothing.")
    text = head + "\n" + _("They run when an item enters the stage, in this order:")
    for number, rule in enumerate(rules, start=1):
        line = rule_line(number, rule, lang, summaries[rule.id])
        if len(text) + len(line) > LIMIT:
            return text + "\n\n…"
        text += "\n\n" + line
    return text


def rule_card_text(rule: Rule, where: str, number: int, total: int, lang: str,
                   summary: str, note: str = "") -> str:
    state = _("⏸ disabled") if not rule.enabled else _("▶️ enabled")
    lines = [note] if note else []
    lines += [
        f"<b>{escape(shown_title(rule.title, lang))}</b> · {state}",
        _("Where: {where} · position {number} of {total}").format(
            where=where, number=number, total=total),
        _("Does: {summary}").format(summary=escape(summary)),
        _("Runs: {execution}").format(execution=execution_name(rule.execution)),
        _("Time: {timing}").format(timing=escape(timing_words(rule.timing, lang))),
        _("Condition: {condition}").format(
            condition=escape(condition_text(rule.condition, lang))),
    ]
    return "\n".join(lines)
