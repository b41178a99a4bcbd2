"""The pipeline overview (/pipeline), totals and the closed filter of /items, and the sales
report (/report sales) with its chart, in English and German (issue 12)."""

from __future__ import annotations

from bot.app import CrmBot
from crm.clock import FrozenClock
from crm.models import Role
from tests.conftest import ADMIN_ID
from tests.fake_telegram import FakeTelegram
from tests.journeys.steps import admin, member, press, say
from tests.journeys.test_lists_and_find import listed


async def test_overview_per_stage_team_switch_stage_list_and_items_totals(
        tg: FakeTelegram, crm: CrmBot, clock: FrozenClock) -> None:
    ada = await admin(tg)
    sam = await member(tg, ada, 2001, Role.SALES)
    for line in ("Alpha; 1.000 EUR", "Beta; 2.500 EUR", "Gamma; 300 USD"):
        await say(tg, ada, f"/new deal {line}")                         # 1, 2, 3
    await say(tg, sam, "/new deal Sam's deal; 400")                      # 4
    await say(tg, ada, "/new deal Delta; 5000")                          # 5
    await say(tg, ada, "/move 5 won")
    clock.advance(days=2)
    await say(tg, ada, "/move 2 preparing documents")

    overview = await say(tg, ada, "/pipeline")
    lines = overview.rendered.splitlines()
    assert lines[0] == "📊 Deal · my open items"
    assert "• New: 2 · €1,000.00 + $300.00" in lines
    assert "• Preparing documents: 1 · €2,500.00" in lines
    assert "• Final invoice: 0" in lines and not any("Won" in line for line in lines)
    assert "Total: 3 · €3,500.00 + $300.00" in lines
    assert "Tap a stage to see its items." in lines
    assert {"New (2)", "Preparing documents (1)", "✅ Mine", "Team", "✅ Deal", "Quote",
            "Invoice"} <= set(overview.button_texts)

    await press(tg, ada, overview, "Team")
    lines = overview.rendered.splitlines()
    assert lines[0] == "📊 Deal · the team's open items"
    assert "• New: 3 · €1,400.00 + $300.00" in lines
    assert "Total: 4 · €3,900.00 + $300.00" in lines
    await press(tg, ada, overview, "New (3)")  # the /items list of that stage
    assert listed(overview) == [4, 3, 1]
    assert overview.rendered.splitlines()[:2] == ["3 items", "Sum: €1,400.00 + $300.00"]

    quotes = await say(tg, ada, "/pipeline")
    await press(tg, ada, quotes, "Quote")
    assert quotes.rendered.startswith("📊 Quote · my open items")
    assert "Total: 0" in quotes.rendered and "Create one with /new" in quotes.rendered

    own = await say(tg, sam, "/pipeline")  # a salesperson: their own, no team button
    assert "• New: 1 · €400.00" in own.rendered and "Total: 1 · €400.00" in own.rendered
    assert "Team" not in own.button_texts and "✅ Team" not in own.button_texts
    assert (await say(tg, ada, "/pipeline spaceships")).rendered.startswith(
        "Usage: /pipeline [type]")

    # /items: the open ones with their sum; the closed filter shows the won one too
    items = await say(tg, ada, "/items")
    assert listed(items) == [4, 3, 2, 1]
    assert items.rendered.splitlines()[:2] == ["4 items", "Sum: €3,900.00 + $300.00"]
    await press(tg, ada, items, "With closed")
    assert listed(items) == [5, 4, 3, 2, 1]
    assert items.rendered.splitlines()[:2] == ["5 items", "Sum: €8,900.00 + $300.00"]
    await press(tg, ada, items, "Deal")  # the filter stays on with other filters
    assert listed(items) == [5, 4, 3, 2, 1] and "✅ With closed" in items.button_texts


async def test_overview_and_items_totals_speak_german(
        tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg, language_code="de")
    await say(tg, ada, "/new deal Alpha; 1.000 EUR")
    await say(tg, ada, "/new deal Beta; 2.500,50 EUR")
    overview = await say(tg, ada, "/pipeline")
    lines = overview.rendered.splitlines()
    assert lines[0] == "📊 Auftrag · meine offenen Elemente"
    assert "• Neu: 2 · 3.500,50\xa0€" in lines
    assert "Gesamt: 2 · 3.500,50\xa0€" in lines
    assert "Tippen Sie auf eine Phase, um ihre Elemente zu sehen." in lines
    assert {"Neu (2)", "✅ Meine", "Team"} <= set(overview.button_texts)
    await press(tg, ada, overview, "Neu (2)")
    assert listed(overview) == [2, 1]
    assert "Summe: 3.500,50\xa0€" in overview.rendered
    assert "Mit abgeschlossenen" in overview.button_texts


