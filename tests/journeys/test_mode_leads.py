"""Leads by hand with their source (one-line form and /new dialog), leads being off in
simple mode, and /report leads as text and as a bar chart."""

from __future__ import annotations

from collections.abc import Callable

from bot.app import CrmBot
from crm.clock import FrozenClock
from crm.services.inquiries import ClientInfo
from crm.services.items import NewItem
from tests.conftest import ADMIN_ID
from tests.fake_telegram import FakeTelegram, SentMessage
from tests.journeys.mode_steps import ADMIN, items_of
from tests.journeys.steps import admin, press, say


async def test_leads_are_off_in_simple_mode(tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg)
    picker = await say(tg, ada, "/new")
    assert "Lead" not in picker.button_texts and "Deal" in picker.button_texts
    for command in ("/new lead Trade fair contact", "/new lead"):
        answer = await say(tg, ada, command)
        assert answer.rendered == ("Leads are switched off: the CRM is in simple mode. An admin "
                                   "can turn them on with /mode classic.")
    assert await items_of(crm, "lead") == []
    help_message = await say(tg, ada, "/help")  # leads are explained in their group
    await press(tg, ada, help_message, "👤 Clients & leads")
    assert "Lead" in help_message.rendered


async def test_a_lead_is_created_by_hand_with_its_source(tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg)
    await say(tg, ada, "/mode classic")
    card = await say(tg, ada, "/new lead Trade fair contact; 500 EUR; Anna Schmidt; event")
    assert "Created." in card.rendered and "Source: Event" in card.rendered
    assert "🔀 Convert to deal" in card.button_texts
    bad = await say(tg, ada, "/new lead Pigeon post; ; ; pigeon")
    assert bad.rendered == ("“pigeon” is not a lead source. Sources: Call, E-mail, Website, "
                            "Event, Other.")
    plain = await say(tg, ada, "/new lead Walk-in")
    assert "Source: Other" in plain.rendered
    await say(tg, ada, "/language de")  # a German admin types and reads the source in German
    german = await say(tg, ada, "/new lead Messekontakt; ; Anna Schmidt; Veranstaltung")
    assert "Quelle: Veranstaltung" in german.rendered
    assert (await say(tg, ada, "/item 1")).rendered.count("Quelle: Veranstaltung") == 1
    await say(tg, ada, "/language en")

    picker = await say(tg, ada, "/new")
    await press(tg, ada, picker, "Lead")
    assert picker.rendered == "New lead. Where did it come from?"
    assert picker.button_texts == ["Call", "E-mail", "Website", "Event", "Other"]
    await press(tg, ada, picker, "Website")
    assert picker.rendered == "Title of the new lead? (/cancel to stop)"
    amount = await say(tg, ada, "Web form request")
    await press(tg, ada, amount, "Skip")
    contact_question = tg.messages_to(ADMIN_ID)[-1]
    assert contact_question.rendered.startswith("Contact name?")
    created = await say(tg, ada, "Bert Berger")
    assert "Created." in created.rendered and "Contact: Bert Berger" in created.rendered
    leads = await items_of(crm, "lead")
    assert [(lead.title, lead.source) for lead in leads] == [
        ("Trade fair contact", "event"), ("Walk-in", "other"), ("Messekontakt", "event"),
        ("Web form request", "website")]
    assert leads[0].amount is not None and leads[0].contact_id is not None


async def leads_of_the_month(tg: FakeTelegram, crm: CrmBot, clock: FrozenClock) -> None:
    """Website ×3 (two became deals, one of them won), a call, two Telegram inquiries (whose
    notifications the admin has received: the outbox sends them in its own time, and a
    later answer must not be mistaken for one)."""
    await crm.services.mode.switch_to_classic(ADMIN)
    web = [await crm.services.items.create(ADMIN, NewItem("lead", f"Web {i}", source="website"))
           for i in range(3)]
    await crm.services.items.create(ADMIN, NewItem("lead", "Phone", source="call"))
    for n in range(2):
        await crm.services.inquiries.receive(ClientInfo(6000 + n, 6000 + n, f"Client {n}"),
                                             "Hi", clock.now())
        await tg.wait_for_message(ADMIN_ID, _notification_of(f"Client {n}"), since=0)
    won = await crm.services.conversion.convert_lead(ADMIN, web[0].id)
    await crm.services.conversion.convert_lead(ADMIN, web[1].id)
    await crm.services.items.move(ADMIN, won.deal_id, 11)  # the shipped 'won' stage


def _notification_of(client: str) -> Callable[[SentMessage], bool]:
    return lambda m: m.rendered.startswith("📩") and client in m.rendered


async def test_lead_report_by_source_as_text_and_chart(
        tg: FakeTelegram, crm: CrmBot, clock: FrozenClock) -> None:
    ada = await admin(tg)
    await leads_of_the_month(tg, crm, clock)
    clock.advance(days=10)
    since = len(tg.sent)
    text = await say(tg, ada, "/report leads 30d")
    assert text.rendered.startswith("Leads by source · last 30 days: ")
    lines = text.rendered.splitlines()
    assert "• Website: 3 leads → 2 deals (67%) → 1 won (33%)" in lines
    assert "• Telegram: 2 leads → 0 deals (0%) → 0 won (0%)" in lines
    assert "• Call: 1 lead → 0 deals (0%) → 0 won (0%)" in lines
    assert "Total: 6 leads → 2 deals (33%) → 1 won (17%)" in lines
    chart = await tg.wait_for_message(ADMIN_ID, lambda m: m.kind == "photo", since=since)
    assert chart.document is not None and chart.document.startswith(b"\x89PNG")
    assert chart.rendered.startswith("Leads by source · last 30 days")

    since = len(tg.sent)
    week = await say(tg, ada, "/report leads 7d")
    assert "No leads were created in this period." in week.rendered
    await tg.wait_until_idle()
    assert [m.kind for m in tg.sent[since:]] == ["message"]  # no chart of nothing
    since = len(tg.sent)
    everything = await say(tg, ada, "/report leads all")
    assert "Total: 6 leads" in everything.rendered and "all time" in everything.rendered
    await tg.wait_for_message(ADMIN_ID, lambda m: m.kind == "photo", since=since)
    assert "this month" in (await say(tg, ada, "/report leads month")).rendered
    assert (await say(tg, ada, "/report deals")).rendered.startswith("Usage: /report leads")
    assert (await say(tg, ada, "/report leads soon")).rendered.startswith("Usage:")


async def test_lead_report_speaks_german(
        tg: FakeTelegram, crm: CrmBot, clock: FrozenClock) -> None:
    ada = await admin(tg, language_code="de")
    await leads_of_the_month(tg, crm, clock)
    clock.advance(hours=1)
    since = len(tg.sent)
    text = await say(tg, ada, "/report leads")
    assert text.rendered.startswith("Leads nach Quelle · letzte 30 Tage: ")
    assert "• Website: 3 Leads → 2 Aufträge (67\xa0%) → 1 gewonnen (33\xa0%)" in text.rendered
    assert "• Anruf: 1 Lead → 0 Aufträge" in text.rendered
    chart = await tg.wait_for_message(ADMIN_ID, lambda m: m.kind == "photo", since=since)
    assert chart.rendered.startswith("Leads nach Quelle")
