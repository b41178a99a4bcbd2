"""`python -m bot` / `crm-bot` that cannot start: one clear line on stderr, exit code 1.

Each case runs the real entry point in a subprocess with an explicit environment, in an
empty working directory (so no `.env` is read).
"""

from __future__ import annotations

import asyncio
import socket
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web

from bot.runner import run
from bot.settings import Settings
from tests.databases import (
    ON_POSTGRESQL,
    database_env,
    database_location,
    database_settings,
    postgresql_only,
    sqlite_only,
    url_of,
)
from tests.fake_telegram import FakeTelegram

GOOD_TOKEN = "123456:ABCDEFGHIJKLMNOP"
CRM_BOT = Path(sys.executable).with_name("crm-bot")


def closed_port() -> int:
    """A loopback port nobody listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


async def run_bot(cwd: Path, *command: str, **env: str) -> tuple[int, list[str]]:
    environment = {"PATH": "/usr/bin:/bin", "HOME": str(cwd), **suite_database(cwd), **env}
    process = await asyncio.create_subprocess_exec(
        *(command or (sys.executable, "-m", "bot")), cwd=cwd, env=environment,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    _out, err = await asyncio.wait_for(process.communicate(), timeout=30)
    return process.returncode or 0, err.decode().splitlines()


def suite_database(tmp_path: Path) -> dict[str, str]:
    """The suite's PostgreSQL database, if it runs on one; else the bot's default file (in
    the working directory)."""
    return database_env(database_location(tmp_path)) if ON_POSTGRESQL else {}


def assert_one_clear_line(code: int, lines: list[str], *fragments: str) -> None:
    assert code == 1
    assert len(lines) == 1, lines
    assert lines[0].startswith("crm-bot: ")
    assert all(fragment in lines[0] for fragment in fragments), lines[0]


async def test_a_missing_token(tmp_path: Path) -> None:
    code, lines = await run_bot(tmp_path)
    assert_one_clear_line(code, lines, "BOT_TOKEN", "Field required", ".env.example")


@pytest.mark.parametrize("token", ["hello", "123456", ":abcdefghijkl", "12345:sh/rt"])
async def test_a_malformed_token(tmp_path: Path, token: str) -> None:
    code, lines = await run_bot(tmp_path, BOT_TOKEN=token)
    assert_one_clear_line(code, lines, "BOT_TOKEN does not look like a bot token")


async def test_other_malformed_settings(tmp_path: Path) -> None:
    code, lines = await run_bot(tmp_path, BOT_TOKEN=GOOD_TOKEN, ADMIN_IDS="ada",
                                TIMEZONE="Mars/Olympus", DEFAULT_LANGUAGE="fr", LOG_LEVEL="loud")
    assert_one_clear_line(code, lines, "ADMIN_IDS", "TIMEZONE", "DEFAULT_LANGUAGE", "LOG_LEVEL")


async def test_an_unreachable_bot_api_server(tmp_path: Path) -> None:
    nowhere = f"http://127.0.0.1:{closed_port()}"
    code, lines = await run_bot(tmp_path, str(CRM_BOT), BOT_TOKEN=GOOD_TOKEN,
                                TELEGRAM_API_BASE=nowhere)
    assert_one_clear_line(code, lines, f"cannot reach the Telegram Bot API at {nowhere}")


@sqlite_only  # a file and its folder; PostgreSQL's refusals are the tests below
@pytest.mark.parametrize(("where", "reason"), [
    ("file/crm.sqlite3", "file is not a folder"),
    ("folder", "unable to open database file"),
    ("garbage.sqlite3", "file is not a database"),
])
async def test_an_unusable_database_path(tmp_path: Path, where: str, reason: str) -> None:
    (tmp_path / "file").write_text("not a folder")
    (tmp_path / "folder").mkdir()
    (tmp_path / "garbage.sqlite3").write_bytes(b"garbage" * 200)
    code, lines = await run_bot(tmp_path, BOT_TOKEN=GOOD_TOKEN,
                                DATABASE_PATH=str(tmp_path / where))
    assert_one_clear_line(code, lines, f"cannot open the database at {tmp_path / where}: ",
                          reason, "(check DATABASE_PATH)")


@postgresql_only
async def test_an_unreachable_database_url(tmp_path: Path) -> None:
    """Nobody listens at the URL's port: one line naming the URL, without its password."""
    port = closed_port()
    code, lines = await run_bot(tmp_path, BOT_TOKEN=GOOD_TOKEN, DATABASE_URL=(
        f"postgresql://crm:s3cret-word@127.0.0.1:{port}/crm"))
    assert_one_clear_line(
        code, lines, f"cannot open the database at postgresql://crm:***@127.0.0.1:{port}/crm: ",
        "nothing answers there; is PostgreSQL running on that host and port?",
        "(check DATABASE_URL)")
    assert "s3cret-word" not in lines[0]


