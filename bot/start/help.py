"""The command list: the menu registered with Telegram, and what /help groups by topic
(bot/menu/help_views.py; the reply-keyboard menu is bot/menu/labels.py)."""

from __future__ import annotations

from aiogram.types import BotCommand
from aiogram.utils.i18n import gettext as _

from crm.models import Staff


def staff_commands() -> list[tuple[str, str]]:
    return [
        ("new", _("Create an item")),
        ("items", _("List items")),
        ("pipeline", _("Pipeline overview: open items per stage")),
        ("find", _("Find items")),
        ("item", _("Open an item by number")),
        ("move", _("Move an item to a stage")),
        ("edit", _("Edit a field of an item")),
        ("assign", _("Make someone responsible")),
        ("note", _("Add a note to an item")),
        ("docs", _("Documents of an item (quotes, invoices, contracts)")),
        ("files", _("Files of an item: photos, voice messages, documents the client sent")),
        ("schedules", _("Recurring copies (e.g. monthly deals): list and stop")),
        ("activities", _("My open activities (calls, meetings, tasks)")),
        ("remind", _("Remind me of an item: /remind 12 tuesday 10:00 call back")),
        ("hours", _("My working hours and absences (rules may wait for them)")),
        ("contact", _("Create a contact")),
        ("contacts", _("Contacts: list and search")),
        ("link", _("Link a contact to an item")),
        ("reply", _("Answer a client")),
        ("convert", _("Convert a lead into a deal")),
        ("report", _("Reports: leads by source, sales funnel and win rate")),
        ("language", _("Choose the language")),
        ("help", _("All commands")),
        ("cancel", _("Cancel the current dialog")),
    ]


def admin_commands() -> list[tuple[str, str]]:
    return [
        ("staff", _("Team members and roles")),
        ("invite", _("Invite a team member")),
        ("pipelines", _("Pipelines and stages")),
        ("stages", _("Edit the stages of a pipeline")),
        ("lostreasons", _("Reasons offered when an item is lost")),
        ("types", _("Smart process types")),
        ("mode", _("CRM mode: simple or classic")),
        ("rules", _("Automation rules of the stages")),
        ("triggers", _("Triggers: events that move items to a stage")),
        ("chats", _("Team chats the rules may post to")),
    ]


ADMIN_ONLY = frozenset({"staff", "invite"})  # the rest of admin_commands: the settings right


def settings_commands(staff: Staff) -> list[tuple[str, str]]:
    """The admin commands this staff member may use."""
    if not staff.may_edit_settings:
        return []
    return [(c, d) for c, d in admin_commands() if staff.is_admin or c not in ADMIN_ONLY]


def bot_commands(staff: Staff) -> list[BotCommand]:
    pairs = staff_commands() + settings_commands(staff)
    return [BotCommand(command=c, description=d) for c, d in pairs]
