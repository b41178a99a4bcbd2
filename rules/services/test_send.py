"""Test mode's "send it all to me": everything the rules that would run would send or do,
queued to the tester's own chat and marked as a test — messages (to the client, staff or a
team chat) as they would read, documents as real PDFs (rendered from the draft, stored
nowhere, stamped TEST), e-mails with their subject and text (and their attachment as a PDF),
webhook calls with their body, data changes as a list."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape
from typing import Any, Protocol

from crm.i18n import N_, translate
from rules.engine.effects import OutboxEffects, Preview
from rules.kinds.base import Draft, Recipient
from rules.model import Rule
from rules.rendering import TELEGRAM_LIMIT
from rules.shipped_titles import shown_title

CAPTION_LIMIT = 1024
WEBHOOK_SHOWN = 3000  # characters of a webhook's body shown
SEPARATOR = "\n\n"


class Tested(Protocol):
    """A rule's test (rules.services.test_mode.RulePreview)."""

    rule: Rule
    previews: list[Preview]
    drafts: list[Draft]


@dataclass(slots=True)
class TestSent:
    """What was queued to the tester, by what it stands for."""

    __test__ = False  # not a pytest test class, despite the name
    messages: int = 0
    documents: int = 0
    emails: int = 0
    webhooks: int = 0
    changes: int = 0

    @property
    def total(self) -> int:
        return self.messages + self.documents + self.emails + self.webhooks + self.changes


async def queue_for_tester(effects: OutboxEffects, chat_id: int, language: str,
                           rules: Sequence[Tested]) -> TestSent:
    sender = _Sender(effects, chat_id, language)
    for tested in rules:
        await sender.rule(tested)
    return sender.sent


class _Sender:
    def __init__(self, effects: OutboxEffects, chat_id: int, language: str) -> None:
        self._effects = effects
        self._me = Recipient("staff", chat_id, language, "")
        self._lang = language
        self.sent = TestSent()

    async def rule(self, tested: Tested) -> None:
        title = shown_title(tested.rule.title, self._lang)
        drafts = list(tested.drafts)
        changes = []
        for preview in tested.previews:
            if preview.action == "message":
                await self._message(title, preview)
            elif preview.action == "document":
                await self._document(title, preview, drafts)
            elif preview.action == "email":
                await self._email(title, preview, drafts)
            elif preview.action == "post":
                await self._webhook(title, preview)
            else:
                changes.append(preview.recipient)
        if changes:
            self.sent.changes += len(changes)
            await self._text(self._header(title, translate(_CHANGES, self._lang)),
                             "\n".join(f"• {escape(change)}" for change in changes))

    async def _message(self, title: str, preview: Preview) -> None:
        self.sent.messages += 1
        what = translate(_MESSAGE, self._lang, name=preview.recipient)
        buttons = " · ".join(b.get("text", "") for row in preview.buttons for b in row)
        text = preview.text + (f"\n\n🔘 {escape(buttons)}" if buttons else "")
        await self._text(self._header(title, what), text)

    async def _document(self, title: str, preview: Preview, drafts: list[Draft]) -> None:
        caption = str(preview.payload.get("caption") or "")
        await self._pdf(self._header(title, preview.recipient), caption, drafts,
                        preview.payload.get("document_id"))

    async def _email(self, title: str, preview: Preview, drafts: list[Draft]) -> None:
        self.sent.emails += 1
        header = self._header(title, preview.recipient)
        await self._text(header, str(preview.payload.get("body") or ""))
        await self._pdf(self._header(title, translate(_ATTACHED, self._lang)), "", drafts,
                        preview.payload.get("document_id"))

    async def _webhook(self, title: str, preview: Preview) -> None:
        self.sent.webhooks += 1
        body = str(preview.payload.get("body") or "")
        cut = body if len(body) <= WEBHOOK_SHOWN else body[:WEBHOOK_SHOWN] + " …"
        await self._text(self._header(title, preview.recipient), f"<pre>{escape(cut)}</pre>")

    async def _pdf(self, header: str, caption: str, drafts: list[Draft],
                   document_id: Any) -> None:
        """The rule's next draft as a PDF, or the stored document it would send."""
        shown = header + SEPARATOR + caption if caption else header
        if len(shown) > CAPTION_LIMIT:
            shown = header
        payload: dict[str, Any]
        if drafts:
            draft = drafts.pop(0)
            payload = {"html": stamped(draft.html), "file_name": f"{draft.number}-TEST.pdf"}
        elif isinstance(document_id, int) and document_id > 0:  # an e-mail's latest document
            payload = {"document_id": document_id}
        else:
            return
        self.sent.documents += 1
        await self._effects.queue("document", "document", self._me.chat_id,
                                  {**payload, "caption": shown, "buttons": []})

    async def _text(self, header: str, body: str) -> None:
        """One message, or the header and the body apart when together they are too long."""
        if len(header) + len(SEPARATOR) + len(body) <= TELEGRAM_LIMIT:
            await self._effects.send_message(self._me, header + SEPARATOR + body)
            return
        await self._effects.send_message(self._me, header)
        await self._effects.send_message(self._me, body if len(body) <= TELEGRAM_LIMIT else
                                         translate(_TOO_LONG, self._lang))

    def _header(self, title: str, what: str) -> str:
        return "🧪 <i>" + escape(translate(_HEADER, self._lang, rule=title, what=what)) + "</i>"


_HEADER = N_("Test · “{rule}”: {what}")
_MESSAGE = N_("message to {name}")
_ATTACHED = N_("the e-mail's attachment")
_CHANGES = N_("it would also change")
_TOO_LONG = N_("(The text is too long for a Telegram message.)")

_BODY = re.compile(r"<body\b[^>]*>", re.IGNORECASE)
_STAMP = ('<div style="position: fixed; top: 35%; left: 0; right: 0; text-align: center; '
          'font: bold 96pt sans-serif; color: rgba(200, 0, 0, 0.18); '
          'transform: rotate(-30deg); z-index: 1000">TEST</div>')


def stamped(html: str) -> str:
    """The document with TEST across every page: a draft's number is not taken, so its PDF
    must never pass for the real one."""
    found = _BODY.search(html)
    return html[:found.end()] + _STAMP + html[found.end():] if found else _STAMP + html
