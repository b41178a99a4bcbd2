"""Texts within Telegram's length limits, measured as Telegram measures them: what the reader
sees (HTML tags removed, `&amp;` one character) in UTF-16 code units.

A long text is cut where a reader expects it (a line break, else a space), never inside a
tag, an entity like `&amp;` or a character; formatting open at a cut is closed there and
opened again in the next part, so every part parses on its own.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

TEXT_LIMIT = 4096  # a message
CAPTION_LIMIT = 1024  # a document's or photo's caption
TOAST_LIMIT = 200  # the answer to a button press
ELLIPSIS = "…"
_HTML = re.compile(r"<[^>]*>|&(?:lt|gt|amp|quot|#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6});|[^<&]+|[<&]")
_TAG_NAME = re.compile(r"</?\s*([A-Za-z-]+)")


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


@dataclass(frozen=True, slots=True)
class _Atom:
    raw: str
    size: int  # UTF-16 code units a reader sees
    tag: str = ""  # the tag's name for "<b>" or "</b>"
    closing: bool = False


def _atoms(text: str, is_html: bool) -> list[_Atom]:
    if not is_html:
        return [_Atom(char, utf16_len(char)) for char in text]
    atoms = []
    for match in _HTML.finditer(text):
        token = match.group()
        name = _TAG_NAME.match(token) if token.startswith("<") and len(token) > 1 else None
        if name:
            atoms.append(_Atom(token, 0, name.group(1).lower(), token.startswith("</")))
        elif token.startswith("&") and len(token) > 1:
            atoms.append(_Atom(token, utf16_len(html.unescape(token))))
        else:
            atoms += [_Atom(char, utf16_len(char)) for char in token]
    return atoms


def visible_length(text: str, is_html: bool = True) -> int:
    return sum(atom.size for atom in _atoms(text, is_html))


def split_text(text: str, limit: int = TEXT_LIMIT, is_html: bool = True) -> list[str]:
    """`text` as parts a reader sees at most `limit` of each (one part if it fits)."""
    if utf16_len(text) <= limit:  # the common case: tags and entities only make it shorter
        return [text]
    atoms = _atoms(text, is_html)
    return [part for part in _render(atoms, _cuts(atoms, limit)) if part.strip()] or [text]


def shorten_text(text: str, limit: int, is_html: bool = True) -> str:
    """The start of `text`, ending with "…" where it was cut (the whole text if it fits)."""
    if utf16_len(text) <= limit:
        return text
    atoms = _atoms(text, is_html)
    if sum(atom.size for atom in atoms) <= limit:
        return text
    end = _cuts(atoms, limit - 1, prefer_break=False)[0]
    return _render(atoms, [end], ELLIPSIS)[0]


def _cuts(atoms: list[_Atom], limit: int, prefer_break: bool = True) -> list[int]:
    """Indexes where parts end: each part shows at most `limit`; preferably after a line
    break, else after a space, when one is in the second half of the part."""
    cuts, start, used, newline, space = [], 0, 0, -1, -1
    for index, atom in enumerate(atoms):
        if used + atom.size > limit:
            cut = newline if newline > start else space if space > start else index
            if not prefer_break or sum(a.size for a in atoms[start:cut]) < limit // 2:
                cut = index
            cuts.append(cut)
            start, newline, space = cut, -1, -1
            used = sum(a.size for a in atoms[start:index])
        used += atom.size
        if atom.raw == "\n":
            newline = index + 1
        elif atom.raw == " ":
            space = index + 1
    return [*cuts, len(atoms)]


def _render(atoms: list[_Atom], cuts: list[int], tail: str = "") -> list[str]:
    parts: list[str] = []
    open_tags: list[_Atom] = []
    start = 0
    for cut in cuts:
        out = [atom.raw for atom in open_tags]  # what was open goes on in this part
        for atom in atoms[start:cut]:
            out.append(atom.raw)
            if atom.tag and not atom.closing:
                open_tags.append(atom)
            elif atom.tag:
                for depth in range(len(open_tags) - 1, -1, -1):
                    if open_tags[depth].tag == atom.tag:
                        del open_tags[depth]
                        break
        out.append(tail)
        out += [f"</{atom.tag}>" for atom in reversed(open_tags)]
        parts.append("".join(out))
        start = cut
    return parts
