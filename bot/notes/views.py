"""Notes as the card and its history show them, and the answers of the notes feature."""

from __future__ import annotations

from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext

from bot.common.formatting import echo, escape, moment
from crm.models import TimelineEntry, TimelineKind
from crm.services.cards import ItemCard
from crm.services.notes import MAX_NOTE
from crm.storage.repos.notes import NoteCount

CARD_NOTE = 60  # characters of the latest note on the card's one line


def author(entry: TimelineEntry, names: dict[int, str]) -> str:
    if entry.author_id is None:
        return _("Automation")
    return names.get(entry.author_id) or _("a former team member")


def card_note_lines(card: ItemCard, language: str, timezone: str) -> list[str]:
    """One line under the card's data: how many notes, the latest one shortened."""
    notes = card.extras.get("notes")
    if not isinstance(notes, NoteCount) or notes.latest is None:
        return []
    latest = notes.latest
    names = {latest.author_id: notes.author_name} if latest.author_id and notes.author_name \
        else {}
    who = author(latest, names)
    when = moment(latest.at, language, timezone)
    text = echo(latest.text, CARD_NOTE)
    return [ngettext("📝 {count} note, the latest by {who} {at}: {text}",
                     "📝 {count} notes, the latest by {who} {at}: {text}",
                     notes.count).format(count=notes.count, who=escape(who), at=when,
                                         text=text)]


def history_note_lines(notes: list[TimelineEntry], language: str, timezone: str,
                       names: dict[int, str]) -> list[str]:
    """The card history's notes, oldest first, each with its author and time."""
    if not notes:
        return []
    lines = ["", _("<b>Notes</b> (the latest {count}):").format(count=len(notes))
             if len(notes) > 1 else _("<b>Note</b>:")]
    for entry in notes:
        icon = "📝" if entry.kind is TimelineKind.NOTE else "✏️"  # ✏️: a contact's details
        lines.append(_("{icon} {at}, {who}:").format(
            icon=icon, at=moment(entry.at, language, timezone), who=escape(author(entry, names))))
        lines.append(escape(entry.text))
    return lines


def note_usage() -> str:
    return _("/note <number> <text> — add a note to an item, e.g. /note 12 Called, "
             "wants a quote by Friday. Or reply to the item's card with the note.")


def note_kept(item_id: int) -> str:
    return _("📝 Note kept on #{id}. It shows on the card's history.").format(id=item_id)


def note_too_long(length: int) -> str:
    return _("That note is too long ({length} characters; at most {limit}). Please shorten "
             "it or split it into two notes. Nothing was kept.").format(length=length,
                                                                       limit=MAX_NOTE)


def note_empty() -> str:
    return _("That note is empty. Write the note as text. Nothing was kept.")


def text_only() -> str:
    return _("A note is text: reply to the card with the note written out (photos, files "
             "and voice messages are not kept as notes). Nothing was kept.")
