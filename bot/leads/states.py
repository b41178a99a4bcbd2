"""The steps of the lead dialogs: a lead created by hand, and converting one by hand."""

from __future__ import annotations

from aiogram.fsm.state import State, StatesGroup


class LeadDialog(StatesGroup):
    source = State()
    title = State()
    amount = State()
    contact = State()


class ConvertDialog(StatesGroup):
    clients = State()
    search = State()
    pipeline = State()
    activities = State()
