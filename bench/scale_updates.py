"""The updates bench/scale.py feeds: a staff member's commands and card button presses,
built as Telegram would send them, on items picked from the seeded database."""

from __future__ import annotations

import itertools
import random
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any, Protocol

from aiogram.types import CallbackQuery, Chat, Message, Update, User

from bench.scale_seed import ADMIN_ID
from bench.stub_session import BOT_USER
from bot.app import CrmBot
from bot.items.callbacks import CardAction, CardCb
from bot.lists.callbacks import ListCb

FIRST_UPDATE = 10**9  # far above the seeded handled updates


class PeekRows(Protocol):
    def fetchone(self) -> Any: ...
    def __iter__(self) -> Iterator[Any]: ...


class Peek(Protocol):
    """Reads the bot's database beside it, with `?` placeholders: a sqlite3.Connection, or
    bench/scale.py's PostgreSQL one."""

    def execute(self, sql: str, parameters: tuple[Any, ...] = ..., /) -> PeekRows: ...


class Updates:
    def __init__(self, peek: Peek, app: CrmBot) -> None:
        self._peek = peek
        self._app = app
        # Above every update a run before this one handled: a kept database remembers the
        # moves' updates, and the bot skips an update id it has seen as a re-delivery.
        (handled,) = peek.execute("SELECT MAX(update_id) FROM processed_updates").fetchone()
        self._ids = itertools.count(max(FIRST_UPDATE, (handled or 0) + 1))
        self._rng = random.Random(7)
        (self._items,) = peek.execute("SELECT MAX(id) FROM items").fetchone()
        self._open_stages = {pipeline: [row[0] for row in peek.execute(
            "SELECT id FROM stages WHERE pipeline_id = ? AND kind = 'progress'", (pipeline,))]
            for (pipeline,) in peek.execute("SELECT id FROM pipelines")}
        (surname,) = peek.execute("SELECT name FROM contacts WHERE id = ?",
                                  (self._items // 4,)).fetchone()
        self._hit = surname.split()[-1]

    def card(self, user_id: int = ADMIN_ID, visible: bool = False) -> Update:
        """`visible`: an unassigned item (every 40th), which a salesperson may open too."""
        item_id = self._rng.randint(1, self._items)
        if visible:
            item_id = max(40, item_id - item_id % 40)
        return self._message(f"/item {item_id}", user_id)

    def move(self) -> Update:
        """A stage button on the card of an open deal: to another open stage."""
        while True:
            item_id = self._rng.randint(1, self._items)
            row = self._peek.execute("SELECT pipeline_id, stage_id, version, closed FROM items"
                                     " WHERE id = ?", (item_id,)).fetchone()
            stages = [s for s in self._open_stages[row[0]] if s != row[1]]
            if not row[3] and stages:
                break
        data = CardCb(action=CardAction.MOVE, item_id=item_id,
                      stage_id=self._rng.choice(stages), version=row[2]).pack()
        return self._press(data)

    def list_first(self) -> Update:
        return self._message("/items")

    def list_last(self) -> Update:
        """The page of the oldest items (keyset: those before the eleventh)."""
        return self._press(ListCb(before=11).pack())

    def find_hit(self) -> Update:
        return self._message(f"/find {self._hit}")

    def find_miss(self) -> Update:
        return self._message("/find Zzyzxquux")

    def press_any(self) -> Update:
        return self._press("bare:move")

    def _message(self, text: str, user_id: int = ADMIN_ID) -> Update:
        update_id = next(self._ids)
        return Update(update_id=update_id, message=Message(
            message_id=update_id % 2**31, date=datetime.now(UTC), text=text,
            chat=Chat(id=user_id, type="private"), from_user=_user(user_id)))

    def _press(self, data: str, user_id: int = ADMIN_ID) -> Update:
        update_id = next(self._ids)
        card = Message(message_id=update_id % 2**31, date=datetime.now(UTC), text="card",
                       chat=Chat(id=user_id, type="private"), from_user=BOT_USER)
        return Update(update_id=update_id, callback_query=CallbackQuery(
            id=str(update_id), from_user=_user(user_id), chat_instance="bench", data=data,
            message=card))


def _user(user_id: int) -> User:
    return User(id=user_id, is_bot=False, first_name="Ada", language_code="de")
