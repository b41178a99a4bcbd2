"""Fixtures for activities, triggers and the digest: the engine with the recording
transport (tests/rules/conftest.py) and the workflow built beside it, as the bot does."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import time

import pytest

from crm.container import CrmServices
from crm.models import Role, Staff
from rules.container import Automation
from rules.workflow import Workflow, WorkflowOptions, build_workflow
from tests.conftest import add_staff

KEY = b"test trigger key"
SELLER_ID = 2001


@pytest.fixture
async def workflow(services: CrmServices, automation: Automation) -> AsyncIterator[Workflow]:
    built = build_workflow(services, automation, WorkflowOptions(KEY, time(8, 30)))
    yield built
    await built.stop()


@pytest.fixture
async def seller(services: CrmServices, admin: Staff) -> Staff:
    """A salesperson who reads German."""
    staff = await add_staff(services, admin, SELLER_ID, Role.SALES)
    return await services.staff.set_language(staff, "de")

