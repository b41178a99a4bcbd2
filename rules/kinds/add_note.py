"""Add a note to the item (Bitrix's "add comment"): a text written in the rule, or a message
template file, rendered with the item's data; the note's author is automation (no staff
member). It shows on the card and in the card's history like the notes staff write."""

from __future__ import annotations

import html
import re

from crm.i18n import N_, translate
from crm.services.notes import MAX_NOTE, add_note
from crm.text import multi_line
from rules.kinds.base import KindContext, KindGroup, RuleKind, Validation
from rules.kinds.messages import MessageParams, summary_source, validate_message
from rules.kinds.values import checked_value, render_plain

ADD = N_("add the note “{text}”")
EMPTY = N_("add no note: the text is empty for this item")
_TAG = re.compile(r"<[^>]*>")
SHOWN = 200  # characters of the note test mode shows


def plain(telegram_html: str) -> str:
    """A message template's output as a note's plain text: tags gone, entities read."""
    return html.unescape(_TAG.sub("", telegram_html))


def fit(text: str) -> str:
    """A rendered note longer than a note may be, cut with "…" (the rule's run still adds
    it: the template's data, not the rule, made it long)."""
    return text if len(text) <= MAX_NOTE else text[:MAX_NOTE - 1].rstrip() + "…"


class AddNote(RuleKind[MessageParams]):
    code = "add_note"
    group = KindGroup.DATA
    name = N_("Add a note")
    params_model = MessageParams

    async def execute(self, ctx: KindContext, params: MessageParams) -> None:
        language = ctx.config.default_language
        context = ctx.renderer.context(ctx.subject, language, ctx.now)
        if params.text is not None:  # data, not a Telegram message: rendered unescaped
            rendered = await render_plain(ctx.renderer, params.text, context)
        else:
            rendered = plain(await ctx.renderer.render(params.source, context))
        text = fit(multi_line(rendered))
        ctx.result.update(note=text[:SHOWN])
        if not text:
            await ctx.effects.apply(translate(EMPTY, language), _nothing)
            return
        item_id, now = ctx.subject.item.id, ctx.now
        shown = " ".join(text.split())
        shown = shown if len(shown) <= SHOWN else shown[:SHOWN - 1] + "…"

        async def write() -> None:
            await add_note(ctx.uow, item_id, text, now)  # author None: automation

        await ctx.effects.apply(translate(ADD, language, text=shown), write)

    async def validate(self, params: MessageParams, check: Validation) -> None:
        if params.text is not None:
            await checked_value(check, params.text)
        else:
            await validate_message(params, check)

    def summary(self, params: MessageParams, language: str) -> str:
        return f"{translate(self.name, language)}: {summary_source(params)}"


async def _nothing() -> None:
    return None


KIND = AddNote()
