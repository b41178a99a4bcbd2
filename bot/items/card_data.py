"""Card lines of the data automation keeps: the probability, the date of service invoices
print, and the item a copy was made from (a "copy the item" rule, e.g. a recurring deal)."""

from __future__ import annotations

from aiogram.utils.i18n import gettext as _
from babel.dates import format_date

from bot.common.formatting import escape, localized
from crm.service_period import FIELD as SERVICE_DATE
from crm.service_period import parse_service_period
from crm.services.cards import ItemCard
from crm.services.item_edits import PROBABILITY


def card_data_lines(card: ItemCard, language: str) -> list[str]:
    lines = []
    probability = card.item.custom.get(PROBABILITY)
    if isinstance(probability, int) and not isinstance(probability, bool):
        lines.append(_("Probability: {percent} %").format(percent=probability))
    service = parse_service_period(str(card.item.custom.get(SERVICE_DATE) or ""))
    if service is not None:  # the Leistungsdatum invoices print (crm/service_period.py)
        start, end = (format_date(d, "medium", locale=language)
                      for d in (service.start, service.end))
        lines.append(_("Service period: {start} – {end}").format(start=start, end=end)
                     if service.is_period else _("Date of service: {day}").format(day=start))
    if card.copied_from is not None and card.made_from is not None:
        lines.append(_("Made from {type} #{id} (/item {id})").format(
            type=escape(localized(card.made_from, language)), id=card.copied_from))
    elif card.copied_from is not None:
        lines.append(_("Copy of #{id} (/item {id})").format(id=card.copied_from))
    return lines
