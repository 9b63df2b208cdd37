"""Session files on disk: load/save as TOML, atomic writes with a backup, file names, listing, locks.

Every failure a clerk can meet is raised as a WizardError with one Chinese message naming the file and
the line or field; a file that failed to load is never written.
"""

from __future__ import annotations

import errno
import json
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

from . import form, model, paths
from .errors import SessionFileError, SessionLockedError, WizardError
from .model import Meta, Session

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


# ---------------------------------------------------------------- where an error is in the file
_KEY_PART = r'"(?:[^"\\]|\\.)*"|\'[^\']*\'|[A-Za-z0-9_-]+'
_DOTTED = rf"(?:{_KEY_PART})(?:\s*\.\s*(?:{_KEY_PART}))*"
_HEADER_RE = re.compile(rf"^\s*(\[\[?)\s*({_DOTTED})\s*\]")
_ASSIGN_RE = re.compile(rf"^\s*({_DOTTED})\s*=")


def _split_key(dotted: str) -> tuple[str, ...]:
    parts = re.findall(_KEY_PART, dotted)
    return tuple(json.loads(p) if p[0] == '"' else p.strip("'") for p in parts)


def _scan(text: str) -> list[tuple[int, tuple[str | int, ...]]]:
    """(line number, full key path) of every table header and key, array-of-table elements numbered."""
    entries: list[tuple[int, tuple[str | int, ...]]] = []
    arrays: dict[tuple[str | int, ...], int] = {}  # resolved array path -> index of its last element
    table: tuple[str | int, ...] = ()
    in_string = False
    for number, line in enumerate(text.split("\n"), 1):
        if in_string:
            in_string = (line.count('"""') + line.count("'''")) % 2 == 0
            continue
        try:
            header = _HEADER_RE.match(line)
            if header:
                is_array = header.group(1) == "[["
                parts = _split_key(header.group(2))
                resolved: tuple[str | int, ...] = ()
                for i, part in enumerate(parts):
                    resolved += (part,)
                    # A header inside an array of tables belongs to its latest element.
                    if resolved in arrays and not (is_array and i == len(parts) - 1):
                        resolved += (arrays[resolved],)
                if is_array:
                    arrays[resolved] = arrays.get(resolved, -1) + 1
                    resolved += (arrays[resolved],)
                table = resolved
                entries.append((number, table))
                continue
            assign = _ASSIGN_RE.match(line)
            if assign:
                entries.append((number, table + _split_key(assign.group(1))))
        except ValueError:  # an odd key spelling: only costs us the line number
            pass
        in_string = (line.count('"""') + line.count("'''")) % 2 == 1
    return entries


def _find_line(text: str, loc: tuple[str | int, ...]) -> int | None:
    """The line where ``loc`` is written, else its first child, else its nearest enclosing table or key."""
    parent: tuple[int, int] | None = None  # (matched length, line)
    child = None
    for number, key_path in _scan(text):
        if key_path == loc:
            return number
        if key_path and loc[: len(key_path)] == key_path and (parent is None or len(key_path) > parent[0]):
            parent = (len(key_path), number)
        if child is None and loc and key_path[: len(loc)] == loc:
            child = number
    return child if child is not None else (parent[1] if parent else None)


# ---------------------------------------------------------------- messages in Chinese
_META_NAMES = {
    "agency": "机关名称",
    "agency_kind": "机关类型",
    "superior": "上级机关",
    "year": "年度",
    "title": "报告标题",
    "created": "创建时间",
    "updated": "保存时间",
    "resume_at": "上次停留的问题",
}
_TOP_NAMES = {
    "schema_version": "文件版本号",
    "meta": "基本信息",
    "answers": "问答记录",
    "cells": "表格数字",
    "sources": "数字来源",
    "declared": "原报告印出的合计",
    "narrative": "文字部分",
}
_TOML_REASONS = (
    ("Invalid value", '值的写法不对（文字要用英文双引号括起来，如 "西大街街道"）'),
    ("Invalid statement", "无法识别这一行"),
    ("Expected newline", "一行只能写一项，值的后面多了内容"),
    ("Expected '=' after a key", "名称后面缺少“=”"),
    ("Cannot overwrite a value", "同一项写了两次"),
    ("Cannot declare", "同一个表写了两次"),
    ("Duplicate inline table key", "同一项写了两次"),
    ("Cannot redefine namespace", "同一个表写了两次"),
    ("Cannot mutate immutable namespace", "同一项写了两次"),
    ("Unclosed array", "方括号 [ ] 没有配对"),
    ("Unclosed inline table", "花括号 { } 没有配对"),
    ("Unterminated string", "引号没有配对"),
    ("Illegal character '\\n'", "引号没有配对（文字要在同一行内结束，多行文字用三个引号）"),
    ("Illegal character", "有不允许出现的字符"),
    ("Found invalid character", "有不允许出现的字符"),
    ("Unescaped '\\'", "文字中的反斜杠 \\ 要写成 \\\\"),
    ("Invalid hex value", "转义字符写法不对"),
    ("Escaped character", "转义字符写法不对"),
    ("Invalid date or datetime", "日期时间的写法不对（如 2024-01-15 10:30:00+08:00）"),
    ("Expected ']", "表头缺少右方括号"),
    ("Invalid initial character for a key", "名称的写法不对"),
)
_NUMBER_TYPES = {"int_type", "float_type", "int_parsing", "float_parsing", "int_from_float"}


