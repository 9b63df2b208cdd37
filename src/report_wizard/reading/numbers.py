"""Numbers as printed in a published table: pick them out of a piece of text, and split a run of digits that
lost its separators (「21710000218」 = 217 1 0 0 0 0 218) into the cells of a row.

Only readings the source allows are produced: a split is kept when every printed total equals its parts;
nothing here chooses between two readings that both fit (the caller records them as ambiguous).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

Number = int | float
# A cell as read: a number, "" (printed blank) or "/" (printed 「/」).
Value = int | float | str

# A number; a digit run followed by 「.」「、」 and a non-digit is a list mark such as 「2.重复申请」, not a number
# (the regex backs off one digit in 「00000002.其他」, which leaves the row's 0000000 and the next label's 2.).
_NUMBER = r"\d+(?:\.\d+)?(?:(?=\d{1,2}[.．、][^\d])|(?![\d.．、])|(?=[.．、]\d))"
_TOKEN = rf"(?:{_NUMBER}|/)"
_RUN = re.compile(rf"{_TOKEN}(?:[ \t\u3000]+{_TOKEN})*")
_WHOLE_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_BLANK_CELLS = {"", "/", "／"}
MAX_PART_DIGITS = 9  # no count in any published table reaches 10^9; longer parts only slow the search


def parse_token(token: str) -> Value:
    if token in ("/", "／"):
        return "/"
    if token == "":
        return ""
    return float(token) if "." in token else int(token)


def pipe_cells(line: str, after_label: bool = False) -> list[str] | None:
    """The numeric cells of a Markdown/pipe row ("" for an empty cell), or None when the line is not one.

    ``after_label``: the line is the rest of a row whose label was just read, so empty cells alone are its
    blank cells."""
    if line.count("|") < 2:
        return None
    pieces = line.split("|")
    # The piece before the first pipe is the rest of a label (or nothing), the one after the last pipe nothing.
    inner = pieces[1:-1] if not pieces[-1].strip() else pieces[1:]
    cells: list[str] = []
    texts = 0
    for piece in inner:
        text = piece.strip().replace("\u3000", "")
        if text in _BLANK_CELLS:
            cells.append("/" if text in ("/", "／") else "")
        elif _WHOLE_NUMBER.fullmatch(text):
            cells.append(text)
        else:  # text: a label, 「数据1」, a separator 「---」, a placeholder 「-」
            texts += 1
    if any(c != "" for c in cells):
        return cells
    # Only empty cells: a row of a blank form (a label and then blanks), or table 四's row of 15 blanks.
    blanks = len(cells)
    return cells if blanks and (texts or after_label or blanks >= 5) else None


def first_group(text: str) -> tuple[list[str], int, int] | None:
    """The first row of numbers in ``text``: (tokens, start, end), line by line; None when there is none."""
    offset = 0
    for number, line in enumerate(text.split("\n")):
        cells = pipe_cells(line, after_label=number == 0)
        if cells is not None:
            return cells, offset, offset + len(line)
        if line.count("|") >= 2:  # a pipe row of text only (a header such as 「| 类别 | 数据1 |」)
            offset += len(line) + 1
            continue
        match = _RUN.search(line)
        if match:
            return match.group().split(), offset + match.start(), offset + match.end()
        offset += len(line) + 1
    return None


def groups(text: str) -> list[list[str]]:
    """Every line's first row of numbers, in order (the shape of a table extracted line by line)."""
    out = []
    for line in text.split("\n"):
        cells = pipe_cells(line)
        if cells is not None:
            if cells:
                out.append(cells)
            continue
        if line.count("|") >= 2:
            continue
        match = _RUN.search(line)
        if match:
            out.append(match.group().split())
    return out


@dataclass(frozen=True)
class Shape:
    """How a row is built: groups of cells, each (count, whether its last cell is the sum of the others)."""

    parts: tuple[tuple[int, bool], ...]

    @property
    def size(self) -> int:
        return sum(n for n, _ in self.parts)


