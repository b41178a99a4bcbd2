"""Buttons of client files: send one again, choose a shared contact's phone number."""

from __future__ import annotations

import enum

from aiogram.filters.callback_data import CallbackData


class FileAction(enum.IntEnum):
    SEND = 1  # send the file again to whoever pressed
    USE_PHONE = 2  # the shared contact's number replaces the one kept
    KEEP_PHONE = 3  # the number kept stays


class FileCb(CallbackData, prefix="cf"):
    action: FileAction
    file_id: int  # the client_files row
