"""Forward to create: a salesperson forwards a client's messages to the bot (several within
a few seconds make one offer) and makes a lead or deal of them, or adds them to an item.
A sender who hides their account is asked for by name."""

from __future__ import annotations

import asyncio
from dataclasses import asdict
from typing import Any

from aiogram import F, Router
from aiogram.filters import Filter, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.storage.base import BaseEventIsolation
from aiogram.types import CallbackQuery, Message, MessageOriginUser

from bot.common.replies import edit_or_send, parse_item_id
from bot.files.media import incoming_file
from bot.filters import PlainText
from bot.forwards.callbacks import ForwardAction, ForwardCb
from bot.forwards.states import ForwardDialog
from bot.forwards.views import (
    ask_item,
    ask_name,
    attached,
    cancelled,
    created,
    not_a_number,
    offer_gone,
    offer_keyboard,
    offer_text,
)
from bot.middlewares import UpdatesInFlight
from crm.container import CrmServices
from crm.models import ClientFile, Staff
from crm.services.forwards import MAX_PIECES, Forwarded, Sender

GATHER_SECONDS = 1.5  # forwards this close to each other make one offer
KEY = "forwarded"


class IsForward(Filter):
    """A message forwarded into the private chat with the bot."""

    async def __call__(self, message: Message) -> bool:
        return message.forward_origin is not None and message.chat.type == "private"


def _origin(message: Message) -> dict[str, Any]:
    origin = message.forward_origin
    if isinstance(origin, MessageOriginUser):
        user = origin.sender_user
        return {"name": user.full_name, "user_id": user.id, "username": user.username}
    hint = getattr(origin, "sender_user_name", None) or getattr(origin, "author_signature",
                                                                None)
    chat = getattr(origin, "sender_chat", None) or getattr(origin, "chat", None)
    return {"name": None, "hint": hint or (chat.title if chat is not None else None)}


async def forwarded(message: Message, state: FSMContext, services: CrmServices,
                    staff: Staff, in_flight: UpdatesInFlight,
                    events_isolation: BaseEventIsolation) -> None:
    """Gathers the forward; the last of a few close ones makes the offer."""
    data = (await state.get_data()).get(KEY) if await state.get_state() == \
        ForwardDialog.gathering.state else None
    if data is None:
        data = {"seq": 0, "origin": _origin(message), "pieces": []}
    file = incoming_file(message)
    if len(data["pieces"]) < MAX_PIECES:  # in Telegram's order (handlers may overtake)
        data["pieces"].append({"id": message.message_id,
                               "text": message.text or message.caption or "",
                               "file": asdict(file) if file else None})
    data["seq"] += 1
    mine = data["seq"]
    await state.set_state(ForwardDialog.gathering)
    await state.update_data({KEY: data})
    # Not waiting here: the user's next update (the next forward) is handled only once this
    # handler has ended (event isolation, bot/telegram/dialog_storage.py).
    in_flight.start(_offer_when_quiet(message, state, services, staff, events_isolation, mine))


async def _offer_when_quiet(message: Message, state: FSMContext, services: CrmServices,
                            staff: Staff, isolation: BaseEventIsolation, mine: int) -> None:
    await asyncio.sleep(GATHER_SECONDS)
    async with isolation.lock(state.key):  # as a handler of this user's update would
        now = (await state.get_data()).get(KEY) or {}
        if await state.get_state() != ForwardDialog.gathering.state or now.get("seq") != mine:
            return  # a later forward makes the offer
        origin = now["origin"]
        if origin.get("name"):
            await _offer(message, state, services, staff, now,
                         Sender(origin["name"], origin.get("user_id"), origin.get("username")))
            return
        await state.set_state(ForwardDialog.name)
        text, markup = ask_name(origin.get("hint"))
        await message.answer(text, reply_markup=markup)


