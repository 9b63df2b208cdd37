"""Session files on disk: load/save as TOML, atomic writes with a backup, file names, listing, locks.

Every failure a clerk can meet is raised as a WizardError with one Chinese message naming the file and
the line or field; a file that failed to load is never written.
"""

from __future__ import annotations

import codecs
import errno
import os
import shutil
import stat
import tempfile
import tomllib
from collections.abc import Iterable
from datetime import datetime
from enum import Enum
from pathlib import Path
from typing import Any

import tomli_w
from pydantic import ValidationError

try:  # optional speed-up of reading; the program is correct with tomllib alone
    import rtoml as _rtoml
except ImportError:  # pragma: no cover - rtoml is a dependency, but a platform without its wheel still works
    _rtoml = None  # type: ignore[assignment]

from report_wizard.core import model, paths
from report_wizard.core.errors import SessionFileError, WizardError
from report_wizard.core.model import Meta, Session
from report_wizard.store.messages import (
    describe_value,
    file_at,
    find_line,
    os_reason,
    problem_text,
    say,
    toml_message,
    validation_message,
)
from report_wizard.store.names import BACKUP_SUFFIX, SUFFIX, _real, _sidecar

MAX_FILE_BYTES = 10 * 1024 * 1024  # a session is a few kB; anything this big is not one
_KEY_ORDER: tuple[str, ...] = ("schema_version", "meta", "answers", "cells", "sources", "declared", "narrative")
_KEY_ORDER += ("missing", "ambiguous", "imported", "previous")  # schema 2 (import)
_KEY_ORDER += ("entry",)  # how each cell was entered (issue 12): optional, no version change


def _v1_to_v2(data: dict[str, Any]) -> dict[str, Any]:
    """Schema 1 had no missing or ambiguous cells and no import record: every v1 file is a valid v2 file
    once the number is moved on (the new fields default to empty)."""
    return data


# Older schema version -> function upgrading its data by one version; load_session runs them.
_MIGRATIONS: dict[int, Any] = {1: _v1_to_v2}
# Open for reading without ever blocking (a pipe opened O_NONBLOCK returns at once) or taking a terminal.
_O_READ = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_BINARY", 0)


class SessionExistsError(SessionFileError):
    """A new session was to be created under a name that is already taken; the existing file is untouched."""

    def __init__(self, message: str, path: Path) -> None:
        super().__init__(message)
        self.path = path


class _NewerVersionError(SessionFileError):
    """Saved by a newer report-wizard: not damage, so no backup is offered in its place."""


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


def parse_toml(text: str) -> dict[str, Any]:
    """TOML to a dict: rtoml (Rust, about 20 times faster than tomllib: parsing was most of checking 10,000
    sessions) when it is installed and accepts the text; otherwise tomllib, whose errors our messages quote."""
    if _rtoml is not None:
        try:
            data: dict[str, Any] = _rtoml.loads(text)
            return data
        except Exception:  # not valid: tomllib says what and where, in the wording store_messages reads
            pass
    return tomllib.loads(text)


def _parse(path: Path, text: str) -> dict[str, Any]:
    try:
        return parse_toml(text)
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
            errors = [dict(e) for e in exc.errors()]
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
    # The import fields are written only when used: a session typed in the interview reads as it did before.
    for key in ("missing", "ambiguous", "previous"):
        if not dumped.get(key):
            dumped.pop(key, None)
    if not dumped.get("entry"):  # written only once a cell says how it was entered: older files stay as they were
        dumped.pop("entry", None)
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
        errors = [dict(e) for e in exc.errors()]
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
    atomic_write_export(path, text.encode("utf-8"))


# Refusals that, for a file already there, most often mean another program has it open: on Windows, Word and
# WPS keep an open document locked, and replacing it fails with "access denied".
_IN_USE_ERRNOS = {errno.EACCES, errno.EPERM, errno.EBUSY, errno.ETXTBSY}


def atomic_write_export(path: Path, data: bytes) -> None:
    """Write an exported file (a text report or a .docx) atomically; failures become a Chinese message, and
    the file that was there (if any) is left as it was."""
    path = Path(path)
    try:
        atomic_write_bytes(path, data)
    except OSError as exc:
        hint = ""
        if exc.errno in _IN_USE_ERRNOS and path.exists():
            hint = "（如果这个文件正在 Word 或 WPS 中打开，请先关闭它再导出）"
        raise WizardError(f"无法写入文件「{path}」：{os_reason(exc)}{hint}，请换一个文件夹再试。") from None


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
        raise SessionExistsError(f"会话文件「{path}」已存在，没有改动它：请打开它继续填写。", path) from None
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
        fields = {"agency": agency, "year": year, "agency_kind": agency_kind, "superior": superior, "title": title}
        meta = Meta.model_validate(fields)  # validated: the kind may come from a command line
    except ValidationError as exc:
        err: dict[str, Any] = dict(exc.errors()[0])
        loc = ("meta", *err["loc"])
        raise WizardError(
            say("无法新建会话", loc, problem_text([err["type"]], err), err["type"] == "value_error")
        ) from None
    return Session(meta=meta)


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
