"""/rules: the automation rules by type → pipeline → stage, each stage with its rules in
order, for staff who may edit settings (the services check it on every call and press).

This feature's routers hang under this one: a rule's buttons, the add/edit dialog, and
rules files. `/rules test` belongs to the automation router, which comes before this one.
"""

from __future__ import annotations

from aiogram import F, Router
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.routers import rules_add, rules_card, rules_files, rules_settings, rules_when
from bot.rules_callbacks import Level, RulesNavCb
from bot.rules_flow import Flow, FlowMiddleware
from bot.rules_screens import show_home, show_pipeline, show_stage, show_type

router = Router(name=__name__)
OVERVIEW = r"^/rules(@\w+)?\s*$"


@router.message(F.text.regexp(OVERVIEW))
async def overview(message: Message, state: FSMContext, flow: Flow) -> None:
    await state.clear()
    await show_home(flow)


@router.callback_query(RulesNavCb.filter())
async def navigate(query: CallbackQuery, callback_data: RulesNavCb, flow: Flow) -> None:
    level, ref = callback_data.level, callback_data.ref
    if level is Level.TYPE:
        await show_type(flow, ref)
    elif level is Level.PIPELINE:
        await show_pipeline(flow, ref)
    elif level is Level.STAGE:
        await show_stage(flow, ref)
    else:
        await show_home(flow)
    await query.answer()


_feature = (rules_add.router, rules_card.router, rules_files.router, rules_settings.router,
            rules_when.router)  # rules_when last: it answers wrong input in the dialog
for _router in (router, *_feature):
    _router.message.middleware(FlowMiddleware())
    _router.callback_query.middleware(FlowMiddleware())
router.include_routers(*_feature)
