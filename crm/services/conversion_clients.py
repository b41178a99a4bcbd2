"""The clients a converted lead's deal gets: linked ones, or new ones made from the lead's
data. Planned lead by lead, then inserted for a whole batch with one statement per table
(a switch to simple mode converts thousands of leads)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from crm.conversion_jobs import ConversionCounts
from crm.models import Company, Contact, Item
from crm.services.mode import ClientChoice
from crm.storage.unit_of_work import UnitOfWork


@dataclass(slots=True)
class ClientPlan:
    lead: Item
    contact_id: int | None  # linked, or once created the new contact's
    company_id: int | None
    new_company: Company | None = None
    new_contact: Contact | None = None
    give_company: bool = False  # the lead's existing contact gets the new company

    def counts(self) -> ConversionCounts:
        return ConversionCounts(leads_converted=1, deals_created=1,
                                contacts_created=int(self.new_contact is not None),
                                companies_created=int(self.new_company is not None))


def plan_clients(lead: Item, choice: ClientChoice, contact_id: int | None,
                 company_id: int | None, contact_company: int | None) -> ClientPlan:
    """`contact_id`/`company_id`: existing clients to link; else the lead's own, else new
    ones as `choice` says. `contact_company`: the company of the contact the deal gets."""
    custom = lead.custom
    phone, email = _field(custom, "phone"), _field(custom, "email")
    found = ClientPlan(lead, contact_id or lead.contact_id,
                       company_id or lead.company_id or contact_company)
    if found.company_id is None and choice.wants_company:
        with_details = found.contact_id is None and not choice.wants_contact
        found.new_company = Company(
            0, _field(custom, "company_name", "company") or lead.title,
            phone if with_details else None, email if with_details else None)
        found.give_company = found.contact_id is not None
    if found.contact_id is None and choice.wants_contact:
        name = _field(custom, "name", "contact_name") or lead.title
        found.new_contact = Contact(0, name, phone, email, company_id=found.company_id)
    return found


async def create_clients(uow: UnitOfWork, plans: list[ClientPlan], now: datetime) -> None:
    """Inserts the planned companies, then the contacts (with their new company), one
    statement each, and fills in the ids."""
    companies = [p.new_company for p in plans if p.new_company is not None]
    await uow.clients.add_companies(companies, now)
    for plan in plans:
        if plan.new_company is not None:
            plan.company_id = plan.new_company.id
            if plan.new_contact is not None:
                plan.new_contact.company_id = plan.company_id
    await uow.clients.add_contacts([p.new_contact for p in plans if p.new_contact], now)
    for plan in plans:
        if plan.new_contact is not None:
            plan.contact_id = plan.new_contact.id
    await uow.conversion.give_contacts_company(
        [(p.contact_id, p.company_id) for p in plans if p.give_company
         and p.contact_id is not None and p.company_id is not None])


def _field(custom: dict[str, object], *keys: str) -> str | None:
    """The first non-empty text among the lead's custom fields `keys`."""
    for key in keys:
        value = custom.get(key)
        if value is not None and str(value).strip():
            return str(value).strip()
    return None