def _fits(values: Sequence[Value], shape: Shape) -> bool:
    at = 0
    for n, summed in shape.parts:
        chunk = values[at : at + n]
        at += n
        if summed and all(isinstance(v, (int, float)) for v in chunk):
            nums = [v for v in chunk if not isinstance(v, str)]
            if abs(sum(nums[:-1]) - nums[-1]) > 1e-9:
                return False
    return True


def _valid_part(digits: str) -> bool:
    return len(digits) <= MAX_PART_DIGITS and (digits == "0" or not digits.startswith("0"))


def _split(s: str, pos: int, cuts: frozenset[int], shape: Shape, group: int) -> Iterator[list[int]]:
    """Every way to cut s[pos:] into the shape's groups from ``group`` on (parts never cross a cut)."""
    if group == len(shape.parts):
        if pos == len(s):
            yield []
        return
    n, summed = shape.parts[group]
    for head in _split_group(s, pos, cuts, n, summed):
        values, end = head
        for tail in _split(s, end, cuts, shape, group + 1):
            yield values + tail


def _next_cut(cuts: frozenset[int], pos: int, end: int) -> int:
    inner = [c for c in cuts if pos < c < end]
    return min(inner) if inner else end


def _split_group(s: str, pos: int, cuts: frozenset[int], n: int, summed: bool) -> Iterator[tuple[list[int], int]]:
    def parts(at: int, left: int) -> Iterator[tuple[list[int], int]]:
        if left == 0:
            yield [], at
            return
        limit = _next_cut(cuts, at, len(s))
        for end in range(at + 1, min(limit, at + MAX_PART_DIGITS) + 1):
            digits = s[at:end]
            if not _valid_part(digits):
                if digits.startswith("0"):
                    break  # 「05」 is no number; longer parts starting with 0 neither
                continue
            for rest, stop in parts(end, left - 1):
                yield [int(digits), *rest], stop

    if not summed:
        yield from parts(pos, n)
        return
    for head, at in parts(pos, n - 1):
        total = str(sum(head))
        end = at + len(total)
        if s.startswith(total, at) and not any(at < c < end for c in cuts):
            yield [*head, int(total)], end


MAX_READINGS = 5000  # beyond this a row is hopelessly ambiguous; its cells are recorded so


def readings(tokens: Sequence[str], shape: Shape) -> tuple[list[tuple[Value, ...]], str]:
    """The readings of a row's printed tokens, and how they were found.

    - as printed: as many tokens as cells — taken as they are, totals included (checks catch a wrong total);
    - split: fewer tokens — each is cut into cells, so that every printed total equals its parts;
    - joined: no split fits with the spaces kept — the spaces are ignored (a stray space inside a number).
    An empty list: nothing fits.
    """
    n = shape.size
    if len(tokens) > n and not any(tokens[n:]):
        tokens = tokens[:n]  # empty cells after the last column of a ragged row
    if len(tokens) == n:
        return [tuple(parse_token(t) for t in tokens)], "printed"
    if len(tokens) > n or any(not t.isdigit() for t in tokens):
        if len(tokens) > n and all(t.isdigit() for t in tokens):
            return _joined(tokens, shape), "joined"
        return [], "unreadable"
    s = "".join(tokens)
    cuts: set[int] = set()
    at = 0
    for token in tokens[:-1]:
        at += len(token)
        cuts.add(at)
    found = _collect(s, frozenset(cuts), shape)
    if found:
        return found, "split"
    return _joined(tokens, shape), "joined"


def _joined(tokens: Sequence[str], shape: Shape) -> list[tuple[Value, ...]]:
    return _collect("".join(tokens), frozenset(), shape)


def _collect(s: str, cuts: frozenset[int], shape: Shape) -> list[tuple[Value, ...]]:
    out: list[tuple[Value, ...]] = []
    for values in _split(s, 0, cuts, shape, 0):
        if _fits(values, shape):
            out.append(tuple(values))
            if len(out) >= MAX_READINGS:
                break
    return out
