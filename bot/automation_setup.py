"""Builds the automation engine from the bot's settings (part of the composition root)."""

from __future__ import annotations

from aiogram import Bot

from bot.clients.deep_links import StartLinks
from bot.paperwork_setup import paperwork_config, paperwork_transports
from bot.settings import Settings
from bot.telegram.transport import TelegramTransport
from crm.container import CrmServices
from rules.config import EngineConfig
from rules.container import Automation, build_automation
from rules.outbox.pacing import Pacer
from rules.rendering import Renderer
from rules.timing import WorkingHours
from rules.webhooks.transport import WebhookTransport


def engine_config(settings: Settings, links: StartLinks) -> EngineConfig:
    opening, closing = settings.working_hours
    hours = WorkingHours(settings.timezone, settings.working_days, opening, closing,
                         frozenset(settings.holidays))
    return EngineConfig(timezone=settings.timezone, default_language=settings.default_language,
                        working_hours=hours, start_link=links.link,
                        webhook_secret=settings.webhook_signing_secret.get_secret_value(),
                        webhooks_allow_private=settings.webhooks_allow_private,
                        own_urls=tuple(url for url in (settings.trigger_public_url,
                                                       settings.webhook_url) if url),
                        paperwork=paperwork_config(settings))


def build_bot_automation(services: CrmServices, settings: Settings, bot: Bot,
                         links: StartLinks, pacer: Pacer | None = None) -> Automation:
    renderer = Renderer(settings.templates_dir, timezone=settings.timezone,
                        default_language=settings.default_language,
                        default_currency=settings.default_currency)
    telegram = TelegramTransport(bot)
    return build_automation(services, engine_config(settings, links), renderer,
                            {"telegram": telegram, "webhook": WebhookTransport(
                                settings.webhooks_allow_private, settings.webhooks_timeout,
                                settings.webhooks_max_attempts),
                             **paperwork_transports(services, settings, telegram)},
                            pacer)
