"""Automation per item: /status, /stop, the card's status and stop buttons, and test mode
(/rules test <item> [stage])."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command, CommandObject
from aiogram.types import CallbackQuery, Message
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext

from bot.automation.callbacks import TestSendCb
from bot.automation.status import status_text
from bot.automation.test_mode import rule_report, send_keyboard, sent_toast, test_header
from bot.common.replies import parse_item_id, usage
from bot.items.callbacks import CardAction, CardCb
from bot.settings import Settings
from crm.container import CrmServices
from crm.models import Staff
from rules.container import Automation

TEST_COMMAND = r"^/rules(@\w+)?\s+test\b"


async def _status(services: CrmServices, automation: Automation, staff: Staff, item_id: int,
                  lang: str, settings: Settings) -> str:
    status = await automation.status.status(staff, item_id)
    return status_text(status, await services.catalog.all_stages(), lang, settings.timezone)


async def show_status(message: Message, command: CommandObject, services: CrmServices,
                      automation: Automation, staff: Staff, lang: str, settings: Settings) -> None:
    item_id = parse_item_id(command.args)
    if item_id is None:
        await usage(message, _("/status <number> — what the rules did for an item, "
                               "e.g. /status 12"))
        return
    await message.answer(await _status(services, automation, staff, item_id, lang, settings))


async def press_status(query: CallbackQuery, callback_data: CardCb, services: CrmServices,
                       automation: Automation, staff: Staff, lang: str, settings: Settings) -> None:
    text = await _status(services, automation, staff, callback_data.item_id, lang, settings)
    if isinstance(query.message, Message):
        await query.message.answer(text)
    await query.answer()


async def stop(message: Message, command: CommandObject, automation: Automation,
               staff: Staff) -> None:
    item_id = parse_item_id(command.args)
    if item_id is None:
        await usage(message, _("/stop <number> — stop the automation of an item in its stage"))
        return
    count = await automation.stops.stop(staff, item_id)
    await message.answer(ngettext(
        "⏹ Automation of #{id} stopped in its current stage ({count} waiting rule will not run).",
        "⏹ Automation of #{id} stopped in its current stage ({count} waiting rules will not "
        "run).", count).format(id=item_id, count=count))


async def press_stop(query: CallbackQuery, callback_data: CardCb, automation: Automation,
                     staff: Staff) -> None:
    count = await automation.stops.stop(staff, callback_data.item_id)
    await query.answer(ngettext("Automation stopped ({count} waiting rule will not run).",
                                "Automation stopped ({count} waiting rules will not run).",
                                count).format(count=count), show_alert=True)


async def test_rules(message: Message, services: CrmServices, automation: Automation,
                     staff: Staff, lang: str, settings: Settings) -> None:
    words = (message.text or "").split()[2:]
    item_id = parse_item_id(words[0] if words else None)
    if item_id is None:
        await usage(message, _("/rules test <item> [stage] — try a stage's rules on an item "
                               "without sending anything, e.g. /rules test 12 won"))
        return
    item = await services.items.get(staff, item_id)
    stage = await services.items.resolve_stage(item, " ".join(words[1:])) if words[1:] else None
    preview = await automation.test_mode.preview(staff, item_id, stage.id if stage else None)
    target = await services.catalog.stage(preview.stage_id)
    await message.answer(test_header(preview, target, lang))
    for number, rule in enumerate(preview.rules, start=1):
        await message.answer(rule_report(number, rule, lang, settings.timezone))
    if markup := send_keyboard(preview):
        await message.answer(_("Want to get all of it yourself, as the recipients would – the "
                               "messages, PDFs, e-mails and the rest, each marked as a test?"),
                             reply_markup=markup)


async def send_test_messages(query: CallbackQuery, callback_data: TestSendCb,
                             automation: Automation, staff: Staff) -> None:
    sent = await automation.test_mode.send_to_tester(staff, callback_data.item_id,
                                                     callback_data.stage_id)
    await query.answer(sent_toast(sent), show_alert=False)


def create_router() -> Router:
    router = Router(name=__name__)
    router.message.register(show_status, Command("status"))
    router.callback_query.register(press_status, CardCb.filter(F.action == CardAction.STATUS))
    router.message.register(stop, Command("stop"))
    router.callback_query.register(press_stop, CardCb.filter(F.action == CardAction.STOP))
    router.message.register(test_rules, F.text.regexp(TEST_COMMAND))
    router.callback_query.register(send_test_messages, TestSendCb.filter())
    return router
