"""Test mode's report: per rule what it would do, with the rendered text."""

from __future__ import annotations

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.automation.callbacks import TestSendCb
from bot.common.formatting import escape, localized, moment
from crm.i18n import N_plural
from crm.models import Stage
from rules.conditions.explain import explain_checks
from rules.engine.effects import Preview
from rules.kinds.base import RunFailure
from rules.reason_codes import Reason
from rules.reasons import reason_text
from rules.services.test_mode import RulePreview, StagePreview
from rules.services.test_send import TestSent
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
    lines.extend(_note(note, lang) for note in rule.notes)
    for preview in rule.previews:
        lines.extend(_preview(preview))
    text = "\n".join(lines)
    if len(text) > LIMIT:
        lines = [line for line in lines if not line.startswith("<blockquote>")]
        lines.append(_("(The text is too long to show here; send it to yourself.)"))
        text = "\n".join(lines)
    return text


def _note(note: RunFailure, lang: str) -> str:
    if note.code is Reason.CLIENT_NOT_STARTED:
        return _("⏳ {name} has not started the bot yet. The rule waits for that and runs as "
                 "soon as they open this link: {link}").format(
            name=escape(str(note.params["name"])), link=escape(str(note.params["link"])))
    return "⏳ " + escape(reason_text(note.code, note.params, lang))


def _preview(preview: Preview) -> list[str]:
    """What one effect would be; the texts that would go out in full, as they would read."""
    if preview.action == "message":
        return [_("→ to {name} ({language}):").format(name=escape(preview.recipient),
                                                      language=preview.language),
                f"<blockquote>{preview.text}</blockquote>"]
    lines = [_("→ would: {what}").format(what=escape(preview.recipient))]
    shown = preview.payload.get("body") if preview.action == "email" else \
        preview.payload.get("caption") if preview.action == "document" else None
    if shown:
        lines.append(f"<blockquote>{shown}</blockquote>")
    return lines


def send_keyboard(preview: StagePreview) -> InlineKeyboardMarkup | None:
    """The button that sends all of it to the tester, when a rule that would run does
    something."""
    if not any(rule.would_run and rule.previews for rule in preview.rules):
        return None
    builder = InlineKeyboardBuilder()
    builder.button(text=_("📨 Send all of it to me"),
                   callback_data=TestSendCb(item_id=preview.item_id, stage_id=preview.stage_id))
    return builder.as_markup()


def sent_toast(sent: TestSent) -> str:
    """What went to the tester, e.g. "On its way to you, marked as a test: 2 messages,
    1 document."."""
    if not sent.total:
        return _("Nothing to send: no rule here would send or change anything.")
    parts = [ngettext(*text, count).format(count=count) for count, text in (
        (sent.messages, _MESSAGES), (sent.documents, _DOCUMENTS), (sent.emails, _EMAILS),
        (sent.webhooks, _WEBHOOKS), (sent.changes, _CHANGES)) if count]
    return _("On its way to you, marked as a test: {parts}.").format(parts=", ".join(parts))


_MESSAGES = N_plural("{count} message", "{count} messages")
_DOCUMENTS = N_plural("{count} document as PDF", "{count} documents as PDFs")
_EMAILS = N_plural("{count} e-mail", "{count} e-mails")
_WEBHOOKS = N_plural("{count} webhook call", "{count} webhook calls")
_CHANGES = N_plural("{count} data change", "{count} data changes")
