"""Telegram message to the item's client (their contact, once they have written to the bot)."""

from __future__ import annotations

from typing import ClassVar

from rules.kinds import recipients
from rules.kinds.base import KindContext, KindGroup, RuleKind, Validation
from rules.kinds.messages import MessageParams, render_for, summary_source, validate_message
from rules.texts import Bilingual


class MessageClient(RuleKind):
    code = "message_client"
    group = KindGroup.CLIENT
    name = Bilingual(en="Telegram message to the client", de="Telegram-Nachricht an den Kunden")
    params_model = MessageParams
    reasons: ClassVar[dict[str, Bilingual]] = {
        "no_contact": Bilingual(en="the item has no contact", de="das Element hat keinen Kontakt"),
        "client_not_started": Bilingual(
            en="the client {name} has not started the bot yet — send them this link: {link}",
            de="der Kunde {name} hat den Bot noch nicht gestartet — schicken Sie ihm diesen "
               "Link: {link}"),
    }

    async def execute(self, ctx: KindContext, params: MessageParams) -> None:
        recipient = recipients.client(ctx)
        text = await render_for(ctx, params, recipient)
        await ctx.effects.send_message(recipient, text)

    async def validate(self, params: MessageParams, check: Validation) -> None:
        await validate_message(params, check)

    def summary(self, params: MessageParams, language: str) -> str:
        return f"{self.name.get(language)}: {summary_source(params)}"


KIND = MessageClient()
