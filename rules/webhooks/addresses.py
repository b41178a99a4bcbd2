"""Which addresses an outgoing webhook may call: http(s) URLs only, and no address on a
private, loopback, link-local, shared, reserved or multicast range unless an admin allows
it (WEBHOOKS_ALLOW_PRIVATE). Checked when a rule is saved and again at every send, since
DNS can change in between; at send time on the very addresses the connection uses (the
guarded resolver), so a name that resolves differently a second time cannot slip by."""

from __future__ import annotations

import asyncio
import ipaddress
import socket

from aiohttp.abc import AbstractResolver, ResolveResult
from aiohttp.resolver import ThreadedResolver
from yarl import URL


class AddressRefused(OSError):
    """The host is, or resolves to, an address webhooks may not call. An OSError, so that
    aiohttp hands it on from its resolver (as the os_error of ClientConnectorDNSError)."""

    def __init__(self, host: str, address: str) -> None:
        super().__init__(f"{host} is {address}, a private or local address")
        self.host = host
        self.address = address


class UrlInvalid(ValueError):
    """Not an absolute http(s) URL with a host."""


def split_url(url: str) -> tuple[str, int]:
    """(host, port) of an http(s) URL; raises UrlInvalid."""
    try:
        parsed = URL(url.strip())
    except (ValueError, TypeError) as exc:
        raise UrlInvalid(url) from exc
    if parsed.scheme not in ("http", "https") or not parsed.host or parsed.port is None:
        raise UrlInvalid(url)
    return parsed.host, parsed.port


def refused(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # an IPv6 zone does not matter here
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return not ip.is_global or ip.is_multicast


async def check_host(host: str, port: int) -> list[str]:
    """The host's addresses, all of them callable; raises AddressRefused, or OSError
    (socket.gaierror) when the name cannot be resolved."""
    try:
        literal = ipaddress.ip_address(host)
    except ValueError:
        literal = None
    if literal is not None:
        addresses = [host]
    else:
        infos = await asyncio.get_running_loop().getaddrinfo(host, port,
                                                             type=socket.SOCK_STREAM)
        addresses = sorted({str(info[4][0]) for info in infos})
    for address in addresses:
        if refused(address):
            raise AddressRefused(host, address)
    return addresses


class GuardedResolver(AbstractResolver):
    """aiohttp's resolver, refusing names that resolve to an address webhooks may not call
    (aiohttp does not ask the resolver for IP literals: split_url + check_host cover those)."""

    def __init__(self) -> None:
        self._inner = ThreadedResolver()

    async def resolve(self, host: str, port: int = 0,
                      family: socket.AddressFamily = socket.AF_INET) -> list[ResolveResult]:
        found = await self._inner.resolve(host, port, family)
        for entry in found:
            if refused(entry["host"]):
                raise AddressRefused(host, entry["host"])
        return found

    async def close(self) -> None:
        await self._inner.close()
