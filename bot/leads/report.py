"""/report leads [period]: leads by source with their conversion rates, as text and as a
bar chart (drawn in a worker thread, so the bot keeps answering meanwhile)."""

from __future__ import annotations

import asyncio

from aiogram import Router
from aiogram.filters import Command, CommandObject
from aiogram.types import BufferedInputFile, Message

from bot.common.replies import usage
from bot.leads.chart import grouped_bars_png
from bot.leads.report_views import (
    chart_labels,
    chart_title,
    parse_period,
    report_text,
    report_usage,
)
from bot.settings import Settings
from crm.container import CrmServices


async def lead_report(message: Message, command: CommandObject, services: CrmServices,
                      lang: str, settings: Settings) -> None:
    what, _sep, period_text = (command.args or "").strip().partition(" ")
    period = parse_period(period_text, services.clock.now(), settings.timezone)
    if what.lower() != "leads" or period is None:
        await usage(message, report_usage())
        return
    report = await services.lead_report.report(period.start, period.end)
    await message.answer(report_text(report, period, lang, settings.timezone))
    if report.rows:
        categories, series = chart_labels(report)
        title = chart_title(report, period, lang, settings.timezone)
        png = await asyncio.to_thread(grouped_bars_png, categories, series, title)
        await message.answer_photo(BufferedInputFile(png, "leads-by-source.png"),
                                   caption=title)


def create_router() -> Router:
    router = Router(name=__name__)
    router.message.register(lead_report, Command("report"))
    return router
