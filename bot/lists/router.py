"""/items (paginated, with filters) and /find."""

from __future__ import annotations

from dataclasses import replace

from aiogram import Router
from aiogram.filters import Command, CommandObject
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _

from bot.common.replies import edit_or_send, usage
from bot.lists.callbacks import ListCb
from bot.lists.views import PAGE_SIZE, ItemListView, list_keyboard, list_text
from bot.new_item.quick_form import find_type
from bot.settings import Settings
from crm.container import CrmServices
from crm.models import EntityType, Staff
from crm.queries import ItemQuery
from crm.services.stage_match import match_stage


async def _view(services: CrmServices, staff: Staff, filters: ListCb) -> ItemListView:
    types = await services.catalog.types()
    entity_type = next((t for t in types if t.position == filters.type_pos), None)
    stages = await services.catalog.all_stages()
    stage = stages.get(filters.stage_id)
    query = ItemQuery(
        type_code=entity_type.code if entity_type else None,
        stage_id=filters.stage_id or None,
        responsible_id=staff.user_id if filters.mine else None,
        # closed items only when asked for, or when the stage asked for is a closing one
        open_only=not filters.closed and not (stage is not None and stage.is_final),
        before=filters.before or None, after=filters.after or None, limit=PAGE_SIZE,
    )
    page = await services.items.page(staff, query)
    totals = None
    if not (filters.before or filters.after) and page.total and not page.more_than_total:
        totals = await services.overview.list_totals(staff, replace(query, limit=PAGE_SIZE))
    pipeline_stages = []
    if entity_type is not None:
        pipelines = await services.catalog.pipelines(entity_type.code)
        pipeline_stages = [s for s in stages.values() if s.pipeline_id in {p.id for p in pipelines}]
    return ItemListView(page, filters, types, stages, pipeline_stages, totals=totals,
                        type_names=await _type_names(services))


async def _type_names(services: CrmServices) -> dict[str, EntityType]:
    return {t.code: t for t in await services.catalog.types(include_hidden=True)}


async def list_items(message: Message, command: CommandObject, services: CrmServices,
                     staff: Staff, lang: str, settings: Settings) -> None:
    filters = ListCb()
    types = await services.catalog.types()
    for word in (command.args or "").split():
        entity_type = find_type(types, word)
        if word.lower() in ("mine", "meine", "my"):
            filters.mine = 1
        elif entity_type is not None:
            filters.type_pos = entity_type.position
        elif filters.type_pos:
            pipelines = await services.catalog.pipelines(
                next(t.code for t in types if t.position == filters.type_pos))
            all_stages = await services.catalog.all_stages()
            stages = [s for s in all_stages.values() if s.pipeline_id == pipelines[0].id]
            filters.stage_id = match_stage(stages, word).id
        else:
            await usage(message, _("/items [mine] [type] [stage], e.g. /items mine deal won"))
            return
    view = await _view(services, staff, filters)
    await message.answer(list_text(view, lang, settings.timezone),
                         reply_markup=list_keyboard(view, lang))


async def page(query: CallbackQuery, callback_data: ListCb, services: CrmServices,
               staff: Staff, lang: str, settings: Settings) -> None:
    view = await _view(services, staff, callback_data)
    await edit_or_send(query, list_text(view, lang, settings.timezone), list_keyboard(view, lang))
    await query.answer()


async def find(message: Message, command: CommandObject, services: CrmServices, staff: Staff,
               lang: str, settings: Settings) -> None:
    text = (command.args or "").strip()
    if len(text) < 2:
        await usage(message, _("/find <text> — searches titles, contacts, companies, phone "
                               "numbers and e-mail addresses"))
        return
    page = await services.items.page(staff, ItemQuery(text=text, limit=PAGE_SIZE))
    view = ItemListView(page, ListCb(), await services.catalog.types(),
                        await services.catalog.all_stages(), [], search=text,
                        type_names=await _type_names(services))
    await message.answer(list_text(view, lang, settings.timezone),
                         reply_markup=list_keyboard(view, lang))


def create_router() -> Router:
    router = Router(name=__name__)
    router.message.register(list_items, Command("items"))
    router.callback_query.register(page, ListCb.filter())
    router.message.register(find, Command("find"))
    return router
