"""The pipeline board (a Telegram Mini App, bot/board/): a pipeline's stages as columns with
how many items each holds and their sum, the first cards of each, the next cards of one,
an item's details, and a card dragged to another column.

Who sees what is the chat's rule (crm/access.py): managers and admins every item, a
salesperson their own and unassigned ones ("mine": only their own). Open stages show
their open items, success and failure stages the items closed there, most recently first.
A head counts and sums an open stage's items; a closed stage's it counts, without a sum
(they add up over the years). A move is `move_item` — the same as a stage button's press:
the version the board showed is checked (StaleCard), a failure stage asks for a lost reason
and a won item for reopening (MoveQuestion), the stage's rules are planned and the events
published in the move's transaction."""

from __future__ import annotations

import enum
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from crm.access import require_item_access
from crm.clock import Clock
from crm.errors import Entity, NotFound
from crm.i18n import LANGUAGES, translate
from crm.models import Item, Pipeline, Staff, Stage
from crm.queries import COUNT_CAP
from crm.services.cards import ItemCard, load_card
from crm.services.closing import HandMove
from crm.services.item_moves import MoveResult, move_item
from crm.services.overview import Totals
from crm.storage.codec import ts
from crm.storage.repos.board import BoardRepo, Cursor, Hit, Owners
from crm.storage.repos.lost_reasons import LostReasonRepo
from crm.storage.unit_of_work import UnitOfWork, UnitOfWorkFactory

MAX_CARDS = 100  # cards of one column in one answer
SEARCH_CAP = COUNT_CAP  # a search reads at most this many items (the heads count those)

# Which of these items' automation failed in their current stage (the rules engine's answer,
# registered by rules/container.py: crm does not read the engine's tables).
FailedReader = Callable[[UnitOfWork, list[int]], Awaitable[set[int]]]


class Scope(enum.StrEnum):
    MINE = "mine"
    ALL = "all"  # everything the user may see


@dataclass(slots=True)
class BoardCard:
    item: Item
    contact: str | None
    responsible: str | None
    automation_failed: bool


@dataclass(slots=True)
class Column:
    stage: Stage
    totals: Totals
    cards: list[BoardCard] = field(default_factory=list)
    next: Cursor | None = None  # where the next page starts; None: no more cards


@dataclass(slots=True)
class Board:
    pipeline: Pipeline
    columns: list[Column]
    capped: bool = False  # a search found more than SEARCH_CAP items: the heads count those


@dataclass(slots=True)
class ItemDetails:
    card: ItemCard  # with its history
    names: dict[int, str]  # staff names of the history


def owners(actor: Staff, scope: Scope) -> Owners:
    if scope is Scope.MINE:
        return [actor.user_id]
    return None if actor.sees_all_items else [actor.user_id, None]


