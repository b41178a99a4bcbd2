"""The name this process goes by in the database's leases and claims: host, pid and a random
part (a pid is reused after a restart; the random part is not). A lease or claim whose holder
runs on this host under a pid that no longer exists is known to be dead at once."""

from __future__ import annotations

import os
import secrets
import socket
from functools import cache


@cache
def this_process() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}"


def is_dead(holder: str) -> bool:
    """True when `holder` names a process of this host that has ended (so its lease need not
    run out first); False when it may be alive or runs elsewhere."""
    host, _, rest = holder.partition(":")
    pid_text = rest.partition(":")[0]
    if host != socket.gethostname() or not pid_text.isdigit():
        return False
    try:
        os.kill(int(pid_text), 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # alive, another user's
        return False
    return False
