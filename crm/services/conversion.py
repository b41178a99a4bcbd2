"""Turning leads into deals with their contact and/or company: one lead by hand, or every
open lead when the CRM switches from classic to simple mode.

The switch is resumable and exactly-once: a job row holds its options and counts, each
batch of leads is one transaction, and each lead's link to its deal is written in the
transaction that converts it. Converted leads leave their open stage, so a run started
again after a crash finds only the leads that are left.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from crm.access import require_settings_right
from crm.clock import Clock
from crm.conversion_jobs import ConversionCounts, ConversionJob, ConversionSummary
from crm.errors import InputProblem, InvalidInput
from crm.models import CrmMode, Item, Pipeline, Staff
from crm.services import lead_conversion
from crm.services.conversion_clients import create_clients, plan_clients
from crm.services.conversion_steps import ConversionSteps, LeadConversion, deal_pipeline
from crm.services.items import ItemService
from crm.services.lead_conversion import open_lead
from crm.services.mode import ConversionOptions, Progress
from crm.storage.unit_of_work import UnitOfWork, UnitOfWorkFactory


@dataclass(frozen=True, slots=True)
class ConversionPreview:
    open_leads: int
    pipelines: list[Pipeline]  # deal pipelines to choose from, default one first
    pending: ConversionJob | None  # an interrupted switch; running again continues it


class ConversionService:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, items: ItemService) -> None:
        self._uow = uow
        self._clock = clock
        self._steps = ConversionSteps(clock, items)

    async def preview(self, actor: Staff) -> ConversionPreview:
        require_settings_right(actor)
        async with self._uow(write=False) as uow:
            repo = uow.conversion
            pipelines = await uow.catalog.list_pipelines("deal")
            return ConversionPreview(
                open_leads=await repo.count_open_leads(),
                pipelines=sorted(pipelines, key=lambda p: not p.is_default),
                pending=await repo.running_job(),
            )

    async def pending(self) -> ConversionJob | None:
        async with self._uow(write=False) as uow:
            return await uow.conversion.running_job()

    async def run(
        self, actor: Staff, options: ConversionOptions | None = None,
        progress_callback: Progress | None = None, batch_size: int = 200,
    ) -> ConversionSummary:
        """Converts every open lead, `batch_size` per transaction, then sets simple mode in
        the last one. A job left running by a crash is continued with its own options."""
        require_settings_right(actor)
        if batch_size < 1:
            raise InvalidInput(field="batch_size", value=batch_size)
        job, resumed = await self._start(actor, options or ConversionOptions())
        after_id, finished = 0, False
        while not finished:
            async with self._uow() as uow:
                step = await self._batch(uow, job.id, after_id, batch_size)
                await uow.commit()
            if step is None:  # a concurrent run of the same job finished it
                break
            job, after_id, finished, converted = step
            if progress_callback is not None and converted:
                done = job.counts.leads_done
                await progress_callback(done, max(job.total, done))
        async with self._uow(write=False) as uow:
            final = await uow.conversion.get_job(job.id)
        assert final is not None  # jobs are never deleted
        return ConversionSummary(final.id, final.counts, final.total, resumed)

    async def lead_to_convert(self, actor: Staff, lead_id: int) -> Item:
        """The lead if the actor may convert it now (an open lead not converted before);
        raises as convert_lead would, so a dialog can refuse before asking anything."""
        async with self._uow(write=False) as uow:
            return await open_lead(uow, actor, lead_id)

    async def convert_lead(
        self, actor: Staff, lead_id: int, create: str = "contact", contact_id: int | None = None,
        company_id: int | None = None, pipeline_id: int | None = None,
        keep_activities_open: bool = True,
    ) -> LeadConversion:
        """Converts one open lead; `contact_id`/`company_id` link existing clients instead
        of creating them from the lead's data."""
        options = ConversionOptions(create, pipeline_id, keep_activities_open)
        async with self._uow() as uow:
            done = await lead_conversion.convert_lead(uow, self._clock, self._steps, actor,
                                                      lead_id, options, contact_id, company_id)
            await uow.commit()
        return done

    async def _start(self, actor: Staff, options: ConversionOptions) -> tuple[ConversionJob, bool]:
        async with self._uow() as uow:
            repo = uow.conversion
            running = await repo.running_job()
            if running is not None:
                return running, True
            pipeline = await deal_pipeline(uow, options.pipeline_id)
            broken = await repo.lead_pipelines_without_success()
            if broken:
                raise InvalidInput(field="lead_pipeline", value=broken[0],
                                   problem=InputProblem.NO_SUCCESS_STAGE)
            # The resolved pipeline is stored: a resumed job must not follow a new default.
            chosen = replace(options, pipeline_id=pipeline.id)
            job = await repo.start_job(chosen.to_json(), actor.user_id, self._clock.now(),
                                       await repo.count_open_leads())
            await uow.commit()
        return job, False

    async def _batch(
        self, uow: UnitOfWork, job_id: int, after_id: int, size: int
    ) -> tuple[ConversionJob, int, bool, bool] | None:
        """One batch: (job with its new counts, last lead id, finished, converted any)."""
        repo = uow.conversion
        job = await repo.get_job(job_id)
        if job is None or not job.running:
            return None
        plan = await self._steps.plan(uow, ConversionOptions.from_json(job.options))
        rows = await repo.open_leads_after(after_id, size + 1)  # one more: is this the last?
        batch, finished = rows[:size], len(rows) <= size
        leads = [lead for lead, _ in batch]
        products = await repo.products_of([lead.id for lead in leads])
        companies = await repo.companies_of_contacts(
            [lead.contact_id for lead in leads if lead.contact_id and lead.company_id is None])
        # Leads converted before and reopened are only closed again (no deal: None).
        counts = ConversionCounts(leads_already_converted=sum(d is not None for _, d in batch))
        clients = [plan_clients(lead, plan.choice, None, None, companies.get(lead.contact_id or 0))
                   for lead, linked_deal in batch if linked_deal is None]
        await create_clients(uow, clients, self._clock.now())
        deals: dict[int, int | None] = {}
        for planned in clients:
            done = await self._steps.create_deal(uow, None, planned, plan,
                                           products.get(planned.lead.id, []))
            deals[done.lead_id] = done.deal_id
            counts.add(done.counts)
        await self._steps.close(uow, None, [(lead, deals.get(lead.id)) for lead in leads], plan,
                                job.id)
        await self._steps.settle_activities(uow, [lead.id for lead in leads], plan, counts)
        await repo.add_counts(job.id, counts)
        if finished:
            await uow.catalog.set_mode(CrmMode.SIMPLE)
            await repo.finish_job(job.id, self._clock.now())
        job.counts.add(counts)
        return job, leads[-1].id if leads else after_id, finished, bool(leads)
