"""Reading amounts the way salespeople type them: 15000, 15.000,50, 15,000.50, €15k-free.

Separators are ambiguous between German and English habits, so the rule is:
with both '.' and ',' the last one is the decimal mark; with one kind only, a single
mark followed by exactly three digits groups thousands, anything else is decimal.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from crm.errors import InvalidAmount

SIGNS = {"€": "EUR", "$": "USD", "£": "GBP", "₽": "RUB", "¥": "JPY", "₴": "UAH"}
MAX_AMOUNT = Decimal("1000000000000")
_CODE = re.compile(r"[A-Za-z]{3}")
_NUMBER = re.compile(r"\d[\d.,' ]*")


@dataclass(frozen=True, slots=True)
class Money:
    amount: Decimal
    currency: str | None  # None when the text named no currency


def parse_money(text: str) -> Money:
    raw = text.strip()
    currency: str | None = None
    for sign, code in SIGNS.items():
        if sign in raw:
            currency = code
            raw = raw.replace(sign, " ")
    words = raw.split()
    codes = [w for w in words if _CODE.fullmatch(w)]
    if codes:
        if len(codes) > 1 or (currency and codes[0].upper() != currency):
            raise InvalidAmount(value=text)
        currency = codes[0].upper()
        words = [w for w in words if w not in codes]
    number = "".join(words)
    if not number or not _NUMBER.fullmatch(number):
        raise InvalidAmount(value=text)
    amount = _parse_number(number.replace("'", ""), text)
    if amount > MAX_AMOUNT:
        raise InvalidAmount(value=text)
    return Money(amount=amount, currency=currency)


def _parse_number(number: str, original: str) -> Decimal:
    dots, commas = number.count("."), number.count(",")
    if dots and commas:
        decimal_mark = "." if number.rfind(".") > number.rfind(",") else ","
        group_mark = "," if decimal_mark == "." else "."
        if number.count(decimal_mark) > 1:
            raise InvalidAmount(value=original)
        number = number.replace(group_mark, "").replace(decimal_mark, ".")
    elif dots or commas:
        mark = "." if dots else ","
        parts = number.split(mark)
        groups_thousands = (
            all(len(p) == 3 for p in parts[1:])
            and 1 <= len(parts[0]) <= 3
            and not parts[0].startswith("0")
        )
        if len(parts) > 2 and not groups_thousands:
            raise InvalidAmount(value=original)
        number = number.replace(mark, "" if groups_thousands else ".")
    try:
        amount = Decimal(number)
    except InvalidOperation as exc:
        raise InvalidAmount(value=original) from exc
    exponent = amount.as_tuple().exponent
    assert isinstance(exponent, int)  # _NUMBER lets no NaN or infinity through
    if exponent < -2:
        raise InvalidAmount(value=original)
    return amount
