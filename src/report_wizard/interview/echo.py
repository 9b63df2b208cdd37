"""What a confirmation says after an answer: the value recorded, every number it changed, totals included.

A clerk who reads 「已记录：64。本年新收合计 2474 件。」 sees at once whether the table now says what they meant.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from report_wizard.core import form
from report_wizard.core.form import CellId
from report_wizard.core.model import Number
from report_wizard.interview.rules import plain_label
from report_wizard.interview.values import column_label, fmt

MAX_LISTED = 4  # input cells listed one by one; beyond that only their count

_T3_ROW_SHORT = {
    form.T3_NEW: "本年新收",
    form.T3_CARRIED_OVER: "上年结转",
    form.T3_CARRIED_FORWARD: "结转下年度",
}


def total_name(cell: str) -> str:
    """A computed cell as a confirmation names it: 「本年新收合计」「自然人办理结果总计」「行政复议总计」."""
    table, rest = cell.split(".", 1)
    row, column = rest.rsplit(".", 1)
    if table == "t4":
        return f"{form.T4_GROUP_NAME[row]}总计"
    if row == form.T3_RESULTS_TOTAL:
        return "办理结果总计" if column == "total" else f"{form.T3_COLUMN_NAME[column]}办理结果总计"
    short = _T3_ROW_SHORT.get(row)
    if short is None:
        item = form.T3_ROW_BY_ID[row].label
        short = plain_label(item.split(".", 1)[1] if item[:1].isdigit() else item)
        short = short.split("（", 1)[0]  # 部分公开（区分处理的，…） → 部分公开
    return f"{short}合计"


def row_text(cells: Iterable[CellId], values: Iterable[Number]) -> str:
    """A row answer with its column names: 「结果维持 30、结果纠正 2、其他结果 1、尚未审结 2」."""
    return "、".join(f"{column_label(c)} {fmt(v)}" for c, v in zip(cells, values, strict=True))


def changes(
    before: Mapping[CellId, Number],
    after: Mapping[CellId, Number],
    changed: Iterable[CellId],
    answered: Iterable[CellId],
) -> list[str]:
    """Sentences naming each changed number: inputs other than the ones just answered, then every total."""
    changed = list(changed)
    own = set(answered)
    inputs = [c for c in changed if c not in form.TOTAL_CELLS and c not in own]
    parts = [f"{form.cell_name(c)}：{fmt(before[c])} → {fmt(after[c])}。" for c in inputs[:MAX_LISTED]]
    if len(inputs) > MAX_LISTED:
        parts.append(f"（另有 {len(inputs) - MAX_LISTED} 个数字有变化）")
    totals = [c for c in changed if c in form.TOTAL_CELLS]
    if totals:
        parts.append("；".join(f"{total_name(c)} {fmt(after[c])} 件" for c in totals) + "。")
    return parts
