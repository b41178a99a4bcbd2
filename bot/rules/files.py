"""Rules as a YAML file: /rules export sends all rules as rules.yaml; /rules import, then the
file (or the file with the caption /rules import), imports it all or nothing. A file with
problems is answered with every problem and its line (rules_errors), and may be sent again."""

from __future__ import annotations

from aiogram import Bot, F, Router
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.types import BufferedInputFile, Document, Message
from aiogram.utils.i18n import gettext as _

from bot.common.replies import usage
from bot.rules.states import RulesImportDialog
from crm.access import require_settings_right
from crm.models import Staff
from rules.container import Automation
from rules.yaml_io import MAX_FILE

EXPORT = r"^/rules(@\w+)?\s+export\s*$"
IMPORT = r"^/rules(@\w+)?\s+import\s*$"
SUFFIXES = (".yaml", ".yml")


async def export(message: Message, automation: Automation, staff: Staff) -> None:
    text = await automation.files.export_text(staff)
    await message.answer_document(
        BufferedInputFile(text.encode("utf-8"), filename="rules.yaml"),
        caption=_("All automation rules. Keep the file in version control; change it and send "
                  "it back with /rules import."))


async def ask_for_file(message: Message, state: FSMContext, staff: Staff) -> None:
    require_settings_right(staff)
    await state.set_state(RulesImportDialog.file)
    await message.answer(_("Send me the rules file (.yaml) as a document. Rules with a known "
                           "key are updated, the others added; nothing changes if the file "
                           "has a problem. (/cancel to stop)"))


async def import_file(message: Message, bot: Bot, state: FSMContext, automation: Automation,
                      staff: Staff) -> None:
    require_settings_right(staff)
    text = await _read(message, bot, message.document)
    if text is None:
        return
    report = await automation.files.import_text(staff, text)
    await state.clear()
    await message.answer(_("✅ Rules imported: {added} added, {updated} updated.").format(
        added=report.added, updated=report.updated))


async def not_a_file(message: Message) -> None:
    await message.answer(_("Please send the .yaml file as a document (📎), or /cancel."))


async def rules_usage(message: Message) -> None:
    await usage(message, _("/rules — browse and edit the rules; /rules add; /rules export; "
                           "/rules import; /rules test <item> [stage]"))


async def _read(message: Message, bot: Bot, document: Document | None) -> str | None:
    """The file's text, or None after telling the user what is wrong with it."""
    if document is None or not (document.file_name or "").lower().endswith(SUFFIXES):
        await message.answer(_("That is not a .yaml file. Please send the rules file."))
        return None
    if (document.file_size or 0) > MAX_FILE:
        await message.answer(_("That file is too large for a rules file."))
        return None
    content = await bot.download(document)
    try:
        return content.read().decode("utf-8") if content else ""
    except UnicodeDecodeError:
        await message.answer(_("That file is not UTF-8 text. Please save it as UTF-8."))
        return None


def create_router() -> Router:
    router = Router(name=__name__)
    router.message.register(export, F.text.regexp(EXPORT))
    router.message.register(ask_for_file, F.text.regexp(IMPORT))
    router.message.register(import_file, StateFilter(RulesImportDialog.file), F.document)
    router.message.register(import_file, F.document, F.caption.regexp(r"^/rules(@\w+)?\s+import\b"))
    router.message.register(not_a_file, StateFilter(RulesImportDialog.file),
                            ~F.text.startswith("/"))
    router.message.register(rules_usage, Command("rules"))
    return router
