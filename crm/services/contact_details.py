"""A contact's phone number, e-mail address and name as typed, checked and made comparable.

- A phone number may be typed with spaces, dashes, dots, slashes and parentheses; it is kept
  as its digits with a leading `+` when it had one (`00` also reads as `+`):
  "+49 (30) 123-456" is kept as "+4930123456", "030 123456" as "030123456". 5 to 15 digits.
- An e-mail address needs one `@`, a name before it and a domain with a dot after it,
  no spaces; it is kept as typed (without surrounding spaces).
- Names are compared by their words without titles (Dr., Prof., Herr, Frau, Mr, Mrs, Ms...),
  in any order, any case, with or without accents: "Dr. Jana Hahn" and "hahn jána" match.
"""

from __future__ import annotations

import re
import unicodedata

from crm.errors import InputProblem, InvalidInput

MAX_EMAIL = 254
MIN_PHONE_DIGITS, MAX_PHONE_DIGITS = 5, 15
# Two numbers are one when their digits (without the leading zeros of a trunk prefix) are
# equal, or one ends with the other and the longer only adds a country code (1-3 digits):
# "+49 30 123456" and "030 123456".
MIN_SAME_DIGITS, MAX_COUNTRY_CODE = 6, 3
TITLES = frozenset({
    "dr", "prof", "professor", "herr", "frau", "hr", "fr", "mr", "mrs", "ms", "miss", "mx",
    "sir", "madam", "dipl", "ing", "med", "phil", "rer", "nat", "jur", "mag", "ba", "msc",
})

_PHONE = re.compile(r"\+?[\d\s().\/-]+")
_EMAIL = re.compile(r"[^@\s<>()\[\],;:\"]+@[A-Za-z0-9\u00c0-\uffff](?:[A-Za-z0-9\u00c0-\uffff-]*"
                    r"[A-Za-z0-9\u00c0-\uffff])?(?:\.[A-Za-z0-9\u00c0-\uffff](?:"
                    r"[A-Za-z0-9\u00c0-\uffff-]*[A-Za-z0-9\u00c0-\uffff])?)+")
_WORD = re.compile(r"[^\W_]+")


def clean_phone(value: str | None) -> str | None:
    """The number as it is kept, None for nothing typed; InvalidInput (NOT_A_PHONE)."""
    if value is None or not value.strip():
        return None
    raw = value.strip()
    digits = re.sub(r"\D", "", raw)
    if not _PHONE.fullmatch(raw) or raw.count("+") > 1 or \
            not MIN_PHONE_DIGITS <= len(digits) <= MAX_PHONE_DIGITS + 2:
        raise InvalidInput(field="phone", value=raw, problem=InputProblem.NOT_A_PHONE)
    if raw.startswith("+"):
        number = "+" + digits
    elif digits.startswith("00"):
        number = "+" + digits[2:]
    else:
        number = digits
    if len(number.lstrip("+")) > MAX_PHONE_DIGITS or len(number.lstrip("+")) < MIN_PHONE_DIGITS:
        raise InvalidInput(field="phone", value=raw, problem=InputProblem.NOT_A_PHONE)
    return number


def clean_email(value: str | None) -> str | None:
    """The address as it is kept, None for nothing typed; InvalidInput (NOT_AN_EMAIL)."""
    if value is None or not value.strip():
        return None
    raw = value.strip()
    if len(raw) > MAX_EMAIL or not _EMAIL.fullmatch(raw) or ".." in raw:
        raise InvalidInput(field="email", value=raw, problem=InputProblem.NOT_AN_EMAIL)
    local, domain = raw.rsplit("@", 1)
    if local.startswith(".") or local.endswith(".") or len(domain.rsplit(".", 1)[1]) < 2:
        raise InvalidInput(field="email", value=raw, problem=InputProblem.NOT_AN_EMAIL)
    return raw


def phone_key(phone: str | None) -> str:
    """The digits a number is compared by: without `+` and leading zeros (as migration
    011's `phone_key` column); "" for no number."""
    return re.sub(r"\D", "", phone or "").lstrip("0")


def same_phone(one: str | None, other: str | None) -> bool:
    a, b = phone_key(one), phone_key(other)
    short, long = sorted((a, b), key=len)
    return len(short) >= MIN_SAME_DIGITS and long.endswith(short) and \
        len(long) - len(short) <= MAX_COUNTRY_CODE


def same_email(one: str | None, other: str | None) -> bool:
    return bool(one and other and one.strip().casefold() == other.strip().casefold())


def fold(word: str) -> str:
    """A word without case and accents (ß as ss)."""
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def name_words(name: str) -> list[str]:
    """The words of a name as typed (NFC), without titles, in their order; a name of titles
    only keeps them."""
    words = _WORD.findall(unicodedata.normalize("NFC", name))
    kept = [w for w in words if fold(w) not in TITLES]
    return kept or words


def name_key(name: str) -> tuple[str, ...]:
    """What two names are compared by: their words without titles, folded, sorted."""
    return tuple(sorted(fold(w) for w in name_words(name)))


def same_name(one: str, other: str) -> bool:
    key = name_key(one)
    return bool(key) and key == name_key(other)
