"""The table of supported Bot API methods and the context each handler receives."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from .errors import bad_request
from .state import TelegramState


@dataclass
class CallContext:
    state: TelegramState
    params: dict[str, Any]
    client_alive: Callable[[], bool]

    def require(self, key: str) -> Any:
        value = self.params.get(key)
        if value in (None, ""):
            raise bad_request(f"{key} is empty")
        return value

    def chat(self) -> dict[str, Any]:
        return self.state.resolve_chat(self.require("chat_id"))


Handler = Callable[[CallContext], Awaitable[Any]]

# lower-case name -> (canonical name, handler); the Bot API matches names case-insensitively.
_METHODS: dict[str, tuple[str, Handler]] = {}


def api_method(name: str) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        _METHODS[name.lower()] = (name, handler)
        return handler

    return register


def lookup(name: str) -> tuple[str, Handler] | None:
    return _METHODS.get(name.lower())


def supported_methods() -> list[str]:
    return sorted(canonical for canonical, _ in _METHODS.values())
