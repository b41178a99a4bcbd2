"""Everything the bot is made of, built once from the settings: the database, the CRM's
services, the automation engine with its channels, the workflow beside it (triggers,
reminders, the digest) and the document service. `bot/app.py` connects these to Telegram;
the `crm-bot rules` command line uses the same parts without starting anything.

Nothing here starts a task or talks to Telegram: `Parts.start` does, from the bot's
start-up hook (the engine only in the process that leads: bot/cluster/leader.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from aiogram import Bot

from bot.clients.deep_links import StartLinks
from bot.cluster.leader import NAME as LEADER
from bot.cluster.leader import Leadership
from bot.cluster.lease import Lease
from bot.cluster.wakeups import commit_watch
from bot.cluster.watch import Watch
from bot.settings import Settings
from bot.telegram.transport import TelegramTransport
from bot.triggers.http import TriggerHooks
from crm.clock import Clock, SystemClock
from crm.container import CrmServices, build_services
from crm.storage.database import Database
from rules.config import EngineConfig
from rules.container import Automation, build_automation
from rules.documents.config import Issuer, PaperworkConfig
from rules.documents.files import DocumentFiles
from rules.documents.service import DocumentService
from rules.documents.transport import DocumentTransport
from rules.email.config import SmtpConfig
from rules.email.transport import EmailTransport
from rules.outbox.pacing import Pacer
from rules.ports import Transport
from rules.rendering import Renderer
from rules.timing import WorkingHours
from rules.triggers.signing import derive_key
from rules.webhooks.transport import WebhookTransport
from rules.workflow import Workflow, WorkflowOptions, build_workflow


@dataclass(slots=True)
class Parts:
    settings: Settings
    db: Database
    services: CrmServices
    links: StartLinks
    automation: Automation
    workflow: Workflow
    documents: DocumentService
    trigger_hooks: TriggerHooks
    leadership: Leadership  # whether this process runs the engine (bot/cluster/leader.py)
    commits: Watch  # what other processes commit wakes the engine
    running: bool = False

    async def start(self) -> None:
        """Leads when no other process does (then the engine runs here), then the trigger
        listener."""
        self.running = True
        await self.leadership.start()
        await self.trigger_hooks.start_listener()  # polling mode with TRIGGER_LISTEN_PORT only

    async def lead(self) -> None:
        """The leader's part: the engine first (it catches up on what fell due while no
        process led), then the workflow that speaks through it."""
        if self.settings.default_rules:
            await self.automation.files.install_defaults()
        self.automation.start()
        await self.workflow.start()
        self.commits.start()

    async def follow(self) -> None:
        """Another process leads now: the engine stops here at once."""
        await self.commits.stop()
        await self.workflow.stop()
        await self.automation.pause()

    async def stop(self) -> None:
        """Once: the scheduler's shutdown is only scheduled, so a second would fail."""
        if not self.running:
            return
        self.running = False
        await self.trigger_hooks.stop_listener()
        await self.leadership.stop()  # another process takes over at once
        await self.workflow.stop()
        await self.automation.stop()

    async def close(self) -> None:
        await self.stop()
        await self.automation.renderer.close()  # the render worker processes
        await self.db.close()


async def build_parts(settings: Settings, bot: Bot, clock: Clock | None = None,
                      pacer: Pacer | None = None) -> Parts:
    """Opens the database (applying migrations); raises StorageUnavailable. `bot` is only
    kept for sending (nothing is sent while building)."""
    db = Database(settings.database_location)
    await db.open()
    services = build_services(db, clock or SystemClock(), settings.admin_ids,
                              settings.default_currency)
    links = StartLinks(settings.bot_token.get_secret_value())
    renderer = Renderer(settings.templates_dir, timezone=settings.timezone,
                        default_language=settings.default_language,
                        default_currency=settings.default_currency)
    leadership = Leadership(Lease(services.uow, LEADER))
    automation = build_automation(services, engine_config(settings, links), renderer,
                                  transports(services, settings, bot), pacer,
                                  may_send=leadership.holds)
    key = derive_key(settings.trigger_secret.get_secret_value(),
                     settings.bot_token.get_secret_value())
    workflow = build_workflow(services, automation, WorkflowOptions(
        key, settings.digest_time, timedelta(days=settings.retention_days)))
    documents = DocumentService(services.uow, services.clock, automation.outbox.wake,
                                settings.default_language)
    commits = commit_watch(db, (automation.runs.wake, automation.outbox.wake,
                                automation.recurring.wake, workflow.reminders.wake))
    parts = Parts(settings, db, services, links, automation, workflow, documents,
                  TriggerHooks(workflow.triggers, settings), leadership, commits)
    leadership.add_duty("engine", parts.lead, parts.follow)
    return parts


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


def transports(services: CrmServices, settings: Settings, bot: Bot) -> dict[str, Transport]:
    """The outbox's channels: Telegram, webhooks, documents (PDFs under DATA_DIR/documents,
    sent with the Bot) and e-mail when a mail server is set up."""
    telegram = TelegramTransport(bot)
    files = DocumentFiles(settings.data_dir / "documents", services.uow, services.clock)
    channels: dict[str, Transport] = {
        "telegram": telegram,
        "webhook": WebhookTransport(settings.webhooks_allow_private, settings.webhooks_timeout,
                                    settings.webhooks_max_attempts),
        "document": DocumentTransport(files, telegram),
    }
    smtp = smtp_config(settings)
    if smtp is not None:
        channels["email"] = EmailTransport(smtp, services.clock, files)
    return channels


def paperwork_config(settings: Settings) -> PaperworkConfig:
    issuer = Issuer(settings.company_name, settings.company_address, settings.company_tax_id,
                    settings.company_iban, settings.company_bic, settings.company_bank,
                    settings.company_email, settings.company_tax_number,
                    settings.company_register_court, settings.company_register_number,
                    settings.company_managing_directors)
    return PaperworkConfig(issuer, settings.tax_rate,
                           email_ready=bool(settings.smtp_host and settings.smtp_from),
                           prefixes=settings.document_prefixes())


def smtp_config(settings: Settings) -> SmtpConfig | None:
    if not (settings.smtp_host and settings.smtp_from):
        return None
    return SmtpConfig(host=settings.smtp_host, sender=settings.smtp_from,
                      port=settings.smtp_port, user=settings.smtp_user,
                      password=settings.smtp_password.get_secret_value(),
                      security=settings.smtp_security)
