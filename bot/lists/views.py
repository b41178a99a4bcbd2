"""An item list page: one line and one open-button per item, filters and paging.

Pages go by id (the callback carries the first or last id shown, see ListCb), so a page
costs the same on any page of any list; counts stop at COUNT_CAP ("more than 1,000")."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext

from bot.common.formatting import echo, escape, localized, money, quantity_text
from bot.items.callbacks import CardAction, CardCb
from bot.lists.callbacks import ListCb
from crm.models import EntityType, Stage
from crm.queries import ItemPage
from crm.services.overview import Totals

PAGE_SIZE = 8


@dataclass(slots=True)
class ItemListView:
    page: ItemPage
    filters: ListCb
    types: list[EntityType]
    stages: dict[int, Stage]
    filter_stages: list[Stage] = field(default_factory=list)
    search: str | None = None
    totals: Totals | None = None  # count and sums of the whole list (first page, ≤ COUNT_CAP)
    # every type's name, also of types hidden in this mode (a simple-mode CRM's old leads)
    type_names: dict[str, EntityType] = field(default_factory=dict)


def sums_text(totals: Totals, language: str) -> str:
    """`1.500,00 €`, several currencies joined with +, `—` when nothing has an amount."""
    if not totals.sums:
        return "—"
    return " + ".join(money(amount, currency, language)
                      for currency, amount in sorted(totals.sums.items()))


def _head(view: ItemListView, language: str) -> str:
    page = view.page
    count = quantity_text(Decimal(page.total), language)
    if view.search is not None:
        text = echo(view.search)
        if page.more_than_total:
            return _("Found more than {count} for “{text}”").format(count=count, text=text)
        return _("Found {count} for “{text}”").format(count=count, text=text)
    if page.more_than_total:
        head = ngettext("More than {count} item", "More than {count} items",
                        page.total).format(count=count)
    else:
        head = ngettext("{count} item", "{count} items", page.total).format(count=count)
    first = page.first_position
    if page.items and first is not None and (page.has_newer or page.has_older):
        last = quantity_text(Decimal(first + len(page.items) - 1), language)
        head += f" · {quantity_text(Decimal(first), language)}–{last}"
    return head


def list_text(view: ItemListView, language: str, timezone: str) -> str:
    head = _head(view, language)
    if not view.page.items and view.search is not None:
        return head + "\n" + _("Try another word, or the start of a name or a number.")
    if not view.page.items and not view.filters.closed:
        return head + "\n" + _("Nothing open here. Create one with /new, or show the closed "
                               "ones too.")
    if not view.page.items:
        return head + "\n" + _("Nothing here yet. Create one with /new.")
    type_names = {code: localized(t, language)
                  for code, t in (view.type_names or {t.code: t for t in view.types}).items()}
    lines = [f"<b>{head}</b>"]
    if view.totals is not None and view.totals.sums:
        lines.append(_("Sum: {sums}").format(sums=escape(sums_text(view.totals, language))))
    for item in view.page.items:
        stage = view.stages.get(item.stage_id)
        lines.append(
            f"#{item.id} {escape(type_names.get(item.type_code, item.type_code))} · "
            f"{escape(item.title)} · {escape(money(item.amount, item.currency, language))} · "
            f"{escape(localized(stage, language)) if stage else ''}"
        )
    return "\n".join(lines)


def _button(text: str, data: ListCb | CardCb) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=text, callback_data=data.pack())


def _rows(buttons: list[InlineKeyboardButton], width: int) -> list[list[InlineKeyboardButton]]:
    return [buttons[i:i + width] for i in range(0, len(buttons), width)]


def list_keyboard(view: ItemListView, language: str) -> InlineKeyboardMarkup:
    f = view.filters
    rows = [[_button(f"#{item.id} {item.title[:30]}",
                     CardCb(action=CardAction.OPEN, item_id=item.id))]
            for item in view.page.items]
    if view.search is None:
        def tick(on: bool) -> str:
            return "✅ " if on else ""

        rows.append([
            _button(tick(not f.mine) + _("All"),
                    ListCb(mine=0, type_pos=f.type_pos, stage_id=f.stage_id, closed=f.closed)),
            _button(tick(bool(f.mine)) + _("Mine"),
                    ListCb(mine=1, type_pos=f.type_pos, stage_id=f.stage_id, closed=f.closed)),
            _button(tick(bool(f.closed)) + _("With closed"),
                    ListCb(mine=f.mine, type_pos=f.type_pos, stage_id=f.stage_id,
                           closed=0 if f.closed else 1)),
        ])
        type_buttons = [_button(tick(f.type_pos == 0) + _("All types"),
                                ListCb(mine=f.mine, closed=f.closed))]
        type_buttons += [
            _button(tick(f.type_pos == t.position) + localized(t, language),
                    ListCb(mine=f.mine, type_pos=t.position, closed=f.closed))
            for t in view.types
        ]
        rows += _rows(type_buttons, 3)
        stage_buttons = [
            _button(tick(f.stage_id == s.id) + localized(s, language),
                    ListCb(mine=f.mine, type_pos=f.type_pos,
                           stage_id=0 if f.stage_id == s.id else s.id, closed=f.closed))
            for s in view.filter_stages
        ]
        rows += _rows(stage_buttons, 3)
        paging = []
        shown = view.page.items
        if view.page.has_newer and shown:
            paging.append(_button("◀", ListCb(mine=f.mine, type_pos=f.type_pos,
                                              stage_id=f.stage_id, after=shown[0].id,
                                              closed=f.closed)))
        if view.page.has_older and shown:
            paging.append(_button("▶", ListCb(mine=f.mine, type_pos=f.type_pos,
                                              stage_id=f.stage_id, before=shown[-1].id,
                                              closed=f.closed)))
        if paging:
            rows.append(paging)
    return InlineKeyboardMarkup(inline_keyboard=rows)
