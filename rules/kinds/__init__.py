"""The catalogue of rule kinds. Adding a kind: write its module, add one line below."""

from __future__ import annotations

from rules.kinds import (
    add_note,
    add_product,
    change_contact,
    change_field,
    change_fields,
    change_responsible,
    change_stage,
    complete_activities,
    copy_item,
    create_activity,
    create_document,
    create_item,
    message_client,
    notify_responsible,
    notify_staff,
    notify_team_chat,
    send_email,
    wait,
    wait_for,
    webhook,
)
from rules.kinds.base import AnyRuleKind, KindGroup

CATALOGUE: dict[str, AnyRuleKind] = {
    kind.code: kind
    for kind in (
        message_client.KIND,
        notify_responsible.KIND,
        notify_staff.KIND,
        notify_team_chat.KIND,
        wait.KIND,
        wait_for.KIND,
        create_activity.KIND,
        complete_activities.KIND,
        create_document.KIND,
        create_item.KIND,
        send_email.KIND,
        change_field.KIND,
        change_fields.KIND,
        change_contact.KIND,
        add_product.KIND,
        add_note.KIND,
        change_responsible.KIND,
        change_stage.KIND,
        copy_item.KIND,
        webhook.KIND,
    )
}


def by_group() -> dict[KindGroup, list[AnyRuleKind]]:
    """The catalogue as the bot shows it: kinds grouped by task, groups in a fixed order."""
    groups: dict[KindGroup, list[AnyRuleKind]] = {group: [] for group in KindGroup}
    for kind in CATALOGUE.values():
        groups[kind.group].append(kind)
    return {group: kinds for group, kinds in groups.items() if kinds}
