"""The screens of /rules, each shown in place of the one before: all types, a type's
pipelines, a pipeline's stages, a stage's rules, one rule, and picking a target stage."""

from __future__ import annotations

from aiogram.utils.i18n import gettext as _

from bot.common.formatting import escape, localized
from bot.rules import browse_views as keyboards
from bot.rules.browse import (
    pipeline_counts,
    rule_view,
    stage_counts,
    stage_view,
    type_at,
    type_counts,
)
from bot.rules.callbacks import Level, RulesNavCb
from bot.rules.chat import RulesChat
from bot.rules.rule_text import rule_card_text, stage_rules_text, where_text
from bot.rules.summaries import rule_summaries


async def show_home(flow: RulesChat) -> None:
    rows = await type_counts(flow.services, flow.automation, flow.staff)
    text = "\n".join([
        _("<b>⚙️ Automation rules</b> ({count})").format(count=sum(n for _t, n in rows)),
        _("A rule runs when an item enters its stage. Choose a type to see its rules by "
          "stage."),
        "",
        _("/rules add — add a rule\n/rules export — all rules as a YAML file\n"
          "/rules import — replace or add rules from a YAML file\n"
          "/rules test &lt;item&gt; [stage] — try a stage's rules on an item")])
    await flow.show(text, keyboards.types_keyboard(rows, flow.lang))


async def show_type(flow: RulesChat, position: int) -> None:
    entity_type = await type_at(flow.services, position)
    rows = await pipeline_counts(flow.services, flow.automation, flow.staff, entity_type.code)
    if len(rows) == 1:
        await show_pipeline(flow, rows[0][0].id)
        return
    await flow.show(_("<b>⚙️ Rules of {type}</b>: which pipeline?").format(
        type=escape(localized(entity_type, flow.lang))),
        keyboards.pipelines_keyboard(rows, flow.lang))


async def show_pipeline(flow: RulesChat, pipeline_id: int) -> None:
    entity_type, pipeline, rows = await stage_counts(flow.services, flow.automation,
                                                     flow.staff, pipeline_id)
    several = len(await flow.services.catalog.pipelines(entity_type.code)) > 1
    back = (RulesNavCb(level=Level.TYPE, ref=entity_type.position) if several
            else RulesNavCb(level=Level.HOME))
    names = escape(f"{localized(entity_type, flow.lang)} › {localized(pipeline, flow.lang)}")
    await flow.show(_("<b>⚙️ Rules of {where}</b>\nChoose a stage; the number of its rules is "
                      "in brackets.").format(where=names),
                    keyboards.stages_keyboard(rows, back, flow.lang))


async def show_stage(flow: RulesChat, stage_id: int, note: str = "") -> None:
    view = await stage_view(flow.services, flow.automation, flow.staff, stage_id)
    where = where_text(view.entity_type, view.pipeline, view.stage, flow.lang)
    text = stage_rules_text(where, view.rules, flow.lang,
                            await rule_summaries(flow, view.rules))
    await flow.show(f"{note}\n\n{text}" if note else text,
                    keyboards.stage_keyboard(view, flow.lang))


async def show_rule(flow: RulesChat, rule_id: int, note: str = "") -> None:
    rule, view = await rule_view(flow.services, flow.automation, flow.staff, rule_id)
    where = where_text(view.entity_type, view.pipeline, view.stage, flow.lang)
    summary = (await rule_summaries(flow, [rule]))[rule.id]
    await flow.show(rule_card_text(rule, where, view.number_of(rule.id), len(view.rules),
                                   flow.lang, summary, note), keyboards.rule_keyboard(rule))


async def show_targets(flow: RulesChat, rule_id: int, move: bool, level: Level, ref: int) -> None:
    """One level of choosing where to copy or move a rule: types, pipelines, stages."""
    rule = await flow.automation.rules.get(flow.staff, rule_id)
    question = (_("Move “{title}” to which stage?") if move
                else _("Copy “{title}” to which stage?")).format(title=escape(rule.title))
    catalog, lang = flow.services.catalog, flow.lang
    if level is Level.HOME:
        types = await catalog.types()
        choices = [(localized(t, lang), t.position) for t in types]
        markup = keyboards.target_keyboard(choices, move, rule_id, Level.TYPE, None)
    elif level is Level.TYPE:
        pipelines = await catalog.pipelines((await type_at(flow.services, ref)).code)
        if len(pipelines) == 1:
            await show_targets(flow, rule_id, move, Level.PIPELINE, pipelines[0].id)
            return
        choices = [(localized(p, lang), p.id) for p in pipelines]
        markup = keyboards.target_keyboard(choices, move, rule_id, Level.PIPELINE, Level.HOME)
    else:
        _pipeline, stages = await catalog.pipeline(ref)
        choices = [(("• " if s.id == rule.stage_id else "") + localized(s, lang), s.id)
                   for s in stages]
        markup = keyboards.target_keyboard(choices, move, rule_id, Level.STAGE, Level.HOME)
    await flow.show(question, markup)
