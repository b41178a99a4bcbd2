"""Problems with a rule in plain words of the user's language, never Python's: a setting
that is not valid (by pydantic's error type, or our own message id), a template detail
from Jinja ("'crm.models.Item object' has no attribute 'x'"), and one problem of a rules
file with its line."""

from __future__ import annotations

import re
from typing import Any

from aiogram.utils.i18n import gettext as _

from bot.common.formatting import escape
from crm.i18n import SafeParams, fill, translate
from rules.reasons import reason_text
from rules.yaml_io import problem_text

_NO_ATTRIBUTE = re.compile(r"^'(?:[\w.]*\.)?(\w+) object' has no attribute '(\w+)'$")
_UNDEFINED = re.compile(r"^'(\w+)' is undefined$")


def _setting_words() -> dict[str, str]:
    return {
        "missing": _("is missing"),
        "extra_forbidden": _("is not a setting of this kind of rule"),
        "literal_error": _("must be one of: {expected}"),
        "enum": _("must be one of: {expected}"),
        "int_parsing": _("must be a whole number"),
        "int_type": _("must be a whole number"),
        "string_type": _("must be a text"),
        "string_too_short": _("must not be empty"),
        "string_too_long": _("is too long (at most {max_length} characters)"),
        "string_pattern_mismatch": _("is not written as expected"),
        "greater_than_equal": _("must be at least {ge}"),
        "less_than_equal": _("must be at most {le}"),
        "bool_parsing": _("must be true or false"),
        "list_type": _("must be a list"),
        "too_long": _("has too many entries (at most {max_length})"),
    }


def setting_problem(error: dict[str, Any], lang: str) -> str:
    """What is wrong with one setting (`error` as rules.services.validation makes it)."""
    kind = str(error.get("type") or "")
    values = dict(error.get("values") or {})
    if kind == "reason":  # our own reason, a message id with its values
        return fill(str(error.get("message")), lang, values)
    if kind == "value_error":  # a params model's check; its message is a message id
        return translate(str(error.get("reason")).removeprefix("Value error, "), lang)
    words = _setting_words().get(kind)
    if words is None:
        return str(error.get("reason"))
    values["expected"] = str(values.get("expected", "")).replace("' or '", "', '")
    return words.format_map(SafeParams(values))


def setting_line(error: dict[str, Any], lang: str) -> str:
    field = str(error.get("field") or "params")
    problem = escape(setting_problem(error, lang))
    if field == "params":  # the settings as a whole
        return problem
    return _("“{field}”: {problem}").format(field=escape(field), problem=problem)


def template_detail(detail: str) -> str:
    """Jinja's words on a template that does not render, as a sentence."""
    if found := _NO_ATTRIBUTE.match(detail):
        owner = {"Item": _("the item"), "Contact": _("the contact"),
                 "Company": _("the company"), "Staff": _("the responsible person")
                 }.get(found.group(1), _("this value"))
        return _("{owner} has no field “{name}”").format(owner=owner, name=found.group(2))
    if found := _UNDEFINED.match(detail):
        return _("“{name}” is not a placeholder I know (item, contact, company, responsible, "
                 "stage …)").format(name=found.group(1))
    return _syntax(detail) or detail


def _syntax(detail: str) -> str | None:
    """Jinja's syntax errors (the template does not compile) in words."""
    lower = detail.lower()
    if lower.startswith("unexpected end of template"):
        return _("a placeholder {{ … }} or a tag {% … %} is not closed")
    if found := re.match(r"^(?:unexpected '(.+)'|expected token '.+', got '(.+)')$", detail):
        return _("“{token}” does not belong there").format(
            token=found.group(1) or found.group(2)) + " " + _("(Is every placeholder closed "
                                                             "with }}?)")
    if found := re.match(r"^Encountered unknown tag '(\w+)'", detail):
        return _("“{name}” is not a tag I know").format(name=found.group(1))
    if found := re.match(r"^No filter named '(\w+)'", detail):
        return _("there is no filter “{name}” (filters: money, date, datetime …)").format(
            name=found.group(1))
    if lower.startswith("expected an expression"):
        return _("a placeholder {{ }} is empty")
    return None


def file_problem(error: dict[str, Any], lang: str) -> str:
    """One problem of a rules file (see rules.services.rules_file and rules.yaml_io)."""
    if error.get("setting"):
        return setting_line(error["setting"], lang)
    found = error.get("error")
    if found:
        return rule_problem(str(found.get("code")), dict(found.get("params") or {}), lang)
    field = escape(str(error.get("field")))
    if error.get("code") == "unknown_field":
        return _("“{field}” is not part of a rule (a rule has key, type, pipeline, stage, "
                 "title, kind, params, execution, timing, condition, enabled)").format(
            field=field)
    if error.get("code") == "missing":
        return _("“{field}” is missing").format(field=field)
    return escape(problem_text(error, lang))


def rule_problem(code: str, params: dict[str, Any], lang: str) -> str:
    value = escape(str(params.get("value") or ""))
    field, what = params.get("field"), params.get("what")
    if code == "invalid_rule" and field == "kind":
        return _("There is no such kind of rule: “{kind}”").format(kind=value)
    if code == "invalid_rule" and field == "timing":
        return _("the time “{value}” cannot be read (write e.g. after 10 minutes or nach 2 "
                 "Stunden)").format(value=value)
    if code == "invalid_rule" and field == "execution":
        return _("“{value}” is not a way to run (write independent or after_previous)").format(
            value=value)
    if code == "invalid_template":
        return template_problem_text(params, lang)
    if code == "invalid_condition":
        reason = condition_reason(str(params.get("reason")), str(params.get("token") or ""))
        return _("the condition cannot be read at position {position}: {reason}").format(
            position=params.get("position") or 0, reason=reason)
    ref = escape(str(params.get("ref") or ""))
    if code == "not_found":
        return {"stage": _("there is no stage “{ref}”"), "type": _("there is no type “{ref}”"),
                "pipeline": _("there is no pipeline “{ref}”"),
                "staff": _("there is no team member {ref}"),
                "team_chat": _("the bot is not in the team chat {ref}")}.get(
            str(what), _("“{ref}” was not found")).format(ref=ref)
    return _("the rule's settings are not valid")


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


def template_problem_text(params: dict[str, Any], lang: str) -> str:
    values = {"template": params.get("value") or "inline", "line": params.get("line") or "?",
              "detail": template_detail(str(params.get("detail") or ""))}
    reason = reason_text(str(params.get("reason") or "template_error"), values, lang)
    return _("⚠️ The template does not work: {reason}").format(reason=escape(reason))
