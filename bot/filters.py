"""Router-level access filters."""

from __future__ import annotations

from aiogram.filters import Filter
from aiogram.types import Message, TelegramObject

from crm.models import Staff


class IsStaff(Filter):
    """Passes for active staff; clients fall through to the client router."""

    async def __call__(self, event: TelegramObject, staff: Staff | None = None) -> bool:
        return staff is not None


class IsClient(Filter):
    async def __call__(self, event: TelegramObject, staff: Staff | None = None) -> bool:
        return staff is None


class PlainText(Filter):
    """A text message that is not a command.

    Written as a Filter rather than `F.text & ~F.text.startswith("/")`: aiogram runs a
    plain callable (a magic filter, a State) in a worker thread, one hand-off per check,
    and checks run for every message that passes by the handler.
    """

    async def __call__(self, message: Message) -> bool:
        return bool(message.text) and not (message.text or "").startswith("/")



class SlashCommand(Filter):
    """Any message that starts with "/" (see PlainText for why not a magic filter)."""

    async def __call__(self, message: Message) -> bool:
        return (message.text or "").startswith("/")
