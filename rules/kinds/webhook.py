"""Outgoing webhook: POSTs the item (with its stage, products, contact and company) as JSON
to a URL, signed with HMAC-SHA256 (the rule's own secret, or WEBHOOK_SIGNING_SECRET), through
the outbox: delivered after the run commits, retried with backoff, see rules.webhooks."""

from __future__ import annotations

from typing import ClassVar

from pydantic import Field, field_validator

from crm.i18n import N_, translate
from rules.kinds.base import KindContext, KindGroup, Params, RuleKind, RunFailure, Validation
from rules.kinds.questions import Answer, Question
from rules.kinds.values import invalid
from rules.reason_codes import Reason
from rules.webhooks.addresses import (
    AddressRefused,
    UrlInvalid,
    calls_own_trigger,
    check_host,
    split_url,
)
from rules.webhooks.body import DELIVERY_HEADER, SIGNATURE_HEADER, body_of, signature

POST = N_("POST the item to {url} (signed, {size} bytes)")
REFUSED = N_("{host} is a private or local address; an admin can allow such addresses "
             "with WEBHOOKS_ALLOW_PRIVATE")
UNKNOWN_HOST = N_("the host {host} cannot be found")
OWN_TRIGGER = N_("this is a trigger URL of this bot: a rule calling it would move items in a "
                 "loop; move the item with a rule of the kind “move to another stage”")
NO_SECRET = N_("give the rule a secret or set WEBHOOK_SIGNING_SECRET")


class WebhookParams(Params):
    url: str = Field(min_length=10, max_length=2000)
    secret: str | None = Field(None, min_length=16, max_length=256)  # None: from settings

    @field_validator("url")
    @classmethod
    def _http(cls, url: str) -> str:
        try:
            split_url(url)
        except UrlInvalid as exc:
            raise ValueError(N_("the URL must be an http:// or https:// address")) from exc
        return url.strip()


class Webhook(RuleKind[WebhookParams]):
    code = "webhook"
    group = KindGroup.INTEGRATION
    name = N_("Outgoing webhook")
    params_model = WebhookParams
    questions = (
        Question("url", Answer.TEXT, N_("The address to call?"),
                 example=N_("e.g. https://example.org/hook")),
    )
    reasons: ClassVar[dict[Reason, str]] = {
        Reason.WEBHOOK_NO_SECRET: N_("the webhook has no signing secret: give the rule a secret "
                                     "or set WEBHOOK_SIGNING_SECRET"),
        Reason.WEBHOOK_REJECTED: N_("the webhook receiver refused the call: {detail}"),
        Reason.WEBHOOK_UNREACHABLE: N_("the webhook receiver could not be reached, the last "
                                       "try gave: {detail}"),
        Reason.WEBHOOK_ADDRESS_REFUSED: N_("the webhook address is refused: {detail} (an admin "
                                           "can allow it with WEBHOOKS_ALLOW_PRIVATE)"),
        Reason.WEBHOOK_BAD_URL: N_("the webhook URL is not an http(s) address: {detail}"),
    }

    async def execute(self, ctx: KindContext, params: WebhookParams) -> None:
        secret = params.secret or ctx.config.webhook_secret
        if not secret:
            raise RunFailure(Reason.WEBHOOK_NO_SECRET)
        body = body_of(ctx.subject, ctx.now)
        host, _port = split_url(params.url)
        headers = {SIGNATURE_HEADER: signature(secret, body),
                   DELIVERY_HEADER: f"run-{ctx.run_id}" if ctx.run_id else "test"}
        ctx.result.update(url=params.url, bytes=len(body.encode()))
        describe = translate(POST, ctx.config.default_language, url=params.url,
                             size=len(body.encode()))
        await ctx.effects.queue("webhook", "post", None, {
            "url": params.url, "body": body, "headers": headers, "role": "webhook",
            "name": host}, describe=describe)

    async def validate(self, params: WebhookParams, check: Validation) -> None:
        config = check.config
        if not params.secret and not (config and config.webhook_secret):
            raise invalid(self.code, "secret", NO_SECRET)
        if config is not None and calls_own_trigger(params.url, config.own_urls):
            raise invalid(self.code, "url", OWN_TRIGGER)
        if config is not None and config.webhooks_allow_private:
            return
        host, port = split_url(params.url)
        try:
            await check_host(host, port)
        except AddressRefused as error:
            raise invalid(self.code, "url", REFUSED, host=f"{host} ({error.address})") from error
        except OSError as error:  # socket.gaierror: the name does not resolve
            raise invalid(self.code, "url", UNKNOWN_HOST, host=host) from error

    def summary(self, params: WebhookParams, language: str) -> str:
        host, _port = split_url(params.url)
        return f"{translate(self.name, language)}: {host}"


KIND = Webhook()
