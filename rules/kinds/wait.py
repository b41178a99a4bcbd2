"""A pause: does nothing itself; with "after the previous rule" and a delay (or a date
field) it holds back the rules after it in the stage."""

from __future__ import annotations

from crm.i18n import N_
from rules.kinds.base import KindContext, KindGroup, Params, RuleKind


class Wait(RuleKind[Params]):
    code = "wait"
    group = KindGroup.FLOW
    name = N_("Wait")
    params_model = Params

    async def execute(self, ctx: KindContext, params: Params) -> None:
        ctx.result["waited"] = True


KIND = Wait()
