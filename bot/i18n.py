"""Translations: gettext catalogs read straight from the `.po` files in `bot/locales`.

aiogram's I18n wants compiled `.mo` files; compiling them in memory with Babel at
start-up keeps the `.po` files the single source and means no build step. Every `.po`
file of a language is merged into one catalog, so each feature keeps its own file.
Message ids are the English texts.
"""

from __future__ import annotations

import gettext
import io
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from aiogram.types import TelegramObject
from aiogram.utils.i18n import I18n, I18nMiddleware
from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from crm.models import Staff

LOCALES_DIR = Path(__file__).parent / "locales"
LANGUAGES = ("de", "en")


def load_catalog(language: str, locales_dir: Path = LOCALES_DIR) -> Catalog:
    merged = Catalog(locale=language)
    for po_file in sorted((locales_dir / language / "LC_MESSAGES").glob("*.po")):
        with po_file.open("rb") as fp:
            for message in read_po(fp, locale=language):
                if message.id and message.string:
                    merged[message.id] = message
    return merged


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
        translations: dict[str, gettext.GNUTranslations] = {}
        for language in LANGUAGES:
            buffer = io.BytesIO()
            write_mo(buffer, load_catalog(language, self.path))
            buffer.seek(0)
            translations[language] = gettext.GNUTranslations(buffer)
        return translations


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
