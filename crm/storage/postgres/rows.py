"""Rows and values on PostgreSQL as the repositories know them from SQLite: a row reads by
position and by column name (as sqlite3.Row), booleans are stored as 0/1 integers, and a
SUM of integers (PostgreSQL: numeric) is an int."""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache
from typing import Any, ClassVar

import psycopg
from psycopg.abc import Buffer
from psycopg.pq import ExecStatus
from psycopg.rows import RowMaker
from psycopg.types.numeric import IntDumper, NumericLoader


class Row(tuple[Any, ...]):
    """A row that reads by position and by column name (`row[0]`, `row["id"]`, keys()).
    Each set of columns has a subclass of its own (_row_class) that knows the names, so a
    row is made by tuple's own constructor: a search fetches a thousand ids at a time."""

    _names: ClassVar[dict[str, int]] = {}

    def __getitem__(self, key: Any) -> Any:
        if isinstance(key, str):
            return super().__getitem__(self._names[key])
        return super().__getitem__(key)

    def keys(self) -> list[str]:
        return list(self._names)


@lru_cache(maxsize=4096)  # the repositories' statements have a few hundred column lists
def _row_class(names: tuple[str, ...]) -> type[Row]:
    return type("Row", (Row,), {"_names": {name: i for i, name in enumerate(names)}})


def rows(cursor: psycopg.AsyncCursor[Any]) -> RowMaker[Row]:
    """The connection's row factory. The names come from the result itself:
    cursor.description makes a Column object (and looks its type up) for each column of
    each result, a tenth of a card's time."""
    result = cursor.pgresult
    if result is None:
        return _row_class(())
    return _row_class(tuple((result.fname(i) or b"").decode() for i in range(result.nfields)))


def has_rows(cursor: psycopg.AsyncCursor[Any]) -> bool:
    """Whether the statement returned rows (cursor.description is not None, without
    making its Column objects)."""
    result = cursor.pgresult
    return result is not None and (
        result.nfields > 0 or result.status in (ExecStatus.TUPLES_OK, ExecStatus.SINGLE_TUPLE))


class BoolAsInteger(IntDumper):
    """True and False as 1 and 0: flag columns are integers on both databases."""

    def dump(self, obj: Any) -> Buffer:
        return b"1" if obj else b"0"

    def quote(self, obj: Any) -> Buffer:
        return self.dump(obj)


class WholeNumbersAsInt(NumericLoader):
    """SUM() of integers is numeric on PostgreSQL; SQLite's is an int, and so is this."""

    def load(self, data: Buffer) -> Any:
        value = super().load(data)
        if isinstance(value, Decimal) and value == value.to_integral_value():
            return int(value)
        return float(value) if isinstance(value, Decimal) else value
