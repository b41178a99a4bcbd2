"""SQLite's `?` placeholders as psycopg's `%s`, outside string literals and identifiers."""

from __future__ import annotations

from functools import lru_cache


@lru_cache(maxsize=4096)  # the repositories' SQL is a few hundred constant strings
def to_psycopg(sql: str) -> str:
    """`sql` with each `?` turned into `%s` and each `%` doubled (psycopg reads `%` as the
    start of a placeholder), except inside '…' literals, "…" identifiers and -- comments."""
    out: list[str] = []
    quote: str | None = None  # the quote character of the literal we are in
    comment = False
    for char in sql:
        if comment:
            comment = char != "\n"
        elif quote is not None:
            if char == quote:
                quote = None  # a doubled quote ('') closes and at once reopens: same result
        elif char in "'\"":
            quote = char
        elif char == "-" and out and out[-1] == "-":
            comment = True
        elif char == "?":
            out.append("%s")
            continue
        if char == "%":
            out.append("%%")
            continue
        out.append(char)
    return "".join(out)
