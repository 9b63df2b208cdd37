"""Session files on disk: load/save as TOML, atomic writes with a backup, file names, listing, locks.

Every failure a clerk can meet is raised as a WizardError with one Chinese message naming the file and
the line or field; a file that failed to load is never written.
"""

from __future__ import annotations

import errno
import os
import re
import shutil
import tempfile
import tomllib
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from pathlib import Path
from typing import Any

import tomli_w
from pydantic import ValidationError

from . import model, paths
from .errors import SessionFileError, SessionLockedError, WizardError
from .model import Meta, Session
from .store_messages import describe_value, file_at, find_line, problem_text, say, toml_message, validation_message

try:  # POSIX: the lock dies with the process, so a killed window never leaves a stale lock
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]
    import msvcrt

SUFFIX = ".toml"
BACKUP_SUFFIX = ".toml.bak"
LOCK_SUFFIX = ".toml.lock"
UNNAMED = "未命名"
MAX_NAME_BYTES = 120  # of the agency part; leaves room for "-2023.toml.lock" and temp names within 255
MAX_FILE_BYTES = 10 * 1024 * 1024  # a session is a few kB; anything this big is not one
_KEY_ORDER = ("schema_version", "meta", "answers", "cells", "sources", "declared", "narrative")
# Older schema version -> function upgrading its data by one version. None yet; load_session runs them.
_MIGRATIONS: dict[int, Any] = {}


# ---------------------------------------------------------------- file names
_FORBIDDEN = re.compile(r'[\\/:*?"<>|]')


def _safe_agency(agency: str) -> str:
    name = unicodedata.normalize("NFC", agency)
    # Control, format (zero-width, bidi overrides), unassigned and space characters become "_".
    name = "".join("_" if unicodedata.category(ch)[0] in "CZ" else ch for ch in name)
    name = _FORBIDDEN.sub("_", name)
    name = re.sub(r"\.{2,}", ".", name)
    name = re.sub(r"_{2,}", "_", name).strip("._- ")
    encoded = name.encode()
    if len(encoded) > MAX_NAME_BYTES:
        name = encoded[:MAX_NAME_BYTES].decode(errors="ignore").rstrip("._- ")
    return name or UNNAMED


def session_filename(agency: str, year: int) -> str:
    """``<agency>-<year>.toml``, with the agency made safe as a single file name."""
    return f"{_safe_agency(agency)}-{int(year)}{SUFFIX}"


def session_path(agency: str, year: int, folder: Path) -> Path:
    path = Path(folder) / session_filename(agency, year)
    assert path.parent == Path(folder)  # a sanitised name is always one path component
    return path


def _sidecar(path: Path, suffix: str) -> Path:
    return path.with_name(path.name.removesuffix(SUFFIX) + suffix)


# ---------------------------------------------------------------- loading
def _read(path: Path) -> tuple[str, dict[str, Any]]:
    """The file's text and parsed TOML; any failure becomes one Chinese message."""
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise SessionFileError(f"{file_at(path, None)}太大，不是会话文件。")
        raw = path.read_bytes()
    except FileNotFoundError:
        raise SessionFileError(f"找不到会话文件「{path}」。") from None
    except IsADirectoryError:
        raise SessionFileError(f"「{path}」是一个文件夹，不是会话文件。") from None
    except PermissionError:
        raise SessionFileError(f"没有权限读取会话文件「{path}」。") from None
    except OSError as exc:
        raise SessionFileError(f"无法读取会话文件「{path}」（系统错误 {exc.errno}）。") from None
    try:
        text = raw.decode("utf-8-sig")  # a BOM from Windows Notepad is harmless
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise SessionFileError(
            f"{file_at(path, line)}：有无法识别的字符，文件应为 UTF-8 编码（可能被另存成了 GBK/ANSI）。"
        ) from None
    if not text.strip():
        raise SessionFileError(f"{file_at(path, None)}是空的，里面没有任何内容。")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SessionFileError(toml_message(path, text, str(exc))) from None
    if not data:
        raise SessionFileError(f"{file_at(path, None)}是空的，里面没有任何内容。")
    return text, data


