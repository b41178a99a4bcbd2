"""Builds the CRM's services around one database; the composition root calls this."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from crm.clock import Clock
from crm.events import EventBus
from crm.services.activities import ActivityService
from crm.services.addresses import AddressService
from crm.services.board import BoardService
from crm.services.cards import CardService
from crm.services.catalog import CatalogService
from crm.services.client_files import ClientFileService
from crm.services.clients import ClientService
from crm.services.closing import ClosingService
from crm.services.contacts import ContactService
from crm.services.conversion import ConversionService
from crm.services.duplicates import DuplicateService
from crm.services.editing import ItemEditService
from crm.services.forwards import ForwardService
from crm.services.inbox import UpdateInbox
from crm.services.inquiries import InquiryService
from crm.services.inquiry_desk import InquiryDesk
from crm.services.items import ItemService
from crm.services.lead_report import LeadReportService
from crm.services.mode import ModeService
from crm.services.notes import NoteService, note_count
from crm.services.overview import OverviewService
from crm.services.reports import SalesReportService
from crm.services.staff import StaffService
from crm.services.team_chats import TeamChatService
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
    contacts: ContactService
    addresses: AddressService
    duplicates: DuplicateService
    staff: StaffService
    inbox: UpdateInbox
    activities: ActivityService
    conversion: ConversionService
    mode: ModeService
    inquiries: InquiryService
    lead_report: LeadReportService
    overview: OverviewService
    sales_report: SalesReportService
    team_chats: TeamChatService
    editing: ItemEditService
    closing: ClosingService
    notes: NoteService
    inquiry_desk: InquiryDesk
    client_files: ClientFileService
    forwards: ForwardService
    board: BoardService


def build_services(
    db: Database, clock: Clock, admin_ids: Iterable[int] = (), default_currency: str = "EUR"
) -> CrmServices:
    bus = EventBus()
    uow = UnitOfWorkFactory(db, bus)
    items = ItemService(uow, clock, default_currency)  # shared: conversions and inquiries use it
    conversion = ConversionService(uow, clock, items)
    cards = CardService(uow, clock)
    cards.add_extra("notes", note_count)  # the card shows the latest note and how many
    return CrmServices(
        db=db,
        bus=bus,
        uow=uow,
        clock=clock,
        items=items,
        cards=cards,
        catalog=CatalogService(uow),
        clients=ClientService(uow, clock),
        contacts=ContactService(uow, clock),
        addresses=AddressService(uow, clock),
        duplicates=DuplicateService(uow),
        staff=StaffService(uow, clock, admin_ids),
        inbox=UpdateInbox(uow),
        activities=ActivityService(uow, clock),
        conversion=conversion,
        mode=ModeService(uow, conversion),
        inquiries=InquiryService(uow, clock, items),
        lead_report=LeadReportService(uow),
        overview=OverviewService(uow),
        sales_report=SalesReportService(uow),
        team_chats=TeamChatService(uow, clock),
        editing=ItemEditService(uow, clock),
        closing=ClosingService(uow),
        notes=NoteService(uow, clock),
        inquiry_desk=InquiryDesk(uow, clock),
        client_files=ClientFileService(uow, clock),
        forwards=ForwardService(uow, clock, default_currency),
        board=BoardService(uow, clock),
    )
