"""The titles of the shipped rules (rules/defaults/deal.yaml) in the reader's language.

A rule's title is the admin's own text and is shown as stored; the shipped ones are stored
in English as the file writes them, so they are message ids too: while an admin has not
renamed one, it reads in the admin's language ("Kunden begrüßen").
"""

from __future__ import annotations

from crm.i18n import N_, translate

SHIPPED = frozenset({
    N_("Greet the client"),
    N_("Tell the responsible person about the new deal"),
    N_("Announce the final invoice"),
    N_("Wait a week"),
    N_("Remind the client of the open invoice"),
    N_("Thank the client"),
    N_("Congratulate the responsible person"),
    N_("Tell the responsible person the deal was lost"),
})


def shown_title(title: str, language: str) -> str:
    return translate(title, language) if title in SHIPPED else title
