"""PDF with a text layer, read with pdfplumber.

Why pdfplumber and not pypdf: on the corpus pdfs (WPS exports) pdfplumber keeps each table row's numbers
on one line in row order (「一、本年新收… 21 0 0 0 0 0 21」), and the words of a line in reading order;
pypdf put the page footer first and broke rows apart, which the table reader cannot undo. pypdf is
faster (0.22 s against 0.38 s for the 5-page 01), but a wrong table is worse than a slower import.
"""

from __future__ import annotations

import io
from pathlib import Path

from report_wizard.reading.source import NO_TEXT_LAYER, ReadingError


def pdf_text(path: Path, raw: bytes) -> tuple[str, int]:
    import pdfplumber
    from pdfminer.pdfparser import PDFSyntaxError

    try:
        with pdfplumber.open(io.BytesIO(raw)) as pdf:
            pages = [page.extract_text() or "" for page in pdf.pages]
    except PDFSyntaxError:
        raise ReadingError(f"「{path.name}」不是有效的 PDF 文件（可能已损坏）。") from None
    except Exception as exc:  # pdfminer raises many kinds for damaged or encrypted files
        raise ReadingError(f"「{path.name}」无法作为 PDF 读取（{type(exc).__name__}）。") from None
    if not any(p.strip() for p in pages):
        raise ReadingError(NO_TEXT_LAYER)
    return "\n".join(pages), len(pages)
