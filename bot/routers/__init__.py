"""Composes the feature routers, with access filters at router level."""

from __future__ import annotations

from aiogram import Router

from bot.filters import IsClient, IsStaff
from bot.routers import (
    admin_pipelines,
    admin_staff,
    automation,
    cards,
    clients,
    contacts,
    convert,
    errors,
    fallback,
    inquiry_replies,
    lead_report,
    leads,
    lists,
    mode,
    mode_errors,
    new_item,
    start,
)


def staff_router(*feature_routers: Router) -> Router:
    """Everything under it is reachable by active staff only."""
    router = Router(name="staff")
    router.message.filter(IsStaff())
    router.callback_query.filter(IsStaff())
    router.include_routers(*feature_routers)
    return router


def get_routers(extra_staff_routers: tuple[Router, ...] = ()) -> list[Router]:
    clients.router.message.filter(IsClient())
    clients.router.callback_query.filter(IsClient())
    return [
        mode_errors.router,  # the CRM-mode feature's own errors, before the general ones
        errors.router,
        start.router,
        staff_router(leads.router, new_item.router, cards.router, lists.router, contacts.router,
                     admin_staff.router, admin_pipelines.router, automation.router,
                     mode.router, convert.router, inquiry_replies.router, lead_report.router,
                     *extra_staff_routers,
                     fallback.router),
        clients.router,
    ]
