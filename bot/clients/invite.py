"""The client's start link, offered when staff create an item for a contact who has not
written to the bot yet: rules cannot message such a client until they open it
(bot/clients/link.py connects them; rules/services/reconnect.py runs again what could not
reach them).

The share button is a t.me/share/url link: it opens Telegram's own "forward to…" picker
with the link and a line of text, in every Telegram app, without the bot's inline mode
(switch_inline_query would need inline mode switched on at @BotFather and an inline
handler, and shares only into chats the salesperson picks inside Telegram anyway).
"""

from __future__ import annotations

from urllib.parse import urlencode

from aiogram.types import InlineKeyboardButton, Message
from aiogram.utils.i18n import gettext as _

from bot.clients.deep_links import StartLinks
from bot.common.formatting import escape
from bot.settings import Settings
from crm.container import CrmServices
from crm.models import Staff


async def start_link(message: Message, settings: Settings, contact_id: int) -> str | None:
    """The contact's start link (signed as bot/clients/deep_links.py signs it, with the
    bot's username, which aiogram keeps after the first getMe)."""
    if message.bot is None:
        return None
    links = StartLinks(settings.bot_token.get_secret_value())
    links.username = (await message.bot.me()).username
    return links.link(contact_id)


def share_button(link: str, name: str) -> InlineKeyboardButton:
    text = _("Hello {name}, please open this link so we can write to you on Telegram.").format(
        name=name)
    url = "https://t.me/share/url?" + urlencode({"url": link, "text": text})
    return InlineKeyboardButton(text=_("📤 Share the link"), url=url)


async def start_link_offer(message: Message, services: CrmServices, staff: Staff,
                           settings: Settings, item_id: int
                           ) -> tuple[str, InlineKeyboardButton] | None:
    """For the reply to creating an item: its contact's start link (a line for the card and
    a share button), if the contact has not written to us yet; else None."""
    item = await services.items.get(staff, item_id)
    if item.contact_id is None:
        return None
    contact = await services.clients.contact(item.contact_id)
    if contact.tg_chat_id is not None:
        return None
    link = await start_link(message, settings, contact.id)
    if link is None:
        return None
    return (_("🔗 {name} has not written to the bot yet, so messages to the client cannot "
              "reach them. Send them this link — once they open it, they are connected and "
              "the client rules run again:\n{link}").format(name=escape(contact.name),
                                                            link=link),
            share_button(link, contact.name))
