"""Named leases in the database: one holder at a time; a holder renews its own; an ended
lease, a released one, or one whose holder's process is gone is free to take."""

from __future__ import annotations

import asyncio
import sys
from datetime import UTC, datetime, timedelta

from crm.container import CrmServices
from crm.process_identity import this_process
from crm.storage.leases import LeaseRepo

NOW = datetime(2026, 12, 6, 21, 0, tzinfo=UTC)
TTL = timedelta(seconds=5)
ALIVE = this_process()  # this test's process: alive
OTHER = ALIVE.rsplit(":", 1)[0] + ":other"  # same live pid, another name


async def take(services: CrmServices, holder: str, now: datetime, name: str = "leader"
               ) -> bool:
    async with services.uow() as uow:
        taken = await uow.extension(LeaseRepo).take(name, holder, now, TTL)
        await uow.commit()
    return taken


async def holder(services: CrmServices, now: datetime, name: str = "leader") -> str | None:
    async with services.uow(write=False) as uow:
        return await uow.extension(LeaseRepo).holder(name, now)


async def dead_holder() -> str:
    """The name a process of this host had, whose pid has ended."""
    process = await asyncio.create_subprocess_exec(sys.executable, "-c", "pass")
    await process.wait()
    return f"{ALIVE.split(':')[0]}:{process.pid}:0badcafe"


async def test_one_holder_at_a_time_until_the_lease_ends(services: CrmServices) -> None:
    assert await holder(services, NOW) is None
    assert await take(services, ALIVE, NOW)
    assert not await take(services, OTHER, NOW + timedelta(seconds=4))
    assert await holder(services, NOW + timedelta(seconds=4)) == ALIVE
    assert await take(services, OTHER, NOW + timedelta(seconds=5))  # it ended
    assert await holder(services, NOW + timedelta(seconds=5)) == OTHER


async def test_a_renewal_moves_the_end(services: CrmServices) -> None:
    assert await take(services, ALIVE, NOW)
    assert await take(services, ALIVE, NOW + timedelta(seconds=4))  # renewed: until 9 s
    assert not await take(services, OTHER, NOW + timedelta(seconds=8))
    assert await holder(services, NOW + timedelta(seconds=8)) == ALIVE
    assert await holder(services, NOW + timedelta(seconds=9)) is None


async def test_a_released_lease_is_free_at_once_and_only_its_holder_releases(
        services: CrmServices) -> None:
    assert await take(services, ALIVE, NOW)
    async with services.uow() as uow:
        await uow.extension(LeaseRepo).release("leader", OTHER, NOW)  # not theirs: no effect
        await uow.commit()
    assert await holder(services, NOW) == ALIVE
    async with services.uow() as uow:
        await uow.extension(LeaseRepo).release("leader", ALIVE, NOW)
        await uow.commit()
    assert await holder(services, NOW) is None
    assert await take(services, OTHER, NOW)


async def test_a_dead_holders_lease_is_taken_at_once(services: CrmServices) -> None:
    gone = await dead_holder()
    assert await take(services, gone, NOW)
    assert await holder(services, NOW) is None  # known to be gone
    assert await take(services, ALIVE, NOW + timedelta(seconds=1))
    assert await holder(services, NOW + timedelta(seconds=1)) == ALIVE


async def test_leases_of_other_names_are_apart(services: CrmServices) -> None:
    assert await take(services, ALIVE, NOW, "leader")
    assert await take(services, OTHER, NOW, "poller")
    assert await holder(services, NOW, "leader") == ALIVE
    assert await holder(services, NOW, "poller") == OTHER
