"""What a user does in a journey, as one awaitable step each: say something, press a button.

Each step returns what the user then sees: the bot's reply, or the toast of a press.
"""

from __future__ import annotations

import re
from typing import Any

from bot.app import CrmBot
from crm.models import Item, Role, Staff
from crm.queries import ItemQuery
from crm.services.items import NewItem
from tests.conftest import ADMIN_ID
from tests.fake_telegram import FakeTelegram, FakeUser, SentMessage, Toast

INVITE_LINK = re.compile(r"start=(inv_[\w-]+)")


async def say(tg: FakeTelegram, user: FakeUser, text: str) -> SentMessage:
    """The user sends `text`; returns the bot's first answer in that chat."""
    since = len(tg.sent)
    user.send(text)
    return await tg.wait_for_message(user.id, since=since)


async def press(tg: FakeTelegram, user: FakeUser, message: SentMessage, button: str = "", *,
                data: str | None = None, strict: bool = True) -> Toast:
    """The user presses a button (by its text, or raw callback data); returns the toast,
    once the bot has answered the press (cards are edited before the answer)."""
    since = len(tg.calls)
    query_id = (user.press(message, data, strict=strict) if data is not None
                else user.press_button(message, button))
    await tg.wait_for_call("answerCallbackQuery",
                           lambda c: str(c.params.get("callback_query_id")) == query_id,
                           since=since)
    return next(t for t in tg.toasts if t.callback_query_id == query_id)


async def press_for_message(tg: FakeTelegram, user: FakeUser, message: SentMessage,
                            button: str) -> SentMessage:
    """Presses a button that makes the bot send a new message; returns that message."""
    since = len(tg.sent)
    user.press_button(message, button)
    return await tg.wait_for_message(user.id, since=since)


async def admin(tg: FakeTelegram, **user: str | None) -> FakeUser:
    """The configured admin (ADMIN_IDS), after /start."""
    ada = tg.user(ADMIN_ID, "Ada", "Admin", **user)
    await say(tg, ada, "/start")
    return ada


async def invite_link(tg: FakeTelegram, by: FakeUser, role: Role) -> str:
    """The start argument (`inv_...`) of a fresh invite `by` creates."""
    answer = await say(tg, by, f"/invite {role.value}")
    found = INVITE_LINK.search(answer.rendered)
    assert found, answer.rendered
    return found.group(1)


async def member(tg: FakeTelegram, by: FakeUser, user_id: int, role: Role,
                 name: str = "Sam", language_code: str = "en") -> FakeUser:
    """A new team member who joined with an invite of `by`."""
    code = await invite_link(tg, by, role)
    user = tg.user(user_id, name, "Seller", language_code=language_code)
    since = len(tg.sent)
    welcome = await say(tg, user, f"/start {code}")
    assert "Welcome to the team" in welcome.rendered or "Willkommen" in welcome.rendered
    # the admin is told through the outbox: once it is there, it is not taken for the
    # answer to what the admin says next
    await tg.wait_for_message(by.id, lambda m: m.rendered.startswith("👋"), since=since)
    return user


async def staff_of(crm: CrmBot, user_id: int) -> Staff | None:
    return await crm.services.staff.identify(user_id)


async def stored_staff(crm: CrmBot, user_id: int) -> Staff:
    """The stored team member `user_id`, who must be one."""
    staff = await staff_of(crm, user_id)
    assert staff is not None, f"{user_id} is not on the team"
    return staff


async def all_items(crm: CrmBot) -> list[Item]:
    """Every stored item, oldest first (read as the admin, who sees all)."""
    viewer = Staff(ADMIN_ID, "test", Role.ADMIN)
    items, _total = await crm.services.items.list(viewer, ItemQuery(limit=1000))
    return sorted(items, key=lambda i: i.id)


async def seed(crm: CrmBot, by: int | None, type_code: str, title: str,
               **fields: Any) -> Item:
    """An item created through the service, as `by` (None: by nobody, so unassigned)."""
    actor = await crm.services.staff.identify(by) if by else None
    return await crm.services.items.create(actor, NewItem(type_code, title, **fields))
