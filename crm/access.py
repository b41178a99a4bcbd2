"""Who may see and change what. Every service asks here; the bot never decides alone."""

from __future__ import annotations

from crm.errors import Action, PermissionDenied
from crm.models import Item, Staff


def can_see_item(actor: Staff, item: Item) -> bool:
    """Salespeople see their own items and unassigned ones; managers and admins all."""
    if actor.sees_all_items:
        return True
    return item.responsible_id in (None, actor.user_id)


def require_item_access(actor: Staff, item: Item) -> None:
    if not can_see_item(actor, item):
        raise PermissionDenied(action=Action.ITEM)


def require_admin(actor: Staff) -> None:
    if not actor.is_admin:
        raise PermissionDenied(action=Action.ADMIN)


def require_settings_right(actor: Staff) -> None:
    if not actor.may_edit_settings:
        raise PermissionDenied(action=Action.SETTINGS)
