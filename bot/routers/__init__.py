"""Composes the feature routers, with access filters at router level."""

from __future__ import annotations

from aiogram import Router

from bot.filters import IsClient, IsStaff
from bot.routers import (
    activities,
    admin_pipelines,
    admin_staff,
    automation,
    cards,
    client_buttons,
    client_link,
    clients,
    contacts,
    convert,
    documents,
    editing,
    errors,
    fallback,
    inquiry_replies,
    lead_report,
    leads,
    lists,
    mode,
    mode_errors,
    new_item,
    rules,
    rules_errors,
    schedules,
    start,
    team_chats,
    triggers,
)


def detached(*routers: Router) -> list[Router]:
    """Feature routers are module singletons, and aiogram lets a router have one parent;
    a second app in the same process (tests, benchmarks) must first take them back from
    the previous composition (aiogram has no public call for it)."""
    for router in routers:
        parent = router.parent_router
        if parent is not None:
            parent.sub_routers.remove(router)
            router._parent_router = None
    return list(routers)


def staff_router(*feature_routers: Router) -> Router:
    """Everything under it is reachable by active staff only."""
    router = Router(name="staff")
    router.message.filter(IsStaff())
    router.callback_query.filter(IsStaff())
    router.include_routers(*detached(*feature_routers))
    return router


def client_router(*feature_routers: Router) -> Router:
    """Everything under it is for clients (anyone who is not active staff)."""
    router = Router(name="clients")
    router.message.filter(IsClient())
    router.callback_query.filter(IsClient())
    router.include_routers(*detached(*feature_routers))
    return router


def get_routers(extra_staff_routers: tuple[Router, ...] = ()) -> list[Router]:
    return detached(
        mode_errors.router,  # the CRM-mode feature's own errors, before the general ones
        rules_errors.router,  # the rules feature's own errors, likewise
        errors.router,
        client_link.router,
        team_chats.router,
        start.router,
        client_buttons.router,  # checks the presser itself: clients' buttons
        # cards first: stage buttons are the most pressed, and every handler before them
        # checks its filters on each press
        staff_router(cards.router, leads.router, new_item.router, lists.router, contacts.router,
                     admin_staff.router, admin_pipelines.router, automation.router, rules.router,
                     editing.router, documents.router, activities.router, triggers.router,
                     schedules.router, mode.router, convert.router, inquiry_replies.router,
                     lead_report.router,
                     *extra_staff_routers,
                     fallback.router),
        client_router(clients.router),
    )
