"""/find through FTS5 (migration 011): Unicode case, umlauts, prefixes, phone digits,
hostile query text, an index kept in step with renames, and the backfill of old rows."""

from __future__ import annotations

from pathlib import Path

import pytest

from crm.clock import FrozenClock
from crm.container import CrmServices, build_services
from crm.models import Role, Staff
from crm.queries import ItemQuery
from crm.services.item_edits import assign
from crm.services.items import NewItem
from crm.services.staff import TelegramUser
from crm.storage.database import Database
from crm.storage.sqlite.search import match_expression
from tests.conftest import ADMIN_ID, add_staff
from tests.databases import first_deal_stage, sqlite_before, sqlite_only


async def found(services: CrmServices, actor: Staff, text: str) -> list[str]:
    page = await services.items.page(actor, ItemQuery(text=text, limit=20))
    return [i.title for i in page.items]


async def test_umlauts_and_case_fold_both_ways(services: CrmServices, admin: Staff) -> None:
    jürgen = await services.clients.create_contact(admin, "Jürgen Müller",
                                                   company_name="Bäckerei Groß")
    await services.items.create(admin, NewItem("deal", "Küche", contact_id=jürgen.id))
    await services.items.create(admin, NewItem("deal", "Fenster"))
    for text in ("müller", "MÜLLER", "Müller", "Muller", "JÜRGEN müller", "küche", "KÜCHE",
                 "bäckerei", "BÄCKEREI GROß"):
        assert await found(services, admin, text) == ["Küche"], text
    decomposed = "Mu\u0308ller"  # ü as u and a combining diaeresis (as some keyboards send)
    assert await found(services, admin, decomposed) == ["Küche"]
    assert await found(services, admin, "Meier") == []


async def test_words_match_by_their_start(services: CrmServices, admin: Staff) -> None:
    await services.items.create(admin, NewItem("deal", "Dachsanierung Schröder",
                                               contact_name="Özlem Şahin"))
    for text in ("dachsan", "Schrö", "schro", "özl", "DACH schr", "sahin"):
        assert await found(services, admin, text) == ["Dachsanierung Schröder"], text
    assert await found(services, admin, "sanierung") == []  # a word's start, not its middle


async def test_words_are_cut_at_every_character_that_is_not_a_letter_or_digit(
        services: CrmServices, admin: Staff) -> None:
    marie = await services.clients.create_contact(
        admin, "Marie Müller-Lüdenscheidt", email="m.mueller_ls@beispiel-bau.de")
    await services.items.create(admin, NewItem("deal", "Umbau (Küche)/Bad, 2.OG",
                                               contact_id=marie.id))
    for text in ("lüdensch", "Müller-Lüd", "küche", "bad", "og", "2", "mueller", "ls",
                 "beispiel", "bau de", "(umbau)"):
        assert await found(services, admin, text) == ["Umbau (Küche)/Bad, 2.OG"], text
    for text in ("denscheidt", "üche", "eller", "spiel"):  # inside a word: not a start
        assert await found(services, admin, text) == [], text
    assert await found(services, admin, "a") == []  # one character: a whole word only


async def test_eszett_and_double_s_are_one_letter_to_a_search(
        services: CrmServices, admin: Staff) -> None:
    """As a German reader takes them (Swiss spelling has no ß at all), on both databases."""
    weiß = await services.clients.create_contact(admin, "Jörg Weiß", company_name="GROẞHANDEL")
    await services.items.create(admin, NewItem("deal", "Hauptstraße 5", contact_id=weiß.id))
    await services.items.create(admin, NewItem("deal", "Bahnhofstrasse 1"))
    both = ["Bahnhofstrasse 1", "Hauptstraße 5"]
    for text in ("straße", "Strasse", "STRAẞE", "stras"):
        assert sorted(await found(services, admin, "haupt" + text)
                      + await found(services, admin, "bahnhof" + text)) == both, text
    for text in ("weiss", "Weiß", "grosshandel", "Großhandel"):
        assert await found(services, admin, text) == ["Hauptstraße 5"], text
    contacts, _ = await services.clients.find(admin, "weiss")
    assert [c.name for c in contacts] == ["Jörg Weiß"]
    _, companies = await services.clients.find(admin, "großhandel")
    assert [c.name for c in companies] == ["GROẞHANDEL"]


async def test_letters_beyond_latin_are_letters(services: CrmServices, admin: Staff) -> None:
    """Cyrillic, Greek and Chinese names are words too (on PostgreSQL whatever the
    database's locale: in "C" only ASCII letters are letters to it)."""
    await services.items.create(admin, NewItem("deal", "Поставка Дмитрий Иванов"))
    await services.items.create(admin, NewItem("deal", "Γιώργος 王小明"))
    for text in ("дми", "ИВАН", "поставка иванов"):
        assert await found(services, admin, text) == ["Поставка Дмитрий Иванов"], text
    assert await found(services, admin, "итрий") == []
    assert await found(services, admin, "γιώρ") == ["Γιώργος 王小明"]