def _at(path: Path, line: int | None) -> str:
    return f"会话文件「{path.name}」第 {line} 行" if line else f"会话文件「{path.name}」"


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return f"文字「{value if len(value) <= 30 else value[:30] + '…'}」"
    if isinstance(value, dict):
        return "一个表"
    if isinstance(value, list):
        return "一个列表"
    return str(value)


def _field_label(loc: tuple[str | int, ...]) -> tuple[str, str]:
    """(Chinese name or "", TOML path) of a location, e.g. ("年度", "meta.year")."""

    def part(p: str | int) -> str:
        return f"[{p}]" if isinstance(p, int) else (p if re.fullmatch(r"[A-Za-z0-9_-]+", p) else f'"{p}"')

    toml_path = "".join(("" if isinstance(p, int) or i == 0 else ".") + part(p) for i, p in enumerate(loc))
    name = ""
    if len(loc) >= 2 and loc[0] in ("cells", "declared", "sources") and loc[1] in form.ALL_CELL_SET:
        name = form.cell_name(str(loc[1]))
    elif len(loc) == 2 and loc[0] == "meta" and loc[1] in _META_NAMES:
        name = _META_NAMES[str(loc[1])]
    elif len(loc) >= 3 and loc[0] == "narrative" and loc[1] in form.SECTION_BY_ID and isinstance(loc[2], int):
        name = f"「{form.SECTION_BY_ID[str(loc[1])].heading}」第 {loc[2] + 1} 段"
    elif len(loc) == 1 and loc[0] in _TOP_NAMES:
        name = _TOP_NAMES[str(loc[0])]
    return name, toml_path


def _say(at: str, loc: tuple[str | int, ...], problem: str, from_validator: bool) -> str:
    name, toml_path = _field_label(loc)
    if not name or (from_validator and name in problem):
        return f"{at}（{toml_path}）：{problem}。" if from_validator else f"{at}：{toml_path} {problem}。"
    return f"{at}，{name}（{toml_path}）：{problem}。" if from_validator else f"{at}：{name}（{toml_path}）{problem}。"


def _problem(types: list[str], err: dict[str, Any]) -> str:
    kind, value, ctx = types[0], err.get("input"), err.get("ctx") or {}
    now = f"，现为{'' if isinstance(value, (str, dict, list)) else ' '}{_describe(value)}"
    if kind == "missing":
        return "缺少这一项"
    if kind == "extra_forbidden":
        return "是无法识别的项（可能拼写有误）"
    if kind == "value_error":
        return str(ctx.get("error", err["msg"])).removeprefix("Value error, ")
    if set(types) <= _NUMBER_TYPES:
        return f"应为数字{now}"
    if len(types) > 1:
        return f"类型不对{now}"
    simple = {
        "string_type": "应为文字（用英文双引号括起来）",
        "bool_type": "应为 true 或 false",
        "dict_type": "应为一个表",
        "model_type": "应为一个表",
        "list_type": "应为一个列表",
        "string_too_short": "不能为空",
    }
    if kind in simple:
        return simple[kind] + ("" if kind == "string_too_short" else now)
    if kind == "greater_than_equal":
        return f"不能小于 {ctx.get('ge')}{now}"
    if kind == "less_than_equal":
        return f"不能大于 {ctx.get('le')}{now}"
    if kind == "literal_error" and "subdistrict" in str(ctx.get("expected")):
        allowed = "、".join(f"{k}（{label}）" for k, label in form.AGENCY_KINDS)
        return f"只能是 {allowed}{now}"
    if kind in ("literal_error", "enum"):
        allowed = re.findall(r"'([^']*)'", str(ctx.get("expected")))
        return f"只能是 {'、'.join(allowed)}{now}"
    if kind.startswith(("datetime", "date")):
        return f"应为日期时间，如 2024-01-15 10:30:00+08:00{now}"
    return f"内容不符合要求{now}"


def _locate(err: dict[str, Any], data: Any) -> tuple[str | int, ...]:
    """The error's location cut to what exists in the data (drops pydantic's union-member tags)."""
    loc = tuple(err["loc"])
    if err["type"] == "value_error" and len(loc) == 1 and isinstance(err.get("input"), dict):
        # Dict-level validators (cells, declared) name the bad cell only in their message: find it.
        message = str((err.get("ctx") or {}).get("error", ""))
        hits = [k for k in err["input"] if k in message or (k in form.ALL_CELL_SET and form.cell_name(k) in message)]
        if hits:
            return (*loc, max(hits, key=lambda k: len(form.cell_name(k)) if k in form.ALL_CELL_SET else len(k)))
    if err["type"] == "missing":
        return loc
    node, kept = data, 0
    for part in loc:
        if (isinstance(node, dict) and part in node) or (
            isinstance(node, list) and isinstance(part, int) and part < len(node)
        ):
            node, kept = node[part], kept + 1
        else:
            break
    return loc[:kept]


