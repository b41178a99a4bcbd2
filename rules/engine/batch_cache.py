"""What one batch of runs reads once: each item's current entry and stop, its subject, the
rules. An item's entries are forgotten as soon as a rule of the batch changes the item."""

from __future__ import annotations

from crm.storage.unit_of_work import UnitOfWork
from rules.context import Subject, load_subject
from rules.model import Rule, StageEntry
from rules.storage.rules_repo import RuleRepo
from rules.storage.runs_repo import RunRepo


class BatchCache:
    def __init__(self, uow: UnitOfWork) -> None:
        self._uow = uow
        self._entries: dict[int, tuple[StageEntry | None, str | None]] = {}
        self._subjects: dict[int, Subject] = {}
        self._rules: dict[int, Rule | None] = {}

    async def entry(self, item_id: int) -> tuple[StageEntry | None, str | None]:
        """The item's current stage entry, and who stopped its automation there (if so)."""
        if item_id not in self._entries:
            self._entries[item_id] = await self._uow.repo(RunRepo).latest_entry_and_stop(item_id)
        return self._entries[item_id]

    async def subject(self, item_id: int, previous_stage_id: int | None) -> Subject:
        if item_id not in self._subjects:
            item = await self._uow.items.get(item_id)
            assert item is not None  # its entry exists, so does the item
            self._subjects[item_id] = await load_subject(self._uow, item, previous_stage_id)
        return self._subjects[item_id]

    async def rule(self, rule_id: int | None) -> Rule | None:
        if rule_id is None:
            return None
        if rule_id not in self._rules:
            self._rules[rule_id] = await self._uow.repo(RuleRepo).get(rule_id)
        return self._rules[rule_id]

    def forget(self, item_id: int) -> None:
        self._entries.pop(item_id, None)
        self._subjects.pop(item_id, None)
