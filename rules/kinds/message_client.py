"""Telegram message to the item's client (their contact, once they have written to the bot)."""

from __future__ import annotations

from typing import ClassVar

from rules.kinds import recipients
from rules.kinds.base import KindContext, KindGroup, RuleKind, Validation
from rules.kinds.client_buttons import REASONS as BUTTON_REASONS
from rules.kinds.client_buttons import ClientMessageParams, client_buttons, validate_buttons
from rules.kinds.messages import render_for, summary_source, validate_message
from rules.texts import Bilingual


class MessageClient(RuleKind[ClientMessageParams]):
    code = "message_client"
    group = KindGroup.CLIENT
    name = Bilingual(en="Telegram message to the client", de="Telegram-Nachricht an den Kunden")
    params_model = ClientMessageParams
    reasons: ClassVar[dict[str, Bilingual]] = {
        "no_contact": Bilingual(en="the item has no contact", de="das Element hat keinen Kontakt"),
        "client_not_started": Bilingual(
            en="the client {name} has not started the bot yet — send them this link: {link}",
            de="der Kunde {name} hat den Bot noch nicht gestartet — schicken Sie ihm diesen "
               "Link: {link}"),
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
        return f"{self.name.get(language)}: {summary_source(params)}"


KIND = MessageClient()
