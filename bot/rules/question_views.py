"""The rule dialog's questions about a kind's settings: one setting per screen, buttons for a
choice, an example for a typed value, "skip" for an optional one, "keep" when a rule is
changed — and, for those who like it, all settings typed at once."""

from __future__ import annotations

import re

from aiogram.filters.callback_data import CallbackData
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup
from aiogram.utils.i18n import gettext as _
from aiogram.utils.keyboard import InlineKeyboardBuilder

from bot.common.formatting import escape
from bot.rules.browse_views import MAX_LABEL
from bot.rules.callbacks import DialogCb, Step
from crm.i18n import translate
from rules.kinds.base import AnyRuleKind
from rules.kinds.questions import Answer, Question, questions_for

TYPED = frozenset({Answer.TEXT, Answer.NUMBER})
# A button tells messages apart by what follows "Dear Anna Schmidt," (the sample client).
_SALUTATION = re.compile(r"^[^,!.]{0,30}Anna Schmidt[,!.]\s*")


def head(kind: AnyRuleKind, lang: str) -> str:
    return f"<b>{escape(translate(kind.name, lang))}</b>"


def question_text(kind: AnyRuleKind, question: Question, lang: str, now: str | None) -> str:
    lines = [head(kind, lang), escape(translate(question.label, lang))]
    if question.answer in TYPED:
        lines.append(_("Please type it ({example}).").format(
            example=escape(translate(question.example, lang))) if question.example
            else _("Please type it."))
    if now is not None:
        lines.append(_("Now: {value}").format(value=escape(now)))
    lines.append(_("(/cancel to stop)"))
    return "\n".join(lines)


def question_keyboard(step: Step, choices: list[tuple[str, int]], question: Question,
                      keep: bool, columns: int = 2) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for label, value in choices:
        builder.button(text=label[:MAX_LABEL], callback_data=DialogCb(step=step, value=value))
    builder.adjust(columns)
    extras: list[tuple[str, CallbackData]] = []
    if keep:
        extras.append((_("↩️ Keep as it is"), DialogCb(step=Step.KEEP)))
    if question.optional:
        extras.append((_("⏭ Skip"), DialogCb(step=Step.SKIP)))
    extras.append((_("⌨️ Type all settings at once"), DialogCb(step=Step.TYPE_ALL)))
    for label, data in extras:
        builder.row(InlineKeyboardButton(text=label, callback_data=data.pack()))
    return builder.as_markup()


def message_text(kind: AnyRuleKind, lang: str, previews: list[str], now: str | None) -> str:
    lines = [head(kind, lang) + ": " + _("which message?")]
    if previews:
        lines.append(_("Choose one of these messages (shown for a made-up deal), or type the text "
                       "of the message here:"))
        lines += [f"{number}. {escape(text)}" for number, text in enumerate(previews, 1)]
    else:
        lines.append(_("Please type the text of the message here."))
    if now is not None:
        lines.append(_("Now: {value}").format(value=escape(now)))
    lines.append(_("(/cancel to stop)"))
    return "\n".join(lines)


def message_keyboard(previews: list[str], question: Question, keep: bool
                     ) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for index, text in enumerate(previews):
        label = f"{index + 1}. {_SALUTATION.sub('', text)}"
        builder.button(text=label[:MAX_LABEL], callback_data=DialogCb(step=Step.TEMPLATE,
                                                                      value=index))
    builder.adjust(1)
    extras = [(_("✍️ Write my own text"), DialogCb(step=Step.OWN_TEXT))]
    if keep:
        extras.append((_("↩️ Keep as it is"), DialogCb(step=Step.KEEP)))
    for label, data in extras:
        builder.row(InlineKeyboardButton(text=label, callback_data=data.pack()))
    return builder.as_markup()


def own_text_prompt(kind: AnyRuleKind, lang: str) -> str:
    return "\n".join([
        head(kind, lang) + ": " + _("please type the text of the message."),
        _("It may fill in the item's data with placeholders: {{ contact.name }} (the "
          "client's name), {{ item.title }}, {{ item.amount|money }}, {{ responsible.name }}."),
        _("(/cancel to stop)")])


def params_text(kind: AnyRuleKind, lang: str, current: str | None) -> str:
    """All settings typed at once: each setting's name and question."""
    lines = [head(kind, lang) + ": " + _("its settings, one <code>name = value</code> per line "
                                         "(or as JSON):")]
    asked = {q.name: q for q in questions_for(kind)}
    for name, field in kind.params_model.model_fields.items():
        question = asked.get(name)
        words = translate(question.label, lang) if question and question.label != name else ""
        need = _("optional") if not field.is_required() else _("required")
        lines.append(f"• <code>{escape(name)}</code> – " + escape(
            f"{words} ({need})" if words else need))
    if current:
        lines.append(_("Now: <code>{params}</code>").format(params=escape(current)))
    lines.append(_("(/cancel to stop)"))
    return "\n".join(lines)
