"""The short title of a new inquiry and the phone numbers read from a client's message."""

from __future__ import annotations

from crm.services.inquiry_desk import phone_display, phone_numbers, short_text


def test_a_short_text_is_cut_at_a_word_within_forty_characters() -> None:
    assert short_text("Do you ship to Austria?") == "Do you ship to Austria?"
    cut = short_text("Hello, we are opening a new office in Potsdam next month")
    assert cut == "Hello, we are opening a new office in…"
    assert len(cut) <= 40
    assert short_text("Hello,\n\nI need   40 chairs") == "Hello, I need 40 chairs"
    assert short_text("x" * 60) == "x" * 39 + "…"  # one long word: cut inside it


def test_phone_numbers_are_read_with_germany_as_the_default_region() -> None:
    assert phone_numbers("ruf mich an: 0171 2345678") == ("+491712345678",)
    assert phone_numbers("+49 30 1234567 oder 030/1234567") == ("+49301234567",)
    assert phone_numbers("Call +43 1 5123456 or +49 171 2345678", known="+491712345678") == (
        "+4315123456",)
    assert phone_numbers("40 chairs by 12.05.2027 for 15.000 EUR") == ()
    assert phone_display("+491712345678") == "+49 171 2345678"
