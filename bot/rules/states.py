"""The dialogs of /rules: one for a rule's settings (adding a rule, or changing part of one),
one for importing a rules file. FSM data holds ids, codes and plain values only."""

from __future__ import annotations

from aiogram.fsm.state import State, StatesGroup


class RuleDialog(StatesGroup):
    """Adding: type → pipeline → stage → kind → its settings, one question each → execution →
    time → condition → title.
    Editing a rule enters at the step of the part being changed (data `rule_id`)."""

    type = State()
    pipeline = State()
    stage = State()
    kind = State()
    staff = State()        # notify a staff member: who
    chat = State()         # post to a team chat: which
    source = State()       # message kinds: a template from templates/messages or a text
    question = State()     # one of the kind's other settings: a choice or a typed value
    params = State()       # all settings at once, typed as JSON or key=value lines
    execution = State()
    timing = State()
    condition = State()
    building = State()     # a condition by buttons: field, operator, a value from a list
    building_value = State()  # ... a typed value
    title = State()


class RulesImportDialog(StatesGroup):
    file = State()