async def moved_deals(tg: FakeTelegram, crm: CrmBot, clock: FrozenClock) -> None:
    """Ada: three deals, one won, one lost for its price; Sam one moved on once."""
    ada = tg.user(ADMIN_ID, "Ada", "Admin")
    sam = tg.user(2001, "Sam", "Seller")
    for title in ("A1", "A2", "A3"):
        await say(tg, ada, f"/new deal {title}")                         # 1, 2, 3
    await say(tg, sam, "/new deal S1")                                   # 4
    clock.advance(days=2)
    for item in (1, 2):
        await say(tg, ada, f"/move {item} preparing documents")
    await say(tg, sam, "/move 4 preparing documents")
    clock.advance(days=3)
    await say(tg, ada, "/move 1 prepayment invoice")
    await say(tg, ada, "/move 2 lost; Price")
    clock.advance(days=1)
    await say(tg, ada, "/move 1 won")


async def test_sales_report_funnel_win_rate_days_and_lost_reasons(
        tg: FakeTelegram, crm: CrmBot, clock: FrozenClock) -> None:
    ada = await admin(tg)
    sam = await member(tg, ada, 2001, Role.SALES)
    await moved_deals(tg, crm, clock)

    since = len(tg.sent)
    report = await say(tg, ada, "/report sales 30d")
    lines = report.rendered.splitlines()
    assert lines[0].startswith("Sales · Deal · last 30 days: ")
    team = lines.index("Team")
    assert lines[team + 1:team + 7] == [
        "• New: 4 · ⌀ 2 days",
        "• Preparing documents: 3 (75%) · ⌀ 3 days",
        "• Prepayment invoice: 1 (33%) · ⌀ 1 day",
        "• In progress: 1 (100%)",
        "• Final invoice: 1 (100%)",
        "Won 1 · lost 1 · win rate 50%",
    ]
    ada_block = lines.index("Ada Admin")
    assert lines[ada_block + 1:ada_block + 3] == ["• New: 3 · ⌀ 2 days",
                                                  "• Preparing documents: 2 (67%) · ⌀ 3 days"]
    sam_block = lines.index("Sam Seller")
    assert lines[sam_block + 1] == "• New: 1 · ⌀ 2 days"
    assert "Won 0 · lost 0 · win rate —" in lines[sam_block:]
    reasons = lines.index("Lost reasons")
    assert lines[reasons + 1] == "• Price: 1"
    chart = await tg.wait_for_message(ADMIN_ID, lambda m: m.kind == "photo", since=since)
    assert chart.document is not None and chart.document.startswith(b"\x89PNG")
    assert chart.rendered.startswith("Funnel · Deal · last 30 days")

    since = len(tg.sent)
    own = await say(tg, sam, "/report sales deal 30 days")  # the team and themselves
    assert "Team" in own.rendered.splitlines() and "Sam Seller" in own.rendered
    assert "Ada Admin" not in own.rendered
    # its chart comes after the text: it must not be taken for one of the reports below
    await tg.wait_for_message(sam.id, lambda m: m.kind == "photo", since=since)

    since = len(tg.sent)
    clock.advance(hours=1)
    later = await say(tg, ada, "/report sales 1d")  # only the last day: A1 won
    lines = later.rendered.splitlines()
    assert "• New: 1" in lines and "• Prepayment invoice: 1 (100%) · ⌀ 1 day" in lines
    assert "Won 1 · lost 0 · win rate 100%" in lines
    await tg.wait_for_message(ADMIN_ID, lambda m: m.kind == "photo", since=since)
    clock.advance(days=10)
    since = len(tg.sent)
    empty = await say(tg, ada, "/report sales 7d")
    assert "Nothing entered a stage of this pipeline in this period." in empty.rendered
    await tg.wait_until_idle()
    assert [m.kind for m in tg.sent[since:]] == ["message"]  # no chart of nothing
    for wrong in ("/report sales spaceships", "/report sales 0d", "/report", "/report x",
                  "/report sales deal 7d more", "/report leads deal"):
        assert (await say(tg, ada, wrong)).rendered.startswith(
            "Usage: /report leads [period]"), wrong


async def test_sales_report_speaks_german(
        tg: FakeTelegram, crm: CrmBot, clock: FrozenClock) -> None:
    ada = await admin(tg, language_code="de")
    await say(tg, ada, "/new deal Alpha")
    await say(tg, ada, "/new deal Beta")
    clock.advance(days=1)
    await say(tg, ada, "/move 1 gewonnen")
    since = len(tg.sent)
    report = await say(tg, ada, "/report vertrieb auftrag 7d")
    lines = report.rendered.splitlines()
    assert lines[0].startswith("Vertrieb · Auftrag · letzte 7 Tage: ")
    assert "• Neu: 2 · ⌀ 1 Tag" in lines
    assert "• Dokumente vorbereiten: 1 (50\xa0%)" in lines
    assert "Gewonnen 1 · Verloren 0 · Abschlussquote 100\xa0%" in lines
    chart = await tg.wait_for_message(ADMIN_ID, lambda m: m.kind == "photo", since=since)
    assert chart.rendered.startswith("Trichter · Auftrag · letzte 7 Tage")
