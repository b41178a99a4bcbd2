"""Builds the board's web side from the bot's parts (bot/app.py keeps it in the
Dispatcher's data as `board_web`; webhook mode adds its routes, polling mode starts its
listener: bot/runner.py)."""

from __future__ import annotations

from bot.board.api import BoardApi
from bot.board.http import BoardWeb
from bot.composition import Parts
from bot.i18n import PoI18n


def build_board(parts: Parts, i18n: PoI18n) -> BoardWeb:
    api = BoardApi(parts.services, parts.automation, parts.settings, parts.links)
    return BoardWeb(parts.services, i18n, parts.settings, api.endpoints())
