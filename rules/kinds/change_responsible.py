"""Change the responsible person: to a given staff member, or round-robin among the active
members of a role (whose turn it is is kept in the database, see crm.services.rotation)."""

from __future__ import annotations

from typing import ClassVar, Self

from pydantic import model_validator

from crm.i18n import N_, translate
from crm.models import Role, Staff
from crm.services.item_edits import assign
from crm.services.rotation import next_in_role, take_turn
from rules.kinds.base import KindContext, KindGroup, Params, RuleKind, RunFailure, Validation
from rules.kinds.questions import Answer, Question
from rules.kinds.values import invalid
from rules.reason_codes import Reason

ASSIGN = N_("make {name} responsible")
IN_TURN = N_("make {name} responsible (next in turn among {role})")
ROLES = {Role.SALES: N_("sales"),
         Role.MANAGER: N_("managers"),
         Role.ADMIN: N_("admins")}
NOT_IN_TEAM = N_("staff member {id} is not in the team")


class ResponsibleParams(Params):
    """Exactly one: `user_id` (a staff member) or `role` (round-robin among its members)."""

    user_id: int | None = None
    role: Role | None = None

    @model_validator(mode="after")
    def _one(self) -> Self:
        if (self.user_id is None) == (self.role is None):
            raise ValueError(N_("give either a staff member (user_id) or a role for round-robin"))
        return self


class ChangeResponsible(RuleKind[ResponsibleParams]):
    code = "change_responsible"
    group = KindGroup.EMPLOYEE
    name = N_("Change the responsible person")
    params_model = ResponsibleParams
    questions = (
        Question("user_id", Answer.STAFF,
                 N_("Who becomes responsible? (Skip: take turns within a role)"), optional=True),
        Question("role", Answer.ROLE, N_("Take turns among whom?"), when=("user_id", None)),
    )
    reasons: ClassVar[dict[Reason, str]] = {
        Reason.NOBODY_IN_ROLE: N_("nobody in the team has the role {role}"),
    }

    async def execute(self, ctx: KindContext, params: ResponsibleParams) -> None:
        language = ctx.config.default_language
        if params.role is not None:
            staff = await next_in_role(ctx.uow, params.role)
            if staff is None:
                raise RunFailure(Reason.NOBODY_IN_ROLE, role=params.role.value)
            describe = translate(IN_TURN, language, name=staff.name,
                                 role=translate(ROLES[params.role], language))
        else:
            assert params.user_id is not None
            staff = await _member(ctx, params.user_id)
            describe = translate(ASSIGN, language, name=staff.name)
        item = ctx.subject.item
        ctx.result.update(responsible=staff.name, user_id=staff.user_id)

        async def write() -> None:
            if params.role is not None:
                await take_turn(ctx.uow, params.role, staff.user_id, ctx.now)
            if item.responsible_id != staff.user_id:
                await assign(ctx.uow, item.id, staff.user_id, ctx.now)

        await ctx.effects.apply(describe, write)

    async def validate(self, params: ResponsibleParams, check: Validation) -> None:
        if params.user_id is not None and not await check.lookup("staff", params.user_id):
            raise invalid(self.code, "user_id", NOT_IN_TEAM, id=params.user_id)

    def summary(self, params: ResponsibleParams, language: str) -> str:
        if params.role is not None:
            role = translate(ROLES[params.role], language)
            return f"{translate(self.name, language)}: round-robin ({role})"
        return f"{translate(self.name, language)}: {params.user_id}"


async def _member(ctx: KindContext, user_id: int) -> Staff:
    staff = await ctx.uow.staff.get(user_id)
    if staff is None:
        raise RunFailure(Reason.STAFF_NOT_FOUND, id=user_id)
    if not staff.active:
        raise RunFailure(Reason.STAFF_INACTIVE, name=staff.name)
    return staff


KIND = ChangeResponsible()
