"""Long texts are cut as Telegram counts (visible UTF-16 code units), never inside a tag,
an `&amp;` or a character, with formatting carried over; echoes of input are short."""

from __future__ import annotations

from bot.common.formatting import echo
from bot.telegram.text_limits import shorten_text, split_text, visible_length
from tests.fake_telegram.formatting import parse_html, utf16_len


def test_length_is_what_the_reader_sees_in_utf16_code_units() -> None:
    assert visible_length("<b>a&amp;b</b> 😀") == 6  # "a&b", a space, an emoji of two units
    assert visible_length("<b>x</b>", is_html=False) == 8


def test_a_long_text_is_cut_at_a_line_break_and_each_part_parses() -> None:
    text = "\n".join(f"<i>line {n}</i> &lt;ok&gt;" for n in range(2000))
    parts = split_text(text, 100)
    for part in parts:
        rendered, _entities = parse_html(part)  # raises on a cut tag or entity
        assert utf16_len(rendered) <= 100
        assert rendered.rstrip("\n").endswith("<ok>")  # whole lines only
    assert "".join(parse_html(p)[0] for p in parts) == parse_html(text)[0]


def test_formatting_open_at_a_cut_goes_on_in_the_next_part() -> None:
    parts = split_text('<a href="https://example.org">' + "😀" * 80 + "</a>", 100)
    assert len(parts) == 2
    for part in parts:
        rendered, entities = parse_html(part)
        assert entities == [{"type": "text_link", "offset": 0, "length": utf16_len(rendered),
                             "url": "https://example.org"}]
    assert [utf16_len(parse_html(p)[0]) for p in parts] == [100, 60]  # no emoji cut in two


def test_a_text_that_fits_is_left_as_it_is() -> None:
    assert split_text("<b>short</b>") == ["<b>short</b>"]
    assert shorten_text("a" * 10, 10) == "a" * 10


def test_shortened_text_ends_with_an_ellipsis_inside_its_formatting() -> None:
    assert shorten_text("<b>" + "a" * 20 + "</b>", 10) == "<b>aaaaaaaaa…</b>"
    assert shorten_text("a &amp; " * 5, 6) == "a &amp; a…"


def test_an_echo_of_input_is_one_short_escaped_line() -> None:
    assert echo("Bob <Builder>") == "Bob &lt;Builder&gt;"
    assert echo("two\nlines   here") == "two lines here"
    quoted = echo("<" * 4000)
    assert quoted == "&lt;" * 59 + "…"
