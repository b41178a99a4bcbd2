"""Telegram message to a given staff member, with a button to open the item."""

from __future__ import annotations

from crm.errors import Entity, NotFound
from crm.i18n import N_, translate
from rules.kinds import recipients
from rules.kinds.base import KindContext, KindGroup, RuleKind, Validation
from rules.kinds.messages import MessageParams, send_to_staff, summary_source, validate_message


class StaffMessageParams(MessageParams):
    user_id: int


class NotifyStaff(RuleKind[StaffMessageParams]):
    code = "notify_staff"
    group = KindGroup.EMPLOYEE
    name = N_("Notify a staff member")
    params_model = StaffMessageParams

    async def execute(self, ctx: KindContext, params: StaffMessageParams) -> None:
        await send_to_staff(ctx, params, await recipients.staff_member(ctx, params.user_id))

    async def validate(self, params: StaffMessageParams, check: Validation) -> None:
        if not await check.lookup("staff", params.user_id):
            raise NotFound(what=Entity.STAFF, ref=params.user_id)
        await validate_message(params, check)

    def summary(self, params: StaffMessageParams, language: str) -> str:
        return f"{translate(self.name, language)} ({params.user_id}): {summary_source(params)}"


KIND = NotifyStaff()
