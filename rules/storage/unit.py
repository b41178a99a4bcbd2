"""The engine's repositories, bound to a unit of work's transaction: `repos(uow).runs`.

crm's unit of work knows nothing of the engine; this view is made once per unit of work
(kept on it) and makes each repository the first time it is asked for.
"""

from __future__ import annotations

from functools import cached_property

from crm.storage.connection import Connection
from crm.storage.unit_of_work import UnitOfWork
from rules.storage.digest_repo import DigestRepo
from rules.storage.documents_repo import DocumentRepo
from rules.storage.outbox_repo import OutboxRepo
from rules.storage.retention_repo import RetentionRepo
from rules.storage.rules_repo import RuleRepo
from rules.storage.runs_repo import RunRepo
from rules.storage.schedules_repo import ScheduleRepo
from rules.storage.triggers_repo import ClientButtonRepo, TriggerRepo


class AutomationRepos:
    def __init__(self, conn: Connection) -> None:
        self._conn = conn

    @cached_property
    def runs(self) -> RunRepo:
        return RunRepo(self._conn)

    @cached_property
    def rules(self) -> RuleRepo:
        return RuleRepo(self._conn)

    @cached_property
    def outbox(self) -> OutboxRepo:
        return OutboxRepo(self._conn)

    @cached_property
    def schedules(self) -> ScheduleRepo:
        return ScheduleRepo(self._conn)

    @cached_property
    def triggers(self) -> TriggerRepo:
        return TriggerRepo(self._conn)

    @cached_property
    def client_buttons(self) -> ClientButtonRepo:
        return ClientButtonRepo(self._conn)

    @cached_property
    def documents(self) -> DocumentRepo:
        return DocumentRepo(self._conn)

    @cached_property
    def digest(self) -> DigestRepo:
        return DigestRepo(self._conn)

    @cached_property
    def retention(self) -> RetentionRepo:
        return RetentionRepo(self._conn)


def repos(uow: UnitOfWork) -> AutomationRepos:
    """The engine's repositories in `uow`'s transaction."""
    return uow.extension(AutomationRepos)
