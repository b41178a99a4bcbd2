"""Domain records. Plain dataclasses: storage builds them, services and the bot read them."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal
from typing import Any


class Role(enum.StrEnum):
    SALES = "sales"
    MANAGER = "manager"
    ADMIN = "admin"


class StageKind(enum.StrEnum):
    PROGRESS = "progress"
    SUCCESS = "success"
    FAILURE = "failure"


class CrmMode(enum.StrEnum):
    SIMPLE = "simple"
    CLASSIC = "classic"


def localized(record: Any, language: str) -> str:
    """The record's name in `language` (records carry name_en and name_de)."""
    return str(record.name_de if language == "de" else record.name_en)


@dataclass(slots=True)
class Staff:
    user_id: int
    name: str
    role: Role
    can_edit_settings: bool = False
    username: str | None = None
    language: str | None = None
    active: bool = True
    joined_at: datetime | None = None

    @property
    def is_admin(self) -> bool:
        return self.role is Role.ADMIN

    @property
    def may_edit_settings(self) -> bool:
        return self.is_admin or self.can_edit_settings

    @property
    def sees_all_items(self) -> bool:
        return self.role in (Role.MANAGER, Role.ADMIN)


@dataclass(slots=True)
class Invite:
    code: str
    role: Role
    created_by: int
    created_at: datetime
    expires_at: datetime
    used_by: int | None = None
    used_at: datetime | None = None


@dataclass(slots=True)
class EntityType:
    code: str
    name_en: str
    name_de: str
    is_smart: bool
    position: int


@dataclass(slots=True)
class Pipeline:
    id: int
    type_code: str
    name_en: str
    name_de: str
    position: int
    is_default: bool


@dataclass(slots=True)
class Stage:
    id: int
    pipeline_id: int
    code: str | None
    name_en: str
    name_de: str
    kind: StageKind
    position: int

    @property
    def is_final(self) -> bool:
        return self.kind is not StageKind.PROGRESS


@dataclass(slots=True)
class Company:
    id: int
    name: str
    phone: str | None = None
    email: str | None = None
    tg_chat_id: int | None = None
    address: str | None = None  # postal address as typed, e.g. "Musterstraße 1, 10115 Berlin"


@dataclass(slots=True)
class Contact:
    id: int
    name: str
    phone: str | None = None
    email: str | None = None
    tg_chat_id: int | None = None
    tg_username: str | None = None
    language: str | None = None
    company_id: int | None = None
    address: str | None = None  # postal address as typed (documents print it)


@dataclass(slots=True)
class Product:
    name: str
    price: Decimal
    quantity: Decimal = Decimal(1)
    id: int | None = None

    @property
    def total(self) -> Decimal:
        return self.price * self.quantity


@dataclass(slots=True)
class Item:
    id: int
    type_code: str
    pipeline_id: int
    stage_id: int
    title: str
    amount: Decimal | None
    currency: str
    contact_id: int | None
    company_id: int | None
    responsible_id: int | None
    source: str | None
    custom: dict[str, Any]
    closed: bool
    version: int
    created_by: int | None
    created_at: datetime
    updated_at: datetime
    stage_entered_at: datetime
    products: list[Product] = field(default_factory=list)
    lost_reason: str | None = None  # why it was lost, when moved to a failure stage by hand
    stages_reached: frozenset[int] = frozenset()  # every stage it has entered (its history)


@dataclass(slots=True)
class StageChange:
    item_id: int
    from_stage_id: int | None
    to_stage_id: int
    by_user_id: int | None
    at: datetime
    lost_reason: str | None = None  # the reason given when it was moved to a failure stage


@dataclass(slots=True)
class Activity:
    id: int
    item_id: int
    kind: str
    subject: str
    deadline: datetime | None
    assignee_id: int | None
    done: bool
    done_at: datetime | None
    created_at: datetime


@dataclass(slots=True)
class TeamChat:
    """A group the bot was added to; rules may post notifications there."""

    chat_id: int
    title: str
    active: bool = True
    added_by: int | None = None
    added_at: datetime | None = None


class TimelineKind(enum.StrEnum):
    CLIENT_MESSAGE = "client_message"
    STAFF_REPLY = "staff_reply"
    NOTE = "note"
    STAGE_CHANGE = "stage_change"
    CLIENT_BUTTON = "client_button"  # the client pressed a button a rule sent; text: its label
    CLIENT_FILE = "client_file"  # a photo, voice note, file, … or contact; text: its caption
    CONTACT_CHANGE = "contact_change"  # the contact's name, phone, … changed; text: old → new


@dataclass(slots=True)
class TimelineEntry:
    """One line of an item's timeline (client messages, staff replies, notes)."""

    item_id: int
    at: datetime
    kind: TimelineKind
    text: str
    author_id: int | None = None  # None: the client wrote it
    tg_message_id: int | None = None
    id: int | None = None


@dataclass(frozen=True, slots=True)
class CopyLink:
    """Which item a copy was made from (a "copy the item" rule, once or on a schedule)."""

    copy_id: int
    origin_id: int
    at: datetime
    schedule_id: int | None = None
    occurrence: int | None = None


@dataclass(slots=True)
class ClientFile:
    """A photo, voice note, document, video, video note, audio or shared contact a client
    sent (or a salesperson forwarded), kept by Telegram's file_id (migration 016)."""

    kind: str  # photo, voice, document, video, video_note, audio, contact
    file_id: str | None  # None for a shared contact
    file_unique_id: str | None = None
    caption: str = ""
    file_name: str | None = None  # a shared contact's name
    mime_type: str | None = None
    file_size: int | None = None
    phone: str | None = None  # a shared contact's number
    id: int = 0
    item_id: int = 0
    timeline_id: int | None = None
    at: datetime | None = None
    forwarded_by: int | None = None  # None: the client sent it


@dataclass(frozen=True, slots=True)
class DialogKey:
    """Whose dialog: a user in a chat (and a forum thread, a business connection), per bot;
    `destiny` keeps apart several dialogs of one user (as aiogram's StorageKey)."""

    bot_id: int
    chat_id: int
    user_id: int
    thread_id: int | None = None
    business_connection_id: str | None = None
    destiny: str = "default"
