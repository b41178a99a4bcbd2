"""Runs the classic → simple switch in the background, its progress shown in one message
that is edited as batches complete; when this process becomes the leader (at start-up
when it is the only one), continues a switch a crash interrupted.

The conversion itself is ConversionService's (resumable, one transaction per batch). Tasks
are tracked so that shutdown cancels them: a cancelled batch rolls back, and the job is
continued by the next leader.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from contextlib import suppress
from dataclasses import dataclass, field
from typing import Any, TypeVar

from aiogram import Bot
from aiogram.exceptions import TelegramBadRequest, TelegramForbiddenError
from aiogram.utils.i18n import I18n
from aiogram.utils.i18n import gettext as _

from bot.cluster.lease import Lease
from bot.common.texts import error_text
from bot.mode.texts import mode_error_text
from bot.mode.views import progress_text, resuming_text, switched_text
from crm.container import CrmServices
from crm.errors import AppError
from crm.models import Staff
from crm.services.mode import ConversionOptions

log = logging.getLogger(__name__)
BATCH_SIZE = 200  # leads per transaction
PROGRESS_INTERVAL = 1.5  # seconds between progress edits (Telegram's flood limits)
T = TypeVar("T")


@dataclass(slots=True)
class ProgressMessage:
    """The one message that shows a switch's progress, then its summary."""

    bot: Bot
    i18n: I18n
    language: str
    chat_id: int
    message_id: int
    last_edit: float = field(default=0.0)

    def render(self, text: Callable[..., str], *args: Any) -> str:
        with self.i18n.context(), self.i18n.use_locale(self.language):
            return text(*args)

    async def update(self, done: int, total: int) -> None:
        if time.monotonic() - self.last_edit < PROGRESS_INTERVAL:
            return
        self.last_edit = time.monotonic()
        # A progress edit Telegram refuses is skipped: the next batch shows newer figures.
        # (A 429 is waited out by the session's flood control, bot/telegram/flood_wait.py.)
        with suppress(TelegramBadRequest):
            await self.bot.edit_message_text(self.render(progress_text, done, total),
                                             chat_id=self.chat_id, message_id=self.message_id)

    async def finish(self, text: str) -> None:
        edited = await unless_refused(self.bot.edit_message_text(
            text, chat_id=self.chat_id, message_id=self.message_id))
        if edited is None:  # the progress message is gone: say it in a new one
            await unless_refused(self.bot.send_message(self.chat_id, text))


async def unless_refused(call: Awaitable[T]) -> T | None:
    """The call's result; None when the chat blocked the bot or Telegram refuses the call,
    so a background task goes on. (A 429 never arrives here: the session waits it out.)"""
    try:
        return await call
    except (TelegramForbiddenError, TelegramBadRequest) as error:
        log.warning("not delivered: %s", error.message)
        return None


def _error_sentence(error: AppError) -> str:
    return mode_error_text(error) or error_text(error)


def _apology() -> str:
    return _("Sorry, the switch stopped because of an error on our side. What was converted "
             "is kept; /mode simple continues it.")


class SwitchRunner:
    """The switches running in the background (one dispatcher dependency)."""

    def __init__(self, bot: Bot, i18n: I18n) -> None:
        self._bot = bot
        self._i18n = i18n
        self._tasks: set[asyncio.Task[None]] = set()

    def start(self, services: CrmServices, actor: Staff, options: ConversionOptions | None,
              language: str, chat_id: int, message_id: int) -> None:
        """Converts in the background; progress and summary edit the message `message_id`.
        `options` None: continue the interrupted job with its own options."""
        progress = ProgressMessage(self._bot, self._i18n, language, chat_id, message_id)
        task = asyncio.create_task(self._run(services, actor, options, progress))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def resume_pending(self, services: CrmServices, default_language: str) -> None:
        """A switch left running by a crash is continued and reported to whoever started it
        (or, when they may no longer, to an admin)."""
        job = await services.conversion.pending()
        if job is None:
            return
        if await _switch_lease(services).current_holder() is not None:
            log.info("conversion job %s is being run by a live process", job.id)
            return
        team = await services.staff.list(None)  # no actor needed
        allowed = [s for s in team if s.may_edit_settings]
        actor = next((s for s in allowed if s.user_id == job.started_by), None) or next(
            iter(allowed), None)
        if actor is None:
            log.warning("conversion job %s is pending but nobody may continue it", job.id)
            return
        language = actor.language or default_language
        with self._i18n.context(), self._i18n.use_locale(language):
            text = resuming_text(job.counts.leads_done, job.total)
        sent = await unless_refused(self._bot.send_message(actor.user_id, text))
        log.info("continuing interrupted conversion job %s for %s", job.id, actor.user_id)
        self.start(services, actor, None, language, actor.user_id, sent.message_id if sent else 0)

    async def stop(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)

    async def _run(self, services: CrmServices, actor: Staff,
                   options: ConversionOptions | None, progress: ProgressMessage) -> None:
        try:
            async with _switch_lease(services).kept():  # a leader starting meanwhile waits
                switched = await services.mode.switch_to_simple(actor, options,
                                                                progress.update, BATCH_SIZE)
        except AppError as error:
            text = progress.render(_error_sentence, error)
        except Exception:  # a background task has no error router: log it, tell the user
            log.exception("switch to simple mode failed (the job stays resumable)")
            text = progress.render(_apology)
        else:
            text = progress.render(switched_text, switched)
        await progress.finish(text)


def _switch_lease(services: CrmServices) -> Lease:
    """Held by the process running a switch, so that a process becoming the leader meanwhile
    does not resume it beside it (conversion batches are safe twice, the messages are not)."""
    return Lease(services.uow, "mode-switch")


async def stop_switches(switch_runner: SwitchRunner, **_data: Any) -> None:
    """Shutdown handler."""
    await switch_runner.stop()
