"""The board's service (issue 16): column heads count and sum what the user may see, the
first cards of each column and the next ones by cursor, a search, and every query of it on
an index (no full scan of items, no sort of a column's rows)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from decimal import Decimal
from functools import partial

import pytest

from crm.clock import FrozenClock
from crm.container import CrmServices
from crm.errors import PermissionDenied, StaleCard
from crm.models import Role, Staff, StageKind
from crm.services.board import Board, Scope
from crm.services.closing import LostReasonNeeded
from crm.services.items import NewItem
from tests.conftest import add_staff
from tests.query_plans import plan_offenders


def heads(board: Board) -> dict[str, tuple[int, dict[str, Decimal]]]:
    return {c.stage.code or "": (c.totals.count, c.totals.sums) for c in board.columns}


def titles(board: Board, code: str) -> list[str]:
    column = next(c for c in board.columns if c.stage.code == code)
    return [card.item.title for card in column.cards]


async def test_columns_count_sum_and_show_what_the_user_may_see(
        services: CrmServices, admin: Staff, clock: FrozenClock) -> None:
    sam = await add_staff(services, admin, 2001, Role.SALES)
    own = await services.items.create(sam, NewItem("deal", "Sam's", amount=Decimal(100)))
    pipeline = own.pipeline_id
    clock.advance(minutes=1)
    await services.items.create(admin, NewItem("deal", "Ada's", amount=Decimal(250)))
    clock.advance(minutes=1)
    await services.items.create(None, NewItem("deal", "Nobody's", currency="USD",
                                              amount=Decimal(7)))
    everything = await services.board.board(admin, pipeline, Scope.ALL, None, 30)
    assert heads(everything)["new"] == (3, {"EUR": Decimal(350), "USD": Decimal(7)})
    assert titles(everything, "new") == ["Nobody's", "Ada's", "Sam's"]  # latest entered first
    kinds = [c.stage.kind for c in everything.columns]
    assert StageKind.SUCCESS in kinds and StageKind.FAILURE in kinds  # drop targets too
    # a salesperson: all = their own and unassigned ones; mine = their own
    theirs = await services.board.board(sam, pipeline, Scope.ALL, None, 30)
    assert titles(theirs, "new") == ["Nobody's", "Sam's"]
    assert heads(theirs)["new"][0] == 2
    mine = await services.board.board(sam, pipeline, Scope.MINE, None, 30)
    assert titles(mine, "new") == ["Sam's"] and heads(mine)["new"] == (1, {"EUR": Decimal(100)})
    found = await services.board.board(sam, pipeline, Scope.ALL, "ada", 30)
    assert heads(found)["new"][0] == 0  # Ada's item is not Sam's to find
    found = await services.board.board(admin, pipeline, Scope.ALL, "ada", 30)
    assert titles(found, "new") == ["Ada's"] and heads(found)["new"][0] == 1


async def test_a_column_pages_by_cursor_and_closed_items_show_in_their_column(
        services: CrmServices, admin: Staff, clock: FrozenClock) -> None:
    made = []
    for n in range(7):
        made.append(await services.items.create(admin, NewItem("deal", f"Deal {n}",
                                                               amount=Decimal(10))))
        clock.advance(minutes=1)
    pipeline = made[0].pipeline_id
    board = await services.board.board(admin, pipeline, Scope.ALL, None, 3)
    new = next(c for c in board.columns if c.stage.code == "new")
    assert [c.item.title for c in new.cards] == ["Deal 6", "Deal 5", "Deal 4"]
    seen = [c.item.title for c in new.cards]
    after = new.next
    while after is not None:
        cards, after = await services.board.column(admin, new.stage.id, Scope.ALL, None,
                                                   after, 3)
        seen += [c.item.title for c in cards]
    assert seen == [f"Deal {n}" for n in reversed(range(7))]
    found = await services.board.board(admin, pipeline, Scope.ALL, "deal", 3)
    new = next(c for c in found.columns if c.stage.code == "new")
    seen, after = [c.item.title for c in new.cards], new.next
    while after is not None:  # a search's column pages on the same way
        cards, after = await services.board.column(admin, new.stage.id, Scope.ALL, "deal",
                                                   after, 3)
        seen += [c.item.title for c in cards]
    assert seen == [f"Deal {n}" for n in reversed(range(7))] and new.totals.count == 7
    won = next(c for c in board.columns if c.stage.kind is StageKind.SUCCESS)
    await services.board.move(admin, made[0].id, won.stage.id, made[0].version)
    board = await services.board.board(admin, pipeline, Scope.ALL, None, 3)
    assert titles(board, won.stage.code or "") == ["Deal 0"]
    assert heads(board)["new"] == (6, {"EUR": Decimal(60)})
    assert heads(board)[won.stage.code or ""] == (1, {})  # a closed stage: counted, no sum


async def test_a_move_checks_version_access_and_asks_for_a_lost_reason(
        services: CrmServices, admin: Staff) -> None:
    sam = await add_staff(services, admin, 2001, Role.SALES)
    item = await services.items.create(admin, NewItem("deal", "Ada's"))
    _pipeline, stages = await services.catalog.pipeline(item.pipeline_id)
    lost = next(s for s in stages if s.kind is StageKind.FAILURE)
    with pytest.raises(PermissionDenied):
        await services.board.move(sam, item.id, stages[1].id, item.version)
    with pytest.raises(StaleCard):
        await services.board.move(admin, item.id, stages[1].id, item.version + 1)
    with pytest.raises(LostReasonNeeded):
        await services.board.move(admin, item.id, lost.id, item.version)
    assert "Preis" in await services.board.lost_reasons(admin, item.id, "de")
    moved, card = await services.board.move(admin, item.id, lost.id, item.version, "Preis")
    assert moved.item.lost_reason == "Price"  # a listed reason, stored as listed
    assert card.item.closed and card.item.version == item.version + 1


async def test_the_board_reads_indexes_only(
        services: CrmServices, admin: Staff, clock: FrozenClock,
        monkeypatch: pytest.MonkeyPatch) -> None:
    sam = await add_staff(services, admin, 2001, Role.SALES)
    made = []
    for n in range(6):
        made.append(await services.items.create(admin if n % 2 else sam, NewItem(
            "deal", f"Deal {n}", amount=Decimal(n))))
        clock.advance(minutes=1)
    pipeline, stage = made[0].pipeline_id, made[0].stage_id
    board = await services.board.board(admin, pipeline, Scope.ALL, None, 2)
    cursor = next(c.next for c in board.columns if c.stage.id == stage)
    assert cursor is not None
    paths: dict[str, Callable[[], Awaitable[object]]] = {}
    for who in (admin, sam):
        for scope in Scope:
            paths[f"board {who.role} {scope}"] = partial(
                services.board.board, who, pipeline, scope, None, 2)
            paths[f"search {who.role} {scope}"] = partial(
                services.board.board, who, pipeline, scope, "deal", 2)
            paths[f"column {who.role} {scope}"] = partial(
                services.board.column, who, stage, scope, None, cursor, 2)
    paths["details"] = partial(services.board.details, admin, made[0].id)
    paths["move"] = partial(services.board.move, admin, made[1].id, stage + 1,
                            made[1].version)
    offenders = await plan_offenders(services.uow.db.location, monkeypatch, paths,
                                     paged=lambda name: name.startswith(("board", "column")))
    assert offenders == [], "\n".join(offenders)
