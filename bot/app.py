"""The composition root: builds settings-driven parts and wires start-up and shutdown.

Nothing here runs at import time; `create_app` is called by `__main__` and by tests.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from aiogram import Bot, Dispatcher
from aiogram.client.default import DefaultBotProperties
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode

from bot.automation_setup import build_bot_automation
from bot.clients.deep_links import StartLinks
from bot.i18n import LanguageMiddleware, PoI18n, build_i18n
from bot.inquiries.notify import InquiryOutbox
from bot.middlewares import ArrivalMiddleware, UpdatesInFlight
from bot.mode.switch_runner import SwitchRunner, resume_interrupted_switch, stop_switches
from bot.routing import create_routers
from bot.settings import Settings
from bot.start.commands import register_default_commands, register_staff_commands
from bot.telegram.flood_wait import HandlingUpdate, PacedReplies, ReplyOrder
from bot.telegram.limits import KeepWithinLimits
from bot.workflow_setup import install_workflow
from crm.clock import Clock, SystemClock
from crm.container import CrmServices, build_services
from crm.storage.database import Database
from rules.container import Automation
from rules.documents.service import DocumentService
from rules.outbox.pacing import Pacer

log = logging.getLogger(__name__)


@dataclass(slots=True)
class CrmBot:
    settings: Settings
    db: Database
    services: CrmServices
    bot: Bot
    dp: Dispatcher
    i18n: PoI18n
    automation: Automation
    links: StartLinks

    async def on_startup(self) -> None:
        await register_default_commands(self.bot, self.i18n)
        for member in await self.services.staff.list(None):
            await register_staff_commands(self.bot, self.i18n, member)
        self.links.username = (await self.bot.me()).username
        if self.settings.default_rules:
            await self.automation.files.install_defaults()
        self.automation.start()  # catches up on what fell due while the bot was down

    async def on_shutdown(self) -> None:
        await self.automation.stop()

    async def close(self) -> None:
        await self.dp["in_flight"].wait()  # updates still being answered finish first
        await self.automation.stop()
        await self.automation.renderer.close()  # the render worker processes
        await self.bot.session.close()
        await self.db.close()


async def create_app(settings: Settings, clock: Clock | None = None,
                     pacer: Pacer | None = None) -> CrmBot:
    """Opens the database (applying migrations) and builds the bot; raises StorageUnavailable.
    One pacer keeps the outbox and the answers to updates within Telegram's flood limits."""
    db = Database(settings.database_path)
    await db.open()
    services = build_services(db, clock or SystemClock(), settings.admin_ids,
                              settings.default_currency)
    session = AiohttpSession(api=TelegramAPIServer.from_base(settings.telegram_api_base))
    bot = Bot(settings.bot_token.get_secret_value(), session=session,
              default=DefaultBotProperties(parse_mode=ParseMode.HTML,
                                           link_preview_is_disabled=True))
    links = StartLinks(settings.bot_token.get_secret_value())
    pacer = pacer or Pacer()
    automation = build_bot_automation(services, settings, bot, links, pacer)
    dp = Dispatcher(services=services, settings=settings, automation=automation, links=links)
    i18n = build_i18n(settings.default_language)
    bot.session.middleware(KeepWithinLimits())  # first: each part of a long text is paced
    bot.session.middleware(PacedReplies(pacer))
    dp.update.outer_middleware(HandlingUpdate(ReplyOrder()))
    dp["in_flight"] = dp.update.outer_middleware(UpdatesInFlight())  # see CrmBot.close
    dp.update.outer_middleware(ArrivalMiddleware())  # drops re-deliveries, finds the staff
    LanguageMiddleware(i18n).setup(dp)
    InquiryOutbox(i18n, settings.default_language, services.clock,
                  automation.outbox.wake).install(services.bus)  # inquiries via the outbox
    dp.include_routers(*create_routers())
    app = CrmBot(settings, db, services, bot, dp, i18n, automation, links)
    dp["app"] = app
    dp["switch_runner"] = SwitchRunner(bot, i18n)  # classic → simple switches, in background
    dp["documents"] = DocumentService(services.uow, services.clock, automation.outbox.wake)
    dp.startup.register(resume_interrupted_switch)
    dp.shutdown.register(stop_switches)
    dp.startup.register(app.on_startup)
    dp.shutdown.register(app.on_shutdown)
    install_workflow(app)  # triggers, activity reminders, the digest: after the engine
    return app
