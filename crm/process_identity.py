"""The name this process goes by in the database's leases and claims: host, pid and a random
part (a pid is reused after a restart; the random part is not), which also carries the PID
namespace. A lease or claim whose holder runs on this host, in this PID namespace, under a
pid that no longer exists is known to be dead at once. Containers that share the host's name
(Docker's `--network host`, one `hostname:` for every replica) each have pids of their own:
another namespace's pid says nothing here."""

from __future__ import annotations

import os
import secrets
import socket
from functools import cache

NAMESPACE_MARK = "-ns"  # random part "<hex>-ns<inode>": the holder's PID namespace


@cache
def this_process() -> str:
    namespace = _pid_namespace()
    mark = f"{NAMESPACE_MARK}{namespace}" if namespace else ""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(4)}{mark}"


def is_dead(holder: str) -> bool:
    """True when `holder` names a process of this host and PID namespace that has ended (so
    its lease need not run out first); False when it may be alive or runs elsewhere."""
    host, _, rest = holder.partition(":")
    pid_text, _, random_part = rest.partition(":")
    if host != socket.gethostname() or not pid_text.isdigit():
        return False
    namespace = random_part.partition(NAMESPACE_MARK)[2]
    if namespace and namespace != _pid_namespace():  # (a name without one: as before)
        return False
    try:
        os.kill(int(pid_text), 0)
    except ProcessLookupError:
        return True
    except PermissionError:  # alive, another user's
        return False
    return False


@cache
def _pid_namespace() -> str:
    """The inode of this process's PID namespace ("" where /proc does not show it)."""
    try:
        link = os.readlink("/proc/self/ns/pid")  # "pid:[4026531836]"
    except OSError:
        return ""
    return "".join(c for c in link if c.isdigit())
