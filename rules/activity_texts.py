"""What staff read about activities, in both languages: the message that assigns one, the
reminder when it is overdue, its "done" button. Plain text with Telegram HTML; every value
from the database or a template is escaped here."""

from __future__ import annotations

from datetime import datetime, timedelta
from html import escape
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime

from crm.i18n import N_, babel_locale, translate
from crm.models import Activity, Item
from rules.ports import Button

KIND_NAMES = {"call": N_("Call"), "meeting": N_("Meeting"),
              "task": N_("Task")}
KIND_ICONS = {"call": "📞", "meeting": "🤝", "task": "📋"}
ASSIGNED = N_("{icon} {kind} for you: <b>{subject}</b>\n#{id} · {title}")
DUE = N_("Due: {when}")
OVERDUE = N_("⏰ Overdue since {when}: {icon} <b>{subject}</b>\n#{id} · {title}")
DUE_NOW = N_("⏰ Due {when}: {icon} <b>{subject}</b>\n#{id} · {title}")
# A reminder sent this soon after the deadline is on time ("Due"), later "Overdue since".
ON_TIME = timedelta(minutes=5)
DONE_BUTTON = N_("✅ Done")
OPEN_ITEM = N_("Open #{id}")  # as on the engine's staff messages
SNOOZE_HOUR = N_("⏰ +1 h")
SNOOZE_TOMORROW = N_("🌅 Tomorrow {time}")
SNOOZE_DAY = N_("🌅 {day} {time}")  # the next working day is not tomorrow: "Mon 9:00"


def kind_name(kind: str, language: str) -> str:
    return translate(KIND_NAMES[kind], language) if kind in KIND_NAMES else kind


def when(moment: datetime, language: str, timezone: str) -> str:
    return str(format_datetime(moment, "short", tzinfo=ZoneInfo(timezone),
                               locale=babel_locale(language)))


def assigned_text(kind: str, subject: str, deadline: datetime | None, item: Item,
                  language: str, timezone: str) -> str:
    text = translate(ASSIGNED, language, icon=KIND_ICONS.get(kind, "📋"),
                     kind=kind_name(kind, language), subject=escape(subject), id=item.id,
                     title=escape(item.title))
    if deadline is not None:
        text += "\n" + translate(DUE, language, when=when(deadline, language, timezone))
    return text


def overdue_text(activity: Activity, item: Item, language: str, timezone: str,
                 now: datetime | None = None) -> str:
    """The reminder: "Due …" when sent on time (within ON_TIME of `now`), else "Overdue
    since …" (e.g. after the bot was down)."""
    assert activity.deadline is not None  # only activities with a deadline become overdue
    on_time = now is not None and now - activity.deadline <= ON_TIME
    return translate(DUE_NOW if on_time else OVERDUE, language,
                     when=when(activity.deadline, language, timezone),
                     icon=KIND_ICONS.get(activity.kind, "📋"), subject=escape(activity.subject),
                     id=item.id, title=escape(item.title))


def activity_buttons(activity_id: int | None, item_id: int, language: str
                     ) -> list[list[Button]]:
    """"Done" (when the activity exists: not in test mode) and "open the item"."""
    row = [Button(translate(OPEN_ITEM, language, id=item_id), item_id=item_id)]
    if activity_id:
        row.insert(0, Button(translate(DONE_BUTTON, language), activity_id=activity_id))
    return [row]


def reminder_buttons(activity_id: int, item_id: int, language: str, now: datetime,
                     morning: datetime, timezone: str) -> list[list[Button]]:
    """A reminder's buttons: done, open the item; snooze by an hour or to `morning` (the
    next working day's opening), named as the day it is seen from `now`."""
    zone = ZoneInfo(timezone)
    local = morning.astimezone(zone)
    clock = f"{local.hour}:{local.minute:02d}"
    if local.date() == now.astimezone(zone).date() + timedelta(days=1):
        later = translate(SNOOZE_TOMORROW, language, time=clock)
    else:
        day = str(format_date(local.date(), "EEE", locale=babel_locale(language)))
        later = translate(SNOOZE_DAY, language, day=day.rstrip("."), time=clock)
    return [*activity_buttons(activity_id, item_id, language),
            [Button(translate(SNOOZE_HOUR, language), activity_id=activity_id, snooze="hour"),
             Button(later, activity_id=activity_id, snooze="morning")]]
