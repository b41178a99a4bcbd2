"""The board's texts: the page's own (sent with the bootstrap, translated here so that the
German-coverage test sees them) and the API's refusals. German: board.po."""

from __future__ import annotations

from crm.i18n import N_, N_plural, translate, translate_plural

# The page's texts by key (the page shows them as given; see /board/api/bootstrap).
PAGE_TEXTS = {
    "title": N_("Pipeline board"),
    "mine": N_("Mine"),
    "all": N_("All"),
    "search": N_("Search title, client, phone…"),
    "more": N_("Show more"),
    "empty": N_("No items here"),
    "moving": N_("Moving…"),
    "moved": N_("Moved to “{stage}”."),
    "stale": N_("Someone changed this item meanwhile – the board shows it as it is now."),
    "forbidden": N_("This item is not yours: you can only move your own items."),
    "lost_reason_prompt": N_("Why was it lost? Choose a reason or type your own."),
    "lost_reason_placeholder": N_("Type a reason"),
    "reopen_prompt": N_("This item is won. Reopen it?"),
    "cancel": N_("Cancel"),
    "ok": N_("OK"),
    "open_in_chat": N_("Open in the chat"),
    "automation": N_("Automation"),
    "history": N_("History"),
    "fields": N_("Details"),
    "contact": N_("Contact"),
    "close": N_("Close"),
    "error": N_("Something went wrong. Please try again."),
    "loading": N_("Loading…"),
    "pipeline": N_("Pipeline"),
    "no_pipelines": N_("There is no pipeline yet."),
    "unauthorized": N_("Please open the board from the bot's menu button again."),
    "automation_failed": N_("Automation failed"),
    "stage": N_("Stage"),
    "automation_none": N_("Nothing automated in this stage"),
    "refresh": N_("Refresh"),
}
DAYS_IN_STAGE = N_plural("{count} day in stage", "{count} days in stage")

# Refusals of the API by their error code.
ERRORS = {
    "unauthorized": N_("Please open the board from the bot's menu button again."),
    "not_staff": N_("The board is for the team only."),
    "forbidden": N_("This item is not yours: you can only see and move your own items."),
    "stale": N_("Someone changed this item meanwhile – the board shows it as it is now."),
    "not_found": N_("This no longer exists – the board shows what there is now."),
    "lost_reason_required": N_("Why was it lost? Choose a reason or type your own."),
    "reopen_confirmation_required": N_("This item is won. Reopen it?"),
    "bad_request": N_("The board sent something it should not have. Please reload it."),
    "error": N_("Something went wrong. Please try again."),
}


def page_texts(language: str) -> dict[str, str]:
    texts = {key: translate(text, language) for key, text in PAGE_TEXTS.items()}
    texts["days_in_stage_one"] = translate_plural(*DAYS_IN_STAGE, 1, language)
    texts["days_in_stage_other"] = translate_plural(*DAYS_IN_STAGE, 2, language)
    return texts


def days_text(days: int, language: str) -> str:
    return translate_plural(*DAYS_IN_STAGE, days, language, count=days)


def error_text(code: str, language: str) -> str:
    return translate(ERRORS.get(code, ERRORS["error"]), language)
