"""The board's answers as JSON-ready dicts, in the reader's language. Plain text throughout:
the page puts every string in with textContent, so nothing is HTML-escaped here.
Pure functions; the automation lines use the same marks and reasons as /status."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from aiogram.utils.i18n import gettext as _

from bot.automation.status import state_text
from bot.board.texts import days_text
from bot.closing.views import reason_name
from bot.common.formatting import localized, moment, money
from bot.lists.views import sums_text
from crm.models import Pipeline, Stage
from crm.services.board import Board, BoardCard, Column, ItemDetails
from crm.services.overview import Totals
from crm.storage.repos.board import Cursor
from rules.services.status import ItemStatus, RuleStatus, Shown

# The board's four marks (the chat's /status shows a few more shades of "not yet").
MARKS = {Shown.EXECUTED: "✅", Shown.FAILED: "❌", Shown.QUEUED: "⏳", Shown.WAITING: "⏳",
         Shown.WAITING_PREVIOUS: "⏳", Shown.WAITING_TELEGRAM: "⏳", Shown.SENDING: "⏳"}
CURSOR_SEPARATOR = "~"


def cursor_text(cursor: Cursor | None) -> str | None:
    return None if cursor is None else f"{cursor.entered}{CURSOR_SEPARATOR}{cursor.item_id}"


def parse_cursor(text: str | None) -> Cursor | None:
    """A cursor the page sends back; ValueError when it is not one of ours."""
    if not text:
        return None
    entered, separator, item_id = text.rpartition(CURSOR_SEPARATOR)
    if not separator or not item_id.isdigit() or len(item_id) > 18:
        raise ValueError(text)
    datetime.fromisoformat(entered)  # raises ValueError when it is not a time
    return Cursor(entered, int(item_id))


def stage_json(stage: Stage, language: str) -> dict[str, Any]:
    return {"id": stage.id, "name": localized(stage, language), "kind": stage.kind.value}


def pipeline_json(pipeline: Pipeline, language: str) -> dict[str, Any]:
    return {"id": pipeline.id, "name": localized(pipeline, language),
            "type_code": pipeline.type_code}


def card_json(card: BoardCard, now: datetime, language: str) -> dict[str, Any]:
    item = card.item
    days = max((now - item.stage_entered_at).days, 0)
    return {
        "id": item.id, "title": item.title,
        "amount": None if item.amount is None else money(item.amount, item.currency, language),
        "contact": card.contact, "responsible": card.responsible,
        "days_in_stage": days, "days_text": days_text(days, language),
        "automation_failed": card.automation_failed, "version": item.version,
        "stage_id": item.stage_id, "closed": item.closed,
    }


def sum_text(totals: Totals, language: str) -> str:
    return sums_text(totals, language) if totals.sums else ""


def column_json(column: Column, now: datetime, language: str) -> dict[str, Any]:
    return {"stage": stage_json(column.stage, language), "count": column.totals.count,
            "sum": sum_text(column.totals, language),
            "cards": [card_json(c, now, language) for c in column.cards],
            "more": column.next is not None, "next": cursor_text(column.next)}


def board_json(board: Board, now: datetime, language: str) -> dict[str, Any]:
    return {"pipeline": pipeline_json(board.pipeline, language), "capped": board.capped,
            "columns": [column_json(c, now, language) for c in board.columns]}


def rule_json(rule: RuleStatus, language: str, timezone: str) -> dict[str, str]:
    return {"mark": MARKS.get(rule.shown, "⚪"),
            "text": f"{rule.title} – {state_text(rule, language, timezone)}"}


def automation_json(status: ItemStatus, language: str, timezone: str) -> list[dict[str, str]]:
    lines = [rule_json(rule, language, timezone) for rule in status.current]
    if status.stop is not None:
        lines.insert(0, {"mark": "⏹", "text": _("Automation is stopped for this item in "
                                                "this stage.")})
    return lines


def details_json(details: ItemDetails, status: ItemStatus, chat_link: str, language: str,
                 timezone: str) -> dict[str, Any]:
    card, item = details.card, details.card.item
    fields = [(_("Amount"), money(item.amount, item.currency, language)),
              (_("Responsible"), card.responsible.name if card.responsible else "—")]
    if card.company:
        fields.append((_("Company"), card.company.name))
    if item.source:
        fields.append((_("Source"), item.source))
    fields += [(product.name, money(product.total, item.currency, language))
               for product in item.products]
    fields += [(str(name), str(value)) for name, value in sorted(item.custom.items())]
    if item.lost_reason:
        fields.append((_("Lost reason"), reason_name(item.lost_reason, language)))
    contact = card.contact
    return {
        "id": item.id, "title": item.title, "stage": localized(card.stage, language),
        "stage_id": item.stage_id, "version": item.version,
        "pipeline": localized(card.pipeline, language),
        "fields": [{"label": label, "value": value} for label, value in fields],
        "contact": None if contact is None else " · ".join(
            part for part in (contact.name, contact.phone, contact.email) if part),
        "history": history_json(details, language, timezone),
        "automation": automation_json(status, language, timezone),
        "chat_link": chat_link,
    }


def history_json(details: ItemDetails, language: str, timezone: str) -> list[dict[str, str]]:
    card = details.card
    lines = []
    for change in card.history:
        to, source = card.stage_by_id(change.to_stage_id), card.stage_by_id(change.from_stage_id)
        who = details.names.get(change.by_user_id or 0, _("automation"))
        target = localized(to, language) if to else "?"
        text = (_("created in “{stage}” by {who}").format(stage=target, who=who)
                if source is None else
                _("{source} → {stage} by {who}").format(
                    source=localized(source, language), stage=target, who=who))
        lines.append({"at": moment(change.at, language, timezone), "text": text})
    return lines
