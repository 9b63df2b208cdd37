"""What the data-file loaders share: every problem of every file, reported at once in one DataFileError,
each line naming the file, the line, the entry and the field, with the closest valid name for a misspelt
one; and the small helpers that turn the loaders' pydantic models into JSON Schema for editors.

It lives here because the paragraph library is the lowest layer that reads a data file: interview/questions.py
(one layer up) imports it, and core has no loader. interview/schema.py writes the schema files.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from pydantic.json_schema import GenerateJsonSchema, SkipJsonSchema
from pydantic_core import ErrorDetails

from report_wizard.core.errors import DataFileError

JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
M = TypeVar("M", bound=BaseModel)


def did_you_mean(wrong: object, names: Iterable[str]) -> str:
    """「，是不是「…」？」 with the closest valid name, or "" when none is close enough to be a misspelling."""
    if not isinstance(wrong, str) or not wrong:
        return ""
    import difflib  # only a broken file needs it: kept out of start-up

    close = difflib.get_close_matches(wrong, sorted(set(names)), n=1)
    return f"，是不是「{close[0]}」？" if close else ""


def shown(value: object) -> str:
    """A value as it would be written in TOML (near enough), short enough for one line of an error."""
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= 40 else text[:39] + "…"


# ---------------------------------------------------------------- one problem list for many files
@dataclass(frozen=True)
class Entry:
    """Where in a file a problem is: an array-of-tables item (``[[question]]`` number ``key``) or a named
    table (``[param.key]``, or ``[key]`` when ``table`` is empty), and how the message names it."""

    table: str
    key: int | str
    label: str


@dataclass(frozen=True)
class _Found:
    file: str
    entry: Entry | None
    field: str
    message: str
    line: int | None  # known already (a TOML syntax error says where it is)


_TOML_AT = re.compile(r"\(at line (\d+), column \d+\)")
_HEADER = re.compile(r"^\s*\[")


class Problems:
    """Collects the problems of a set of data files; ``raise_if_any`` raises them as one DataFileError.

    Line numbers are looked up only when raising, so a clean load pays nothing for them.
    """

    def __init__(self, noun: str) -> None:
        self.noun = noun  # 「题目文件」, 「段落库文件」: how a message names a file
        self._texts: dict[str, str] = {}
        self._found: list[_Found] = []

    def __bool__(self) -> bool:
        return bool(self._found)

    def __len__(self) -> int:
        return len(self._found)

    def source(self, file: Path, text: str) -> None:
        """Remember a file's text, to find the line of an entry or field later."""
        self._texts[file.name] = text

    def add(self, file: Path, message: str, entry: Entry | None = None, field: str = "") -> None:
        self._found.append(_Found(file.name, entry, field, message, None))

    def read_toml(self, file: Path) -> dict[str, Any] | None:
        """A data file's TOML (its text remembered for line numbers), or None with the reason added."""
        try:
            text = file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            self.unreadable(file, error)
            return None
        self.source(file, text)
        try:
            return tomllib.loads(text)
        except tomllib.TOMLDecodeError as error:
            self.unreadable(file, error)
            return None

    def unreadable(self, file: Path, error: Exception) -> None:
        """A file that cannot be read or parsed; a TOML syntax error gives its line."""
        detail = str(error)
        at = _TOML_AT.search(detail)
        if isinstance(error, UnicodeDecodeError):
            message = "无法读取：不是 UTF-8 编码的文字"
        elif at:
            message = f"无法读取：TOML 语法错误（{_TOML_AT.sub('', detail).strip()}）"
        else:
            message = f"无法读取（{detail}）"
        self._found.append(_Found(file.name, None, "", message, int(at.group(1)) if at else None))

    def invalid(
        self, file: Path, errors: list[ErrorDetails], model: type[BaseModel], entry: Entry | None = None
    ) -> None:
        """Every error of one pydantic validation (``ValidationError.errors()``), one message per field."""
        for field, message in field_errors(errors, model):
            self.add(file, message, entry, field)

    def raise_if_any(self) -> None:
        if not self._found:
            return
        lines = [self._line(found) for found in self._found]
        # Sorted by file, then by place in the file; problems with no place (a missing file) come first.
        order = sorted(range(len(lines)), key=lambda i: (self._found[i].file, lines[i] or 0, i))
        messages = [self._message(self._found[i], lines[i]) for i in order]
        if len(messages) == 1:
            raise DataFileError(messages[0])
        raise DataFileError(f"{self.noun}有 {len(messages)} 处错误：\n" + "\n".join(messages))

    def _message(self, found: _Found, line: int | None) -> str:
        where = f"{self.noun}「{found.file}」" + (f"第 {line} 行" if line else "")
        subject = found.entry.label if found.entry else ""
        if found.field:
            subject = f"{subject}的 {found.field}" if subject else found.field
        return f"{where}，{subject}：{found.message}" if subject else f"{where}：{found.message}"

    def _line(self, found: _Found) -> int | None:
        if found.line is not None or found.file not in self._texts:
            return found.line
        lines = self._texts[found.file].splitlines()
        start, end = 0, len(lines)
        if found.entry is not None:
            start = _entry_line(lines, found.entry)
            if start < 0:
                return None
            end = next((i for i in range(start + 1, len(lines)) if _HEADER.match(lines[i])), len(lines))
        elif found.field:
            end = next((i for i, text in enumerate(lines) if _HEADER.match(text)), len(lines))
        else:
            return None
        top = found.field.split("[")[0]
        if top:
            key = re.compile(rf"^\s*[\"']?{re.escape(top)}[\"']?\s*=")
            hit = next((i for i in range(start, end) if key.match(lines[i])), None)
            if hit is not None:
                return hit + 1
        return start + 1 if found.entry is not None else None


