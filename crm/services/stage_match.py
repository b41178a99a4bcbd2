"""Finding a stage of a pipeline by what a person typed: its position or (the start of) its name."""

from __future__ import annotations

from crm.errors import Entity, NotFound
from crm.models import Stage


def match_stage(stages: list[Stage], ref: str) -> Stage:
    text = ref.strip().lower()
    if text.isdigit():
        number = int(text)
        if 1 <= number <= len(stages):
            return stages[number - 1]
        raise NotFound(what=Entity.STAGE, ref=ref)
    for exact in (True, False):
        hits = [
            s for s in stages
            if any((n.lower() == text) if exact else n.lower().startswith(text)
                   for n in (s.name_en, s.name_de, s.code or ""))
        ]
        if len(hits) == 1:
            return hits[0]
        if len(hits) > 1 and exact:
            return hits[0]
    raise NotFound(what=Entity.STAGE, ref=ref)
