"""The CRM-mode feature's domain errors as sentences. Included before the general error
router, which answers every other error."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Filter
from aiogram.types import ErrorEvent

from bot.common.replies import answer_error
from bot.mode.texts import mode_error_text
from crm.errors import AppError


class ModeError(Filter):
    """Passes an AppError this feature has a sentence for, with the sentence as `text`."""

    async def __call__(self, event: ErrorEvent) -> bool | dict[str, str]:
        if not isinstance(event.exception, AppError):
            return False
        text = mode_error_text(event.exception)
        return {"text": text} if text else False


async def mode_error(event: ErrorEvent, text: str) -> None:
    await answer_error(event, text)


def create_router() -> Router:
    router = Router(name=__name__)
    router.error.register(mode_error, ModeError())
    return router
