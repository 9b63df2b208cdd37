"""A screen-friendly preview of the plain-text report: tab-separated table rows become aligned rows.

The exported .txt keeps its tabs (they become table columns when pasted into Word/WPS); on screen a row
shows its labels joined and wrapped to a fixed width, then its numbers right-aligned in columns.
"""

from __future__ import annotations

import re

from rich.cells import cell_len

_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
NUMBER_WIDTH = 5


def _wrap(text: str, width: int) -> list[str]:
    """Split ``text`` into pieces of at most ``width`` terminal cells (CJK characters count two)."""
    pieces, piece = [], ""
    for ch in text:
        if cell_len(piece + ch) > width:
            pieces.append(piece)
            piece = ""
        piece += ch
    return [*pieces, piece]


def preview_text(txt: str, label_width: int = 34) -> str:
    """The report as shown in the review screen (never exported)."""
    out: list[str] = []
    for line in txt.split("\n"):
        if "\t" not in line:
            out.append(line)
            continue
        cells = [c.strip() for c in line.split("\t")]
        numbers = [c for c in cells if _NUMBER.fullmatch(c)]
        labels = [c for c in cells if c and not _NUMBER.fullmatch(c)]
        if not numbers:  # a header row: its labels in order
            out.append(" · ".join(labels))
            continue
        width = NUMBER_WIDTH if len(numbers) <= 8 else NUMBER_WIDTH - 1  # table 四: 15 numbers in a row
        figures = "".join(n.rjust(width) for n in numbers)
        if not labels:
            out.append(figures)
            continue
        pieces = _wrap(" ".join(labels), label_width)
        out.append(pieces[0] + " " * (label_width - cell_len(pieces[0])) + figures)
        out.extend(pieces[1:])
    return "\n".join(out)
