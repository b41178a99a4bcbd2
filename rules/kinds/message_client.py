"""Telegram message to the item's client (their contact, once they have written to the bot)."""

from __future__ import annotations

from typing import ClassVar

from crm.i18n import N_, translate
from rules.kinds import recipients
from rules.kinds.base import KindContext, KindGroup, RuleKind, Validation
from rules.kinds.client_buttons import REASONS as BUTTON_REASONS
from rules.kinds.client_buttons import ClientMessageParams, client_buttons, validate_buttons
from rules.kinds.messages import render_for, summary_source, validate_message
from rules.reason_codes import Reason


class MessageClient(RuleKind[ClientMessageParams]):
    code = "message_client"
    group = KindGroup.CLIENT
    name = N_("Telegram message to the client")
    params_model = ClientMessageParams
    reasons: ClassVar[dict[Reason, str]] = {
        Reason.NO_CONTACT: N_("the item has no contact"),
        Reason.CLIENT_NOT_STARTED: N_(
            "the client {name} has not started the bot yet — send them this link: {link}"),
        **BUTTON_REASONS,
    }

    async def execute(self, ctx: KindContext, params: ClientMessageParams) -> None:
        recipient = recipients.client(ctx)
        text = await render_for(ctx, params, recipient)
        await ctx.effects.send_message(recipient, text,
                                       await client_buttons(ctx, params, recipient))

    async def validate(self, params: ClientMessageParams, check: Validation) -> None:
        await validate_message(params, check)
        await validate_buttons(params, check)

    def summary(self, params: ClientMessageParams, language: str) -> str:
        return f"{translate(self.name, language)}: {summary_source(params)}"


KIND = MessageClient()
