"""Staff at work on a client's inquiry: taking it, the short title of a new one, the phone
numbers in a client's message, and whether the client is thanked for a message.

- 🙋 Take it: nobody being responsible yet, the presser becomes responsible (InquiryTaken:
  the others who were told of the inquiry hear who took it); taken already, the presser
  learns by whom. The first staff reply to an unassigned inquiry takes it the same way.
- Title: the client's name and the first words of the message, at most TITLE_WORDS
  characters, cut at a word (the whole message stays on the conversation).
- Phone numbers: read with `phonenumbers` (Germany the default region), offered to staff
  as the contact's phone; one already kept is not offered again.
- Thanks: once per conversation — a new inquiry, or a message after QUIET without a word
  on the item from either side.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

import phonenumbers

from crm.access import require_item_access
from crm.clock import Clock
from crm.errors import Entity, NotFound
from crm.models import Item, Staff, TimelineKind
from crm.services.item_edits import assign
from crm.storage.codec import parse_ts
from crm.storage.unit_of_work import UnitOfWork, UnitOfWorkFactory
from crm.text import one_line

TITLE_WORDS = 40  # characters of the first message in a new inquiry's title
QUIET = timedelta(hours=24)  # silence after which a client's message starts a new conversation
MAX_PHONES = 3  # numbers offered for one message
REGION = "DE"
TALK = (TimelineKind.CLIENT_MESSAGE.value, TimelineKind.CLIENT_FILE.value,
        TimelineKind.STAFF_REPLY.value)  # what counts as a word on the conversation


def short_text(text: str, limit: int = TITLE_WORDS) -> str:
    """The first words of `text` on one line, at most `limit` characters, cut at a word."""
    line = one_line(text)
    if len(line) <= limit:
        return line
    cut = line[: limit - 1]
    if line[limit - 1] != " " and " " in cut:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,.;:-–") + "…"


def phone_numbers(text: str, known: str | None = None) -> tuple[str, ...]:
    """The phone numbers in a message (E.164, e.g. +491712345678), without `known`."""
    found: list[str] = []
    for match in phonenumbers.PhoneNumberMatcher(text, REGION):
        number = phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164)
        if number not in found and number != known:
            found.append(number)
    return tuple(found[:MAX_PHONES])


def phone_display(number: str) -> str:
    """+491712345678 as people write it: +49 171 2345678."""
    try:
        parsed = phonenumbers.parse(number, REGION)
    except phonenumbers.NumberParseException:
        return number
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL)


async def starts_conversation(uow: UnitOfWork, item_id: int, at: datetime) -> bool:
    """Whether a client's message at `at` on the item (not filed yet) starts a conversation:
    nothing was said on the item for QUIET. One indexed read of the item's latest line."""
    rows = await uow.conn.execute_fetchall(
        "SELECT at FROM timeline WHERE item_id = ? AND kind IN (?, ?, ?)"
        " ORDER BY id DESC LIMIT 1", (item_id, *TALK))
    row = next(iter(rows), None)
    last = parse_ts(row[0]) if row is not None else None
    return last is None or at - last >= QUIET


@dataclass(frozen=True, slots=True)
class InquiryTaken:
    """Someone took an unassigned inquiry (event, in its transaction): the others told of it
    are to hear who. `by_reply`: by answering the client first."""

    item_id: int
    user_id: int
    name: str
    at: datetime
    by_reply: bool = False


@dataclass(frozen=True, slots=True)
class Taking:
    """The outcome of 🙋 Take it: `taken` the presser became responsible just now; else
    `holder` is who is responsible (the presser themselves, or someone else)."""

    item: Item
    taken: bool
    holder: Staff | None


async def take_unassigned(uow: UnitOfWork, actor: Staff, item: Item, now: datetime,
                          by_reply: bool = False) -> bool:
    """Makes `actor` responsible for `item` if nobody is, in the caller's transaction."""
    if item.responsible_id is not None:
        return False
    await assign(uow, item.id, actor.user_id, now, actor.user_id)
    await uow.publish(InquiryTaken(item.id, actor.user_id, actor.name, now, by_reply))
    return True


class InquiryDesk:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def take(self, actor: Staff, item_id: int) -> Taking:
        async with self._uow() as uow:
            item = await uow.items.get(item_id, with_products=False)
            if item is None:
                raise NotFound(what=Entity.ITEM, ref=item_id)
            if item.responsible_id is not None:
                holder = await uow.staff.get(item.responsible_id)
                return Taking(item, False, holder)
            require_item_access(actor, item)
            await take_unassigned(uow, actor, item, self._clock.now())
            await uow.commit()
        item.responsible_id = actor.user_id
        return Taking(item, True, actor)
