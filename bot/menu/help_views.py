"""/help: "start here" first — the first steps of a salesperson, and of an admin setting up
— then the commands by topic, one group at a time behind buttons (the same message edited
in place). A group shows only the commands this member may use; a group without any (team
and settings for a salesperson) has no button.

Commands come from bot/start/help.py's lists (the Telegram command menu): a command listed
there that no group names lands in "more", so nothing is left out of /help.
"""

from __future__ import annotations

import enum

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.menu.callbacks import HelpCb
from bot.menu.labels import TEXTS, Label
from bot.start.help import settings_commands, staff_commands
from crm.i18n import DASH, N_
from crm.models import Staff


class HelpGroup(enum.StrEnum):
    START = "start"
    ITEMS = "items"
    CLIENTS = "clients"
    REPORTS = "reports"
    AUTOMATION = "automation"
    TEAM = "team"
    MORE = "more"


GROUP_NAMES: dict[HelpGroup, str] = {
    HelpGroup.START: N_("🚀 Start here"),
    HelpGroup.ITEMS: N_("📋 Items"),
    HelpGroup.CLIENTS: N_("👤 Clients & leads"),
    HelpGroup.REPORTS: N_("📈 Reports"),
    HelpGroup.AUTOMATION: N_("⚙️ Automation"),
    HelpGroup.TEAM: N_("👥 Team & settings"),
    HelpGroup.MORE: N_("🌐 Language & more"),
}
COMMAND_GROUPS: dict[str, HelpGroup] = {
    **dict.fromkeys(("new", "items", "find", "item", "move", "edit", "assign", "note",
                     "remind", "activities", "docs", "schedules", "pipeline"),
                    HelpGroup.ITEMS),
    **dict.fromkeys(("contact", "contacts", "link", "reply", "files", "convert"),
                    HelpGroup.CLIENTS),
    **dict.fromkeys(("report", "reports", "funnel"), HelpGroup.REPORTS),
    **dict.fromkeys(("status", "stop", "rules", "triggers"), HelpGroup.AUTOMATION),
    **dict.fromkeys(("staff", "invite", "pipelines", "stages", "lostreasons", "types", "mode",
                     "chats"), HelpGroup.TEAM),
}


def _examples(group: HelpGroup, staff: Staff) -> list[str]:
    """Lines under a group's commands: examples, and what the command list leaves out."""
    if group is HelpGroup.ITEMS:
        return [_("/move 12 won — move item 12 to the stage named “won” (or its number)"),
                _("/items mine · /items deal · /find Schmidt")]
    if group is HelpGroup.CLIENTS:
        return [_("/contact Anna Schmidt; +49 30 123456; anna@example.org; ACME GmbH"),
                _("/link 12 5 — link contact 5 to item 12"),
                _("<b>Leads and clients</b> (leads exist in classic mode only; see /mode)"),
                _("/new lead &lt;title&gt;; &lt;amount&gt;; &lt;contact&gt;; &lt;source&gt; — "
                  "source: call, email, website, event or other, e.g. /new lead Trade fair; ; "
                  "Anna Schmidt; event"),
                _("/convert 12 — convert lead 12 into a deal with a contact and/or company"),
                _("/reply 12 &lt;text&gt; — answer the client of item 12 (or reply to the "
                  "notification of their message)")]
    if group is HelpGroup.REPORTS:
        return [_("/report leads 30d — leads by source with conversion rates; periods: 7d, "
                  "30d, month, all"),
                _("/report sales month — the sales funnel, win rate and days per stage, for "
                  "the team and each salesperson")]
    if group is HelpGroup.AUTOMATION:
        lines = [_("/status 12 — what the rules did for item 12, what they wait to do, why "
                   "one failed"),
                 _("/stop 12 — stop the automation of item 12 in its stage")]
        if staff.may_edit_settings:
            lines.append(_("/rules add · /rules export · /rules import — add a rule; all "
                           "rules as a YAML file"))
        return lines
    if group is HelpGroup.TEAM and staff.may_edit_settings:
        return [_("/mode simple · /mode classic — switch the CRM mode")]
    return []


def _commands(group: HelpGroup, staff: Staff) -> list[str]:
    pairs = staff_commands() + settings_commands(staff)
    return [f"/{c}{_(DASH)}{d}" for c, d in pairs
            if COMMAND_GROUPS.get(c, HelpGroup.MORE) is group]


def groups_of(staff: Staff) -> list[HelpGroup]:
    """The topic groups this member has anything in, in order."""
    return [g for g in HelpGroup
            if g is not HelpGroup.START and (_commands(g, staff) or _examples(g, staff))]


def start_here(staff: Staff) -> str:
    """The first steps: an admin's setting up (as far as they may), then everyone's first
    item — created, opened, moved."""
    steps: list[list[str]] = []
    if staff.is_admin:
        steps.append([_("Invite your team: /invite sales (or manager, admin) and send them "
                        "the link.")])
    if staff.may_edit_settings:
        steps.append([_("Set up your pipelines and their stages: /pipelines, /stages.")])
        steps.append([_("Let each stage work for you with automation rules: /rules.")])
    steps.append([
        _("Create your first item: press {label}, or type it in one line:").format(
            label=_(TEXTS[Label.NEW])),
        _("<b>Quick create</b>: /new &lt;type&gt; &lt;title&gt;; &lt;amount&gt;; "
          "&lt;contact&gt;"),
        _("e.g. /new deal Website relaunch; 15.000 EUR; Anna Schmidt"),
    ])
    steps.append([_("Open it: press {label} and tap it, or /item and its number.").format(
        label=_(TEXTS[Label.MINE]))])
    steps.append([_("Move it: the ▶ button on its card takes it to the next stage.")])
    lines = [_("<b>Start here</b>")]
    for number, (first, *more) in enumerate(steps, start=1):
        lines.append(f"{number}. {first}")
        lines += [f"    {line}" for line in more]
    lines += ["", _("<b>All commands</b> by topic: tap one below.")]
    return "\n".join(lines)


def group_text(group: HelpGroup, staff: Staff) -> str:
    if group is HelpGroup.START:
        return start_here(staff)
    commands = _commands(group, staff)
    lines = [f"<b>{_(GROUP_NAMES[group])}</b>", *commands]
    examples = _examples(group, staff)
    if examples:
        lines += ["", *examples] if commands else examples
    return "\n".join(lines)


def help_keyboard(staff: Staff, shown: HelpGroup) -> InlineKeyboardMarkup:
    """A button per group except the one shown; "start here" to come back."""
    builder = InlineKeyboardBuilder()
    choices = [HelpGroup.START, *groups_of(staff)]
    for group in choices:
        if group is not shown:
            builder.button(text=_(GROUP_NAMES[group]), callback_data=HelpCb(group=group.value))
    builder.adjust(2)
    return builder.as_markup()

