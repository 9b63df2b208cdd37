"""Rules across years, against last year's report: X-CARRY, X-YEAR, T2-STOCK, S-COPY."""

from __future__ import annotations

from report_wizard.checks.findings import (
    ABOLISHED,
    IN_FORCE,
    ISSUED,
    ITEM1,
    T3_SECTION,
    Finding,
    Sheet,
    err,
    fmt,
    warn,
)
from report_wizard.core import form
from report_wizard.core.model import Report
from report_wizard.narrative import paragraphs as narrative


def cross_year_checks(report: Report, sheet: Sheet, previous: Report, out: list[Finding]) -> None:
    if previous.year != report.year - 1:
        message = f"用作上年报告的是 {previous.year} 年度报告，而本报告是 {report.year} 年度，未做跨年核对。"
        out.append(warn("X-YEAR", "overview", message))
        return
    last = Sheet(previous)
    mismatched = False
    for col, _, _ in form.T3_COLUMNS:
        here, there = form.t3_cell(form.T3_CARRIED_OVER, col), form.t3_cell(form.T3_CARRIED_FORWARD, col)
        if sheet.num[here] == last.num[there] or (col == "total" and mismatched) or there in previous.unknown:
            continue
        mismatched = True
        message = (
            f"{form.cell_name(here)} 为 {fmt(sheet.num[here])}，但 {previous.year} 年报告的"
            f"{form.t3_row_name(form.T3_CARRIED_FORWARD)} {form.T3_COLUMN_NAME[col]} 为 {fmt(last.num[there])}，"
            f"相差 {fmt(abs(sheet.num[here] - last.num[there]))} 件。"
        )
        out.append(err("X-CARRY", T3_SECTION, message, (here,)))
    for row in ITEM1.rows:
        issued, abolished, in_force = (form.t2_cell(row.id, c) for c, _ in ITEM1.columns)
        if in_force in previous.unknown:
            continue  # last year's stock is not known: nothing to compare with
        before = last.num[in_force]
        expected = before + sheet.num[issued] - sheet.num[abolished]
        if abs(sheet.num[in_force] - expected) < 1e-9:
            continue
        message = (
            f"表二 {row.label} {IN_FORCE} {fmt(sheet.num[in_force])}，但按上年{IN_FORCE} {fmt(before)} + "
            f"{ISSUED} {fmt(sheet.num[issued])} − {ABOLISHED} {fmt(sheet.num[abolished])} 应为 "
            f"{fmt(expected)}（如有文件失效或修订，可忽略）。"
        )
        out.append(warn("T2-STOCK", "proactive", message, (in_force, issued, abolished)))
    for section, ratio in narrative.s_copy_findings(report, previous):
        heading = form.SECTION_BY_ID[section].heading
        message = f"「{heading}」有 {ratio:.0%} 的文字与 {previous.year} 年报告相同，请按本年实际情况改写。"
        out.append(warn("S-COPY", section, message))
