"""The steps after a salesperson forwarded a client's messages to the bot."""

from __future__ import annotations

from aiogram.fsm.state import State, StatesGroup


class ForwardDialog(StatesGroup):
    gathering = State()  # forwards arriving within a few seconds make one offer
    offer = State()  # the offer's buttons wait
    name = State()  # the sender hides their account: their name
    item = State()  # the number of the item to add the messages to
