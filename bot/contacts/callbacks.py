"""Buttons of contacts: a page of the list, a contact's card, the answer to a duplicate."""

from __future__ import annotations

import enum

from aiogram.filters.callback_data import CallbackData


class ContactListCb(CallbackData, prefix="cl"):
    before: int = 0   # the page of contacts older than this id (▶); 0: the first page
    after: int = 0    # the page of contacts newer than this id (◀)
    text: str = ""    # the search, when it fits the button (see views.MAX_PAGED_SEARCH)


class ContactCb(CallbackData, prefix="co"):
    contact_id: int


class DuplicateChoice(enum.IntEnum):
    USE = 1    # take the existing contact
    NEW = 2    # create the new one anyway


class DuplicateCb(CallbackData, prefix="cd"):
    choice: DuplicateChoice
    contact_id: int = 0
