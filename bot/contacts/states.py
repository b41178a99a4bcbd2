"""The steps of contacts: /contact waiting for the answer to its duplicate warning."""

from __future__ import annotations

from aiogram.fsm.state import State, StatesGroup


class ContactDialog(StatesGroup):
    duplicate = State()  # data: the /contact fields typed ("contact_fields")
