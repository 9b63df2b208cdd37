"""One window per session: an exclusive lock on <name>.toml.lock that dies with the process."""

from __future__ import annotations

import os
from pathlib import Path

from report_wizard.core.errors import SessionFileError, SessionLockedError
from report_wizard.store.messages import (
    os_reason,
)
from report_wizard.store.names import LOCK_SUFFIX, _real, _sidecar

try:  # POSIX: the lock dies with the process, so a killed window never leaves a stale lock
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]
    import msvcrt


# ---------------------------------------------------------------- locking
class SessionLock:
    """Exclusive lock on a session via the sidecar <name>.toml.lock, released when the process dies."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        # Beside the real file: two windows reaching one session through a link and directly share one lock.
        self.lock_path = _sidecar(_real(self.path), LOCK_SUFFIX)
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
            if not _try_lock(fd):
                os.close(fd)
                raise SessionLockedError(f"会话「{self.path.name}」已在另一个窗口中打开，请先关闭那个窗口。")
            # The holder deletes the lock file on release; if we locked a file that was just deleted, retry.
            try:
                same = os.path.samestat(os.fstat(fd), os.stat(self.lock_path))
            except FileNotFoundError:
                same = False
            except OSError as exc:
                _unlock(fd)
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
        _unlock(fd)
        os.close(fd)

    @property
    def held(self) -> bool:
        return self._fd is not None

    def __enter__(self) -> SessionLock:
        return self.acquire()

    def __exit__(self, *exc: object) -> None:
        self.release()


def _try_lock(fd: int) -> bool:
    try:
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        else:  # pragma: no cover - Windows: a byte-range lock, also released by the OS on exit
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
    except OSError:
        return False
    return True


def _unlock(fd: int) -> None:
    try:
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_UN)
        else:  # pragma: no cover - Windows
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)
    except OSError:
        pass
