"""What the Telegram message kinds share: the template to render and rendering it for one
recipient in their language."""

from __future__ import annotations

from typing import Self

from pydantic import Field, model_validator

from crm.i18n import N_, translate
from rules.kinds.base import KindContext, Params, Recipient, Validation
from rules.ports import Button
from rules.rendering import TemplateSource

TEMPLATE_NAME = r"^[A-Za-z0-9_\-/]+\.j2$"


class MessageParams(Params):
    """Exactly one of `template` (a file under templates/) and `text` (written in the rule)."""

    template: str | None = Field(None, pattern=TEMPLATE_NAME, max_length=120)
    text: str | None = Field(None, min_length=1, max_length=4000)

    @model_validator(mode="after")
    def _one_source(self) -> Self:
        if (self.template is None) == (self.text is None):
            raise ValueError(N_("give either a template file or the text of the message"))
        if self.template is not None and ".." in self.template:
            raise ValueError(N_("a template name may not leave the templates folder"))
        return self

    @property
    def source(self) -> TemplateSource:
        return TemplateSource(name=self.template, text=self.text)


OPEN_ITEM = N_("Open #{id}")


async def render_for(ctx: KindContext, params: MessageParams, recipient: Recipient) -> str:
    context = ctx.renderer.context(ctx.subject, recipient.language, ctx.now)
    text = await ctx.renderer.render(params.source, context)
    ctx.result.update(recipient=recipient.name, role=recipient.role)
    return text


async def send_to_staff(ctx: KindContext, params: MessageParams, recipient: Recipient) -> None:
    """Staff and team chats get a button that opens the item."""
    text = await render_for(ctx, params, recipient)
    item_id = ctx.subject.item.id
    button = Button(translate(OPEN_ITEM, recipient.language, id=item_id), item_id=item_id)
    await ctx.effects.send_message(recipient, text, [[button]])


async def validate_message(params: MessageParams, check: Validation) -> None:
    await check.renderer.validate(
        params.source, check.renderer.context(check.sample, "en", check.now))


def summary_source(params: MessageParams) -> str:
    if params.template:
        return params.template
    text = " ".join((params.text or "").split())
    return f"“{text[:40]}…”" if len(text) > 40 else f"“{text}”"
