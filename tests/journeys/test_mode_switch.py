"""/mode: showing the mode, who may switch, simple → classic converting nothing, and the
classic → simple wizard with each of its choices, its progress and its summary."""

from __future__ import annotations

import pytest

from bot.app import CrmBot
from bot.mode import switch_runner
from crm.models import CrmMode, Role
from tests.conftest import ADMIN_ID
from tests.fake_telegram import FakeTelegram
from tests.journeys.mode_steps import (
    ADMIN,
    classic_with_leads,
    items_of,
    mode_of,
    stage_code,
    switch_summary,
)
from tests.journeys.steps import admin, member, press, say


async def test_mode_shows_the_mode_and_switching_to_classic_converts_nothing(
        tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg)
    await say(tg, ada, "/new deal Relaunch; 15.000 EUR")
    shown = await say(tg, ada, "/mode")
    assert "The CRM is in simple mode." in shown.rendered
    assert "Every client inquiry becomes a contact" in shown.rendered
    await press(tg, ada, shown, "Switch to classic mode (with leads)")
    switched = shown
    assert "Classic mode is on" in switched.rendered
    assert "Nothing was converted" in switched.rendered
    assert await mode_of(crm) is CrmMode.CLASSIC
    assert [d.title for d in await items_of(crm, "deal")] == ["Relaunch"]
    again = await say(tg, ada, "/mode classic")
    assert again.rendered == "The CRM is in classic mode already; nothing changed."
    assert (await say(tg, ada, "/mode sideways")).rendered.startswith("Usage: /mode")


async def test_only_admins_and_settings_holders_may_switch(
        tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg)
    sam = await member(tg, ada, 2001, Role.SALES)
    menu = dict(tg.commands_for(f"chat:{ADMIN_ID}"))
    assert menu["mode"] == "CRM mode: simple or classic"
    assert (menu["reply"], menu["convert"], menu["report"]) == (
        "Answer a client", "Convert a lead into a deal",
        "Reports: leads by source, sales funnel and win rate")  # /report sales (issue 12)
    assert "mode" not in dict(tg.commands_for("chat:2001")) and "reply" in dict(
        tg.commands_for("chat:2001"))
    shown = await say(tg, sam, "/mode")
    assert "Only an admin or someone allowed to edit settings may switch" in shown.rendered
    assert shown.buttons == []
    for command in ("/mode classic", "/mode simple"):
        refused = await say(tg, sam, command)
        assert refused.rendered == ("Sorry, only an admin or someone allowed to edit "
                                    "settings may do that.")
    assert await mode_of(crm) is CrmMode.SIMPLE
    admins_view = await say(tg, ada, "/mode")
    toast = await press(tg, sam, admins_view, data=admins_view.callback_datas[0], strict=False)
    assert toast.text is not None and "only an admin" in toast.text
    assert await mode_of(crm) is CrmMode.SIMPLE

    await crm.services.staff.set_settings_right(ADMIN, 2001, True)
    allowed = await say(tg, sam, "/mode classic")
    assert "Classic mode is on" in allowed.rendered
    assert await mode_of(crm) is CrmMode.CLASSIC


@pytest.mark.parametrize(("choice", "clients", "contacts", "companies"), [
    ("Contact", "a contact", 3, 0),
    ("Company", "a company", 0, 3),
    ("Both", "a contact and a company", 3, 3),
])
async def test_switch_wizard_converts_every_open_lead_with_the_chosen_clients(
        tg: FakeTelegram, crm: CrmBot, choice: str, clients: str, contacts: int,
        companies: int) -> None:
    ada = await admin(tg)
    leads = await classic_with_leads(crm, 3)
    await crm.services.items.move(ADMIN, leads[2].id, 5)  # junk: closed, not converted
    closed = leads.pop()
    wizard = await say(tg, ada, "/mode simple")
    assert "Open leads now: 2." in wizard.rendered
    await press(tg, ada, wizard, choice)
    assert "keep them open on the deals, or close them?" in wizard.rendered
    await press(tg, ada, wizard, "Keep them open on the deals")
    confirm = wizard
    assert (f"Convert 2 open leads into deals in the pipeline “General”, creating {clients} "
            "for each; their open activities will be kept open on the deals.") in confirm.rendered
    since = len(tg.calls)
    await press(tg, ada, wizard, "Convert 2 leads and switch")
    summary = await switch_summary(tg, ADMIN_ID, since)
    assert summary.message_id == wizard.message_id  # one message, edited
    assert "Simple mode is on" in summary.rendered
    assert "Leads converted into deals: 2" in summary.rendered
    assert ("Contacts created: 2" in summary.rendered) is bool(contacts)
    assert ("Companies created: 2" in summary.rendered) is bool(companies)
    deals = await items_of(crm, "deal")
    assert [d.title for d in deals] == ["Lead 0", "Lead 1"]
    assert all((d.contact_id is not None) is bool(contacts) for d in deals)
    assert all((d.company_id is not None) is bool(companies) for d in deals)
    assert [await stage_code(crm, lead.id) for lead in leads] == ["converted", "converted"]
    assert await stage_code(crm, closed.id) == "junk"
    assert await mode_of(crm) is CrmMode.SIMPLE


