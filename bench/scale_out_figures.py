"""The figures bench/scale_out.py prints, read from the database, the fake Bot API (what
Telegram received), the webhook receiver and the presses' records."""

from __future__ import annotations

import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable
from typing import Any

from bench.scale_out_press import Press
from bench.scale_out_setup import Receiver, query
from tests.fake_telegram import FakeTelegram

CLIENT_SENDS = ("sendMessage", "sendDocument")


def runs(db: str) -> list[str]:
    states = dict(query(db, "SELECT state, COUNT(*) FROM rule_runs GROUP BY state"))
    twice = query(db, "SELECT COUNT(*) FROM (SELECT 1 FROM rule_runs WHERE rule_id IS NOT NULL"
                      " GROUP BY entry_id, rule_id HAVING COUNT(*) > 1) AS t")[0][0]
    documents = query(db, "SELECT COUNT(*) FROM (SELECT 1 FROM documents WHERE run_id IS NOT"
                          " NULL GROUP BY run_id HAVING COUNT(*) > 1) AS t")[0][0]
    schedules = query(db, "SELECT COUNT(*) FROM (SELECT 1 FROM copy_schedules WHERE"
                          " state = 'active' GROUP BY origin_id, rule_id HAVING COUNT(*) > 1)"
                          " AS t")[0][0]
    shown = ", ".join(f"{state} {count}" for state, count in sorted(states.items()))
    return [f"rule runs: {shown}",
            f"runs done twice: stage entries with two runs of one rule {twice}, runs with two "
            f"documents {documents}, deals with two active copy schedules of one rule "
            f"{schedules}"]


def sends(tg: FakeTelegram, chats: Iterable[int], receiver: Receiver, in_flight: int | None,
          killed_at: float) -> list[str]:
    """Sends per dedupe key as Telegram and the webhook receiver saw them: a client message
    is keyed by its text (it names the stage entry), a document by its caption (its
    number), a webhook call by its delivery header (the run)."""
    wanted = set(chats)
    times: dict[tuple[Any, ...], list[float]] = defaultdict(list)
    for c in tg.calls:
        if c.method in CLIENT_SENDS and _chat(c) in wanted and c.ok:
            times[(c.method, c.chat_id, c.params.get("text") or c.params.get("caption"))
                  ].append(c.at)
    keys = {key: len(at) for key, at in times.items()}
    twice = [n for n in keys.values() if n > 1]
    around = sum(min(at) < killed_at <= max(at) for at in times.values() if len(at) > 1)
    hooks = [n for n in receiver.deliveries.values() if n > 1]
    flight = "unknown" if in_flight is None else str(in_flight)
    return [f"sends per dedupe key: {len(keys)} client keys, {len(twice)} sent more than once "
            f"({sum(twice) - len(twice)} extra, {around} of them across the kill); "
            f"{len(receiver.deliveries)} webhook keys, "
            f"{len(hooks)} delivered more than once ({sum(hooks) - len(hooks)} extra); "
            f"in flight at the kill {flight} (claimed by the killed worker, not marked)"]


def outbox(db: str, tg: FakeTelegram, receiver: Receiver) -> list[str]:
    """Rows neither sent nor pending/failed, and rows marked sent that never arrived."""
    states = dict(query(db, "SELECT state, COUNT(*) FROM outbox GROUP BY state"))
    received = {(_chat(c), int(c.result["message_id"])) for c in tg.calls
                if c.method in CLIENT_SENDS and c.ok and isinstance(c.result, dict)}
    never = 0
    for run_id, channel, chat, message_id in query(
            db, "SELECT run_id, channel, chat_id, sent_message_id FROM outbox"
                " WHERE state = 'sent'"):
        if channel == "webhook":
            never += receiver.deliveries.get(f"run-{run_id}", 0) == 0
        elif chat is not None and message_id is not None:
            never += (int(chat), int(message_id)) not in received
    other = sum(n for s, n in states.items() if s not in ("sent", "pending", "failed"))
    shown = ", ".join(f"{state} {count}" for state, count in sorted(states.items()))
    return [f"outbox rows: {shown}; lost {other + never} ({other} in no state, {never} marked "
            f"sent that never arrived)"]


def documents(db: str) -> list[str]:
    lines = []
    for doc_type, numbers in _grouped(query(db, "SELECT doc_type, number FROM documents")):
        unique = len(set(numbers)) == len(numbers)
        gapless = sorted(set(numbers)) == list(range(1, max(numbers) + 1))
        lines.append(f"document numbers ({doc_type}): {len(numbers)} documents, 1..."
                     f"{max(numbers)}, unique {'yes' if unique else 'NO'}, gapless "
                     f"{'yes' if gapless else 'NO'}")
    states = dict(query(db, "SELECT state, COUNT(*) FROM documents GROUP BY state"))
    return (lines or ["document numbers: no documents"]) + [f"document states: {states}"]


