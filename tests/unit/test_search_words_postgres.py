"""PostgreSQL's words table (migration 034, crm/storage/postgres/search_words.py): an item
search's first word read from item_search_words finds exactly what the trigram condition
finds, newest first, and the words follow every change of the search rows."""

from __future__ import annotations

from crm.container import CrmServices
from crm.models import Role, Staff
from crm.queries import ItemQuery
from crm.services.items import NewItem
from crm.storage.dialect import POSTGRESQL
from crm.storage.postgres.search_words import VOCABULARY, newest_items
from crm.storage.search import SearchText, search_text
from tests.conftest import add_staff
from tests.databases import postgresql_only

pytestmark = postgresql_only

TITLES = ["Küche Werner", "Dach", "Fenster Wernersen", "Werkstatt", "Straße am Markt",
          "Garten", "Werner Werk", "Büro"]
CLIENTS = ["Anna Werner", "Jürgen Müller", "Bäckerei Groß", None]


async def _both(services: CrmServices, found: SearchText, owners: list[str] | None
                ) -> tuple[list[int] | None, list[int]]:
    """The ids by the words table, and by the trigram condition alone."""
    async with services.uow(write=False) as uow:
        by_words = await newest_items(uow.conn, found, owners, 100)
        where, args = POSTGRESQL.search("item_search", found, "s", owners)
        rows = await uow.conn.execute_fetchall(
            f"SELECT s.rowid FROM item_search s WHERE {where} ORDER BY s.rowid DESC", args)
    return by_words, [int(r[0]) for r in rows]


async def test_the_words_find_what_the_trigrams_find(services: CrmServices,
                                                     admin: Staff) -> None:
    sam = await add_staff(services, admin, 2001, Role.SALES)
    contacts = [await services.clients.create_contact(admin, name) if name else None
                for name in CLIENTS]
    for n, title in enumerate(TITLES * 3):
        contact = contacts[n % len(contacts)]
        await services.items.create(sam if n % 3 else admin, NewItem(
            "deal", title, contact_id=contact.id if contact else None))
    queries = ["werner", "wer", "Werk", "müller", "MULLER", "strasse", "straße am",
               "werner anna", "wer kuche", "jürgen dach", "b", "groß bäckerei", "zzz"]
    for text in queries:
        found = search_text(text)
        assert found is not None
        for owners in (None, ["r2001", "r0"]):
            by_words, by_trigrams = await _both(services, found, owners)
            assert by_words == by_trigrams, (text, owners)
    only_eszett = search_text("groß")  # how ß folds, only the database knows: trigrams
    assert only_eszett is not None
    by_words, by_trigrams = await _both(services, only_eszett, None)
    assert by_words is None and len(by_trigrams) == 6
    whole = SearchText(("werner",), prefix=False)
    assert (await _both(services, whole, None))[0] == (await _both(services, whole, None))[1]


async def test_the_words_follow_renames_and_deletions(services: CrmServices,
                                                      admin: Staff) -> None:
    anna = await services.clients.create_contact(admin, "Anna Quermann")
    deal = await services.items.create(admin, NewItem("deal", "Vordach", contact_id=anna.id))
    assert await _titles(services, admin, "quermann") == ["Vordach"]
    async with services.uow() as uow:
        anna.name = "Anna Zollner"
        await uow.clients.update_contact(anna)
        await uow.commit()
    assert await _titles(services, admin, "quermann") == []
    assert await _titles(services, admin, "zolln") == ["Vordach"]
    async with services.uow() as uow:
        await uow.conn.execute("DELETE FROM items WHERE id = ?", (deal.id,))
        await uow.commit()
    assert await _titles(services, admin, "zolln") == []
    async with services.uow(write=False) as uow:
        left = await uow.conn.execute_fetchall(
            "SELECT word FROM item_search_words WHERE rowid = ?", (deal.id,))
    assert list(left) == []


async def test_a_prefix_of_many_words_is_found_the_trigram_way(services: CrmServices,
                                                               admin: Staff) -> None:
    for n in range(VOCABULARY + 2):
        await services.items.create(admin, NewItem("deal", f"Ma{chr(97 + n)}nahme"))
    found = search_text("ma")
    assert found is not None
    async with services.uow(write=False) as uow:
        assert await newest_items(uow.conn, found, None, 100) is None
    assert len(await _titles(services, admin, "ma")) == VOCABULARY + 2


async def _titles(services: CrmServices, actor: Staff, text: str) -> list[str]:
    page = await services.items.page(actor, ItemQuery(text=text, limit=50))
    return [i.title for i in page.items]
