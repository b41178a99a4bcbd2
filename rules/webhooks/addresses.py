"""Which addresses an outgoing webhook may call: http(s) URLs only, and only globally
routable addresses (no private, loopback, link-local, shared, reserved or multicast range,
nor an IPv6 form carrying one of those in an IPv4 inside it) unless an admin allows it
(WEBHOOKS_ALLOW_PRIVATE). Checked when a rule is saved and again at every send, since
DNS can change in between; at send time on the very addresses the connection uses (the
guarded resolver), so a name that resolves differently a second time cannot slip by."""

from __future__ import annotations

import asyncio
import ipaddress
import socket

from aiohttp.abc import AbstractResolver, ResolveResult
from aiohttp.resolver import ThreadedResolver
from yarl import URL

from rules.triggers.signing import PATH_PREFIX as TRIGGERS_PATH


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


GLOBAL_UNICAST = ipaddress.IPv6Network("2000::/3")  # all IPv6 the internet routes
NAT64 = ipaddress.IPv6Network("64:ff9b::/96")  # RFC 6052: the last 32 bits are the IPv4
# Within 2000::/3 yet not to be called, whatever this Python's tables know: 6to4 and Teredo
# (relays carry them to the IPv4 inside, private or not) and the documentation prefixes.
NOT_CALLED = tuple(ipaddress.IPv6Network(n) for n in (
    "2001::/23", "2001:db8::/32", "2002::/16", "3fff::/20"))


def calls_own_trigger(url: str, own_urls: tuple[str, ...]) -> bool:
    """Whether `url` is one of our own webhook triggers (a host of `own_urls`, the triggers'
    path): an outgoing webhook calling it would loop past the engine's loop guard."""
    parsed, hosts = URL(url.strip()), {(URL(own).host or "").lower() for own in own_urls}
    return (parsed.host or "").lower() in hosts and f"{TRIGGERS_PATH}/" in parsed.path


def refused(address: str) -> bool:
    """Whether webhooks may not call `address`: anything not globally routable. IPv6 must
    be global unicast (2000::/3), which leaves out site-local fec0::/10, the NAT64 local-use
    64:ff9b:1::/48 and the IPv4-compatible ::a.b.c.d and SIIT ::ffff:0:a.b.c.d forms; an
    IPv4 inside an IPv4-mapped or NAT64 address is judged as that IPv4."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # an IPv6 zone does not matter here
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            ip = ip.ipv4_mapped
        elif ip in NAT64:
            ip = ipaddress.IPv4Address(int(ip) & 0xFFFF_FFFF)
        elif ip not in GLOBAL_UNICAST or any(ip in net for net in NOT_CALLED):
            return True
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

    def __init__(self, inner: AbstractResolver | None = None) -> None:
        self._inner = inner or ThreadedResolver()

    async def resolve(self, host: str, port: int = 0,
                      family: socket.AddressFamily = socket.AF_INET) -> list[ResolveResult]:
        found = await self._inner.resolve(host, port, family)
        for entry in found:
            if refused(entry["host"]):
                raise AddressRefused(host, entry["host"])
        return found

    async def close(self) -> None:
        await self._inner.close()
