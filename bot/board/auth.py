"""Who calls the board's API: Telegram's signed initData (`Authorization: tma <initData>`),
checked with the bot token (aiogram's checker), not older than WEBAPP_AUTH_MAX_AGE, of a
user who is active staff now. Nothing else the page sends says who it is."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from aiogram.utils.web_app import WebAppInitData, safe_parse_webapp_init_data
from pydantic import ValidationError

SCHEME = "tma "
CLOCK_SKEW = timedelta(minutes=5)  # an auth_date this far ahead of our clock still counts


@dataclass(frozen=True, slots=True)
class Caller:
    user_id: int
    language_code: str | None


class Unauthorized(Exception):
    """No initData, a forged one, or one older than allowed (`caller`: who signed that one,
    so the refusal can be in their language)."""

    def __init__(self, why: str, caller: Caller | None = None) -> None:
        super().__init__(why)
        self.caller = caller


def caller_of(header: str | None, token: str, now: datetime, max_age: timedelta) -> Caller:
    if not header or not header.startswith(SCHEME):
        raise Unauthorized("no initData")
    try:
        data: WebAppInitData = safe_parse_webapp_init_data(token, header[len(SCHEME):].strip())
    except (ValueError, ValidationError) as error:  # a wrong signature, or not initData
        raise Unauthorized("bad initData") from error
    if data.user is None:
        raise Unauthorized("no user")
    caller = Caller(data.user.id, data.user.language_code)
    signed = data.auth_date
    if now - signed > max_age or signed - now > CLOCK_SKEW:
        raise Unauthorized("expired initData", caller)
    return caller
