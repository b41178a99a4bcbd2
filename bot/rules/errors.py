"""The rules package's domain errors as sentences (conditions, templates, settings, rules
files). Included before the general error router, which answers every other error."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Filter
from aiogram.types import ErrorEvent

from bot.common.replies import answer_error
from bot.rules.error_texts import rules_error_text
from crm.errors import AppError


class RulesError(Filter):
    """Passes an AppError this feature has a sentence for, with the sentence as `text`."""

    async def __call__(self, event: ErrorEvent, lang: str = "en") -> bool | dict[str, str]:
        if not isinstance(event.exception, AppError):
            return False
        text = rules_error_text(event.exception, lang)
        return {"text": text} if text else False


async def rules_error(event: ErrorEvent, text: str) -> None:
    await answer_error(event, text)


def create_router() -> Router:
    router = Router(name=__name__)
    router.error.register(rules_error, RulesError())
    return router
