"""The outbox transport of channel "webhook": POSTs the signed JSON a webhook rule queued.

2xx is delivered; 408, 429, 5xx and network trouble (including the timeout) are tried again
with the outbox's backoff, up to `max_attempts` in all; any other answer (4xx, a redirect,
which is never followed) fails the run with the status. The address is checked before
every attempt and by the resolver of the connection itself.
"""

from __future__ import annotations

import aiohttp

from rules.model import OutboxRow
from rules.ports import PermanentError, TransientError
from rules.reason_codes import Reason
from rules.webhooks.addresses import (
    AddressRefused,
    GuardedResolver,
    UrlInvalid,
    check_host,
    split_url,
)

USER_AGENT = "telegram-crm-webhook/1"
RETRY_STATUSES = frozenset({408, 429})


class WebhookTransport:
    def __init__(self, allow_private: bool = False, timeout: float = 10.0,
                 max_attempts: int = 10) -> None:
        self._allow_private = allow_private
        self._timeout = aiohttp.ClientTimeout(total=timeout)
        self._max_attempts = max_attempts

    async def deliver(self, row: OutboxRow) -> int | None:
        url = str(row.payload["url"])
        try:
            host, port = split_url(url)
            if not self._allow_private:
                await check_host(host, port)
        except UrlInvalid as error:
            raise PermanentError(Reason.WEBHOOK_BAD_URL, url) from error
        except AddressRefused as error:
            raise PermanentError(Reason.WEBHOOK_ADDRESS_REFUSED, str(error)) from error
        except OSError as error:  # the name does not resolve (now)
            raise self._again(row, f"{host}: {error}") from error
        headers = {**row.payload.get("headers", {}), "Content-Type": "application/json",
                   "User-Agent": USER_AGENT}
        connector = aiohttp.TCPConnector(
            resolver=None if self._allow_private else GuardedResolver(), force_close=True)
        try:
            async with aiohttp.ClientSession(connector=connector, timeout=self._timeout) as s, \
                    s.post(url, data=str(row.payload["body"]).encode(), headers=headers,
                           allow_redirects=False) as response:
                status, reason = response.status, response.reason or ""
        except aiohttp.ClientConnectorDNSError as error:
            if isinstance(error.os_error, AddressRefused):
                raise PermanentError(Reason.WEBHOOK_ADDRESS_REFUSED, str(error.os_error)) from error
            raise self._again(row, str(error)) from error
        except (aiohttp.ClientError, TimeoutError) as error:
            raise self._again(row, f"{type(error).__name__}: {error}".rstrip(": ")) from error
        if 200 <= status < 300:
            return None
        detail = f"HTTP {status} {reason}".strip()
        if status in RETRY_STATUSES or status >= 500:
            raise self._again(row, detail)
        raise PermanentError(Reason.WEBHOOK_REJECTED, detail)

    def _again(self, row: OutboxRow, detail: str) -> TransientError | PermanentError:
        """Try again later, unless this was the last attempt."""
        if row.attempts + 1 >= self._max_attempts:
            return PermanentError(Reason.WEBHOOK_UNREACHABLE, detail)
        return TransientError(detail)
