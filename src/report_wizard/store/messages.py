"""Chinese messages for damaged session files: where in the TOML text a problem is, and what it is."""

from __future__ import annotations

import errno
import json
import re
from pathlib import Path
from typing import Any

from report_wizard.core import form

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


def find_line(text: str, loc: tuple[str | int, ...]) -> int | None:
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


# What the operating system said, as a clerk can read it: never the errno number or its English text.
_OS_REASONS = {
    errno.ENOSPC: "磁盘已满",
    errno.EDQUOT: "磁盘空间配额已用完",
    errno.EACCES: "没有权限",
    errno.EPERM: "没有权限",
    errno.EROFS: "磁盘只读",
    errno.ENOENT: "找不到",
    errno.EISDIR: "是文件夹",
    errno.ENOTDIR: "路径中有一部分不是文件夹",
    errno.ENAMETOOLONG: "文件名太长",
    errno.EMFILE: "打开的文件太多",
    errno.ENFILE: "打开的文件太多",
    errno.EIO: "读写出错",
    errno.ELOOP: "快捷方式（链接）指向了自己",
    errno.EFBIG: "文件太大",
    errno.EEXIST: "文件已存在",
}
UNKNOWN_OS_REASON = "无法访问（原因未知）"


def os_reason(exc: OSError) -> str:
    """A short Chinese reason for an OSError, e.g. 「磁盘已满」."""
    return _OS_REASONS.get(exc.errno or 0, UNKNOWN_OS_REASON)


def file_at(path: Path, line: int | None) -> str:
    return f"会话文件「{path.name}」第 {line} 行" if line else f"会话文件「{path.name}」"


def describe_value(value: Any) -> str:
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
        name = _cell_name(str(loc[1]))
    elif len(loc) == 2 and loc[0] == "meta" and loc[1] in _META_NAMES:
        name = _META_NAMES[str(loc[1])]
    elif len(loc) >= 3 and loc[0] == "narrative" and loc[1] in form.SECTION_BY_ID and isinstance(loc[2], int):
        name = f"「{form.SECTION_BY_ID[str(loc[1])].heading}」第 {loc[2] + 1} 段"
    elif len(loc) == 1 and loc[0] in _TOP_NAMES:
        name = _TOP_NAMES[str(loc[0])]
    return name, toml_path


def say(at: str, loc: tuple[str | int, ...], problem: str, from_validator: bool) -> str:
    name, toml_path = _field_label(loc)
    if not name or (from_validator and name in problem):
        return f"{at}（{toml_path}）：{problem}。" if from_validator else f"{at}：{toml_path} {problem}。"
    return f"{at}，{name}（{toml_path}）：{problem}。" if from_validator else f"{at}：{name}（{toml_path}）{problem}。"


def problem_text(types: list[str], err: dict[str, Any]) -> str:
    kind, value, ctx = types[0], err.get("input"), err.get("ctx") or {}
    now = f"，现为{'' if isinstance(value, (str, dict, list)) else ' '}{describe_value(value)}"
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
        names = re.findall(r"'([^']*)'", str(ctx.get("expected")))
        return f"只能是 {'、'.join(names)}{now}"
    if kind.startswith(("datetime", "date")):
        return f"应为日期时间，如 2024-01-15 10:30:00+08:00{now}"
    return f"内容不符合要求{now}"


def _locate(err: dict[str, Any], data: Any) -> tuple[str | int, ...]:
    """The error's location cut to what exists in the data (drops pydantic's union-member tags)."""
    loc = tuple(err["loc"])
    if err["type"] == "value_error" and isinstance(err.get("input"), dict):
        # Dict-level validators (cells, declared, narrative, params) name the bad key only in their message.
        message = str((err.get("ctx") or {}).get("error", ""))
        keys = [k for k in err["input"] if isinstance(k, str)]
        # A key quoted as 「key」 is the one meant; a bare match could be a valid key listed as a hint.
        quoted = [k for k in keys if f"「{k}」" in message]
        hits = quoted or [k for k in keys if k in message or (k in form.ALL_CELL_SET and _cell_name(k) in message)]
        if hits:
            return (*loc, max(hits, key=lambda k: len(_cell_name(k)) if k in form.ALL_CELL_SET else len(k)))
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


def validation_message(at: str, text: str, data: dict[str, Any], errors: list[dict[str, Any]]) -> str:
    """One sentence for the first problem (with its line when ``text`` is given), counting the others."""
    grouped: dict[tuple[str | int, ...], list[dict[str, Any]]] = {}
    for err in errors:
        grouped.setdefault(_locate(err, data), []).append(err)
    # A misspelt key shows as both "unknown" and "missing": the unknown one is what to fix.
    loc, errs = min(grouped.items(), key=lambda item: item[1][0]["type"] != "extra_forbidden")
    problem = problem_text([e["type"] for e in errs], errs[0])
    if (
        len(loc) == 2
        and loc[0] in ("cells", "declared", "sources")
        and errs[0]["type"] != "value_error"
        and isinstance(errs[0].get("input"), dict)
    ):
        problem += f'；单元格编号含“.”，要用英文双引号括起来，如 "{form.INPUT_CELLS[0]}" = 0'
    more = f"（另有 {len(grouped) - 1} 处问题）" if len(grouped) > 1 else ""
    line = find_line(text, loc) if text else None
    return say(f"{at}第 {line} 行" if line else at, loc, problem, errs[0]["type"] == "value_error") + more


def toml_message(path: Path, text: str, error: str) -> str:
    reason = next((zh for en, zh in _TOML_REASONS if error.startswith(en)), "格式不正确")
    where = re.search(r"\(at line (\d+), column (\d+)\)", error)
    if where:
        at = f"{file_at(path, int(where.group(1)))}第 {where.group(2)} 列"
    else:  # "(at end of document)"
        at = f"{file_at(path, text.count(chr(10)) + (0 if text.endswith(chr(10)) else 1))}（文件末尾）"
        reason = "文件在中途结束了（可能缺少右括号或引号）"
    return f"{at}：不是有效的 TOML 格式，{reason}。"


def _cell_name(key: str) -> str:
    """A cell id read from a file (already known to be one) as named in a sentence."""
    return form.cell_name(form.CellId(key))
