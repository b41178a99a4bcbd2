"""One rule's buttons: open, reorder, disable/enable, execution, copy or move to another
stage, delete (after asking), change a part (enters the dialog at that step), and whether
a new rule applies to the items already in its stage."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext

from bot.common.formatting import escape
from bot.rules.browse_views import confirm_delete_keyboard
from bot.rules.callbacks import Level, RuleAction, RuleCb, TargetCb
from bot.rules.choices import params_to_change
from bot.rules.flow import Flow
from bot.rules.screens import show_rule, show_stage, show_targets
from bot.rules.states import RuleDialog
from crm.access import require_settings_right
from rules.kinds import CATALOGUE
from rules.model import Execution
from rules.shipped_titles import shown_title

A = RuleAction
EDITS = {A.TITLE: "title", A.PARAMS: "params", A.TIMING: "timing", A.CONDITION: "condition"}


async def open_rule(query: CallbackQuery, callback_data: RuleCb, flow: Flow) -> None:
    await show_rule(flow, callback_data.rule_id)
    await query.answer()


async def shift(query: CallbackQuery, callback_data: RuleCb, flow: Flow) -> None:
    offset = -1 if callback_data.action is A.UP else 1
    await flow.automation.rules.shift(flow.staff, callback_data.rule_id, offset)
    await show_rule(flow, callback_data.rule_id)
    await query.answer(_("Moved up.") if offset < 0 else _("Moved down."))


async def enable(query: CallbackQuery, callback_data: RuleCb, flow: Flow) -> None:
    enabled = callback_data.action is A.ENABLE
    await flow.automation.rules.set_enabled(flow.staff, callback_data.rule_id, enabled)
    await show_rule(flow, callback_data.rule_id)
    await query.answer(_("Enabled.") if enabled else _("Disabled: it will not run until "
                                                       "enabled again."))


async def execution(query: CallbackQuery, callback_data: RuleCb, flow: Flow) -> None:
    value = (Execution.AFTER_PREVIOUS if callback_data.action is A.AFTER_PREVIOUS
             else Execution.INDEPENDENT)
    await flow.automation.rules.update(flow.staff, callback_data.rule_id, execution=value)
    await show_rule(flow, callback_data.rule_id)
    await query.answer(_("Saved."))


async def change_part(query: CallbackQuery, callback_data: RuleCb, state: FSMContext,
                      flow: Flow) -> None:
    rule = await flow.automation.rules.get(flow.staff, callback_data.rule_id)
    part = EDITS[callback_data.action]
    await state.set_data({"rule_id": rule.id, "kind": rule.kind, "changes": [part],
                          "params": params_to_change(CATALOGUE[rule.kind], rule.params)
                          if part == "params" else rule.params,
                          "current": rule.params, "asked": [],
                          "pipeline_id": rule.pipeline_id,
                          "working": rule.timing.working_hours_only,
                          "responsible_hours": rule.timing.responsible_hours})
    if part == "title":
        await state.set_state(RuleDialog.title)
        await flow.show(_("New title for “{title}”? (/cancel to stop)").format(
            title=escape(shown_title(rule.title, flow.lang))))
    elif part == "params":
        await flow.ask_settings()
    elif part == "timing":
        await flow.ask_timing()
    else:
        await flow.ask_condition()
    await query.answer()


async def pick_target(query: CallbackQuery, callback_data: RuleCb, flow: Flow) -> None:
    await show_targets(flow, callback_data.rule_id, callback_data.action is A.MOVE,
                       Level.HOME, 0)
    await query.answer()


async def target(query: CallbackQuery, callback_data: TargetCb, flow: Flow) -> None:
    move = bool(callback_data.move)
    if callback_data.level is not Level.STAGE:
        await show_targets(flow, callback_data.rule_id, move, callback_data.level,
                           callback_data.ref)
        await query.answer()
        return
    rule = await flow.automation.rules.copy_to(flow.staff, callback_data.rule_id,
                                               callback_data.ref, move=move)
    await show_rule(flow, rule.id, _("✅ Moved.") if move else _("✅ Copied."))
    await query.answer()


async def ask_delete(query: CallbackQuery, callback_data: RuleCb, flow: Flow) -> None:
    rule = await flow.automation.rules.get(flow.staff, callback_data.rule_id)
    await flow.show(_("Delete the rule “{title}”? Runs still waiting for it are cancelled; "
                      "this cannot be undone.").format(
        title=escape(shown_title(rule.title, flow.lang))),
                    confirm_delete_keyboard(rule.id))
    await query.answer()


async def delete(query: CallbackQuery, callback_data: RuleCb, flow: Flow) -> None:
    rule = await flow.automation.rules.delete(flow.staff, callback_data.rule_id)
    await show_stage(flow, rule.stage_id, _("🗑 Deleted “{title}”.").format(
        title=escape(rule.title)))
    await query.answer()


async def apply(query: CallbackQuery, callback_data: RuleCb, flow: Flow) -> None:
    if callback_data.action is A.KEEP:
        require_settings_right(flow.staff)  # nothing to call, but the press is checked all the same
        await flow.show(_("OK: the rule runs only for items that enter the stage from now on."))
    else:
        count = await flow.automation.rules.apply_to_existing(flow.staff, callback_data.rule_id)
        await flow.show(ngettext("▶️ Applied to {count} item already in the stage.",
                                 "▶️ Applied to {count} items already in the stage.",
                                 count).format(count=count))
    await query.answer()


def create_router() -> Router:
    router = Router(name=__name__)
    router.callback_query.register(open_rule, RuleCb.filter(F.action == A.OPEN))
    router.callback_query.register(shift, RuleCb.filter(F.action.in_({A.UP, A.DOWN})))
    router.callback_query.register(enable, RuleCb.filter(F.action.in_({A.DISABLE, A.ENABLE})))
    router.callback_query.register(execution,
                                   RuleCb.filter(F.action.in_({A.AFTER_PREVIOUS, A.INDEPENDENT})))
    router.callback_query.register(change_part, RuleCb.filter(F.action.in_(set(EDITS))))
    router.callback_query.register(pick_target, RuleCb.filter(F.action.in_({A.COPY, A.MOVE})))
    router.callback_query.register(target, TargetCb.filter())
    router.callback_query.register(ask_delete, RuleCb.filter(F.action == A.DELETE))
    router.callback_query.register(delete, RuleCb.filter(F.action == A.CONFIRM_DELETE))
    router.callback_query.register(apply, RuleCb.filter(F.action.in_({A.APPLY, A.KEEP})))
    return router
