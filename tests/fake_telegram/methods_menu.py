"""The chat's menu button (the board's Mini App for staff): read back what setChatMenuButton
stored (tg.state.menu_buttons; every call is also in tg.state.calls). A web_app button needs
a text and an https URL, as Telegram demands."""

from __future__ import annotations

from typing import Any

from .errors import bad_request
from .params import as_int
from .registry import CallContext, api_method


@api_method("getChatMenuButton")
async def get_chat_menu_button(ctx: CallContext) -> dict[str, Any]:
    buttons = ctx.state.menu_buttons
    chat_id = as_int(ctx.params.get("chat_id"))
    return buttons.get(chat_id) or buttons.get(None) or {"type": "default"}


def check_menu_button(button: dict[str, Any]) -> None:
    if button.get("type") != "web_app":
        return
    url = str((button.get("web_app") or {}).get("url") or "")
    if not button.get("text") or not url.startswith("https://"):
        raise bad_request("BUTTON_URL_INVALID" if button.get("text") else "BUTTON_TEXT_EMPTY")
