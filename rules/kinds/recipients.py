"""Who a message goes to: the item's client, its responsible person, a staff member, a team
chat. Each lookup fails the run with a reason a salesperson can act on."""

from __future__ import annotations

from crm.i18n import language_or
from crm.models import Staff
from rules.kinds.base import KindContext, Recipient, RunFailure
from rules.reason_codes import Reason


def client(ctx: KindContext) -> Recipient:
    contact = ctx.subject.contact
    if contact is None:
        raise RunFailure(Reason.NO_CONTACT)
    language = language_or(contact.language, ctx.config.default_language)
    if contact.tg_chat_id is None:
        unreached = RunFailure(Reason.CLIENT_NOT_STARTED, name=contact.name,
                               link=ctx.config.start_link(contact.id) or "")
        if not ctx.test_mode:
            raise unreached  # runs again when they open their link (rules.services.reconnect)
        ctx.notes.append(unreached)  # test mode shows what they will get all the same
        return Recipient("client", 0, language, contact.name)
    return Recipient("client", contact.tg_chat_id, language, contact.name)


def responsible(ctx: KindContext) -> Recipient:
    staff = ctx.subject.responsible
    if staff is None:
        raise RunFailure(Reason.NO_RESPONSIBLE)
    return _staff(ctx, staff)


async def staff_member(ctx: KindContext, user_id: int) -> Recipient:
    staff = await ctx.uow.staff.get(user_id)
    if staff is None:
        raise RunFailure(Reason.STAFF_NOT_FOUND, id=user_id)
    return _staff(ctx, staff)


async def team_chat(ctx: KindContext, chat_id: int) -> Recipient:
    chat = await ctx.uow.team_chats.get(chat_id)
    if chat is None or not chat.active:
        raise RunFailure(Reason.TEAM_CHAT_GONE, id=chat_id, name=chat.title if chat else "")
    return Recipient("team", chat.chat_id, ctx.config.default_language, chat.title)


def _staff(ctx: KindContext, staff: Staff) -> Recipient:
    if not staff.active:
        raise RunFailure(Reason.STAFF_INACTIVE, name=staff.name)
    return Recipient("staff", staff.user_id,
                     language_or(staff.language, ctx.config.default_language), staff.name)
