"""Keyboards of the /new dialog."""

from __future__ import annotations

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.new_item.callbacks import NewCb, NewStep
from crm.models import EntityType, Pipeline, localized


def type_keyboard(types: list[EntityType], language: str) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for entity_type in types:
        builder.button(text=localized(entity_type, language),
                       callback_data=NewCb(step=NewStep.TYPE, value=entity_type.position))
    builder.adjust(2)
    return builder.as_markup()


def pipeline_keyboard(pipelines: list[Pipeline], language: str) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for pipeline in pipelines:
        builder.button(text=localized(pipeline, language),
                       callback_data=NewCb(step=NewStep.PIPELINE, value=pipeline.id))
    builder.adjust(1)
    return builder.as_markup()


def skip_keyboard() -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(text=_("Skip"), callback_data=NewCb(step=NewStep.SKIP))
    return builder.as_markup()
