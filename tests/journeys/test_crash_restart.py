"""The bot as a real process, killed with SIGKILL and started again: every message a rule
committed is delivered, exactly once when the kill lands before the send, and at most once
more when it lands inside the send (Telegram sent it, the bot never heard back).

The process talks to the fake Bot API server of this test; the database is prepared
in-process first (a rule on "won", a deal moved there and its run executed, so the
message sits committed in the outbox), as if the previous process died right then.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from datetime import timedelta
from pathlib import Path

from crm.clock import Clock, FrozenClock, SystemClock
from crm.container import build_services
from crm.models import Contact
from crm.services.items import NewItem
from crm.services.staff import TelegramUser
from crm.storage.database import Database
from rules.model import Rule, Timing, TimingMode
from tests.conftest import ADMIN_ID
from tests.databases import database_env, database_location
from tests.fake_telegram import FakeTelegram
from tests.rules.conftest import TEMPLATES, RecordingTransport, build_test_automation

CLIENT = 4242
# A bot process starts (imports, migrations, the dead leader's lease running out) within
# this many seconds, on a machine busy with the rest of the suite too.
STARTED = 45


async def _prepare(db_path: str | Path, delay: Timing | None = None,
                   clock: Clock | None = None) -> None:
    """A deal moved to "won" whose rule (message to the client) has run or is due."""
    db = Database(db_path)
    await db.open()
    services = build_services(db, clock or SystemClock(), admin_ids=[ADMIN_ID])
    automation = build_test_automation(services, RecordingTransport())
    admin = await services.staff.start(TelegramUser(ADMIN_ID, "Ada Admin"))
    assert admin is not None
    won = next(s for s in (await services.catalog.pipeline(2))[1] if s.code == "won")
    await automation.rules.add(admin, Rule(0, "", 0, won.id, 0, "Thank", "message_client",
                                           {"text": "Thank you!"}, timing=delay or Timing()))
    async with services.uow() as uow:
        contact = await uow.clients.add_contact(Contact(0, "Carl", tg_chat_id=CLIENT),
                                                services.clock.now())
        await uow.commit()
    deal = await services.items.create(admin, NewItem("deal", "Relaunch",
                                                      contact_id=contact.id))
    await services.items.move(admin, deal.id, won.id)
    await automation.runs.drain()  # committed: a run done, its message pending in the outbox
    await db.close()


async def _start(tg: FakeTelegram, db_path: str | Path,
                 tmp_path: Path) -> asyncio.subprocess.Process:
    env = {**os.environ, "BOT_TOKEN": tg.token, "TELEGRAM_API_BASE": tg.base_url or "",
           **database_env(db_path), "ADMIN_IDS": str(ADMIN_ID), "DEFAULT_RULES": "false",
           "TEMPLATES_DIR": str(TEMPLATES), "DATA_DIR": str(tmp_path / "data"),
           "LOG_LEVEL": "WARNING", "DIGEST_TIME": ""}  # no digest by the real clock
    return await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", cwd=tmp_path, env=env,
        stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL)


async def _kill(process: asyncio.subprocess.Process) -> None:
    process.send_signal(signal.SIGKILL)
    await process.wait()


def _thanks(tg: FakeTelegram) -> int:
    return sum(1 for m in tg.messages_to(CLIENT) if m.rendered == "Thank you!")


async def test_killed_after_the_commit_delivers_exactly_once(tg: FakeTelegram,
                                                             tmp_path: Path) -> None:
    tg.user(CLIENT, "Carl")
    db_path = database_location(tmp_path)
    await _prepare(db_path)
    process = await _start(tg, db_path, tmp_path)
    await tg.wait_for_message(CLIENT, timeout=STARTED, since=0)
    await tg.wait_until_idle(timeout=10, quiet=0.5)
    await _kill(process)

    polls = tg.poll_count
    process = await _start(tg, db_path, tmp_path)
    await tg.wait_for_polling(timeout=STARTED, polls=polls + 1)
    await tg.wait_until_idle(timeout=10, quiet=0.5)
    await _kill(process)
    assert _thanks(tg) == 1


async def test_killed_inside_the_send_sends_at_most_one_duplicate(tg: FakeTelegram,
                                                                 tmp_path: Path) -> None:
    tg.user(CLIENT, "Carl")
    db_path = database_location(tmp_path)
    await _prepare(db_path)
    hold = tg.hold_replies("sendMessage", CLIENT)
    process = await _start(tg, db_path, tmp_path)
    await asyncio.wait_for(hold.held.wait(), 20)  # Telegram sent it; the reply is held
    await _kill(process)
    tg.state.holds.clear()
    hold.release()

    polls = tg.poll_count
    process = await _start(tg, db_path, tmp_path)
    await tg.wait_for_message(CLIENT, lambda m: m.rendered == "Thank you!", timeout=STARTED,
                              since=len(tg.sent))
    await tg.wait_for_polling(timeout=STARTED, polls=polls + 1)
    await tg.wait_until_idle(timeout=10, quiet=0.5)
    await _kill(process)
    assert _thanks(tg) == 2  # the one the bot never heard back about, and its resend


async def test_a_rule_due_while_the_bot_was_down_runs_at_start_up(tg: FakeTelegram,
                                                                  tmp_path: Path) -> None:
    tg.user(CLIENT, "Carl")
    db_path = database_location(tmp_path)
    two_hours_ago = FrozenClock(SystemClock().now() - timedelta(hours=2))
    await _prepare(db_path, Timing(mode=TimingMode.DELAY, amount=30), two_hours_ago)
    assert _thanks(tg) == 0
    process = await _start(tg, db_path, tmp_path)
    await tg.wait_for_message(CLIENT, timeout=STARTED, since=0)
    await tg.wait_until_idle(timeout=10, quiet=0.5)
    await _kill(process)
    assert _thanks(tg) == 1
    db = Database(db_path)
    await db.open()
    rows = await db.conn.execute_fetchall("SELECT state, late FROM rule_runs")
    assert [tuple(r) for r in rows] == [("done", 1)]  # marked late
    await db.close()
