"""What preparing a batch of runs reads: each item's current entry and stop and the rules
(one read each for the whole batch), and each item's subject (kept across the passes of
one preparation, so a run that waited for a render does not read its item again)."""

from __future__ import annotations

from crm.storage.unit_of_work import UnitOfWork
from rules.context import Subject, load_subject
from rules.model import Rule, RuleRun, StageEntry
from rules.storage.unit import repos


class BatchCache:
    def __init__(self, uow: UnitOfWork, subjects: dict[int, Subject]) -> None:
        self._uow = uow
        self._entries: dict[int, tuple[StageEntry, str | None]] = {}
        self._subjects = subjects
        self._rules: dict[int, Rule] = {}

    async def load(self, runs: list[RuleRun]) -> None:
        store = repos(self._uow)
        items = sorted({run.item_id for run in runs})
        self._entries = await store.runs.current_entries_and_stops(items) if items else {}
        rule_ids = sorted({run.rule_id for run in runs if run.rule_id is not None})
        self._rules = await store.rules.by_ids(rule_ids) if rule_ids else {}

    def entry(self, item_id: int) -> tuple[StageEntry | None, str | None]:
        """The item's current stage entry, and who stopped its automation there (if so)."""
        return self._entries.get(item_id, (None, None))

    def rule(self, rule_id: int | None) -> Rule | None:
        return self._rules.get(rule_id) if rule_id is not None else None

    async def subject(self, item_id: int, previous_stage_id: int | None) -> Subject:
        if item_id not in self._subjects:
            item = await self._uow.items.get(item_id)
            assert item is not None  # its entry exists, so does the item
            self._subjects[item_id] = await load_subject(self._uow, item, previous_stage_id)
        return self._subjects[item_id]