def _entry_line(lines: list[str], entry: Entry) -> int:
    """The index of the header line of an entry, or -1 (e.g. written as an inline table)."""
    if isinstance(entry.key, int):
        header = re.compile(rf"^\s*\[\[\s*{re.escape(entry.table)}\s*\]\]")
        seen = -1
        for i, text in enumerate(lines):
            if header.match(text):
                seen += 1
                if seen == entry.key:
                    return i
        return -1
    name = rf"[\"']?{re.escape(entry.key)}[\"']?"
    path = rf"{re.escape(entry.table)}\s*\.\s*{name}" if entry.table else name
    header = re.compile(rf"^\s*\[\s*{path}\s*\]")
    return next((i for i, text in enumerate(lines) if header.match(text)), -1)


# ---------------------------------------------------------------- pydantic errors in Chinese
_TYPE_MESSAGES = {
    "missing": "缺少这一项（必须填写）",
    "string_type": "应为文字（写在引号中）",
    "int_type": "应为整数",
    "int_parsing": "应为整数",
    "int_from_float": "应为整数",
    "float_type": "应为数字",
    "float_parsing": "应为数字",
    "bool_type": "应为 true 或 false",
    "bool_parsing": "应为 true 或 false",
    "list_type": "应为列表（写在方括号中）",
    "tuple_type": "应为列表（写在方括号中）",
    "dict_type": "应为一个表",
    "model_type": "应为一个表",
    "model_attributes_type": "应为一个表",
    "string_too_short": "不能为空",
}


