"""Long polling by one process only: Telegram hands each update to a single getUpdates
caller and answers two pollers with 409 Conflict, so a second polling process could only
fight the first. A process takes the lease "poller" (bot/cluster/lease.py) before it polls
and renews it while it polls; a second process on the same database finds the lease taken
and ends with one clear line. A poller killed without a word (SIGKILL) leaves its lease to
the next start at once (its pid is gone: crm.process_identity.is_dead), or when it runs out.

A process in polling mode beside processes in webhook mode (a live leader that does not
poll) ends too, before it deletes their webhook. A consumer the leases cannot see (another
database, another machine) shows up as Telegram's 409: ConfirmingPoller raises
PollingConflict, which ends the process the same way.
"""

from __future__ import annotations

import asyncio
import logging
from contextlib import suppress
from typing import TYPE_CHECKING

from bot.cluster.leader import NAME as LEADER
from bot.cluster.lease import RENEW_EVERY, Lease
from bot.telegram.polling import ConfirmingPoller, PollingConflict

if TYPE_CHECKING:
    from bot.app import CrmBot

log = logging.getLogger(__name__)
NAME = "poller"
_INSTEAD = "run several processes in webhook mode (WEBHOOK_URL), see README “Several processes”"


async def poll_alone(app: CrmBot) -> None:
    """Polls until SIGTERM/SIGINT as the only poller of this bot; SystemExit with one clear
    line when another process polls."""
    lease = Lease(app.services.uow, NAME)
    if not await lease.take():
        raise SystemExit(f"crm-bot: another crm-bot process ({_who(await lease.current_holder())})"
                         f" is already polling Telegram for this bot; {_INSTEAD}")
    # A live leader that does not poll serves a webhook: deleting it to poll would take
    # the updates away from those processes.
    leader = await Lease(app.services.uow, LEADER).current_holder()
    if leader is not None and leader != lease.holder:
        await lease.release()
        raise SystemExit(f"crm-bot: another crm-bot process ({_who(leader)}) serves this bot in "
                         f"webhook mode on this database; start this one with the same "
                         f"WEBHOOK_URL, see README “Several processes”")
    poller = ConfirmingPoller(app.dp, app.bot)
    lost: list[str | None] = []  # who took the lease over, once it happened
    keeping = asyncio.create_task(_keep(lease, poller, lost), name="poller-lease")
    try:
        await app.bot.delete_webhook(drop_pending_updates=False)
        await poller.run(handle_signals=True)
    except PollingConflict as conflict:
        raise SystemExit(f"crm-bot: another program is reading this bot's updates (Telegram: "
                         f"{conflict.description}); stop it, or {_INSTEAD}") from None
    finally:
        keeping.cancel()
        with suppress(asyncio.CancelledError):
            await keeping
        try:
            await lease.release()
        except Exception:  # it runs out by itself
            log.exception("could not release the poller lease")
    if lost:
        raise SystemExit(f"crm-bot: another crm-bot process ({_who(lost[0])}) took over "
                         f"polling Telegram for this bot; {_INSTEAD}")


async def _keep(lease: Lease, poller: ConfirmingPoller, lost: list[str | None]) -> None:
    """Renews the lease while polling; stops the poller once another process has it."""
    while True:
        await asyncio.sleep(RENEW_EVERY)
        try:
            if await lease.take():
                continue
        except Exception:  # busy or gone for a moment: the next round tries again
            log.exception("poller lease: renewal failed")
            continue
        lost.append(await lease.current_holder())
        poller.stop()
        return


def _who(holder: str | None) -> str:
    """"host:pid" of a lease holder ("host:pid:random")."""
    if holder is None:
        return "one that just stopped"
    host, _, rest = holder.partition(":")
    return f"{host}:{rest.partition(':')[0]}"