class BoardService:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock
        self._failed: FailedReader | None = None

    def read_failed_with(self, reader: FailedReader) -> None:
        self._failed = reader

    async def board(self, actor: Staff, pipeline_id: int, scope: Scope, text: str | None,
                    limit: int) -> Board:
        limit = max(1, min(limit, MAX_CARDS))
        whose = owners(actor, scope)
        async with self._uow(write=False) as uow:
            pipeline = await uow.catalog.get_pipeline(pipeline_id)
            if pipeline is None:
                raise NotFound(what=Entity.PIPELINE, ref=pipeline_id)
            stages = await uow.catalog.list_stages(pipeline_id)
            columns = {s.id: Column(s, Totals()) for s in stages}
            repo = uow.extension(BoardRepo)
            capped = False
            if text:
                found = await repo.search(pipeline_id, text, whose, SEARCH_CAP + 1)
                capped, found = len(found) > SEARCH_CAP, found[:SEARCH_CAP]
                for hit in found:
                    if column := columns.get(hit.stage_id):  # closed ones: no sum
                        column.totals.add(hit.currency, 1, None if hit.closed
                                          else hit.amount_minor)
                for column in columns.values():
                    hits = _page([h for h in found if h.stage_id == column.stage.id], None)
                    page = await repo.items([h.item_id for h in hits[:limit]])
                    column.cards = await self._cards(uow, page, limit)
                    column.next = hits[limit - 1].position if len(hits) > limit else None
            else:
                for row in await repo.open_sums(pipeline_id, whose):
                    if column := columns.get(row.stage_id):
                        column.totals.add(row.currency, row.count, row.amount_minor)
                for stage in stages:
                    if stage.is_final:  # counted, not summed: all the years' items
                        columns[stage.id].totals.count = await repo.count(stage.id, whose)
                for column in columns.values():
                    if column.totals.count:
                        page = await repo.column(column.stage.id, whose, None, limit + 1)
                        column.cards = await self._cards(uow, page, limit)
                        column.next = _cursor(page[limit - 1]) if len(page) > limit else None
        return Board(pipeline, list(columns.values()), capped)

    async def column(self, actor: Staff, stage_id: int, scope: Scope, text: str | None,
                     after: Cursor | None, limit: int) -> tuple[list[BoardCard], Cursor | None]:
        """The next cards of one column after `after`, and where the page after it starts."""
        limit = max(1, min(limit, MAX_CARDS))
        whose = owners(actor, scope)
        async with self._uow(write=False) as uow:
            stage = await uow.catalog.get_stage(stage_id)
            if stage is None:
                raise NotFound(what=Entity.STAGE, ref=stage_id)
            repo = uow.extension(BoardRepo)
            if text:
                found = await repo.search(stage.pipeline_id, text, whose, SEARCH_CAP)
                hits = _page([h for h in found if h.stage_id == stage_id], after)
                page = await repo.items([h.item_id for h in hits[:limit]])
                following = hits[limit - 1].position if len(hits) > limit else None
            else:
                page = await repo.column(stage_id, whose, after, limit + 1)
                following = _cursor(page[limit - 1]) if len(page) > limit else None
            cards = await self._cards(uow, page, limit)
        return cards, following

    async def details(self, actor: Staff, item_id: int) -> ItemDetails:
        async with self._uow(write=False) as uow:
            card = await load_card(uow, actor, item_id, with_history=True)
            names = {s.user_id: s.name for s in await uow.staff.list_active()}
        return ItemDetails(card, names)

    async def move(self, actor: Staff, item_id: int, stage_id: int, version: int,
                   lost_reason: str | None = None, reopen: bool = False
                   ) -> tuple[MoveResult, BoardCard]:
        """Moves the item as a stage button does (`version`: what the board showed) and
        reads its card in the same transaction. `lost_reason`: chosen from the pipeline's
        list (as shown, in any language) or typed."""
        async with self._uow() as uow:
            hand = await _hand(uow, item_id, lost_reason, reopen)
            moved = await move_item(uow, actor, item_id, stage_id, self._clock.now(),
                                    version, hand=hand)
            card = (await self._cards(uow, [moved.item], 1))[0]
            await uow.commit()
        return moved, card

    async def card(self, actor: Staff, item_id: int) -> BoardCard:
        """One item's card as the board shows it (after a move, once its rules ran)."""
        async with self._uow(write=False) as uow:
            item = await uow.items.get(item_id, with_products=False)
            if item is None:
                raise NotFound(what=Entity.ITEM, ref=item_id)
            require_item_access(actor, item)
            return (await self._cards(uow, [item], 1))[0]

    async def lost_reasons(self, actor: Staff, item_id: int, language: str) -> list[str]:
        """The reasons offered when the item is lost, in `language`."""
        async with self._uow(write=False) as uow:
            item = await uow.items.get(item_id, with_products=False)
            if item is None:
                raise NotFound(what=Entity.ITEM, ref=item_id)
            require_item_access(actor, item)
            listed = await uow.extension(LostReasonRepo).for_pipeline(item.pipeline_id)
        return [translate(r.name, language) for r in listed]

    async def _cards(self, uow: UnitOfWork, items: list[Item], limit: int) -> list[BoardCard]:
        items = items[:limit]
        if not items:
            return []
        names = await uow.extension(BoardRepo).contact_names(
            {i.contact_id for i in items if i.contact_id})
        team = {}  # the responsible people (the staff rows are cached)
        for user_id in {i.responsible_id for i in items if i.responsible_id}:
            member = await uow.staff.get(user_id)
            team[user_id] = member.name if member else "?"
        failed = await self._failed(uow, [i.id for i in items]) if self._failed else set()
        return [BoardCard(i, names.get(i.contact_id) if i.contact_id else None,
                          team.get(i.responsible_id) if i.responsible_id else None,
                          i.id in failed) for i in items]


async def _hand(uow: UnitOfWork, item_id: int, reason: str | None, reopen: bool) -> HandMove:
    """A reason from the pipeline's list by its id (stored as listed, shown translated);
    anything else as typed."""
    if reason is None:
        return HandMove(reopen_confirmed=reopen)
    item = await uow.items.get(item_id, with_products=False)
    if item is not None:
        wanted = reason.strip().casefold()
        for listed in await uow.extension(LostReasonRepo).for_pipeline(item.pipeline_id):
            if any(translate(listed.name, lang).casefold() == wanted for lang in LANGUAGES):
                return HandMove(reason_id=listed.id, reopen_confirmed=reopen)
    return HandMove(reason=reason, reopen_confirmed=reopen)


def _cursor(item: Item) -> Cursor:
    return Cursor(ts(item.stage_entered_at) or "", item.id)


def _page(hits: list[Hit], after: Cursor | None) -> list[Hit]:
    """What a search found in one column, in the board's order, after `after`."""
    def key(hit: Hit) -> tuple[str, int]:
        return hit.position.entered, hit.position.item_id

    ordered = sorted(hits, key=key, reverse=True)
    if after is None:
        return ordered
    return [h for h in ordered if key(h) < (after.entered, after.item_id)]
