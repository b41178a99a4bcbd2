"""The rules package's errors as sentences: a condition that cannot be read (with where),
a template that does not render (template, line, detail), settings that are not valid,
a rules file with problems (every one with its line)."""

from __future__ import annotations

from typing import Any

from aiogram.types import Message
from aiogram.utils.i18n import gettext as _

from bot.common.formatting import escape
from bot.rules.problem_words import (
    condition_reason,
    file_problem,
    setting_line,
    template_problem_text,
)
from crm.errors import AppError
from rules.conditions import parse_condition
from rules.errors import ConditionError

MAX_LISTED = 30


def condition_error_text(params: dict[str, Any], typed: str | None = None) -> str:
    position = int(params.get("position") or 0)
    reason = condition_reason(str(params.get("reason")), str(params.get("token") or ""))
    text = _("I could not read the condition at position {position}: {reason}.").format(
        position=position, reason=reason)
    if typed and 0 < position <= len(typed) + 1:
        text += f"\n<pre>{escape(typed)}\n{' ' * (position - 1)}^</pre>"
    return text + "\n" + _("Fields: amount, currency, title, source, products, contact.name, "
                           "contact.email, company.name, responsible.name, custom.&lt;name&gt; "
                           "… e.g. <code>amount &gt; 15000 and currency = EUR</code>")


async def typed_condition_or_none(message: Message) -> dict[str, Any] | None:
    """The condition the user typed (a rule's or a trigger's); None after telling them what
    could not be read, so that they type it again or choose “No condition”."""
    text = message.text or ""
    try:
        return parse_condition(text)
    except ConditionError as error:
        await message.answer(condition_error_text(error.params, text) + "\n"
                             + _("Please try again, or choose “No condition”."))
        return None


def rule_invalid_text(params: dict[str, Any], lang: str) -> str:
    field = params.get("field")
    if field == "timing":
        return _("I could not read the time “{value}”. Write e.g. immediately, after 10 minutes, "
                 "nach 2 Stunden, at 2026-12-01 09:00 or 1 day before custom.deadline; add "
                 "“, in working hours” to keep it within working hours.").format(
            value=escape(str(params.get("value") or "")))
    if field == "kind":
        return _("This kind of rule is not known: {kind}").format(
            kind=escape(str(params.get("value") or "")))
    problems = [f"• {setting_line(e, lang)}" for e in params.get("errors") or []]
    return "\n".join([_("These settings are not valid:"), *problems[:MAX_LISTED]])


def file_errors_text(errors: list[dict[str, Any]], lang: str) -> str:
    lines = [_("❌ The file was not imported — nothing was changed. Please fix:")]
    for error in errors[:MAX_LISTED]:
        reason = file_problem(error, lang)
        lines.append(_("• line {line}: {reason}").format(
            line=error.get("line"), reason=reason[:1].upper() + reason[1:]))
    if len(errors) > MAX_LISTED:
        lines.append(_("… and {count} more.").format(count=len(errors) - MAX_LISTED))
    return "\n".join(lines)


def rules_error_text(error: AppError, lang: str) -> str | None:
    """The sentence for an error of the rules package; None for anything else."""
    params = error.params
    if error.code == "invalid_condition":
        return condition_error_text(params)
    if error.code == "invalid_template":
        return template_problem_text(params, lang)
    if error.code == "invalid_rule":
        return rule_invalid_text(params, lang)
    if error.code == "invalid_rules_file":
        return file_errors_text(list(params.get("errors") or []), lang)
    if error.code == "not_found" and params.get("what") == "team_chat":
        return _("The bot is not in that team chat (any more).")
    return None
