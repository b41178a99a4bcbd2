"""The outbox: Telegram's "wait" is waited out, network trouble retried, a refusal fails the
run with a reason a salesperson understands, and nothing is sent twice or lost."""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
from typing import Any

import pytest

from crm.clock import FrozenClock
from crm.container import CrmServices
from crm.models import Staff
from crm.services.items import NewItem
from rules.container import Automation
from rules.ports import PermanentError, RetryAfter, TransientError
from rules.reason_codes import Reason
from rules.reasons import reason_text
from rules.services.status import Shown
from rules.storage.outbox_repo import OutboxRepo
from rules.storage.unit import repos
from tests.rules.conftest import (
    CLIENT_CHAT,
    RecordingTransport,
    add_rule,
    build_test_automation,
    client_contact,
    stage_id,
)


async def _greeted_deal(services: CrmServices, admin: Staff, automation: Automation) -> int:
    new = await stage_id(services, "deal", "new")
    await add_rule(automation, admin, new, "message_client", {"text": "Hello!"}, title="Greet")
    contact = await client_contact(services)
    return (await services.items.create(admin, NewItem("deal", "X", contact_id=contact.id))).id


async def test_a_429_is_waited_out_and_the_message_arrives_once(
        services: CrmServices, admin: Staff, automation: Automation, clock: FrozenClock,
        transport: RecordingTransport) -> None:
    transport.failures.append(RetryAfter(7))
    deal = await _greeted_deal(services, admin, automation)
    await automation.tick()
    assert transport.delivered == []
    shown = (await automation.status.status(admin, deal)).current[0]
    assert shown.shown is Shown.WAITING_TELEGRAM
    assert shown.at is not None and (shown.at - clock.now()).total_seconds() == 7

    clock.advance(seconds=7)
    await automation.tick()
    assert transport.texts(CLIENT_CHAT) == ["Hello!"]
    assert (await automation.status.status(admin, deal)).current[0].shown is Shown.EXECUTED
    await automation.tick()
    assert len(transport.delivered) == 1


async def test_network_errors_are_retried_with_growing_pauses(
        services: CrmServices, admin: Staff, automation: Automation, clock: FrozenClock,
        transport: RecordingTransport) -> None:
    transport.failures += [TransientError("timeout"), TransientError("502")]
    await _greeted_deal(services, admin, automation)
    await automation.tick()
    clock.advance(seconds=1)
    await automation.tick()
    assert transport.delivered == []  # second failure: now waits 2 s
    clock.advance(seconds=1)
    await automation.tick()
    assert transport.delivered == []
    clock.advance(seconds=1)
    await automation.tick()
    assert transport.texts() == ["Hello!"]
    assert transport.attempts == 3


async def test_a_client_who_blocked_the_bot_fails_the_run_with_that_reason(
        services: CrmServices, admin: Staff, automation: Automation,
        transport: RecordingTransport) -> None:
    blocked = PermanentError(Reason.BLOCKED, "Forbidden: bot was blocked by the user")
    transport.failures.append(blocked)
    deal = await _greeted_deal(services, admin, automation)
    await automation.tick()
    shown = (await automation.status.status(admin, deal)).current[0]
    assert shown.shown is Shown.FAILED
    text = reason_text(shown.reason, shown.params, "en", shown.kind)
    assert text == "the client blocked the bot"
    assert reason_text(shown.reason, shown.params, "de", shown.kind) == \
        "der Kunde hat den Bot blockiert"


async def test_a_committed_message_survives_a_restart_and_is_sent_once(
        services: CrmServices, admin: Staff, automation: Automation,
        transport: RecordingTransport) -> None:
    """The process died after the run committed its outbox row and before sending: the
    next process (a fresh worker on the same database) delivers it, exactly once."""
    deal = await _greeted_deal(services, admin, automation)
    await automation.runs.drain()  # executed and committed; never delivered
    async with services.uow(write=False) as uow:
        assert (await repos(uow).outbox.counts()) == {"pending": 1}

    restarted = build_test_automation(services, transport)
    await restarted.tick()
    await restarted.tick()
    assert transport.texts(CLIENT_CHAT) == ["Hello!"]
    assert (await restarted.status.status(admin, deal)).current[0].shown is Shown.EXECUTED


async def test_claims_that_fail_leave_no_sending_slot_taken(
        services: CrmServices, admin: Staff, automation: Automation,
        transport: RecordingTransport, monkeypatch: pytest.MonkeyPatch) -> None:
    """A claim that fails (PostgreSQL's lock timeout under load, say) more often than the
    sender has slots: the message still goes once the database answers again."""
    failures = 12  # more than the sender's 8 slots
    claim = OutboxRepo.claim

    async def failing_claim(self: OutboxRepo, *args: Any, **kwargs: Any) -> Any:
        nonlocal failures
        if failures:
            failures -= 1
            raise sqlite3.OperationalError("database is locked")
        return await claim(self, *args, **kwargs)

    monkeypatch.setattr(OutboxRepo, "claim", failing_claim)
    await _greeted_deal(services, admin, automation)
    for _ in range(13):  # each pass fails as the worker's loop would see it, and goes on
        with contextlib.suppress(sqlite3.OperationalError):
            await asyncio.wait_for(automation.tick(), 10)
    assert failures == 0
    assert transport.texts(CLIENT_CHAT) == ["Hello!"]
