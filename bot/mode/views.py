"""/mode and the switch wizard: texts and keyboards."""

from __future__ import annotations

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.common.formatting import escape, localized
from bot.mode.callbacks import CLIENT_CHOICES, ModeAction, ModeCb, SwitchCb, SwitchStep
from bot.mode.texts import counts_text, mode_explanation, mode_name
from crm.models import CrmMode, Pipeline
from crm.services.mode import ModeSwitch


def mode_text(mode: CrmMode, may_switch: bool) -> str:
    lines = [_("The CRM is in <b>{mode}</b> mode.").format(mode=mode_name(mode)), "",
             mode_explanation(mode), ""]
    if may_switch:
        lines.append(_("Switch with the button below, or with /mode simple and /mode classic."))
    else:
        lines.append(_("Only an admin or someone allowed to edit settings may switch the mode."))
    return "\n".join(lines)


def mode_keyboard(mode: CrmMode) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    if mode is CrmMode.SIMPLE:
        builder.button(text=_("Switch to classic mode (with leads)"),
                       callback_data=ModeCb(action=ModeAction.CLASSIC))
    else:
        builder.button(text=_("Switch to simple mode (no leads)"),
                       callback_data=ModeCb(action=ModeAction.SIMPLE))
    return builder.as_markup()


def client_choice_text(index: int) -> str:
    return (_("a contact"), _("a company"), _("a contact and a company"))[index]


def create_question(open_leads: int) -> str:
    return _("Switching to simple mode converts every open lead into a deal. Open leads now: "
             "<b>{n}</b>.\n\nWhich clients should be created with each deal (when the lead has "
             "none yet)?").format(n=open_leads)


def _with_cancel(builder: InlineKeyboardBuilder) -> InlineKeyboardMarkup:
    builder.button(text=_("Cancel"), callback_data=SwitchCb(step=SwitchStep.CANCEL))
    builder.adjust(1)
    return builder.as_markup()


def create_keyboard() -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    labels = (_("Contact"), _("Company"), _("Both"))
    for index, _code in enumerate(CLIENT_CHOICES):
        builder.button(text=labels[index], callback_data=SwitchCb(step=SwitchStep.CREATE,
                                                                  value=index))
    return _with_cancel(builder)


def pipeline_question() -> str:
    return _("Which deal pipeline should receive the deals?")


def pipeline_keyboard(pipelines: list[Pipeline], language: str) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for pipeline in pipelines:
        builder.button(text=localized(pipeline, language),
                       callback_data=SwitchCb(step=SwitchStep.PIPELINE, value=pipeline.id))
    return _with_cancel(builder)


def activities_question() -> str:
    return _("The leads' open activities (calls, meetings, tasks): keep them open on the "
             "deals, or close them?")


def activities_keyboard() -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(text=_("Keep them open on the deals"),
                   callback_data=SwitchCb(step=SwitchStep.ACTIVITIES, value=1))
    builder.button(text=_("Close them"), callback_data=SwitchCb(step=SwitchStep.ACTIVITIES,
                                                                value=0))
    return _with_cancel(builder)


def confirm_text(open_leads: int, create: int, pipeline: Pipeline, keep_open: bool,
                 language: str) -> str:
    activities = (_("kept open on the deals") if keep_open else _("closed"))
    return ngettext(
        "Convert <b>{n}</b> open lead into a deal in the pipeline “{pipeline}”, creating "
        "{clients} for it; its open activities will be {activities}. Then the CRM switches to "
        "simple mode.",
        "Convert <b>{n}</b> open leads into deals in the pipeline “{pipeline}”, creating "
        "{clients} for each; their open activities will be {activities}. Then the CRM "
        "switches to simple mode.", open_leads).format(
        n=open_leads, pipeline=escape(localized(pipeline, language)),
        clients=client_choice_text(create), activities=activities)


def confirm_keyboard(open_leads: int) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(text=ngettext("Convert {n} lead and switch", "Convert {n} leads and switch",
                                 open_leads).format(n=open_leads),
                   callback_data=SwitchCb(step=SwitchStep.CONFIRM))
    return _with_cancel(builder)


def progress_text(done: int, total: int) -> str:
    return _("⏳ Converting open leads into deals: {done} of {total} done …").format(
        done=done, total=total)


def resuming_text(done: int, total: int) -> str:
    return ngettext("⏳ The switch to simple mode was interrupted; continuing it now: {done} of "
                    "{total} lead was converted before.",
                    "⏳ The switch to simple mode was interrupted; continuing it now: {done} of "
                    "{total} leads were converted before.", total).format(done=done, total=total)


def switched_text(switch: ModeSwitch) -> str:
    if not switch.changed:
        return _("The CRM is in {mode} mode already; nothing changed.").format(
            mode=mode_name(switch.mode))
    if switch.mode is CrmMode.CLASSIC:
        return _("✅ Classic mode is on: client inquiries now become leads. Nothing was "
                 "converted; deals stay deals.")
    lines = [_("✅ Simple mode is on: client inquiries now become contacts with deals.")]
    if switch.conversion is not None:
        lines += ["", counts_text(switch.conversion.counts)]
        if switch.conversion.resumed:
            lines.append(_("(This switch was continued after an interruption, with the "
                           "options it was started with.)"))
    return "\n".join(lines)
