"""Builds activities' reminders, triggers and the digest beside the automation engine, and
wires them into the bot's start-up and shutdown (part of the composition root)."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from bot.triggers.http import TriggerHooks
from rules.triggers.signing import derive_key
from rules.workflow import Workflow, WorkflowOptions, build_workflow

if TYPE_CHECKING:
    from bot.app import CrmBot


def install_workflow(app: CrmBot) -> Workflow:
    """Handlers get `workflow` and `trigger_hooks`; call after the engine's start-up hook
    is registered (the workflow starts after the engine)."""
    settings = app.settings
    key = derive_key(settings.trigger_secret.get_secret_value(),
                     settings.bot_token.get_secret_value())
    workflow = build_workflow(app.services, app.automation, WorkflowOptions(
        key, settings.digest_time, timedelta(days=settings.retention_days)))
    hooks = TriggerHooks(workflow.triggers, settings)
    app.dp["workflow"], app.dp["trigger_hooks"] = workflow, hooks

    async def on_startup() -> None:
        await workflow.start()
        await hooks.start_listener()  # polling mode with TRIGGER_LISTEN_PORT only

    async def on_shutdown() -> None:
        await hooks.stop_listener()
        await workflow.stop()

    app.dp.startup.register(on_startup)
    app.dp.shutdown.register(on_shutdown)
    return workflow
