"""Soak: state-changing commands sent to the real bot process while it is SIGKILLed.

A team of salespeople send `/new deal Soak <n>` and `/move <deal> <stage>` commands at a
steady rate through the fake Bot API (each person about one a second: Telegram lets a bot
answer one chat about once a second); meanwhile the bot process is killed with SIGKILL at random
moments (some of them soon after a restart, while it works through the backlog) and
started again. Afterwards the database says what happened to every command:

    sent N, applied M, lost L, applied twice D, kills K

A create is applied when an item titled "Soak <n>" exists (twice: two of them). A move is
applied when it left a row in the deal's stage history: each deal gets its moves in a
fixed cycle of its four open stages, so every command is a real change, and a deal with
more history rows than moves sent to it had one applied twice.

    .venv/bin/python bench/soak_commands.py [--commands 3000] [--kills 30] [--rate 25]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import signal
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/ (the fake Bot API)

from crm.clock import SystemClock
from crm.container import build_services
from crm.services.items import NewItem
from crm.services.staff import TelegramUser
from crm.storage.database import Database
from tests.fake_telegram import FakeTelegram

TEAM = tuple(range(1001, 1031))  # 30 people, all admins: who sends what does not matter
DEALS = 40
CYCLE = (2, 3, 4, 1)  # positions of the deal pipeline's open stages, from "new" (1) on


async def prepare(db_path: Path) -> list[int]:
    db = Database(db_path)
    await db.open()
    services = build_services(db, SystemClock(), admin_ids=TEAM)
    for user_id in TEAM:
        admin = await services.staff.start(TelegramUser(user_id, f"Seller {user_id}"))
        assert admin is not None
    deals = [(await services.items.create(admin, NewItem("deal", f"Deal {n}"))).id
             for n in range(DEALS)]
    await db.close()
    return deals


class BotProcess:
    def __init__(self, tg: FakeTelegram, db_path: Path, folder: Path) -> None:
        self._env = {**os.environ, "BOT_TOKEN": tg.token, "TELEGRAM_API_BASE": tg.base_url or "",
                     "DATABASE_PATH": str(db_path), "ADMIN_IDS": ",".join(map(str, TEAM)),
                     "DEFAULT_RULES": "false", "DATA_DIR": str(folder / "data"),
                     "LOG_LEVEL": "ERROR", "DIGEST_TIME": ""}
        self._folder = folder
        self.process: asyncio.subprocess.Process | None = None

    async def start(self) -> None:
        with (self._folder / "bot.log").open("ab") as log:  # the child keeps its own handle
            self.process = await asyncio.create_subprocess_exec(
                sys.executable, "-m", "bot", cwd=self._folder, env=self._env,
                stdout=asyncio.subprocess.DEVNULL, stderr=log)

    async def kill(self) -> None:
        assert self.process is not None
        if self.process.returncode is None:
            self.process.send_signal(signal.SIGKILL)
        else:  # it ended by itself: say so, the figures would not be about kills
            print(f"the bot exited by itself ({self.process.returncode}); see "
                  f"{self._folder / 'bot.log'}", file=sys.stderr)
        await self.process.wait()

    async def stop(self) -> None:
        assert self.process is not None
        self.process.send_signal(signal.SIGTERM)
        await asyncio.wait_for(self.process.wait(), 30)


def commands(count: int, deals: list[int]) -> list[tuple[str, int | None]]:
    """Every other command a create, the rest moves round the deals."""
    sent: list[tuple[str, int | None]] = []
    moves_of = dict.fromkeys(deals, 0)
    for n in range(count):
        if n % 2 == 0:
            sent.append((f"/new deal Soak {n}", None))
        else:
            deal = deals[(n // 2) % len(deals)]
            sent.append((f"/move {deal} {CYCLE[moves_of[deal] % len(CYCLE)]}", deal))
            moves_of[deal] += 1
    return sent


async def kill_now_and_then(bot: BotProcess, kills: int, seconds: float,
                            rng: random.Random) -> int:
    """`kills` SIGKILLs over `seconds`: two in three at random moments, each third one soon
    after the restart before it, while the bot works through what piled up meanwhile."""
    random_kills = kills - kills // 3
    moments = sorted(rng.uniform(2, seconds) for _ in range(random_kills))
    started = time.monotonic()
    done = 0
    for n, moment in enumerate(moments):
        await asyncio.sleep(max(0.0, moment - (time.monotonic() - started)))
        await bot.kill()
        await bot.start()
        done += 1
        if n % 2 == 1 and done < kills:
            await asyncio.sleep(rng.uniform(1.0, 2.5))
            await bot.kill()
            await bot.start()
            done += 1
    return done


def count(db_path: Path, sent: list[tuple[str, int | None]], deals: list[int]
          ) -> tuple[int, int]:
    connection = sqlite3.connect(db_path)
    try:
        titles = [row[0] for row in connection.execute(
            "SELECT title FROM items WHERE title LIKE 'Soak %'")]
        rows = dict(connection.execute(
            "SELECT item_id, COUNT(*) - 1 FROM stage_history GROUP BY item_id"))
    finally:
        connection.close()
    applied = len(set(titles))
    twice = len(titles) - applied
    for deal in deals:
        moves_sent = sum(1 for _text, target in sent if target == deal)
        applied += min(rows.get(deal, 0), moves_sent)
        twice += max(0, rows.get(deal, 0) - moves_sent)
    return applied, twice


async def soak(total: int, kills: int, rate: float, seed: int) -> None:
    rng = random.Random(seed)
    folder = Path(tempfile.mkdtemp(prefix="crm-soak-"))
    db_path = folder / "crm.sqlite3"
    deals = await prepare(db_path)
    sent = commands(total, deals)
    async with FakeTelegram() as tg:
        team = [tg.user(user_id, f"Seller {user_id}") for user_id in TEAM]
        bot = BotProcess(tg, db_path, folder)
        await bot.start()
        await tg.wait_for_polling(timeout=30)
        killer = asyncio.create_task(kill_now_and_then(bot, kills, total / rate, rng))
        began = time.monotonic()
        for n, (text, _deal) in enumerate(sent):
            team[n % len(team)].send(text)
            await asyncio.sleep(max(0.0, began + (n + 1) / rate - time.monotonic()))
        killed = await killer
        await tg.wait_for_polling(timeout=60, polls=tg.poll_count + 3)
        while tg.pending_updates:  # the last restart works through the rest
            await tg.wait_for_polling(timeout=60, polls=tg.poll_count + 1)
        await bot.stop()
    applied, twice = count(db_path, sent, deals)
    print(f"sent {len(sent)}, applied {applied}, lost {len(sent) - applied}, "
          f"applied twice {twice}, kills {killed}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--commands", type=int, default=3000)
    parser.add_argument("--kills", type=int, default=30)
    parser.add_argument("--rate", type=float, default=25.0, help="commands a second")
    parser.add_argument("--seed", type=int, default=9)
    args = parser.parse_args()
    asyncio.run(soak(args.commands, args.kills, args.rate, args.seed))


if __name__ == "__main__":
    main()
