"""Every failure reason has its words; a stored code no Reason names still reads."""

from __future__ import annotations

from rules.kinds import CATALOGUE
from rules.reason_codes import Reason
from rules.reasons import REASONS, reason_text


def test_every_reason_has_words() -> None:
    worded = set(REASONS).union(*(kind.reasons for kind in CATALOGUE.values()))
    assert [r for r in Reason if r not in worded] == []


def test_a_stored_code_reads_back_into_the_enum() -> None:
    assert Reason.read("left_stage") is Reason.LEFT_STAGE
    assert Reason.read("gone_in_a_later_version") is None
    assert Reason.read(None) is None
    assert reason_text("gone_in_a_later_version", {}, "en") == "gone_in_a_later_version"
    assert reason_text("left_stage", {}, "en") == reason_text(Reason.LEFT_STAGE, {}, "en")
