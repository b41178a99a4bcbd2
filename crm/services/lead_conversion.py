"""Converting one open lead by hand into a deal with its contact and/or company."""

from __future__ import annotations

from crm.access import require_item_access
from crm.clock import Clock
from crm.errors import AppError, Conflict, Entity, InvalidInput, NotFound
from crm.models import Item, Staff
from crm.services.conversion_clients import create_clients, plan_clients
from crm.services.conversion_steps import ConversionSteps, LeadConversion
from crm.services.mode import ConversionOptions
from crm.storage.unit_of_work import UnitOfWork


class NotALead(InvalidInput):
    code = "not_a_lead"

    def __init__(self, item_id: int) -> None:
        AppError.__init__(self, item_id=item_id)
        self.field, self.value, self.problem, self.item_id = "item", item_id, None, item_id


class LeadClosed(Conflict):
    """The lead is in a success or failure stage already."""

    code = "lead_closed"

    def __init__(self, lead_id: int) -> None:
        AppError.__init__(self, lead_id=lead_id)
        self.what, self.ref, self.lead_id = Entity.ITEM, lead_id, lead_id


class LeadAlreadyConverted(Conflict):
    code = "lead_already_converted"

    def __init__(self, lead_id: int, deal_id: int | None) -> None:
        AppError.__init__(self, lead_id=lead_id, deal_id=deal_id)
        self.what, self.ref, self.lead_id, self.deal_id = Entity.ITEM, lead_id, lead_id, deal_id


async def convert_lead(
    uow: UnitOfWork, clock: Clock, steps: ConversionSteps, actor: Staff, lead_id: int,
    options: ConversionOptions, contact_id: int | None, company_id: int | None,
) -> LeadConversion:
    """Converts one open lead in `uow`; `contact_id`/`company_id` link existing clients
    instead of creating them from the lead's data."""
    lead = await open_lead(uow, actor, lead_id)
    plan = await steps.plan(uow, options)
    contact_company = await _check_clients(uow, lead, contact_id, company_id)
    products = (await uow.conversion.products_of([lead.id])).get(lead.id, [])
    clients = plan_clients(lead, plan.choice, contact_id, company_id, contact_company)
    await create_clients(uow, [clients], clock.now())
    done = await steps.create_deal(uow, actor, clients, plan, products)
    await steps.close(uow, actor, [(lead, done.deal_id)], plan, None)
    await steps.settle_activities(uow, [lead.id], plan, done.counts)
    return done


async def open_lead(uow: UnitOfWork, actor: Staff, lead_id: int) -> Item:
    """The lead if the actor may convert it now: an open lead not converted before."""
    lead = await uow.items.get(lead_id, with_products=False)
    if lead is None:
        raise NotFound(what=Entity.ITEM, ref=lead_id)
    require_item_access(actor, lead)
    if lead.type_code != "lead":
        raise NotALead(item_id=lead_id)
    stage = await uow.catalog.get_stage(lead.stage_id)
    if stage is None or stage.is_final:
        raise LeadClosed(lead_id=lead_id)
    deal_id = await uow.conversion.deal_for_lead(lead_id)
    if deal_id is not None:
        raise LeadAlreadyConverted(lead_id=lead_id, deal_id=deal_id)
    return lead


async def _check_clients(
    uow: UnitOfWork, lead: Item, contact_id: int | None, company_id: int | None
) -> int | None:
    """Checks the clients to link; returns the company of the contact the deal gets."""
    if company_id is not None and await uow.clients.get_company(company_id) is None:
        raise NotFound(what=Entity.COMPANY, ref=company_id)
    wanted = contact_id or lead.contact_id
    contact = await uow.clients.get_contact(wanted) if wanted else None
    if contact_id is not None and contact is None:
        raise NotFound(what=Entity.CONTACT, ref=contact_id)
    return contact.company_id if contact else None
