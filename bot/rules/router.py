"""/rules: the automation rules by type → pipeline → stage, each stage with its rules in
order, for staff who may edit settings (the services check it on every call and press).

This feature's routers hang under this one: a rule's buttons, the add/edit dialog, and
rules files. `/rules test` belongs to the automation router, which comes before this one.
"""

from __future__ import annotations

from aiogram import F, Router
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message

from bot.rules import add, condition_builder, files, rule_card, settings_step, when_step
from bot.rules.callbacks import Level, RulesNavCb
from bot.rules.flow import Flow, FlowMiddleware
from bot.rules.screens import show_home, show_pipeline, show_stage, show_type

OVERVIEW = r"^/rules(@\w+)?\s*$"


async def overview(message: Message, state: FSMContext, flow: Flow) -> None:
    await state.clear()
    await show_home(flow)


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


def create_router() -> Router:
    router = Router(name=__name__)
    router.message.register(overview, F.text.regexp(OVERVIEW))
    router.callback_query.register(navigate, RulesNavCb.filter())
    features = (add.create_router(), rule_card.create_router(), files.create_router(),
                settings_step.create_router(), condition_builder.create_router(),
                when_step.create_router())  # last: it answers wrong input in the dialog
    for each in (router, *features):
        each.message.middleware(FlowMiddleware())
        each.callback_query.middleware(FlowMiddleware())
    router.include_routers(*features)
    return router
