"""FakeTelegram: the one object tests use - start the server, act as users, inspect the bot."""

from __future__ import annotations

import copy
import time
from collections.abc import Callable
from typing import Any

from . import builders
from .actors import FakeGroup, FakeUser
from .faults import FailureRule, RateLimiter, ReplyHold
from .records import ApiCall, SentMessage
from .server import FakeTelegramServer
from .state import TelegramState
from .waiting import WaitingMixin
from .webhook_push import Delivery, WebhookPusher

DEFAULT_TOKEN = "123456:TEST-TOKEN"


class FakeTelegram(WaitingMixin):
    """A fake Bot API server plus the people talking to the bot.

    Point the bot at it with
    ``AiohttpSession(api=TelegramAPIServer.from_base(await tg.start()))``.
    """

    def __init__(
        self,
        token: str = DEFAULT_TOKEN,
        *,
        bot_first_name: str = "CRM Test Bot",
        bot_username: str = "crm_test_bot",
        now: Callable[[], float] = time.time,
    ) -> None:
        self.token = token
        self.state = TelegramState(token, bot_first_name, bot_username, now)
        self.server = FakeTelegramServer(self.state)
        self.base_url: str | None = None
        # The live lists/dicts, exposed directly so tests can index and clear them.
        self.calls: list[ApiCall] = self.state.calls
        self.sent: list[SentMessage] = self.state.sent
        self.toasts = self.state.toasts
        self.commands = self.state.commands  # (scope key, language_code) -> commands
        self.descriptions = self.state.descriptions  # (field, language_code) -> text
        self._limited_before = 0
        self._pusher: WebhookPusher | None = None

    async def start(self, host: str = "127.0.0.1", port: int = 0) -> str:
        self.base_url = await self.server.start(host, port)
        return self.base_url

    async def stop(self) -> None:
        if self._pusher is not None:
            await self._pusher.stop()
        await self.server.stop()

    async def __aenter__(self) -> FakeTelegram:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()

    # --- who is there -------------------------------------------------------------

    @property
    def bot_user(self) -> dict[str, Any]:
        return self.state.bot_user

    @property
    def bot_id(self) -> int:
        bot_id: int = self.state.bot_user["id"]
        return bot_id

    def user(
        self,
        user_id: int,
        first_name: str = "Test",
        last_name: str | None = None,
        username: str | None = None,
        language_code: str | None = "en",
    ) -> FakeUser:
        """A Telegram user who has started a private chat with the bot."""
        data = builders.user_dict(user_id, first_name, last_name, username, language_code)
        self.state.add_user(data)
        return FakeUser(self.state, data)

    def group(
        self,
        chat_id: int,
        title: str = "Test group",
        *,
        username: str | None = None,
        chat_type: str | None = None,
    ) -> FakeGroup:
        """A group the bot is a member of (-100... ids are supergroups)."""
        chat = builders.group_chat(chat_id, title, username, chat_type)
        self.state.add_chat(chat)
        return FakeGroup(self.state, chat)

    # --- updates ------------------------------------------------------------------

    def push_raw_update(self, update: dict[str, Any]) -> int:
        """Enqueue any update dict. Without update_id one is assigned; with one (even an
        already delivered id) it is delivered as given - the bot must dedupe."""
        self.state.learn_from_update(update)
        return self.state.updates.push(copy.deepcopy(update))

    def redeliver(self, update_id: int) -> int:
        """Deliver an earlier update again with the same update_id (Telegram retry)."""
        return self.push_raw_update(self.state.updates.history[update_id])

    def update(self, update_id: int) -> dict[str, Any]:
        return self.state.updates.history[update_id]

    @property
    def pending_updates(self) -> list[dict[str, Any]]:
        """Updates not yet confirmed by the bot (delivered ones stay until offset passes)."""
        return self.state.updates.pending

    @property
    def poll_count(self) -> int:
        return self.state.updates.poll_count

    def push_to_webhook(self, upstreams: list[str] | None = None) -> WebhookPusher:
        """From now on, while a webhook is set, updates are POSTed to it – or, with
        `upstreams` (base URLs of bot processes), to those in turn, like a reverse proxy in
        front of them (see webhook_push.py). Call again to change the upstreams."""
        if self._pusher is None:
            self._pusher = WebhookPusher(self.state, upstreams)
            self._pusher.start()
        else:
            self._pusher.route_to(upstreams or [])
        return self._pusher

    @property
    def webhook_deliveries(self) -> list[Delivery]:
        """Every webhook POST so far, failed ones too."""
        return self._pusher.deliveries if self._pusher is not None else []

    # --- what the bot did ---------------------------------------------------------

    def messages_to(self, chat_id: int, *, include_deleted: bool = True) -> list[SentMessage]:
        return [m for m in self.sent
                if m.chat_id == chat_id and (include_deleted or not m.deleted)]

    def calls_to(self, method: str) -> list[ApiCall]:
        return [c for c in self.calls if c.method.lower() == method.lower()]

    def commands_for(
        self, scope: str = "default", language_code: str | None = None
    ) -> list[tuple[str, str]]:
        """(command, description) pairs from the last setMyCommands for that scope."""
        commands = self.commands.get((scope, language_code), [])
        return [(c["command"], c["description"]) for c in commands]

    @property
    def deleted(self) -> list[tuple[int, int]]:
        return self.state.deleted

    @property
    def server_errors(self) -> list[BaseException]:
        """Exceptions inside the fake itself (answered as 500); should stay empty."""
        return self.server.server_errors

    # --- failure injection --------------------------------------------------------

    def fail_next(
        self,
        method: str | None,
        error_code: int = 429,
        *,
        description: str | None = None,
        retry_after: int | None = None,
        chat_id: int | str | None = None,
        times: int | None = 1,
    ) -> FailureRule:
        """Answer the next ``times`` calls of ``method`` (None/"*" = any method except
        getUpdates; times=None = forever) with this error, optionally only for ``chat_id``.
        Call ``.cancel()`` on the returned rule to lift it."""
        rule = FailureRule(method, error_code, description, retry_after, chat_id, times)
        self.state.failures.append(rule)
        return rule

    def hold_replies(self, method: str, chat_id: int | None = None) -> ReplyHold:
        """Do ``method`` calls (for ``chat_id``) but hold their replies until released."""
        hold = ReplyHold(method, chat_id)
        self.state.holds.append(hold)
        return hold

    def clear_failures(self) -> None:
        self.state.failures.clear()

    def rate_limit(
        self,
        per_second: int | None = 30,
        per_chat_per_second: int | None = 1,
        per_group_per_minute: int | None = None,
    ) -> RateLimiter:
        """Answer 429 (with retry_after) to sends/edits beyond these sliding-window limits."""
        self._limited_before = self.rate_limited_count
        self.state.limiter = RateLimiter(per_second, per_chat_per_second, per_group_per_minute)
        return self.state.limiter

    def no_rate_limit(self) -> None:
        self._limited_before = self.rate_limited_count
        self.state.limiter = None

    @property
    def rate_limited_count(self) -> int:
        limiter = self.state.limiter
        return self._limited_before + (limiter.limited_count if limiter else 0)

    def block(self, chat_id: int) -> None:
        """The user blocked the bot (or the bot was kicked): sends to the chat get 403."""
        self.state.blocked.add(chat_id)

    def unblock(self, chat_id: int) -> None:
        self.state.blocked.discard(chat_id)
