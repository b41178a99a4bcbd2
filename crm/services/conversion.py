"""Turning leads into deals with their contact and/or company: one lead by hand, or every
open lead when the CRM switches from classic to simple mode.

The switch is resumable and exactly-once: a job row holds its options and counts, each
batch of leads is one transaction, and each lead's link to its deal is written in the
transaction that converts it. Converted leads leave their open stage, so a run started
again after a crash finds only the leads that are left.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from crm.access import require_item_access, require_settings_right
from crm.clock import Clock
from crm.errors import Conflict, InvalidInput, NotFound
from crm.models import CrmMode, Item, Pipeline, Product, Staff, StageKind
from crm.services.conversion_clients import ClientPlan, create_clients, plan_clients
from crm.services.items import ItemService, NewItem
from crm.services.mode import ClientChoice, ConversionOptions, Progress
from crm.storage.sqlite.activities import ActivityRepo
from crm.storage.sqlite.conversion import ConversionCounts, ConversionJob, ConversionRepo
from crm.storage.unit_of_work import UnitOfWork, UnitOfWorkFactory


class NotALead(InvalidInput):
    """params: item_id."""

    code = "not_a_lead"


class LeadClosed(Conflict):
    """The lead is in a success or failure stage already. params: lead_id."""

    code = "lead_closed"


class LeadAlreadyConverted(Conflict):
    """params: lead_id, deal_id."""

    code = "lead_already_converted"


@dataclass(frozen=True, slots=True)
class ConversionPreview:
    open_leads: int
    pipelines: list[Pipeline]  # deal pipelines to choose from, default one first
    pending: ConversionJob | None  # an interrupted switch; running again continues it


@dataclass(frozen=True, slots=True)
class ConversionSummary:
    job_id: int
    counts: ConversionCounts  # for the whole job, including before an interruption
    total: int  # open leads when the job started
    resumed: bool  # an interrupted job was continued with its original options


@dataclass(frozen=True, slots=True)
class LeadConversion:
    lead_id: int
    deal_id: int
    contact_id: int | None
    company_id: int | None
    counts: ConversionCounts


@dataclass(frozen=True, slots=True)
class _Plan:
    """What every lead of one conversion is converted with."""

    choice: ClientChoice
    pipeline_id: int
    keep_activities_open: bool
    success_stages: dict[int, int]  # lead pipeline id → the stage converted leads go to

    def success_stage(self, pipeline_id: int) -> int:
        if pipeline_id not in self.success_stages:
            raise InvalidInput(field="lead_pipeline", value=pipeline_id, reason="no_success_stage")
        return self.success_stages[pipeline_id]


class ConversionService:
    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, items: ItemService) -> None:
        self._uow = uow
        self._clock = clock
        self._items = items

    async def preview(self, actor: Staff) -> ConversionPreview:
        require_settings_right(actor)
        async with self._uow(write=False) as uow:
            repo = uow.repo(ConversionRepo)
            pipelines = await uow.catalog.list_pipelines("deal")
            return ConversionPreview(
                open_leads=await repo.count_open_leads(),
                pipelines=sorted(pipelines, key=lambda p: not p.is_default),
                pending=await repo.running_job(),
            )

    async def pending(self) -> ConversionJob | None:
        async with self._uow(write=False) as uow:
            return await uow.repo(ConversionRepo).running_job()

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
            final = await uow.repo(ConversionRepo).get_job(job.id)
        assert final is not None  # jobs are never deleted
        return ConversionSummary(final.id, final.counts, final.total, resumed)

    async def resume(
        self, actor: Staff, progress_callback: Progress | None = None, batch_size: int = 200
    ) -> ConversionSummary | None:
        """Continues an interrupted switch; None when there is none."""
        require_settings_right(actor)
        if await self.pending() is None:
            return None
        return await self.run(actor, None, progress_callback, batch_size)

    async def lead_to_convert(self, actor: Staff, lead_id: int) -> Item:
        """The lead if the actor may convert it now (an open lead not converted before);
        raises as convert_lead would, so a dialog can refuse before asking anything."""
        async with self._uow(write=False) as uow:
            return await self._open_lead(uow, uow.repo(ConversionRepo), actor, lead_id)

    async def convert_lead(
        self, actor: Staff, lead_id: int, create: str = "contact", contact_id: int | None = None,
        company_id: int | None = None, pipeline_id: int | None = None,
        keep_activities_open: bool = True,
    ) -> LeadConversion:
        """Converts one open lead; `contact_id`/`company_id` link existing clients instead
        of creating them from the lead's data."""
        options = ConversionOptions(create, pipeline_id, keep_activities_open)
        async with self._uow() as uow:
            repo = uow.repo(ConversionRepo)
            lead = await self._open_lead(uow, repo, actor, lead_id)
            plan = await self._plan(uow, options)
            contact_company = await self._check_clients(uow, lead, contact_id, company_id)
            products = (await repo.products_of([lead.id])).get(lead.id, [])
            clients = plan_clients(lead, plan.choice, contact_id, company_id, contact_company)
            await create_clients(uow, [clients], self._clock.now())
            done = await self._create_deal(uow, actor, clients, plan, products)
            await self._close(uow, actor, [(lead, done.deal_id)], plan, None)
            await self._settle_activities(uow, [lead.id], plan, done.counts)
            await uow.commit()
        return done

    async def _start(self, actor: Staff, options: ConversionOptions) -> tuple[ConversionJob, bool]:
        async with self._uow() as uow:
            repo = uow.repo(ConversionRepo)
            running = await repo.running_job()
            if running is not None:
                return running, True
            pipeline = await _deal_pipeline(uow, options.pipeline_id)
            broken = await repo.lead_pipelines_without_success()
            if broken:
                raise InvalidInput(field="lead_pipeline", value=broken[0],
                                   reason="no_success_stage")
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
        repo = uow.repo(ConversionRepo)
        job = await repo.get_job(job_id)
        if job is None or not job.running:
            return None
        plan = await self._plan(uow, ConversionOptions.from_json(job.options))
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
            done = await self._create_deal(uow, None, planned, plan,
                                           products.get(planned.lead.id, []))
            deals[done.lead_id] = done.deal_id
            counts.add(done.counts)
        await self._close(uow, None, [(lead, deals.get(lead.id)) for lead in leads], plan, job.id)
        await self._settle_activities(uow, [lead.id for lead in leads], plan, counts)
        await repo.add_counts(job.id, counts)
        if finished:
            await uow.settings.set("crm_mode", CrmMode.SIMPLE.value)
            await repo.finish_job(job.id, self._clock.now())
        job.counts.add(counts)
        return job, leads[-1].id if leads else after_id, finished, bool(leads)

    async def _create_deal(
        self, uow: UnitOfWork, actor: Staff | None, clients: ClientPlan, plan: _Plan,
        products: list[Product],
    ) -> LeadConversion:
        """The lead's deal, with its clients (created already); _close links and closes the
        lead."""
        lead = clients.lead
        deal = await self._items.create_in(uow, actor, NewItem(
            "deal", lead.title, pipeline_id=plan.pipeline_id, amount=lead.amount,
            currency=lead.currency, contact_id=clients.contact_id, company_id=clients.company_id,
            responsible_id=lead.responsible_id, source=lead.source, custom=dict(lead.custom),
            products=[Product(p.name, p.price, p.quantity) for p in products]))
        return LeadConversion(lead.id, deal.id, clients.contact_id, clients.company_id,
                              clients.counts())

    async def _close(
        self, uow: UnitOfWork, actor: Staff | None, leads: list[tuple[Item, int | None]],
        plan: _Plan, job_id: int | None,
    ) -> None:
        """Links each lead to its new deal (None: linked before), then moves the leads to
        their success stage — after the deals exist, so that rules reacting to a lead
        entering that stage already find its deal. One statement per table per batch."""
        links = [(lead.id, deal_id) for lead, deal_id in leads if deal_id is not None]
        await uow.repo(ConversionRepo).add_links(links, job_id, self._clock.now())
        await self._items.move_many_in(
            uow, actor, [(lead, plan.success_stage(lead.pipeline_id)) for lead, _ in leads])

    async def _settle_activities(
        self, uow: UnitOfWork, lead_ids: list[int], plan: _Plan, counts: ConversionCounts
    ) -> None:
        activities = uow.repo(ActivityRepo)
        if plan.keep_activities_open:
            counts.activities_moved += await activities.move_open_to_linked_deals(lead_ids)
        else:
            counts.activities_closed += await activities.close_open(lead_ids, self._clock.now())

    async def _plan(self, uow: UnitOfWork, options: ConversionOptions) -> _Plan:
        pipeline = await _deal_pipeline(uow, options.pipeline_id)
        # Per lead pipeline: its 'converted' stage, else its first success stage.
        success: dict[int, int] = {}
        for stage in sorted(await uow.catalog.all_stages(),
                            key=lambda s: (s.code != "converted", s.position)):
            if stage.kind is StageKind.SUCCESS:
                success.setdefault(stage.pipeline_id, stage.id)
        return _Plan(options.choice, pipeline.id, options.keep_activities_open, success)

    async def _open_lead(
        self, uow: UnitOfWork, repo: ConversionRepo, actor: Staff, lead_id: int
    ) -> Item:
        lead = await uow.items.get(lead_id, with_products=False)
        if lead is None:
            raise NotFound(what="item", ref=lead_id)
        require_item_access(actor, lead)
        if lead.type_code != "lead":
            raise NotALead(item_id=lead_id)
        stage = await uow.catalog.get_stage(lead.stage_id)
        if stage is None or stage.is_final:
            raise LeadClosed(lead_id=lead_id)
        deal_id = await repo.deal_for_lead(lead_id)
        if deal_id is not None:
            raise LeadAlreadyConverted(lead_id=lead_id, deal_id=deal_id)
        return lead

    async def _check_clients(
        self, uow: UnitOfWork, lead: Item, contact_id: int | None, company_id: int | None
    ) -> int | None:
        """Checks the clients to link; returns the company of the contact the deal gets."""
        if company_id is not None and await uow.clients.get_company(company_id) is None:
            raise NotFound(what="company", ref=company_id)
        wanted = contact_id or lead.contact_id
        contact = await uow.clients.get_contact(wanted) if wanted else None
        if contact_id is not None and contact is None:
            raise NotFound(what="contact", ref=contact_id)
        return contact.company_id if contact else None


async def _deal_pipeline(uow: UnitOfWork, pipeline_id: int | None) -> Pipeline:
    pipelines = await uow.catalog.list_pipelines("deal")
    if pipeline_id is None:
        found = next((p for p in pipelines if p.is_default), pipelines[0] if pipelines else None)
    else:
        found = next((p for p in pipelines if p.id == pipeline_id), None)
    if found is None:
        raise NotFound(what="pipeline", ref=pipeline_id or "deal")
    return found
