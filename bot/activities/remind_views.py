"""Reminders by hand (/remind, ⏰ on the card) and snoozing: texts and keyboards."""

from __future__ import annotations

from datetime import datetime

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _

from bot.activities.callbacks import RemindCb, RemindStep
from bot.common.formatting import escape, moment
from crm.models import Activity, Item
from rules.moment_text import MomentInvalid

# The card's presets, as phrases the parser reads (rules/moment_text.py), with their labels.
REMIND_PRESETS = ("in 1 hour", "tomorrow 9:00", "next monday 9:00")


def preset_labels() -> tuple[str, ...]:
    return (_("In 1 hour"), _("Tomorrow 9:00"), _("Next Monday 9:00"))


def remind_usage() -> str:
    return _("/remind <item> <when> <text> — the time first, then the text, e.g.\n"
             "/remind 12 tuesday 10:00 call back\n"
             "/remind 12 in 2 hours send the offer\n"
             "/remind 12 morgen 9:00 Angebot nachfassen\n"
             "Everything after the time is the text (none: “Follow up”). If the text itself "
             "starts like a time, end the time with ; — /remind 12 12.12. 14:00; 2 copies")


def default_subject() -> str:
    return _("Follow up")


def time_examples() -> str:
    return _("Write e.g. tomorrow 9:00, tuesday 10:00, in 2 hours, 12.12. 14:00 — or "
             "morgen 9 Uhr, Dienstag 10:00, in 2 Stunden.")


def moment_problem_text(error: MomentInvalid, language: str, timezone: str) -> str:
    if error.reason == "past" and error.moment is not None:
        return past_text(error.moment, language, timezone)
    return _("I can't read “{phrase}” as a time; nothing was saved.").format(
        phrase=escape(error.text[:80])) + "\n" + time_examples()


def past_text(at: datetime, language: str, timezone: str) -> str:
    return _("{when} has already passed. Please choose a time ahead; nothing was "
             "saved.").format(when=moment(at, language, timezone))


def reminder_set_text(activity: Activity, item: Item, language: str, timezone: str) -> str:
    assert activity.deadline is not None  # a reminder always has its time
    return _("⏰ Reminder set for {when}: <b>{subject}</b>\n#{id} · {title}").format(
        when=moment(activity.deadline, language, timezone), subject=escape(activity.subject),
        id=item.id, title=escape(item.title))


def ask_when_text(item: Item) -> str:
    return _("⏰ Reminder for #{id} · {title} — when?").format(
        id=item.id, title=escape(item.title)) + "\n" + _(
        "Choose below, or type a time.") + " " + time_examples()


def ask_when_keyboard(item_id: int) -> InlineKeyboardMarkup:
    buttons = [InlineKeyboardButton(text=label, callback_data=RemindCb(
        step=RemindStep.PRESET, item_id=item_id, preset=index).pack())
        for index, label in enumerate(preset_labels())]
    return InlineKeyboardMarkup(inline_keyboard=[[b] for b in buttons])


def ask_text_text(due: datetime, language: str, timezone: str) -> str:
    return _("⏰ {when}. What is it about? Type the text, or skip for “{default}”.").format(
        when=moment(due, language, timezone), default=default_subject())


def ask_text_keyboard(item_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(inline_keyboard=[[InlineKeyboardButton(
        text=_("Skip"), callback_data=RemindCb(step=RemindStep.SKIP, item_id=item_id).pack())]])


def too_long_text(limit: int) -> str:
    return _("That text is too long (at most {limit} characters); nothing was saved.").format(
        limit=limit)


def snoozed_note(until: datetime, by: str, language: str, timezone: str) -> str:
    return "\n\n" + _("⏰ Snoozed until {when} ({name})").format(
        when=moment(until, language, timezone), name=escape(by))


def snoozed_toast(until: datetime, language: str, timezone: str) -> str:
    return _("I'll remind you again {when}.").format(when=moment(until, language, timezone))


def already_done_text(subject: str) -> str:
    return _("This was done already: {subject}").format(subject=subject[:150])


def gone_text() -> str:
    return _("This question is no longer open; press ⏰ Remind on the card again.")
