"""One window per session: an exclusive lock on <name>.toml.lock that dies with the process.

The platform's locking call is behind a small backend object chosen once at import (``BACKEND``): flock on
POSIX, a one-byte msvcrt lock on Windows. Tests hand ``SessionLock`` another backend (a fake msvcrt on
Linux), so the Windows path runs everywhere.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Protocol

from report_wizard.core.errors import SessionFileError, SessionLockedError
from report_wizard.store.messages import (
    os_reason,
)
from report_wizard.store.names import LOCK_SUFFIX, _real, _sidecar


# ---------------------------------------------------------------- the platform layer
class LockBackend(Protocol):
    """An exclusive, non-blocking lock on an open file that the OS releases when the process dies."""

    name: str

    def lock(self, fd: int) -> bool:
        """Take the lock; False when another holder has it."""

    def unlock(self, fd: int) -> None:
        """Give it back (never raises: the file is closed right after anyway)."""


class FlockBackend:
    """POSIX: flock on the whole file."""

    name = "flock"

    def __init__(self, fcntl: ModuleType) -> None:
        self.fcntl = fcntl

    def lock(self, fd: int) -> bool:
        try:
            self.fcntl.flock(fd, self.fcntl.LOCK_EX | self.fcntl.LOCK_NB)
        except OSError:
            return False
        return True

    def unlock(self, fd: int) -> None:
        try:
            self.fcntl.flock(fd, self.fcntl.LOCK_UN)
        except OSError:
            pass


class MsvcrtBackend:
    """Windows: a lock on the file's first byte. msvcrt locks from the current position, and the holder
    writes its pid after locking, so both calls seek to the start first."""

    name = "msvcrt"

    def __init__(self, msvcrt: ModuleType) -> None:
        self.msvcrt = msvcrt

    def lock(self, fd: int) -> bool:
        try:
            os.lseek(fd, 0, os.SEEK_SET)
            self.msvcrt.locking(fd, self.msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def unlock(self, fd: int) -> None:
        try:
            os.lseek(fd, 0, os.SEEK_SET)
            self.msvcrt.locking(fd, self.msvcrt.LK_UNLCK, 1)
        except OSError:
            pass


def choose_backend(import_module: Callable[[str], ModuleType] = importlib.import_module) -> LockBackend:
    """flock where there is fcntl (the lock dies with the process, so a killed window leaves no stale lock),
    else msvcrt (Windows, where the OS also releases it on exit)."""
    try:
        return FlockBackend(import_module("fcntl"))
    except ImportError:
        return MsvcrtBackend(import_module("msvcrt"))


BACKEND: LockBackend = choose_backend()


# ---------------------------------------------------------------- locking
class SessionLock:
    """Exclusive lock on a session via the sidecar <name>.toml.lock, released when the process dies.

    ``backend``: the platform layer (default: ``BACKEND`` as it is when the lock is made).
    """

    def __init__(self, path: Path, backend: LockBackend | None = None) -> None:
        self.path = Path(path)
        # Beside the real file: two windows reaching one session through a link and directly share one lock.
        self.lock_path = _sidecar(_real(self.path), LOCK_SUFFIX)
        self.backend = backend if backend is not None else BACKEND
        self._fd: int | None = None

    def _error(self, exc: OSError) -> SessionFileError:
        return SessionFileError(
            f"无法为会话「{self.path.name}」建立锁文件「{self.lock_path.name}」：{os_reason(exc)}。"
        )

    def acquire(self) -> SessionLock:
        if self._fd is not None:
            return self
        for _ in range(10):
            try:
                self.lock_path.parent.mkdir(parents=True, exist_ok=True)
                fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o644)
            except OSError as exc:
                raise self._error(exc) from None
            if not self.backend.lock(fd):
                os.close(fd)
                raise SessionLockedError(f"会话「{self.path.name}」已在另一个窗口中打开，请先关闭那个窗口。")
            # The holder deletes the lock file on release; if we locked a file that was just deleted, retry.
            try:
                same = os.path.samestat(os.fstat(fd), os.stat(self.lock_path))
            except FileNotFoundError:
                same = False
            except OSError as exc:
                self.backend.unlock(fd)
                os.close(fd)
                raise self._error(exc) from None
            if same:
                try:
                    os.ftruncate(fd, 0)
                    os.write(fd, f"{os.getpid()}\n".encode())
                except OSError as exc:  # e.g. a full disk: hold nothing, leave nothing
                    self._fd = fd
                    self.release()
                    raise self._error(exc) from None
                self._fd = fd
                return self
            os.close(fd)
        raise SessionLockedError(f"会话「{self.path.name}」已在另一个窗口中打开，请先关闭那个窗口。")

    def release(self) -> None:
        if self._fd is None:
            return
        fd, self._fd = self._fd, None
        try:
            os.unlink(self.lock_path)  # while still holding the lock, so nobody locks a file about to vanish
        except OSError:
            pass
        self.backend.unlock(fd)
        os.close(fd)

    @property
    def held(self) -> bool:
        return self._fd is not None

    def __enter__(self) -> SessionLock:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()
