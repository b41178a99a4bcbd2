"""Outgoing webhooks against a real HTTP server on loopback: the body is signed, a 500 is
tried again, a 404 fails the run with the status, and private addresses are refused when
the rule is saved and again when it sends."""

from __future__ import annotations

import hashlib
import hmac
import json
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from decimal import Decimal

import pytest
from aiohttp import web

from crm.clock import FrozenClock
from crm.container import CrmServices
from crm.models import Contact, Product, Staff
from crm.services.items import NewItem
from rules.config import EngineConfig
from rules.container import Automation, build_automation
from rules.errors import RuleInvalid
from rules.model import RunState
from rules.outbox.pacing import Pacer
from rules.rendering import Renderer
from rules.services.status import Shown
from rules.webhooks.transport import WebhookTransport
from tests.rules.conftest import TEMPLATES, RecordingTransport, add_rule, stage_id
from tests.rules.data.conftest import failure, runs_of

SECRET = "a-signing-secret-of-32-characters"


@dataclass
class Receiver:
    """An HTTP endpoint that answers with `statuses` in turn (then 200) and records calls."""

    statuses: list[int] = field(default_factory=list)
    calls: list[tuple[dict[str, str], bytes]] = field(default_factory=list)
    port: int = 0

    async def handle(self, request: web.Request) -> web.Response:
        self.calls.append((dict(request.headers), await request.read()))
        return web.Response(status=self.statuses.pop(0) if self.statuses else 200)

    def url(self, host: str = "127.0.0.1") -> str:
        return f"http://{host}:{self.port}/hook"


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    found = Receiver()
    app = web.Application()
    app.router.add_post("/hook", found.handle)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    found.port = runner.addresses[0][1]
    yield found
    await runner.cleanup()


def engine(services: CrmServices, *, allow: bool = True, send_allow: bool = True,
           attempts: int = 10) -> Automation:
    config = EngineConfig(webhook_secret=SECRET, webhooks_allow_private=allow)
    hooks = WebhookTransport(allow_private=send_allow, timeout=2.0, max_attempts=attempts)
    return build_automation(services, config, Renderer(TEMPLATES),
                            {"telegram": RecordingTransport(), "webhook": hooks},
                            pacer=Pacer(per_second=10_000, chat_interval=0.0))


@pytest.fixture
async def hooked(services: CrmServices) -> AsyncIterator[Automation]:
    built = engine(services)
    yield built
    await built.stop()


async def _won_deal(services: CrmServices, admin: Staff) -> int:
    async with services.uow() as uow:
        contact = await uow.clients.add_contact(
            Contact(0, "Anna Schmidt", email="anna@example.org"), services.clock.now())
        await uow.commit()
    deal = await services.items.create(admin, NewItem(
        "deal", "Relaunch", contact_id=contact.id,
        products=[Product("Design", Decimal(5000), Decimal(2))]))
    await services.items.move(admin, deal.id, await stage_id(services, "deal", "won"))
    return deal.id


async def test_the_item_is_posted_signed_and_a_500_is_tried_again(
        services: CrmServices, admin: Staff, hooked: Automation, receiver: Receiver,
        clock: FrozenClock) -> None:
    receiver.statuses = [500]
    await add_rule(hooked, admin, await stage_id(services, "deal", "won"), "webhook",
                   {"url": receiver.url()}, title="Tell the ERP")
    deal = await _won_deal(services, admin)
    await hooked.tick()
    assert len(receiver.calls) == 1
    shown = (await hooked.status.status(admin, deal)).current[0]
    assert shown.shown is Shown.SENDING  # not given up: tried again after a pause

    clock.advance(seconds=1)
    await hooked.tick()
    assert await runs_of(services, deal) == [("Tell the ERP", RunState.DONE)]
    (first_headers, first), (headers, body) = receiver.calls
    assert first == body  # the same delivery, byte for byte
    expected = hmac.new(SECRET.encode(), body, hashlib.sha256).hexdigest()
    assert headers["X-CRM-Signature"] == f"sha256={expected}"
    assert headers["Content-Type"] == "application/json"
    assert headers["X-CRM-Delivery"] == first_headers["X-CRM-Delivery"]
    sent = json.loads(body)
    assert (sent["item"]["id"], sent["item"]["title"], sent["item"]["amount"]) == (
        deal, "Relaunch", "10000.00")
    assert sent["item"]["products"] == [{"name": "Design", "price": "5000.00",
                                         "quantity": "2", "total": "10000.00"}]
    assert (sent["stage"]["code"], sent["previous_stage"]["code"]) == ("won", "new")
    assert sent["contact"]["email"] == "anna@example.org"


