"""The /new dialog of bench/scale_out.py: begun on the worker that is then killed, finished
after the kill on the others (the dialog's state is in Redis, not in the dead process)."""

from __future__ import annotations

from tests.fake_telegram import FakeTelegram, FakeUser, SentMessage

TITLE = "Scale-out dialog deal"
WAIT = 30.0


async def say(tg: FakeTelegram, user: FakeUser, text: str) -> SentMessage:
    since = len(tg.sent)
    user.send(text)
    return await tg.wait_for_message(user.id, since=since, timeout=WAIT)


async def begin(tg: FakeTelegram, user: FakeUser) -> str:
    """/new → Deal → title; the question the bot then asks (the amount)."""
    question = await say(tg, user, "/new")
    _text, data = question.find_button("Deal")
    since = len(tg.calls)
    assert data is not None
    query_id = user.press(question, data)
    await tg.wait_for_call("answerCallbackQuery",
                           lambda c: str(c.params.get("callback_query_id")) == query_id,
                           since=since, timeout=WAIT)
    return (await say(tg, user, TITLE)).rendered


async def finish(tg: FakeTelegram, user: FakeUser) -> tuple[str, str]:
    """Amount → contact: what the bot answered to each."""
    amount = (await say(tg, user, "12.345 EUR")).rendered
    card = (await say(tg, user, "Dora Dialog")).rendered
    return amount, card
