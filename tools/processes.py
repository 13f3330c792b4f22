"""Child processes that end with the run that started them, and a check that none is left behind.

* :func:`run` starts a command in its own process group and, however the call ends (time limit,
  Ctrl-C, ``SIGTERM`` turned into :class:`Interrupted` by :func:`signals_raise`), stops the whole
  group before returning. On Linux the child also dies with its parent when the parent is killed.
* :func:`watch_parent`, called first thing in a child, stops the child's group when its parent is
  gone, so nothing it started computes on as an orphan.
* Every process started by a run carries the run's mark in its environment (``DERIN_DEFTER_RUN``):

      python -m tools.processes     # leftovers of this run: listed, stopped, exit status 1

  ``.ci/run`` calls it when it ends; the test suite does the same check when it finishes.
"""

from __future__ import annotations

import contextlib
import ctypes
import errno
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

MARK = "DERIN_DEFTER_RUN"
# A write that failed because of the machine, not the code: what the one-line message tells the reader to do.
WRITE_ERRORS = {errno.ENOSPC: "free some space (`df -h .` shows what is left)",
                errno.EDQUOT: "free some space (your disk quota is full)",
                errno.EROFS: "make the folder writable", errno.EACCES: "make the folder writable"}
STOP_SIGNALS = (signal.SIGTERM, signal.SIGHUP)
GRACE = 2.0  # seconds a stopped group gets to exit before SIGKILL


class Interrupted(Exception):
    """The run received ``SIGTERM`` or ``SIGHUP``; ``finally`` blocks clean up on the way out."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


@contextlib.contextmanager
def signals_raise() -> Iterator[None]:
    """Inside the block, ``SIGTERM``/``SIGHUP`` raise :class:`Interrupted` (Ctrl-C raises KeyboardInterrupt)."""
    def stop(signum: int, frame: object) -> None:
        raise Interrupted(signum)

    previous = {signum: signal.signal(signum, stop) for signum in STOP_SIGNALS}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)


@contextlib.contextmanager
def signals_held() -> Iterator[None]:
    """Signals that would stop the run wait until the block is done (for a swap of two renames)."""
    held = {signal.SIGINT, *STOP_SIGNALS}
    signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, held)


LIBC = ctypes.CDLL(None) if sys.platform.startswith("linux") else None


def _die_with_parent(parent: int) -> None:
    """In the child before ``exec``: Linux sends SIGTERM when the parent dies (no-op elsewhere)."""
    if LIBC is not None:
        LIBC.prctl(1, signal.SIGTERM)  # 1 = PR_SET_PDEATHSIG
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


def stop_group(process: subprocess.Popen) -> None:
    """SIGTERM to the process's group, SIGKILL to what is left after :data:`GRACE` seconds."""
    for signum in (signal.SIGTERM, signal.SIGKILL):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signum)
        with contextlib.suppress(subprocess.TimeoutExpired):
            process.wait(GRACE)
    # the group outlives its leader while a grandchild is alive
    with contextlib.suppress(ProcessLookupError):
        os.killpg(process.pid, signal.SIGKILL)


def run(command: list[str], cwd: Path, env: dict[str, str] | None = None, timeout: float | None = None,
        capture: bool = True) -> subprocess.CompletedProcess:
    """Like ``subprocess.run``, but the command and everything it starts are stopped on any way out:
    ``subprocess.TimeoutExpired`` after ``timeout`` seconds, KeyboardInterrupt, :class:`Interrupted`."""
    parent = os.getpid()
    pipe = subprocess.PIPE if capture else None
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=pipe, stderr=pipe, text=True,
                               start_new_session=True, preexec_fn=lambda: _die_with_parent(parent))
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except BaseException:
        stop_group(process)
        process.communicate()
        raise
    return subprocess.CompletedProcess(command, process.returncode, stdout, stderr)


def alive(pid: int) -> bool:
    """Whether a process with this id is running (another user's counts)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def watch_parent(parent: int, every: float = 0.5) -> None:
    """In a child started by :func:`run`: when ``parent`` is gone or SIGTERM arrives, kill this
    process's whole group (the child and everything it started) at once."""
    def end_group(*_: object) -> None:
        if os.getpgrp() == os.getpid():  # our own group: started by run()
            os.killpg(0, signal.SIGKILL)
        os._exit(1)

    signal.signal(signal.SIGTERM, end_group)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(every)
        end_group()

    threading.Thread(target=watch, daemon=True, name="watch-parent").start()


# ---------------------------------------------------------------- leftovers
def mark_run(prefix: str) -> str:
    """Mark this process (and so every process it starts) as part of a run. Inside an outer run the
    mark extends the outer one (``ci-7-…/pytest-9-…``): the outer run's check still sees everything,
    while this run's check sees only what it started, not what its siblings (another test worker, a
    background regeneration) run beside it. Calling it again in the same process keeps the mark."""
    outer = os.environ.get(MARK, "")
    if f"-{os.getpid()}-" in outer.rpartition("/")[2]:
        return outer
    own = f"{prefix}-{os.getpid()}-{int(time.time())}"
    os.environ[MARK] = f"{outer}/{own}" if outer else own
    return os.environ[MARK]


def _run_mark(environ: bytes) -> str | None:
    """The run mark in a process's environment (``/proc/<pid>/environ``), if it has one."""
    key = f"{MARK}=".encode()
    return next((item[len(key):].decode(errors="replace") for item in environ.split(b"\0")
                 if item.startswith(key)), None)


def _ancestors() -> set[int]:
    found, pid = set(), os.getpid()
    while pid > 1:
        found.add(pid)
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            break
        pid = int(stat.rpartition(")")[2].split()[1])
    return found


def leftovers(mark: str) -> dict[int, str]:
    """Processes (pid → command line) carrying ``mark`` or a mark nested in it (started by an inner run)
    that are not this process or its ancestors. Linux only (``/proc``); empty elsewhere."""
    found = {}
    own = _ancestors()
    for entry in Path("/proc").glob("[0-9]*"):
        pid = int(entry.name)
        try:
            if pid in own:
                continue
            theirs = _run_mark((entry / "environ").read_bytes())
            if theirs is None or not (theirs == mark or theirs.startswith(mark + "/")):
                continue
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").strip()
            state = (entry / "stat").read_text().rpartition(")")[2].split()[0]
        except OSError:  # ended while we looked, or not ours to read
            continue
        if state != "Z":  # a zombie has ended; its parent just has not collected it yet
            found[pid] = command or entry.name
    return found


def end_leftovers(mark: str, wait: float = 3.0) -> dict[int, str]:
    """Give leftovers ``wait`` seconds to end on their own, then kill them; returns what was left."""
    deadline = time.monotonic() + wait
    while (found := leftovers(mark)) and time.monotonic() < deadline:
        time.sleep(0.1)
    for pid in found:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signal.SIGKILL)
    return found


def main() -> int:
    mark = os.environ.get(MARK)
    if not mark:
        print(f"processes: {MARK} is not set; nothing to check", file=sys.stderr)
        return 0
    found = end_leftovers(mark)
    for pid, command in found.items():
        print(f"processes: pid {pid} was still running and was killed: {command[:200]}", file=sys.stderr)
    if found:
        print(f"processes: {len(found)} process(es) of this run outlived it: whatever started them "
              "must stop them (see tools/processes.py)", file=sys.stderr)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
