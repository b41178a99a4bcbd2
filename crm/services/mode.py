"""The CRM mode: simple (no leads) or classic (with leads), and switching between them.

The item service and the conversion import this module (to refuse leads in simple mode, for
the lead sources and the conversion's options), so of the services it imports only the
catalog (where the mode is stored): the conversion is handed in as a `LeadConverter`.
"""

from __future__ import annotations

import enum
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Protocol

from crm.access import require_settings_right
from crm.conversion_jobs import ConversionJob, ConversionSummary
from crm.errors import AppError, InputProblem, InvalidInput
from crm.i18n import LANGUAGES, N_, translate
from crm.models import CrmMode, Staff
from crm.services.catalog import current_mode
from crm.storage.unit_of_work import UnitOfWork, UnitOfWorkFactory

# Where a lead came from; the lead report groups by it.
LEAD_SOURCES = ("call", "email", "website", "event", "other", "telegram")
DEFAULT_LEAD_SOURCE = "other"
# The sources in words, typed in either language (`Anruf` is `call`) and shown on cards.
SOURCE_WORDS = {"call": N_("Call"), "email": N_("E-mail"), "website": N_("Website"),
                "event": N_("Event"), "other": N_("Other"), "telegram": N_("Telegram")}

# Called after each committed batch of a conversion with (leads done, leads in total).
Progress = Callable[[int, int], Awaitable[None]]


class LeadsDisabled(AppError):
    """A lead was asked for while the CRM is in simple mode. params: type."""

    code = "leads_disabled"


async def ensure_type_allowed(uow_or_mode: UnitOfWork | CrmMode, type_code: str) -> None:
    """Refuses to create a lead in simple mode. Pass the open unit of work (the mode is read
    in its transaction, so a switch cannot slip in between) or a mode already read."""
    if type_code != "lead":
        return
    mode = uow_or_mode if isinstance(uow_or_mode, CrmMode) else await current_mode(uow_or_mode)
    if mode is CrmMode.SIMPLE:
        raise LeadsDisabled(type=type_code)


def clean_lead_source(value: str | None) -> str:
    """A lead source from LEAD_SOURCES; none given means 'other'."""
    if value is None or not value.strip():
        return DEFAULT_LEAD_SOURCE
    source = value.strip().lower()
    source = next((code for code, word in SOURCE_WORDS.items()
                   if source in {translate(word, lang).lower() for lang in LANGUAGES}), source)
    if source not in LEAD_SOURCES:
        raise InvalidInput(field="source", value=value, problem=InputProblem.UNKNOWN_SOURCE)
    return source


class ClientChoice(enum.StrEnum):
    """Which clients a conversion creates with each deal (when the lead has none yet)."""

    CONTACT = "contact"
    COMPANY = "company"
    BOTH = "both"

    @classmethod
    def parse(cls, value: str) -> ClientChoice:
        try:
            return cls(value)
        except ValueError as exc:
            raise InvalidInput(field="create", value=value) from exc

    @property
    def wants_contact(self) -> bool:
        return self is not ClientChoice.COMPANY

    @property
    def wants_company(self) -> bool:
        return self is not ClientChoice.CONTACT


@dataclass(frozen=True, slots=True)
class ConversionOptions:
    """What the switcher chose in the switch wizard."""

    create: str = ClientChoice.CONTACT.value
    pipeline_id: int | None = None  # deal pipeline; None: the default one
    keep_activities_open: bool = True  # False: the leads' open activities are closed

    def __post_init__(self) -> None:
        ClientChoice.parse(self.create)

    @property
    def choice(self) -> ClientChoice:
        return ClientChoice(self.create)

    def to_json(self) -> dict[str, Any]:
        return {"create": self.create, "pipeline_id": self.pipeline_id,
                "keep_activities_open": self.keep_activities_open}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> ConversionOptions:
        return cls(data["create"], data["pipeline_id"], bool(data["keep_activities_open"]))


@dataclass(frozen=True, slots=True)
class ModeSwitch:
    mode: CrmMode  # the mode now in force
    changed: bool  # False: that mode was already active, nothing was done
    conversion: ConversionSummary | None = None  # set when leads were converted


class LeadConverter(Protocol):
    """What converts the open leads when the CRM switches to simple mode
    (crm.services.conversion.ConversionService)."""

    async def pending(self) -> ConversionJob | None: ...

    async def run(
        self, actor: Staff, options: ConversionOptions | None = None,
        progress_callback: Progress | None = None, batch_size: int = 200,
    ) -> ConversionSummary: ...


class ModeService:
    def __init__(self, uow: UnitOfWorkFactory, conversion: LeadConverter) -> None:
        self._uow = uow
        self._conversion = conversion

    async def mode(self) -> CrmMode:
        async with self._uow(write=False) as uow:
            return await current_mode(uow)

    async def switch_to_classic(self, actor: Staff) -> ModeSwitch:
        """Turns leads on. Nothing is converted: deals stay deals."""
        require_settings_right(actor)
        async with self._uow() as uow:
            if await current_mode(uow) is CrmMode.CLASSIC:
                return ModeSwitch(CrmMode.CLASSIC, changed=False)
            await uow.catalog.set_mode(CrmMode.CLASSIC)
            await uow.commit()
        return ModeSwitch(CrmMode.CLASSIC, changed=True)

    async def switch_to_simple(
        self, actor: Staff, options: ConversionOptions | None = None,
        progress: Progress | None = None, batch_size: int = 200,
    ) -> ModeSwitch:
        """Converts every open lead, then turns leads off (see LeadConverter.run).
        An interrupted switch is continued with the options it was started with."""
        require_settings_right(actor)
        async with self._uow(write=False) as uow:
            already_simple = await current_mode(uow) is CrmMode.SIMPLE
        if already_simple and await self._conversion.pending() is None:
            return ModeSwitch(CrmMode.SIMPLE, changed=False)
        summary = await self._conversion.run(actor, options, progress, batch_size)
        return ModeSwitch(CrmMode.SIMPLE, changed=True, conversion=summary)
