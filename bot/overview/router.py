"""/pipeline [type]: the pipeline overview (also the main menu's 📊 Pipeline, which calls
show_pipeline_overview), its whose-items and pipeline buttons. A stage's button opens the
/items list of that stage (bot/lists)."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command, CommandObject
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.i18n import gettext as _

from bot.board.buttons import with_board_button
from bot.common.replies import edit_or_send, usage
from bot.new_item.quick_form import find_type
from bot.overview.callbacks import OverviewCb
from bot.overview.views import PipelineChoice, overview_keyboard, overview_text
from bot.settings import Settings
from crm.container import CrmServices
from crm.models import Staff


async def _choices(services: CrmServices) -> list[PipelineChoice]:
    """Every pipeline of the types the lists offer, in the types' order."""
    choices = []
    for entity_type in await services.catalog.types():
        pipelines = await services.catalog.pipelines(entity_type.code)
        choices += [PipelineChoice(p, entity_type, len(pipelines) > 1) for p in pipelines]
    return choices


def _default(choices: list[PipelineChoice], type_code: str = "deal") -> PipelineChoice | None:
    of_type = [c for c in choices if c.entity_type.code == type_code]
    return next((c for c in of_type if c.pipeline.is_default), None) or \
        (of_type[0] if of_type else None)


async def _screen(services: CrmServices, staff: Staff, choices: list[PipelineChoice],
                  choice: PipelineChoice, team: bool, lang: str
                  ) -> tuple[str, InlineKeyboardMarkup]:
    overview = await services.overview.pipeline(staff, choice.pipeline.id, team)
    return (overview_text(overview, choice, lang),
            overview_keyboard(overview, choice, choices, staff.sees_all_items, lang))


async def show_pipeline_overview(message: Message, services: CrmServices, staff: Staff,
                                 lang: str, settings: Settings, type_word: str = "") -> None:
    """The overview of the deals' pipeline (or of `type_word`'s), of my own items."""
    choices = await _choices(services)
    if type_word:
        entity_type = find_type([c.entity_type for c in choices], type_word)
        choice = _default(choices, entity_type.code) if entity_type else None
        if choice is None:
            await usage(message, _("/pipeline [type], e.g. /pipeline deal"))
            return
    else:
        choice = _default(choices) or (choices[0] if choices else None)
    if choice is None:
        await message.answer(_("There is no pipeline yet."))
        return
    text, keyboard = await _screen(services, staff, choices, choice, False, lang)
    # the same pipeline on the board (with WEBAPP_URL)
    await message.answer(text, reply_markup=with_board_button(keyboard, settings,
                                                              pipeline=choice.pipeline.id))


async def pipeline_command(message: Message, command: CommandObject, services: CrmServices,
                           staff: Staff, lang: str, settings: Settings) -> None:
    await show_pipeline_overview(message, services, staff, lang, settings,
                                 (command.args or "").strip())


async def switch(query: CallbackQuery, callback_data: OverviewCb, services: CrmServices,
                 staff: Staff, lang: str, settings: Settings) -> None:
    choices = await _choices(services)
    choice = next((c for c in choices if c.pipeline.id == callback_data.pipeline_id), None)
    if choice is None:
        await query.answer(_("This pipeline no longer exists."), show_alert=True)
        return
    text, keyboard = await _screen(services, staff, choices, choice, bool(callback_data.team),
                                   lang)
    await edit_or_send(query, text, with_board_button(keyboard, settings,
                                                      pipeline=choice.pipeline.id))
    await query.answer()


def create_router() -> Router:
    router = Router(name=__name__)
    router.message.register(pipeline_command, Command("pipeline"))
    router.callback_query.register(switch, OverviewCb.filter())
    return router
