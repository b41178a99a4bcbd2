"""A client's file reaches staff through the outbox, like an inquiry's text (see
bot/inquiries/notify.py): the file itself is sent again by its file_id with the notification
as its caption and the inquiry's buttons (a reply to it answers the client). A video
message has no caption: its notification comes as a message before it. A shared contact is
a message, with the choice of number when it differs from the one kept."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from aiogram.utils.i18n import I18n

from bot.files.media import NO_CAPTION
from bot.files.views import file_keyboard, file_notification
from bot.inquiries.notify import recipients
from bot.telegram.transport import markup_payload
from crm.clock import Clock
from crm.events import EventBus
from crm.services.inquiries import InquiryFiled
from crm.storage.unit_of_work import UnitOfWork
from rules.model import OutboxRow, OutboxState
from rules.storage.unit import repos


class FileOutbox:
    def __init__(self, i18n: I18n, default_language: str, clock: Clock,
                 wake: Callable[[], None]) -> None:
        self._i18n = i18n
        self._clock = clock
        self._default = default_language
        self._wake = wake

    def install(self, bus: EventBus) -> None:
        bus.subscribe(InquiryFiled, self.on_inquiry)

    async def on_inquiry(self, event: InquiryFiled, uow: UnitOfWork) -> None:
        kept = event.file
        if kept is None:
            return  # a text: bot/inquiries/notify.py tells staff
        file = kept.file
        for chat_id, language in await recipients(uow, event.result.responsible_id,
                                                  self._default):
            with self._i18n.context(), self._i18n.use_locale(language):
                text = file_notification(event)
                buttons = markup_payload(file_keyboard(
                    event.result.item_id, kept, take=event.result.responsible_id is None,
                    phones=event.result.phones))
            key = f"inquiry:{event.entry_id}:{chat_id}"
            if file.kind == "contact" or file.kind in NO_CAPTION or file.file_id is None:
                await self._queue(uow, key, chat_id, "message",
                                  {"text": text, "buttons": buttons})
            if file.file_id is not None and file.kind in NO_CAPTION:
                await self._queue(uow, f"{key}:file", chat_id, "file", {
                    "file_kind": file.kind, "file_id": file.file_id})
            elif file.file_id is not None:
                await self._queue(uow, f"{key}:file", chat_id, "file", {
                    "file_kind": file.kind, "file_id": file.file_id, "caption": text,
                    "buttons": buttons})

    async def _queue(self, uow: UnitOfWork, key: str, chat_id: int, kind: str,
                     payload: dict[str, Any]) -> None:
        now = self._clock.now()
        await repos(uow).outbox.add(OutboxRow(
            id=0, run_id=None, dedupe_key=key, chat_id=chat_id, kind=kind, payload=payload,
            state=OutboxState.PENDING, attempts=0, next_attempt_at=now, created_at=now))
        uow.after_commit(self._wake)
