"""The main menu's labels, each handed to its command's own handler (the logic stays there),
and the /help groups' buttons.

➕ New item → /new · 📋 My items → /items mine · 📊 Pipeline → /pipeline (the overview) ·
🔎 Search → asks what to look for, then /find · ✅ Tasks →
/activities · ❓ Help → /help. The router comes first among the staff's, so a label works
like a command in the middle of a dialog too.
"""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import CommandObject, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _

from bot.activities.router import my_activities
from bot.common.replies import edit_or_send
from bot.filters import PlainText
from bot.lists.router import find, list_items
from bot.menu.callbacks import HelpCb
from bot.menu.help_views import HelpGroup, group_text, groups_of, help_keyboard
from bot.menu.labels import Label, LabelText
from bot.menu.states import MenuDialog
from bot.new_item.router import new_item
from bot.overview.router import pipeline_command
from bot.settings import Settings
from crm.container import CrmServices
from crm.models import Staff


def _command(name: str, args: str | None = None) -> CommandObject:
    return CommandObject(prefix="/", command=name, args=args)


async def show_help(message: Message, staff: Staff) -> None:
    await message.answer(group_text(HelpGroup.START, staff),
                         reply_markup=help_keyboard(staff, HelpGroup.START))


async def help_group(query: CallbackQuery, callback_data: HelpCb, staff: Staff) -> None:
    group = next((g for g in HelpGroup if g.value == callback_data.group), None)
    if group is None or (group is not HelpGroup.START and group not in groups_of(staff)):
        await query.answer(_("Sorry, only an admin or someone allowed to edit settings may do "
                             "that."), show_alert=True)
        return
    await edit_or_send(query, group_text(group, staff), help_keyboard(staff, group))
    await query.answer()


async def new_label(message: Message, state: FSMContext, services: CrmServices, staff: Staff,
                    lang: str, settings: Settings) -> None:
    await new_item(message, _command("new"), state, services, staff, lang, settings)


async def mine_label(message: Message, services: CrmServices, staff: Staff, lang: str,
                     settings: Settings) -> None:
    await list_items(message, _command("items", "mine"), services, staff, lang, settings)


async def pipeline_label(message: Message, services: CrmServices, staff: Staff, lang: str,
                         settings: Settings) -> None:
    await pipeline_command(message, _command("pipeline"), services, staff, lang, settings)


async def search_label(message: Message, state: FSMContext) -> None:
    await state.set_state(MenuDialog.search)
    await message.answer(_("What are you looking for? Type a name, company, phone number or "
                           "e-mail address (/cancel to stop)."))


async def search_text(message: Message, state: FSMContext, services: CrmServices,
                      staff: Staff, lang: str, settings: Settings) -> None:
    await state.clear()
    await find(message, _command("find", message.text), services, staff, lang, settings)


async def tasks_label(message: Message, services: CrmServices, staff: Staff, lang: str,
                      settings: Settings) -> None:
    await my_activities(message, services, staff, lang, settings)


def create_router() -> Router:
    router = Router(name=__name__)
    router.message.register(new_label, LabelText(Label.NEW))
    router.message.register(mine_label, LabelText(Label.MINE))
    router.message.register(pipeline_label, LabelText(Label.PIPELINE))
    router.message.register(search_label, LabelText(Label.SEARCH))
    router.message.register(tasks_label, LabelText(Label.TASKS))
    router.message.register(show_help, LabelText(Label.HELP))
    router.message.register(search_text, StateFilter(MenuDialog.search), PlainText())
    router.callback_query.register(help_group, HelpCb.filter())
    return router
