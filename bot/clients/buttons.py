"""A client presses a button a rule's message gave them: answered at once, kept on the
item's timeline, and the item moves to the button's stage (whose rules then run).
A press from anyone but the client the button was sent to changes nothing, and neither does
a press once the offer no longer stands (rules/triggers/service.py says when)."""

from __future__ import annotations

from aiogram import Router
from aiogram.types import CallbackQuery
from aiogram.utils.i18n import gettext as _

from bot.clients.callbacks import ClientButtonCb
from rules.workflow import Workflow


async def press(query: CallbackQuery, callback_data: ClientButtonCb, workflow: Workflow) -> None:
    pressed = await workflow.triggers.press(query.from_user.id, callback_data.token)
    if pressed is None:
        await query.answer(_("This button is not available to you."), show_alert=True)
        return
    if pressed.fired is None:
        await query.answer(_("This offer is no longer open. Just write to us if you "
                             "need anything."), show_alert=True)
        return
    await query.answer(_("Thank you! We have received “{label}”.").format(label=pressed.label))


def create_router() -> Router:
    router = Router(name=__name__)
    router.callback_query.register(press, ClientButtonCb.filter())
    return router
