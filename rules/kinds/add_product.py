"""Add a product to the item: name, price and quantity (each may be a template). The item's
amount then is the sum of its products (price × quantity), in the item's currency."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import ClassVar

from pydantic import Field

from crm.errors import InputProblem, InvalidInput
from crm.i18n import N_, translate
from crm.models import Product
from crm.services.item_edits import add_product, parse_amount
from crm.services.items import MAX_TITLE
from rules.kinds.base import KindContext, KindGroup, Params, RuleKind, Validation
from rules.kinds.questions import Answer, Question
from rules.kinds.values import VALUE_REASONS, checked_value, failure, invalid_value, value_of
from rules.reason_codes import Reason

MAX_QUANTITY = Decimal(1_000_000)
ADD = N_("add product “{name}”: {quantity} × {price} {currency}")


class AddProductParams(Params):
    name: str = Field(min_length=1, max_length=500)
    price: str = Field(min_length=1, max_length=500)  # 1500, 1.500,00 or a template
    quantity: str = Field("1", min_length=1, max_length=500)


def parse_product(name: str, price: tuple[str, bool], quantity: tuple[str, bool]) -> Product:
    """Raises InvalidInput(reason=not_a_product_name | not_an_amount | not_a_quantity)."""
    title = name.strip()
    if not title or len(title) > MAX_TITLE:
        raise InvalidInput(field="name", value=title[:40], problem=InputProblem.NOT_A_PRODUCT_NAME)
    text = quantity[0].strip().replace(",", ".")
    try:
        amount = Decimal(text)
    except InvalidOperation as exc:
        raise InvalidInput(field="quantity", value=text,
                           problem=InputProblem.NOT_A_QUANTITY) from exc
    if not amount.is_finite() or not 0 < amount <= MAX_QUANTITY:
        raise InvalidInput(field="quantity", value=text, problem=InputProblem.NOT_A_QUANTITY)
    return Product(title, parse_amount(price[0], price[1]), amount)


class AddProduct(RuleKind[AddProductParams]):
    code = "add_product"
    group = KindGroup.DATA
    name = N_("Add a product")
    params_model = AddProductParams
    questions = (
        Question("name", Answer.TEXT, N_("The product's name?"), example=N_("e.g. Hosting")),
        Question("price", Answer.TEXT, N_("Its price?"), example=N_("e.g. 1.500,00")),
        Question("quantity", Answer.TEXT, N_("How many? (Skip: 1)"), optional=True,
                 example=N_("e.g. 2")),
    )
    reasons: ClassVar[dict[Reason, str]] = VALUE_REASONS

    async def execute(self, ctx: KindContext, params: AddProductParams) -> None:
        name, _computed = await value_of(ctx, params.name)
        try:
            product = parse_product(name, await value_of(ctx, params.price),
                                    await value_of(ctx, params.quantity))
        except InvalidInput as error:
            raise failure(error) from error
        item = ctx.subject.item
        ctx.result.update(product=product.name, price=str(product.price),
                          quantity=str(product.quantity))
        describe = translate(ADD, ctx.config.default_language, name=product.name,
                             quantity=product.quantity, price=product.price,
                             currency=item.currency)

        async def write() -> None:
            try:
                changed = await add_product(ctx.uow, item.id, product, ctx.now)
            except InvalidInput as error:
                raise failure(error) from error
            ctx.result["amount"] = str(changed.amount)

        await ctx.effects.apply(describe, write)

    async def validate(self, params: AddProductParams, check: Validation) -> None:
        name = await checked_value(check, params.name)
        price = await checked_value(check, params.price)
        quantity = await checked_value(check, params.quantity)
        try:  # plain values must fit; a template's value is checked when the rule runs
            parse_product(name or "sample", (price or "1", False), (quantity or "1", False))
        except InvalidInput as error:
            raise invalid_value(self.code, str(error.params.get("field")), error) from error

    def summary(self, params: AddProductParams, language: str) -> str:
        name = translate(self.name, language)
        return f"{name}: {params.name} ({params.quantity} × {params.price})"


KIND = AddProduct()
