"""Issue 14's figure: the bot as N webhook workers on PostgreSQL + Redis, one of them
SIGKILLed while staff press stage buttons; does every rule run once, every message arrive
once, and how fast are the moves?

A fresh PostgreSQL database (created here, migrated by the bot's own migrations, dropped at
the end) gets a team of sellers, `--items` deals with connected clients (two deals a client)
spread over the deal pipeline's open stages, and five rules, one per stage: a webhook to a
receiver this bench runs on loopback (new), a client message (preparing documents), an
invoice PDF sent to the client for every tenth deal (prepayment invoice), a field change
(in progress) and a monthly recurring copy (final invoice). `--workers` `python -m bot`
processes serve the webhook (distinct ports; dialogs and the per-user lock in Redis db 11
under a prefix of this run's own, deleted at the end) behind the fake Bot API, which pushes
the updates round robin to them. Each seller opens their deals' cards (/item N), then all
press ◀ / ▶ stage buttons: `--presses` presses, at most `--rate` a second (each seller
waits for the answer to a press before the next, as a person does). At 35% of the presses
the admin begins the /new dialog on the worker that will be killed; at 40% that worker is
SIGKILLed, at 45% the dialog is finished on the others, at 70% the worker starts again.
When every run and outbox row has settled, the figures print. Then two short runs compare
the press throughput of 1 worker and of all of them.

    python -m bench.scale_out [--quick] [--presses N] [--items N] [--workers N] [--seed N]
                              [--rate N] [--keep DIR]

`--quick`: 1,000 presses on 100 items (a few minutes on a loaded 2-core machine); `--keep DIR`
keeps the workers' logs and every call, delivery and press as text. The figures, one line
each:
- rule runs by state, and "runs done twice": two runs of one rule for one stage entry, two
  documents of one run, two active copy schedules of one rule for one deal (goal: 0, 0, 0);
- sends per dedupe key: client sends by their key (text naming the stage entry, document
  caption naming its number) and webhook calls by their delivery header (run-N), how many
  arrived more than once (goal: at most the rows in flight at the kill);
- outbox rows by state, and lost rows: in no known state, or marked sent but never received
  (goal: 0);
- document numbers per type: unique and gapless (goal: yes, yes);
- peak sends to clients per second overall and to one chat (goal: <= 28 and <= 1), and the
  closest two sends to one chat (request arrivals: an upload's arrives as it begins);
- the dialog begun before the kill: whether it finished after it, and the deal it stored;
- move latency p50/p95/p99/max per worker (press pushed until the bot's answer reaches the
  fake; the worker the proxy delivered it to last), presses never answered (with the
  workers and outcomes of their deliveries), answered twice, answered "card out of date";
- deadlocks and rolled-back transactions of the bench's database (pg_stat_database, after
  minus before; a read-only transaction ends in ROLLBACK, so reads count there too);
- throughput: presses answered per second with 1 worker and with all (a shorter run each,
  unthrottled; on 2 cores more workers need not be faster);
- CPU seconds of this process and of the workers, against the wall time.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import resource
import signal
import socket
import tempfile
import time
import uuid
from collections.abc import Coroutine
from pathlib import Path
from typing import Any

from bench import scale_out_dialog as dialog
from bench import scale_out_figures as figures
from bench.scale_out_keep import keep
from bench.scale_out_press import Staff
from bench.scale_out_setup import (
    ADMIN_ID,
    Receiver,
    create_database,
    drop_database,
    forget_redis_keys,
    pg_stats,
    query,
    seed,
)
from bench.scale_out_workers import Workers, bot_env
from tests.fake_telegram import FakeTelegram


async def settle(db: str, deadline: float) -> bool:
    """Until no run is due or running and no outbox row is pending."""
    while time.monotonic() < deadline:
        left = query(db, "SELECT (SELECT COUNT(*) FROM outbox WHERE state = 'pending') +"
                         " (SELECT COUNT(*) FROM rule_runs WHERE state IN"
                         " ('pending', 'running'))")[0][0]
        if not left:
            return True
        await asyncio.sleep(1.0)
    return False


async def run(args: argparse.Namespace) -> None:
    rng = random.Random(args.seed)
    started = time.monotonic()
    prefix = f"scale-out-{uuid.uuid4().hex[:8]}:fsm"
    db = create_database()
    receiver, tg = Receiver(), FakeTelegram()
    workers: Workers | None = None
    staff: Staff | None = None
    with tempfile.TemporaryDirectory(prefix="scale_out_") as tmp:
        try:
            await forget_redis_keys(prefix)
            hook = await receiver.start()
            api = await tg.start()
            seeded = await seed(db, args.items, min(40, args.items), hook)
            print(f"seeded {args.items} deals, {len(seeded.chats)} clients, "
                  f"{len(seeded.sellers)} sellers in {time.monotonic() - started:.0f} s "
                  f"(database {db})", flush=True)
            for chat in seeded.chats:
                tg.user(chat, f"Client {chat}")
            admin = tg.user(ADMIN_ID, "Ada", "Admin")
            workers = Workers(args.workers, Path(tmp),
                              bot_env(db, tg, api, prefix, Path(tmp)))
            before = pg_stats(db)
            for n in range(args.workers):
                await workers.start(n)
            await workers.listening(time.monotonic() + 60)
            tg.push_to_webhook(workers.urls)
            staff = Staff(tg, seeded.sellers, rng, args.rate)
            await staff.open_cards(time.monotonic() + 120)
            print(f"{len(staff.cards)} cards open after {time.monotonic() - started:.0f} s",
                  flush=True)
            victim = rng.randrange(args.workers)
            marks = [staff.mark(args.presses * pct // 100) for pct in (35, 40, 45, 70)]
            pressing = asyncio.create_task(staff.run(args.presses, "main"))

            await marks[0].wait()
            staff.go.clear()
            await staff.quiet()
            tg.push_to_webhook([workers.urls[victim]])  # the dialog begins on the victim
            asked = await dialog.begin(tg, admin)
            tg.push_to_webhook(workers.urls)
            staff.go.set()
            await marks[1].wait()
            leader = query(db, "SELECT holder FROM leases WHERE name = 'leader'")
            pid = await workers.kill(victim)
            killed_at = time.monotonic()
            role = ("the leader" if leader and str(leader[0][0]).split(":")[1] == str(pid)
                    else "not the leader")
            in_flight = int(query(db, "SELECT COUNT(*) FROM outbox WHERE state = 'pending'"
                                      " AND claimed_by LIKE %s",
                                  (f"{socket.gethostname()}:{pid}:%",))[0][0])
            print(f"worker {victim + 1} (pid {pid}, {role}) killed at 40% "
                  f"({time.monotonic() - started:.0f} s)", flush=True)
            await marks[2].wait()
            finished = await dialog.finish(tg, admin)
            await marks[3].wait()
            await workers.start(victim)
            elapsed = await pressing
            await staff.quiet()
            settled = await settle(db, time.monotonic() + args.settle)
            await asyncio.sleep(1.0)  # a send still on its way arrives
            after = pg_stats(db)
            main = [p for p in staff.presses if p.phase == "main"]
            print(f"{len(main)} presses in {elapsed:.1f} s ({len(main) / elapsed:.0f}/s), "
                  f"settled {'yes' if settled else 'NO'} "
                  f"{time.monotonic() - started:.0f} s after the start")
            lines = [*figures.runs(db),
                     *figures.sends(tg, seeded.chats, receiver, in_flight, killed_at),
                     *figures.outbox(db, tg, receiver), *figures.documents(db),
                     *figures.peaks(tg, seeded.chats),
                     *_dialog_lines(db, asked, finished),
                     *figures.latency(main, tg, workers.urls),
                     f"postgresql: deadlocks {after[0] - before[0]}, rollbacks "
                     f"{after[1] - before[1]} (pg_stat_database, after minus before)"]
            print("\n".join(lines), flush=True)
            print(await _throughput(staff, tg, workers, db, args), flush=True)
            await workers.stop()
            own, bots = (resource.getrusage(who) for who in (resource.RUSAGE_SELF,
                                                              resource.RUSAGE_CHILDREN))
            print(f"CPU seconds: this bench (fake Bot API, presses, receiver) "
                  f"{own.ru_utime + own.ru_stime:.0f}, the workers "
                  f"{bots.ru_utime + bots.ru_stime:.0f}; wall {time.monotonic() - started:.0f} s"
                  f" on {os.cpu_count()} cores")
        finally:
            if staff is not None:
                await staff.stop()
            if workers is not None:
                await workers.stop()
            await tg.stop()
            await receiver.stop()
            drop_database(db)
            await forget_redis_keys(prefix)
            _show_errors(Path(tmp))
            if args.keep is not None:
                keep(args.keep, Path(tmp), tg, staff)


def _dialog_lines(db: str, asked: str, finished: tuple[str, str]) -> list[str]:
    stored = query(db, "SELECT i.title, i.amount_minor, c.name FROM items i LEFT JOIN"
                       " contacts c ON c.id = i.contact_id WHERE i.title = %s",
                   (dialog.TITLE,))
    done = bool(stored) and "Amount" in asked and "Contact" in finished[0]
    return [f"dialog begun on the killed worker, finished after the kill: "
            f"{'yes' if done else 'NO'}; stored: {stored}"]


async def _throughput(staff: Staff, tg: FakeTelegram, workers: Workers, db: str,
                      args: argparse.Namespace) -> str:
    """Presses answered per second, unthrottled, with one worker and then with all."""
    figures_: list[str] = []
    for label, urls in (("1 worker", workers.urls[:1]), (f"{args.workers} workers",
                                                          workers.urls)):
        tg.push_to_webhook(urls)
        await settle(db, time.monotonic() + args.settle / 4)
        count = len(staff.presses)
        seconds = await staff.run(args.throughput, label, rate=10_000)
        answered = sum(p.answered is not None for p in staff.presses[count:])
        figures_.append(f"{label} {answered / seconds:.0f}/s")
    return f"throughput ({args.throughput} presses each): " + ", ".join(figures_)


def _show_errors(folder: Path) -> None:
    """The workers' logged errors (LOG_LEVEL=ERROR), the first lines of each."""
    for log in sorted(folder.glob("worker*.log")):
        text = log.read_text(errors="replace").strip()
        if text:
            print(f"--- {log.name} (first lines of {len(text.splitlines())}):")
            print("\n".join(text.splitlines()[:30]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="1,000 presses on 100 items")
    parser.add_argument("--presses", type=int, default=None, help="stage presses (10,000)")
    parser.add_argument("--items", type=int, default=None, help="deals (1,000)")
    parser.add_argument("--workers", type=int, default=3, help="bot processes (3)")
    parser.add_argument("--rate", type=float, default=150.0, help="presses a second (150)")
    parser.add_argument("--seed", type=int, default=None, help="random seed")
    parser.add_argument("--keep", type=Path, default=None,
                        help="a folder to keep the workers' logs and the calls in")
    args = parser.parse_args()
    args.presses = args.presses or (1_000 if args.quick else 10_000)
    args.items = args.items or (100 if args.quick else 1_000)
    args.throughput = 300 if args.quick else 1_000
    args.settle = 120.0 if args.quick else 300.0  # seconds to settle after the last press
    if args.workers < 2:
        parser.error("--workers: at least 2 (one is killed)")
    asyncio.run(_stoppable(run(args)))


async def _stoppable(work: Coroutine[Any, Any, None]) -> None:
    """SIGTERM or SIGINT cancel the run, so that its clean-up still stops the workers,
    drops the database and deletes the Redis keys."""
    task = asyncio.ensure_future(work)
    loop = asyncio.get_running_loop()
    for number in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(number, task.cancel)
    await task


if __name__ == "__main__":
    main()