def _check_version(path: Path, text: str, data: dict[str, Any]) -> None:
    version = data.get("schema_version", model.SCHEMA_VERSION)
    if type(version) is int and 1 <= version <= model.SCHEMA_VERSION:
        return
    line = find_line(text, ("schema_version",))  # only now: scanning costs as much as parsing
    if type(version) is not int or version < 1:
        raise SessionFileError(
            f"{file_at(path, line)}：文件版本号（schema_version）应为正整数，现为{describe_value(version)}。"
        )
    if version > model.SCHEMA_VERSION:
        raise SessionFileError(
            f"{file_at(path, line)}：此文件由更新版本的 report-wizard 保存（版本 {version}），请升级后再打开。"
        )


def _migrate(data: dict[str, Any]) -> dict[str, Any]:
    """Bring data saved by an older schema version up to model.SCHEMA_VERSION, one version at a time."""
    version = data.get("schema_version", model.SCHEMA_VERSION)
    while version < model.SCHEMA_VERSION:
        data = _MIGRATIONS[version](data)
        version += 1
        data["schema_version"] = version
    return data


def _strict_meta(data: dict[str, Any]) -> list[dict[str, Any]]:
    """Meta values pydantic would quietly coerce (year = "2023", created = 5) are reported instead."""
    meta = data.get("meta")
    if not isinstance(meta, dict):
        return []
    found = []
    year = meta.get("year")
    if "year" in meta and type(year) is not int:
        found.append({"type": "int_type", "loc": ("meta", "year"), "input": year, "msg": ""})
    for key in ("created", "updated"):
        if isinstance(meta.get(key), (bool, int, float)):
            found.append({"type": "datetime_type", "loc": ("meta", key), "input": meta[key], "msg": ""})
    return found


def load_session(path: Path) -> Session:
    """Read and validate a session file; raises SessionFileError (Chinese, with file and line) if unusable."""
    path = Path(path)
    try:
        return _load(path)
    except SessionFileError:
        raise
    except Exception as exc:  # e.g. RecursionError on absurdly nested TOML: still no traceback for the clerk
        raise SessionFileError(f"{file_at(path, None)}：无法读取（{type(exc).__name__}）。") from None


def _load(path: Path) -> Session:
    text, data = _read(path)
    _check_version(path, text, data)
    try:
        data = _migrate(data)
    except Exception:  # a migration bug must still reach the clerk as a message, with the file untouched
        raise SessionFileError(f"{file_at(path, None)}：无法从旧版本格式升级，请联系维护人员。") from None
    errors = _strict_meta(data)
    if not errors:
        try:
            return Session.model_validate(data)
        except ValidationError as exc:
            errors = exc.errors()
    raise SessionFileError(validation_message(file_at(path, None), text, data, errors))


# ---------------------------------------------------------------- saving
def _now() -> datetime:
    return datetime.now().astimezone().replace(microsecond=0)


def _toml_safe(value: Any) -> Any:
    """Plain TOML values: no None (tomli-w rejects it), enums as their values."""
    if isinstance(value, dict):
        return {str(k): _toml_safe(v) for k, v in value.items() if v is not None}
    if isinstance(value, (list, tuple)):
        return [_toml_safe(v) for v in value if v is not None]
    if isinstance(value, Enum):
        return value.value
    return value


