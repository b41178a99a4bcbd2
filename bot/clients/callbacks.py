"""Buttons a rule's message gives a client. The data carries only the button's random
token: the press counts only from the chat the button was sent to (checked by the service),
so other clients cannot forge one."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData


class ClientButtonCb(CallbackData, prefix="cb"):
    token: int

def client_button_data(token: int) -> str:
    return ClientButtonCb(token=token).pack()
