"""The rules package's errors as sentences: a condition that cannot be read (with where),
a template that does not render (template, line, detail), settings that are not valid,
a rules file with problems (every one with its line)."""

from __future__ import annotations

from typing import Any

from aiogram.utils.i18n import gettext as _

from bot.common.formatting import escape
from crm.errors import AppError
from rules.reasons import reason_text
from rules.yaml_io import problem_text

MAX_LISTED = 30


def condition_reason(reason: str, token: str) -> str:
    token = escape(token)
    return {
        "empty_condition": _("the condition is empty"),
        "unexpected_character": _("I did not expect the character “{token}”"),
        "unclosed_quote": _("a quote is opened but not closed"),
        "unknown_field": _("“{token}” is not a field I know"),
        "expected_operator": _("a comparison is missing (=, !=, >, >=, <, <=, contains, "
                               "is empty, in, between)"),
        "missing_value": _("a value is missing"),
        "expected_and": _("“between” needs two values joined by “and”"),
        "unclosed_parenthesis": _("a parenthesis is opened but not closed"),
        "unexpected_token": _("I did not expect “{token}” here"),
        "not_a_number": _("“{token}” is not a number"),
        "not_a_date": _("“{token}” is not a date (write e.g. 2026-12-01)"),
    }.get(reason, _("the condition is not valid")).format(token=token)


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


def template_problem_text(params: dict[str, Any], lang: str) -> str:
    values = {"template": params.get("value") or "inline", "line": params.get("line") or "?",
              "detail": params.get("detail") or ""}
    reason = reason_text(str(params.get("reason") or "template_error"), values, lang)
    return _("⚠️ The template does not work: {reason}").format(reason=escape(reason))


def rule_invalid_text(params: dict[str, Any]) -> str:
    field = params.get("field")
    if field == "timing":
        return _("I could not read the time “{value}”. Write e.g. immediately, after 10 minutes, "
                 "nach 2 Stunden, at 2026-12-01 09:00 or 1 day before custom.deadline; add "
                 "“, in working hours” to keep it within working hours.").format(
            value=escape(str(params.get("value") or "")))
    if field == "kind":
        return _("This kind of rule is not known: {kind}").format(
            kind=escape(str(params.get("value") or "")))
    problems = [f"• {escape(str(e.get('field')))}: {escape(str(e.get('reason')))}"
                for e in params.get("errors") or []]
    return "\n".join([_("These settings are not valid:"), *problems[:MAX_LISTED]])


def file_errors_text(errors: list[dict[str, Any]], lang: str) -> str:
    lines = [_("❌ The file was not imported — nothing was changed. Please fix:")]
    for error in errors[:MAX_LISTED]:
        lines.append(_("• line {line}, {field}: {reason}").format(
            line=error.get("line"), field=escape(str(error.get("field"))),
            reason=escape(problem_text(error, lang))))
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
        return rule_invalid_text(params)
    if error.code == "invalid_rules_file":
        return file_errors_text(list(params.get("errors") or []), lang)
    if error.code == "not_found" and params.get("what") == "team_chat":
        return _("The bot is not in that team chat (any more).")
    return None
