"""Composes the feature routers in the order updates try them, with access filters at
router level. Every feature package builds its routers in `create_router()`, so each app
(the bot, a test, a benchmark) gets routers of its own."""

from __future__ import annotations

from aiogram import Router

from bot.activities import router as activities
from bot.automation import router as automation
from bot.board import links as board_links
from bot.clients import buttons as client_buttons
from bot.clients import link as client_link
from bot.clients import router as clients
from bot.closing import admin as closing_admin
from bot.closing import errors as closing_errors
from bot.closing import router as closing
from bot.contacts import router as contacts
from bot.documents import router as documents
from bot.errors import fallback
from bot.errors import router as errors
from bot.files import router as client_files
from bot.filters import IsClient, IsStaff
from bot.forwards import router as forwards
from bot.inquiries import replies as inquiry_replies
from bot.items import editing
from bot.items import router as items
from bot.leads import convert
from bot.leads import router as leads
from bot.lists import router as lists
from bot.menu import router as menu
from bot.mode import errors as mode_errors
from bot.mode import router as mode
from bot.new_item import router as new_item
from bot.notes import router as notes
from bot.overview import router as overview
from bot.pipelines import router as pipelines
from bot.reports import router as reports
from bot.rules import errors as rules_errors
from bot.rules import router as rules
from bot.schedules import router as schedules
from bot.staff import router as staff
from bot.staff_hours import router as staff_hours
from bot.start import router as start
from bot.team_chats import router as team_chats
from bot.triggers import router as triggers


def staff_router(*feature_routers: Router) -> Router:
    """Everything under it is reachable by active staff only."""
    router = Router(name="staff")
    router.message.filter(IsStaff())
    router.callback_query.filter(IsStaff())
    router.include_routers(*feature_routers)
    return router


def client_router(*feature_routers: Router) -> Router:
    """Everything under it is for clients (anyone who is not active staff)."""
    router = Router(name="clients")
    router.message.filter(IsClient())
    router.callback_query.filter(IsClient())
    router.include_routers(*feature_routers)
    return router


def create_routers(extra_staff_routers: tuple[Router, ...] = ()) -> list[Router]:
    return [
        mode_errors.create_router(),  # the CRM-mode feature's own errors, before the general ones
        rules_errors.create_router(),  # the rules feature's own errors, likewise
        closing_errors.create_router(),  # lost reasons that do not fit, likewise
        errors.create_router(),
        client_link.create_router(),
        team_chats.create_router(),
        board_links.create_router(),  # /start item_<id> from the board, before /start
        start.create_router(),
        client_buttons.create_router(),  # checks the presser itself: clients' buttons
        # the card first: stage buttons are the most pressed, and every handler before them
        # checks its filters on each press
        # notes next: a reply to a card is a note, also in the middle of a dialog
        staff_router(forwards.create_router(),  # a forwarded message is never a dialog's answer
                     menu.create_router(),  # main-menu labels act like commands, in dialogs too
                     items.create_router(), notes.create_router(), leads.create_router(),
                     new_item.create_router(),
                     lists.create_router(), contacts.create_router(), staff.create_router(),
                     pipelines.create_router(), closing.create_router(),
                     closing_admin.create_router(), automation.create_router(),
                     rules.create_router(), editing.create_router(), documents.create_router(),
                     activities.create_router(), triggers.create_router(),
                     staff_hours.create_router(),
                     schedules.create_router(), mode.create_router(), convert.create_router(),
                     inquiry_replies.create_router(), client_files.create_router(),
                     reports.create_router(),
                     overview.create_router(),
                     forwards.create_dialog_router(),
                     *extra_staff_routers,
                     fallback.create_router()),
        client_router(clients.create_router()),
    ]
