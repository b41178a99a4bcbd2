"""Builds the CRM's services around one database; the composition root calls this."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from crm.clock import Clock
from crm.events import EventBus
from crm.services.cards import CardService
from crm.services.catalog import CatalogService
from crm.services.clients import ClientService
from crm.services.items import ItemService
from crm.services.staff import StaffService
from crm.storage.database import Database
from crm.storage.unit_of_work import UnitOfWorkFactory


@dataclass(slots=True)
class CrmServices:
    db: Database
    bus: EventBus
    uow: UnitOfWorkFactory
    clock: Clock
    items: ItemService
    cards: CardService
    catalog: CatalogService
    clients: ClientService
    staff: StaffService


def build_services(
    db: Database, clock: Clock, admin_ids: Iterable[int] = (), default_currency: str = "EUR"
) -> CrmServices:
    bus = EventBus()
    uow = UnitOfWorkFactory(db, bus)
    return CrmServices(
        db=db,
        bus=bus,
        uow=uow,
        clock=clock,
        items=ItemService(uow, clock, default_currency),
        cards=CardService(uow),
        catalog=CatalogService(uow),
        clients=ClientService(uow, clock),
        staff=StaffService(uow, clock, admin_ids),
    )
