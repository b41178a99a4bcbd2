"""Figure 2: outbox delivery against a fake Bot API that answers 429 above Telegram's limits."""

from __future__ import annotations

import time
from pathlib import Path

from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer

from bench.rules_common import engine
from bot.telegram.transport import TelegramTransport
from crm.clock import SystemClock
from rules.model import OutboxRow, OutboxState
from rules.storage.unit import repos
from tests.fake_telegram import FakeTelegram

SINGLE_CHATS = 500  # one message each
BUSY_CHATS = 25  # four messages each: per-chat pacing (1/s) must hold them apart
PER_BUSY_CHAT = 4


async def outbox(folder: Path) -> None:
    tg = FakeTelegram()
    base = await tg.start()
    tg.rate_limit(per_second=30, per_chat_per_second=1)
    bot = Bot(tg.token, session=AiohttpSession(api=TelegramAPIServer.from_base(base)))
    clock = SystemClock()
    db, services, automation, _admin = await engine(
        folder, clock, {"telegram": TelegramTransport(bot)})
    chats = [10_000 + n for n in range(SINGLE_CHATS + BUSY_CHATS)]
    for chat in chats:
        tg.user(chat, f"Client {chat}")
    plan = [(c, 1) for c in chats[:SINGLE_CHATS]] + [(c, PER_BUSY_CHAT)
                                                     for c in chats[SINGLE_CHATS:]]
    total = sum(count for _chat, count in plan)
    async with services.uow() as uow:
        repo, now = repos(uow).outbox, clock.now()
        for chat, count in plan:
            for n in range(count):
                await repo.add(OutboxRow(0, None, f"bench:{chat}:{n}", chat, "message",
                                         {"text": f"message {n}"}, OutboxState.PENDING, 0,
                                         now, now))
        await uow.commit()

    started = time.perf_counter()
    await automation.outbox.drain()
    seconds = time.perf_counter() - started
    delivered = sum(1 for m in tg.sent if m.chat_id in set(chats))
    print(f"outbox: {total} messages to {len(chats)} chats in {seconds:.1f} s = "
          f"{delivered / seconds:.1f} messages/s (limit 30/s; ratio to the limit "
          f"{delivered / seconds / 30:.2f})")
    print(f"outbox: 429 answers caused: {tg.rate_limited_count}, lost: {total - delivered}")
    await automation.stop()
    await bot.session.close()
    await db.close()
    await tg.stop()
