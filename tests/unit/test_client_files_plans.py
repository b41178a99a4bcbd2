"""Client files (issue 12) are read through migration 016's indexes: a client's file, /files,
the conversation view, sending one again and choosing a shared number never scan the items,
the timeline or the files; forwarding looks the sender up by index too."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import partial

import pytest

from crm.container import CrmServices
from crm.models import ClientFile, Staff
from crm.services.forwards import Forwarded, Sender
from crm.services.inquiries import ClientInfo
from tests.query_plans import plan_offenders


async def test_client_files_read_indexes(services: CrmServices, admin: Staff,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    carl = ClientInfo(user_id=3001, chat_id=3001, name="Carl Client")
    now = services.clock.now()
    for n in range(3):
        await services.inquiries.receive(carl, f"caption {n}", now, file=ClientFile(
            "photo", f"F{n}", f"U{n}"))
    first = await services.inquiries.receive(carl, "", now, file=ClientFile(
        "contact", None, phone="491701234567"), own_contact=True)
    files = await services.client_files.files(admin, first.item_id)
    entries = await services.inquiries.timeline(admin, first.item_id)
    paths: dict[str, Callable[[], Awaitable[object]]] = {
        "a client's photo": partial(services.inquiries.receive, carl, "more", now,
                                    file=ClientFile("photo", "F9", "U9")),
        "a shared contact": partial(services.inquiries.receive, carl, "", now,
                                    file=ClientFile("contact", None, phone="+4930123456"),
                                    own_contact=True),
        "/files": partial(services.client_files.files, admin, first.item_id),
        "send again": partial(services.client_files.sendable, admin, files[0].id),
        "conversation": partial(services.client_files.of_lines,
                                [e.id for e in entries if e.id]),
        "use the number": partial(services.client_files.use_phone, admin, files[-1].id),
        "forward offer": partial(services.forwards.offer, admin, Sender("Carl Client", 3001)),
        "forward create": partial(services.forwards.create, admin, "deal",
                                  Sender("Dora Doe", 4001), Forwarded(["Hi"], [
                                      ClientFile("voice", "V1", "UV1")])),
        "forward attach": partial(services.forwards.attach, admin, first.item_id,
                                  Sender("Carl Client"), Forwarded(["More"])),
    }
    offenders = await plan_offenders(services.uow.db.location, monkeypatch, paths)
    assert offenders == []  # client_files is among the growing tables
