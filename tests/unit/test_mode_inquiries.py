"""Client messages: a lead (classic) or a deal (simple), repeat messages on the open item,
and the timeline of what was said."""

from __future__ import annotations

import pytest

from crm.clock import FrozenClock
from crm.container import CrmServices
from crm.errors import InvalidInput, PermissionDenied
from crm.models import Role, Staff, TimelineKind
from crm.services.inquiries import ClientInfo, NoClientChat
from crm.services.items import NewItem
from crm.services.mode import ConversionOptions
from tests.conftest import add_staff

ANNA = ClientInfo(user_id=5001, chat_id=5001, name="Anna Schmidt", username="anna", language="de")


async def assign(services: CrmServices, item_id: int, user_id: int) -> None:
    """Makes `user_id` the item's responsible person, straight in storage."""
    async with services.uow() as uow:
        item = await uow.items.get(item_id)
        assert item is not None
        item.responsible_id = user_id
        await uow.items.save(item, item.version)
        await uow.commit()


async def test_classic_inquiry_becomes_a_telegram_lead(
    services: CrmServices, admin: Staff, clock: FrozenClock
) -> None:
    await services.mode.switch_to_classic(admin)
    first = await services.inquiries.receive(ANNA, "Do you ship to Austria?", clock.now(),
                                             tg_message_id=11)
    assert (first.type_code, first.created, first.is_new_contact) == ("lead", True, True)
    assert first.responsible_id is None  # the bot tells all sales staff
    card = await services.cards.card(admin, first.item_id)
    assert (card.stage.code, card.item.source) == ("new", "telegram")
    assert card.pipeline.is_default
    assert card.item.title == "Anna Schmidt: Do you ship to Austria?"
    assert card.contact is not None
    assert (card.contact.tg_chat_id, card.contact.tg_username) == (5001, "anna")
    clock.advance(minutes=5)
    again = await services.inquiries.receive(ANNA, "And to Switzerland?", clock.now())
    assert (again.item_id, again.created, again.is_new_contact) == (first.item_id, False, False)
    entries = await services.inquiries.timeline(admin, first.item_id)
    assert [(e.kind, e.text, e.author_id) for e in entries] == [
        (TimelineKind.CLIENT_MESSAGE, "Do you ship to Austria?", None),
        (TimelineKind.CLIENT_MESSAGE, "And to Switzerland?", None),
    ]
    assert entries[0].tg_message_id == 11


async def test_simple_inquiry_becomes_a_contact_with_a_deal(
    services: CrmServices, admin: Staff, clock: FrozenClock
) -> None:
    result = await services.inquiries.receive(ANNA, "Need an offer", clock.now(),
                                              company_name="ACME GmbH")
    assert (result.type_code, result.created) == ("deal", True)
    card = await services.cards.card(admin, result.item_id)
    assert card.stage.code == "new" and card.pipeline.is_default
    assert card.company is not None and card.company.name == "ACME GmbH"
    assert card.contact is not None and card.contact.company_id == card.company.id
    other = ClientInfo(user_id=5002, chat_id=5002, name="Bert")
    bert = await services.inquiries.receive(other, "Hi", clock.now(), company_name="acme gmbh")
    bert_card = await services.cards.card(admin, bert.item_id)
    assert bert_card.company is not None and bert_card.company.id == card.company.id
    again = await services.inquiries.receive(ANNA, "Any news?", clock.now())
    assert (again.item_id, again.created) == (result.item_id, False)


async def test_a_closed_item_gets_a_new_one_for_the_next_inquiry(
    services: CrmServices, admin: Staff, clock: FrozenClock
) -> None:
    first = await services.inquiries.receive(ANNA, "First order", clock.now())
    await services.items.move(admin, first.item_id, 11)  # the shipped 'won' stage
    second = await services.inquiries.receive(ANNA, "Second order", clock.now())
    assert second.created and second.item_id != first.item_id
    assert not second.is_new_contact


async def test_responsible_person_is_returned_for_repeat_messages(
    services: CrmServices, admin: Staff, clock: FrozenClock
) -> None:
    sales = await add_staff(services, admin, 2001, Role.SALES)
    first = await services.inquiries.receive(ANNA, "Hello", clock.now())
    await assign(services, first.item_id, sales.user_id)
    again = await services.inquiries.receive(ANNA, "Hello again", clock.now())
    assert again.responsible_id == sales.user_id


async def test_staff_reply_is_kept_and_goes_to_the_clients_chat(
    services: CrmServices, admin: Staff, clock: FrozenClock
) -> None:
    inquiry = await services.inquiries.receive(ANNA, "Price?", clock.now())
    clock.advance(minutes=1)
    chat_id = await services.inquiries.record_reply(admin, inquiry.item_id, "15.000 EUR")
    assert chat_id == ANNA.chat_id
    entries = await services.inquiries.timeline(admin, inquiry.item_id, limit=1)
    assert [(e.kind, e.text, e.author_id) for e in entries] == [
        (TimelineKind.STAFF_REPLY, "15.000 EUR", admin.user_id)]
    no_chat = await services.items.create(admin, NewItem("deal", "Walk-in client"))
    with pytest.raises(NoClientChat):
        await services.inquiries.record_reply(admin, no_chat.id, "Hello")
    with pytest.raises(InvalidInput):
        await services.inquiries.receive(ANNA, "   ", clock.now())


async def test_timeline_is_only_for_staff_who_see_the_item(
    services: CrmServices, admin: Staff, clock: FrozenClock
) -> None:
    sales = await add_staff(services, admin, 2001, Role.SALES)
    other = await add_staff(services, admin, 2002, Role.SALES)
    inquiry = await services.inquiries.receive(ANNA, "Hello", clock.now())
    await services.inquiries.timeline(sales, inquiry.item_id)  # unassigned: everyone sees it
    await services.items.create(admin, NewItem("deal", "x"))
    await assign(services, inquiry.item_id, other.user_id)
    with pytest.raises(PermissionDenied):
        await services.inquiries.timeline(sales, inquiry.item_id)
    with pytest.raises(PermissionDenied):
        await services.inquiries.record_reply(sales, inquiry.item_id, "Hi")


async def test_the_deal_of_a_converted_lead_keeps_the_conversation(
    services: CrmServices, admin: Staff, clock: FrozenClock
) -> None:
    await services.mode.switch_to_classic(admin)
    lead = await services.inquiries.receive(ANNA, "Interested", clock.now(),
                                            company_name="ACME")
    await services.mode.switch_to_simple(admin, ConversionOptions("both"))
    later = await services.inquiries.receive(ANNA, "Still interested", clock.now())
    assert later.type_code == "deal" and not later.created and later.item_id != lead.item_id
    card = await services.cards.card(admin, later.item_id)
    assert card.company is not None and card.company.name == "ACME"  # from the lead's hint
    assert card.contact is not None and card.contact.company_id == card.company.id
    texts = [e.text for e in await services.inquiries.timeline(admin, later.item_id)]
    assert texts == ["Interested", "Still interested"]
