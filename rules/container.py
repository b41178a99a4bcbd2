"""Builds the automation around the CRM's services; the composition root calls this.

The planner subscribes to crm's ItemEnteredStage, so every creation and move plans its
stage's rules in the same transaction. Two workers do the rest: one executes due runs,
one delivers the outbox; APScheduler only wakes them.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from apscheduler.schedulers.asyncio import AsyncIOScheduler
from apscheduler.schedulers.base import STATE_PAUSED, STATE_RUNNING

from crm.container import CrmServices
from crm.events import (
    ActivityDone,
    ClientConnected,
    ClientWrote,
    ItemEnteredStage,
    ResponsibleChanged,
)
from rules.config import EngineConfig
from rules.engine.executor import RunExecutor
from rules.engine.planner import StagePlanner
from rules.engine.waits import WaitWaker
from rules.engine.worker import RunWorker
from rules.outbox.pacing import Pacer
from rules.outbox.worker import OutboxWorker
from rules.ports import Transport
from rules.recurring.schedule import CopyScheduled
from rules.recurring.worker import ScheduleWorker
from rules.rendering import Renderer
from rules.scheduling import SchedulerTimer, build_scheduler
from rules.services.reconnect import ReconnectRuns
from rules.services.rules_admin import RuleService
from rules.services.rules_file import RulesFileService
from rules.services.schedules import ScheduleService
from rules.services.settling import MoveSettling
from rules.services.status import StatusService, card_brief, failed_items
from rules.services.stopping import StopService
from rules.services.test_mode import TestModeService
from rules.wakeable import Doorbell


@dataclass(slots=True)
class Automation:
    config: EngineConfig
    renderer: Renderer
    scheduler: AsyncIOScheduler
    runs: RunWorker
    outbox: OutboxWorker
    rules: RuleService
    status: StatusService
    stops: StopService
    test_mode: TestModeService
    files: RulesFileService
    recurring: ScheduleWorker  # copies on schedule (recurring deals)
    schedules: ScheduleService

    def start(self) -> None:
        """Inside the running event loop: the timer, then both workers, which first catch
        up on everything that fell due while the bot was down. Also after `pause`."""
        if self.scheduler.state == STATE_PAUSED:
            self.scheduler.resume()
        else:
            self.scheduler.start()
        self.runs.start()
        self.outbox.start()
        self.recurring.start()

    async def pause(self) -> None:
        """Until `start`: the workers stop at once and the timer holds still (this process
        is no longer the one that runs them; `stop` is for good)."""
        if self.scheduler.state == STATE_RUNNING:
            self.scheduler.pause()
        await self.recurring.stop()
        await self.runs.stop()
        await self.outbox.stop()

    async def stop(self) -> None:
        await self.recurring.stop()
        await self.runs.stop()
        await self.outbox.stop()
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)

    async def tick(self) -> None:
        """Executes what is due and delivers what is queued, now (tests and benches)."""
        await self.recurring.drain()
        await self.runs.drain()
        await self.outbox.drain()


def build_automation(crm: CrmServices, config: EngineConfig, renderer: Renderer,
                     transports: Mapping[str, Transport], pacer: Pacer | None = None,
                     may_send: Callable[[], bool] = lambda: True) -> Automation:
    """`may_send`: whether this process may send now (the bot's: while it leads)."""
    scheduler = build_scheduler()
    clock, uow = crm.clock, crm.uow
    runs_doorbell = Doorbell()  # the planner and the outbox wake the run worker
    wake_runs = runs_doorbell.ring
    settling = MoveSettling(uow)  # the card after a move waits for the rules due at once
    planner = StagePlanner(config, wake_runs, on_planned=settling.planned)
    crm.bus.subscribe(ItemEnteredStage, planner.on_item_entered_stage)
    # a client opened their start link: the rules that could not reach them run again
    crm.bus.subscribe(ClientConnected, ReconnectRuns(wake_runs).on_connected)
    # the client wrote, or the item changed: its waits look again at once
    waits = WaitWaker(wake_runs)
    crm.bus.subscribe(ClientWrote, waits.on_client_wrote)
    crm.bus.subscribe(ActivityDone, waits.on_item_changed)
    crm.bus.subscribe(ResponsibleChanged, waits.on_item_changed)
    # the card says what the rules are doing; after a move, once those due at once have run
    crm.cards.add_extra("automation", card_brief(ZoneInfo(config.timezone)))
    crm.cards.settle_with(settling.settle)
    crm.board.read_failed_with(failed_items)  # the board marks cards whose automation failed
    executor = RunExecutor(uow, clock, renderer, config)
    outbox = OutboxWorker(uow, clock, config, SchedulerTimer(scheduler, "outbox", clock),
                          transports, wake_runs, pacer, may_send=may_send)
    runs = RunWorker(uow, clock, executor, SchedulerTimer(scheduler, "runs", clock), outbox.wake,
                     runs_doorbell)
    rules = RuleService(uow, clock, renderer, config, planner, wake_runs)
    recurring = ScheduleWorker(uow, clock, renderer, config,
                               SchedulerTimer(scheduler, "recurring", clock))
    crm.bus.subscribe(CopyScheduled, recurring.on_scheduled)
    crm.bus.subscribe(ItemEnteredStage, recurring.on_item_entered_stage)
    return Automation(
        config=config, renderer=renderer, scheduler=scheduler, runs=runs, outbox=outbox,
        rules=rules, files=RulesFileService(uow, clock, rules, config.timezone),
        status=StatusService(uow, clock),
        stops=StopService(uow, clock),
        test_mode=TestModeService(uow, clock, renderer, config, outbox.wake),
        recurring=recurring, schedules=ScheduleService(uow, clock),
    )
