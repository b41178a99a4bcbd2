"""Errors of the rules engine, in the domain's AppError family (the bot translates codes)."""

from __future__ import annotations

from typing import Any

from crm.errors import AppError, InvalidInput
from rules.reason_codes import Reason


class _Invalid(InvalidInput):
    """The rules' own invalid inputs: free params (field, value, reason and more, see each
    class), their reasons named by strings of their own, not crm's InputProblem."""

    def __init__(self, **params: Any) -> None:
        AppError.__init__(self, **params)
        self.field, self.value = str(params.get("field", "")), params.get("value", "")
        self.problem = None


class ConditionError(_Invalid):
    """A condition that cannot be parsed or evaluated.

    params: field='condition', value (the text or field), reason, position (1-based column of
    the offending token; 0 for trees that were not typed), token.
    reasons: empty_condition, unexpected_character, unclosed_quote, unknown_field,
    expected_operator, missing_value, expected_and, unclosed_parenthesis, unexpected_token,
    not_a_number, not_a_date, bad_tree.
    """

    code = "invalid_condition"


class TemplateProblem(_Invalid):
    """A template that cannot be rendered.

    params: field='template', value (template name or 'inline'), reason, line, detail.
    reasons (they double as run failure reasons): template_error, template_not_found,
    template_unsafe, template_too_big (a value beyond the sandbox's caps or the render
    worker's memory), template_timeout, template_too_large, message_too_long.
    """

    code = "invalid_template"

    @property
    def reason(self) -> Reason:
        """A template_* reason or message_too_long (template_error when none fits)."""
        return Reason.read(self.params.get("reason")) or Reason.TEMPLATE_ERROR

    def describe(self) -> str:
        """One line for logs and test mode: `template quote.j2 line 3: 'x' is undefined`."""
        line = self.params.get("line")
        where = f"template {self.params.get('value')}" + (f" line {line}" if line else "")
        return f"{where}: {self.params.get('detail') or self.reason}"


class RuleInvalid(_Invalid):
    """A rule that cannot be saved. params: field, value, reason, errors (pydantic-style)."""

    code = "invalid_rule"


class RulesFileError(_Invalid):
    """A rules YAML file with problems. params: errors = [{line, field, reason}, ...]."""

    code = "invalid_rules_file"
