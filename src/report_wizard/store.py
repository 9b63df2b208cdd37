"""Session files on disk: load/save as TOML, atomic writes with a backup, file names, listing, locks.

Every failure a clerk can meet is raised as a WizardError with one Chinese message naming the file and
the line or field; a file that failed to load is never written.
"""

from __future__ import annotations

import codecs
import errno
import hashlib
import os
import re
import shutil
import stat
import tempfile
import tomllib
import unicodedata
from collections.abc import Iterable
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
from .store_messages import (
    describe_value,
    file_at,
    find_line,
    os_reason,
    problem_text,
    say,
    toml_message,
    validation_message,
)

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
# Open for reading without ever blocking (a pipe opened O_NONBLOCK returns at once) or taking a terminal.
_O_READ = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)


class SessionExistsError(SessionFileError):
    """A new session was to be created under a name that is already taken; the existing file is untouched."""


class _NewerVersionError(SessionFileError):
    """Saved by a newer report-wizard: not damage, so no backup is offered in its place."""


# ---------------------------------------------------------------- file names
_FORBIDDEN = re.compile(r'[\\/:*?"<>|]')
# Between a changed name and its hash. A name that needs no change never holds "__" (runs of "_" are
# collapsed), so a hashed file name can never be the file name of another, unchanged agency name.
_HASH_SEPARATOR = "__"
_HASH_CHARS = 6


def _sanitised(name: str) -> str:
    # Control, format (zero-width, bidi overrides), unassigned and space characters become "_".
    name = "".join("_" if unicodedata.category(ch)[0] in "CZ" else ch for ch in name)
    name = _FORBIDDEN.sub("_", name)
    name = re.sub(r"\.{2,}", ".", name)
    return re.sub(r"_{2,}", "_", name).strip("._- ")


def _truncated(name: str, limit: int) -> str:
    encoded = name.encode("utf-8", "surrogatepass")
    if len(encoded) <= limit:
        return name
    return encoded[:limit].decode(errors="ignore").rstrip("._- ")


def _safe_agency(agency: str) -> str:
    """The agency as one safe file-name part; unique per agency (a changed name carries a hash of the original)."""
    original = unicodedata.normalize("NFC", agency)
    name = _sanitised(original)
    if not original or (name == original and len(name.encode()) <= MAX_NAME_BYTES):
        return name or UNNAMED  # today's names stay exactly as they were: existing sessions keep their paths
    # "甲/乙" and "甲_乙" both sanitise to "甲_乙": a short stable hash of the original tells them apart.
    digest = hashlib.sha256(original.encode("utf-8", "surrogatepass")).hexdigest()[:_HASH_CHARS]
    room = MAX_NAME_BYTES - len(_HASH_SEPARATOR) - _HASH_CHARS
    return f"{_truncated(name, room) or UNNAMED}{_HASH_SEPARATOR}{digest}"


def session_filename(agency: str, year: int) -> str:
    """``<agency>-<year>.toml``, with the agency made safe as a single file name."""
    return f"{_safe_agency(agency)}-{int(year)}{SUFFIX}"


def session_path(agency: str, year: int, folder: Path) -> Path:
    """Where the session of ``agency`` for ``year`` lives in ``folder``.

    A session saved before names carried a hash keeps its old name: if the file under the old, unhashed name
    exists, belongs to this very agency and the new name is still free, that file is the session.
    """
    folder = Path(folder)
    path = folder / session_filename(agency, year)
    assert path.parent == folder  # a sanitised name is always one path component
    legacy = folder / _legacy_filename(agency, year)
    if legacy != path and not os.path.lexists(path) and os.path.isfile(legacy) and _belongs_to(legacy, agency):
        return legacy
    return path


def _legacy_filename(agency: str, year: int) -> str:
    """The file name before names carried a hash (sanitised only, so two agencies could share it)."""
    name = _truncated(_sanitised(unicodedata.normalize("NFC", agency)), MAX_NAME_BYTES)
    return f"{name or UNNAMED}-{int(year)}{SUFFIX}"


def _belongs_to(path: Path, agency: str) -> bool:
    info = _info(path)
    return not info.error and unicodedata.normalize("NFC", info.agency) == unicodedata.normalize("NFC", agency)


def _sidecar(path: Path, suffix: str) -> Path:
    return path.with_name(path.name.removesuffix(SUFFIX) + suffix)


def _real(path: Path) -> Path:
    """The file a (possibly symlinked) path stands for; saves, backups and locks go there."""
    return Path(os.path.realpath(path))


