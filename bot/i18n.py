"""The bot's side of translations: aiogram's I18n over the catalogs of `crm.i18n`.

aiogram's I18n wants compiled `.mo` files; `crm.i18n` compiles the `.po` files of
`crm/locales` in memory with Babel, so they stay the single source for the bot and the
engine alike and there is no build step. Message ids are the English texts.
"""

from __future__ import annotations

import gettext
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from aiogram.types import TelegramObject
from aiogram.utils.i18n import I18n, I18nMiddleware

from crm.i18n import LANGUAGES, LOCALES_DIR, compile_catalog
from crm.models import Staff

__all__ = ["LANGUAGES", "LanguageMiddleware", "PoI18n", "build_i18n", "pick_language"]


class PoI18n(I18n):
    @contextmanager
    def context(self) -> Iterator[I18n]:
        """aiogram's `gettext` looks the catalog up in I18n's own context variable; a
        subclass gets a variable of its own (ContextInstanceMixin), so set I18n's."""
        token = I18n.set_current(self)
        try:
            yield self
        finally:
            I18n.reset_current(token)

    def find_locales(self) -> dict[str, gettext.GNUTranslations]:
        return {language: compile_catalog(language, Path(self.path)) for language in LANGUAGES}


def pick_language(staff: Staff | None, telegram_code: str | None, default: str) -> str:
    """Staff's own choice first, then the Telegram app's language, then the default."""
    if staff is not None and staff.language in LANGUAGES:
        return staff.language
    code = (telegram_code or "").split("-")[0].lower()
    return code if code in LANGUAGES else default


class LanguageMiddleware(I18nMiddleware):
    async def get_locale(self, event: TelegramObject, data: dict[str, Any]) -> str:
        user = data.get("event_from_user")
        language = pick_language(
            data.get("staff"), user.language_code if user else None, self.i18n.default_locale
        )
        data["lang"] = language
        return language


def build_i18n(default_language: str) -> PoI18n:
    return PoI18n(path=LOCALES_DIR, default_locale=default_language, domain="messages")
