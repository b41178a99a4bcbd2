"""Why a run did not do its work, in words a salesperson understands (both languages).

Kinds add their own reasons (RuleKind.reasons); these are the engine's and the outbox's.
"""

from __future__ import annotations

from typing import Any

from rules.kinds import CATALOGUE
from rules.texts import Bilingual, fill

B = Bilingual
REASONS: dict[str, Bilingual] = {
    "left_stage": B(en="the item left the stage before the rule ran",
                    de="das Element hat die Phase verlassen, bevor die Regel lief"),
    "rule_deleted": B(en="the rule was deleted", de="die Regel wurde gelöscht"),
    "stopped": B(en="automation was stopped by {name}",
                 de="die Automatisierung wurde von {name} gestoppt"),
    "disabled": B(en="the rule is disabled", de="die Regel ist deaktiviert"),
    "condition_false": B(en="condition not met: {explanation}",
                         de="Bedingung nicht erfüllt: {explanation}"),
    "leads_off": B(en="leads are switched off (simple mode)",
                   de="Leads sind ausgeschaltet (einfacher Modus)"),
    "date_field_empty": B(en="the date field {field} is empty",
                          de="das Datumsfeld {field} ist leer"),
    "date_field_invalid": B(en="the field {field} does not hold a date",
                            de="das Feld {field} enthält kein Datum"),
    "template_error": B(en="template {template} line {line}: {detail}",
                        de="Vorlage {template} Zeile {line}: {detail}"),
    "template_not_found": B(en="the template {template} does not exist",
                            de="die Vorlage {template} existiert nicht"),
    "template_unsafe": B(en="template {template} line {line} was stopped: {detail}",
                         de="Vorlage {template} Zeile {line} wurde gestoppt: {detail}"),
    "template_timeout": B(en="template {template} took too long to render and was stopped",
                          de="Vorlage {template} brauchte zu lange und wurde gestoppt"),
    "template_too_big": B(en="template {template} line {line} was stopped: it would make a "
                             "number or a text far too large",
                          de="Vorlage {template} Zeile {line} wurde gestoppt: sie würde eine "
                             "viel zu große Zahl oder einen viel zu langen Text erzeugen"),
    "template_too_large": B(en="the template {template} is too large",
                            de="die Vorlage {template} ist zu groß"),
    "message_too_long": B(en="the text of template {template} is too long ({detail})",
                          de="der Text der Vorlage {template} ist zu lang ({detail})"),
    "blocked": B(en="{who} blocked the bot", de="{who} hat den Bot blockiert"),
    "chat_not_found": B(en="Telegram does not know the chat of {who}",
                        de="Telegram kennt den Chat von {who} nicht"),
    "send_rejected": B(en="Telegram refused the message: {detail}",
                       de="Telegram hat die Nachricht abgelehnt: {detail}"),
    "bad_params": B(en="the rule's settings are not valid: {detail}",
                    de="die Einstellungen der Regel sind ungültig: {detail}"),
    "unknown_kind": B(en="this kind of rule is not known: {kind}",
                      de="diese Art von Regel ist unbekannt: {kind}"),
    "loop_detected": B(en="stopped a loop: automation had already moved the item {depth} "
                          "times in a row",
                       de="Schleife gestoppt: die Automatisierung hatte das Element schon "
                          "{depth}-mal hintereinander verschoben"),
    "internal_error": B(en="an internal error happened (the admin finds it in the log)",
                        de="ein interner Fehler ist aufgetreten (der Admin findet ihn im Log)"),
    "staff_not_found": B(en="staff member {id} is not in the team",
                         de="Mitarbeiter {id} ist nicht im Team"),
    "staff_inactive": B(en="{name} is no longer in the team", de="{name} ist nicht mehr im Team"),
    "team_chat_gone": B(en="the bot is no longer in the team chat {name}",
                        de="der Bot ist nicht mehr im Team-Chat {name}"),
}
WHO = {
    "client": B(en="the client", de="der Kunde"),
    "staff": B(en="{name}", de="{name}"),
    "team": B(en="the team chat {name}", de="der Team-Chat {name}"),
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


def _any_kind(code: str) -> Bilingual | None:
    """A reason of some kind: runs of a deleted rule keep their reason readable."""
    return next((k.reasons[code] for k in CATALOGUE.values() if code in k.reasons), None)