def peaks(tg: FakeTelegram, chats: Iterable[int]) -> list[str]:
    wanted = set(chats)
    calls = [c for c in tg.calls if c.method in CLIENT_SENDS and _chat(c) in wanted]
    by_chat: dict[int, list[float]] = defaultdict(list)
    closest: tuple[float, str] = (float("inf"), "")
    last: dict[int, Any] = {}
    for call in sorted(calls, key=lambda c: c.at):
        by_chat[_chat(call)].append(call.at)
        if (before := last.get(_chat(call))) is not None:
            closest = min(closest, (call.at - before.at, f"{before.method} then {call.method}"))
        last[_chat(call)] = call
    per_chat = max((_peak(times) for times in by_chat.values()), default=0)
    every = [c.at for c in tg.calls if c.method != "getUpdates"]
    return [f"peak sends to clients: {_peak([c.at for c in calls])}/s overall, {per_chat}/s "
            f"to one chat ({len(calls)} sends, {tg.rate_limited_count} answered 429); every "
            f"Bot API call (answers and card edits too): peak {_peak(every)}/s",
            f"closest two sends to one chat: {closest[0]:.2f} s apart ({closest[1]}; from the "
            f"arrival of one request to the next one's)"]


def latency(presses: list[Press], tg: FakeTelegram, workers: list[str]) -> list[str]:
    """Per worker that handled the press (the proxy's last 200 for its update)."""
    handled = {d.update_id: d.url for d in tg.webhook_deliveries if d.ok}
    by_worker: dict[str, list[float]] = defaultdict(list)
    lost = stale = 0
    names = {w: f"w{n + 1}" for n, w in enumerate(workers)}
    paths: dict[int, list[str]] = defaultdict(list)
    for d in tg.webhook_deliveries:
        paths[d.update_id].append(next((f"{names[w]}:{d.outcome}" for w in workers
                                        if d.url.startswith(w)), str(d.outcome)))
    unanswered: Counter[str] = Counter()
    for press in presses:
        if press.answered is None:
            lost += 1
            unanswered[" > ".join(paths.get(press.update_id, ["never delivered"]))] += 1
            continue
        stale += "out of date" in (press.toast or "")
        url = handled.get(press.update_id, "?")
        name = next((f"worker {n + 1}" for n, w in enumerate(workers) if url.startswith(w)),
                    "worker ?")
        by_worker[name].append((press.answered - press.pushed) * 1000)
    lines = [f"move latency {name}: {len(ms)} presses, p50 {_pct(ms, 50):.0f} ms, p95 "
             f"{_pct(ms, 95):.0f} ms, p99 {_pct(ms, 99):.0f} ms, max {max(ms):.0f} ms, "
             f"{sum(m > 30_000 for m in ms)} over 30 s"
             for name, ms in sorted(by_worker.items())]
    how = "; ".join(f"{n}x {path}" for path, n in unanswered.most_common(4))
    queries = Counter(str(c.params.get("callback_query_id")) for c in tg.calls
                      if c.method == "answerCallbackQuery")
    twice = sum(queries[p.query_id] > 1 for p in presses)
    return [*lines, f"presses: {len(presses)}, unanswered {lost}, answered 'card out of "
                    f"date' {stale} (a rule changed the deal after the card was drawn), "
                    f"answered twice {twice}",
            f"unanswered presses by their deliveries (worker:outcome): {how or 'none'}"]


def _pct(values: list[float], pct: int) -> float:
    if len(values) < 2:
        return values[0] if values else 0.0
    return statistics.quantiles(values, n=100, method="inclusive")[pct - 1]


def _peak(times: list[float], window: float = 1.0) -> int:
    times = sorted(times)
    best = start = 0
    for end, at in enumerate(times):
        while at - times[start] >= window:
            start += 1
        best = max(best, end - start + 1)
    return best


def _grouped(rows: list[tuple[Any, ...]]) -> list[tuple[str, list[int]]]:
    found: dict[str, list[int]] = defaultdict(list)
    for doc_type, number in rows:
        found[str(doc_type)].append(int(number))
    return sorted(found.items())


def _chat(call: Any) -> int:
    try:
        return int(call.chat_id or 0)
    except (TypeError, ValueError):
        return 0