def _has_cr(value: Any) -> bool:
    if isinstance(value, str):
        return "\r" in value
    if isinstance(value, dict):
        return any(_has_cr(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_cr(v) for v in value)
    return False


def session_document(session: Session) -> dict[str, Any]:
    """The session as the TOML-safe dict that is written, in the stable key order."""
    dumped = _toml_safe(session.model_dump(mode="python", exclude_defaults=False, warnings=False))
    # A paragraph shows only what it uses: empty phrase/params/role would be noise for hand editors.
    dumped["narrative"] = {
        section: [{k: v for k, v in block.items() if v not in ("", {})} for block in blocks]
        for section, blocks in dumped.get("narrative", {}).items()
    }
    return {key: dumped[key] for key in _KEY_ORDER if key in dumped}


def _read_umask() -> int:
    umask = os.umask(0)  # the only way to read it; done once at import, before any thread runs
    os.umask(umask)
    return umask


_UMASK = _read_umask()


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # not possible on every platform (Windows); the file itself is already synced
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _save_error(path: Path, exc: OSError) -> SessionFileError:
    reasons = {
        errno.ENOSPC: "磁盘已满",
        errno.EACCES: "没有写入权限",
        errno.EPERM: "没有写入权限",
        errno.EROFS: "磁盘只读",
    }
    reason = reasons.get(exc.errno or 0, f"系统错误 {exc.errno}")
    return SessionFileError(f"无法保存会话文件「{path}」（{reason}），之前保存的内容没有改动。")


def _keep_backup(path: Path) -> None:
    """Make <name>.toml.bak the current file, atomically (hard link if possible, else a copy)."""
    backup = _sidecar(path, BACKUP_SUFFIX)
    fd, temp = tempfile.mkstemp(prefix=f".{backup.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        os.unlink(temp)
        try:
            os.link(path, temp)
        except OSError:  # file systems without hard links (FAT, some shares)
            shutil.copy2(path, temp)
        os.replace(temp, backup)
    finally:
        if os.path.lexists(temp):
            os.unlink(temp)


def save_session(session: Session, path: Path) -> None:
    """Stamp the session and write it atomically; the previous version stays as <name>.toml.bak."""
    path = Path(path)
    now = _now()
    session.meta.updated = now
    if session.meta.created is None:
        session.meta.created = now
    document = session_document(session)
    # Fields may have been assigned without validation: never write a file that would not load again.
    errors = _strict_meta(document)
    try:
        if not errors:
            Session.model_validate(document)
        data = tomli_w.dumps(document, multiline_strings=not _has_cr(document)).encode()
    except ValidationError as exc:
        errors = exc.errors()
    except (TypeError, ValueError) as exc:  # a value TOML cannot hold: a bug, but the clerk gets a sentence
        raise SessionFileError(
            f"无法保存会话文件「{path.name}」（{type(exc).__name__}），之前保存的内容没有改动。"
        ) from None
    if errors:
        raise SessionFileError(validation_message(f"无法保存会话文件「{path.name}」", "", document, errors))
    try:
        atomic_write_bytes(path, data, keep_backup=True)
    except OSError as exc:
        raise _save_error(path, exc) from None


def atomic_write_bytes(path: Path, data: bytes, keep_backup: bool = False) -> None:
    """Write via a temp file in the same folder, flush + fsync, then replace: a crash leaves old or new, never half."""
    temp = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        try:
            os.chmod(temp, path.stat().st_mode & 0o7777)
        except FileNotFoundError:  # a new file gets the usual permissions, not mkstemp's 0600
            os.chmod(temp, 0o666 & ~_UMASK)
        if keep_backup and path.exists():
            _keep_backup(path)
        os.replace(temp, path)
        temp = None
        _fsync_dir(path.parent)
    finally:
        if temp is not None and os.path.lexists(temp):
            os.unlink(temp)


def atomic_write_text(path: Path, text: str) -> None:
    """Write an exported report atomically; failures become a Chinese message."""
    path = Path(path)
    try:
        atomic_write_bytes(path, text.encode("utf-8"))
    except OSError as exc:
        raise WizardError(f"无法写入文件「{path}」（{exc.strerror or exc.errno}），请换一个文件夹再试。") from None


def new_session(
    agency: str, year: int, agency_kind: str = "subdistrict", superior: str = "", title: str = ""
) -> Session:
    try:
        meta = Meta(agency=agency, year=year, agency_kind=agency_kind, superior=superior, title=title)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = ("meta", *err["loc"])
        raise WizardError(
            say("无法新建会话", loc, problem_text([err["type"]], err), err["type"] == "value_error")
        ) from None
    return Session(meta=meta)


# ---------------------------------------------------------------- listing
@dataclass(frozen=True)
class SessionInfo:
    path: Path
    agency: str
    year: int | None
    agency_kind: str
    updated: datetime | None
    answered: int
    error: str = ""  # Chinese message when the file cannot be opened; empty when it can


def _info(path: Path) -> SessionInfo:
    try:
        session = load_session(path)
    except SessionFileError as exc:
        meta: dict[str, Any] = {}
        try:  # show what can be shown of a file that parses but does not validate
            raw = tomllib.loads(path.read_text("utf-8-sig")).get("meta")
            meta = raw if isinstance(raw, dict) else {}
        except (OSError, ValueError):
            pass
        year, agency = meta.get("year"), meta.get("agency")
        return SessionInfo(
            path=path,
            agency=agency if isinstance(agency, str) else "",
            year=year if type(year) is int else None,
            agency_kind=str(meta.get("agency_kind", "")),
            updated=meta["updated"] if isinstance(meta.get("updated"), datetime) else None,
            answered=0,
            error=str(exc),
        )
    m = session.meta
    return SessionInfo(path, m.agency, m.year, m.agency_kind, m.updated, len(session.answers))


def _sort_key(info: SessionInfo) -> float:
    if info.updated is not None:
        return info.updated.timestamp()  # naive (hand-written) times count as local time
    try:
        return info.path.stat().st_mtime
    except OSError:
        return 0.0


def list_sessions(folder: Path) -> list[SessionInfo]:
    """Every session file in ``folder`` (backups, locks and temp files ignored), newest first."""
    folder = Path(folder)
    if not folder.is_dir():
        return []
    files = [p for p in folder.glob(f"*{SUFFIX}") if not p.name.startswith(".") and p.is_file()]
    return sorted((_info(p) for p in files), key=_sort_key, reverse=True)


# ---------------------------------------------------------------- the built-in example
def copy_example(dest_folder: Path) -> Path:
    """Copy the shipped example into ``dest_folder`` under a fresh name; the original is never edited."""
    dest_folder = Path(dest_folder)
    stem = paths.EXAMPLE_SESSION_NAME.removesuffix(SUFFIX)
    try:
        source = paths.example_session()
        stem = source.name.removesuffix(SUFFIX)
        content = source.read_bytes()
        dest_folder.mkdir(parents=True, exist_ok=True)
        for n in range(1, 1000):
            target = dest_folder / f"{stem}-副本{'' if n == 1 else n}{SUFFIX}"
            try:
                with open(target, "xb") as out:  # exclusive: two windows copying at once get two names
                    out.write(content)
                    out.flush()
                    os.fsync(out.fileno())
                return target
            except FileExistsError:
                continue
    except FileNotFoundError:
        raise SessionFileError(f"找不到程序自带的示例会话「{stem}{SUFFIX}」（安装可能不完整）。") from None
    except OSError as exc:
        raise _save_error(dest_folder / f"{stem}-副本{SUFFIX}", exc) from None
    raise SessionFileError(f"「{dest_folder}」中的示例副本太多，请先删除一些。")


# ---------------------------------------------------------------- locking
class SessionLock:
    """Exclusive lock on a session via the sidecar <name>.toml.lock, released when the process dies."""

    def __init__(self, path: Path) -> None:
        self.path = Path(path)
        self.lock_path = _sidecar(self.path, LOCK_SUFFIX)
        self._fd: int | None = None

    def acquire(self) -> SessionLock:
        if self._fd is not None:
            return self
        for _ in range(10):
            try:
                self.lock_path.parent.mkdir(parents=True, exist_ok=True)
                fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o644)
            except OSError as exc:
                raise SessionFileError(f"无法为会话「{self.path.name}」建立锁文件（系统错误 {exc.errno}）。") from None
            if not _try_lock(fd):
                os.close(fd)
                raise SessionLockedError(f"会话「{self.path.name}」已在另一个窗口中打开，请先关闭那个窗口。")
            # The holder deletes the lock file on release; if we locked a file that was just deleted, retry.
            try:
                same = os.path.samestat(os.fstat(fd), os.stat(self.lock_path))
            except FileNotFoundError:
                same = False
            if same:
                os.ftruncate(fd, 0)
                os.write(fd, f"{os.getpid()}\n".encode())
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
