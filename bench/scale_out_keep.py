"""`--keep DIR` of bench/scale_out.py: the workers' logs, every Bot API call, webhook
delivery and press, as plain text to read after the run."""

from __future__ import annotations

import shutil
from pathlib import Path

from bench.scale_out_press import Staff
from tests.fake_telegram import FakeTelegram


def keep(folder: Path, workers: Path, tg: FakeTelegram, staff: Staff | None) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for log in workers.glob("worker*.log"):
        shutil.copy(log, folder / log.name)
    with (folder / "calls.txt").open("w") as out:
        for call in tg.calls:
            body = str(call.params.get("text") or call.params.get("caption") or "")[:80]
            out.write(f"{call.at:.3f} {call.method} chat={call.chat_id} ok={call.ok} "
                      f"query={call.params.get('callback_query_id', '')} {body!r}\n")
    with (folder / "deliveries.txt").open("w") as out:
        for d in tg.webhook_deliveries:
            out.write(f"{d.began:.3f} update={d.update_id} {d.url} {d.outcome}\n")
    if staff is not None:
        with (folder / "presses.txt").open("w") as out:
            for p in staff.presses:
                out.write(f"{p.pushed:.3f} update={p.update_id} query={p.query_id} "
                          f"item={p.item_id} {p.phase} answered={p.answered} {p.toast!r}\n")
