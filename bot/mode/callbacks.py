"""Button data of the CRM-mode feature: the mode switch and its wizard. Short prefixes, an
action enum and integer ids only; every press is checked again by the service it reaches."""

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


