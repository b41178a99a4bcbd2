"""The automation status of an item: every rule of its stage with what it did or will do."""

from __future__ import annotations

from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext

from bot.common.formatting import escape, localized, moment
from crm.i18n import N_plural, dash
from crm.models import Stage
from rules.conditions import format_condition, parse_condition
from rules.conditions.explain import explain_checks
from rules.errors import ConditionError
from rules.model import RunState
from rules.reasons import reason_text
from rules.services.status import Brief, ItemStatus, RuleStatus, Shown
from rules.shipped_titles import shown_title

ICONS = {
    Shown.EXECUTED: "✅", Shown.FAILED: "❌", Shown.QUEUED: "▶️", Shown.WAITING: "⏳",
    Shown.WAITING_PREVIOUS: "⏳", Shown.WAITING_TELEGRAM: "⏳", Shown.SENDING: "📤",
    Shown.NOT_TRIGGERED: "⚪", Shown.DISABLED: "⏸", Shown.STOPPED: "⏹",
    Shown.CANCELLED: "✖️", Shown.NOT_PLANNED: "➖",
}


def status_text(status: ItemStatus, stages: dict[int, Stage], lang: str, tz: str) -> str:
    lines = [_("<b>⚙️ Automation of #{id}</b> · stage “{stage}”").format(
        id=status.item_id, stage=escape(localized(status.stage, lang)))]
    if status.stop is not None:
        lines.append(_("⏹ Automation is stopped for this item in this stage."))
    if not status.current:
        lines.append(_("This stage has no rules."))
    lines += [rule_line(rule, lang, tz) for rule in status.current]
    for group in status.earlier:
        stage = stages.get(group.stage_id)
        name = escape(localized(stage, lang)) if stage else "?"
        lines += ["", _("<i>Earlier in “{stage}”:</i>").format(stage=name)]
        lines += [rule_line(rule, lang, tz) for rule in group.rules]
    return "\n".join(lines)


def rule_line(rule: RuleStatus, lang: str, tz: str) -> str:
    title = shown_title(rule.title, lang)
    return f"{ICONS[rule.shown]} {escape(title)}{dash(lang)}{escape(state_text(rule, lang, tz))}"


def state_text(rule: RuleStatus, lang: str, tz: str) -> str:
    at = moment(rule.at, lang, tz) if rule.at else ""
    shown = rule.shown
    if shown is Shown.EXECUTED and rule.released is not None:
        return released_text(rule.released, at)
    if shown is Shown.EXECUTED:
        text = _("executed {at}").format(at=at)
        return text + (" " + _("(late: the bot was down when it was due)") if rule.late else "")
    if shown is Shown.FAILED:
        return _("failed: {reason}").format(reason=_reason(rule, lang))
    if shown is Shown.QUEUED:
        return _("running now")
    if shown is Shown.WAITING and rule.waits_for is not None:
        return wait_text(rule, lang, at)
    if shown is Shown.WAITING and rule.hours_of:
        return _("waiting until {at}, in the working hours of {name}").format(
            at=at, name=rule.hours_of)
    if shown is Shown.WAITING:
        return _("waiting until {at}").format(at=at)
    if shown is Shown.WAITING_PREVIOUS:
        return _("waiting for the rule before it")
    if shown is Shown.WAITING_TELEGRAM:
        return _("Telegram asked to wait until {at}").format(at=at)
    if shown is Shown.SENDING:
        return _("sending")
    if shown is Shown.NOT_TRIGGERED:
        return _("not triggered: {why}").format(why=explain_checks(rule.checks, lang))
    if shown is Shown.DISABLED:
        return _("disabled")
    if shown is Shown.STOPPED:
        return _reason(rule, lang) or _("stopped")
    if shown is Shown.CANCELLED:
        return _("cancelled: {reason}").format(reason=_reason(rule, lang))
    return _("not run: the rule was added after the item entered the stage")


def wait_text(rule: RuleStatus, lang: str, at: str) -> str:
    """A started "wait for the client's reply or a condition": what for, and until when."""
    if rule.waits_for == "condition" and rule.wait_condition:
        try:
            condition = format_condition(parse_condition(rule.wait_condition), lang)
        except ConditionError:
            condition = rule.wait_condition
        return _("waiting until {condition}, at most until {at}").format(
            condition=condition, at=at)
    return _("waiting for the client’s reply, at most until {at}").format(at=at)


def released_text(released: str, at: str) -> str:
    """What let a finished wait go on."""
    if released == "reply":
        return _("went on {at}: the client replied").format(at=at)
    if released == "condition":
        return _("went on {at}: its condition held").format(at=at)
    return _("went on {at}: the time-out passed").format(at=at)


def _reason(rule: RuleStatus, lang: str) -> str:
    return reason_text(rule.reason or rule.unknown_reason, rule.params, lang, rule.kind)


def brief_text(brief: Brief, lang: str, tz: str) -> str | None:
    """One line after a move: what the new stage's rules did or scheduled. A rule delivering
    its messages counts as done (it did its part; /status follows the delivery); one about
    to run whose condition is false now counts as not triggered, as the engine will skip it."""
    total = sum(brief.counts.values())
    if not total:
        return None
    parts = [ngettext("⚙️ {count} rule here", "⚙️ {count} rules here", total).format(count=total)]
    done = brief.count(RunState.DONE, RunState.RUNNING)
    starting = brief.count(RunState.PENDING) - brief.to_skip
    waiting = brief.count(RunState.WAITING)
    after = brief.count(RunState.WAITING_PREVIOUS)
    skipped = brief.count(RunState.SKIPPED) + brief.to_skip
    failed = brief.count(RunState.FAILED)
    at = moment(brief.next_due, lang, tz) if brief.next_due else "?"
    for count, text in ((done, _DONE), (starting, _STARTING), (waiting, _WAITING),
                        (after, _AFTER), (skipped, _SKIPPED), (failed, _FAILED)):
        if count:
            parts.append(ngettext(*text, count).format(count=count, at=at))
    return ", ".join(parts) + dash(lang) + _("/status {id} shows each").format(id=brief.item_id)


_DONE = N_plural("{count} done", "{count} done")
_STARTING = N_plural("{count} starting now", "{count} starting now")
_WAITING = N_plural("{count} waiting until {at}", "{count} waiting, the next until {at}")
_AFTER = N_plural("{count} after the rule before it", "{count} after the rules before them")
_SKIPPED = N_plural("{count} was not triggered", "{count} were not triggered")
_FAILED = N_plural("{count} has failed", "{count} have failed")
