"""Structure rules: every cell a number (NUM), no blank or 「/」 cells (S-BLANK).

Later also the headings and labels of published reports (S-STRUCT, S-LABEL).
"""

from __future__ import annotations

from report_wizard.checks.findings import (
    TABLE_SECTION,
    Finding,
    Sheet,
    err,
    fmt,
    warn,
)
from report_wizard.core import form
from report_wizard.core.form import CellId


def number_checks(sheet: Sheet, out: list[Finding]) -> None:
    for cell in form.ALL_CELLS:
        section = TABLE_SECTION[cell[:2]]
        if cell in sheet.bad:
            out.append(err("NUM", section, f"{form.cell_name(cell)} 填的是“{sheet.bad[cell]}”，应为数字。", (cell,)))
            continue
        value = sheet.num[cell]
        if value < 0:
            out.append(err("NUM", section, f"{form.cell_name(cell)} 为 {fmt(value)}，不能为负数。", (cell,)))
        elif cell not in form.T2_MONEY_CELLS and value != int(value):
            out.append(err("NUM", section, f"{form.cell_name(cell)} 为 {fmt(value)}，件数应为整数。", (cell,)))


def blank_checks(sheet: Sheet, out: list[Finding]) -> None:
    if not sheet.blank:
        return
    by_section: dict[str, list[CellId]] = {}
    # A blank 总计 column with numbers in its rows is one T3-ROW / T4-SUM finding: not repeated here.
    column = {c for t in ("t3", "t4") if sheet.total(sheet.blank_parts(t)) for c in sheet.blank_column(t)}
    for cell in form.ALL_CELLS:
        if cell in column:
            continue
        # A blank total whose parts are not zero is already an error (T3-ROW, T3-SUM, T4-SUM).
        if cell in sheet.blank and not (cell in form.TOTAL_CELLS and sheet.num[cell]):
            by_section.setdefault(TABLE_SECTION[cell[:2]], []).append(cell)
    for section, cells in by_section.items():
        names = "、".join(form.cell_name(c) for c in cells[:3]) + ("等" if len(cells) > 3 else "")
        message = f"有 {len(cells)} 个单元格空白或填“/”（{names}），没有的应填 0。"
        out.append(warn("S-BLANK", section, message, cells))
