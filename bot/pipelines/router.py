"""/pipelines, /stages and /types: the shape of the processes (settings right needed)."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command, CommandObject
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _

from bot.common.formatting import escape, localized
from bot.common.replies import edit_or_send, usage
from bot.new_item.quick_form import find_type
from bot.pipelines.callbacks import StageAction, StageCb
from bot.pipelines.views import KINDS, pipelines_text, stages_keyboard, stages_text
from crm.access import require_settings_right
from crm.container import CrmServices
from crm.errors import Entity, NotFound
from crm.models import Staff, StageKind


async def pipelines(message: Message, command: CommandObject, services: CrmServices,
                    staff: Staff, lang: str) -> None:
    require_settings_right(staff)
    words = (command.args or "").split(maxsplit=2)
    types = await services.catalog.types(include_hidden=True)
    if len(words) == 3 and words[0].lower() == "add":
        entity_type = find_type(types, words[1])
        if entity_type is None:
            raise NotFound(what=Entity.TYPE, ref=words[1])
        pipeline = await services.catalog.add_pipeline(staff, entity_type.code, words[2])
        await message.answer(_("Pipeline “{name}” (#{id}) added with default stages. "
                               "Edit them with /stages {id}.").format(
            name=escape(localized(pipeline, lang)), id=pipeline.id))
        return
    if words and words[0].lower() == "add":
        await usage(message, _("/pipelines add <type> <name>, e.g. /pipelines add deal Export"))
        return
    chosen = [find_type(types, words[0])] if words else types
    listing = []
    for entity_type in chosen:
        if entity_type is None:
            raise NotFound(what=Entity.TYPE, ref=words[0])
        for pipeline in await services.catalog.pipelines(entity_type.code):
            _p, stages = await services.catalog.pipeline(pipeline.id)
            listing.append((entity_type, pipeline, stages))
    await message.answer(pipelines_text(listing, lang))


async def stages(message: Message, command: CommandObject, services: CrmServices,
                 staff: Staff, lang: str) -> None:
    require_settings_right(staff)
    words = (command.args or "").split(maxsplit=2)
    if len(words) == 1 and words[0].isdigit():
        await _show(message, services, int(words[0]), lang)
        return
    if len(words) == 3 and words[0] == "add" and words[1].isdigit():
        name, kind = _name_and_kind(words[2])
        stage = await services.catalog.add_stage(staff, int(words[1]), name, kind)
        await _show(message, services, stage.pipeline_id, lang)
        return
    if len(words) == 3 and words[0] == "rename" and words[1].isdigit():
        stage = await services.catalog.rename_stage(staff, int(words[1]), words[2])
        await _show(message, services, stage.pipeline_id, lang)
        return
    await usage(message, _("/stages <pipeline> — show and reorder; "
                           "/stages add <pipeline> <name> [success|failure]; "
                           "/stages rename <stage> <new name>"))


async def stage_button(query: CallbackQuery, callback_data: StageCb, services: CrmServices,
                       staff: Staff, lang: str) -> None:
    require_settings_right(staff)
    if callback_data.action is StageAction.KIND and 0 <= callback_data.value < len(KINDS):
        stage = await services.catalog.set_stage_kind(staff, callback_data.stage_id,
                                                      KINDS[callback_data.value])
    else:
        offset = -1 if callback_data.action is StageAction.UP else 1
        stage = (await services.catalog.move_stage(staff, callback_data.stage_id, offset))[0]
    pipeline, stage_list = await services.catalog.pipeline(stage.pipeline_id)
    await edit_or_send(query, stages_text(pipeline, stage_list, lang),
                       stages_keyboard(stage_list, lang))
    await query.answer(_("Saved."))


async def types(message: Message, command: CommandObject, services: CrmServices,
                staff: Staff, lang: str) -> None:
    args = (command.args or "").strip()
    if args.lower().startswith("add "):
        name, _sep, stage_spec = args[4:].partition(";")
        created = await services.catalog.add_smart_type(
            staff, name, [s for s in stage_spec.split(",") if s.strip()])
        await message.answer(_("Smart process “{name}” created. Create items with "
                               "/new {code} &lt;title&gt;.").format(
            name=escape(localized(created, lang)), code=created.code))
        return
    require_settings_right(staff)
    listing = "\n".join(f"• {escape(localized(t, lang))} ({t.code})"
                        for t in await services.catalog.types(include_hidden=True))
    await message.answer(listing + "\n\n" + _(
        "Add a smart process: /types add <name>; <stage>, <stage>, <stage:success>, "
        "<stage:failure>").replace("<", "&lt;").replace(">", "&gt;"))


async def _show(message: Message, services: CrmServices, pipeline_id: int, lang: str) -> None:
    pipeline, stage_list = await services.catalog.pipeline(pipeline_id)
    await message.answer(stages_text(pipeline, stage_list, lang),
                         reply_markup=stages_keyboard(stage_list, lang))


def _name_and_kind(text: str) -> tuple[str, StageKind]:
    name, _sep, last = text.rpartition(" ")
    try:
        return (name, StageKind(last.lower())) if name else (text, StageKind.PROGRESS)
    except ValueError:
        return text, StageKind.PROGRESS


def create_router() -> Router:
    router = Router(name=__name__)
    router.message.register(pipelines, Command("pipelines"))
    router.message.register(stages, Command("stages"))
    router.callback_query.register(stage_button, StageCb.filter())
    router.message.register(types, Command("types"))
    return router
