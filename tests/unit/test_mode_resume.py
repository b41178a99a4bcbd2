"""A switch to simple mode that is interrupted converts the rest when run again, each lead
exactly once, with the options it was started with."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from crm.clock import FrozenClock
from crm.container import CrmServices, build_services
from crm.events import ItemEnteredStage
from crm.models import CrmMode, Staff
from crm.services.items import NewItem, create_item
from crm.services.mode import ConversionOptions
from crm.storage.database import Database
from tests.conftest import ADMIN_ID

REPO_ROOT = Path(__file__).resolve().parents[2]


class ProcessDied(Exception):
    pass


async def classic_leads(services: CrmServices, admin: Staff, n: int) -> None:
    await services.mode.switch_to_classic(admin)
    async with services.uow() as uow:
        for i in range(n):
            await create_item(uow, admin, NewItem(
                "lead", f"Lead {i}", custom={"company_name": f"Firm {i}"}), services.clock.now())
        await uow.commit()


async def assert_each_lead_converted_once(services: CrmServices, leads: int) -> None:
    async with services.uow(write=False) as uow:
        rows = await uow.conn.execute_fetchall(
            """SELECT (SELECT COUNT(*) FROM items WHERE type_code = 'deal'),
                      (SELECT COUNT(DISTINCT deal_id) FROM lead_conversions),
                      (SELECT COUNT(*) FROM lead_conversions),
                      (SELECT COUNT(*) FROM items WHERE type_code = 'lead' AND stage_id = 4),
                      (SELECT COUNT(*) FROM conversion_jobs WHERE state = 'running')""")
    assert tuple(next(iter(rows))) == (leads, leads, leads, leads, 0)
    async with services.uow(write=False) as uow:
        assert await uow.settings.get("crm_mode") == CrmMode.SIMPLE.value


async def test_progress_is_reported_after_each_batch(services: CrmServices, admin: Staff) -> None:
    await classic_leads(services, admin, 5)
    reports: list[tuple[int, int]] = []

    async def progress(done: int, total: int) -> None:
        reports.append((done, total))
        assert await services.mode.mode() is CrmMode.CLASSIC or done == total

    summary = await services.conversion.run(admin, progress_callback=progress, batch_size=2)
    assert reports == [(2, 5), (4, 5), (5, 5)]
    assert (summary.total, summary.counts.leads_converted, summary.resumed) == (5, 5, False)
    await assert_each_lead_converted_once(services, 5)


async def test_interrupted_switch_continues_with_its_original_options(
    services: CrmServices, admin: Staff
) -> None:
    await classic_leads(services, admin, 5)

    async def stop(done: int, total: int) -> None:
        raise ProcessDied

    with pytest.raises(ProcessDied):
        await services.mode.switch_to_simple(admin, ConversionOptions("company"), stop, 2)
    assert await services.mode.mode() is CrmMode.CLASSIC  # set only by the last batch
    pending = await services.conversion.pending()
    assert pending is not None and pending.counts.leads_converted == 2
    assert (await services.conversion.preview(admin)).open_leads == 3
    # Asked again with other options: the job's own options win.
    switched = await services.mode.switch_to_simple(admin, ConversionOptions("contact"))
    assert switched.conversion is not None and switched.conversion.resumed
    counts = switched.conversion.counts
    assert (counts.leads_converted, counts.companies_created, counts.contacts_created) == (5, 5, 0)
    await assert_each_lead_converted_once(services, 5)
    assert await services.conversion.pending() is None


async def test_crash_inside_a_batch_and_restart_convert_the_rest_once(
    services: CrmServices, admin: Staff, db: Database, clock: FrozenClock
) -> None:
    await classic_leads(services, admin, 5)
    deals_entered: list[int] = []

    async def dies_at_the_fourth_deal(event: ItemEnteredStage, uow: object) -> None:
        if event.type_code == "deal":
            deals_entered.append(event.item_id)
            if len(deals_entered) == 4:
                raise ProcessDied

    services.bus.subscribe(ItemEnteredStage, dies_at_the_fourth_deal)
    with pytest.raises(ProcessDied):
        await services.conversion.run(admin, ConversionOptions("both"), batch_size=2)
    await db.close()  # the process is gone; a new one opens the same file
    restarted = Database(db.location)
    await restarted.open()
    try:
        again = build_services(restarted, clock, admin_ids=[ADMIN_ID])
        assert (await again.conversion.preview(admin)).open_leads == 3  # batch 2 rolled back
        summary = (await again.mode.switch_to_simple(admin, batch_size=2)).conversion
        assert summary is not None and summary.resumed
        assert (summary.counts.leads_converted, summary.counts.contacts_created) == (5, 5)
        await assert_each_lead_converted_once(again, 5)
    finally:
        await restarted.close()


KILLED_RUN = textwrap.dedent("""
    import asyncio, os, sys
    from crm.clock import SystemClock
    from crm.container import build_services
    from crm.events import ItemEnteredStage
    from crm.storage.database import Database

    async def main():
        db = Database(sys.argv[1])
        await db.open()
        services = build_services(db, SystemClock(), admin_ids=[int(sys.argv[2])])
        admin = await services.staff.identify(int(sys.argv[2]))
        deals = []
        async def killed_in_the_third_batch(event, uow):
            if event.type_code == "deal":
                deals.append(event.item_id)
                if len(deals) == 5:
                    os._exit(9)  # no rollback, no clean-up: like kill -9
        services.bus.subscribe(ItemEnteredStage, killed_in_the_third_batch)
        await services.conversion.run(admin, batch_size=2)

    asyncio.run(main())
""")


async def test_killed_process_leaves_a_job_that_the_next_run_finishes(
    services: CrmServices, admin: Staff, db: Database, tmp_path: Path
) -> None:
    await classic_leads(services, admin, 7)
    await db.close()
    script = tmp_path / "killed_run.py"
    script.write_text(KILLED_RUN)
    finished = await asyncio.to_thread(
        subprocess.run, [sys.executable, str(script), str(db.location), str(ADMIN_ID)],
        cwd=REPO_ROOT,
        capture_output=True, text=True, timeout=60)
    assert finished.returncode == 9, finished.stderr
    await db.open()
    pending = await services.conversion.pending()
    assert pending is not None and pending.counts.leads_converted == 4
    summary = await services.conversion.run(admin)
    assert summary.resumed and summary.counts.leads_converted == 7
    await assert_each_lead_converted_once(services, 7)


async def test_two_switches_at_once_convert_each_lead_once(
    services: CrmServices, admin: Staff
) -> None:
    await classic_leads(services, admin, 9)
    first, second = await asyncio.gather(
        services.mode.switch_to_simple(admin, batch_size=2),
        services.mode.switch_to_simple(admin, batch_size=3),
    )
    assert first.conversion is not None and second.conversion is not None
    assert first.conversion.job_id == second.conversion.job_id
    assert first.conversion.counts.leads_converted == 9
    await assert_each_lead_converted_once(services, 9)
