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

from bot.rules import dialog_views as views
from bot.rules.chat import RulesChat
from bot.rules.choices import available_templates, kind_list, missing_step
from bot.rules.saving import save
from bot.rules.states import RuleDialog
from crm.models import TeamChat
from rules.kinds import CATALOGUE
from rules.kinds.base import AnyRuleKind
from rules.model import Timing


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
        step = missing_step(kind, data.get("params") or {}, bool(data.get("params_done")))
        if step is None:
            await self.after_settings()
        elif step == "staff":
            await self.state.set_state(RuleDialog.staff)
            members = await self.services.staff.list(self.staff)
            await self.show(_("Which team member should be notified?"),
                            views.staff_keyboard(members))
        elif step == "chat":
            await self.ask_chat()
        elif step == "source":
            await self.state.set_state(RuleDialog.source)
            templates = self.templates()
            await self.show(views.source_text(kind, self.lang, templates),
                            views.templates_keyboard(templates) if templates else None)
        else:
            await self.state.set_state(RuleDialog.params)
            await self.show(views.params_text(kind, self.lang, data.get("params") or {}))

    async def ask_chat(self) -> None:
        chats = await self.team_chats()
        if not chats:
            await self.state.clear()
            await self.show(_("There is no team chat yet. Add the bot to your team's group "
                              "first, then add the rule again. Nothing was saved."))
            return
        await self.state.set_state(RuleDialog.chat)
        await self.show(_("Which team chat?"), views.chats_keyboard(chats))

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
        working = bool((await self.data()).get("working"))
        await self.show(views.timing_text(), views.timing_keyboard(working))

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
        await self.save()

    async def save(self) -> None:
        if not await save(self):  # something to correct: its settings are asked again
            await self.ask_settings()

    async def chose_kind(self, kind_index: int) -> bool:
        kinds = kind_list()
        if not 0 <= kind_index < len(kinds):
            return False
        await self.state.update_data(kind=kinds[kind_index].code, params={}, params_done=False)
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
