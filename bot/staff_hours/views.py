"""/hours: a person's working hours and absences, and how to change them."""

from __future__ import annotations

from datetime import date, time

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder
from babel.dates import format_date, get_day_names

from bot.common.formatting import escape
from bot.staff_hours.callbacks import HoursAction, HoursCb
from crm.i18n import babel_locale
from rules.staff_hours.model import Absence
from rules.staff_hours.service import HoursView


def days_text(days: frozenset[int], language: str) -> str:
    """`Mo.–Fr.`, `Mo., Mi., Fr.`: runs of days joined by a dash."""
    names = get_day_names("abbreviated", locale=babel_locale(language))
    runs: list[list[int]] = []
    for day in sorted(days):
        if runs and runs[-1][-1] == day - 1:
            runs[-1].append(day)
        else:
            runs.append([day])
    return ", ".join(names[r[0]] if len(r) == 1 else
                     f"{names[r[0]]}{'–' if len(r) > 2 else ', '}{names[r[-1]]}" for r in runs)


def week_text(days: frozenset[int], start: time, end: time, language: str) -> str:
    return f"{days_text(days, language)} {start:%H:%M}–{end:%H:%M}"


def day_text(day: date, language: str) -> str:
    return str(format_date(day, "medium", locale=babel_locale(language)))


def absence_text(absence: Absence, language: str) -> str:
    if absence.first_day == absence.last_day:
        return day_text(absence.first_day, language)
    return f"{day_text(absence.first_day, language)} – {day_text(absence.last_day, language)}"


def hours_text(view: HoursView, language: str, own: bool) -> str:
    """`own`: the reader looks at their own hours."""
    company = view.company
    lines = [_("<b>🕘 Working hours of {name}</b>").format(name=escape(view.person.name))]
    if view.hours is None:
        lines.append(_("The company’s: {week}").format(week=week_text(
            company.days, company.start, company.end, language)))
    else:
        lines.append(_("Own: {week}").format(week=week_text(
            view.hours.days, view.hours.start, view.hours.end, language)))
    if view.absences:
        lines.append(_("Away: {days}").format(
            days="; ".join(absence_text(a, language) for a in view.absences)))
    else:
        lines.append(_("No absences planned."))
    lines += ["", _("Rules timed “in the responsible person’s working hours” wait for these "
                    "times and for the end of an absence.")]
    target = "" if own else f" @{escape(view.person.username)}" if view.person.username \
        else f" {escape(view.person.name.split()[0])}"
    lines.append(_("Change: <code>/hours{who} Mon–Fri 8:00–16:00</code> · an absence: "
                   "<code>/hours{who} away 24.12.–2.1.</code>").format(who=target))
    return "\n".join(lines)


def hours_keyboard(view: HoursView, language: str) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    who = view.person.user_id
    builder.button(text=_("✏️ Change the hours"),
                   callback_data=HoursCb(action=HoursAction.ASK_WEEK, user_id=who))
    builder.button(text=_("🏖 Add an absence"),
                   callback_data=HoursCb(action=HoursAction.ASK_ABSENCE, user_id=who))
    if view.hours is not None:
        builder.button(text=_("🏢 Use the company’s hours"), callback_data=HoursCb(
            action=HoursAction.COMPANY, user_id=view.person.user_id))
    for absence in view.absences:
        builder.button(text=_("🗑 Away {days}").format(days=absence_text(absence, language)),
                       callback_data=HoursCb(action=HoursAction.DELETE_ABSENCE,
                                             user_id=view.person.user_id,
                                             absence_id=absence.id))
    builder.adjust(2, 1)
    return builder.as_markup()


def week_question(name: str, own: bool) -> str:
    if own:
        return _("Which days and times do you work? Write e.g. <code>Mon–Fri 8:00–16:00</code> "
                 "or <code>Mon, Wed, Fri 8:30–12:30</code>. (/cancel to stop)")
    return _("Which days and times does {name} work? Write e.g. <code>Mon–Fri 8:00–16:00</code> "
             "or <code>Mon, Wed, Fri 8:30–12:30</code>. (/cancel to stop)").format(
        name=escape(name))


def absence_question(name: str, own: bool) -> str:
    if own:
        return _("When are you away? Write the first and last day, e.g. "
                 "<code>24.12.–2.1.</code>, or one day, e.g. <code>15.1.</code> "
                 "(/cancel to stop)")
    return _("When is {name} away? Write the first and last day, e.g. "
             "<code>24.12.–2.1.</code>, or one day, e.g. <code>15.1.</code> (/cancel to stop)"
             ).format(name=escape(name))


def unreadable_text() -> str:
    return _("I could not read that. Write the days and times, e.g. "
             "<code>/hours Mon–Fri 8:00–16:00</code>, or an absence, e.g. "
             "<code>/hours away 24.12.–2.1.</code> (a past absence cannot be added).")


def retry_text(week: bool) -> str:
    if week:
        return _("I could not read that. Write the days and then the times, e.g. "
                 "<code>Mon–Fri 8:00–16:00</code> (the end after the start); /cancel stops.")
    return _("I could not read that. Write the first and last day, e.g. "
             "<code>24.12.–2.1.</code>; an absence that is over cannot be added. /cancel stops.")
