"""`crm-bot rules export FILE` and `crm-bot rules import FILE`: the rules file on the command
line, against the bot's database (DATABASE_PATH), without starting the bot — so a team can
keep its automation in version control and deploy it. `-` is standard output / input.

Problems are printed one per line, `FILE:LINE: field: reason`, and the exit code is 1.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path

import yaml

from bot.preflight import database_problem
from bot.settings import Settings
from crm.errors import StorageUnavailable
from rules.errors import RulesFileError
from rules.services.rules_file import RulesFileService


def add_rules_commands(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    rules = commands.add_parser("rules", help="export or import the automation rules (YAML)")
    actions = rules.add_subparsers(dest="action", required=True, metavar="{export,import}")
    export = actions.add_parser("export", help="write all rules to FILE")
    export.add_argument("file", help="the YAML file to write; - for standard output")
    imported = actions.add_parser("import", help="add or update rules from FILE (all or nothing)")
    imported.add_argument("file", help="the YAML file to read; - for standard input")


def run_rules_command(settings: Settings, action: str, file: str) -> int:
    """The exit code: 0, or 1 after printing what went wrong."""
    return asyncio.run(_run(settings, action, file))


def _say(line: str) -> None:
    print(line, file=sys.stderr)


async def _run(settings: Settings, action: str, file: str) -> int:
    if action == "export" and not settings.database_url and not settings.database_path.exists():
        _say(f"crm-bot: there is no database at {settings.database_path} (check DATABASE_PATH)")
        return 1
    try:
        text = _read(file) if action == "import" else ""
    except (OSError, UnicodeDecodeError) as error:
        _say(f"crm-bot: cannot read {file}: {getattr(error, 'strerror', None) or error}")
        return 1
    # the bot's own parts, as the bot builds them; imported here because aiogram takes
    # seconds to import and `crm-bot --help` should not wait for it
    from aiogram import Bot

    from bot.composition import build_parts

    bot = Bot(settings.bot_token.get_secret_value())  # never called: nothing is sent
    try:
        parts = await build_parts(settings, bot)
    except StorageUnavailable as error:
        _say(database_problem(error))
        return 1
    try:
        files = parts.automation.files
        return await (_export(files, file) if action == "export" else _import(files, file, text))
    finally:
        await parts.close()
        await bot.session.close()


async def _export(files: RulesFileService, file: str) -> int:
    text = await files.export_text(None)
    count = len(yaml.safe_load(text).get("rules") or [])
    try:
        _write(file, text)
    except OSError as error:
        _say(f"crm-bot: cannot write {file}: {error.strerror or error}")
        return 1
    _say(f"crm-bot: exported {count} rule{'' if count == 1 else 's'} to {file}")
    return 0


async def _import(files: RulesFileService, file: str, text: str) -> int:
    try:
        report = await files.import_text(None, text)
    except RulesFileError as error:
        for problem in error.params.get("errors") or []:
            _say(f"{file}:{problem.get('line')}: {problem.get('field')}: {problem.get('reason')}")
        _say(f"crm-bot: {file} was not imported; nothing was changed")
        return 1
    _say(f"crm-bot: imported {file}: {report.added} added, {report.updated} updated")
    return 0


def _read(file: str) -> str:
    return sys.stdin.read() if file == "-" else Path(file).read_text(encoding="utf-8")


def _write(file: str, text: str) -> None:
    if file == "-":
        sys.stdout.write(text)
    else:
        Path(file).write_text(text, encoding="utf-8")
