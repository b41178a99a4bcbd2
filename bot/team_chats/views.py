"""The list of team chats."""

from __future__ import annotations

from aiogram.utils.i18n import gettext as _

from bot.common.formatting import escape
from crm.models import TeamChat


def team_chats_text(chats: list[TeamChat]) -> str:
    if not chats:
        return _("No team chats yet. Add me to your team's group and rules can post there.")
    lines = [_("<b>Team chats</b> (rules can post here):")]
    lines += [f"• {escape(chat.title)} <code>{chat.chat_id}</code>" for chat in chats]
    return "\n".join(lines)
