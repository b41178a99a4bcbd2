"""The steps every lead conversion takes inside its unit of work, whether one lead is
converted by hand or every open lead by the switch to simple mode: the plan all leads are
converted with, each lead's deal, closing the leads, and their open activities."""

from __future__ import annotations

from dataclasses import dataclass

from crm.clock import Clock
from crm.conversion_jobs import ConversionCounts
from crm.errors import Entity, InputProblem, InvalidInput, NotFound
from crm.models import Item, Pipeline, Product, Staff, StageKind
from crm.services.conversion_clients import ClientPlan
from crm.services.item_moves import move_items
from crm.services.items import ItemService, NewItem, create_item
from crm.services.mode import ClientChoice, ConversionOptions
from crm.storage.unit_of_work import UnitOfWork


@dataclass(frozen=True, slots=True)
class LeadConversion:
    lead_id: int
    deal_id: int
    contact_id: int | None
    company_id: int | None
    counts: ConversionCounts


@dataclass(frozen=True, slots=True)
class ConversionPlan:
    """What every lead of one conversion is converted with."""

    choice: ClientChoice
    pipeline_id: int
    keep_activities_open: bool
    success_stages: dict[int, int]  # lead pipeline id → the stage converted leads go to

    def success_stage(self, pipeline_id: int) -> int:
        if pipeline_id not in self.success_stages:
            raise InvalidInput(field="lead_pipeline", value=pipeline_id,
                               problem=InputProblem.NO_SUCCESS_STAGE)
        return self.success_stages[pipeline_id]


class ConversionSteps:
    def __init__(self, clock: Clock, items: ItemService) -> None:
        self._clock = clock
        self._items = items

    async def plan(self, uow: UnitOfWork, options: ConversionOptions) -> ConversionPlan:
        pipeline = await deal_pipeline(uow, options.pipeline_id)
        # Per lead pipeline: its 'converted' stage, else its first success stage.
        success: dict[int, int] = {}
        for stage in sorted(await uow.catalog.all_stages(),
                            key=lambda s: (s.code != "converted", s.position)):
            if stage.kind is StageKind.SUCCESS:
                success.setdefault(stage.pipeline_id, stage.id)
        return ConversionPlan(options.choice, pipeline.id, options.keep_activities_open, success)

    async def create_deal(
        self, uow: UnitOfWork, actor: Staff | None, clients: ClientPlan, plan: ConversionPlan,
        products: list[Product],
    ) -> LeadConversion:
        """The lead's deal, with its clients (created already); close links and closes the
        lead."""
        lead = clients.lead
        deal = await create_item(uow, actor, NewItem(
            "deal", lead.title, pipeline_id=plan.pipeline_id, amount=lead.amount,
            currency=lead.currency, contact_id=clients.contact_id, company_id=clients.company_id,
            responsible_id=lead.responsible_id, source=lead.source, custom=dict(lead.custom),
            products=[Product(p.name, p.price, p.quantity) for p in products]),
            self._clock.now(), default_currency=self._items.default_currency)
        return LeadConversion(lead.id, deal.id, clients.contact_id, clients.company_id,
                              clients.counts())

    async def close(
        self, uow: UnitOfWork, actor: Staff | None, leads: list[tuple[Item, int | None]],
        plan: ConversionPlan, job_id: int | None,
    ) -> None:
        """Links each lead to its new deal (None: linked before), then moves the leads to
        their success stage — after the deals exist, so that rules reacting to a lead
        entering that stage already find its deal. One statement per table per batch."""
        links = [(lead.id, deal_id) for lead, deal_id in leads if deal_id is not None]
        await uow.conversion.add_links(links, job_id, self._clock.now())
        await move_items(uow, actor, [(lead, plan.success_stage(lead.pipeline_id))
                                      for lead, _ in leads], self._clock.now())

    async def settle_activities(
        self, uow: UnitOfWork, lead_ids: list[int], plan: ConversionPlan,
        counts: ConversionCounts,
    ) -> None:
        activities = uow.activities
        if plan.keep_activities_open:
            counts.activities_moved += await activities.move_open_to_linked_deals(lead_ids)
        else:
            counts.activities_closed += await activities.close_open(lead_ids, self._clock.now())


async def deal_pipeline(uow: UnitOfWork, pipeline_id: int | None) -> Pipeline:
    pipelines = await uow.catalog.list_pipelines("deal")
    if pipeline_id is None:
        found = next((p for p in pipelines if p.is_default), pipelines[0] if pipelines else None)
    else:
        found = next((p for p in pipelines if p.id == pipeline_id), None)
    if found is None:
        raise NotFound(what=Entity.PIPELINE, ref=pipeline_id or "deal")
    return found
