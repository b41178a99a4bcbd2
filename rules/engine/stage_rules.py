"""Each stage's enabled rules, kept in memory while the rules' version stands.

The version is a row of app_settings that every change to the rules table moves in its own
transaction (migration 013), so a move reads one indexed row instead of the stage's rules,
and a change made by another process is seen by the next move here.
"""

from __future__ import annotations

from crm.storage.unit_of_work import UnitOfWork
from rules.model import Rule
from rules.storage.unit import repos


class StageRules:
    def __init__(self) -> None:
        self._version = -1
        self._stages: dict[int, list[Rule]] = {}

    async def enabled(self, uow: UnitOfWork, stage_id: int, version: int) -> list[Rule]:
        """The stage's enabled rules in order, as of `version` (read in `uow` just now)."""
        if version != self._version:
            if version < self._version:  # an older snapshot than the cache: read, keep not
                return await _read(uow, stage_id)
            self._version, self._stages = version, {}
        if stage_id not in self._stages:
            self._stages[stage_id] = await _read(uow, stage_id)
        return self._stages[stage_id]


async def _read(uow: UnitOfWork, stage_id: int) -> list[Rule]:
    return [rule for rule in await repos(uow).rules.for_stage(stage_id) if rule.enabled]
