"""/report leads [period] (leads by source) and /report sales [type] [period] (funnel, win
rate, days per stage): text, then a bar chart drawn in a worker thread, so the bot keeps
answering meanwhile."""

from __future__ import annotations

import asyncio

from aiogram import Router
from aiogram.filters import Command, CommandObject
from aiogram.types import BufferedInputFile, Message
from aiogram.utils.i18n import gettext as _

from bot.common.charts import grouped_bars_png
from bot.common.replies import usage
from bot.new_item.quick_form import find_type
from bot.reports import leads_views, sales_views
from bot.reports.period import Period, parse_period
from bot.settings import Settings
from crm.container import CrmServices
from crm.models import Staff

LEADS = ("leads", "lead")
SALES = ("sales", "vertrieb", "verkauf")


def report_usage() -> str:
    return _("/report leads [period] — leads by source; /report sales [type] [period] — "
             "funnel, win rate and days per stage; period: 7d, 30d (or any number of days), "
             "month, all; e.g. /report sales month")


async def report(message: Message, command: CommandObject, services: CrmServices,
                 staff: Staff, lang: str, settings: Settings) -> None:
    what, _sep, rest = (command.args or "").strip().partition(" ")
    now = services.clock.now()
    period = parse_period(rest, now, settings.timezone)
    if what.lower() in LEADS and period is not None:
        await lead_report(message, services, period, lang, settings)
        return
    if what.lower() in SALES:
        type_word = "deal"
        if period is None:  # a type first: /report sales quote 30d
            type_word, _sep, rest = rest.strip().partition(" ")
            period = parse_period(rest, now, settings.timezone)
        if period is not None:
            await sales_report(message, services, staff, type_word, period, lang, settings)
            return
    await usage(message, report_usage())


async def lead_report(message: Message, services: CrmServices, period: Period, lang: str,
                      settings: Settings) -> None:
    found = await services.lead_report.report(period.start, period.end)
    await message.answer(leads_views.report_text(found, period, lang, settings.timezone))
    if found.rows:
        categories, series = leads_views.chart_labels(found)
        title = leads_views.chart_title(found, period, lang, settings.timezone)
        await _chart(message, categories, series, title, "leads-by-source.png")


async def sales_report(message: Message, services: CrmServices, staff: Staff,
                       type_word: str, period: Period, lang: str, settings: Settings) -> None:
    entity_type = find_type(await services.catalog.types(include_hidden=True), type_word)
    pipelines = await services.catalog.pipelines(entity_type.code) if entity_type else []
    if entity_type is None or not pipelines:
        await usage(message, report_usage())
        return
    pipeline = next((p for p in pipelines if p.is_default), pipelines[0])
    found = await services.sales_report.report(staff, pipeline.id, period.start, period.end)
    label = sales_views.pipeline_label(found, entity_type, len(pipelines) > 1, lang)
    await message.answer(sales_views.sales_text(found, label, period, lang, settings.timezone))
    if not found.team.empty:
        categories, series = sales_views.chart_labels(found, lang)
        title = sales_views.chart_title(label, found, period, lang, settings.timezone)
        await _chart(message, categories, series, title, "sales-funnel.png")


async def _chart(message: Message, categories: list[str],
                 series: list[tuple[str, list[int]]], title: str, name: str) -> None:
    png = await asyncio.to_thread(grouped_bars_png, categories, series, title)
    await message.answer_photo(BufferedInputFile(png, name), caption=title)


def create_router() -> Router:
    router = Router(name=__name__)
    router.message.register(report, Command("report"))
    return router
