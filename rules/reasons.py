"""Why a run did not do its work, in words a salesperson understands (both languages).

Kinds add their own reasons (RuleKind.reasons); these are the engine's and the outbox's.
"""

from __future__ import annotations

from typing import Any

from crm.i18n import N_, fill
from rules.kinds import CATALOGUE

REASONS: dict[str, str] = {
    "left_stage": N_("the item left the stage before the rule ran"),
    "rule_deleted": N_("the rule was deleted"),
    "stopped": N_("automation was stopped by {name}"),
    "disabled": N_("the rule is disabled"),
    "condition_false": N_("condition not met: {explanation}"),
    "leads_off": N_("leads are switched off (simple mode)"),
    "date_field_empty": N_("the date field {field} is empty"),
    "date_field_invalid": N_("the field {field} does not hold a date"),
    "template_error": N_("template {template} line {line}: {detail}"),
    "template_not_found": N_("the template {template} does not exist"),
    "template_unsafe": N_("template {template} line {line} was stopped: {detail}"),
    "template_timeout": N_("template {template} took too long to render and was stopped"),
    "template_too_big": N_("template {template} line {line} was stopped: it would make a "
                           "number or a text far too large"),
    "template_too_large": N_("the template {template} is too large"),
    "message_too_long": N_("the text of template {template} is too long ({detail})"),
    "blocked": N_("{who} blocked the bot"),
    "chat_not_found": N_("Telegram does not know the chat of {who}"),
    "send_rejected": N_("Telegram refused the message: {detail}"),
    "bad_params": N_("the rule's settings are not valid: {detail}"),
    "unknown_kind": N_("this kind of rule is not known: {kind}"),
    "loop_detected": N_("stopped a loop: automation had already moved the item {depth} "
                        "times in a row"),
    "internal_error": N_("an internal error happened (the admin finds it in the log)"),
    "staff_not_found": N_("staff member {id} is not in the team"),
    "staff_inactive": N_("{name} is no longer in the team"),
    "team_chat_gone": N_("the bot is no longer in the team chat {name}"),
}
WHO = {
    "client": N_("the client"),
    "staff": N_("{name}"),
    "team": N_("the team chat {name}"),
}


def reason_text(code: str | None, params: dict[str, Any], language: str,
                kind_code: str | None = None) -> str:
    if not code:
        return ""
    kind = CATALOGUE.get(kind_code or "")
    text = (kind.reasons.get(code) if kind else None) or REASONS.get(code) or _any_kind(code)
    if text is None:
        return code
    values = dict(params)
    if "role" in params and "who" not in params:
        who = WHO.get(str(params["role"]), WHO["staff"])
        values["who"] = fill(who, language, params)
    return fill(text, language, values)


def _any_kind(code: str) -> str | None:
    """A reason of some kind: runs of a deleted rule keep their reason readable."""
    return next((k.reasons[code] for k in CATALOGUE.values() if code in k.reasons), None)
