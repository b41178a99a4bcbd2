"""The /schedules list: the recurring copies running for the items one may see."""

from __future__ import annotations

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.common.formatting import escape, localized, moment
from bot.schedules.callbacks import ScheduleStopCb
from rules.recurring.texts import repeat_text
from rules.services.schedules import ScheduleView


def schedules_text(views: list[ScheduleView], lang: str, timezone: str,
                   note: str | None = None) -> str:
    lines = [note, ""] if note else []
    if not views:
        lines.append(_("No recurring copies are running. A rule “Create a copy of the item” "
                       "with a schedule sets them up."))
        return "\n".join(lines)
    lines.append(_("🔁 <b>Recurring copies</b>"))
    for view in views:
        s = view.schedule
        where = " / ".join(escape(localized(r, lang)) for r in (view.pipeline, view.stage) if r)
        lines.append(_("{number}. #{id} {title} → {where}, {every}; next {at}, {copies} made")
                     .format(number=s.id, id=view.origin.id, title=escape(view.origin.title),
                             where=where, every=repeat_text(s.repeat, s.every, s.day, lang),
                             at=moment(s.next_due_at, lang, timezone) if s.next_due_at else "—",
                             copies=s.copies))
    lines.append(_("A schedule also ends when its item is closed as lost."))
    return "\n".join(lines)


def schedules_keyboard(views: list[ScheduleView]) -> InlineKeyboardMarkup | None:
    if not views:
        return None
    builder = InlineKeyboardBuilder()
    for view in views:
        builder.button(text=_("⏹ Stop {number}").format(number=view.schedule.id),
                       callback_data=ScheduleStopCb(schedule_id=view.schedule.id))
    builder.adjust(3)
    return builder.as_markup()
