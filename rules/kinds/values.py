"""What the data kinds share: a value written in the rule — plain, or a template such as
`{{ item.amount * 1.19 }}` — rendered in the sandbox without HTML escaping (a title is
data, not a Telegram message), parsed for its field, and its failure reasons."""

from __future__ import annotations

from typing import Any

from crm.errors import InvalidInput
from crm.i18n import N_, fill
from rules.errors import RuleInvalid
from rules.kinds.base import KindContext, RunFailure, Validation
from rules.reason_codes import Reason
from rules.rendering import Renderer, TemplateSource

VALUE_REASONS: dict[Reason, str] = {
    Reason.UNKNOWN_FIELD: N_("there is no field {value} (use title, amount, currency, "
                             "probability or custom.<name>)"),
    Reason.NOT_A_TITLE: N_("the title “{value}” is empty or longer than 200 characters"),
    Reason.NOT_AN_AMOUNT: N_("“{value}” is not an amount (a number from 0 to 1,000,000,000,000)"),
    Reason.FROM_PRODUCTS: N_("the amount of an item with products is the sum of its products; "
                             "add a product instead"),
    Reason.NOT_A_CURRENCY: N_("“{value}” is not a currency code like EUR"),
    Reason.NOT_A_PROBABILITY: N_("“{value}” is not a probability (a whole number from 0 to 100)"),
    Reason.TOO_LONG: N_("the value for {field} is longer than 1000 characters"),
    Reason.NOT_A_QUANTITY: N_("“{value}” is not a quantity (more than 0, at most 1,000,000)"),
    Reason.NOT_A_PRODUCT_NAME: N_("the product name “{value}” is empty or longer than 200 "
                                  "characters"),
}


def is_template(text: str) -> bool:
    return "{{" in text or "{%" in text


async def render_plain(renderer: Renderer, text: str, context: dict[str, Any]) -> str:
    """The rendered text, unescaped; raises TemplateProblem."""
    source = TemplateSource(text="{% autoescape false %}" + text + "{% endautoescape %}")
    return await renderer.render(source, context)


async def value_of(ctx: KindContext, text: str) -> tuple[str, bool]:
    """(the value, whether a template computed it) for the run's item."""
    if not is_template(text):
        return text, False
    context = ctx.renderer.context(ctx.subject, ctx.config.default_language, ctx.now)
    return await render_plain(ctx.renderer, text, context), True


async def checked_value(check: Validation, text: str) -> str | None:
    """When a rule is saved: a plain value (returned, for the kind to parse), or a template
    that renders for the sample item (None: what it computes for a real item is checked
    when the rule runs — the sample's made-up values prove nothing about it)."""
    if not is_template(text):
        return text
    context = check.renderer.context(check.sample, "en", check.now)
    await render_plain(check.renderer, text, context)
    return None


def failure(error: InvalidInput) -> RunFailure:
    """A value that does not fit its field, as the run's failure reason."""
    params = error.params  # its InputProblem's value names a Reason of VALUE_REASONS
    return RunFailure(Reason.read(params.get("reason")) or Reason.NOT_AN_AMOUNT,
                      field=str(params.get("field", "")), value=str(params.get("value", "")))


def invalid(kind: str, param: str, reason: str, **params: Any) -> RuleInvalid:
    """A rule that cannot be saved, with the reason in words (English, as pydantic's; the
    message id and its values for other languages)."""
    return RuleInvalid(field="params", value=kind, reason="bad_params",
                       errors=[{"field": param, "reason": fill(reason, "en", params),
                                "type": "reason", "message": reason,
                                "values": {k: str(v) for k, v in params.items()}}])


def invalid_value(kind: str, param: str, error: InvalidInput) -> RuleInvalid:
    code = Reason.read(error.params.get("reason")) or Reason.NOT_AN_AMOUNT
    reason = VALUE_REASONS.get(code, VALUE_REASONS[Reason.NOT_AN_AMOUNT])
    return invalid(kind, param, reason, field=error.params.get("field", param),
                   value=error.params.get("value", ""))