async def test_phone_numbers_by_their_digits(services: CrmServices, admin: Staff) -> None:
    anna = await services.clients.create_contact(admin, "Anna", phone="+49 (30) 123-4567")
    await services.items.create(admin, NewItem("deal", "Relaunch", contact_id=anna.id))
    for text in ("+49 30 1234567", "0049 30 1234567", "030 1234567", "030/1234567",
                 "1234567", "4567", "30 123"):
        assert await found(services, admin, text) == ["Relaunch"], text
    assert await found(services, admin, "030 7654321") == []


@pytest.mark.parametrize("text", [
    '"', '""', '"unclosed', "*", "**", "a*", "-", "-web", "web -site", ":", "title:web",
    "{title}:web", "title : web", "NEAR(web site)", "NEAR", "web NEAR/2 site", "AND", "OR",
    "NOT", "web OR", "web AND NOT", "(", ")", "(web", "^web", "+", "web + site", "'", "\\",
    "%", "_", "\x00", "web\x00site", "🙂", "a" * 4000, "web " * 1000, "é" * 100, "0" * 50,
    "+++", "--", "/", "12", "00000000000", "+0 (0) 0-0/0",
])
async def test_hostile_search_text_never_fails(services: CrmServices, admin: Staff,
                                               text: str) -> None:
    await services.items.create(admin, NewItem("deal", "Web site", contact_name="Anna"))
    page = await services.items.page(admin, ItemQuery(text=text, limit=8))
    assert page.total == len(page.items) <= 1
    contacts, companies = await services.clients.find(admin, text)
    assert len(contacts) <= 1 and companies == []


def test_the_query_never_carries_syntax_through() -> None:
    assert match_expression('"; DROP TABLE items; --') == '"DROP"* "TABLE"* "items"*'
    assert match_expression("NEAR(a b) title:x -y") == '"NEAR"* "a" "b" "title"* "x" "y"'
    assert match_expression("--**::") is None
    assert match_expression("030 1") == '"030"* "1"'  # too few digits for a number
    assert match_expression("030 1234") == '("030"* "1234"*) OR digits : "301234"*'
    assert match_expression(" ".join(f"w{n}" for n in range(50))) == " ".join(
        f'"w{n}"*' for n in range(8))


async def test_a_renamed_contact_or_company_and_a_retitled_item_are_found_anew(
        services: CrmServices, admin: Staff) -> None:
    anna = await services.clients.create_contact(admin, "Anna Schmidt", company_name="ACME")
    item = await services.items.create(admin, NewItem("deal", "Website", contact_id=anna.id))
    await services.items.create(admin, NewItem("deal", "Other", contact_id=anna.id))
    async with services.uow() as uow:
        anna.name, anna.email = "Anna Weiß", "anna@weiss.example"
        await uow.clients.update_contact(anna)
        company = await uow.clients.get_company(item.company_id or 0)
        assert company is not None
        await uow.conn.execute("UPDATE companies SET name = 'Zenit AG' WHERE id = ?",
                               (company.id,))
        stored = await uow.items.get(item.id)
        assert stored is not None
        stored.title = "Onlineshop"
        assert await uow.items.save(stored, stored.version)
        await uow.commit()
    assert await found(services, admin, "schmidt") == []
    assert await found(services, admin, "acme") == []
    assert await found(services, admin, "website") == []
    assert await found(services, admin, "weiss") == ["Other", "Onlineshop"]
    assert await found(services, admin, "anna@weiss") == ["Other", "Onlineshop"]
    assert await found(services, admin, "zenit") == ["Other", "Onlineshop"]
    assert await found(services, admin, "onlineshop weiß") == ["Onlineshop"]
    contacts, _ = await services.clients.find(admin, "weiß")
    assert [c.name for c in contacts] == ["Anna Weiß"]
    assert (await services.clients.find(admin, "schmidt"))[0] == []


async def test_a_deleted_contact_leaves_the_item_findable_by_title_only(
        services: CrmServices, admin: Staff) -> None:
    item = await services.items.create(admin, NewItem("deal", "Website", contact_name="Björn"))
    async with services.uow() as uow:
        await uow.conn.execute("DELETE FROM contacts WHERE id = ?", (item.contact_id,))
        await uow.commit()
    assert await found(services, admin, "björn") == []
    assert await found(services, admin, "website") == ["Website"]


async def test_a_salesperson_finds_only_what_they_may_see(services: CrmServices,
                                                          admin: Staff) -> None:
    sam = await add_staff(services, admin, 2001, Role.SALES)
    await services.items.create(admin, NewItem("deal", "Müller admin"))
    await services.items.create(sam, NewItem("deal", "Müller Sam"))
    await services.items.create(None, NewItem("deal", "Müller nobody"))
    assert await found(services, sam, "müller") == ["Müller nobody", "Müller Sam"]
    assert len(await found(services, admin, "müller")) == 3
    async with services.uow() as uow:  # the admin's item goes to Sam, Sam's to nobody
        await assign(uow, 1, sam.user_id, services.clock.now())
        await uow.conn.execute("UPDATE items SET responsible_id = NULL WHERE id = 2")
        await uow.commit()
    assert await found(services, sam, "müller") == ["Müller nobody", "Müller Sam",
                                                    "Müller admin"]
    page = await services.items.page(sam, ItemQuery(text="müller"))
    assert (page.total, page.more_than_total) == (3, False)


