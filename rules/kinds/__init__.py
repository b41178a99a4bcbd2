"""The catalogue of rule kinds. Adding a kind: write its module, add one line below."""

from __future__ import annotations

from rules.kinds import message_client, notify_responsible, notify_staff, notify_team_chat, wait
from rules.kinds.base import KindGroup, RuleKind

CATALOGUE: dict[str, RuleKind] = {
    kind.code: kind
    for kind in (
        message_client.KIND,
        notify_responsible.KIND,
        notify_staff.KIND,
        notify_team_chat.KIND,
        wait.KIND,
    )
}


def by_group() -> dict[KindGroup, list[RuleKind]]:
    """The catalogue as the bot shows it: kinds grouped by task, groups in a fixed order."""
    groups: dict[KindGroup, list[RuleKind]] = {group: [] for group in KindGroup}
    for kind in CATALOGUE.values():
        groups[kind.group].append(kind)
    return {group: kinds for group, kinds in groups.items() if kinds}
