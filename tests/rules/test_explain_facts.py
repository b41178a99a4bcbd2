"""A yes/no fact about the item is explained as a sentence, not as '<field> is yes, not no'
(the shipped 'tell the responsible person' rule's reason on German screens read
'Vom-Verantwortlichen-angelegt ist ja, nicht nein')."""

from __future__ import annotations

from rules.conditions.explain import explain


def check(actual: str, expected: str) -> dict[str, object]:
    return {"field": "item.created_by_responsible", "op": "=", "actual": actual,
            "expected": expected, "passed": actual == expected}


def test_the_fact_reads_as_a_sentence_in_both_languages() -> None:
    assert explain(check("yes", "no"), "de") == \
        "die verantwortliche Person hat es selbst angelegt"
    assert explain(check("no", "yes"), "de") == \
        "jemand anderes als die verantwortliche Person hat es angelegt"
    assert explain(check("yes", "no"), "en") == "the responsible person created it themselves"


def test_other_fields_keep_their_comparison() -> None:
    other = {"field": "item.source", "op": "=", "actual": "telegram", "expected": "email",
             "passed": False}
    assert explain(other, "de") == "Quelle ist Telegram, nicht E-Mail"
