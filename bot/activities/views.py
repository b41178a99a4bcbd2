"""My activities (/activities) and an activity's notification once it is done."""

from __future__ import annotations

from datetime import datetime

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.activities.callbacks import ActivityAction, ActivityCb
from bot.common.formatting import escape, moment
from bot.items.callbacks import CardAction, CardCb
from crm.i18n import dash
from crm.models import Activity, Item
from rules.activity_texts import KIND_ICONS


def agenda_text(agenda: list[tuple[Activity, Item]], language: str, timezone: str,
                now: datetime) -> str:
    if not agenda:
        return _("You have no open activities. 🎉")
    lines = [_("<b>My activities</b> ({count}), the most urgent first:").format(
        count=len(agenda))]
    for number, (activity, item) in enumerate(agenda, start=1):
        if activity.deadline is None:
            due = _("no deadline")
        else:
            due = _("due {at}").format(at=moment(activity.deadline, language, timezone))
            if activity.deadline < now:
                due += " ⚠️ " + _("overdue")
        lines.append(f"{number}. {KIND_ICONS.get(activity.kind, '📋')} "
                     f"{escape(activity.subject)}{dash(language)}{due} · #{item.id} "
                     f"{escape(item.title)}")
    return "\n".join(lines)


def agenda_keyboard(agenda: list[tuple[Activity, Item]]) -> InlineKeyboardMarkup:
    """A "done" button per activity, by its number in the list (none: no buttons)."""
    builder = InlineKeyboardBuilder()
    for number, (activity, _item) in enumerate(agenda, start=1):
        builder.button(text=f"✅ {number}", callback_data=ActivityCb(
            action=ActivityAction.DONE, activity_id=activity.id, listing=1))
    builder.adjust(5)
    return builder.as_markup()


def done_note(by: str) -> str:
    return "\n\n" + _("✅ Done ({name})").format(name=escape(by))


def open_item_keyboard(item_id: int) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(text=_("Open #{id}").format(id=item_id),
                   callback_data=CardCb(action=CardAction.OPEN, item_id=item_id))
    return builder.as_markup()


def card_activity_lines(activities: list[Activity], language: str, timezone: str,
                        limit: int = 5) -> list[str]:
    """The item card's open activities, the most urgent first."""
    if not activities:
        return []
    lines = ["", _("<b>Open activities</b>")]
    for activity in activities[:limit]:
        due = (moment(activity.deadline, language, timezone) if activity.deadline
               else _("no deadline"))
        lines.append(f"{KIND_ICONS.get(activity.kind, '📋')} {escape(activity.subject)}"
                     f"{dash(language)}{due}")
    if len(activities) > limit:
        lines.append(_("… and {count} more").format(count=len(activities) - limit))
    return lines
