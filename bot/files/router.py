"""Client files for staff: `/files <item>` lists them, a button sends one again by its
file_id; a shared contact's number replaces the kept one when staff choose so."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Command, CommandObject
from aiogram.types import CallbackQuery, Message

from bot.common.replies import bot_of, parse_item_id, usage
from bot.files.callbacks import FileAction, FileCb
from bot.files.lines import file_line
from bot.files.media import send_file
from bot.files.views import (
    file_gone,
    files_keyboard,
    files_text,
    files_usage,
    phone_kept,
    phone_used,
    telegram_lost_file,
)
from bot.settings import Settings
from crm.container import CrmServices
from crm.models import Staff
from crm.services.client_files import FileMissing


async def files_command(message: Message, command: CommandObject, services: CrmServices,
                        staff: Staff, lang: str, settings: Settings) -> None:
    item_id = parse_item_id(command.args)
    if item_id is None:
        await usage(message, files_usage())
        return
    files = await services.client_files.files(staff, item_id)
    await message.answer(files_text(item_id, files, lang, settings.timezone),
                         reply_markup=files_keyboard(files))


async def send_again(query: CallbackQuery, callback_data: FileCb, services: CrmServices,
                     staff: Staff) -> None:
    try:
        file = await services.client_files.sendable(staff, callback_data.file_id)
    except FileMissing:
        await query.answer(file_gone(), show_alert=True)
        return
    assert file.file_id is not None  # sendable files have one
    try:
        await send_file(bot_of(query), query.from_user.id, file.kind, file.file_id,
                        f"#{file.item_id} · {file_line(file, 600)}", None)
    except TelegramBadRequest:  # Telegram no longer knows the file_id
        await query.answer(telegram_lost_file(), show_alert=True)
        return
    await query.answer()


async def choose_phone(query: CallbackQuery, callback_data: FileCb, services: CrmServices,
                       staff: Staff) -> None:
    if callback_data.action is FileAction.KEEP_PHONE:
        text = phone_kept()
    else:
        try:
            contact = await services.client_files.use_phone(staff, callback_data.file_id)
        except FileMissing:
            await query.answer(file_gone(), show_alert=True)
            return
        text = phone_used(contact.name, contact.phone or "")
    if isinstance(query.message, Message):
        await query.message.answer(text)
    await query.answer()


def create_router() -> Router:
    router = Router(name=__name__)
    router.message.register(files_command, Command("files"))
    router.callback_query.register(send_again, FileCb.filter(F.action == FileAction.SEND))
    router.callback_query.register(choose_phone, FileCb.filter(F.action != FileAction.SEND))
    return router
