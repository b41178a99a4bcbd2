"""The morning digest of a salesperson: failed automation, items waiting longest and
activities due today, with buttons that open each item; once a day, on working days."""

from __future__ import annotations

from datetime import UTC, datetime

from crm.clock import FrozenClock
from crm.container import CrmServices
from crm.models import Staff
from crm.services.items import NewItem
from rules.container import Automation
from rules.workflow import Workflow
from tests.rules.conftest import RecordingTransport, add_rule, stage_id
from tests.rules.workflow.conftest import SELLER_ID

THURSDAY_0830 = datetime(2026, 11, 26, 7, 30, tzinfo=UTC)  # 08:30 in Berlin


async def test_the_digest_lists_a_salespersons_day_once_on_working_days(
        services: CrmServices, admin: Staff, seller: Staff, automation: Automation,
        workflow: Workflow, transport: RecordingTransport, clock: FrozenClock) -> None:
    new = await stage_id(services, "deal", "new")
    hosting = await services.items.create(seller, NewItem("deal", "Hosting <EU>"))
    await services.items.create(admin, NewItem("deal", "Not hers"))
    clock.advance(days=2)
    await add_rule(automation, admin, new, "message_client", {"text": "Hi"}, title="Greet")
    relaunch = await services.items.create(seller, NewItem("deal", "Relaunch"))
    await automation.tick()  # "Greet" fails: the deal has no contact
    await services.activities.add(seller, hosting.id, "call", "Call about hosting",
                                  datetime(2026, 11, 25, 15, 0, tzinfo=UTC))  # overdue
    await services.activities.add(seller, hosting.id, "task", "Send contract",
                                  datetime(2026, 11, 26, 13, 0, tzinfo=UTC))
    await services.activities.add(seller, relaunch.id, "task", "Tomorrow's",
                                  datetime(2026, 11, 27, 9, 0, tzinfo=UTC))

    clock.set(THURSDAY_0830)
    assert await workflow.digest.run() == 2  # the seller's and the admin's
    assert await workflow.digest.run() == 0  # a second firing (a restart) sends nothing
    await automation.tick()
    [digest] = [r for r in transport.delivered if r.chat_id == SELLER_ID]
    assert digest.payload["text"] == "\n".join([
        "☀️ Guten Morgen, User 2001! Ihr Tag, 26.11.2026:",
        "",
        "⚠️ <b>Automatisierung fehlgeschlagen</b>",
        f"• #{relaunch.id} Relaunch – Greet: das Element hat keinen Kontakt",
        "",
        "⏳ <b>Warten am längsten</b>",
        f"• #{hosting.id} Hosting &lt;EU&gt; – seit 23.11.2026 in „Neu“",
        f"• #{relaunch.id} Relaunch – seit 25.11.2026 in „Neu“",
        "",
        "📅 <b>Heute fällige Aktivitäten</b>",
        f"• 25.11.26, 16:00 (überfällig) 📞 Call about hosting – #{hosting.id} Hosting &lt;EU&gt;",
        f"• 26.11.26, 14:00 📋 Send contract – #{hosting.id} Hosting &lt;EU&gt;",
    ])
    assert digest.payload["buttons"] == [[
        {"text": f"#{relaunch.id} Relaunch", "item_id": relaunch.id, "url": None},
        {"text": f"#{hosting.id} Hosting <EU>", "item_id": hosting.id, "url": None}]]

    clock.set(datetime(2026, 11, 26, 9, 45, tzinfo=UTC))  # 10:45: past the catch-up window
    assert await workflow.digest.run() == 0
    clock.set(datetime(2026, 11, 28, 7, 30, tzinfo=UTC))  # Saturday
    assert await workflow.digest.run() == 0
    clock.set(datetime(2026, 11, 30, 7, 45, tzinfo=UTC))  # Monday, caught up at 08:45
    assert await workflow.digest.run() == 2
