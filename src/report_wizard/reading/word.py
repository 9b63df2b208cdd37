"""A report as a Word .docx file (python-docx): paragraphs and tables in document order.

Merged cells come back from python-docx once per grid column they cover; each is written once, so a row's
numbers stay in order. Cells holding only spaces or U+3000 (as the blank official template has) are blank.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from report_wizard.reading.source import ReadingError


def docx_text(path: Path, raw: bytes) -> str:
    import docx
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(raw))
    except Exception as exc:  # a zip that is not a docx, a damaged file
        raise ReadingError(f"「{path.name}」无法作为 Word（.docx）文件读取（{type(exc).__name__}）。") from None
    lines: list[str] = []
    for block in document.element.body.iterchildren():
        tag = block.tag.rsplit("}", 1)[-1]
        if tag == "p":
            lines.append(Paragraph(block, document).text)
        elif tag == "tbl":
            lines.extend(_table_rows(Table(block, document)))
    return "\n".join(lines)


def _table_rows(table: Any) -> list[str]:
    rows = []
    for row in table.rows:
        seen: set[int] = set()
        cells = []
        for cell in row.cells:
            if id(cell._tc) in seen:
                continue  # a horizontally merged cell, once
            seen.add(id(cell._tc))
            text = cell.text.replace("\u3000", " ").replace("\n", "").replace("|", "｜").strip()
            cells.append(text)
        rows.append("| " + " | ".join(cells) + " |")
    return rows