def field_errors(errors: list[ErrorDetails], model: type[BaseModel]) -> list[tuple[str, str]]:
    """(field, Chinese message) for each field of ``model`` that failed, in the order pydantic found them.

    A field whose union type failed against every member (pydantic reports each member) is one message.
    """
    fields = [name for name, info in model.model_fields.items() if not _hidden(info)]
    grouped: dict[str, list[ErrorDetails]] = {}
    for err in errors:
        loc = err["loc"]
        grouped.setdefault(str(loc[0]) if loc else "", []).append(err)
    out: list[tuple[str, str]] = []
    for field, errs in grouped.items():
        first = errs[0]
        if not field:
            out.append(("", f"应为一个表，而不是 {shown(first['input'])}"))
        elif first["type"] == "extra_forbidden":
            out.append((field, "不是可用的字段" + did_you_mean(field, fields)))
        elif any(isinstance(part, str) for err in errs for part in err["loc"][1:]):
            out.append((field, f"{shown(first['input'])} 的类型不对"))
        else:
            for err in errs:
                path = "".join(f"[{part}]" for part in err["loc"][1:])
                out.append((field + path, _message(err)))
    return out


def revalidate(model: type[M], raw: object, errors: list[ErrorDetails]) -> tuple[M | None, frozenset[str]]:
    """After a failed validation (its errors reported already): the entry without the fields that failed,
    when each of them is unknown or optional, so that the entry's other checks still run; and the names of
    the fields left out, so that a check that needs one of them can be skipped instead of misleading."""
    if not isinstance(raw, dict) or any(not e["loc"] for e in errors):
        return None, frozenset()
    failed = frozenset(str(e["loc"][0]) for e in errors)
    if any(name in model.model_fields and model.model_fields[name].is_required() for name in failed):
        return None, failed
    try:
        return model.model_validate({k: v for k, v in raw.items() if k not in failed}), failed
    except ValidationError:
        return None, failed


def _hidden(info: Any) -> bool:
    """Fields the loader sets itself (SkipJsonSchema): not for people to write, so never suggested."""
    return any(type(m) is SkipJsonSchema for m in info.metadata)


def _message(err: ErrorDetails) -> str:
    kind, ctx, value = err["type"], err.get("ctx") or {}, err.get("input")
    if kind == "literal_error":
        allowed = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
        return f"{shown(value)} 不是可用的值（可用：{'、'.join(allowed)}）" + did_you_mean(value, allowed)
    if kind == "too_short":
        return f"至少要有 {ctx.get('min_length')} 项"
    if kind == "too_long":
        return f"最多只能有 {ctx.get('max_length')} 项"
    if kind in ("greater_than", "greater_than_equal", "less_than", "less_than_equal"):
        sign = {
            "greater_than": "大于",
            "greater_than_equal": "不小于",
            "less_than": "小于",
            "less_than_equal": "不大于",
        }
        limit = next(iter(ctx.values()), "")
        return f"应{sign[kind]} {limit}，而不是 {shown(value)}"
    if kind in _TYPE_MESSAGES:
        message = _TYPE_MESSAGES[kind]
        return message if kind == "missing" else f"{message}，而不是 {shown(value)}"
    return f"{shown(value)} 不符合要求（{err['msg']}）"


# ---------------------------------------------------------------- JSON Schema
class _WithoutFieldTitles(GenerateJsonSchema):
    """pydantic titles every property with its English name ("Choices From"); editors show the key anyway."""

    def field_title_should_be_set(self, schema: Any) -> bool:
        return False


def model_schema(model: type[BaseModel], title: str, description: str) -> dict[str, Any]:
    """The JSON Schema of ``model`` with a Chinese title and description, without English titles."""
    body = model.model_json_schema(schema_generator=_WithoutFieldTitles)
    body.pop("title", None)
    body.pop("description", None)
    for definition in body.get("$defs", {}).values():
        definition.pop("title", None)
    return {"$schema": JSON_SCHEMA_DIALECT, "title": title, "description": description, **body}


def definition(schema: dict[str, Any], name: str | None) -> dict[str, Any]:
    """A model's schema inside ``schema``: a $defs entry, or the root when ``name`` is None."""
    return schema if name is None else schema["$defs"][name]


def restrict(node: dict[str, Any], values: Iterable[str]) -> None:
    """Allow only ``values`` in a string property or in the items of a list property (the known names)."""
    target = node["items"] if node.get("type") == "array" else node
    target["enum"] = list(values)
