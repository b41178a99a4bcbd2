"""What the /rules screens and the rule dialog share for one update: who is asking, in
which language, the services, and where to show the next screen."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

from bot.common.replies import edit
from bot.settings import Settings
from crm.container import CrmServices
from crm.models import Staff
from rules.container import Automation


@dataclass(slots=True)
class RulesChat:
    target: Message | CallbackQuery
    state: FSMContext
    services: CrmServices
    automation: Automation
    staff: Staff
    lang: str
    settings: Settings

    async def show(self, text: str, markup: InlineKeyboardMarkup | None = None) -> None:
        """A press edits the message it came from; a typed answer gets a new message."""
        message = self.target.message if isinstance(self.target, CallbackQuery) else None
        if isinstance(message, Message) and await edit(message, text, markup):
            return
        await self.say(text, markup)  # too old to edit: send it anew

    async def say(self, text: str, markup: InlineKeyboardMarkup | None = None) -> None:
        """A new message in the chat; what is shown after it comes as a new message too."""
        chat = self.target if isinstance(self.target, Message) else self.target.message
        if isinstance(chat, Message):
            self.target = chat
            await chat.answer(text, reply_markup=markup)

    async def data(self) -> dict[str, Any]:
        return await self.state.get_data()
