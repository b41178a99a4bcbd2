"""Why a run did not do its work: every reason the engine, the outbox and the kinds can give.

A leaf (it imports nothing of the project): the kinds, the transports and the engine name a
member, so a typo is a mypy error. The values are stored in the database (a run's
reason_code, an outbox row's error), so a member's value never changes; the words for each
are in rules.reasons.
"""

from __future__ import annotations

import enum


class Reason(enum.StrEnum):
    # The engine's: the run was not due any more, or could not start.
    LEFT_STAGE = "left_stage"
    RULE_DELETED = "rule_deleted"
    STOPPED = "stopped"
    DISABLED = "disabled"
    CONDITION_FALSE = "condition_false"
    LEADS_OFF = "leads_off"
    DATE_FIELD_EMPTY = "date_field_empty"
    DATE_FIELD_INVALID = "date_field_invalid"
    BAD_PARAMS = "bad_params"
    UNKNOWN_KIND = "unknown_kind"
    LOOP_DETECTED = "loop_detected"
    INTERNAL_ERROR = "internal_error"
    # Templates (rules.errors.TemplateProblem).
    TEMPLATE_ERROR = "template_error"
    TEMPLATE_NOT_FOUND = "template_not_found"
    TEMPLATE_UNSAFE = "template_unsafe"
    TEMPLATE_TIMEOUT = "template_timeout"
    TEMPLATE_TOO_BIG = "template_too_big"
    TEMPLATE_TOO_LARGE = "template_too_large"
    MESSAGE_TOO_LONG = "message_too_long"
    # Recipients.
    NO_CONTACT = "no_contact"
    CLIENT_NOT_STARTED = "client_not_started"
    NO_RESPONSIBLE = "no_responsible"
    STAFF_NOT_FOUND = "staff_not_found"
    STAFF_INACTIVE = "staff_inactive"
    TEAM_CHAT_GONE = "team_chat_gone"
    # The outbox's transports (rules.ports.PermanentError): Telegram, documents.
    BLOCKED = "blocked"
    CHAT_NOT_FOUND = "chat_not_found"
    SEND_REJECTED = "send_rejected"
    PDF_FAILED = "pdf_failed"
    DOCUMENT_MISSING = "document_missing"
    DOCUMENT_NUMBER_TAKEN = "document_number_taken"  # a changed prefix repeats an old number
    # A value that does not fit its field (the same values as crm.errors.InputProblem).
    UNKNOWN_FIELD = "unknown_field"
    NOT_A_TITLE = "not_a_title"
    NOT_AN_AMOUNT = "not_an_amount"
    FROM_PRODUCTS = "from_products"
    NOT_A_CURRENCY = "not_a_currency"
    NOT_A_PROBABILITY = "not_a_probability"
    TOO_LONG = "too_long"
    NOT_A_QUANTITY = "not_a_quantity"
    NOT_A_PRODUCT_NAME = "not_a_product_name"
    # The kinds' own.
    NOBODY_IN_ROLE = "nobody_in_role"
    STAGE_GONE = "stage_gone"
    TARGET_GONE = "target_gone"
    OTHER_TYPE = "other_type"
    COPY_REFUSED = "copy_refused"
    EMPTY_SUBJECT = "empty_subject"
    ACTIVITY_REFUSED = "activity_refused"
    BUTTON_STAGE_MISSING = "button_stage_missing"
    EMAIL_NOT_CONFIGURED = "email_not_configured"
    NO_COMPANY = "no_company"
    NO_EMAIL = "no_email"
    NO_DOCUMENT = "no_document"
    EMAIL_REJECTED = "email_rejected"
    EMAIL_LOGIN_FAILED = "email_login_failed"
    WEBHOOK_NO_SECRET = "webhook_no_secret"
    WEBHOOK_REJECTED = "webhook_rejected"
    WEBHOOK_UNREACHABLE = "webhook_unreachable"
    WEBHOOK_ADDRESS_REFUSED = "webhook_address_refused"
    WEBHOOK_BAD_URL = "webhook_bad_url"
    # Change contact or company fields, create an item of another type (issue 15).
    NOT_A_PHONE = "not_a_phone"
    NOT_AN_EMAIL = "not_an_email"
    NOT_A_NAME = "not_a_name"
    NO_PIPELINE = "no_pipeline"
    CREATE_REFUSED = "create_refused"

    @classmethod
    def read(cls, stored: object) -> Reason | None:
        """A stored reason (or a params value) back as a member; None when there is none or
        no member has that value (a reason an older version wrote)."""
        if not isinstance(stored, str):
            return None
        try:
            return cls(stored)
        except ValueError:
            return None