# ---------------------------------------------------------------- loading
def _check_regular(path: Path, st: os.stat_result) -> None:
    if stat.S_ISDIR(st.st_mode):
        raise SessionFileError(f"「{path}」是一个文件夹，不是会话文件。")
    if not stat.S_ISREG(st.st_mode):  # a pipe would block the reader forever, a device never ends
        raise SessionFileError(f"「{path}」不是普通文件（可能是管道或设备），不能作为会话文件打开。")
    if st.st_size > MAX_FILE_BYTES:
        raise SessionFileError(f"{file_at(path, None)}太大，不是会话文件。")


def _read_bytes(path: Path) -> bytes:
    """The bytes of a regular file of at most MAX_FILE_BYTES; nothing else is opened or read."""
    try:
        _check_regular(path, os.stat(path))
        fd = os.open(path, _O_READ)
        with open(fd, "rb") as source:
            st = os.fstat(source.fileno())
            _check_regular(path, st)  # the name may have become a pipe since the stat
            chunks = [source.read(st.st_size + 1)]  # sized to the file: read(n) allocates n bytes up front
            total = len(chunks[0])
            while total > st.st_size and total <= MAX_FILE_BYTES:  # still growing: read on, up to the limit
                chunk = source.read(min(1 << 16, MAX_FILE_BYTES + 1 - total))
                if not chunk:
                    break
                chunks.append(chunk)
                total += len(chunk)
            raw = b"".join(chunks)
    except FileNotFoundError:
        raise SessionFileError(f"找不到会话文件「{path}」。") from None
    except IsADirectoryError:
        raise SessionFileError(f"「{path}」是一个文件夹，不是会话文件。") from None
    except PermissionError:
        raise SessionFileError(f"没有权限读取会话文件「{path}」。") from None
    except OSError as exc:
        raise SessionFileError(f"无法读取会话文件「{path}」：{os_reason(exc)}。") from None
    if len(raw) > MAX_FILE_BYTES:
        raise SessionFileError(f"{file_at(path, None)}太大，不是会话文件。")
    return raw


def _cut_in_a_character(raw: bytes, exc: UnicodeDecodeError) -> bool:
    """The bad bytes are the start of a UTF-8 character at the very end: the file was cut short."""
    if exc.end != len(raw):
        return False
    try:
        return codecs.getincrementaldecoder("utf-8")().decode(raw[exc.start :], final=False) == ""
    except UnicodeDecodeError:
        return False


def _decode(path: Path, raw: bytes) -> str:
    raw = raw.removeprefix(codecs.BOM_UTF8)  # a BOM from Windows Notepad is harmless
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        if _cut_in_a_character(raw, exc):
            raise SessionFileError(f"{file_at(path, line)}：文件末尾不完整，可能没有保存完。") from None
        raise SessionFileError(
            f"{file_at(path, line)}：有无法识别的字符，文件应为 UTF-8 编码（可能被另存成了 GBK/ANSI）。"
        ) from None


