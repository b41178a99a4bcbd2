"""Every command gets its answer: a 4,096-character command is quoted back shortened, a
long answer comes as several messages, an edit that changes nothing is no error."""

from __future__ import annotations

import pytest
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup

from bot.app import CrmBot
from tests.conftest import ADMIN_ID
from tests.fake_telegram import FakeTelegram
from tests.journeys.steps import admin, press, say, seed

LIMIT = 4096
COMMANDS = ["/find ", "/new deal ", "/move 1 ", "/assign 1 ", "/contact ", "/stages rename 6 ",
            "/edit 1 title ", "/pipelines add deal ", "/rules test 1 "]


def padded(command: str) -> str:
    """`command` and one word that make the message exactly 4,096 characters long."""
    return command + "x" * (LIMIT - len(command))


@pytest.mark.parametrize("command", COMMANDS)
async def test_a_4096_character_command_gets_one_answer_quoting_it_shortened(
        tg: FakeTelegram, crm: CrmBot, command: str) -> None:
    ada = await admin(tg)
    await seed(crm, ADMIN_ID, "deal", "Existing")
    since = len(tg.sent)
    answer = await say(tg, ada, padded(command))
    assert "“xxxxxxxxxx" in answer.rendered and "x…”" in answer.rendered
    assert len(answer.rendered) < 200
    assert "Sorry, something went wrong" not in answer.rendered
    await tg.wait_until_idle()
    assert [m.rendered for m in tg.sent[since:]] == [answer.rendered]


async def test_a_long_answer_comes_in_parts_with_the_buttons_under_the_last(
        tg: FakeTelegram, crm: CrmBot) -> None:
    await admin(tg)
    lines = [f"<b>{n}.</b> Deal &amp; <i>co</i> 😀 " + "y" * 40 for n in range(1, 121)]
    markup = InlineKeyboardMarkup(inline_keyboard=[[InlineKeyboardButton(
        text="More", callback_data="more")]])
    since = len(tg.sent)
    await crm.bot.send_message(ADMIN_ID, "\n".join(lines), reply_markup=markup)
    parts = tg.sent[since:]
    assert len(parts) == 2
    assert [p.button_texts for p in parts] == [[], ["More"]]
    shown = [line.removesuffix("\n") for p in parts for line in p.rendered.splitlines()]
    assert shown == [f"{n}. Deal & co 😀 " + "y" * 40 for n in range(1, 121)]  # cut at a line
    assert all(e["type"] in ("bold", "italic") for p in parts for e in p.entities)


async def test_an_edit_too_long_is_shortened(tg: FakeTelegram, crm: CrmBot) -> None:
    ada = await admin(tg)
    message = tg.messages_to(ada.id)[-1]
    await crm.bot.edit_message_text("<b>" + "z" * 5000 + "</b>", chat_id=ada.id,
                                    message_id=message.message_id)
    assert message.rendered == "z" * (LIMIT - 1) + "…"
    assert message.entities == [{"type": "bold", "offset": 0, "length": LIMIT}]


async def test_pressing_the_page_already_shown_is_no_error(tg: FakeTelegram,
                                                           crm: CrmBot) -> None:
    ada = await admin(tg)
    for n in range(1, 4):
        await seed(crm, ADMIN_ID, "deal", f"Deal {n}")
    page = await say(tg, ada, "/items")
    shown = page.rendered
    since = len(tg.sent)
    toast = await press(tg, ada, page, "✅ All")  # the filter already chosen: nothing changes
    assert toast.text is None and not toast.show_alert
    assert page.rendered == shown
    await tg.wait_until_idle()
    assert tg.sent[since:] == []  # no apology
