"""The one family of errors the domain raises on purpose.

Each carries a stable `code` and the parameters a message needs; the bot turns them
into a sentence in the user's language. Nothing here is shown to a user verbatim.
"""

from __future__ import annotations

from typing import Any


class AppError(Exception):
    code = "error"

    def __init__(self, **params: Any) -> None:
        super().__init__(f"{self.code}: {params}")
        self.params = params


class NotFound(AppError):
    """params: what ('item', 'stage', 'pipeline', 'contact', 'staff', 'type', ...), ref."""

    code = "not_found"


class PermissionDenied(AppError):
    """params: action (what was refused)."""

    code = "permission_denied"


class InvalidInput(AppError):
    """params: field, value; `reason` names what is wrong."""

    code = "invalid_input"


class InvalidAmount(InvalidInput):
    code = "invalid_amount"


class StaleCard(AppError):
    """A button from a card that no longer shows the item as it is. params: item_id."""

    code = "stale_card"


class AlreadyInStage(AppError):
    """params: item_id, stage_id."""

    code = "already_in_stage"


class Conflict(AppError):
    """params: what, ref — e.g. a name already taken."""

    code = "conflict"


class InviteInvalid(AppError):
    """params: reason ('unknown', 'used', 'expired')."""

    code = "invite_invalid"


class StorageUnavailable(AppError):
    code = "storage_unavailable"
