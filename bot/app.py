"""The bot's composition root: the parts (bot/composition.py) connected to Telegram — the
Bot, the Dispatcher with its middlewares and routers, and start-up and shutdown.

Nothing here runs at import time; `create_app` is called by the runner and by tests.
Handlers get what they need by name from the Dispatcher's data (aiogram's injection):
`services`, `automation`, `workflow`, `documents`, `links`, `settings`, `switch_runner`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from functools import partial

from aiogram import Bot, Dispatcher
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode

from bot.board.buttons import PrivateWebAppButtons, set_menu_buttons
from bot.board.setup import build_board
from bot.clients.deep_links import StartLinks
from bot.composition import Parts, build_parts
from bot.files.notify import FileOutbox
from bot.i18n import LanguageMiddleware, PoI18n, build_i18n
from bot.inquiries.notify import InquiryOutbox
from bot.inquiries.taking import InquiryDeskNotices
from bot.menu.notify import StaffNotices
from bot.middlewares import ArrivalMiddleware, UpdatesInFlight
from bot.mode.switch_runner import SwitchRunner, stop_switches
from bot.routing import create_routers
from bot.settings import Settings
from bot.start.commands import (
    register_default_commands,
    register_descriptions,
    register_staff_commands,
)
from bot.telegram.arriving import NameTheUpdate
from bot.telegram.dialog_steps import StepsOfUpdate
from bot.telegram.dialog_storage import close_dialog_storage, dialog_storage
from bot.telegram.flood_wait import FloodControl, HandlingUpdate, ReplyOrder
from bot.telegram.limits import KeepWithinLimits
from crm.clock import Clock
from crm.container import CrmServices
from crm.storage.database import Database
from crm.storage.dialogs import DialogStates
from rules.container import Automation
from rules.outbox.pacing import Pacer

log = logging.getLogger(__name__)


@dataclass(slots=True)
class CrmBot:
    parts: Parts
    bot: Bot
    dp: Dispatcher
    i18n: PoI18n
    in_flight: UpdatesInFlight

    @property
    def settings(self) -> Settings:
        return self.parts.settings

    @property
    def db(self) -> Database:
        return self.parts.db

    @property
    def services(self) -> CrmServices:
        return self.parts.services

    @property
    def automation(self) -> Automation:
        return self.parts.automation

    @property
    def links(self) -> StartLinks:
        return self.parts.links

    async def on_startup(self) -> None:
        self.links.username = (await self.bot.me()).username
        await self.parts.start()  # leads at once when no other process does

    async def register_commands(self) -> None:
        """A leader's duty (the version that leads sets the menus): the default commands,
        the descriptions, each staff member's commands."""
        await register_default_commands(self.bot, self.i18n)
        await register_descriptions(self.bot, self.i18n)
        for member in await self.services.staff.list(None):
            await register_staff_commands(self.bot, self.i18n, member)
        await set_menu_buttons(self.bot, self.i18n, await self.services.staff.list(None),
                               self.settings)  # the board's menu button (WEBAPP_URL)

    async def on_shutdown(self) -> None:
        await self.parts.stop()

    async def close(self) -> None:
        await self.in_flight.wait()  # updates still being answered finish first
        await close_dialog_storage(self.dp.storage)
        await self.parts.close()
        await self.bot.session.close()


async def create_app(settings: Settings, clock: Clock | None = None,
                     pacer: Pacer | None = None) -> CrmBot:
    """Opens the database (applying migrations) and builds the bot; raises StorageUnavailable.
    One pacer keeps the outbox and every other call within Telegram's flood limits."""
    session = AiohttpSession(api=TelegramAPIServer.from_base(settings.telegram_api_base))
    bot = Bot(settings.bot_token.get_secret_value(), session=session,
              default=DefaultBotProperties(parse_mode=ParseMode.HTML,
                                           link_preview_is_disabled=True))
    pacer = pacer or Pacer()
    parts = await build_parts(settings, bot, clock, pacer)
    i18n = build_i18n(settings.default_language)
    storage, isolation = dialog_storage(  # open dialogs: in the database, or in Redis
        settings.redis_url, settings.redis_key_prefix,
        DialogStates(parts.services.uow, parts.services.clock), parts.services.uow,
        parts.services.inbox)
    # The FSM middleware is registered below, after the one that names the update for it.
    dp = Dispatcher(storage=storage, events_isolation=isolation, disable_fsm=True,
                    settings=settings, services=parts.services, automation=parts.automation,
                    workflow=parts.workflow, documents=parts.documents, links=parts.links,
                    trigger_hooks=parts.trigger_hooks, switch_runner=SwitchRunner(bot, i18n))
    bot.session.middleware(KeepWithinLimits())  # first: each part of a long text is paced
    bot.session.middleware(FloodControl(pacer))
    bot.session.middleware(PrivateWebAppButtons())  # the board's buttons: private chats only
    dp.update.outer_middleware(NameTheUpdate())  # its arrival is read with its dialog state
    dp.update.outer_middleware(dp.fsm)
    dp.update.outer_middleware(HandlingUpdate(ReplyOrder()))
    in_flight = UpdatesInFlight()  # see CrmBot.close
    dp.update.outer_middleware(in_flight)
    dp.update.outer_middleware(ArrivalMiddleware())  # drops re-deliveries, finds the staff
    dp.update.outer_middleware(StepsOfUpdate(storage))  # dialog steps saved once handled
    LanguageMiddleware(i18n).setup(dp)
    InquiryOutbox(i18n, settings.default_language, parts.services.clock,
                  parts.automation.outbox.wake).install(parts.services.bus)
    FileOutbox(i18n, settings.default_language, parts.services.clock,
               parts.automation.outbox.wake).install(parts.services.bus)
    StaffNotices(i18n, settings.default_language, parts.services.clock,
                 parts.automation.outbox.wake).install(parts.services.bus)
    InquiryDeskNotices(i18n, settings.default_language, parts.services.clock,
                       parts.automation.outbox.wake).install(parts.services.bus)
    dp.include_routers(*create_routers())
    app = CrmBot(parts, bot, dp, i18n, in_flight)
    dp["app"] = app
    dp["board_web"] = build_board(parts, i18n)  # the board's page and API (bot/runner.py)
    dp["events_isolation"] = isolation  # for work that goes on after its handler (forwards)
    leadership = parts.leadership  # the leader's once-only jobs, after the engine's start
    leadership.add_duty("commands", app.register_commands)
    leadership.add_duty("switch resume", partial(  # classic → simple, in the background
        dp["switch_runner"].resume_pending, parts.services, settings.default_language))
    dp.shutdown.register(stop_switches)
    dp.startup.register(app.on_startup)
    dp.shutdown.register(app.on_shutdown)
    return app
