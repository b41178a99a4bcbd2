"""A client's file reaches staff through the outbox, like an inquiry's text (see
bot/inquiries/notify.py): the file itself is sent again by its file_id with the notification
as its caption and the inquiry's buttons (a reply to it answers the client). A video
message has no caption: its notification comes as a message before it. A shared contact is
a message, with the choice of number when it differs from the one kept."""

from __future__ import annotations

from bot.common.notices import OutboxNotices
from bot.files.media import NO_CAPTION
from bot.files.views import file_keyboard, file_notification
from bot.inquiries.notify import recipients
from bot.telegram.transport import markup_payload
from crm.events import EventBus
from crm.services.inquiries import InquiryFiled
from crm.storage.unit_of_work import UnitOfWork


class FileOutbox(OutboxNotices):
    def install(self, bus: EventBus) -> None:
        bus.subscribe(InquiryFiled, self.on_inquiry)

    async def on_inquiry(self, event: InquiryFiled, uow: UnitOfWork) -> None:
        kept = event.file
        if kept is None:
            return  # a text: bot/inquiries/notify.py tells staff
        file = kept.file
        for chat_id, language in await recipients(uow, event.result.responsible_id,
                                                  self._default):
            with self.speaking(language):
                text = file_notification(event)
                buttons = markup_payload(file_keyboard(
                    event.result.item_id, kept, take=event.result.responsible_id is None,
                    phones=event.result.phones))
            key = f"inquiry:{event.entry_id}:{chat_id}"
            if file.kind == "contact" or file.kind in NO_CAPTION or file.file_id is None:
                await self.queue(uow, key, chat_id, {"text": text, "buttons": buttons})
            if file.file_id is not None and file.kind in NO_CAPTION:
                await self.queue(uow, f"{key}:file", chat_id, {
                    "file_kind": file.kind, "file_id": file.file_id}, kind="file")
            elif file.file_id is not None:
                await self.queue(uow, f"{key}:file", chat_id, {
                    "file_kind": file.kind, "file_id": file.file_id, "caption": text,
                    "buttons": buttons}, kind="file")
