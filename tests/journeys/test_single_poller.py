"""Polling mode allows one consumer: a second polling process on the database ends at once
with one clear line while the first goes on answering; a consumer the database cannot show
(another database, as another machine would have) is recognised by Telegram's 409 and ends
the same way; a SIGKILLed poller's place is taken at once by the next start; a polling
process beside a webhook process ends before it deletes the webhook.

(Each start of `python -m bot` costs seconds of imports: the tests start few.)"""

from __future__ import annotations

import asyncio
import signal
import socket
from datetime import UTC, datetime
from pathlib import Path

from crm.storage.codec import ts
from tests.databases import database_location, query
from tests.fake_telegram import FakeTelegram
from tests.journeys.bot_processes import BotProcess, BotProcesses, free_port
from tests.journeys.steps import admin, say


async def polling(tg: FakeTelegram, process: BotProcess) -> None:
    """Until `process` polls (and so answers)."""
    polls = tg.poll_count
    await tg.wait_for_polling(timeout=60, polls=polls + 1)
    assert process.process.returncode is None, process.stderr()


def poller_leases(location: str | Path) -> list[tuple[str, str]]:
    rows = query(location, "SELECT name, holder FROM leases WHERE name = 'poller' AND until > ?",
                 (ts(datetime.now(UTC)),))  # held (a release ends it)
    return [(str(name), str(holder)) for name, holder in rows]


async def test_a_second_polling_process_ends_with_one_line_and_the_first_answers_on(
        tg: FakeTelegram, bots: BotProcesses, tmp_path: Path) -> None:
    db_path = database_location(tmp_path)
    first = await bots.start("first", db_path)
    await polling(tg, first)
    ada = await admin(tg)
    second = await bots.start("second", db_path)
    assert await second.ended(timeout=60) == 1
    lines = second.stderr().strip().splitlines()
    assert lines[-1].startswith(f"crm-bot: another crm-bot process ({_host()}:{first.pid}) "
                                f"is already polling Telegram for this bot; run several "
                                f"processes in webhook mode (WEBHOOK_URL)"), lines
    assert "Traceback" not in second.stderr()
    assert (await say(tg, ada, "/items")).chat_id == ada.id  # the first answers on
    assert [holder.split(":")[1] for _name, holder in poller_leases(db_path)] == \
        [str(first.pid)]

    await first.stop(signal.SIGKILL)  # its lease stays behind (for 5 s) ...
    third = await bots.start("third", db_path)
    await polling(tg, third)  # ... but its process is gone: taken over at once
    assert (await say(tg, ada, "/items")).chat_id == ada.id
    assert await third.stop(signal.SIGTERM) == 0
    assert poller_leases(db_path) == []  # released at a clean stop


async def test_another_consumer_elsewhere_ends_one_of_them_with_one_line(
        tg: FakeTelegram, bots: BotProcesses, tmp_path: Path) -> None:
    first = await bots.start("a", database_location(tmp_path, "a.sqlite3"))
    second = await bots.start("b", database_location(tmp_path, "b.sqlite3"))
    ended, going_on = await _first_to_end(first, second)
    assert ended.process.returncode == 1
    line = ended.stderr().strip().splitlines()[-1]
    assert line.startswith("crm-bot: another program is reading this bot's updates "
                           "(Telegram: Conflict: terminated by other getUpdates request"), line
    assert line.endswith("run several processes in webhook mode (WEBHOOK_URL), see README "
                         "“Several processes”")
    ada = await admin(tg)  # the other one answers
    assert (await say(tg, ada, "/items")).chat_id == ada.id
    assert going_on.process.returncode is None
    assert await going_on.stop() == 0


async def _first_to_end(one: BotProcess, other: BotProcess) -> tuple[BotProcess, BotProcess]:
    waits = {asyncio.create_task(p.process.wait()): p for p in (one, other)}
    done, pending = await asyncio.wait(waits, timeout=60, return_when=asyncio.FIRST_COMPLETED)
    for task in pending:
        task.cancel()
    assert done, "neither process ended"
    ended = waits[next(iter(done))]
    return ended, other if ended is one else one


def _host() -> str:
    return socket.gethostname()


async def test_polling_beside_webhook_processes_ends_before_taking_their_updates(
        tg: FakeTelegram, bots: BotProcesses, tmp_path: Path) -> None:
    db_path = database_location(tmp_path)
    tg.push_to_webhook()
    port = free_port()
    serving = await bots.start("webhook", db_path, WEBHOOK_URL=f"http://127.0.0.1:{port}",
                               WEBHOOK_LISTEN_HOST="127.0.0.1", WEBHOOK_LISTEN_PORT=str(port))
    await tg.wait_for_call("setWebhook", timeout=60)  # it leads
    polling_too = await bots.start("polling", db_path)
    assert await polling_too.ended(timeout=60) == 1
    line = polling_too.stderr().strip().splitlines()[-1]
    assert line == (f"crm-bot: another crm-bot process ({_host()}:{serving.pid}) serves this "
                    f"bot in webhook mode on this database; start this one with the same "
                    f"WEBHOOK_URL, see README “Several processes”")
    assert tg.calls_to("deleteWebhook") == [] and tg.state.webhook_url
    ada = await admin(tg)  # still answered through the webhook
    assert (await say(tg, ada, "/items")).chat_id == ada.id
    assert await serving.stop() == 0
