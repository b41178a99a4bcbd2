"""Composing one person's digest from the database, in their language (Telegram HTML)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from html import escape
from zoneinfo import ZoneInfo

from babel.dates import format_date

from crm.i18n import N_, babel_locale, dash, translate
from crm.models import Activity, Staff, Stage, localized
from crm.storage.unit_of_work import UnitOfWork
from rules.activity_texts import KIND_ICONS, when
from rules.ports import Button
from rules.reasons import reason_text
from rules.storage.digest_repo import DigestItem
from rules.storage.unit import repos

HELLO = N_("☀️ Good morning, {name}! Your day, {day}:")
FAILED = N_("⚠️ <b>Automation failed</b>")
WAITING = N_("⏳ <b>Waiting longest</b>")
IN_STAGE = N_("in “{stage}” since {since}")
DUE_TODAY = N_("📅 <b>Activities due today</b>")
OVERDUE = N_("overdue")
MAX_BUTTONS = 12


@dataclass(slots=True)
class Digest:
    text: str
    buttons: list[list[Button]] = field(default_factory=list)
    empty: bool = True


async def compose(uow: UnitOfWork, staff: Staff, now: datetime, language: str,
                  timezone: str) -> Digest:
    zone = ZoneInfo(timezone)
    today = now.astimezone(zone).date()
    repo = repos(uow).digest
    failed = await repo.failed_automation(staff.user_id)
    waiting = await repo.waiting_longest(staff.user_id)
    end_of_day = datetime.combine(today + timedelta(days=1), time(0), zone)
    due = await uow.activities.due_for_assignee(staff.user_id, end_of_day)
    stages = {s.id: s for s in await uow.catalog.all_stages()}
    lines = [translate(HELLO, language, name=escape(staff.name), day=_day(today, language))]
    if failed:
        lines += ["", translate(FAILED, language)]
        lines += [_failed_line(item, language) for item in failed]
    if waiting:
        lines += ["", translate(WAITING, language)]
        lines += [_waiting_line(item, stages.get(item.stage_id), language, zone)
                  for item in waiting]
    titles: dict[int, str] = {i.item_id: i.title for i in failed + waiting}
    if due:
        lines += ["", translate(DUE_TODAY, language)]
        for activity in due:
            item = await uow.items.get(activity.item_id, with_products=False)
            title = item.title if item else "?"
            titles.setdefault(activity.item_id, title)
            lines.append(_activity_line(activity, title, now, language, timezone))
    buttons = [Button(_short(f"#{item_id} {title}"), item_id=item_id)
               for item_id, title in list(titles.items())[:MAX_BUTTONS]]
    rows = [buttons[i:i + 2] for i in range(0, len(buttons), 2)]
    return Digest("\n".join(lines), rows, empty=not (failed or waiting or due))


def _failed_line(item: DigestItem, language: str) -> str:
    why = "; ".join(
        f"{escape(run.rule_title)}: "
        f"{escape(reason_text(run.reason_code, run.reason_params, language, run.rule_kind))}"
        for run in item.failed)
    return f"• #{item.item_id} {escape(item.title)}{dash(language)}{why}"


def _waiting_line(item: DigestItem, stage: Stage | None, language: str, zone: ZoneInfo) -> str:
    since = _day(item.stage_entered_at.astimezone(zone).date(), language)
    where = translate(IN_STAGE, language,
                      stage=escape(localized(stage, language)) if stage else "?", since=since)
    return f"• #{item.item_id} {escape(item.title)}{dash(language)}{where}"


def _activity_line(activity: Activity, title: str, now: datetime, language: str,
                   timezone: str) -> str:
    assert activity.deadline is not None  # only dated activities are due
    moment = when(activity.deadline, language, timezone)
    late = f" ({translate(OVERDUE, language)})" if activity.deadline < now else ""
    icon = KIND_ICONS.get(activity.kind, "📋")
    return (f"• {moment}{late} {icon} {escape(activity.subject)}{dash(language)}"
            f"#{activity.item_id} {escape(title)}")


def _day(day: date, language: str) -> str:
    return str(format_date(day, "medium", locale=babel_locale(language)))


def _short(text: str, limit: int = 32) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"