async def test_a_4xx_answer_fails_the_run_with_the_status(
        services: CrmServices, admin: Staff, hooked: Automation, receiver: Receiver) -> None:
    receiver.statuses = [404]
    await add_rule(hooked, admin, await stage_id(services, "deal", "won"), "webhook",
                   {"url": receiver.url(), "secret": "the-rules-own-secret"}, title="Hook")
    deal = await _won_deal(services, admin)
    await hooked.tick()
    assert await failure(hooked, admin, deal, "Hook") == \
        "the webhook receiver refused the call: HTTP 404 Not Found"
    headers, body = receiver.calls[0]
    own = hmac.new(b"the-rules-own-secret", body, hashlib.sha256).hexdigest()
    assert headers["X-CRM-Signature"] == f"sha256={own}"


async def test_private_addresses_are_refused_when_saved_unless_allowed(
        services: CrmServices, admin: Staff, receiver: Receiver) -> None:
    strict = engine(services, allow=False)
    won = await stage_id(services, "deal", "won")
    for url in (receiver.url(), "http://10.0.0.7/hook", "http://[::1]/hook",
                "http://169.254.169.254/latest/meta-data"):
        with pytest.raises(RuleInvalid) as refused:
            await add_rule(strict, admin, won, "webhook", {"url": url})
        assert "private or local address" in refused.value.params["errors"][0]["reason"]
    with pytest.raises(RuleInvalid):
        await add_rule(strict, admin, won, "webhook", {"url": "ftp://93.184.215.14/hook"})
    assert (await add_rule(strict, admin, won, "webhook", {"url": "https://93.184.215.14/h"})).id
    unsigned = build_automation(services, EngineConfig(), Renderer(TEMPLATES), {})
    with pytest.raises(RuleInvalid) as no_secret:
        await add_rule(unsigned, admin, won, "webhook", {"url": "https://93.184.215.14/h"})
    assert no_secret.value.params["errors"][0]["field"] == "secret"


async def test_an_address_that_became_private_is_refused_at_send_time(
        services: CrmServices, admin: Staff, receiver: Receiver) -> None:
    lenient_then_strict = engine(services, allow=True, send_allow=False)
    await add_rule(lenient_then_strict, admin, await stage_id(services, "deal", "won"),
                   "webhook", {"url": receiver.url("localhost")}, title="Hook")
    deal = await _won_deal(services, admin)
    await lenient_then_strict.tick()
    await lenient_then_strict.stop()
    assert receiver.calls == []
    reason = await failure(lenient_then_strict, admin, deal, "Hook")
    assert reason.startswith("the webhook address is refused: localhost is ")
    assert reason.endswith("(an admin can allow it with WEBHOOKS_ALLOW_PRIVATE)")


async def test_an_unreachable_receiver_is_tried_with_backoff_then_given_up(
        services: CrmServices, admin: Staff, clock: FrozenClock) -> None:
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    patient = engine(services, attempts=3)
    await add_rule(patient, admin, await stage_id(services, "deal", "won"), "webhook",
                   {"url": f"http://127.0.0.1:{port}/hook"}, title="Hook")
    deal = await _won_deal(services, admin)
    for pause in (0, 1, 2):  # the outbox waits 1 s, then 2 s
        clock.advance(seconds=pause)
        await patient.tick()
    await patient.stop()
    assert (await runs_of(services, deal))[0][1] is RunState.FAILED
    assert (await failure(patient, admin, deal, "Hook")).startswith(
        "the webhook receiver could not be reached, the last try gave: ")
