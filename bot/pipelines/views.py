"""Pipelines and their stages, for admins."""

from __future__ import annotations

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.common.formatting import escape, localized
from bot.common.texts import kind_text
from bot.items.card import stage_label
from bot.pipelines.callbacks import StageAction, StageCb
from crm.i18n import dash
from crm.models import EntityType, Pipeline, Stage, StageKind

KINDS = [StageKind.PROGRESS, StageKind.SUCCESS, StageKind.FAILURE]


def pipelines_text(listing: list[tuple[EntityType, Pipeline, list[Stage]]], lang: str) -> str:
    lines = [_("<b>Pipelines</b>")]
    for entity_type, pipeline, stages in listing:
        names = " → ".join(escape(stage_label(s, lang)) for s in stages)
        lines.append(f"{escape(localized(entity_type, lang))} · "
                     f"<b>{escape(localized(pipeline, lang))}</b> (#{pipeline.id}): {names}")
    lines.append("")
    lines.append(_("Edit stages: /stages &lt;pipeline number&gt;. "
                   "New pipeline: /pipelines add &lt;type&gt; &lt;name&gt;"))
    return "\n".join(lines)


def stages_text(pipeline: Pipeline, stages: list[Stage], lang: str) -> str:
    lines = [_("<b>Stages of “{name}”</b> (#{id})").format(
        name=escape(localized(pipeline, lang)), id=pipeline.id)]
    for position, stage in enumerate(stages, start=1):
        lines.append(f"{position}. {escape(localized(stage, lang))}{dash(lang)}"
                     f"{kind_text(stage.kind)} (#{stage.id})")
    return "\n".join(lines)


def stages_keyboard(stages: list[Stage], lang: str) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for stage in stages:
        next_kind = KINDS[(KINDS.index(stage.kind) + 1) % len(KINDS)]
        builder.button(text=f"↑ {localized(stage, lang)[:14]}",
                       callback_data=StageCb(action=StageAction.UP, stage_id=stage.id))
        builder.button(text="↓", callback_data=StageCb(action=StageAction.DOWN,
                                                       stage_id=stage.id))
        builder.button(text="→ " + kind_text(next_kind), callback_data=StageCb(
            action=StageAction.KIND, stage_id=stage.id, value=KINDS.index(next_kind)))
    builder.adjust(3)
    return builder.as_markup()
