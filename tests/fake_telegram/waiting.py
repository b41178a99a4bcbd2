"""Async waits for the bot's reactions; timeouts fail with a summary of what did happen."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import TypeVar

from .records import ApiCall, SentMessage
from .state import TelegramState
from .updates import Signal

T = TypeVar("T")


class WaitingMixin:
    state: TelegramState

    async def wait_for_message(
        self,
        chat_id: int,
        predicate: Callable[[SentMessage], bool] | None = None,
        timeout: float = 5.0,  # noqa: ASYNC109 - the documented test API
        since: int | None = None,
    ) -> SentMessage:
        """The first message to ``chat_id`` sent after this call started (or after
        ``tg.sent[since]`` when ``since`` is given, e.g. ``since=len(tg.sent)`` taken
        before triggering the bot) that satisfies ``predicate``."""
        start = len(self.state.sent) if since is None else since

        def find() -> SentMessage | None:
            for record in self.state.sent[start:]:
                if record.chat_id == chat_id and (predicate is None or predicate(record)):
                    return record
            return None

        return await self._wait_for(find, timeout, f"a new message to chat {chat_id}")

    async def wait_for_call(
        self,
        method: str,
        predicate: Callable[[ApiCall], bool] | None = None,
        timeout: float = 5.0,  # noqa: ASYNC109 - the documented test API
        since: int | None = None,
    ) -> ApiCall:
        """The first ``method`` call (successful or not: check ``.ok``) made after this
        call started, or after ``tg.calls[since]``."""
        start = len(self.state.calls) if since is None else since

        def find() -> ApiCall | None:
            for call in self.state.calls[start:]:
                if call.method.lower() == method.lower() and (
                    predicate is None or predicate(call)
                ):
                    return call
            return None

        return await self._wait_for(find, timeout, f"a {method} call")

    async def wait_for_polling(
        self,
        timeout: float = 5.0,  # noqa: ASYNC109 - the documented test API
        polls: int = 1,
    ) -> None:
        """Until the bot has made ``polls`` getUpdates calls in total (i.e. is polling)."""
        updates = self.state.updates
        await self._wait_for(lambda: updates.poll_count >= polls or None, timeout,
                             f"{polls} getUpdates call(s)", signal=updates.signal)

    async def wait_until_idle(
        self,
        timeout: float = 5.0,  # noqa: ASYNC109 - the documented test API
        quiet: float = 0.1,
    ) -> None:
        """All queued updates fetched, no API request in flight and none for ``quiet`` s.

        A heuristic: a handler busy for longer than ``quiet`` without calling the API
        looks idle. Use wait_for_message/wait_for_call when you know what to expect.
        """
        state = self.state
        deadline = time.monotonic() + timeout
        while True:
            now = time.monotonic()
            busy = state.updates.undelivered or state.inflight
            if not busy and now - state.last_activity >= quiet:
                return
            if now >= deadline:
                raise AssertionError(
                    f"fake Telegram not idle after {timeout}s: "
                    f"{state.updates.undelivered} update(s) never fetched (is the bot "
                    f"polling? {state.updates.poll_count} getUpdates so far), "
                    f"{state.inflight} request(s) in flight.\n{self.describe()}"
                )
            await asyncio.sleep(min(0.02, quiet / 2))

    async def _wait_for(
        self, find: Callable[[], T | None], seconds: float, what: str, signal: Signal | None = None
    ) -> T:
        signal = signal or self.state.changed
        loop = asyncio.get_running_loop()
        deadline = loop.time() + seconds
        while (found := find()) is None:
            remaining = deadline - loop.time()
            if remaining <= 0:
                raise AssertionError(f"timed out after {seconds}s waiting for {what}.\n"
                                     f"{self.describe()}")
            await signal.wait(remaining)
        return found

    def describe(self, last: int = 12) -> str:
        """Recent API calls and messages, for assertion messages."""
        lines = [f"last {last} API calls:"]
        for call in self.state.calls[-last:]:
            outcome = "ok" if call.ok else f"{call.error_code} {call.response.get('description')}"
            text = call.params.get("text") or call.params.get("caption")
            lines.append(f"  {call.method} chat={call.chat_id} {text!r:.80} -> {outcome}")
        pending = self.state.updates.undelivered
        lines.append(f"updates not yet fetched: {pending}")
        return "\n".join(lines)
