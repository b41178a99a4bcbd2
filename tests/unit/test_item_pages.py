"""Item lists paged by id (keyset) both ways, a salesperson's two ranges merged, and counts
that stop at COUNT_CAP (issue 10)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.i18n import build_i18n
from bot.lists.callbacks import ListCb
from bot.lists.views import ItemListView, list_text
from crm.container import CrmServices
from crm.models import Item, Role, Staff
from crm.queries import COUNT_CAP, ItemPage, ItemQuery
from crm.services.items import NewItem
from crm.storage.codec import ts
from tests.conftest import add_staff

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


def ids(page: ItemPage) -> list[int]:
    return [i.id for i in page.items]


async def _items(services: CrmServices, count: int, responsible: int | None) -> None:
    """`count` deals written at once (the services would take a while for thousands)."""
    async with services.uow() as uow:
        pipeline = (await uow.catalog.list_pipelines("deal"))[0]
        stage = (await uow.catalog.list_stages(pipeline.id))[0]
        now = ts(services.clock.now())
        await uow.conn.executemany(
            "INSERT INTO items (type_code, pipeline_id, stage_id, title, responsible_id,"
            " created_at, updated_at, stage_entered_at) VALUES ('deal', ?, ?, ?, ?, ?, ?, ?)",
            [(pipeline.id, stage.id, f"Deal {n}", responsible, *[now] * 3) for n in range(count)])
        await uow.commit()


async def test_pages_forward_and_back_by_id(services: CrmServices, admin: Staff) -> None:
    await _items(services, 20, admin.user_id)
    first = await services.items.page(admin, ItemQuery(limit=8))
    assert ids(first) == list(range(20, 12, -1))
    assert (first.total, first.more_than_total, first.above) == (20, False, 0)
    assert (first.has_newer, first.has_older) == (False, True)
    second = await services.items.page(admin, ItemQuery(before=13, limit=8))
    assert ids(second) == list(range(12, 4, -1))
    assert (second.first_position, second.has_newer, second.has_older) == (9, True, True)
    last = await services.items.page(admin, ItemQuery(before=5, limit=8))
    assert ids(last) == [4, 3, 2, 1]
    assert (last.first_position, last.has_newer, last.has_older) == (17, True, False)
    back = await services.items.page(admin, ItemQuery(after=4, limit=8))
    assert ids(back) == ids(second) and back.first_position == 9
    assert (back.has_newer, back.has_older) == (True, True)
    top = await services.items.page(admin, ItemQuery(after=12, limit=8))  # the top reached
    assert ids(top) == ids(first) and not top.has_newer and top.first_position == 1


async def test_a_page_past_deleted_items_starts_again_at_the_top(
        services: CrmServices, admin: Staff) -> None:
    await _items(services, 3, admin.user_id)
    page = await services.items.page(admin, ItemQuery(before=1, limit=8))
    assert ids(page) == [3, 2, 1] and not page.has_newer


async def test_a_salespersons_list_merges_their_items_and_unassigned_ones(
        services: CrmServices, admin: Staff) -> None:
    sam = await add_staff(services, admin, 2001, Role.SALES)
    for n in range(12):
        owner = (sam, None, admin)[n % 3]
        await services.items.create(owner, NewItem("deal" if n % 2 else "quote", f"Item {n}"))
    visible = [11, 10, 8, 7, 5, 4, 2, 1]  # sam's: 1, 4, 7, 10; nobody's: 2, 5, 8, 11
    pages = [await services.items.page(sam, ItemQuery(limit=3))]
    while pages[-1].has_older:
        pages.append(await services.items.page(
            sam, ItemQuery(before=pages[-1].items[-1].id, limit=3)))
    assert [ids(p) for p in pages] == [visible[:3], visible[3:6], visible[6:]]
    assert [p.total for p in pages] == [8, 8, 8]
    assert [p.first_position for p in pages] == [1, 4, 7]
    back = await services.items.page(sam, ItemQuery(after=pages[-1].items[0].id, limit=3))
    assert ids(back) == visible[3:6]
    quotes = await services.items.page(sam, ItemQuery(type_code="quote", limit=4))
    assert ids(quotes) == [11, 7, 5, 1] and quotes.total == 4
    mine = await services.items.page(sam, ItemQuery(responsible_id=sam.user_id, limit=10))
    assert ids(mine) == [10, 7, 4, 1]
    others = await services.items.page(sam, ItemQuery(responsible_id=admin.user_id))
    assert ids(others) == [] and others.total == 0


async def test_counts_stop_at_the_cap(services: CrmServices, admin: Staff) -> None:
    await _items(services, COUNT_CAP + 5, admin.user_id)
    first = await services.items.page(admin, ItemQuery(limit=8))
    assert (first.total, first.more_than_total) == (COUNT_CAP, True)
    near_top = await services.items.page(admin, ItemQuery(before=COUNT_CAP, limit=8))
    assert near_top.first_position == 7  # 1005 … 1000 are above it
    deep = await services.items.page(admin, ItemQuery(before=3, limit=8))
    assert ids(deep) == [2, 1] and deep.above is None  # more than COUNT_CAP above it


@pytest.mark.parametrize(("language", "search", "head"), [
    ("en", None, "More than 1,000 items · 1,001–1,002"),
    ("de", None, "Mehr als 1.000 Elemente · 1.001–1.002"),
    ("en", "müller", "Found more than 1,000 for “müller”"),
    ("de", "müller", "Mehr als 1.000 Treffer für „müller“"),
])
def test_a_capped_count_reads_as_more_than(language: str, search: str | None,
                                           head: str) -> None:
    items = [Item(id=n, type_code="deal", pipeline_id=1, stage_id=1, title=f"Deal {n}",
                  amount=None, currency="EUR", contact_id=None, company_id=None,
                  responsible_id=None, source=None, custom={}, closed=False, version=1,
                  created_by=None, created_at=NOW, updated_at=NOW, stage_entered_at=NOW)
             for n in (4, 3)]
    page = ItemPage(items, total=COUNT_CAP, more_than_total=True, above=1000,
                    has_newer=True, has_older=True)
    i18n = build_i18n(language)
    with i18n.context(), i18n.use_locale(language):
        text = list_text(ItemListView(page, ListCb(), [], {}, search=search), language,
                         "Europe/Berlin")
    assert text.startswith(f"<b>{head}</b>\n#4 deal · Deal 4")


async def test_forged_cursors_and_ids_show_the_first_page_or_nothing(
        services: CrmServices, admin: Staff) -> None:
    await _items(services, 3, admin.user_id)
    for cursor in ({"before": 10**30}, {"after": 10**30}, {"before": -5}, {"after": -(10**30)}):
        page = await services.items.page(admin, ItemQuery(**cursor, limit=8))  # type: ignore[arg-type]
        assert ids(page) == [3, 2, 1], cursor
    for wrong in ({"stage_id": 10**30}, {"responsible_id": -(10**30)}):
        page = await services.items.page(admin, ItemQuery(**wrong))  # type: ignore[arg-type]
        assert (ids(page), page.total) == ([], 0), wrong