async def got_name(message: Message, state: FSMContext, services: CrmServices,
                   staff: Staff) -> None:
    data = (await state.get_data()).get(KEY)
    if data is None:
        await state.clear()
        await message.answer(offer_gone())
        return
    await _offer(message, state, services, staff, data, Sender(message.text or ""))


async def use_hint(query: CallbackQuery, state: FSMContext, services: CrmServices,
                   staff: Staff) -> None:
    data = (await state.get_data()).get(KEY)
    hint = (data or {}).get("origin", {}).get("hint")
    if not hint or not isinstance(query.message, Message):
        await query.answer(offer_gone(), show_alert=True)
        return
    await query.answer()
    await _offer(query.message, state, services, staff, data or {}, Sender(hint))


async def _offer(message: Message, state: FSMContext, services: CrmServices, staff: Staff,
                 data: dict[str, Any], sender: Sender) -> None:
    offer = await services.forwards.offer(staff, sender)
    data["sender"] = asdict(sender)
    await state.set_state(ForwardDialog.offer)
    await state.update_data({KEY: data})
    await message.answer(offer_text(sender.name, _forwarded(data), offer),
                         reply_markup=offer_keyboard(offer))


def _forwarded(data: dict[str, Any]) -> Forwarded:
    pieces = sorted(data.get("pieces") or [], key=lambda p: int(p["id"]))
    return Forwarded([p["text"] for p in pieces],
                     [ClientFile(**p["file"]) for p in pieces if p["file"]])


async def _pending(state: FSMContext) -> tuple[Sender, Forwarded] | None:
    data = (await state.get_data()).get(KEY)
    if not data or not data.get("sender"):
        return None
    return Sender(**data["sender"]), _forwarded(data)


async def pressed(query: CallbackQuery, callback_data: ForwardCb, state: FSMContext,
                  services: CrmServices, staff: Staff) -> None:
    pending = await _pending(state)
    if pending is None:
        await query.answer(offer_gone(), show_alert=True)
        return
    sender, messages = pending
    action = callback_data.action
    if action is ForwardAction.CANCEL:
        await state.clear()
        await edit_or_send(query, cancelled(), None)
    elif action is ForwardAction.ASK_ITEM:
        await state.set_state(ForwardDialog.item)
        await edit_or_send(query, ask_item(), None)
    elif action is ForwardAction.ATTACH:
        item = await services.forwards.attach(staff, callback_data.item_id, sender, messages)
        await state.clear()
        await edit_or_send(query, *attached(item))
    else:
        kind = "lead" if action is ForwardAction.CREATE_LEAD else "deal"
        item = await services.forwards.create(staff, kind, sender, messages)
        await state.clear()
        await edit_or_send(query, *created(item))
    await query.answer()


async def got_item(message: Message, state: FSMContext, services: CrmServices,
                   staff: Staff) -> None:
    item_id = parse_item_id(message.text)
    if item_id is None:
        await message.answer(not_a_number())
        return
    pending = await _pending(state)
    if pending is None:
        await state.clear()
        await message.answer(offer_gone())
        return
    item = await services.forwards.attach(staff, item_id, *pending)
    await state.clear()
    text, markup = attached(item)
    await message.answer(text, reply_markup=markup)


def create_router() -> Router:
    """Forwards: before the other staff routers, so a forward is never taken as a command's
    answer or stray text (messages only: button presses do not pass by)."""
    router = Router(name=__name__)
    router.message.register(forwarded, IsForward())
    return router


def create_dialog_router() -> Router:
    """The offer's buttons and the typed name or item number."""
    router = Router(name=f"{__name__}.dialog")
    router.message.register(got_name, StateFilter(ForwardDialog.name), PlainText())
    router.message.register(got_item, StateFilter(ForwardDialog.item), PlainText())
    router.callback_query.register(use_hint, ForwardCb.filter(F.action == ForwardAction.USE_NAME))
    router.callback_query.register(pressed, ForwardCb.filter())
    return router
