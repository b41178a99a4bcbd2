"""The rule dialog's questions, in order. Each `ask_*` sets the step and asks; which step
follows the kind's settings depends on whether a rule is being added (execution → time →
condition → save) or one part of a rule is being changed (save at once).

A `Flow` is built per update by `FlowMiddleware` from the workflow data, so the handlers
stay short: they read the answer, store it in the FSM data and call the next `ask_*`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import CallbackQuery, Message, TelegramObject
from aiogram.utils.i18n import gettext as _

from bot.common.formatting import localized
from bot.common.texts import role_text
from bot.rules import dialog_views as views
from bot.rules import question_views
from bot.rules.callbacks import Step
from bot.rules.chat import RulesChat
from bot.rules.choices import available_templates, kind_list
from bot.rules.error_texts import rule_invalid_text
from bot.rules.rule_text import title_suggestion
from bot.rules.saving import save
from bot.rules.states import RuleDialog
from crm.i18n import translate
from crm.models import Role, TeamChat
from rules.errors import RuleInvalid
from rules.kinds import CATALOGUE
from rules.kinds.base import AnyRuleKind
from rules.kinds.questions import MESSAGE, Answer, Question, next_question, questions_for
from rules.model import Timing
from rules.previews import Previews
from rules.rendering import TemplateSource
from rules.services.validation import parse_params


@dataclass(slots=True)
class Flow(RulesChat):
    """The rule dialog: a `RulesChat` that asks the next question."""

    async def kind(self) -> AnyRuleKind:
        return CATALOGUE[(await self.data())["kind"]]

    def templates(self) -> list[str]:
        return available_templates(self.settings.templates_dir)

    async def team_chats(self) -> list[TeamChat]:
        return await self.services.team_chats.list()

    async def ask_type(self) -> None:
        await self.state.set_state(RuleDialog.type)
        types = await self.services.catalog.types()
        await self.show(_("New rule: for which type? (/cancel to stop)"),
                        views.types_keyboard(types, self.lang))

    async def ask_pipeline(self, type_code: str) -> None:
        await self.state.update_data(type_code=type_code)
        pipelines = await self.services.catalog.pipelines(type_code)
        if len(pipelines) == 1:
            await self.ask_stage(pipelines[0].id)
            return
        await self.state.set_state(RuleDialog.pipeline)
        await self.show(_("Which pipeline?"), views.pipelines_keyboard(pipelines, self.lang))

    async def ask_stage(self, pipeline_id: int) -> None:
        await self.state.update_data(pipeline_id=pipeline_id)
        await self.state.set_state(RuleDialog.stage)
        _pipeline, stages = await self.services.catalog.pipeline(pipeline_id)
        await self.show(_("The rule runs when an item enters a stage. Which stage?"),
                        views.stages_keyboard(stages, self.lang))

    async def ask_kind(self, stage_id: int) -> None:
        await self.state.update_data(stage_id=stage_id)
        await self.state.set_state(RuleDialog.kind)
        await self.show(views.kinds_text(self.lang), views.kinds_keyboard(self.lang))

    async def ask_settings(self) -> None:
        """The next of the kind's settings still open; when none is, what follows them."""
        data = await self.data()
        kind = CATALOGUE[data["kind"]]
        params = data.get("params") or {}
        question = None if data.get("params_done") else next_question(
            kind, params, data.get("asked") or [])
        if question is None:
            await self.settings_done(kind, params)
            return
        await self.state.update_data(question=question.name)
        current = data.get("current") or {}
        keep = question.name in current or (question.answer is Answer.MESSAGE
                                            and bool(current.get("text")))
        if question.answer is Answer.STAFF:
            await self.state.set_state(RuleDialog.staff)
        elif question.answer is Answer.TEAM_CHAT:
            await self.ask_chat(question, keep)
            return
        elif question.answer is Answer.MESSAGE:
            await self.ask_message(kind, keep)
            return
        else:
            await self.state.set_state(RuleDialog.question)
        choices = await self.choices(question)
        now = await self.current_label(question, current)
        await self.show(question_views.question_text(kind, question, self.lang, now),
                        question_views.question_keyboard(
                            Step.STAFF if question.answer is Answer.STAFF else Step.ANSWER,
                            [(label, value if question.answer is Answer.STAFF else i)
                             for i, (value, label) in enumerate(choices)],
                            question, keep, 1 if len(choices) < 5 else 2))

    async def question(self) -> Question | None:
        data = await self.data()
        asked = {q.name: q for q in questions_for(await self.kind())}
        return asked.get(str(data.get("question")))

    async def choices(self, question: Question) -> list[tuple[Any, str]]:
        """(stored value, label) of each button a question offers; typed ones have none."""
        answer = question.answer
        if answer is Answer.CHOICE:
            return [(value, translate(label, self.lang)) for value, label in question.choices]
        if answer is Answer.YES_NO:
            return [(True, _("Yes")), (False, _("No"))]
        if answer is Answer.STAFF:
            return [(m.user_id, m.name) for m in await self.services.staff.list(self.staff)]
        if answer is Answer.ROLE:
            return [(role.value, role_text(role)) for role in Role]
        data = await self.data()
        if answer is Answer.STAGE:  # of the pipeline chosen in the settings, or the rule's
            pipeline_id = (data.get("params") or {}).get("pipeline_id") or data["pipeline_id"]
            _pipeline, stages = await self.services.catalog.pipeline(int(pipeline_id))
            return [(stage.id, localized(stage, self.lang)) for stage in stages]
        if answer is Answer.PIPELINE:
            pipeline, _stages = await self.services.catalog.pipeline(int(data["pipeline_id"]))
            return [(p.id, localized(p, self.lang))
                    for p in await self.services.catalog.pipelines(pipeline.type_code)]
        return []

    async def current_label(self, question: Question, current: dict[str, Any]) -> str | None:
        if question.name not in current:
            return None
        value = current[question.name]
        return next((label for choice, label in await self.choices(question)
                     if choice == value), str(value))

    async def ask_message(self, kind: AnyRuleKind, keep: bool) -> None:
        await self.state.set_state(RuleDialog.source)
        texts = await self.template_previews()
        await self.show(question_views.message_text(kind, self.lang, texts, None),
                        question_views.message_keyboard(texts, MESSAGE, keep))

    async def template_previews(self) -> list[str]:
        previews = Previews(self.automation.renderer, self.settings.templates_dir)
        return [await previews.message(TemplateSource(name=name), self.lang, 80) or name
                for name in self.templates()]

    async def settings_done(self, kind: AnyRuleKind, params: dict[str, Any]) -> None:
        """All asked: the settings are checked as a whole before the dialog goes on."""
        try:
            parse_params(kind, params)
        except RuleInvalid as error:
            await self.state.update_data(params={}, asked=[], params_done=False)
            await self.say(rule_invalid_text(error.params, self.lang) + "\n" + _(
                "Let us go through the settings once more."))
            await self.ask_settings()
            return
        await self.state.update_data(params_done=True)
        await self.after_settings()

    async def ask_chat(self, question: Question, keep: bool) -> None:
        chats = await self.team_chats()
        if not chats:
            await self.state.clear()
            await self.show(_("There is no team chat yet. Add the bot to your team's group "
                              "first, then add the rule again. Nothing was saved."))
            return
        await self.state.set_state(RuleDialog.chat)
        kind = await self.kind()
        await self.show(question_views.question_text(kind, question, self.lang, None),
                        question_views.question_keyboard(
                            Step.CHAT, [(c.title, c.chat_id) for c in chats], question, keep, 1))

    async def after_settings(self) -> None:
        data = await self.data()
        if data.get("rule_id") or data.get("complete"):
            await self.save()
        else:
            await self.ask_execution()

    async def ask_execution(self) -> None:
        await self.state.set_state(RuleDialog.execution)
        await self.show(_("Should it run independently of the other rules of the stage, or "
                          "wait until the rule before it has finished?"),
                        views.execution_keyboard())

    async def ask_timing(self) -> None:
        await self.state.set_state(RuleDialog.timing)
        data = await self.data()
        await self.show(views.timing_text(), views.timing_keyboard(
            bool(data.get("working")), bool(data.get("responsible_hours"))))

    async def chose_timing(self, timing: Timing) -> None:
        await self.state.update_data(timing=timing.model_dump(mode="json"))
        if (await self.data()).get("rule_id"):
            await self.save()
        else:
            await self.ask_condition()

    async def ask_condition(self) -> None:
        await self.state.set_state(RuleDialog.condition)
        await self.show(views.condition_text(), views.condition_keyboard())

    async def chose_condition(self, condition: dict[str, Any] | None) -> None:
        await self.state.update_data(condition=condition, complete=True)
        if (await self.data()).get("rule_id"):
            await self.save()
        else:
            await self.ask_title()

    async def ask_title(self) -> None:
        data = await self.data()
        suggestion = title_suggestion(data["kind"], data.get("params") or {},
                                      Timing.model_validate(data["timing"]), self.lang)
        await self.state.update_data(suggested_title=suggestion)
        await self.state.set_state(RuleDialog.title)
        await self.show(views.title_text(suggestion), views.title_keyboard())

    async def save(self) -> None:
        if not await save(self):  # something to correct: its settings are asked again
            await self.ask_settings()

    async def chose_kind(self, kind_index: int) -> bool:
        kinds = kind_list()
        if not 0 <= kind_index < len(kinds):
            return False
        await self.state.update_data(kind=kinds[kind_index].code, params={}, asked=[],
                                     params_done=False)
        await self.ask_settings()
        return True


Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]


class FlowMiddleware(BaseMiddleware):
    """Gives the dialog's handlers a `flow` built from the workflow data."""

    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        if isinstance(event, Message | CallbackQuery) and data.get("staff") is not None:
            data["flow"] = Flow(event, data["state"], data["services"], data["automation"],
                                data["staff"], data.get("lang", "en"), data["settings"])
        return await handler(event, data)
