"""The pipeline overview: per open stage how many items and their sum, the pipeline's total,
a button per stage (its list), whose items, and a button per pipeline. Pure functions."""

from __future__ import annotations

from dataclasses import dataclass

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _

from bot.common.formatting import escape
from bot.lists.callbacks import ListCb
from bot.lists.views import sums_text
from bot.overview.callbacks import OverviewCb
from crm.models import EntityType, Pipeline, localized
from crm.services.overview import PipelineOverview, Totals


@dataclass(frozen=True, slots=True)
class PipelineChoice:
    """A pipeline the overview offers, with its type (the list filters go by the type)."""

    pipeline: Pipeline
    entity_type: EntityType
    several: bool  # its type has several pipelines: the button names the pipeline too

    def label(self, language: str) -> str:
        label = localized(self.entity_type, language)
        return label + " · " + localized(self.pipeline, language) if self.several else label


def _figures(totals: Totals, language: str) -> str:
    if not totals.count:
        return "0"
    return f"{totals.count} · {escape(sums_text(totals, language))}"


def overview_text(overview: PipelineOverview, choice: PipelineChoice, language: str) -> str:
    whose = _("the team's open items") if overview.team else _("my open items")
    lines = [f"📊 <b>{escape(choice.label(language))}</b> · {whose}", ""]
    for row in overview.stages:
        lines.append(f"• {escape(localized(row.stage, language))}: "
                     f"{_figures(row.totals, language)}")
    lines += ["", "<b>{total}</b>: {figures}".format(
        total=_("Total"), figures=_figures(overview.total, language))]
    if not overview.total.count:
        lines.append(_("Nothing open here yet. Create one with /new."))
    else:
        lines.append(_("Tap a stage to see its items."))
    return "\n".join(lines)


def _button(text: str, data: OverviewCb | ListCb) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=data.pack())


def overview_keyboard(overview: PipelineOverview, choice: PipelineChoice,
                      choices: list[PipelineChoice], may_see_team: bool,
                      language: str) -> InlineKeyboardMarkup:
    mine = 0 if overview.team else 1
    stage_buttons = [
        _button(f"{localized(row.stage, language)} ({row.totals.count})",
                ListCb(mine=mine, type_pos=choice.entity_type.position, stage_id=row.stage.id))
        for row in overview.stages
    ]
    rows = [stage_buttons[i:i + 2] for i in range(0, len(stage_buttons), 2)]
    team = int(overview.team)
    if may_see_team:
        rows.append([
            _button(("✅ " if not team else "") + _("Mine"),
                    OverviewCb(pipeline_id=overview.pipeline.id, team=0)),
            _button(("✅ " if team else "") + _("Team"),
                    OverviewCb(pipeline_id=overview.pipeline.id, team=1)),
        ])
    if len(choices) > 1:
        buttons = [_button(("✅ " if c.pipeline.id == overview.pipeline.id else "")
                           + c.label(language), OverviewCb(pipeline_id=c.pipeline.id, team=team))
                   for c in choices]
        rows += [buttons[i:i + 3] for i in range(0, len(buttons), 3)]
    return InlineKeyboardMarkup(inline_keyboard=rows)
