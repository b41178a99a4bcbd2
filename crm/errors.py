"""The one family of errors the domain raises on purpose.

Each carries a stable `code`, typed attributes naming why (an `Entity`, an `Action`, an
`InputProblem`...) and, in `params`, the same values for messages and logs; the bot turns
them into a sentence in the user's language. Nothing here is shown to a user verbatim.
"""

from __future__ import annotations

import enum
from typing import Any


class Entity(enum.StrEnum):
    """What was not found or already exists."""

    ACTIVITY = "activity"
    COMPANY = "company"
    CONTACT = "contact"
    CONTACT_CHAT = "contact_chat"  # a contact's Telegram chat, linked to another contact
    DOCUMENT = "document"
    ITEM = "item"
    LAST_ADMIN = "last_admin"  # Conflict only: the team's last admin cannot step down
    PIPELINE = "pipeline"
    RULE = "rule"
    SCHEDULE = "schedule"
    STAFF = "staff"
    STAGE = "stage"
    TEAM_CHAT = "team_chat"
    TRIGGER = "trigger"
    TYPE = "type"


class Action(enum.StrEnum):
    """What was refused."""

    ACTIVITY = "activity"  # someone else's activity
    ADMIN = "admin"
    ITEM = "item"  # an item the salesperson may not see
    SETTINGS = "settings"


class InputProblem(enum.StrEnum):
    """Why a value does not fit (the values double as run failure reasons in rules)."""

    END_BEFORE_START = "end_before_start"
    FIRST_STAGE_KIND = "first_stage_kind"  # a pipeline's first stage must be in progress
    FROM_PRODUCTS = "from_products"  # the amount of an item with products
    NO_SUCCESS_STAGE = "no_success_stage"
    NO_TIMEZONE = "no_timezone"
    NOT_A_CURRENCY = "not_a_currency"
    NOT_A_PROBABILITY = "not_a_probability"
    NOT_A_PRODUCT_NAME = "not_a_product_name"
    NOT_A_PHONE = "not_a_phone"
    NOT_A_QUANTITY = "not_a_quantity"
    NOT_A_TITLE = "not_a_title"
    NOT_AN_AMOUNT = "not_an_amount"
    NOT_AN_EMAIL = "not_an_email"
    NOT_A_SERVICE_DATE = "not_a_service_date"  # the Leistungsdatum: a day, period or month
    NO_CONTACT = "no_contact"  # a contact's field of an item that has no contact
    OTHER_TYPE = "other_type"
    STAGE_POSITION = "stage_position"  # a stage moved past either end
    TOO_LONG = "too_long"
    UNKNOWN_FIELD = "unknown_field"
    UNKNOWN_CONTACT_FIELD = "unknown_contact_field"
    UNKNOWN_SOURCE = "unknown_source"


class InviteProblem(enum.StrEnum):
    EXPIRED = "expired"
    UNKNOWN = "unknown"
    USED = "used"


class AppError(Exception):
    code = "error"

    def __init__(self, **params: Any) -> None:
        super().__init__(f"{self.code}: {params}")
        self.params = params


class NotFound(AppError):
    code = "not_found"

    def __init__(self, what: Entity, ref: object) -> None:
        super().__init__(what=what, ref=ref)
        self.what, self.ref = what, ref


class PermissionDenied(AppError):
    code = "permission_denied"

    def __init__(self, action: Action) -> None:
        super().__init__(action=action)
        self.action = action


class InvalidInput(AppError):
    """`field` names the field (or `custom.<name>`), `value` quotes the input, `problem` says
    what is wrong with it (None: the value is simply not valid for the field)."""

    code = "invalid_input"

    def __init__(self, field: str, value: object, problem: InputProblem | None = None) -> None:
        if problem is None:
            super().__init__(field=field, value=value)
        else:
            super().__init__(field=field, value=value, reason=problem)
        self.field, self.value, self.problem = field, value, problem


class InvalidAmount(InvalidInput):
    code = "invalid_amount"

    def __init__(self, value: str) -> None:
        AppError.__init__(self, value=value)
        self.field, self.value, self.problem = "amount", value, None


class StaleCard(AppError):
    """A button from a card that no longer shows the item as it is."""

    code = "stale_card"

    def __init__(self, item_id: int) -> None:
        super().__init__(item_id=item_id)
        self.item_id = item_id


class AlreadyInStage(AppError):
    code = "already_in_stage"

    def __init__(self, item_id: int, stage_id: int) -> None:
        super().__init__(item_id=item_id, stage_id=stage_id)
        self.item_id, self.stage_id = item_id, stage_id


class Conflict(AppError):
    """e.g. a name already taken."""

    code = "conflict"

    def __init__(self, what: Entity, ref: object) -> None:
        super().__init__(what=what, ref=ref)
        self.what, self.ref = what, ref


class InviteInvalid(AppError):
    code = "invite_invalid"

    def __init__(self, problem: InviteProblem) -> None:
        super().__init__(reason=problem)
        self.problem = problem


class StorageUnavailable(AppError):
    """`detail` says why, for the one line the bot prints before it stops."""

    code = "storage_unavailable"

    def __init__(self, path: str, detail: str) -> None:
        super().__init__(path=path, reason=detail)
        self.path, self.detail = path, detail


class SchemaTooNew(StorageUnavailable):
    """The database was migrated by a newer version of the code (a deploy rolled back to an
    older one): this code would misread what the newer one writes, so it does not start."""

    code = "schema_too_new"

    def __init__(self, path: str, version: int, newest: int) -> None:
        super().__init__(path, f"its schema is at version {version}, newer than the "
                               f"{newest} this version of crm-bot knows")
        self.version, self.newest = version, newest
