"""Telegram message to a team chat (a group the bot was added to by staff)."""

from __future__ import annotations

from crm.errors import Entity, NotFound
from crm.i18n import N_, translate
from rules.kinds import recipients
from rules.kinds.base import KindContext, KindGroup, RuleKind, Validation
from rules.kinds.messages import MessageParams, send_to_staff, summary_source, validate_message


class TeamChatParams(MessageParams):
    chat_id: int


class NotifyTeamChat(RuleKind[TeamChatParams]):
    code = "notify_team_chat"
    group = KindGroup.EMPLOYEE
    name = N_("Post to a team chat")
    params_model = TeamChatParams

    async def execute(self, ctx: KindContext, params: TeamChatParams) -> None:
        await send_to_staff(ctx, params, await recipients.team_chat(ctx, params.chat_id))

    async def validate(self, params: TeamChatParams, check: Validation) -> None:
        if not await check.lookup("team_chat", params.chat_id):
            raise NotFound(what=Entity.TEAM_CHAT, ref=params.chat_id)
        await validate_message(params, check)

    def summary(self, params: TeamChatParams, language: str) -> str:
        return f"{translate(self.name, language)}: {summary_source(params)}"


KIND = NotifyTeamChat()
