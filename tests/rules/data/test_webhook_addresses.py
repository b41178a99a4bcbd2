"""SSRF address forms: every IPv6 form that carries a private IPv4 (or is not globally
routable itself) is refused when a webhook rule is saved and again on the very address a
connection would use; and a webhook may not call one of our own trigger URLs."""

from __future__ import annotations

import socket

import aiohttp
import pytest
from aiohttp.abc import AbstractResolver, ResolveResult

from crm.container import CrmServices
from crm.models import Staff
from rules.config import EngineConfig
from rules.container import build_automation
from rules.errors import RuleInvalid
from rules.rendering import Renderer
from rules.webhooks.addresses import AddressRefused, GuardedResolver, refused
from tests.rules.conftest import TEMPLATES, add_rule, stage_id

SECRET = "a-signing-secret-of-32-characters"
FORMS = {
    "NAT64 64:ff9b::/96 of 10.0.0.1": "64:ff9b::a00:1",
    "NAT64 of 127.0.0.1": "64:ff9b::7f00:1",
    "NAT64 local-use 64:ff9b:1::/48": "64:ff9b:1::808:808",
    "6to4 2002::/16 of 10.0.0.1": "2002:a00:1::1",
    "6to4 of a public IPv4": "2002:808:808::1",
    "IPv4-compatible ::10.0.0.1": "::10.0.0.1",
    "IPv4-compatible ::8.8.8.8": "::8.8.8.8",
    "SIIT ::ffff:0:10.0.0.1": "::ffff:0:a00:1",
    "SIIT ::ffff:0:169.254.169.254": "::ffff:0:a9fe:a9fe",
    "IPv4-mapped ::ffff:192.168.1.1": "::ffff:c0a8:101",
    "site-local fec0::/10": "fec0::1",
    "Teredo 2001::/32": "2001:0:4136:e378:8000:63bf:f5ff:fffe",
    "unique local fc00::/7": "fd00::1",
    "documentation 3fff::/20": "3fff::1",
    "multicast": "ff0e::1",
}
GLOBAL = ["8.8.8.8", "2606:4700:4700::1111", "::ffff:8.8.8.8", "64:ff9b::808:808"]


class FixedResolver(AbstractResolver):
    """Resolves every name to one address, as a DNS answer an attacker controls would."""

    def __init__(self, address: str) -> None:
        self.address = address

    async def resolve(self, host: str, port: int = 0,
                      family: socket.AddressFamily = socket.AF_INET) -> list[ResolveResult]:
        return [ResolveResult(hostname=host, host=self.address, port=port,
                              family=socket.AF_INET6, proto=0, flags=0)]

    async def close(self) -> None:
        return None


@pytest.mark.parametrize("address", list(FORMS.values()), ids=list(FORMS))
def test_forms_that_are_not_globally_routable_are_refused(address: str) -> None:
    assert refused(address)


@pytest.mark.parametrize("address", GLOBAL)
def test_global_addresses_may_be_called(address: str) -> None:
    assert not refused(address)


@pytest.mark.parametrize("address", list(FORMS.values()), ids=list(FORMS))
async def test_each_form_is_refused_when_the_rule_is_saved(
        services: CrmServices, admin: Staff, address: str) -> None:
    strict = build_automation(services, EngineConfig(webhook_secret=SECRET), Renderer(TEMPLATES),
                              {})
    with pytest.raises(RuleInvalid) as caught:
        await add_rule(strict, admin, await stage_id(services, "deal", "won"), "webhook",
                       {"url": f"http://[{address}]/hook"})
    assert "private or local address" in caught.value.params["errors"][0]["reason"]


@pytest.mark.parametrize("address", list(FORMS.values()), ids=list(FORMS))
async def test_each_form_is_refused_on_the_address_the_connection_would_use(
        address: str) -> None:
    """A name whose DNS answer is one of the forms: the connection's resolver refuses it
    before aiohttp connects anywhere."""
    connector = aiohttp.TCPConnector(resolver=GuardedResolver(FixedResolver(address)))
    async with aiohttp.ClientSession(connector=connector) as http:
        with pytest.raises(aiohttp.ClientConnectorDNSError) as caught:
            await http.post("http://erp.example.org/hook", data=b"{}")
    assert isinstance(caught.value.os_error, AddressRefused)
    assert caught.value.os_error.address == address


@pytest.mark.parametrize("url", [
    "https://crm.example.org/hooks/trigger/1/5/0123456789abcdef0123456789abcdef",
    "https://CRM.example.org:8443/base/hooks/trigger/2/7/00",
])
async def test_a_webhook_may_not_call_our_own_trigger_urls(
        services: CrmServices, admin: Staff, url: str) -> None:
    """Even where private addresses are allowed: a rule calling a trigger would loop."""
    config = EngineConfig(webhook_secret=SECRET, webhooks_allow_private=True,
                          own_urls=("https://crm.example.org/base",))
    lenient = build_automation(services, config, Renderer(TEMPLATES), {})
    won = await stage_id(services, "deal", "won")
    with pytest.raises(RuleInvalid) as caught:
        await add_rule(lenient, admin, won, "webhook", {"url": url})
    assert caught.value.params["errors"][0]["reason"].startswith(
        "this is a trigger URL of this bot")
    assert (await add_rule(lenient, admin, won, "webhook",
                           {"url": "https://erp.example.org/hooks/trigger/1"})).id
