"""Outgoing webhooks: the JSON an item is sent as, its signature, which addresses may be
called, and the outbox transport that posts it (aiohttp; no aiogram here)."""
