"""What a rule does, in a few words, as /rules shows it: a message rule shows the message as
it reads (in the admin's language, for a made-up item), not a file name or placeholders."""

from __future__ import annotations

from bot.rules.chat import RulesChat
from bot.rules.rule_text import kind_summary
from crm.i18n import quoted, translate
from rules.kinds import CATALOGUE
from rules.kinds.messages import MessageParams
from rules.model import Rule
from rules.previews import Previews
from rules.rendering import TemplateSource

PREVIEW = 50


async def rule_summaries(flow: RulesChat, rules: list[Rule]) -> dict[int, str]:
    previews = Previews(flow.automation.renderer, flow.settings.templates_dir)
    return {rule.id: await summary(previews, rule, flow.lang) for rule in rules}


async def summary(previews: Previews, rule: Rule, lang: str) -> str:
    kind = CATALOGUE.get(rule.kind)
    template, text = rule.params.get("template"), rule.params.get("text")
    if kind is None or not issubclass(kind.params_model, MessageParams) or not (
            template or text):
        return kind_summary(rule.kind, rule.params, lang)
    source = TemplateSource(name=template) if template else TemplateSource(text=str(text))
    shown = await previews.message(source, lang, PREVIEW)
    if shown is None:
        return kind_summary(rule.kind, rule.params, lang)
    return f"{translate(kind.name, lang)}: {quoted(shown, lang)}"
