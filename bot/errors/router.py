"""Turns errors into a friendly reply: domain errors as sentences, anything else as an apology."""

from __future__ import annotations

import logging

from aiogram import Router
from aiogram.filters import ExceptionTypeFilter
from aiogram.types import ErrorEvent
from aiogram.utils.i18n import gettext as _

from bot.common.replies import answer_error
from bot.common.texts import error_text
from crm.errors import AppError

log = logging.getLogger(__name__)


async def domain_error(event: ErrorEvent) -> None:
    assert isinstance(event.exception, AppError)
    await answer_error(event, error_text(event.exception))


async def unexpected_error(event: ErrorEvent) -> None:
    log.exception("update %s failed", event.update.update_id, exc_info=event.exception)
    await answer_error(event, _("Sorry, something went wrong on our side. Please try again; "
                                "if it keeps happening, tell your admin."))


def create_router() -> Router:
    router = Router(name=__name__)
    router.error.register(domain_error, ExceptionTypeFilter(AppError))
    router.error.register(unexpected_error)
    return router