@postgresql_only
@pytest.mark.parametrize(("database", "reason"), [
    ("crm_test_nobody_made_this", 'database "crm_test_nobody_made_this" does not exist;'
                                  " create it as the README's Running at scale says"),
    ("postgres?user=crm_test_nobody", ': role "crm_test_nobody" does not exist (check'),
])
async def test_a_database_url_the_server_refuses(tmp_path: Path, database: str,
                                                 reason: str) -> None:
    url = url_of(database)
    code, lines = await run_bot(tmp_path, BOT_TOKEN=GOOD_TOKEN, DATABASE_URL=url)
    assert_one_clear_line(code, lines, "cannot open the database at postgresql://", reason,
                          "(check DATABASE_URL)")
    assert "connection failed" not in lines[0] and "FATAL" not in lines[0]


# The same sentences, from the runner in this process (fast: aiogram is imported already).

async def start_fails(tmp_path: Path, **env: Any) -> str:
    settings = Settings(_env_file=None, **{
        "bot_token": GOOD_TOKEN, **database_settings(database_location(tmp_path)), **env})
    with pytest.raises(SystemExit) as stop:
        await run(settings)
    return str(stop.value.code)


async def test_a_token_telegram_rejects(tmp_path: Path, tg: FakeTelegram) -> None:
    line = await start_fails(tmp_path, bot_token="999999:WRONG-TOKEN-0000",
                             telegram_api_base=tg.base_url)
    assert line == "crm-bot: Telegram rejected BOT_TOKEN (unauthorized)"


async def test_a_server_that_is_no_bot_api(tmp_path: Path) -> None:
    async with no_bot_api_server() as site:
        line = await start_fails(tmp_path, telegram_api_base=site)
    assert line.startswith(f"crm-bot: {site} does not answer like a Telegram Bot API server")


@asynccontextmanager
async def no_bot_api_server() -> AsyncIterator[str]:
    """An HTTP server that answers everything with a web page."""
    async def page(_request: web.Request) -> web.Response:
        return web.Response(text="<html>Hello</html>", content_type="text/html")

    app = web.Application()
    app.router.add_route("*", "/{tail:.*}", page)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", closed_port())
    await site.start()
    try:
        yield site.name
    finally:
        await runner.cleanup()


async def test_a_missing_templates_folder(tmp_path: Path) -> None:
    code, lines = await run_bot(tmp_path, BOT_TOKEN=GOOD_TOKEN,
                                TEMPLATES_DIR=str(tmp_path / "nowhere"))
    assert_one_clear_line(code, lines, "TEMPLATES_DIR", "nowhere", "not a folder")


async def test_started_outside_the_checkout_it_finds_the_shipped_templates(
        tmp_path: Path, tg: FakeTelegram) -> None:
    """The shipped rules (which use the shipped templates) install and the bot polls."""
    environment = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "BOT_TOKEN": tg.token,
                   "TELEGRAM_API_BASE": tg.base_url or "", "DEFAULT_RULES": "true",
                   "LOG_LEVEL": "WARNING"}
    environment.update(suite_database(tmp_path))
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", cwd=tmp_path, env=environment,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    try:
        await tg.wait_for_polling(timeout=60)
    finally:
        process.terminate()
        _out, err = await asyncio.wait_for(process.communicate(), timeout=30)
    assert "Traceback" not in err.decode()
    assert process.returncode == 0