def _parse(path: Path, text: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SessionFileError(toml_message(path, text, str(exc))) from None
    except RecursionError:  # e.g. x = [[[[…]]]] thousands deep: no session looks like that
        raise SessionFileError(f"{file_at(path, None)}：方括号或花括号嵌套的层数太多，不是会话文件。") from None


def _read(path: Path) -> tuple[str, dict[str, Any]]:
    """The file's text and parsed TOML; any failure becomes one Chinese message."""
    text = _decode(path, _read_bytes(path))
    if not text.strip():
        raise SessionFileError(f"{file_at(path, None)}是空的，里面没有任何内容。")
    data = _parse(path, text)
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
        raise _NewerVersionError(
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
    """Read and validate a session file; raises SessionFileError (Chinese, with file and line) if unusable.

    When the file is damaged but its backup <name>.toml.bak loads, the message says so.
    """
    path = Path(path)
    try:
        return _load(path)
    except _NewerVersionError:
        raise
    except SessionFileError as exc:
        message = str(exc)
    except RecursionError:
        message = f"{file_at(path, None)}：内容嵌套的层数太多，不是会话文件。"
    except Exception:  # a bug must still reach the clerk as a sentence, never as a traceback
        message = f"{file_at(path, None)}：无法读取（程序内部出错，请联系维护人员），文件没有改动。"
    raise SessionFileError(message + _backup_hint(path)) from None


def _backup_hint(path: Path) -> str:
    """A sentence pointing to <name>.toml.bak when it exists and itself loads, else ""."""
    backup = _sidecar(_real(path), BACKUP_SUFFIX)
    try:
        if not stat.S_ISREG(os.stat(backup).st_mode):
            return ""
        _load(backup)
    except Exception:  # no usable backup: nothing to point to
        return ""
    return f"同一文件夹中有上一次保存的备份「{backup.name}」，可以用它恢复。"


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


def _save_error(path: Path, reason: str | OSError) -> SessionFileError:
    reason = os_reason(reason) if isinstance(reason, OSError) else reason
    return SessionFileError(f"无法保存会话文件「{path}」：{reason}。之前保存的内容没有改动。")


def _refusal(path: Path) -> str:
    """Why saving over the existing file at ``path`` must not happen ("" if nothing says so).

    Replacing a file needs only a writable folder, so a read-only file would be silently overwritten:
    its own permissions are asked first. No write bit at all counts as read-only even for root.
    """
    try:
        st = os.stat(path)
    except OSError:  # missing: a new file; anything else shows when writing
        return ""
    if stat.S_ISREG(st.st_mode) and st.st_mode & 0o222 == 0:
        return "文件是只读的"
    if os.access(path, os.W_OK):
        return ""
    return "磁盘只读" if _on_read_only_disk(path) else "没有权限"


def _on_read_only_disk(path: Path) -> bool:
    try:
        return bool(os.statvfs(path).f_flag & os.ST_RDONLY)
    except (AttributeError, OSError):  # no statvfs (Windows)
        return False


def is_writable(path: Path) -> bool:
    """Whether the session at ``path`` can be saved: the file is not read-only and its folder takes new files.

    The UI opens a session that is not writable read-only and says so; load_session reads it either way.
    """
    real = _real(Path(path))
    if os.path.lexists(real) and not os.path.isfile(real):
        return False
    if _refusal(real):
        return False
    folder = real.parent
    while not folder.exists() and folder != folder.parent:  # saving creates missing folders
        folder = folder.parent
    return os.access(folder, os.W_OK | os.X_OK)


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
    """Stamp the session and write it atomically; the previous version stays as <name>.toml.bak.

    Through a symlink, the link's target is written (and backed up beside it); a read-only file is refused.
    """
    path = Path(path)
    refusal = _refusal(_real(path))
    if refusal:
        raise _save_error(path, refusal)
    data = _encode(session, path)
    try:
        atomic_write_bytes(path, data, keep_backup=True)
    except OSError as exc:
        raise _save_error(path, exc) from None


def _encode(session: Session, path: Path) -> bytes:
    """Stamp the session and return the bytes to write; a session that would not load again is refused."""
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
    return data


def atomic_write_bytes(path: Path, data: bytes, keep_backup: bool = False) -> None:
    """Write via a temp file in the same folder, flush + fsync, then replace: a crash leaves old or new, never half.

    A symlink is written through: replacing the link itself would fork the file into two versions.
    """
    path = _real(Path(path))
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
        raise WizardError(f"无法写入文件「{path}」：{os_reason(exc)}，请换一个文件夹再试。") from None


# Errors of os.link that may just mean "no hard links on this file system" (FAT, some network shares); the
# exclusive create used instead reports a real denial or a full disk in its turn.
_NO_HARD_LINKS = {errno.EPERM, errno.EACCES, errno.ENOTSUP, errno.EOPNOTSUPP, errno.EXDEV, errno.ENOSYS}
_NO_HARD_LINKS |= {errno.EMLINK, errno.EINVAL}


def create_session_file(session: Session, path: Path) -> None:
    """Write a brand-new session file; raises SessionExistsError if ``path`` exists, even when two race.

    The file appears complete or not at all (a synced temp file is hard-linked to the name, which fails if
    the name is taken); where hard links are not supported, an exclusive create is used instead.
    """
    path = Path(path)
    data = _encode(session, path)
    try:
        _publish_new(data, [path])
    except FileExistsError:
        raise SessionExistsError(f"会话文件「{path}」已存在，没有改动它：请打开它继续填写。") from None
    except OSError as exc:
        raise SessionFileError(f"无法新建会话文件「{path}」：{os_reason(exc)}。") from None


def _publish_new(data: bytes, names: Iterable[Path]) -> Path:
    """Write ``data`` under the first of ``names`` (all in one folder) that is free; never replaces a file.

    Raises FileExistsError when every name is taken, OSError when writing fails (nothing is left behind).
    """
    names = list(names)
    folder = names[0].parent
    folder.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(prefix=f".{names[0].name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(temp, 0o666 & ~_UMASK)  # the usual permissions, not mkstemp's 0600
        for name in names:
            try:
                os.link(temp, name)  # atomic and exclusive: fails if the name exists
            except FileExistsError:
                continue
            except OSError as exc:
                if exc.errno not in _NO_HARD_LINKS:
                    raise
                try:
                    _create_exclusive(name, data)
                except FileExistsError:
                    continue
            _fsync_dir(folder)
            return name
        raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), str(names[-1]))
    finally:
        if os.path.lexists(temp):
            os.unlink(temp)


def _create_exclusive(path: Path, data: bytes) -> None:
    """O_EXCL create, write and fsync; a partly written file is removed again."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
    except BaseException:
        os.unlink(path)  # ours, just created: half a file must not pass for a session
        raise


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


# The first table header that is neither [meta] nor [answers]: saved files put those two first, and they
# hold all a listing shows, so only the text before it is parsed (parsing is most of the cost of a file).
_AFTER_LISTED = re.compile(r"^[ \t]*\[(?![ \t]*(?:meta|answers)[ \t]*\])", re.MULTILINE)
_ANSWERS_HEADER = re.compile(r"^[ \t]*\[[ \t]*answers[ \t]*\]", re.MULTILINE)


def _info(path: Path) -> SessionInfo:
    """What the listing shows of one file, from its meta and answers only; anything doubtful is fully loaded."""
    head: dict[str, Any] = {}
    try:
        text = _decode(path, _read_bytes(path))
        cut = _AFTER_LISTED.search(text)
        head = tomllib.loads(text[: cut.start()] if cut else text)
        version = head.get("schema_version", model.SCHEMA_VERSION)
        # Answers written after the other tables (a hand-edited order) would be missed: count them in full.
        answers_later = cut is not None and "answers" not in head and _ANSWERS_HEADER.search(text, cut.start())
        current = type(version) is int and version == model.SCHEMA_VERSION
        if current and not answers_later and not _strict_meta(head):
            listed = Session.model_validate(head)  # meta, answers and stray top-level keys: cheap
            m = listed.meta
            return SessionInfo(path, m.agency, m.year, m.agency_kind, m.updated, len(listed.answers))
    except Exception:  # damaged, cut inside a multi-line text, older version…: the full load says what and where
        pass
    return _full_info(path, head)


def _full_info(path: Path, head: dict[str, Any]) -> SessionInfo:
    try:
        session = load_session(path)
    except SessionFileError as exc:
        raw = head.get("meta")  # show what can be shown of a file that parses but does not validate
        meta: dict[str, Any] = raw if isinstance(raw, dict) else {}
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
    try:
        with os.scandir(folder) as entries:
            names = [e for e in entries if e.name.endswith(SUFFIX) and not e.name.startswith(".")]
            found = [(folder / e.name, _signature(e)) for e in names]
    except OSError:  # no such folder (yet), or not a folder
        return []
    infos = []
    for path, signature in found:
        if signature is None:
            continue
        cached = _LISTED.get(path)
        if cached is not None and cached[0] == signature:
            infos.append(cached[1])
            continue
        info = _info(path)
        if not info.error:  # a broken file is looked at again: its message may name a backup made since
            _LISTED[path] = (signature, info)
        infos.append(info)
    return sorted(infos, key=_sort_key, reverse=True)


# Path -> (signature, info) of sound files already listed: the home screen lists the folder again on every
# visit, and an unchanged file (same inode, size, mtime and ctime to the nanosecond) needs no second look.
_LISTED: dict[Path, tuple[tuple[int, ...], SessionInfo]] = {}


def _signature(entry: os.DirEntry[str]) -> tuple[int, ...] | None:
    """Identity and version of a regular file (links followed); None for anything else: pipes are not sessions."""
    try:
        st = entry.stat()
    except OSError:
        return None
    if not stat.S_ISREG(st.st_mode):
        return None
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)


# ---------------------------------------------------------------- the built-in example
def copy_example(dest_folder: Path) -> Path:
    """Copy the shipped example into ``dest_folder`` under a fresh name; the original is never edited."""
    dest_folder = Path(dest_folder)
    stem = paths.EXAMPLE_SESSION_NAME.removesuffix(SUFFIX)
    try:
        source = paths.example_session()
        stem = source.name.removesuffix(SUFFIX)
        content = source.read_bytes()
    except OSError:
        raise SessionFileError(f"找不到程序自带的示例会话「{stem}{SUFFIX}」（安装可能不完整）。") from None
    names = [dest_folder / f"{stem}-副本{'' if n == 1 else n}{SUFFIX}" for n in range(1, 1000)]
    try:  # exclusive and complete: two windows copying at once get two names, a full disk leaves no stub
        return _publish_new(content, names)
    except FileExistsError:
        raise SessionFileError(f"「{dest_folder}」中的示例副本太多，请先删除一些。") from None
    except OSError as exc:
        raise SessionFileError(f"无法把示例会话复制到「{dest_folder}」：{os_reason(exc)}。") from None


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