@pytest.mark.parametrize("keep_open", [True, False])
async def test_the_leads_open_activities_are_kept_on_the_deals_or_closed(
        tg: FakeTelegram, crm: CrmBot, keep_open: bool) -> None:
    ada = await admin(tg)
    leads = await classic_with_leads(crm, 2)
    for lead in leads:
        await crm.services.activities.add(ADMIN, lead.id, "call", f"Call back {lead.title}")
    wizard = await say(tg, ada, "/mode simple")
    await press(tg, ada, wizard, "Both")
    await press(tg, ada, wizard, "Keep them open on the deals" if keep_open else "Close them")
    assert ("will be kept open on the deals" if keep_open else "will be closed") in wizard.rendered
    since = len(tg.calls)
    await press(tg, ada, wizard, "Convert 2 leads and switch")
    summary = await switch_summary(tg, ADMIN_ID, since)
    line = "Open activities moved to the deals: 2" if keep_open else "Open activities closed: 2"
    assert line in summary.rendered
    mine = [a.subject for a in await crm.services.activities.mine(ADMIN)]
    assert mine == (["Call back Lead 0", "Call back Lead 1"] if keep_open else [])
    for deal in await items_of(crm, "deal"):
        on_deal = await crm.services.activities.open_for_item(ADMIN, deal.id)
        assert [a.subject for a in on_deal] == ([f"Call back {deal.title}"] if keep_open else [])


async def test_the_wizard_asks_which_pipeline_when_there_are_several(
        tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg)
    await classic_with_leads(crm, 2)
    await crm.services.catalog.add_pipeline(ADMIN, "deal", "Wholesale")
    wizard = await say(tg, ada, "/mode simple")
    await press(tg, ada, wizard, "Contact")
    assert "Which deal pipeline should receive the deals?" in wizard.rendered
    await press(tg, ada, wizard, "Wholesale")
    await press(tg, ada, wizard, "Close them")
    assert "in the pipeline “Wholesale”" in wizard.rendered
    since = len(tg.calls)
    await press(tg, ada, wizard, "Convert 2 leads and switch")
    await switch_summary(tg, ADMIN_ID, since)
    wholesale = next(p for p in await crm.services.catalog.pipelines("deal")
                     if p.name_en == "Wholesale")
    assert {d.pipeline_id for d in await items_of(crm, "deal")} == {wholesale.id}


async def test_progress_is_one_message_edited_as_batches_complete(
        tg: FakeTelegram, crm: CrmBot, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(switch_runner, "BATCH_SIZE", 2)
    monkeypatch.setattr(switch_runner, "PROGRESS_INTERVAL", 0)
    ada = await admin(tg)
    await classic_with_leads(crm, 5)
    wizard = await say(tg, ada, "/mode simple")
    await press(tg, ada, wizard, "Contact")
    await press(tg, ada, wizard, "Keep them open on the deals")
    sent_before, since = len(tg.messages_to(ADMIN_ID)), len(tg.calls)
    await press(tg, ada, wizard, "Convert 5 leads and switch")
    summary = await switch_summary(tg, ADMIN_ID, since)
    progress = [v.rendered for v in summary.edits if "Converting open leads" in v.rendered]
    assert progress == [f"⏳ Converting open leads into deals: {n} of 5 done …"
                        for n in (0, 2, 4, 5)]
    assert "Leads converted into deals: 5" in summary.rendered
    assert len(tg.messages_to(ADMIN_ID)) == sent_before  # no new message, only edits


async def test_a_repeated_switch_converts_nothing_twice(tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg)
    await classic_with_leads(crm, 2)
    wizard = await say(tg, ada, "/mode simple")
    await press(tg, ada, wizard, "Both")
    await press(tg, ada, wizard, "Close them")
    since = len(tg.calls)
    await press(tg, ada, wizard, "Convert 2 leads and switch")
    await switch_summary(tg, ADMIN_ID, since)
    again = await say(tg, ada, "/mode simple")
    assert again.rendered == "The CRM is in simple mode already; nothing changed."
    await say(tg, ada, "/mode classic")
    nothing_open = await say(tg, ada, "/mode simple")  # no open leads: no wizard
    assert "Simple mode is on" in nothing_open.rendered
    assert "Leads converted into deals: 0" in nothing_open.rendered
    assert len(await items_of(crm, "deal")) == 2
    async with crm.services.uow(write=False) as uow:
        rows = await uow.conn.execute_fetchall("SELECT COUNT(*) FROM lead_conversions")
    assert next(iter(rows))[0] == 2


async def test_wrong_input_cancel_and_stale_buttons_change_nothing(
        tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg)
    await classic_with_leads(crm, 1)
    wizard = await say(tg, ada, "/mode simple")
    assert (await say(tg, ada, "contact please")).rendered == (
        "Please choose with the buttons above, or /cancel to stop.")
    assert (await say(tg, ada, "/cancel")).rendered == "Cancelled. Nothing was saved."
    toast = await press(tg, ada, wizard, "Both")
    assert toast.text is not None and "not valid" in toast.text
    wizard = await say(tg, ada, "/mode simple")
    await press(tg, ada, wizard, "Cancel")
    assert wizard.rendered == (
        "Cancelled. The CRM stays in classic mode; nothing was converted.")
    assert await mode_of(crm) is CrmMode.CLASSIC
    assert await items_of(crm, "deal") == []


async def test_the_switch_speaks_german(tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg, language_code="de")
    shown = await say(tg, ada, "/mode")
    assert "Das CRM ist im einfachen Modus." in shown.rendered
    await press(tg, ada, shown, "Zum klassischen Modus wechseln (mit Leads)")
    assert "Der klassische Modus ist an" in shown.rendered
    await classic_with_leads(crm, 1)
    wizard = await say(tg, ada, "/mode simple")
    assert "Offene Leads jetzt: 1." in wizard.rendered
    await press(tg, ada, wizard, "Beides")
    await press(tg, ada, wizard, "In den Aufträgen offen lassen")
    since = len(tg.calls)
    await press(tg, ada, wizard, "1 Lead konvertieren und wechseln")
    summary = await switch_summary(tg, ADMIN_ID, since)
    assert "Der einfache Modus ist an" in summary.rendered
    assert "In Aufträge konvertierte Leads: 1" in summary.rendered
