"""Benchmarks of the automation engine. Prints three figures:

1. moves per second into a stage with 10 rules (conditions evaluated, templates rendered,
   outbox rows written) as a ratio to moves into a stage with no rules, in the same run;
2. outbox delivery rate through the real Telegram transport (aiogram's HTTP session) to
   the fake Bot API server answering 429 above 30 messages/s and 1/s per chat: the rate
   sustained, the 429s caused and the messages lost;
3. lateness of 10,000 delayed runs woken by the real APScheduler timer: the share
   executed within 1 s of their due time, and the 50th/99.9th percentiles.

    .venv/bin/python bench/rules.py            # all three (about a minute)
    .venv/bin/python bench/rules.py --only moves|outbox|lateness
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # tests/ (the fake) and bench/

from bench.rules_lateness import lateness
from bench.rules_moves import moves
from bench.rules_outbox import outbox


async def main(only: str | None) -> None:
    with tempfile.TemporaryDirectory() as folder:
        if only in (None, "moves"):
            await moves(Path(folder) / "moves")
        if only in (None, "outbox"):
            await outbox(Path(folder) / "outbox")
        if only in (None, "lateness"):
            await lateness(Path(folder) / "lateness")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", choices=("moves", "outbox", "lateness"))
    asyncio.run(main(parser.parse_args().only))
