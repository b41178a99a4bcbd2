"""Whether a lease's or claim's holder is known to be dead: only a process of this host
and of this PID namespace whose pid is gone. A process in a container that shares the
host's name (Docker's `--network host`, or one `hostname:` for every replica) has pids
of its own namespace: that its pid does not exist here says nothing about it."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from crm.process_identity import is_dead, this_process

ROOT = Path(__file__).resolve().parents[2]
SHOW_AND_WAIT = ("import sys, time; from crm.process_identity import this_process;"
                 " print(this_process(), flush=True); sys.stdin.read()")


def test_an_ended_process_of_this_namespace_is_dead_and_a_live_one_is_not() -> None:
    ended = subprocess.run([sys.executable, "-c", SHOW_AND_WAIT], input="", text=True,
                           capture_output=True, cwd=ROOT, timeout=30, check=True)
    assert is_dead(ended.stdout.strip())
    assert not is_dead(this_process())


def test_a_live_process_in_another_pid_namespace_of_this_host_is_not_dead() -> None:
    if shutil.which("unshare") is None:
        pytest.skip("no unshare")
    # a new PID namespace (as a container has) whose pids start far above any of ours
    script = (f"echo 29990 > /proc/sys/kernel/ns_last_pid 2>/dev/null;"
              f" {sys.executable} -c '{SHOW_AND_WAIT}'")
    with subprocess.Popen(["unshare", "-Urpf", "--mount-proc", "sh", "-c", script],
                          stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                          stderr=subprocess.DEVNULL, text=True, cwd=ROOT) as other:
        try:
            assert other.stdout is not None
            holder = other.stdout.readline().strip()
            if not holder:
                pytest.skip("no PID namespace can be made here")
            pid = int(holder.split(":")[1])
            assert not Path(f"/proc/{pid}").exists()  # its pid means nothing here
            assert other.poll() is None  # and it runs
            assert not is_dead(holder)
        finally:
            other.kill()
