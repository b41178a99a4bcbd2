"""Why a run did not do its work, in words a salesperson understands (both languages).

Every reason is a member of rules.reason_codes.Reason (stored by its value). Kinds add the
words for their own reasons (RuleKind.reasons); these are the engine's and the outbox's.
"""

from __future__ import annotations

from typing import Any

from crm.i18n import N_, fill
from rules.kinds import CATALOGUE
from rules.reason_codes import Reason

REASONS: dict[Reason, str] = {
    Reason.LEFT_STAGE: N_("the item left the stage before the rule ran"),
    Reason.RULE_DELETED: N_("the rule was deleted"),
    Reason.STOPPED: N_("automation was stopped by {name}"),
    Reason.DISABLED: N_("the rule is disabled"),
    Reason.CONDITION_FALSE: N_("condition not met: {explanation}"),
    Reason.LEADS_OFF: N_("leads are switched off (simple mode)"),
    Reason.DATE_FIELD_EMPTY: N_("the date field {field} is empty"),
    Reason.DATE_FIELD_INVALID: N_("the field {field} does not hold a date"),
    Reason.TEMPLATE_ERROR: N_("template {template} line {line}: {detail}"),
    Reason.TEMPLATE_NOT_FOUND: N_("the template {template} does not exist"),
    Reason.TEMPLATE_UNSAFE: N_("template {template} line {line} was stopped: {detail}"),
    Reason.TEMPLATE_TIMEOUT: N_("template {template} took too long to render and was stopped"),
    Reason.TEMPLATE_TOO_BIG: N_("template {template} line {line} was stopped: it would make a "
                                "number or a text far too large"),
    Reason.TEMPLATE_TOO_LARGE: N_("the template {template} is too large"),
    Reason.MESSAGE_TOO_LONG: N_("the text of template {template} is too long ({detail})"),
    Reason.BLOCKED: N_("{who} blocked the bot"),
    Reason.CHAT_NOT_FOUND: N_("Telegram does not know the chat of {who}"),
    Reason.SEND_REJECTED: N_("Telegram refused the message: {detail}"),
    Reason.BAD_PARAMS: N_("the rule's settings are not valid: {detail}"),
    Reason.UNKNOWN_KIND: N_("this kind of rule is not known: {kind}"),
    Reason.LOOP_DETECTED: N_("stopped a loop: automation had already moved the item {depth} "
                             "times in a row"),
    Reason.INTERNAL_ERROR: N_("an internal error happened (the admin finds it in the log)"),
    Reason.STAFF_NOT_FOUND: N_("staff member {id} is not in the team"),
    Reason.STAFF_INACTIVE: N_("{name} is no longer in the team"),
    Reason.TEAM_CHAT_GONE: N_("the bot is no longer in the team chat {name}"),
}
WHO = {
    "client": N_("the client"),
    "staff": N_("{name}"),
    "team": N_("the team chat {name}"),
}


def reason_text(code: str | None, params: dict[str, Any], language: str,
                kind_code: str | None = None) -> str:
    """The words for a reason: a Reason, or a stored code read back into one (a code no
    Reason names, written by an older version, is shown as it is)."""
    if not code:
        return ""
    reason = Reason.read(code)
    if reason is None:
        return code
    kind = CATALOGUE.get(kind_code or "")
    text = (kind.reasons.get(reason) if kind else None) or REASONS.get(reason) or \
        _any_kind(reason)
    if text is None:
        return code
    values = dict(params)
    if "role" in params and "who" not in params:
        who = WHO.get(str(params["role"]), WHO["staff"])
        values["who"] = fill(who, language, params)
    return fill(text, language, values)


def _any_kind(reason: Reason) -> str | None:
    """A reason of some kind: runs of a deleted rule keep their reason readable."""
    return next((k.reasons[reason] for k in CATALOGUE.values() if reason in k.reasons), None)
