"""Closing's refusals as sentences (a lost reason that does not fit, a reason not on the
list). Included before the general error router."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import ExceptionTypeFilter
from aiogram.types import ErrorEvent
from aiogram.utils.i18n import gettext as _

from bot.common.replies import answer_error
from crm.services.closing import LostReasonRefused, ReasonProblem


def refusal_text(error: LostReasonRefused) -> str:
    if error.problem is ReasonProblem.EMPTY:
        return _("A reason cannot be empty. Type one, or /cancel.")
    if error.problem is ReasonProblem.TOO_LONG:
        return _("That reason is too long: at most {limit} characters, please.").format(
            limit=error.limit)
    if error.problem is ReasonProblem.TAKEN:
        return _("That reason is on the list already.")
    if error.problem is ReasonProblem.TOO_MANY:
        return _("A pipeline can have at most {limit} reasons: remove one first.").format(
            limit=error.limit)
    return _("That reason is no longer on the list. Open the card again.")


async def closing_error(event: ErrorEvent) -> None:
    assert isinstance(event.exception, LostReasonRefused)
    await answer_error(event, refusal_text(event.exception))


def create_router() -> Router:
    router = Router(name=__name__)
    router.error.register(closing_error, ExceptionTypeFilter(LostReasonRefused))
    return router
