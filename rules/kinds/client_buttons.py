"""Buttons a client message may carry ("Accept the offer", "Call me back"), each bound to a
stage of the item's pipeline: pressing one moves the item there like a trigger (never to
an earlier stage unless the button says so), and that stage's rules run.

Each button sent is a row with a random token; the callback data carries only the token,
and a press counts only from the chat the button was sent to. An offer stands while the item
is in the stage entry the message was sent from and not closed, and one press of one of
its buttons answers it: later presses change nothing.
"""

from __future__ import annotations

import secrets

from pydantic import Field

from crm.errors import Entity, NotFound
from crm.i18n import N_, quoted, translate
from crm.models import localized
from crm.services.stage_match import match_stage
from rules.kinds.base import KindContext, Params, Recipient, RunFailure, Validation
from rules.kinds.messages import MessageParams
from rules.ports import Button
from rules.reason_codes import Reason
from rules.storage.unit import repos
from rules.triggers.model import ClientButton

REASONS: dict[Reason, str] = {
    Reason.BUTTON_STAGE_MISSING: N_(
        "the stage “{stage}” of a button is not in the item's pipeline"),
}
# What test mode shows: „Angebot annehmen“ → Gewonnen, …
BUTTONS = N_("buttons for the client: {targets}")


class ClientButtonSpec(Params):
    text: str = Field(min_length=1, max_length=64)
    stage: str = Field(min_length=1, max_length=80)  # code, name or position in the pipeline
    backwards: bool = False  # may move the item to an earlier stage


class ClientMessageParams(MessageParams):
    buttons: list[ClientButtonSpec] | None = Field(None, max_length=8)  # one per row


async def client_buttons(ctx: KindContext, params: ClientMessageParams,
                         recipient: Recipient) -> list[list[Button]] | None:
    """Stores the buttons (as a data change: test mode only shows them) and returns them."""
    if not params.buttons:
        return None
    item, language = ctx.subject.item, ctx.config.default_language
    stages = await ctx.uow.catalog.list_stages(item.pipeline_id)
    entry = await repos(ctx.uow).runs.latest_entry(item.id)
    offer = secrets.randbits(62) + 1
    rows: list[ClientButton] = []
    targets: list[str] = []
    for spec in params.buttons:
        try:
            stage = match_stage(stages, spec.stage)
        except NotFound as missing:
            raise RunFailure(Reason.BUTTON_STAGE_MISSING, stage=spec.stage) from missing
        targets.append(f"{quoted(spec.text, language)} → {localized(stage, language)}")
        token = secrets.randbits(62) + 1
        rows.append(ClientButton(token, item.id, recipient.chat_id, stage.id,
                                 spec.text, spec.backwards, ctx.run_id, ctx.now,
                                 entry_id=entry.id if entry else None, offer=offer))

    async def store() -> None:
        for row in rows:
            await repos(ctx.uow).client_buttons.add(row)

    await ctx.effects.apply(translate(BUTTONS, language, targets=", ".join(targets)), store)
    return [[Button(row.label, client_token=row.token)] for row in rows]


async def validate_buttons(params: ClientMessageParams, check: Validation) -> None:
    for spec in params.buttons or []:
        if not await check.lookup("stage", spec.stage):
            raise NotFound(what=Entity.STAGE, ref=spec.stage)
