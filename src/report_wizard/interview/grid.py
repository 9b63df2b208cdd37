"""The grid editor's domain (issue 12): tables 二, 三 and 四 as grids of cells, a pasted block read into cells,
and cells turned into the answers of the questions that fill them (so undo, replay and checks treat a grid
edit as any answer). The TUI only displays what is here.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from report_wizard.core import form
from report_wizard.core.form import CellId
from report_wizard.core.model import MAX_AMOUNT, MAX_COUNT, Number, Provenance, Session
from report_wizard.interview.parse import ParseError, parse_count, parse_money
from report_wizard.interview.rows import NEW_GATE, ROW_MODE_QID, ROWS, group_qid, row_qid
from report_wizard.interview.values import fmt


@dataclass(frozen=True)
class GridRow:
    label: str
    cells: tuple[CellId | None, ...]  # one per column; None: no cell there (table 二's one-column blocks)
    total: str | None = None  # the row's computed 总计, when the table has one
    computed: bool = False  # every cell is computed ((七)总计)


@dataclass(frozen=True)
class Grid:
    table: str  # t2 / t3 / t4
    title: str
    columns: tuple[str, ...]  # column headers (input columns, then 总计 when there is one)
    rows: tuple[GridRow, ...]

    @property
    def has_total(self) -> bool:
        return any(r.total for r in self.rows)

    def input_cells(self) -> list[str]:
        return [c for r in self.rows if not r.computed for c in r.cells if c is not None]


def _t3() -> Grid:
    rows = []
    for r in form.T3_ROWS:
        label = r.label
        if r.group is not None and r.group.items:
            label = f"{r.group.label[:3]}{r.label}"  # 「（三）1.属于国家秘密」: the group stays visible
        cells = tuple(form.t3_cell(r.id, c) for c in form.T3_PART_COLUMNS)
        rows.append(GridRow(label, cells, form.t3_cell(r.id, "total"), computed=r.id == form.T3_RESULTS_TOTAL))
    columns = (*tuple(form.T3_COLUMN_LABEL[c] for c in form.T3_PART_COLUMNS), form.T3_COLUMN_LABEL["total"])
    return Grid("t3", "表三 收到和处理政府信息公开申请情况", columns, tuple(rows))


def _t4() -> Grid:
    rows = tuple(
        GridRow(
            form.T4_GROUP_NAME[g],
            tuple(form.t4_cell(g, c) for c in form.T4_PART_COLUMNS),
            form.t4_cell(g, "total"),
        )
        for g, _ in form.T4_GROUPS
    )
    columns = (*tuple(form.T4_COLUMN_LABEL[c] for c in form.T4_PART_COLUMNS), form.T4_COLUMN_LABEL["total"])
    return Grid("t4", "表四 政府信息公开行政复议、行政诉讼情况", columns, rows)


def _t2() -> Grid:
    first = form.T2_BLOCKS[0]
    width = len(first.columns)
    rows = []
    for block in form.T2_BLOCKS:
        for row in block.rows:
            cells = [form.t2_cell(row.id, c) for c, _ in block.columns]
            rows.append(GridRow(row.label, tuple(cells) + (None,) * (width - len(cells))))
    columns = tuple(label for _, label in first.columns)
    return Grid("t2", "表二 主动公开政府信息情况", columns, tuple(rows))


# What the first column means in table 二's one-column rows (their own headers are not the grid's).
T2_NOTE = "行政许可、行政处罚、行政强制填本年处理决定数量；行政事业性收费填本年收费金额（万元，可有小数）。"


GRIDS: dict[str, Grid] = {"t2": _t2(), "t3": _t3(), "t4": _t4()}
TABLE_OF_SECTION = {"proactive": "t2", "requests": "t3", "review_litigation": "t4"}


# ---------------------------------------------------------------- one typed value
def parse_cell(cell: str, text: str) -> Number:
    """A value typed into one cell (「3」「３」「1.5」 for the fee amount); ParseError when it is not one."""
    if cell in form.T2_MONEY_CELLS:
        return parse_money(text)
    return parse_count(text)


# ---------------------------------------------------------------- a pasted block
_NUMERIC = re.compile(r"^[\d,.\s]*$")


def _cells_of(line: str) -> list[str]:
    line = unicodedata.normalize("NFKC", line).rstrip("\r\n")
    if "\t" in line:
        return [c.strip() for c in line.split("\t")]
    return [c for c in re.split(r"[\s,、;]+", line.strip()) if c]


def _is_number(text: str) -> bool:
    return bool(text) and bool(_NUMERIC.match(text)) and any(ch.isdigit() for ch in text)


def parse_block(grid: Grid, text: str) -> dict[CellId, Number]:
    """A block copied from Word/WPS/Excel (tab-separated) into the grid's cells; ParseError says why it does not
    fit (nothing is taken then). Label cells at the start of a row and rows without numbers (headings) are left
    out; an empty cell is 0; a last extra column is the printed 总计 and must match; so must a (七)总计 row."""
    data: list[tuple[int, list[str]]] = []
    for n, text_line in enumerate(text.splitlines(), 1):
        cells = _cells_of(text_line)
        if any(_is_number(c) for c in cells):
            data.append((n, cells))
    rows = grid.rows
    if len(data) != len(rows):
        raise ParseError(
            f"粘贴的内容有 {len(data)} 行数字，{grid.title.split()[0]}需要 {len(rows)} 行（按正式表格的顺序）。"
            "表格没有改动。"
        )
    width = len(grid.columns) - (1 if grid.has_total else 0)
    out: dict[CellId, Number] = {}
    for (line, cells), row in zip(data, rows, strict=True):
        own = [c for c in row.cells if c is not None]
        allowed = {len(own), len(own) + 1} if row.total else {len(own)}
        while cells and not _is_number(cells[0]) and (cells[0] != "" or len(cells) > min(allowed)):
            cells = cells[1:]  # the row's labels (「（三）不予公开」「1.属于国家秘密」), merged or not
        while len(cells) > max(allowed) and cells[-1] == "":
            cells = cells[:-1]  # Excel's empty cells at the end of a row
        if len(cells) not in allowed:
            need = "或".join(str(k) for k in sorted(allowed))
            raise ParseError(
                f"第 {line} 行（{row.label}）有 {len(cells)} 个数，应为 {need} 个（共 {width} 栏"
                f"{'，可加总计' if row.total else ''}）。表格没有改动。"
            )
        values: list[Number] = []
        for cell_id, raw in zip([*own, row.total or ""], cells, strict=False):
            try:
                values.append(0 if raw == "" else parse_cell(cell_id or own[0], raw))
            except ParseError as error:
                raise ParseError(f"第 {line} 行（{row.label}）：{error} 表格没有改动。") from None
        if len(values) > len(own):
            printed, values = values[-1], values[:-1]
            if printed != sum(values):
                raise ParseError(
                    f"第 {line} 行（{row.label}）的总计是 {fmt(printed)}，各栏相加是 {fmt(sum(values))}，"
                    f"相差 {fmt(abs(printed - sum(values)))}。表格没有改动。"
                )
        out.update(zip(own, values, strict=True))
    if grid.table == "t3":
        _check_results_total(out, data)
    return {c: v for c, v in out.items() if c not in form.TOTAL_CELLS}


def _check_results_total(out: dict[CellId, Number], data: list[tuple[int, list[str]]]) -> None:
    """A pasted （七）总计 row must be the sum of the outcome rows, column by column."""
    line = data[[r.id for r in form.T3_ROWS].index(form.T3_RESULTS_TOTAL)][0]
    for column in form.T3_PART_COLUMNS:
        printed = out[form.t3_cell(form.T3_RESULTS_TOTAL, column)]
        summed = sum(out[form.t3_cell(r, column)] for r in form.T3_OUTCOME_ROWS)
        if printed != summed:
            raise ParseError(
                f"第 {line} 行（{form.T3_RESULTS_TOTAL_LABEL}）{form.T3_COLUMN_NAME[column]}一栏是 {fmt(printed)}，"
                f"各办理结果相加是 {fmt(summed)}，相差 {fmt(abs(printed - summed))}。表格没有改动。"
            )


# ---------------------------------------------------------------- cells → answers
def describe(values: Mapping[CellId, Number], before: Mapping[CellId, Number]) -> str:
    """The change as the confirmation says it: one cell by name, or how many numbers."""
    changed = {c: v for c, v in values.items() if before.get(c, 0) != v}
    if len(changed) == 1:
        cell, value = next(iter(changed.items()))
        return f"{form.cell_name(cell)} {fmt(before.get(cell, 0))} → {fmt(value)}"
    return f"表格中 {len(changed)} 个数字有变化（共填入 {len(values)} 格）"


def answers_for(session: Session, values: Mapping[CellId, Number]) -> dict[str, Any]:
    """The answers that make the cells say ``values`` (the others keep theirs); ParseError when a cell cannot
    be set (a total, or 规章 for an agency that makes none)."""
    for cell, value in values.items():
        if cell not in form.ALL_CELL_SET:
            raise ParseError(f"没有「{cell}」这一格。")
        if cell in form.TOTAL_CELLS:
            raise ParseError(f"{form.cell_name(cell)} 是合计，由程序计算，不能填写。")
        limit = MAX_AMOUNT if cell in form.T2_MONEY_CELLS else MAX_COUNT
        if isinstance(value, bool) or value < 0 or value > limit:
            raise ParseError(f"{form.cell_name(cell)} 应在 0 到 {limit} 之间。")
    merged = {**session.cells, **values}
    answers: dict[str, Any] = {}
    touched = {c.split(".", 1)[0] for c in values}
    if "t2" in touched:
        answers |= _t2_answers(session, merged, values)
    if "t3" in touched:
        answers |= _t3_answers(session, merged, values)
    if "t4" in touched:
        answers |= _t4_answers(merged)
    return answers


def _t2_answers(session: Session, merged: Mapping[CellId, Number], values: Mapping[CellId, Number]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for block in form.T2_BLOCKS:
        for row in block.rows:
            cells = [form.t2_cell(row.id, c) for c, _ in block.columns]
            if not any(c in values for c in cells):
                continue
            if block.id == "item1":
                if row.id == "regulations" and session.meta.agency_kind not in form.KINDS_THAT_MAKE_REGULATIONS:
                    if any(values.get(c, 0) for c in cells):
                        raise ParseError(
                            f"{session.meta.agency_kind_label}不制定规章，表二规章一行都应为 0（见 T2-SCOPE）。"
                        )
                    continue
                out[f"proactive.{row.id}.gate"] = any(merged.get(c, 0) for c in cells)
                out.update(
                    {f"proactive.{row.id}.{c}": merged.get(form.t2_cell(row.id, c), 0) for c, _ in block.columns}
                )
            else:
                qid = {"permits": "proactive.permits", "penalties": "proactive.penalties"}.get(row.id)
                qid = qid or {"enforcement": "proactive.enforcement", "fees": "proactive.fees"}[row.id]
                out[qid] = merged.get(cells[0], 0)
    return out


def _t4_answers(merged: Mapping[CellId, Number]) -> dict[str, Any]:
    rows = {g: [merged.get(form.t4_cell(g, c), 0) for c in form.T4_PART_COLUMNS] for g, _ in form.T4_GROUPS}
    chosen = [g for g, row in rows.items() if any(row)]
    if not chosen:
        return {"review_litigation.gate": False}
    out: dict[str, Any] = {"review_litigation.gate": True, "review_litigation.groups": chosen}
    out.update({f"review_litigation.{g}": rows[g] for g in chosen})
    return out


_T3_STEP_ROWS = [r.id for r in form.T3_ROWS if r.id != form.T3_RESULTS_TOTAL]


def _t3_answers(session: Session, merged: Mapping[CellId, Number], values: Mapping[CellId, Number]) -> dict[str, Any]:
    """Table 三 is then filled row by row: the gate, 按表格逐行填写, each row changed (every row, when the
    table was filled the guided way until now: the grid shows it whole, so that is what is recorded)."""
    answers = session.answers
    switching = not (answers.get(NEW_GATE) is True and answers.get(ROW_MODE_QID) == ROWS)
    touched = {c.split(".", 1)[1].rsplit(".", 1)[0] for c in values if c.startswith("t3.")}
    out: dict[str, Any] = {NEW_GATE: True, ROW_MODE_QID: ROWS} if switching else {}

    def row_values(row: str) -> list[Number]:
        return [merged.get(form.t3_cell(row, c), 0) for c in form.T3_PART_COLUMNS]

    def defaulted(row: str) -> bool:
        cells = [form.t3_cell(row, c) for c in form.T3_PART_COLUMNS]
        return not any(merged.get(c, 0) for c in cells) and all(
            session.sources.get(c) == Provenance.DEFAULT or c not in session.cells for c in cells
        )

    for group in form.T3_RESULT_GROUPS:
        if not group.items:
            continue
        subrows = [f"results.{group.id}.{item}" for item, _ in group.items]
        has = any(any(row_values(r)) for r in subrows)
        if switching or any(r in touched for r in subrows):
            if has:
                out[group_qid(group.id)] = True
            elif switching and all(defaulted(r) for r in subrows):
                out[group_qid(group.id)] = ""  # untouched zeros stay default zeros
            else:
                out[group_qid(group.id)] = False
    for row in _T3_STEP_ROWS:
        if row in touched or (switching and not defaulted(row)):
            out[row_qid(row)] = row_values(row)
        elif switching:
            out[row_qid(row)] = ""
    # A group answered 无 leaves its rows unasked: their answers would not be replayed.
    for group in form.T3_RESULT_GROUPS:
        if out.get(group_qid(group.id)) in (False, ""):
            for item, _ in group.items:
                out.pop(row_qid(f"results.{group.id}.{item}"), None)
    return _in_step_order(out)


def _in_step_order(out: dict[str, Any]) -> dict[str, Any]:
    """The answers in asking order (undo after a restart takes back the last one)."""
    order: list[str] = [NEW_GATE, ROW_MODE_QID]
    for row in _T3_STEP_ROWS:
        parts = row.split(".")
        if len(parts) == 3 and parts[2] == next(g for g in form.T3_RESULT_GROUPS if g.id == parts[1]).items[0][0]:
            order.append(group_qid(parts[1]))
        order.append(row_qid(row))
    return {qid: out[qid] for qid in order if qid in out}
