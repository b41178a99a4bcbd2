"""Telegram's hiccups: a re-delivered update, 429 "retry after", a blocked chat."""

from __future__ import annotations

from bot.app import CrmBot
from tests.fake_telegram import FakeTelegram
from tests.journeys.steps import admin, all_items, press, say


async def test_a_redelivered_update_has_no_second_effect(tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg)
    since = len(tg.sent)
    update_id = ada.send("/new deal Only once; 100")
    card = await tg.wait_for_message(ada.id, since=since)
    tg.redeliver(update_id)
    await tg.wait_until_idle()
    assert len(await all_items(crm)) == 1
    assert len(tg.sent) == since + 1  # no second answer either

    calls = len(tg.calls)
    await press(tg, ada, card, "Preparing documents ▶")
    press_update = max(tg.state.updates.history)
    tg.redeliver(press_update)
    await tg.wait_until_idle()
    assert len(tg.calls) == calls + 2  # one edit, one toast: nothing for the re-delivery
    history = (await crm.services.cards.card(None, 1, with_history=True)).history
    assert len(history) == 2


async def test_a_reply_survives_429_retry_after(tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg)
    tg.fail_next("sendMessage", 429, retry_after=1)
    card = await say(tg, ada, "/new deal Patient; 50")
    assert "Deal #1 · Patient" in card.rendered
    sends = tg.calls_to("sendMessage")[-2:]
    assert [s.error_code for s in sends] == [429, None]
    assert sends[1].at - sends[0].at >= 0.9  # it waited as told
    assert len(await all_items(crm)) == 1  # the retry did not create a second deal

    tg.fail_next("editMessageText", 429, retry_after=1)
    toast = await press(tg, ada, card, "Preparing documents ▶")
    assert toast.text == "Moved to Preparing documents"
    assert "▶️ Preparing documents" in card.rendered


async def test_a_card_too_old_to_edit_comes_as_a_new_message(
        tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg)
    card = await say(tg, ada, "/new deal Old card")
    tg.fail_next("editMessageText", 400, description="Bad Request: message can't be edited")
    since = len(tg.sent)
    await press(tg, ada, card, "Preparing documents ▶")
    fresh = await tg.wait_for_message(ada.id, since=since)
    assert "▶️ Preparing documents" in fresh.rendered


async def test_a_blocked_chat_does_not_stop_the_bot(tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg)
    carl = tg.user(3001, "Carl")
    tg.block(carl.id)
    carl.send("/start")
    await tg.wait_for_call("sendMessage", lambda c: c.chat_id == carl.id and not c.ok)
    assert "Deal #1" in (await say(tg, ada, "/new deal Still working")).rendered
    tg.unblock(carl.id)
    assert "Thank you for getting in touch" in (await say(tg, carl, "/start")).rendered
