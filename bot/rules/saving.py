"""The end of the rule dialog: save the new rule (or the changed part of one) and show it.

A template that does not render is reported with template, line and detail, and the
dialog goes back to the message step with everything else kept; settings that no longer
hold (a staff member who left) go back to the settings. After a new rule is saved, the
items already in its stage are counted and the admin may apply the rule to them.
"""

from __future__ import annotations

from typing import Any

from aiogram.utils.i18n import gettext as _
from aiogram.utils.i18n import ngettext

from bot.common.formatting import escape, localized
from bot.common.texts import error_text
from bot.rules.browse_views import apply_keyboard
from bot.rules.chat import RulesChat
from bot.rules.choices import params_to_change
from bot.rules.error_texts import rules_error_text
from bot.rules.rule_text import kind_summary
from bot.rules.screens import show_rule
from crm.errors import NotFound
from rules.errors import RuleInvalid, TemplateProblem
from rules.kinds import CATALOGUE
from rules.model import Execution, Rule, Timing

SOURCE_KEYS = ("template", "text")


async def save(flow: RulesChat) -> bool:
    """False when the rule was not saved and its settings must be asked again."""
    data = await flow.data()
    try:
        if data.get("rule_id"):
            rule = await flow.automation.rules.update(flow.staff, int(data["rule_id"]),
                                                      **changes(data))
        else:
            rule = await flow.automation.rules.add(flow.staff, new_rule(data, flow.lang))
    except TemplateProblem as problem:
        await _retry_settings(flow, data, rules_error_text(problem, flow.lang) or "", True)
        return False
    except (RuleInvalid, NotFound) as error:
        text = rules_error_text(error, flow.lang) or error_text(error)
        await _retry_settings(flow, data, text, False)
        return False
    await flow.state.clear()
    await show_rule(flow, rule.id, _("✅ Saved."))
    if not data.get("rule_id"):
        await ask_apply(flow, rule)
    return True


def new_rule(data: dict[str, Any], lang: str) -> Rule:
    params = dict(data.get("params") or {})
    # type and pipeline follow from the stage when the rule is checked
    return Rule(id=0, type_code=str(data.get("type_code") or ""),
                pipeline_id=int(data.get("pipeline_id") or 0),
                stage_id=int(data["stage_id"]), position=0,
                title=str(data.get("title") or kind_summary(data["kind"], params, lang))[:80],
                kind=str(data["kind"]),
                params=params, execution=Execution(data["execution"]),
                timing=Timing.model_validate(data["timing"]), condition=data.get("condition"))


def changes(data: dict[str, Any]) -> dict[str, Any]:
    """The parts of an existing rule the dialog changed."""
    changed: dict[str, Any] = {}
    for name in data.get("changes") or []:
        value = data.get(name)
        changed[name] = Timing.model_validate(value) if name == "timing" else value
    return changed


async def _retry_settings(flow: RulesChat, data: dict[str, Any], problem: str,
                          template: bool) -> None:
    """Back to the kind's settings: for a message's template problem only the message is
    asked again; otherwise every setting, each offering to keep its answer (the dialog asks)."""
    kind = CATALOGUE[data["kind"]]
    params = dict(data.get("params") or {})
    asked = list(data.get("asked") or [])
    current = dict(data.get("current") or {})
    if template and "template" in asked:
        params = {k: v for k, v in params.items() if k not in SOURCE_KEYS}
        asked.remove("template")
    else:
        current = {**current, **params}
        params, asked = params_to_change(kind, params), []
    changed = list(dict.fromkeys([*(data.get("changes") or []), "params"]))
    await flow.state.update_data(params=params, asked=asked, current=current,
                                 params_done=False, changes=changed)
    await flow.say(problem + "\n" + _("Nothing was saved yet; the other answers are kept. "
                                      "Please correct it (or /cancel)."))


async def ask_apply(flow: RulesChat, rule: Rule) -> None:
    count = await flow.automation.rules.items_waiting_for(flow.staff, rule.id)
    if not count:
        return
    stage = await flow.services.catalog.stage(rule.stage_id)
    await flow.say(ngettext(
        "{count} item is already in the stage “{stage}”. Rules are not retroactive: this one "
        "runs for items that enter the stage from now on. Apply it to the item already there?",
        "{count} items are already in the stage “{stage}”. Rules are not retroactive: this one "
        "runs for items that enter the stage from now on. Apply it to the {count} items already "
        "there?", count).format(
        count=count, stage=escape(localized(stage, flow.lang))), apply_keyboard(rule.id, count))
