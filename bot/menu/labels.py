"""The main menu: a reply keyboard of labels in the user's language. Pressing a label sends
its text; `LabelText` matches it in either language (a member may have changed language
since the keyboard was sent), and bot/menu/router.py hands it to the command's own handler.
"""

from __future__ import annotations

import enum

from aiogram.filters import BaseFilter
from aiogram.types import KeyboardButton, Message, ReplyKeyboardMarkup
from aiogram.utils.i18n import gettext as _

from crm.i18n import LANGUAGES, N_, translate


class Label(enum.StrEnum):
    NEW = "new"
    MINE = "mine"
    PIPELINE = "pipeline"
    SEARCH = "search"
    TASKS = "tasks"
    HELP = "help"


TEXTS: dict[Label, str] = {
    Label.NEW: N_("➕ New item"),
    Label.MINE: N_("📋 My items"),
    Label.PIPELINE: N_("📊 Pipeline"),
    Label.SEARCH: N_("🔎 Search"),
    Label.TASKS: N_("✅ Tasks"),
    Label.HELP: N_("❓ Help"),
}
ROWS = ((Label.NEW, Label.MINE), (Label.PIPELINE, Label.SEARCH), (Label.TASKS, Label.HELP))


def label_texts(label: Label) -> frozenset[str]:
    """What pressing `label` sends, in every language."""
    return frozenset({TEXTS[label], *(translate(TEXTS[label], code) for code in LANGUAGES)})


def main_menu() -> ReplyKeyboardMarkup:
    """The staff's main menu, in the current language."""
    return ReplyKeyboardMarkup(resize_keyboard=True, is_persistent=True, keyboard=[
        [KeyboardButton(text=_(TEXTS[label])) for label in row] for row in ROWS
    ])


class LabelText(BaseFilter):
    """A message that is exactly one of the label's texts (any language)."""

    def __init__(self, label: Label) -> None:
        self.texts = label_texts(label)

    async def __call__(self, message: Message) -> bool:
        return (message.text or "").strip() in self.texts
