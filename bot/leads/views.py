"""Leads created by hand: the source question and the one-line form's parts."""

from __future__ import annotations

from dataclasses import dataclass

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.leads.callbacks import SourceCb
from bot.mode.texts import MANUAL_SOURCES, source_text
from crm.money import Money, parse_money


@dataclass(frozen=True, slots=True)
class LeadLine:
    """`/new lead <title>; <amount>; <contact>; <source>` — all but the title optional."""

    title: str
    money: Money | None
    contact_name: str | None
    source: str | None


def parse_lead_line(args: str) -> LeadLine | None:
    """None unless the text starts with `lead` (the title may be empty: the handler says
    what is missing); a bad amount raises InvalidAmount."""
    head, _sep, rest = args.strip().partition(" ")
    parts = [p.strip() for p in rest.split(";")] + ["", "", ""]
    if head.lower() != "lead":
        return None
    source = parts[3].lower().replace("-", "") or None
    return LeadLine(parts[0], parse_money(parts[1]) if parts[1] else None, parts[2] or None,
                    source)


def lead_line_usage() -> str:
    return _("/new lead <title>; <amount>; <contact>; <source> — source: call, email, "
             "website, event or other, e.g. /new lead Trade fair contact; ; Anna Schmidt; event")


def source_question() -> str:
    return _("New lead. Where did it come from?")


def source_keyboard() -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for index, source in enumerate(MANUAL_SOURCES):
        builder.button(text=source_text(source), callback_data=SourceCb(value=index))
    builder.adjust(3)
    return builder.as_markup()
