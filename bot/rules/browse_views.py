"""Keyboards of /rules: browsing type → pipeline → stage, a stage's rules, one rule's actions,
and picking the stage a rule is copied or moved to."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.rules.browse import StageView
from bot.rules.callbacks import AddCb, Level, RuleAction, RuleCb, RulesNavCb, TargetCb
from crm.models import EntityType, Pipeline, Stage, localized
from rules.model import Execution, Rule
from rules.shipped_titles import shown_title

MAX_LABEL = 40


def counted(name: str, count: int) -> str:
    return f"{name} ({count})" if count else name


def choice_keyboard(choices: list[tuple[str, CallbackData]], back: CallbackData | None = None,
                    columns: int = 2) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for text, data in choices:
        builder.button(text=text[:MAX_LABEL], callback_data=data)
    builder.adjust(columns)
    if back is not None:
        builder.row()
        builder.button(text=_("⬅ Back"), callback_data=back)
    return builder.as_markup()


def types_keyboard(rows: list[tuple[EntityType, int]], lang: str) -> InlineKeyboardMarkup:
    choices: list[tuple[str, CallbackData]] = [
        (counted(localized(t, lang), n), RulesNavCb(level=Level.TYPE, ref=t.position))
        for t, n in rows]
    choices.append((_("➕ Add a rule"), AddCb()))
    return choice_keyboard(choices)


def pipelines_keyboard(rows: list[tuple[Pipeline, int]], lang: str) -> InlineKeyboardMarkup:
    return choice_keyboard(
        [(counted(localized(p, lang), n), RulesNavCb(level=Level.PIPELINE, ref=p.id))
         for p, n in rows], RulesNavCb(level=Level.HOME), columns=1)


def stages_keyboard(rows: list[tuple[Stage, int]], back: CallbackData, lang: str
                    ) -> InlineKeyboardMarkup:
    return choice_keyboard(
        [(counted(localized(s, lang), n), RulesNavCb(level=Level.STAGE, ref=s.id))
         for s, n in rows], back)


def stage_keyboard(view: StageView, lang: str) -> InlineKeyboardMarkup:
    choices: list[tuple[str, CallbackData]] = [
        (f"{number}. {'⏸ ' if not rule.enabled else ''}{shown_title(rule.title, lang)}",
         RuleCb(action=RuleAction.OPEN, rule_id=rule.id))
        for number, rule in enumerate(view.rules, start=1)]
    choices.append((_("➕ Add a rule here"), AddCb(stage_id=view.stage.id)))
    return choice_keyboard(choices, RulesNavCb(level=Level.PIPELINE, ref=view.pipeline.id),
                           columns=1)


def rule_keyboard(rule: Rule) -> InlineKeyboardMarkup:
    def cb(action: RuleAction) -> RuleCb:
        return RuleCb(action=action, rule_id=rule.id)

    after = rule.execution is Execution.AFTER_PREVIOUS
    builder = InlineKeyboardBuilder()
    builder.button(text=_("✏️ Title"), callback_data=cb(RuleAction.TITLE))
    builder.button(text=_("✏️ Settings"), callback_data=cb(RuleAction.PARAMS))
    builder.button(text=_("🔀 Run independently") if after else _("🔗 Run after the previous"),
                   callback_data=cb(RuleAction.INDEPENDENT if after else RuleAction.AFTER_PREVIOUS))
    builder.button(text=_("🕒 Time"), callback_data=cb(RuleAction.TIMING))
    builder.button(text=_("❓ Condition"), callback_data=cb(RuleAction.CONDITION))
    builder.button(text="⬆", callback_data=cb(RuleAction.UP))
    builder.button(text="⬇", callback_data=cb(RuleAction.DOWN))
    builder.button(text=_("⏸ Disable") if rule.enabled else _("▶️ Enable"),
                   callback_data=cb(RuleAction.DISABLE if rule.enabled else RuleAction.ENABLE))
    builder.button(text=_("📋 Copy to stage"), callback_data=cb(RuleAction.COPY))
    builder.button(text=_("➡️ Move to stage"), callback_data=cb(RuleAction.MOVE))
    builder.button(text=_("🗑 Delete"), callback_data=cb(RuleAction.DELETE))
    builder.button(text=_("⬅ Back"), callback_data=RulesNavCb(level=Level.STAGE,
                                                              ref=rule.stage_id))
    builder.adjust(2, 3, 3, 2, 2)
    return builder.as_markup()


def confirm_delete_keyboard(rule_id: int) -> InlineKeyboardMarkup:
    return choice_keyboard([
        (_("🗑 Yes, delete it"), RuleCb(action=RuleAction.CONFIRM_DELETE, rule_id=rule_id)),
        (_("No, keep it"), RuleCb(action=RuleAction.OPEN, rule_id=rule_id))])


def apply_keyboard(rule_id: int, count: int) -> InlineKeyboardMarkup:
    return choice_keyboard([
        (_("▶️ Apply to {count}").format(count=count),
         RuleCb(action=RuleAction.APPLY, rule_id=rule_id)),
        (_("Only new ones"), RuleCb(action=RuleAction.KEEP, rule_id=rule_id))])


def target_keyboard(choices: list[tuple[str, int]], move: bool, rule_id: int, level: Level,
                    back: Level | None, back_ref: int = 0) -> InlineKeyboardMarkup:
    """One level of picking a target: `choices` are (label, ref) at `level`."""
    flag = int(move)
    return choice_keyboard(
        [(label, TargetCb(move=flag, rule_id=rule_id, level=level, ref=ref))
         for label, ref in choices],
        TargetCb(move=flag, rule_id=rule_id, level=back, ref=back_ref) if back
        else RuleCb(action=RuleAction.OPEN, rule_id=rule_id))