def _validation_message(at: str, text: str, data: dict, errors: list[dict[str, Any]]) -> str:
    """One sentence for the first problem (with its line when ``text`` is given), counting the others."""
    grouped: dict[tuple[str | int, ...], list[dict[str, Any]]] = {}
    for err in errors:
        grouped.setdefault(_locate(err, data), []).append(err)
    # A misspelt key shows as both "unknown" and "missing": the unknown one is what to fix.
    loc, errs = min(grouped.items(), key=lambda item: item[1][0]["type"] != "extra_forbidden")
    problem = _problem([e["type"] for e in errs], errs[0])
    if (
        len(loc) == 2
        and loc[0] in ("cells", "declared", "sources")
        and errs[0]["type"] != "value_error"
        and isinstance(errs[0].get("input"), dict)
    ):
        problem += f'；单元格编号含“.”，要用英文双引号括起来，如 "{form.INPUT_CELLS[0]}" = 0'
    more = f"（另有 {len(grouped) - 1} 处问题）" if len(grouped) > 1 else ""
    line = _find_line(text, loc) if text else None
    return _say(f"{at}第 {line} 行" if line else at, loc, problem, errs[0]["type"] == "value_error") + more


# ---------------------------------------------------------------- loading
def _read(path: Path) -> tuple[str, dict[str, Any]]:
    """The file's text and parsed TOML; any failure becomes one Chinese message."""
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise SessionFileError(f"{_at(path, None)}太大，不是会话文件。")
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
            f"{_at(path, line)}：有无法识别的字符，文件应为 UTF-8 编码（可能被另存成了 GBK/ANSI）。"
        ) from None
    if not text.strip():
        raise SessionFileError(f"{_at(path, None)}是空的，里面没有任何内容。")
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SessionFileError(_toml_message(path, text, str(exc))) from None
    if not data:
        raise SessionFileError(f"{_at(path, None)}是空的，里面没有任何内容。")
    return text, data


def _toml_message(path: Path, text: str, error: str) -> str:
    reason = next((zh for en, zh in _TOML_REASONS if error.startswith(en)), "格式不正确")
    where = re.search(r"\(at line (\d+), column (\d+)\)", error)
    if where:
        at = f"{_at(path, int(where.group(1)))}第 {where.group(2)} 列"
    else:  # "(at end of document)"
        at = f"{_at(path, text.count(chr(10)) + (0 if text.endswith(chr(10)) else 1))}（文件末尾）"
        reason = "文件在中途结束了（可能缺少右括号或引号）"
    return f"{at}：不是有效的 TOML 格式，{reason}。"


def _check_version(path: Path, text: str, data: dict[str, Any]) -> None:
    version = data.get("schema_version", model.SCHEMA_VERSION)
    if type(version) is int and 1 <= version <= model.SCHEMA_VERSION:
        return
    line = _find_line(text, ("schema_version",))  # only now: scanning costs as much as parsing
    if type(version) is not int or version < 1:
        raise SessionFileError(f"{_at(path, line)}：文件版本号（schema_version）应为正整数，现为{_describe(version)}。")
    if version > model.SCHEMA_VERSION:
        raise SessionFileError(
            f"{_at(path, line)}：此文件由更新版本的 report-wizard 保存（版本 {version}），请升级后再打开。"
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
        raise SessionFileError(f"{_at(path, None)}：无法读取（{type(exc).__name__}）。") from None


def _load(path: Path) -> Session:
    text, data = _read(path)
    _check_version(path, text, data)
    try:
        data = _migrate(data)
    except Exception:  # a migration bug must still reach the clerk as a message, with the file untouched
        raise SessionFileError(f"{_at(path, None)}：无法从旧版本格式升级，请联系维护人员。") from None
    errors = _strict_meta(data)
    if not errors:
        try:
            return Session.model_validate(data)
        except ValidationError as exc:
            errors = exc.errors()
    raise SessionFileError(_validation_message(_at(path, None), text, data, errors))


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
        raise SessionFileError(_validation_message(f"无法保存会话文件「{path.name}」", "", document, errors))
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
        if path.exists():
            _keep_backup(path)
        os.replace(temp, path)
        temp = None
        _fsync_dir(path.parent)
    except OSError as exc:
        raise _save_error(path, exc) from None
    finally:
        if temp is not None and os.path.lexists(temp):
            os.unlink(temp)


def new_session(
    agency: str, year: int, agency_kind: str = "subdistrict", superior: str = "", title: str = ""
) -> Session:
    try:
        meta = Meta(agency=agency, year=year, agency_kind=agency_kind, superior=superior, title=title)
    except ValidationError as exc:
        err = exc.errors()[0]
        loc = ("meta", *err["loc"])
        raise WizardError(
            _say("无法新建会话", loc, _problem([err["type"]], err), err["type"] == "value_error")
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
