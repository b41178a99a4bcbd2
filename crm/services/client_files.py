"""Client files: photos, voice notes, documents, videos, video notes, audio and shared
contacts a client sends (or a salesperson forwards), kept on the item's conversation by
Telegram's file_id — nothing is downloaded; sending one again is sending its file_id.

A shared contact of the client themself fills the contact's phone number when it has none;
when it differs from the one kept, staff are told and choose (`use_phone`)."""

from __future__ import annotations

import enum
import re
from dataclasses import dataclass, replace
from datetime import datetime

from crm.clock import Clock
from crm.errors import AppError, InvalidInput
from crm.models import ClientFile, Contact, Staff, TimelineEntry, TimelineKind
from crm.services.contact_details import clean_phone, same_phone
from crm.services.item_access import visible_item
from crm.storage.repos.client_files import ClientFileRepo
from crm.storage.unit_of_work import UnitOfWork, UnitOfWorkFactory

KINDS = ("photo", "voice", "document", "video", "video_note", "audio", "contact")
SENDABLE = frozenset(KINDS) - {"contact"}
LISTED = 30  # files /files shows, the newest
ICONS = {"photo": "📷", "voice": "🎤", "document": "📄", "video": "🎬", "video_note": "📹",
         "audio": "🎵", "contact": "📇"}
MAX_CAPTION = 1024  # Telegram's own limit


class FileMissing(AppError):
    """No such client file (or not one that can be sent again). params: ref."""

    code = "file_missing"


class PhoneNews(enum.StrEnum):
    """What a shared contact did to the contact's phone number."""

    FILLED = "filled"  # the contact had none: it has this one now
    SAME = "same"  # the same number was kept already
    DIFFERS = "differs"  # another number is kept: staff choose
    NOT_OWN = "not_own"  # someone else's contact: kept in the conversation only
    INVALID = "invalid"  # no number we can keep


@dataclass(frozen=True, slots=True)
class KeptFile:
    """A file just kept, and for a shared contact what it did to the phone number."""

    file: ClientFile
    contact_id: int | None = None
    phone: PhoneNews | None = None
    old_phone: str | None = None


def file_title(file: ClientFile) -> str:
    """Words for an item's title or a line when the file has no caption: its icon and name."""
    name = file.file_name or (file.phone if file.kind == "contact" else None)
    return " ".join(part for part in (ICONS.get(file.kind, "📎"), name) if part)


def shared_phone(raw: str | None) -> str | None:
    """A shared contact's number as it is kept: Telegram gives it without "+" (digits with
    the country code); None when it is no phone number."""
    value = (raw or "").strip()
    if re.fullmatch(r"\d+", value) and not value.startswith("0"):
        value = "+" + value
    try:
        return clean_phone(value)
    except InvalidInput:
        return None


async def keep_file(uow: UnitOfWork, item_id: int, entry_id: int | None, file: ClientFile,
                    at: datetime, contact: Contact | None = None, own_contact: bool = False,
                    forwarded_by: int | None = None) -> KeptFile:
    """Keeps the file in the caller's unit of work. A shared contact that is the sender's own
    (`own_contact`) fills `contact`'s phone number when it has none."""
    kept = replace(file, item_id=item_id, timeline_id=entry_id, at=at,
                   forwarded_by=forwarded_by, caption=file.caption[:MAX_CAPTION])
    if kept.kind == "contact":
        kept.phone = shared_phone(file.phone) or file.phone
    await uow.extension(ClientFileRepo).add(kept)
    if kept.kind != "contact" or contact is None:
        return KeptFile(kept)
    number = shared_phone(file.phone)
    if not own_contact:
        return KeptFile(kept, contact.id, PhoneNews.NOT_OWN, contact.phone)
    if number is None:
        return KeptFile(kept, contact.id, PhoneNews.INVALID, contact.phone)
    if contact.phone is None:
        contact.phone = number
        await uow.clients.update_contact(contact)
        return KeptFile(kept, contact.id, PhoneNews.FILLED)
    if same_phone(contact.phone, number):
        return KeptFile(kept, contact.id, PhoneNews.SAME, contact.phone)
    return KeptFile(kept, contact.id, PhoneNews.DIFFERS, contact.phone)


class ClientFileService:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def files(self, actor: Staff, item_id: int) -> list[ClientFile]:
        """The item's newest files (LISTED), oldest first; shared contacts too."""
        async with self._uow(write=False) as uow:
            await visible_item(uow, actor, item_id)
            return await uow.extension(ClientFileRepo).for_item(item_id, LISTED)

    async def sendable(self, actor: Staff, file_id: int) -> ClientFile:
        """A file of an item the actor may see, to be sent again by its file_id."""
        async with self._uow(write=False) as uow:
            file = await uow.extension(ClientFileRepo).get(file_id)
            if file is None or file.file_id is None or file.kind not in SENDABLE:
                raise FileMissing(ref=file_id)
            await visible_item(uow, actor, file.item_id)
        return file

    async def of_lines(self, entry_ids: list[int]) -> dict[int, ClientFile]:
        """The files of conversation lines (the caller has shown the item to the actor)."""
        async with self._uow(write=False) as uow:
            return await uow.extension(ClientFileRepo).for_timeline(entry_ids)

    async def use_phone(self, actor: Staff, file_id: int) -> Contact:
        """Staff chose the number of a shared contact over the one kept; noted on the item."""
        async with self._uow() as uow:
            file = await uow.extension(ClientFileRepo).get(file_id)
            if file is None or file.kind != "contact":
                raise FileMissing(ref=file_id)
            item = await visible_item(uow, actor, file.item_id)
            contact = await uow.clients.get_contact(item.contact_id) if item.contact_id \
                else None
            number = shared_phone(file.phone)
            if contact is None or number is None:
                raise FileMissing(ref=file_id)
            if contact.phone != number:
                line = f"☎️ {contact.name}: {contact.phone or '—'} → {number}"
                contact.phone = number
                await uow.clients.update_contact(contact)
                await uow.timeline.add(TimelineEntry(item.id, self._clock.now(),
                                                     TimelineKind.CONTACT_CHANGE, line,
                                                     author_id=actor.user_id))
            await uow.commit()
        return contact
