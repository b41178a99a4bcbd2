"""The command list: /help text, the reply-keyboard menu and the menu registered with Telegram."""

from __future__ import annotations

from aiogram.types import BotCommand, KeyboardButton, ReplyKeyboardMarkup
from aiogram.utils.i18n import gettext as _

from crm.models import Staff


def staff_commands() -> list[tuple[str, str]]:
    return [
        ("new", _("Create an item")),
        ("items", _("List items")),
        ("find", _("Find items")),
        ("item", _("Open an item by number")),
        ("move", _("Move an item to a stage")),
        ("edit", _("Edit a field of an item")),
        ("assign", _("Make someone responsible")),
        ("docs", _("Documents of an item (quotes, invoices, contracts)")),
        ("schedules", _("Recurring copies (e.g. monthly deals): list and stop")),
        ("activities", _("My open activities (calls, meetings, tasks)")),
        ("contact", _("Create a contact")),
        ("contacts", _("Contacts: list and search")),
        ("link", _("Link a contact to an item")),
        ("reply", _("Answer a client")),
        ("convert", _("Convert a lead into a deal")),
        ("report", _("Lead report by source")),
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
        ("types", _("Smart process types")),
        ("mode", _("CRM mode: simple or classic")),
        ("rules", _("Automation rules of the stages")),
        ("triggers", _("Triggers: events that move items to a stage")),
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


def main_menu() -> ReplyKeyboardMarkup:
    return ReplyKeyboardMarkup(resize_keyboard=True, keyboard=[
        [KeyboardButton(text="/new"), KeyboardButton(text="/items")],
        [KeyboardButton(text="/find"), KeyboardButton(text="/help")],
    ])


def help_text(staff: Staff) -> str:
    lines = [_("<b>Commands</b>")]
    lines += [f"/{c} — {d}" for c, d in staff_commands()]
    lines += [
        "",
        _("<b>Quick create</b>: /new &lt;type&gt; &lt;title&gt;; &lt;amount&gt;; &lt;contact&gt;"),
        _("e.g. /new deal Website relaunch; 15.000 EUR; Anna Schmidt"),
        _("Types: deal, lead, quote, invoice or the name of a smart process. Amount and "
          "contact may be left out. Amounts: 15000, 15.000,50, 15,000.50 USD, €99."),
        _("/move 12 won — move item 12 to the stage named “won” (or its number)"),
        _("/items mine · /items deal · /find Schmidt"),
        _("/contact Anna Schmidt; +49 30 123456; anna@example.org; ACME GmbH"),
        _("/link 12 5 — link contact 5 to item 12"),
        "",
        _("<b>Leads and clients</b> (leads exist in classic mode only; see /mode)"),
        _("/new lead &lt;title&gt;; &lt;amount&gt;; &lt;contact&gt;; &lt;source&gt; — source: "
          "call, email, website, event or other, e.g. /new lead Trade fair; ; Anna Schmidt; "
          "event"),
        _("/convert 12 — convert lead 12 into a deal with a contact and/or company"),
        _("/reply 12 &lt;text&gt; — answer the client of item 12 (or reply to the "
          "notification of their message)"),
        _("/report leads 30d — leads by source with conversion rates; periods: 7d, 30d, "
          "month, all"),
    ]
    if staff.may_edit_settings:
        lines += ["", _("<b>Admin</b>")] + [f"/{c} — {d}" for c, d in settings_commands(staff)]
        lines.append(_("/mode simple · /mode classic — switch the CRM mode"))
        lines.append(_("/rules add · /rules export · /rules import — add a rule; all rules "
                       "as a YAML file"))
    return "\n".join(lines)
