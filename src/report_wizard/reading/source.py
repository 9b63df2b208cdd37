"""A published report's file as text: which reader reads it, and the errors a clerk may meet.

Each format has its own module (plain, pdf, html, word); they all give the text as lines, tables as pipe rows
「| a | b |」 where the format has real tables, so that tables.py reads every format the same way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from report_wizard.core.errors import WizardError

MAX_SOURCE_BYTES = 50 * 1024 * 1024  # a report is a few hundred kB; a pdf of scans may be tens of MB
NO_TEXT_LAYER = "这份文件没有可读的文字层（可能是扫描件或图片）"
FORMATS = {".txt": "txt", ".md": "md", ".markdown": "md", ".html": "html", ".htm": "html", ".docx": "docx"}
FORMATS |= {".pdf": "pdf"}


class ReadingError(WizardError):
    """A published report that cannot be read; nothing has been written."""


@dataclass(frozen=True)
class SourceText:
    text: str
    kind: str  # txt, md, html, docx, pdf
    pages: int = 0  # pdf only
    wrapped: bool = False  # lines are cut at the page width (pdf): paragraphs must be joined again


# Page footers a converter leaves inside the text: 「- 3 -」, 「— 4 —」, 「第 2 页」.
_FOOTER = re.compile(
    r"(?m)^[ \t]*(?:[-—–]+[ \t]*\d+[ \t]*[-—–]+|第[ \t]*\d+[ \t]*页(?:[ \t]*共[ \t]*\d+[ \t]*页)?)[ \t]*$\n?"
)


def without_footers(text: str) -> str:
    return _FOOTER.sub("", text)


def decode(path: Path, raw: bytes) -> str:
    """Text files are UTF-8 (with or without a BOM) or, from older Windows machines, GB18030 (GBK)."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ReadingError(f"「{path.name}」的文字编码无法识别（应为 UTF-8 或 GBK）。")


def read_bytes(path: Path) -> bytes:
    try:
        if not path.is_file():
            raise ReadingError(f"找不到文件「{path}」。" if not path.exists() else f"「{path}」不是普通文件。")
        if path.stat().st_size > MAX_SOURCE_BYTES:
            raise ReadingError(f"「{path.name}」太大，不像是一份年度报告。")
        return path.read_bytes()
    except PermissionError:
        raise ReadingError(f"没有权限读取「{path}」。") from None
    except OSError as exc:
        raise ReadingError(f"无法读取「{path}」（{exc.strerror or type(exc).__name__}）。") from None


def read_source(path: Path) -> SourceText:
    """The text of a published report; raises ReadingError (Chinese) for what cannot be read."""
    path = Path(path)
    kind = FORMATS.get(path.suffix.lower())
    if kind is None:
        names = "、".join(sorted({k for k in FORMATS.values()}))
        raise ReadingError(f"「{path.name}」不是能读取的格式（可读取：{names}）。")
    raw = read_bytes(path)
    if kind in ("txt", "md"):
        source = SourceText(decode(path, raw), kind)
    elif kind == "html":
        from report_wizard.reading.html import html_text

        source = SourceText(html_text(decode(path, raw)), kind)
    elif kind == "docx":
        from report_wizard.reading.word import docx_text

        source = SourceText(docx_text(path, raw), kind)
    else:
        from report_wizard.reading.pdf import pdf_text

        text, pages = pdf_text(path, raw)
        source = SourceText(text, kind, pages, wrapped=True)
    text = without_footers(source.text.replace("\r\n", "\n").replace("\r", "\n"))
    if not re.search(r"[\u4e00-\u9fff]", text):
        raise ReadingError(NO_TEXT_LAYER if kind == "pdf" else f"「{path.name}」里没有中文文字，不像是一份年度报告。")
    return SourceText(text, source.kind, source.pages, source.wrapped)
