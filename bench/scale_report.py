"""What bench/scale.py prints: per size each step's median, and with both databases
PostgreSQL's beside SQLite's and their ratio; then a summary line per database."""

from __future__ import annotations

STEPS = ("card", "move", "list first", "list last", "find hit", "find miss")
NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
TOLERANCE = 0.30  # the figure: PostgreSQL within ±30% of SQLite

Figures = dict[str, float]  # a step's median in ms; "bare": the bare aiogram update's


def report(size: int, figures: dict[str, Figures]) -> None:
    """`figures`: per database (sqlite, postgresql) the size's figures."""
    bare = next(iter(figures.values()))["bare"]
    print(f"{size:>9,} items   bare aiogram update {bare:6.2f} ms")
    if len(figures) == 1:
        ((_kind, one),) = figures.items()
        for step in STEPS:
            print(f"    {step:<11} {one[step]:8.2f} ms   {one[step] / bare:6.1f}x bare"
                  f"   {one[f'{step} statements']:4.1f} statements")
    else:
        lite, pg = figures["sqlite"], figures["postgresql"]
        print(f"    {'':<11} {'SQLite':>11} {'PostgreSQL':>11}   PG/SQLite"
              f"   {'statements':<22}  (SQLite/PostgreSQL)")
        for step in STEPS:
            ratio = pg[step] / lite[step]
            print(f"    {step:<11} {lite[step]:8.2f} ms {pg[step]:8.2f} ms   {ratio:6.2f}"
                  f"   {verdict(ratio):<22}  {lite[f'{step} statements']:4.1f} /"
                  f" {pg[f'{step} statements']:4.1f}")
    print("    SELECT 1 beside the bot: " + ", ".join(
        f"{NAMES[kind]} {one['round trip']:.3f} ms" for kind, one in figures.items()))
    for kind, one in figures.items():
        print(f"    /item by another user ({NAMES[kind]}): {one['item alone']:.2f} ms alone, "
              f"{one['item during find']:.2f} ms while a /find ran "
              f"({one['find alongside']:.2f} ms)")


def verdict(ratio: float) -> str:
    if abs(ratio - 1) <= TOLERANCE:
        return "within ±30%"
    return f"OUTSIDE ±30% ({ratio - 1:+.0%})"


def summary(results: dict[str, dict[int, Figures]]) -> list[str]:
    """`results`: per database, per size the figures."""
    lines = [f"scale ({NAMES[kind]}): {_summary(sizes)}" for kind, sizes in results.items()]
    if len(results) == 2:
        lite, pg = results["sqlite"], results["postgresql"]
        ratios = [pg[size][step] / lite[size][step] for size in lite for step in STEPS]
        within = sum(abs(r - 1) <= TOLERANCE for r in ratios)
        lines.append(f"scale PostgreSQL/SQLite: {within} of {len(ratios)} step figures within"
                     f" ±30%, ratios {min(ratios):.2f}..{max(ratios):.2f}")
    return lines


def _summary(results: dict[int, Figures]) -> str:
    small, large = min(results), max(results)
    growth = max(results[large][s] / results[small][s] for s in STEPS)
    find = max(results[large]["find hit"], results[large]["find miss"])
    middle = 100_000 if 100_000 in results else large
    move = results[middle]["bare"] / results[middle]["move"]
    return (f"worst growth {_label(large)}/{_label(small)} {growth:.2f}x, "
            f"find at {_label(large)} {find:.1f} ms, move at {_label(middle)} {move:.2f} x "
            f"bare aiogram")


def _label(size: int) -> str:
    return f"{size // 1_000_000}M" if size >= 1_000_000 else f"{size // 1000}k"
