"""'In the responsible person's working hours': Anna sets her own hours with /hours, an
admin sets her absence; a rule timed so waits for her next working morning, and during her
absence until after it; /status says in whose working hours it waits."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.app import CrmBot
from crm.clock import FrozenClock
from crm.models import Role
from rules.model import Timing, TimingMode
from tests.conftest import ADMIN_ID
from tests.fake_telegram import FakeTelegram
from tests.journeys.automation_steps import add_rule
from tests.journeys.rules_steps import rules_in, tap
from tests.journeys.steps import admin, member, press, press_for_message, say

ANNA_ID = 2002


async def test_a_rule_waits_for_the_responsible_persons_next_working_time(
        tg: FakeTelegram, crm: CrmBot, clock: FrozenClock) -> None:
    ada = await admin(tg)
    anna = await member(tg, ada, ANNA_ID, Role.SALES, name="Anna", language_code="de")
    await add_rule(crm, ADMIN_ID, "new", "notify_responsible",
                   {"text": "☎️ Rufen Sie wegen {{ item.title }} an"}, title="Anrufen",
                   timing=Timing(responsible_hours=True))
    mine = await say(tg, anna, "/hours")  # Monday 10:00 now
    assert mine.rendered.startswith("🕘 Arbeitszeit von Anna Seller\nWie im Unternehmen: "
                                    "Mo.–Fr. 09:00–18:00\nKeine Abwesenheit geplant.")
    asked = await press_for_message(tg, anna, mine, "✏️ Arbeitszeit ändern")
    assert asked.rendered.startswith("An welchen Tagen und zu welchen Zeiten arbeiten Sie?")
    again = await say(tg, anna, "Di–Fr 12–8")
    assert again.rendered.startswith("Das konnte ich nicht lesen.")
    hours = await say(tg, anna, "Di–Fr 8:00–12:00")
    assert hours.rendered.startswith("🕘 Arbeitszeit von Anna Seller\nEigene: Di.–Fr. 08:00–12:00\n"
                                     "Keine Abwesenheit geplant.")

    since = len(tg.sent)
    await say(tg, anna, "/new deal Relaunch")
    status = await say(tg, anna, "/status 1")
    assert "Anrufen – wartet bis 24.11.26, 08:00, in der Arbeitszeit von Anna Seller" \
        in status.rendered
    clock.set(datetime(2026, 11, 24, 7, 0, tzinfo=UTC))  # Tuesday 08:00 in Berlin
    await crm.automation.tick()
    call = await tg.wait_for_message(ANNA_ID, lambda m: m.rendered.startswith("☎️"),
                                     since=since)
    assert call.rendered == "☎️ Rufen Sie wegen Relaunch an"

    clock.set(datetime(2026, 11, 24, 11, 30, tzinfo=UTC))  # Tuesday 12:30: she has left
    await say(tg, anna, "/new deal Shop")
    assert "Anrufen – wartet bis 25.11.26, 08:00, in der Arbeitszeit von Anna Seller" \
        in (await say(tg, anna, "/status 2")).rendered

    away = await say(tg, ada, "/hours Anna away 25.11.–27.11.")  # the admin, for her
    assert "Away: Nov 25, 2026 – Nov 27, 2026" in away.rendered
    # the waiting run follows: Wednesday to Friday away, Saturday to Monday not her days
    assert "Anrufen – wartet bis 01.12.26, 08:00, in der Arbeitszeit von Anna Seller" \
        in (await say(tg, anna, "/status 2")).rendered
    mine = await say(tg, anna, "/hours")
    assert "Abwesend: 25.11.2026 – 27.11.2026" in mine.rendered
    assert mine.button_texts == ["✏️ Arbeitszeit ändern", "🏖 Abwesenheit eintragen",
                                 "🏢 Arbeitszeit des Unternehmens verwenden",
                                 "🗑 Abwesend 25.11.2026 – 27.11.2026"]
    toast = await press(tg, anna, mine, "🗑 Abwesend 25.11.2026 – 27.11.2026")
    assert toast.text == "Gespeichert."
    assert "Keine Abwesenheit geplant." in (mine.rendered or "")
    assert "Anrufen – wartet bis 25.11.26, 08:00, in der Arbeitszeit von Anna Seller" \
        in (await say(tg, anna, "/status 2")).rendered

    since = len(tg.sent)  # Ada takes the deal over: the company's hours, she works now
    await say(tg, ada, "/assign 2 me")
    await crm.automation.tick()
    call = await tg.wait_for_message(ADMIN_ID, lambda m: m.rendered.startswith("☎️"),
                                     since=since)
    assert call.rendered == "☎️ Rufen Sie wegen Shop an"


async def test_the_rule_dialog_offers_the_responsible_persons_hours(
        tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg)
    dialog = await say(tg, ada, "/rules add")
    for button in ("Deal", "Won", "Telegram message to the client", "thank you for your",
                   "Independently"):
        dialog = await tap(tg, ada, dialog, button)
    assert "☐ in the responsible person’s working hours" in dialog.button_texts
    dialog = await tap(tg, ada, dialog, "in the responsible person’s working hours")
    assert "☑ in the responsible person’s working hours" in dialog.button_texts
    title = await say(tg, ada, "after 1 day")
    title = await tap(tg, ada, title, "No condition: always")
    assert "– after 1 day, in the responsible person's" in title.rendered
    saved = await tap(tg, ada, title, "Take the suggestion")
    assert "✅ Saved." in saved.rendered
    rule = (await rules_in(crm, "won"))[-1]
    assert rule.timing.responsible_hours and not rule.timing.working_hours_only
    assert (rule.timing.mode, rule.timing.amount) == (TimingMode.DELAY, 1)
