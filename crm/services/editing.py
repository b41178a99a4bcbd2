"""Staff editing an item by hand: a field (title, amount, currency, probability, a custom
field) or who is responsible. The same checks as the automation's changes (item_edits)."""

from __future__ import annotations

from crm.clock import Clock
from crm.errors import Entity, InputProblem, InvalidInput, NotFound
from crm.models import Item, Staff
from crm.service_period import FIELD as SERVICE_DATE
from crm.service_period import NAMES as SERVICE_DATE_NAMES
from crm.services.item_access import visible_item
from crm.services.item_edits import assign, parse_value, update_field
from crm.storage.unit_of_work import UnitOfWorkFactory

# The field names staff may type, in either language.
FIELD_NAMES = {
    "title": "title", "titel": "title", "amount": "amount", "betrag": "amount",
    "currency": "currency", "währung": "currency", "waehrung": "currency",
    "probability": "probability", "wahrscheinlichkeit": "probability",
} | {name: "custom." + SERVICE_DATE for name in SERVICE_DATE_NAMES}


def field_name(word: str) -> str:
    """The field a typed word means: a known name, or `custom.<name>` as written."""
    lower = word.strip().lower()
    if lower in FIELD_NAMES:
        return FIELD_NAMES[lower]
    if lower.startswith("custom."):
        return "custom." + word.strip()[len("custom."):]
    raise InvalidInput(field="field", value=word, problem=InputProblem.UNKNOWN_FIELD)


class ItemEditService:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    async def edit(self, actor: Staff, item_id: int, field: str, text: str) -> Item:
        change = parse_value(field_name(field), text)
        async with self._uow() as uow:
            await visible_item(uow, actor, item_id)
            item = await update_field(uow, item_id, change, self._clock.now(), actor.user_id)
            await uow.commit()
        return item

    async def assign(self, actor: Staff, item_id: int, who: str) -> tuple[Item, Staff]:
        """Makes a team member responsible: `who` is "me", @username, a user id or the start
        of a name. A salesperson may take an item over or hand their own on (who sees it
        follows who is responsible)."""
        async with self._uow() as uow:
            await visible_item(uow, actor, item_id)
            staff = match_staff(await uow.staff.list_active(), who, actor)
            item = await assign(uow, item_id, staff.user_id, self._clock.now(),
                                actor.user_id)
            await uow.commit()
        return item, staff


def match_staff(team: list[Staff], who: str, actor: Staff) -> Staff:
    text = who.strip().lstrip("@").lower()
    if text in ("me", "mir", "mich", "ich"):
        return actor
    found = [s for s in team if text in (str(s.user_id), (s.username or "").lower())]
    found = found or [s for s in team if s.name.lower().startswith(text)]
    if len(found) != 1 or not text:
        raise NotFound(what=Entity.STAFF, ref=who)
    return found[0]
