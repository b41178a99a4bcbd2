"""What bench/scale_out.py stands on: a fresh PostgreSQL database seeded with deals, their
clients and the five rules, a Redis key space of its own, and a webhook receiver on
loopback that counts deliveries per idempotency header."""

from __future__ import annotations

import uuid
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import psycopg
from aiohttp import web
from redis.asyncio import Redis

from crm.clock import SystemClock
from crm.container import build_services
from crm.models import Contact
from crm.services.items import NewItem
from crm.services.staff import TelegramUser
from crm.storage.database import Database
from rules.config import EngineConfig
from rules.container import build_automation
from rules.errors import TemplateProblem
from rules.model import Rule
from rules.reason_codes import Reason
from rules.rendering import Renderer
from rules.webhooks.body import DELIVERY_HEADER

ROOT = Path(__file__).resolve().parents[1]
SERVER = "postgresql://postgres@127.0.0.1:5432/postgres"
REDIS_URL = "redis://127.0.0.1:6379/11"
ADMIN_ID = 1001
FIRST_SELLER = 3001
FIRST_CHAT = 800_000
SECRET = "scale-out-bench-signing-secret-0123456789"
# The deal pipeline's open stages (migration 002) and the rule each one runs on entry.
OPEN_STAGES = (6, 7, 8, 9, 10)
WEBHOOK_STAGE, MESSAGE_STAGE, DOCUMENT_STAGE, FIELD_STAGE, COPY_STAGE = OPEN_STAGES
BIG = Decimal(90_000)  # every tenth deal: only those get an invoice (a PDF takes ~0.3 s)


def url_of(database: str) -> str:
    return SERVER.rsplit("/", 1)[0] + "/" + database


def create_database() -> str:
    """A new empty database; its name (the bot's migrations make the schema)."""
    name = f"scale_out_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(SERVER, autocommit=True) as conn:
        conn.execute(f"CREATE DATABASE {name}")
    return name


def drop_database(name: str) -> None:
    with psycopg.connect(SERVER, autocommit=True) as conn:
        conn.execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def pg_stats(name: str) -> tuple[int, int]:
    """(deadlocks, rolled back transactions) of the database so far."""
    with psycopg.connect(SERVER, autocommit=True) as conn:
        conn.execute("SELECT pg_stat_clear_snapshot()")
        row = conn.execute("SELECT deadlocks, xact_rollback FROM pg_stat_database"
                           " WHERE datname = %s", (name,)).fetchone()
    return (int(row[0]), int(row[1])) if row else (0, 0)


def query(name: str, sql: str, args: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    with psycopg.connect(url_of(name), autocommit=True) as conn:
        return list(conn.execute(sql, args).fetchall())


async def forget_redis_keys(prefix: str) -> int:
    """Deletes this bench's keys (and only those); how many there were."""
    redis = Redis.from_url(REDIS_URL)
    try:
        keys = [key async for key in redis.scan_iter(match=f"{prefix}*", count=500)]
        if keys:
            await redis.delete(*keys)
        return len(keys)
    finally:
        await redis.aclose()


@dataclass(frozen=True)
class Seeded:
    sellers: dict[int, list[int]]  # seller's user id -> the deals they are responsible for
    chats: list[int]  # the clients' private chats


async def seed(name: str, items: int, sellers: int, hook_url: str) -> Seeded:
    """Migrates the database as the bot does, then adds the team, `items` deals spread over
    the open stages (two per client), and the five rules."""
    db = Database(url_of(name))
    await db.open()
    try:
        config = EngineConfig(webhook_secret=SECRET, webhooks_allow_private=True)
        services = build_services(db, SystemClock(), admin_ids=[ADMIN_ID])
        automation = build_automation(services, config, Renderer(ROOT / "templates"), {})
        admin = await services.staff.start(TelegramUser(ADMIN_ID, "Ada Admin", language="en"))
        assert admin is not None
        team = [FIRST_SELLER + n for n in range(sellers)]
        async with services.uow() as uow:
            for user_id in team:
                await uow.conn.execute(
                    "INSERT INTO staff (user_id, name, role, language, joined_at)"
                    " VALUES (?, ?, 'sales', 'en', '2026-01-01T08:00:00.000000+00:00')",
                    (user_id, f"Seller {user_id}"))
            await uow.commit()
        owned: dict[int, list[int]] = {user_id: [] for user_id in team}
        chats = [FIRST_CHAT + n for n in range(max(1, items // 2))]
        contact_ids = []
        for chat in chats:
            async with services.uow() as uow:
                contact = await uow.clients.add_contact(
                    Contact(0, f"Client {chat}", tg_chat_id=chat), services.clock.now())
                await uow.commit()
            contact_ids.append(contact.id)
        for n in range(items):
            seller = team[n % len(team)]
            amount = BIG if n % 10 == 9 else Decimal(1_000 + n % 9 * 1_000)
            item = await services.items.create(admin, NewItem(
                "deal", f"Deal {n + 1}", amount=amount, contact_id=contact_ids[n // 2],
                responsible_id=seller, stage_id=OPEN_STAGES[n % len(OPEN_STAGES)]))
            owned[seller].append(item.id)
        for rule in _rules(hook_url):
            for attempt in range(3):  # the render workers' first start on a loaded machine
                try:  # can outlast a template check's time limit
                    await automation.rules.add(admin, rule)
                    break
                except TemplateProblem as problem:
                    if problem.reason is not Reason.TEMPLATE_TIMEOUT or attempt == 2:
                        raise
        await automation.stop()
        return Seeded(owned, chats)
    finally:
        await db.close()


def _rules(hook_url: str) -> list[Rule]:
    def rule(stage: int, title: str, kind: str, params: dict[str, Any],
             condition: dict[str, Any] | None = None) -> Rule:
        return Rule(0, "", 0, stage, 0, title, kind, params, condition=condition)
    return [
        rule(WEBHOOK_STAGE, "Tell the ERP", "webhook", {"url": hook_url}),
        # stage_entered_at tells one entry's message from the next one's (duplicates)
        rule(MESSAGE_STAGE, "Hello", "message_client",
             {"text": "Preparing {{ item.title }} ({{ item.stage_entered_at }})"}),
        rule(DOCUMENT_STAGE, "Invoice", "create_document",
             {"doc_type": "invoice", "send_to": "client"},
             {"all": [{"field": "amount", "op": ">", "value": str(BIG - 1)}]}),
        rule(FIELD_STAGE, "Likely", "change_field", {"field": "probability", "value": "60"}),
        rule(COPY_STAGE, "Monthly follow-up", "copy_item",
             {"pipeline_id": 2, "stage_id": OPEN_STAGES[0], "repeat": "months", "every": 1}),
    ]


@dataclass
class Receiver:
    """The webhook rule's endpoint on loopback: deliveries per idempotency header."""

    deliveries: Counter[str] = field(default_factory=Counter)
    port: int = 0
    _runner: web.AppRunner | None = None

    async def start(self) -> str:
        app = web.Application()
        app.router.add_post("/hook", self._handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        self.port = self._runner.addresses[0][1]
        return f"http://127.0.0.1:{self.port}/hook"

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    async def _handle(self, request: web.Request) -> web.Response:
        await request.read()
        self.deliveries[request.headers.get(DELIVERY_HEADER, "?")] += 1
        return web.Response(status=200)
