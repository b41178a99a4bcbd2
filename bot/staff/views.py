"""The team list with its buttons."""

from __future__ import annotations

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.common.formatting import person
from bot.common.texts import role_text
from bot.staff.callbacks import StaffAction, StaffCb
from crm.i18n import DASH
from crm.models import Role, Staff

ROLES = [Role.SALES, Role.MANAGER, Role.ADMIN]


def staff_text(team: list[Staff]) -> str:
    lines = [_("<b>Team</b>")]
    for member in team:
        right = " · " + _("can edit settings") if member.can_edit_settings else ""
        lines.append(f"{person(member)}{_(DASH)}{role_text(member.role)}{right} "
                     f"(id {member.user_id})")
    return "\n".join(lines)


def staff_keyboard(team: list[Staff], viewer: Staff) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for member in team:
        if member.user_id == viewer.user_id:
            continue
        next_role = ROLES[(ROLES.index(member.role) + 1) % len(ROLES)]
        builder.button(text=f"{member.name[:16]}: → {role_text(next_role)}",
                       callback_data=StaffCb(action=StaffAction.ROLE, user_id=member.user_id,
                                             value=ROLES.index(next_role)))
        builder.button(text=("✅ " if member.can_edit_settings else "☐ ") + _("settings"),
                       callback_data=StaffCb(action=StaffAction.SETTINGS,
                                             user_id=member.user_id,
                                             value=int(not member.can_edit_settings)))
        builder.button(text=_("Remove"), callback_data=StaffCb(action=StaffAction.REMOVE,
                                                               user_id=member.user_id))
    builder.adjust(3)
    return builder.as_markup()
