"""Buttons of /rules: browsing, one rule's actions, picking a stage to copy or move a rule to,
and the steps of the rule dialog. Short prefixes, enum actions, integer ids only; every
press is checked again by the services (settings right, the rule still exists)."""

from __future__ import annotations

import enum

from aiogram.filters.callback_data import CallbackData


class Level(enum.IntEnum):
    HOME = 1        # all types
    TYPE = 2        # ref: the type's position
    PIPELINE = 3    # ref: pipeline id
    STAGE = 4       # ref: stage id


class RulesNavCb(CallbackData, prefix="rn"):
    level: Level
    ref: int = 0


class RuleAction(enum.IntEnum):
    OPEN = 1
    UP = 2
    DOWN = 3
    DISABLE = 4
    ENABLE = 5
    TITLE = 6
    PARAMS = 7
    TIMING = 8
    CONDITION = 9
    AFTER_PREVIOUS = 10  # execution: wait for the rule before it
    INDEPENDENT = 11     # execution: independently of the others
    COPY = 12            # pick a stage to copy it to
    MOVE = 13            # pick a stage to move it to
    DELETE = 14          # ask first
    CONFIRM_DELETE = 15
    APPLY = 16           # run it for the items already in its stage
    KEEP = 17            # do not: only for items entering from now on


class RuleCb(CallbackData, prefix="ru"):
    action: RuleAction
    rule_id: int


class TargetCb(CallbackData, prefix="rt"):
    """Browsing for the stage a rule is copied (move=0) or moved (move=1) to."""

    move: int
    rule_id: int
    level: Level
    ref: int = 0


class AddCb(CallbackData, prefix="ra"):
    """Starts the add dialog; stage_id 0 starts at the choice of type."""

    stage_id: int = 0


class Step(enum.IntEnum):
    TYPE = 1            # value: type position
    PIPELINE = 2        # value: pipeline id
    STAGE = 3           # value: stage id
    KIND = 4            # value: index into the catalogue as shown
    STAFF = 5           # value: user id
    CHAT = 6            # value: team chat id
    TEMPLATE = 7        # value: index into the template list
    EXECUTION = 8       # value: index into Execution
    TIMING = 9          # value: index into the timing presets
    WORKING_HOURS = 10  # toggle "only in working hours"
    NO_CONDITION = 11
    ANSWER = 12         # value: index into the question's choices
    SKIP = 13           # an optional setting keeps its default
    KEEP = 14           # changing a rule: keep the setting's value
    TYPE_ALL = 15       # type all settings at once (JSON or key = value)
    OWN_TEXT = 16       # a message: write its text instead of choosing a template
    TITLE = 17          # take the suggested title
    BUILD = 18          # a condition by buttons: start
    COND_FIELD = 19     # value: index into the builder's fields
    COND_OP = 20        # value: index into the field's operators
    COND_VALUE = 21     # value: index into the field's values
    COND_MORE = 22      # value: 0 "and", 1 "or"
    COND_DONE = 23


class DialogCb(CallbackData, prefix="rd"):
    step: Step
    value: int = 0
