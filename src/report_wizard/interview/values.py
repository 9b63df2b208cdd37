"""Answer values by question kind: parse typed text, show a value as text, read a default from cells."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from report_wizard.core import form
from report_wizard.core.form import CellId
from report_wizard.core.model import Number
from report_wizard.interview.parse import (
    DROPPED,
    normalize,
    parse_choice,
    parse_count,
    parse_money,
    parse_multichoice,
    parse_order,
    parse_yesno,
)

if TYPE_CHECKING:
    from report_wizard.interview.questions import Question


def fmt(value: Number | None) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        return f"{round(value, 4):.4f}".rstrip("0").rstrip(".")
    return str(value)


def column_label(cell: CellId) -> str:
    """The short name of the column a cell is in (for counts_row prompts and errors)."""
    table, rest = cell.split(".", 1)
    column = rest.rsplit(".", 1)[1]
    if table == "t4":
        return form.T4_COLUMN_LABEL[column]
    if table == "t3":
        return form.T3_COLUMN_NAME[column]
    return form.cell_name(cell)


def parse_answer(q: Question, choices: list[tuple[str, str]], cells: tuple[CellId, ...], text: str) -> Any:
    """The value of a non-empty answer; raises ParseError with a Chinese explanation."""
    if q.kind == "yesno":
        if normalize(text) in ("1", "2"):  # the numbers the choices are shown with: 1 是, 2 否
            return normalize(text) == "1"
        return parse_yesno(text)
    if q.kind == "count":
        return parse_count(text)
    if q.kind == "money":
        return parse_money(text, q.unit)
    if q.kind == "choice":
        return parse_choice(text, choices)
    if q.kind == "multichoice":
        # Paragraphs are printed in the order picked; table categories in the official order.
        keep = q.choices_from.startswith("library_")
        return parse_multichoice(text, choices, allow_empty=q.default is not None, keep_order=keep)
    if q.kind == "order":
        return parse_order(text, choices)
    if q.kind == "counts_row":
        from report_wizard.interview import rows  # lazily: rows shows numbers with fmt from here

        if cells and all(c.startswith("t3.") for c in cells):
            return rows.t3_row(text)
        # A last extra number is the printed 总计; columns may be named (「结果维持 1 尚未审结 1」).
        return rows.parse_row(text, [column_label(c) for c in cells], total=any(c.startswith("t4.") for c in cells))
    return text.strip()


def display(
    q: Question,
    b: dict[str, str],
    value: Any,
    ctx: dict[str, Any] | None = None,
    choices: Sequence[tuple[str, str]] | None = None,
) -> str:
    """A value as the clerk would read it: 是/否, 3, 自然人、商业企业, 1 0 0 1 (``choices``: as offered)."""
    from report_wizard.interview.questions import question_choices

    if value is None:
        return ""
    if q.kind == "yesno":
        return "是" if value else "否"
    if q.kind == "count":
        return fmt(value)
    if q.kind == "money":
        return f"{fmt(value)}{q.unit}"  # no space: a unit never wraps away from its number
    if q.kind in ("choice", "multichoice", "order"):
        labels = dict(question_choices(q, b) if choices is None else choices)
        if q.kind == "order":
            return _order_text(value, labels)
        keys: list[str] = value if isinstance(value, list) else [value]
        return "、".join(labels.get(k, k) for k in keys) or "无"
    if q.kind == "counts_row":
        return " ".join(fmt(v) for v in value)
    return str(value) or q.empty_label.format_map(ctx or {})


def _order_text(value: list[str], labels: dict[str, str]) -> str:
    kept = [v for v in value if not v.startswith(DROPPED)]
    dropped = [v.removeprefix(DROPPED) for v in value if v.startswith(DROPPED)]
    if not dropped and kept == list(labels):
        return "保持不变"
    text = "依次为：" + "、".join(labels.get(k, k) for k in kept)
    return text + (f"；删去：{'、'.join(labels.get(k, k) for k in dropped)}" if dropped else "")


def is_valid(q: Question, choices: list[tuple[str, str]], cells: tuple[CellId, ...], value: Any) -> bool:
    """Whether a stored answer (perhaps edited by hand) is a value this question could have produced."""

    def count(v: Any) -> bool:
        return isinstance(v, int) and not isinstance(v, bool) and v >= 0

    keys = {k for k, _ in choices}
    if q.kind == "yesno":
        return isinstance(value, bool)
    if q.kind == "count":
        return count(value) and (q.minimum is None or value >= q.minimum) and (q.maximum is None or value <= q.maximum)
    if q.kind == "money":
        return count(value) or (isinstance(value, float) and value >= 0)
    if q.kind == "choice":
        return value in keys
    if q.kind == "multichoice":
        return isinstance(value, list) and all(v in keys for v in value) and (bool(value) or q.default is not None)
    if q.kind == "order":  # every choice exactly once, kept or dropped, and something kept
        named = [v.removeprefix(DROPPED) for v in value] if isinstance(value, list) else []
        kept = [v for v in value if not v.startswith(DROPPED)] if named else []
        return len(named) == len(keys) and set(named) == keys and bool(kept)
    if q.kind == "counts_row":
        return isinstance(value, list) and len(value) == len(cells) and all(count(v) for v in value)
    return isinstance(value, str) and (bool(value.strip()) or q.default is not None)


def from_cells(
    kind: str,
    cells: tuple[CellId, ...],
    by_choice: dict[str, tuple[CellId, ...]],
    value_of: Callable[[CellId], Number],
) -> Any:
    """What the session's cells already say, as an answer (None when they say nothing but zeros)."""
    if not any(value_of(c) for c in cells):
        return None
    if kind == "yesno":
        return True
    if kind in ("count", "money") and len(cells) == 1:
        return value_of(cells[0])
    if kind == "multichoice" and by_choice:
        return [k for k, cs in by_choice.items() if any(value_of(c) for c in cs)]
    if kind == "counts_row":
        return [value_of(c) for c in cells]
    return None
