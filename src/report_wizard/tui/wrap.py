"""Line breaking for Chinese text on a terminal, by the rules a typesetter would follow (禁则):

- no line starts with closing punctuation (。，、；：？！）」』》】…”’ and the like) — it stays with the
  character before it;
- no line ends with opening punctuation (（「『《【“‘) — it goes with the character after it;
- a number is never split from its unit or from itself (「1,234 件」「3940元」「2024年」「F5」), nor an ASCII word;
- a line may break between any two Chinese characters, and at spaces (which are then dropped).

Textual breaks only at spaces, so 「上年结转 2 件」 could end a line with 「2」 and the next begin with 「件」,
and a full stop could start a line. Widgets here wrap their text with ``wrap`` instead.
"""

from __future__ import annotations

import re

from rich.cells import cell_len

CLOSING = set("。，、；：？！）」』》】〕〉…—”’％%,.;:?!)]}·～~")
OPENING = set("（「『《【〔〈“‘([{")
# Counted things: a number keeps the unit after it on the same line.
UNITS = ("件", "个", "项", "次", "条", "段", "年", "月", "日", "号", "万元", "元", "万", "岁", "人", "户", "%", "％")
# Unbreakable pieces: ASCII words and numbers (with grouping and decimals), each with a unit that follows it
# (an optional space between), a key name such as F5 or Ctrl+Q; otherwise one character.
_ATOM = re.compile(
    r"(?:[A-Za-z]+\+)*[A-Za-z0-9][A-Za-z0-9_.,:/+\-]*(?: ?(?:" + "|".join(map(re.escape, UNITS)) + r"))?|\s+|."
)


def _atoms(text: str) -> list[str]:
    return _ATOM.findall(text)


def _glue(atoms: list[str]) -> list[str]:
    """Join atoms that may not be separated: closing punctuation to what precedes it, opening punctuation to
    what follows it."""
    pieces: list[str] = []
    pending_open = ""
    for atom in atoms:
        if atom.isspace():
            if pending_open:  # 「（ 」: keep the space inside, harmless
                pending_open += atom
                continue
            pieces.append(atom)
            continue
        if atom in OPENING or (pending_open and all(ch in OPENING for ch in atom)):
            pending_open += atom
            continue
        atom = pending_open + atom
        pending_open = ""
        if pieces and not pieces[-1].isspace() and all(ch in CLOSING for ch in atom):
            pieces[-1] += atom
        elif pieces and not pieces[-1].isspace() and atom[0] in CLOSING:
            pieces[-1] += atom
        else:
            pieces.append(atom)
    if pending_open:
        pieces.append(pending_open)
    return pieces


def wrap_line(line: str, width: int) -> list[str]:
    """One paragraph (no newline) in lines of at most ``width`` cells (a piece wider than the width is cut)."""
    if width < 2:
        width = 2
    lines: list[str] = []
    current = ""
    for piece in _glue(_atoms(line)):
        if piece.isspace():
            if current and cell_len(current) + cell_len(piece) <= width:
                current += piece
            elif current:
                lines.append(current.rstrip())
                current = ""
            continue
        if cell_len(current) + cell_len(piece) <= width:
            current += piece
            continue
        if current.strip():
            lines.append(current.rstrip())
        current = ""
        while cell_len(piece) > width:  # longer than a line (a long URL): cut it, nothing else to do
            cut = ""
            for ch in piece:
                if cell_len(cut + ch) > width:
                    break
                cut += ch
            lines.append(cut)
            piece = piece[len(cut) :]
        current = piece
    if current.strip() or not lines:
        lines.append(current.rstrip())
    return lines


def wrap(text: str, width: int) -> list[str]:
    """``text`` (newlines kept as line ends) in lines of at most ``width`` terminal cells."""
    out: list[str] = []
    for line in text.split("\n"):
        out.extend(wrap_line(line, width))
    return out


def bad_breaks(lines: list[str]) -> list[str]:
    """The lines that break a rule above (for tests that scan a captured screen)."""
    found = []
    for n, line in enumerate(lines):
        stripped = line.strip()
        if stripped and stripped[0] in CLOSING - set("-.—…~～·"):
            found.append(line)
        elif n and re.match(r"^\s*(?:" + "|".join(map(re.escape, UNITS[:-2])) + r")(?![\u4e00-\u9fff])", line):
            previous = lines[n - 1].rstrip()
            if previous and previous[-1].isdigit():
                found.append(line)
    return found
