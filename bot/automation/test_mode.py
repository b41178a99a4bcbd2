"""Test mode's report: per rule what it would do, with the rendered text."""

from __future__ import annotations

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.automation.callbacks import TestSendCb
from bot.common.formatting import escape, localized, moment
from crm.models import Stage
from rules.conditions.explain import explain_checks
from rules.reasons import reason_text
from rules.services.test_mode import RulePreview, StagePreview
from rules.shipped_titles import shown_title

LIMIT = 4000


def test_header(preview: StagePreview, stage: Stage, lang: str) -> str:
    if not preview.rules:
        return _("🧪 Stage “{stage}” has no rules to test.").format(
            stage=escape(localized(stage, lang)))
    return _("🧪 <b>Test of stage “{stage}” for #{id}</b> — nothing was sent to anyone and "
             "nothing was changed.").format(stage=escape(localized(stage, lang)),
                                            id=preview.item_id)


def rule_report(number: int, rule: RulePreview, lang: str, tz: str) -> str:
    lines = [f"<b>{number}. {escape(shown_title(rule.rule.title, lang))}</b>"]
    if not rule.rule.enabled:
        lines.append(_("⏸ disabled — it would not run"))
    checks = rule.evaluation.explanation()
    if rule.evaluation.passed:
        why = explain_checks(checks, lang, only_failed=False) if checks else _("no condition")
        lines.append(_("✓ condition met: {why}").format(why=escape(why)))
    else:
        lines.append(_("✗ condition not met: {why}").format(why=escape(explain_checks(checks,
                                                                                        lang))))
    if rule.due is None:
        lines.append(_("🕒 would run after the rule before it"))
    else:
        lines.append(_("🕒 would run {at}").format(at=moment(rule.due, lang, tz)))
    if rule.failure:
        lines.append(_("❌ would fail: {reason}").format(reason=escape(reason_text(
            rule.failure, rule.failure_params, lang, rule.rule.kind))))
    for preview in rule.previews:
        if preview.action != "message":
            lines.append(_("→ would: {what}").format(what=escape(preview.recipient)))
            continue
        lines.append(_("→ to {name} ({language}):").format(
            name=escape(preview.recipient), language=preview.language))
        lines.append(f"<blockquote>{preview.text}</blockquote>")
    text = "\n".join(lines)
    if len(text) > LIMIT:
        lines = [line for line in lines if not line.startswith("<blockquote>")]
        lines.append(_("(The text is too long to show here; send it to yourself.)"))
        text = "\n".join(lines)
    return text


def send_keyboard(preview: StagePreview) -> InlineKeyboardMarkup | None:
    if not any(p.action == "message" for rule in preview.rules for p in rule.previews):
        return None
    builder = InlineKeyboardBuilder()
    builder.button(text=_("📨 Send these messages to me"),
                   callback_data=TestSendCb(item_id=preview.item_id, stage_id=preview.stage_id))
    return builder.as_markup()
