"""A switch to simple mode killed halfway is finished when the bot starts again: no lead
converted twice, none lost, and whoever started it is told."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.mode import switch_runner
from bot.settings import Settings
from crm.clock import FrozenClock
from crm.events import ItemEnteredStage
from crm.models import CrmMode, Item
from crm.services.mode import ConversionOptions
from tests.conftest import ADMIN_ID
from tests.fake_telegram import FakeTelegram
from tests.journeys.conftest import make_settings, start_bot
from tests.journeys.mode_steps import ADMIN, classic_with_leads, items_of, switch_summary
from tests.journeys.steps import admin


class ProcessDied(Exception):
    """Stands for the process being killed: the open transaction never commits."""


async def interrupted_switch(tg: FakeTelegram, settings: Settings, clock: FrozenClock
                             ) -> list[Item]:
    """Five classic leads, a switch killed inside its second batch (two converted); the
    leads."""
    first = await start_bot(settings, clock)
    await admin(tg)
    leads = await classic_with_leads(first.app, 5)
    deals: list[int] = []

    async def killed_at_the_third_deal(event: ItemEnteredStage, uow: object) -> None:
        if event.type_code == "deal":
            deals.append(event.item_id)
            if len(deals) == 3:  # inside the second batch: it never commits
                raise ProcessDied

    first.app.services.bus.subscribe(ItemEnteredStage, killed_at_the_third_deal)
    with pytest.raises(ProcessDied):
        await first.app.services.mode.switch_to_simple(
            ADMIN, ConversionOptions("both", keep_activities_open=False), batch_size=2)
    await first.stop()
    return leads


async def test_a_switch_killed_halfway_is_resumed_at_start_up(
        tg: FakeTelegram, tmp_path: Path, clock: FrozenClock) -> None:
    settings = make_settings(tg, tg.base_url or "", tmp_path)
    leads = await interrupted_switch(tg, settings, clock)
    since, calls = len(tg.sent), len(tg.calls)
    second = await start_bot(settings, clock)
    try:
        notice = await tg.wait_for_message(ADMIN_ID, since=since)
        assert notice.rendered == ("⏳ The switch to simple mode was interrupted; continuing "
                                   "it now: 2 of 5 leads were converted before.")
        summary = await switch_summary(tg, ADMIN_ID, calls)
        assert summary.message_id == notice.message_id
        assert "Simple mode is on" in summary.rendered
        for line in ("Leads converted into deals: 5", "Contacts created: 5",
                     "Companies created: 5", "continued after an interruption"):
            assert line in summary.rendered
        app = second.app
        assert await app.services.mode.mode() is CrmMode.SIMPLE
        assert await app.services.conversion.pending() is None
        assert sorted(d.title for d in await items_of(app, "deal")) == [
            lead.title for lead in leads]
        async with app.services.uow(write=False) as uow:
            rows = await uow.conn.execute_fetchall(
                "SELECT COUNT(*), COUNT(DISTINCT lead_id), COUNT(DISTINCT deal_id)"
                " FROM lead_conversions")
        assert tuple(next(iter(rows))) == (5, 5, 5)
    finally:
        await second.stop()


async def test_telegrams_wait_outside_any_update_is_waited_out(
        tg: FakeTelegram, tmp_path: Path, clock: FrozenClock,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """The resumed switch sends from the start-up hook, no update being handled: a 429 on
    its notice and on its progress edit is waited out by the session's flood control, and
    each goes again once (no message dropped, none sent twice)."""
    monkeypatch.setattr(switch_runner, "PROGRESS_INTERVAL", 0)
    settings = make_settings(tg, tg.base_url or "", tmp_path)
    await interrupted_switch(tg, settings, clock)
    since, calls = len(tg.sent), len(tg.calls)
    tg.fail_next("sendMessage", 429, retry_after=1, chat_id=ADMIN_ID)
    tg.fail_next("editMessageText", 429, retry_after=1, chat_id=ADMIN_ID)
    second = await start_bot(settings, clock)
    try:
        summary = await switch_summary(tg, ADMIN_ID, calls)
        assert "Leads converted into deals: 5" in summary.rendered
        recent = tg.calls[calls:]
        sends = [c for c in recent if c.method == "sendMessage" and c.chat_id == ADMIN_ID]
        assert [s.error_code for s in sends] == [429, None]
        assert sends[1].at - sends[0].at >= 0.9  # it waited as told
        assert [m.message_id for m in tg.sent[since:] if m.chat_id == ADMIN_ID] == [
            summary.message_id]  # one notice, edited into the summary
        edits = [c for c in recent if c.method == "editMessageText"]
        assert [e.error_code for e in edits[:2]] == [429, None]
        assert edits[0].params["text"] == edits[1].params["text"]  # the refused edit, again
        assert edits[1].at - edits[0].at >= 0.9
    finally:
        await second.stop()


async def test_nothing_is_resumed_when_no_switch_was_interrupted(
        tg: FakeTelegram, tmp_path: Path, clock: FrozenClock) -> None:
    settings = make_settings(tg, tg.base_url or "", tmp_path)
    first = await start_bot(settings, clock)
    await admin(tg)
    await first.stop()
    since = len(tg.sent)
    second = await start_bot(settings, clock)
    try:
        await tg.wait_for_polling(polls=tg.poll_count + 1)
        await tg.wait_until_idle()
        assert [m for m in tg.sent[since:] if m.chat_id == ADMIN_ID] == []
    finally:
        await second.stop()
