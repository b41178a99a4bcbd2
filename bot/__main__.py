"""`crm-bot` / `python -m bot`: runs the bot (long polling, or webhook when WEBHOOK_URL is set).
`crm-bot rules export|import FILE`: the automation rules as a YAML file (bot/rules/cli.py).
`crm-bot backup FILE`: a copy of the database, taken while the bot runs (bot/backup.py).

Every start-up failure ends with one clear line on stderr and exit code 1.
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import sys

from bot.backup import add_backup_command, run_backup
from bot.preflight import check_database, load_settings
from bot.rules.cli import add_rules_commands, run_rules_command


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="crm-bot", description="A CRM that lives in Telegram")
    commands = parser.add_subparsers(dest="command", title="commands")
    add_rules_commands(commands)
    add_backup_command(commands)
    args = parser.parse_args(argv)
    try:
        settings = load_settings()
        if args.command == "rules":  # `crm-bot rules export|import FILE`: no bot, no Telegram
            if code := run_rules_command(settings, args.action, args.file):
                raise SystemExit(code)
            return
        if args.command == "backup":  # `crm-bot backup FILE`: no bot either
            if code := run_backup(settings, args.file):
                raise SystemExit(code)
            return
        check_database(settings)
        logging.basicConfig(level=settings.log_level,
                            format="%(asctime)s %(levelname)s %(name)s: %(message)s")
        from bot.runner import run  # only now: aiogram takes seconds to import

        asyncio.run(run(settings))
    except KeyboardInterrupt:
        pass
    except SystemExit as stop:
        if isinstance(stop.code, str):
            print(stop.code, file=sys.stderr)
            raise SystemExit(1) from None
        raise


if __name__ == "__main__":
    main()
