"""Table rules: every total against its parts (T3-ROW, T3-SUM, T3-BAL, T4-SUM),
table 二's scope and flow (T2-SCOPE, T2-FLOW), and T4-PLAUS.
"""

from __future__ import annotations

from report_wizard.checks.findings import (
    ABOLISHED,
    BAL_NAMES,
    IN_FORCE,
    ISSUED,
    ITEM1,
    T3_COLUMN_CELLS,
    T3_ROW_CELLS,
    T3_SECTION,
    T4_GROUP_CELLS,
    T4_SECTION,
    TABLE_SECTION,
    Finding,
    Sheet,
    err,
    fmt,
    warn,
)
from report_wizard.core import form
from report_wizard.core.form import CellId
from report_wizard.core.model import Report


def _sum_check(
    sheet: Sheet, rule: str, subject: str, total: CellId, parts: tuple[CellId, ...], names: tuple[str, ...] = ()
) -> Finding | None:
    """A printed total against the sum of its parts; ``names`` label the parts (empty: too many to list)."""
    expected = sheet.total(parts)
    blank = total in sheet.blank
    if (blank and not expected) or (not blank and abs(sheet.num[total] - expected) < 1e-9):
        return None  # a blank where 0 belongs is S-BLANK's
    terms = [f"{n} {fmt(sheet.num[c])}" for n, c in zip(names, parts, strict=False) if sheet.num[c]]
    message = f"{subject}合计 {fmt(expected)}" + (f"（{' + '.join(terms)}）" if len(terms) > 1 else "")
    total_name = form.T3_RESULTS_TOTAL_LABEL if rule == "T3-SUM" else "总计栏"
    if blank:
        message += f"，但{total_name}为空。"
    else:
        printed = sheet.num[total]
        message += f"，但{total_name}为 {fmt(printed)}，相差 {fmt(abs(printed - expected))} 件。"
    return err(rule, TABLE_SECTION[total[:2]], message, (total, *parts))


def _blank_column(sheet: Sheet, table: str, rule: str, out: list[Finding]) -> bool:
    """A 总计 column left blank from top to bottom: one finding (the rows with numbers named), True if so."""
    column = sheet.blank_column(table)
    if not column:
        return False
    groups = T3_ROW_CELLS if table == "t3" else T4_GROUP_CELLS
    name = form.t3_row_name if table == "t3" else form.T4_GROUP_NAME.__getitem__
    filled = [(row, sheet.total(parts)) for row, _, parts in groups if sheet.total(parts)]
    if filled:
        shown = "、".join(f"{name(row)} {fmt(value)}" for row, value in filled[:3]) + ("等" if len(filled) > 3 else "")
        table_name = "表三" if table == "t3" else "表四"
        message = f"{table_name}的总计栏整列空白，但有 {len(filled)} 行有数字（{shown}）：总计栏应填各行的合计。"
        out.append(err(rule, TABLE_SECTION[table], message, column))
    return True


def table_checks(sheet: Sheet, out: list[Finding]) -> None:
    part_names = tuple(form.T3_COLUMN_NAME[c] for c in form.T3_PART_COLUMNS)
    t3_column_blank = _blank_column(sheet, "t3", "T3-ROW", out)
    for row, total, parts in T3_ROW_CELLS:
        if t3_column_blank:
            break
        subject = f"表三 {form.t3_row_name(row)} 行：各类申请人"
        if f := _sum_check(sheet, "T3-ROW", subject, total, parts, part_names):
            out.append(f)
    for col, total, parts in T3_COLUMN_CELLS:
        if col == "total" and total in sheet.blank:
            continue  # the blank 总计 of （七）总计 is T3-ROW's finding
        subject = f"表三 {form.T3_COLUMN_NAME[col]}列：各项办理结果"
        if f := _sum_check(sheet, "T3-SUM", subject, total, parts):
            out.append(f)
    part_failed = False
    for col, _, _ in form.T3_COLUMNS:
        cells = [form.t3_cell(r, col) for r in BAL_NAMES]
        new, carried, done, forward = (sheet.num[c] for c in cells)
        if abs(new + carried - done - forward) < 1e-9 or (col == "total" and part_failed):
            continue  # a 总计 column off only because a part column is off says nothing new
        part_failed = True
        a, b, c, d = (f"{BAL_NAMES[r]} {fmt(sheet.num[x])}" for r, x in zip(BAL_NAMES, cells, strict=True))
        message = (
            f"表三 {form.T3_COLUMN_NAME[col]}列：{a} + {b} = {fmt(new + carried)}，但{c} + {d} = "
            f"{fmt(done + forward)}，相差 {fmt(abs(new + carried - done - forward))} 件。"
        )
        out.append(err("T3-BAL", T3_SECTION, message, cells))
    t4_names = tuple(form.T4_COLUMN_LABEL[c] for c in form.T4_PART_COLUMNS)
    t4_column_blank = _blank_column(sheet, "t4", "T4-SUM", out)
    for group, total, parts in T4_GROUP_CELLS:
        if t4_column_blank:
            break
        subject = f"表四 {form.T4_GROUP_NAME[group]}：各项结果"
        if f := _sum_check(sheet, "T4-SUM", subject, total, parts, t4_names):
            out.append(f)


def table_two_checks(report: Report, sheet: Sheet, out: list[Finding]) -> None:
    kind, kind_label = report.meta.agency_kind, report.meta.agency_kind_label
    for row in ITEM1.rows:
        cells = tuple(form.t2_cell(row.id, c) for c, _ in ITEM1.columns)
        issued, abolished, in_force = (sheet.num[c] for c in cells)
        name = f"表二 {row.label}"
        if row.id == "regulations" and kind not in form.KINDS_THAT_MAKE_REGULATIONS and issued + abolished + in_force:
            message = (
                f"{name}：{ISSUED} {fmt(issued)}、{ABOLISHED} {fmt(abolished)}、{IN_FORCE} {fmt(in_force)}，"
                f"但{row.label}只由国务院部门、省级和设区的市人民政府制定，{kind_label}的报告通常应全为 0。"
            )
            out.append(warn("T2-SCOPE", "proactive", message, cells))
        if row.id == "normative_documents" and kind == "subdistrict" and issued > 0:
            message = f"{name} {ISSUED}为 {fmt(issued)}：{kind_label}很少制发{row.label}，请确认确属{row.label}。"
            out.append(warn("T2-SCOPE", "proactive", message, cells[:1]))
        if in_force < issued:
            message = f"{name} {IN_FORCE} {fmt(in_force)} 少于{ISSUED} {fmt(issued)}，除非新制发的文件当年又已废止。"
            out.append(warn("T2-FLOW", "proactive", message, (cells[2], cells[0])))


def table_four_plausibility(sheet: Sheet, out: list[Finding]) -> None:
    after_review, review = (sheet.num[form.t4_cell(g, "total")] for g in ("lawsuit_after_review", "review"))
    if after_review > 0 and review == 0:
        message = (
            f"{form.cell_name(form.t4_cell('lawsuit_after_review', 'total'))} 为 {fmt(after_review)}，"
            f"但{form.cell_name(form.t4_cell('review', 'total'))} 为 0：复议后起诉的案件通常先有行政复议。"
        )
        cells = (form.t4_cell("lawsuit_after_review", "total"), form.t4_cell("review", "total"))
        out.append(warn("T4-PLAUS", T4_SECTION, message, cells))
