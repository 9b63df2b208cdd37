"""The Windows lock path (msvcrt) run on Linux: SessionLock with a fake msvcrt as its platform layer.

The fake behaves like msvcrt.locking where it matters: a lock covers ``nbytes`` from the current file
position, belongs to one open file (not to the process: two opens in one process conflict, as two Windows
handles do), is released by the OS when the process dies, and unlocking a region that is not locked fails.
It is built on Linux open-file-description locks, so a lock taken in a child process is seen by the parent
and dies with the child.
"""

from __future__ import annotations

import errno
import fcntl
import inspect
import os
import signal
import subprocess
import sys
import textwrap
import types
from pathlib import Path

import pytest

from helpers import ROOT, FakeMsvcrt
from report_wizard.core.errors import SessionLockedError
from report_wizard.store import locks
from report_wizard.store.locks import FlockBackend, MsvcrtBackend, SessionLock, choose_backend

pytestmark = pytest.mark.skipif(not hasattr(fcntl, "F_OFD_SETLK"), reason="the fake msvcrt needs Linux OFD locks")


@pytest.fixture
def msvcrt() -> FakeMsvcrt:
    return FakeMsvcrt()


def windows_lock(path: Path, msvcrt: FakeMsvcrt) -> SessionLock:
    return SessionLock(path, backend=MsvcrtBackend(msvcrt))


# ---------------------------------------------------------------- choosing the platform layer
def test_the_backend_is_chosen_by_what_the_platform_has(msvcrt: FakeMsvcrt) -> None:
    def windows(name: str) -> types.ModuleType:
        if name == "fcntl":
            raise ImportError("No module named 'fcntl'")
        assert name == "msvcrt"
        return msvcrt

    chosen = choose_backend(windows)
    assert isinstance(chosen, MsvcrtBackend) and chosen.msvcrt is msvcrt and chosen.name == "msvcrt"
    posix = choose_backend()
    assert isinstance(posix, FlockBackend) and posix.fcntl is fcntl
    assert isinstance(locks.BACKEND, FlockBackend)  # this machine has fcntl


def test_a_lock_made_without_a_backend_uses_the_one_chosen_at_import(
    tmp_path: Path, msvcrt: FakeMsvcrt, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(locks, "BACKEND", MsvcrtBackend(msvcrt))
    with SessionLock(tmp_path / "s.toml") as lock:
        assert isinstance(lock.backend, MsvcrtBackend)
        assert msvcrt.locked() == {(0, 1)}
    assert msvcrt.locked() == set()


# ---------------------------------------------------------------- the msvcrt path
def test_one_window_at_a_time(tmp_path: Path, msvcrt: FakeMsvcrt) -> None:
    path = tmp_path / "s.toml"
    first = windows_lock(path, msvcrt).acquire()
    assert first.held and first.lock_path.read_text() == f"{os.getpid()}\n"
    second = windows_lock(path, msvcrt)
    with pytest.raises(SessionLockedError, match="已在另一个窗口中打开，请先关闭那个窗口"):
        second.acquire()
    assert not second.held
    assert msvcrt.locked() == {(0, 1)}  # the refused window holds nothing
    first.release()
    assert not first.held and not first.lock_path.exists()
    assert msvcrt.locked() == set()
    with windows_lock(path, msvcrt) as third:  # free again
        assert third.held
    assert first.acquire() is first and first.acquire() is first  # acquiring twice is harmless
    first.release()
    first.release()


def test_the_lock_and_the_unlock_are_on_the_first_byte(tmp_path: Path, msvcrt: FakeMsvcrt) -> None:
    # The holder writes its pid after locking, which moves the file position: the unlock must seek back,
    # or Windows refuses it and the region stays locked until the process ends.
    lock = windows_lock(tmp_path / "s.toml", msvcrt).acquire()
    lock.release()
    assert [(mode, start, n) for mode, start, n in msvcrt.calls] == [
        (FakeMsvcrt.LK_NBLCK, 0, 1),
        (FakeMsvcrt.LK_UNLCK, 0, 1),
    ]
    assert msvcrt.locked() == set()


def test_a_lock_file_windows_could_not_delete_is_no_stale_lock(
    tmp_path: Path, msvcrt: FakeMsvcrt, monkeypatch: pytest.MonkeyPatch
) -> None:
    # On Windows an open file cannot be deleted: release leaves the file behind, but not the lock.
    path = tmp_path / "s.toml"
    lock = windows_lock(path, msvcrt).acquire()

    def in_use(target: object) -> None:
        raise PermissionError(errno.EACCES, "The process cannot access the file", str(target))

    monkeypatch.setattr(os, "unlink", in_use)
    lock.release()
    monkeypatch.undo()
    assert lock.lock_path.exists() and msvcrt.locked() == set()
    with windows_lock(path, msvcrt) as again:
        assert again.held and again.lock_path.read_text() == f"{os.getpid()}\n"


def test_a_failed_lock_call_counts_as_in_use(tmp_path: Path) -> None:
    class Broken(FakeMsvcrt):
        def locking(self, fd: int, mode: int, nbytes: int) -> None:
            raise OSError(errno.EBADF, "Bad file descriptor")

    with pytest.raises(SessionLockedError):
        windows_lock(tmp_path / "s.toml", Broken()).acquire()
    MsvcrtBackend(Broken()).unlock(0)  # never raises


# ---------------------------------------------------------------- a killed window (its own process)
CHILD = """
import errno, fcntl, os, struct, sys, types
from pathlib import Path

{fake}

sys.modules["fcntl"] = None  # as on Windows: there is no fcntl, so the lock layer must choose msvcrt
sys.modules["msvcrt"] = FakeMsvcrt()
from report_wizard.store import SessionLock, locks

assert locks.BACKEND.name == "msvcrt", locks.BACKEND
lock = SessionLock(Path(sys.argv[1])).acquire()
print("locked", flush=True)
sys.stdin.read()  # holds the lock until killed
"""


@pytest.mark.skipif(sys.platform == "win32", reason="kills the child with SIGKILL")
def test_a_killed_windows_window_leaves_its_lock_file_but_not_its_lock(tmp_path: Path, msvcrt: FakeMsvcrt) -> None:
    path = tmp_path / "s.toml"
    script = CHILD.format(fake=textwrap.dedent(inspect.getsource(FakeMsvcrt)))
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    child = subprocess.Popen(
        [sys.executable, "-c", script, str(path)],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        text=True,
    )
    try:
        line = child.stdout.readline()
        assert line == "locked\n", child.stderr.read()
        with pytest.raises(SessionLockedError):
            windows_lock(path, msvcrt).acquire()
        assert msvcrt.locked() == set()
    finally:
        child.kill()
        child.wait()
        child.stdin.close()
        child.stdout.close()
        child.stderr.close()
    assert child.returncode == -signal.SIGKILL
    lock_path = path.parent / (path.name + ".lock")
    assert lock_path.read_text() == f"{child.pid}\n"  # the dead window never released: its file is still there
    with windows_lock(path, msvcrt) as lock:  # but its lock died with it
        assert lock.held and lock_path.read_text() == f"{os.getpid()}\n"
