"""Telegram message to the item's responsible staff member, with a button to open the item."""

from __future__ import annotations

from typing import ClassVar

from crm.i18n import N_, translate
from rules.kinds import recipients
from rules.kinds.base import KindContext, KindGroup, RuleKind, Validation
from rules.kinds.messages import MessageParams, send_to_staff, summary_source, validate_message
from rules.reason_codes import Reason


class NotifyResponsible(RuleKind[MessageParams]):
    code = "notify_responsible"
    group = KindGroup.EMPLOYEE
    name = N_("Notify the responsible person")
    params_model = MessageParams
    reasons: ClassVar[dict[Reason, str]] = {
        Reason.NO_RESPONSIBLE: N_("nobody is responsible for the item"),
    }

    async def execute(self, ctx: KindContext, params: MessageParams) -> None:
        await send_to_staff(ctx, params, recipients.responsible(ctx))

    async def validate(self, params: MessageParams, check: Validation) -> None:
        await validate_message(params, check)

    def summary(self, params: MessageParams, language: str) -> str:
        return f"{translate(self.name, language)}: {summary_source(params)}"


KIND = NotifyResponsible()