@sqlite_only
async def test_the_eszett_migration_indexes_anew_what_was_there(
        tmp_path: Path, clock: FrozenClock) -> None:
    path = tmp_path / "old.sqlite3"
    conn = sqlite_before(path, 31)
    at = "2024-01-01T09:00:00"
    conn.execute("INSERT INTO companies (name, created_at) VALUES ('Großküchen GmbH', ?)",
                 (at,))
    conn.execute("INSERT INTO contacts (name, email, company_id, created_at) VALUES"
                 " ('Jörg Weiß', 'joerg@weiß.example', 1, ?)", (at,))
    stage, pipeline = first_deal_stage(conn)
    for title, client in (("Fußbodenheizung", None), ("Umbau", 1), ("Dach", None)):
        conn.execute("INSERT INTO items (type_code, pipeline_id, stage_id, title, contact_id,"
                     " company_id, created_at, updated_at, stage_entered_at) VALUES ('deal',"
                     " ?, ?, ?, ?, ?, ?, ?, ?)",
                     (pipeline, stage, title, client, client, at, at, at))
    conn.commit()
    conn.close()
    db = Database(path)
    await db.open()
    try:
        services = build_services(db, clock, admin_ids=[ADMIN_ID])
        admin = await services.staff.start(TelegramUser(ADMIN_ID, "Ada Admin"))
        assert admin is not None
        assert await found(services, admin, "fussboden") == ["Fußbodenheizung"]
        assert await found(services, admin, "weiss") == ["Umbau"]
        assert await found(services, admin, "grosskuchen") == ["Umbau"]
        contacts, _ = await services.clients.find(admin, "weiss")
        assert [c.name for c in contacts] == ["Jörg Weiß"]
        _, companies = await services.clients.find(admin, "Grossküchen")
        assert [c.name for c in companies] == ["Großküchen GmbH"]
        assert await found(services, admin, "dach") == ["Dach"]  # the others as they were
    finally:
        await db.close()


@sqlite_only  # migration 011's FTS5 tables: PostgreSQL begins at baseline 029
async def test_the_migration_indexes_what_was_there(tmp_path: Path, clock: FrozenClock) -> None:
    path = tmp_path / "old.sqlite3"
    conn = sqlite_before(path, 11)
    conn.execute("INSERT INTO contacts (name, phone, created_at) VALUES ('Käthe Köhler',"
                 " '+49 171 5550123', '2024-01-01')")
    stage, pipeline = first_deal_stage(conn)
    conn.execute("INSERT INTO items (type_code, pipeline_id, stage_id, title, contact_id,"
                 " created_at, updated_at, stage_entered_at) VALUES ('deal', ?, ?,"
                 " 'Altbau', 1, 'x', 'x', 'x')", (pipeline, stage))
    conn.commit()
    conn.close()
    db = Database(path)
    await db.open()
    try:
        services = build_services(db, clock, admin_ids=[ADMIN_ID])
        async with services.uow(write=False) as uow:
            assert [c.name for c in await uow.clients.find_contacts("KÖHLER")] == [
                "Käthe Köhler"]
            rows = await uow.conn.execute_fetchall(
                "SELECT rowid FROM item_search WHERE item_search MATCH ?",
                (match_expression("0171 555 0123"),))
            assert [r[0] for r in rows] == [1]
    finally:
        await db.close()


async def test_a_name_in_any_case_is_the_same_contact_or_company(
        services: CrmServices, admin: Staff) -> None:
    jürgen = await services.clients.create_contact(admin, "Jürgen Müller",
                                                   company_name="Bäckerei Groß")
    for n in range(3):  # newer namesakes in part do not hide him
        await services.clients.create_contact(admin, f"Jürgen Müller-Lüdenscheidt {n}")
    for name in ("Jürgen Müller", "jürgen müller", "JÜRGEN MÜLLER"):
        item = await services.items.create(admin, NewItem("deal", "Küche", contact_name=name))
        assert item.contact_id == jürgen.id, name
    other = await services.clients.create_contact(admin, "Anna", company_name="BÄCKEREI GROSS")
    assert other.company_id != jürgen.company_id  # ß and ss are different letters
    again = await services.clients.create_contact(admin, "Berta", company_name="bäckerei groß")
    assert again.company_id == jürgen.company_id
    assert (await services.items.create(admin, NewItem(
        "deal", "X", contact_name="Jürgen"))).contact_id not in (None, jürgen.id)
