"""The automation beyond stage rules, built beside the engine: triggers (a client's message
or button, an incoming webhook, an activity done, a field's change, a new responsible
person) move items; overdue activities remind
their assignee once; every morning each salesperson gets a digest. All of it speaks
through the engine's outbox and is woken by the engine's scheduler."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time, timedelta
from zoneinfo import ZoneInfo

from crm.container import CrmServices
from crm.events import (
    ActivityAdded,
    ActivityDone,
    ActivityRescheduled,
    ClientWrote,
    FieldChanged,
    ResponsibleChanged,
)
from rules.container import Automation
from rules.digest.job import DigestJob
from rules.reminders import ReminderWorker
from rules.retention import RetentionJob
from rules.scheduling import SchedulerTimer
from rules.staff_hours.replan import ResponsibleReplanner
from rules.staff_hours.service import StaffHoursService
from rules.triggers.admin import TriggerAdmin
from rules.triggers.service import TriggerService
from rules.triggers.signing import TriggerSigner


@dataclass(frozen=True, slots=True)
class WorkflowOptions:
    trigger_key: bytes  # signs the webhook URLs of triggers
    digest_at: time | None = None  # None: no digest
    retention: timedelta = timedelta(days=180)  # delivered messages, past entries' runs


@dataclass(slots=True)
class Workflow:
    automation: Automation
    triggers: TriggerService
    trigger_admin: TriggerAdmin
    reminders: ReminderWorker
    digest: DigestJob
    retention: RetentionJob
    staff_hours: StaffHoursService

    async def start(self) -> None:
        """After the engine started: reminders catch up, the digest gets its daily job
        (and goes out now if the bot was down at digest time, within the catch-up window),
        and so does the pruning of what is past its retention."""
        self.reminders.start()
        self.retention.schedule(self.automation.scheduler, self.automation.config.timezone)
        self.digest.schedule(self.automation.scheduler)
        await self.digest.run()

    async def stop(self) -> None:
        """Also when this process stops leading: the cron jobs hold still with the engine's
        timer (Automation.pause), and `start` schedules them again."""
        await self.reminders.stop()

    async def tick(self) -> None:
        """Reminds what is overdue and delivers it, now (tests)."""
        await self.reminders.drain()
        await self.automation.tick()


def build_workflow(crm: CrmServices, automation: Automation, options: WorkflowOptions
                   ) -> Workflow:
    triggers = TriggerService(crm.uow, crm.clock, TriggerSigner(options.trigger_key),
                              ZoneInfo(automation.config.timezone))
    crm.bus.subscribe(ClientWrote, triggers.on_client_wrote)
    crm.bus.subscribe(ActivityDone, triggers.on_activity_done)
    crm.bus.subscribe(FieldChanged, triggers.on_field_changed)
    crm.bus.subscribe(ResponsibleChanged, triggers.on_responsible_changed)
    company = automation.config.working_hours
    crm.bus.subscribe(ResponsibleChanged, ResponsibleReplanner(
        company, automation.runs.wake).on_responsible_changed)
    timer = SchedulerTimer(automation.scheduler, "reminders", crm.clock)
    reminders = ReminderWorker(crm.uow, crm.clock, automation.config, timer,
                               automation.outbox.wake)
    crm.bus.subscribe(ActivityAdded, reminders.on_activity_added)
    crm.bus.subscribe(ActivityRescheduled, reminders.on_activity_rescheduled)  # snoozed
    digest = DigestJob(crm.uow, crm.clock, automation.config, options.digest_at,
                       automation.outbox.wake)
    return Workflow(automation, triggers, TriggerAdmin(crm.uow, crm.clock), reminders, digest,
                    RetentionJob(crm.uow, crm.clock, options.retention),
                    StaffHoursService(crm.uow, crm.clock, company, automation.runs.wake))
