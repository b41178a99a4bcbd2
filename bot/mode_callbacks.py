"""Button data of the CRM-mode feature: the mode switch and its wizard, lead conversion by
hand, and client conversations. Short prefixes, an action enum and integer ids only; every
press is checked again by the service it reaches."""

from __future__ import annotations

import enum

from aiogram.filters.callback_data import CallbackData

# Index ↔ ClientChoice value ('contact', 'company', 'both'); LINK: link existing clients.
CLIENT_CHOICES = ("contact", "company", "both")
LINK = len(CLIENT_CHOICES)


class ModeAction(enum.IntEnum):
    SIMPLE = 1      # switch to simple mode (starts the wizard when leads are open)
    CLASSIC = 2     # switch to classic mode


class ModeCb(CallbackData, prefix="md"):
    action: ModeAction


class SwitchStep(enum.IntEnum):
    CREATE = 1      # value: index into CLIENT_CHOICES
    PIPELINE = 2    # value: deal pipeline id
    ACTIVITIES = 3  # value: 1 keep open, 0 close
    CONFIRM = 4
    CANCEL = 5


class SwitchCb(CallbackData, prefix="sw"):
    step: SwitchStep
    value: int = 0


class ConvertStep(enum.IntEnum):
    START = 1       # from the card: begin converting item_id
    CREATE = 2      # value: index into CLIENT_CHOICES, or LINK
    CONTACT = 3     # value: contact id to link
    COMPANY = 4     # value: company id to link
    PIPELINE = 5    # value: deal pipeline id
    ACTIVITIES = 6  # value: 1 keep open, 0 close
    CANCEL = 7


class ConvertCb(CallbackData, prefix="cv"):
    step: ConvertStep
    item_id: int
    value: int = 0


class SourceCb(CallbackData, prefix="ls"):
    """The source of a lead created by hand. value: index into MANUAL_SOURCES."""

    value: int


class InquiryAction(enum.IntEnum):
    TIMELINE = 1    # show the conversation with the client


class InquiryCb(CallbackData, prefix="iq"):
    action: InquiryAction
    item_id: int
