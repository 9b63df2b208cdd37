"""What a check could not see, and the reviewer's verdict (issue 15).

A published report read by the importer may lack cells (missing, or ambiguous where digits ran together),
whole tables (cut off, or published only as images) or its last sections. The rules run only on what was read
(run_checks drops findings that touch unknown cells); this module says, per rule, what was left unchecked
(「无法检查 T3-BAL：表三缺少（三）至（六）」), names missing tables and sections as findings (S-MISSING), and
gives the verdict 通过 / 有错误 / 不完整 — never 通过 when a table or a section is missing.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from report_wizard.checks.findings import (
    ITEM1,
    T3_COLUMN_CELLS,
    T3_ROW_CELLS,
    T4_GROUP_CELLS,
    Finding,
    Sheet,
    err,
    fmt,
    warn,
)
from report_wizard.core import form
from report_wizard.core.form import CellId
from report_wizard.core.model import Report

Verdict = Literal["通过", "有错误", "不完整"]
PASSED: Verdict = "通过"
ERRORS: Verdict = "有错误"
INCOMPLETE: Verdict = "不完整"

TABLE_NAMES = {"t2": "表二", "t3": "表三", "t4": "表四"}
TABLE_CELLS: dict[str, tuple[CellId, ...]] = {"t2": form.T2_CELLS, "t3": form.T3_CELLS, "t4": form.T4_CELLS}
TABLE_SECTIONS = {"t2": "proactive", "t3": "requests", "t4": "review_litigation"}
# The rules whose findings make a report 不完整 rather than judged: something the reviewer must get first.
INCOMPLETE_RULES = frozenset({"S-MISSING"})


@dataclass(frozen=True)
class Unchecked:
    """Rules that could not run (or not on every row) for want of cells, and why, in one Chinese line."""

    rules: tuple[str, ...]
    partly: bool  # some of the rule's rows or columns were checked
    reason: str  # e.g. 「表三缺少（三）至（六）」

    @property
    def message(self) -> str:
        head = "部分无法检查" if self.partly else "无法检查"
        return f"{head} {'、'.join(self.rules)}：{self.reason}"


# ---------------------------------------------------------------- the units each table rule checks
def _short(label: str) -> str:
    """「（三）不予公开」 -> 「（三）」, 「一、本年新收…」 -> 「一」: how a row is named in a list of rows."""
    if label.startswith("（"):
        return label[: label.index("）") + 1]
    return label.split("、", 1)[0]


def _t3_row_short(row: str) -> str:
    r = form.T3_ROW_BY_ID[row]
    return _short(r.group.label if r.group is not None else r.label)


_T3_TOTALS = tuple(
    form.t3_cell(r, "total")
    for r in (form.T3_NEW, form.T3_CARRIED_OVER, form.T3_RESULTS_TOTAL, form.T3_CARRIED_FORWARD)
)
_T4_TOTALS = tuple(total for _, total, _ in T4_GROUP_CELLS)
_T2_ITEM1 = tuple(tuple(form.t2_cell(row.id, c) for c, _ in ITEM1.columns) for row in ITEM1.rows)


def _rule_units(previous: bool) -> dict[str, tuple[tuple[CellId, ...], ...]]:
    """Rule -> the cell groups it checks one at a time (a row, a column, a table-四 group)."""
    units: dict[str, tuple[tuple[CellId, ...], ...]] = {
        "T2-SCOPE": _T2_ITEM1,
        "T2-FLOW": _T2_ITEM1,
        "T3-ROW": tuple((total, *parts) for _, total, parts in T3_ROW_CELLS),
        "T3-SUM": tuple((total, *parts) for _, total, parts in T3_COLUMN_CELLS),
        "T3-BAL": tuple(
            tuple(
                form.t3_cell(r, col)
                for r in (form.T3_NEW, form.T3_CARRIED_OVER, form.T3_RESULTS_TOTAL, form.T3_CARRIED_FORWARD)
            )
            for col, _, _ in form.T3_COLUMNS
        ),
        "T4-SUM": tuple((total, *parts) for _, total, parts in T4_GROUP_CELLS),
        # The text is compared with the tables' totals: a figure the text states about a total never read
        # is not checked.
        "TX-NUM": tuple((c,) for c in _T3_TOTALS + _T4_TOTALS),
        "TX-ZERO": tuple((c,) for c in _T3_TOTALS + _T4_TOTALS),
    }
    if previous:
        units["X-CARRY"] = tuple((form.t3_cell(form.T3_CARRIED_OVER, col),) for col, _, _ in form.T3_COLUMNS)
        units["T2-STOCK"] = _T2_ITEM1
    return units


def _table_missing(report: Report, table: str) -> bool:
    """No cell of ``table`` was read (and it is not the 2019 table 二, whose columns have no 2021 cells)."""
    return all(c in report.missing for c in TABLE_CELLS[table])


def _old_table_two(report: Report) -> bool:
    return report.imported is not None and report.imported.table_format == "2019"


def _rows_text(names: Sequence[str]) -> str:
    """「（三）、（四）、（五）、（六）」 -> 「（三）至（六）」: runs of three or more numbered rows are folded."""
    order = [_t3_row_short(r.id) for r in form.T3_ROWS]
    order = list(dict.fromkeys(order))
    positions = sorted({order.index(n) for n in names if n in order})
    others = [n for n in dict.fromkeys(names) if n not in order]
    parts: list[str] = []
    i = 0
    while i < len(positions):
        j = i
        while j + 1 < len(positions) and positions[j + 1] == positions[j] + 1 and order[positions[j + 1]][0] == "（":
            j += 1
        run = [order[p] for p in positions[i : j + 1]]
        if len(run) >= 3 and run[0][0] == "（":
            parts.append(f"{run[0]}至{run[-1]}")
        else:
            parts.extend(run)
        i = j + 1
    return "、".join(parts + others)


def _row_of(cell: CellId) -> str:
    table, rest = cell.split(".", 1)
    head = rest.rsplit(".", 1)[0]
    if table == "t3":
        return _t3_row_short(head)
    if table == "t4":
        return form.T4_GROUP_NAME[head]
    for block in form.T2_BLOCKS:
        for row in block.rows:
            if row.id == head:
                return row.label
    return head


def describe(report: Report, cells: Iterable[CellId]) -> str:
    """The unknown among ``cells`` in words, table by table: 「表三缺少（三）至（六）」, 「表二有歧义：规章」."""
    unknown = [c for c in cells if c in report.unknown]
    out: list[str] = []
    for table, name in TABLE_NAMES.items():
        mine = [c for c in unknown if c.startswith(f"{table}.")]
        if not mine:
            continue
        if table == "t2" and _old_table_two(report):
            out.append(f"{name}为 2019 年版格式，与现行格式的栏目对不上")
            continue
        if _table_missing(report, table):
            out.append(f"{name}缺失")
            continue
        missing = list(dict.fromkeys(_row_of(c) for c in mine if c in report.missing))
        ambiguous = list(dict.fromkeys(_row_of(c) for c in mine if c not in report.missing))
        join = _rows_text if table == "t3" else "、".join
        if missing:
            out.append(f"{name}缺少{join(missing)}")
        if ambiguous:
            out.append(f"{name}有歧义：{join(ambiguous)}（数字连在一起）")
    return "；".join(out)


def unchecked(report: Report, previous: bool = False) -> list[Unchecked]:
    """Per rule, what it could not check; rules with the same reason share one line."""
    if not report.unknown:
        return []
    grouped: dict[tuple[bool, str], list[str]] = {}
    for rule, units in _rule_units(previous).items():
        blocked = [u for u in units if any(c in report.unknown for c in u)]
        if not blocked:
            continue
        reason = describe(report, dict.fromkeys(c for u in blocked for c in u))
        grouped.setdefault((len(blocked) < len(units), reason), []).append(rule)
    return [Unchecked(tuple(rules), partly, reason) for (partly, reason), rules in grouped.items()]


def unreadable(report: Report) -> list[str]:
    """What was not readable, table by table, for the one-line summary: 「表三缺失」, 「表二 3 格有歧义」."""
    out: list[str] = []
    for table, name in TABLE_NAMES.items():
        cells = TABLE_CELLS[table]
        if table == "t2" and _old_table_two(report) and _table_missing(report, table):
            out.append(f"{name}（2019 年版）")
        elif _table_missing(report, table):
            out.append(f"{name}缺失")
        else:
            missing = sum(1 for c in cells if c in report.missing)
            ambiguous = sum(1 for c in cells if c in report.unknown and c not in report.missing)
            if missing:
                out.append(f"{name} {missing} 格缺失")
            if ambiguous:
                out.append(f"{name} {ambiguous} 格有歧义")
    if report.imported is not None:
        absent = [s.heading.split("、", 1)[0] for s in form.SECTIONS if not report.imported.headings.get(s.id)]
        if absent:
            out.append(f"缺少第{'、'.join(absent)}部分标题")
    return out


# ---------------------------------------------------------------- missing tables and sections, the layout
def completeness_checks(report: Report, out: list[Finding]) -> None:
    """S-MISSING (a table or the last sections not in the file), S-STRUCT (a heading missing or altered in
    the middle), S-LAYOUT (the superseded 2019 tables in a report of 2021 or later). Imported reports only:
    a session always has its six sections and every cell."""
    imported = report.imported
    if imported is None:
        return
    tail = cut_off(report)
    for table, name in TABLE_NAMES.items():
        if not _table_missing(report, table) or (table == "t2" and imported.table_format == "2019"):
            continue
        if TABLE_SECTIONS[table] in tail:
            continue  # said once below, with the sections the file stops before
        heading = form.SECTION_BY_ID[TABLE_SECTIONS[table]].heading
        message = (
            f"{name}缺失：原文「{heading}」下没有读到这张表格（可能没有发布、只以图片发布，或文件不完整），"
            "表中的数字都无法检查。"
        )
        out.append(err("S-MISSING", TABLE_SECTIONS[table], message))
    found = [s for s in form.SECTIONS if imported.headings.get(s.id)]
    last = form.SECTIONS.index(found[-1]) if found else -1
    if tail:
        upto = f"只到「{found[-1].heading}」部分为止" if found else "中没有找到任何章节标题"
        names = "、".join(f"「{form.SECTION_BY_ID[s].heading}」" for s in tail)
        tables = [n for t, n in TABLE_NAMES.items() if TABLE_SECTIONS[t] in tail]
        with_tables = f"，{'、'.join(tables)}也就没有读到" if tables else ""
        message = f"原文{upto}：缺少{names}{with_tables}（文件可能不完整）。"
        out.append(err("S-MISSING", tail[0], message))
    for s in form.SECTIONS[: last + 1]:
        printed = imported.headings.get(s.id, "")
        if not printed:
            message = f"缺少标题「{s.heading}」：报告应有六个部分，按顺序各有标题。"
            out.append(warn("S-STRUCT", s.id, message))
        elif printed != s.heading:
            message = f"标题「{printed}」与规定格式不同，应为「{s.heading}」。"
            out.append(warn("S-STRUCT", s.id, message))
    if imported.table_format == "2019" and report.year >= 2021:
        message = (
            f"{report.year} 年度的报告用的是已废止的 2019 年版表格（本年新制作数量、本年新公开数量等），"
            f"应按{form.FORMAT_BASIS}的格式填报。"
        )
        out.append(err("S-LAYOUT", "proactive", message))
    intro_checks(report, out)


def lower_bound_checks(report: Report, sheet: Sheet, out: list[Finding]) -> None:
    """A printed total already smaller than the parts that were read: an error whatever the unread parts hold
    (counts are never negative). The only sum finding made from a total with parts not read."""
    if not report.unknown:
        return
    units: list[tuple[str, str, str, CellId, tuple[CellId, ...]]] = []
    for row, total, parts in T3_ROW_CELLS:
        units.append(("T3-ROW", f"表三 {form.t3_row_name(row)} 行：读到的各类申请人", "总计栏", total, parts))
    for col, total, parts in T3_COLUMN_CELLS:
        subject = f"表三 {form.T3_COLUMN_NAME[col]}列：读到的各项办理结果"
        units.append(("T3-SUM", subject, form.T3_RESULTS_TOTAL_LABEL, total, parts))
    for group, total, parts in T4_GROUP_CELLS:
        units.append(("T4-SUM", f"表四 {form.T4_GROUP_NAME[group]}：读到的各项结果", "总计栏", total, parts))
    for rule, subject, total_name, total, parts in units:
        unread = [c for c in parts if c in report.unknown]
        if not unread or total in report.unknown or total in sheet.blank:
            continue  # all read: the ordinary rule has spoken; no total: nothing to compare
        read = tuple(c for c in parts if c not in report.unknown)
        known = sheet.total(read)
        if known > sheet.num[total] + 1e-9:
            message = (
                f"{subject}已合计 {fmt(known)}，多于{total_name} {fmt(sheet.num[total])}，"
                f"至少相差 {fmt(known - sheet.num[total])} 件（另有 {len(unread)} 格没有读到，只会更多）。"
            )
            out.append(err(rule, TABLE_SECTIONS[total[:2]], message, (total, *read)))


def cut_off(report: Report) -> tuple[str, ...]:
    """The sections after the last heading found in an imported report (the file stops before them)."""
    if report.imported is None:
        return ()
    found = [i for i, s in enumerate(form.SECTIONS) if report.imported.headings.get(s.id)]
    return tuple(s.id for s in form.SECTIONS[(found[-1] + 1 if found else 0) :])


# 「本报告包括总体情况、…和其他需要报告的事项等六个部分」: the parts an intro lists, one pattern per section
# (by the words every wording of it keeps), and the number it announces.
_INTRO = re.compile(r"(?:包括|包含|分为|由|共有)([^。]{8,300}?)(?:等|共)?([一二三四五六七八九])个?部分")
_PART_WORDS = (
    re.compile(r"总体情况"),
    re.compile(r"主动公开"),
    re.compile(r"申请"),
    re.compile(r"复议|诉讼"),
    re.compile(r"问题"),
    re.compile(r"其他"),
)
_CHINESE_DIGITS = "一二三四五六七八九"


def intro_checks(report: Report, out: list[Finding]) -> None:
    """S-STRUCT: an intro that announces its parts announces six and lists six."""
    preamble = report.imported.texts.get("preamble", "") if report.imported is not None else ""
    match = _INTRO.search("".join(preamble.split()))
    if match is None:
        return
    announced = _CHINESE_DIGITS.index(match.group(2)) + 1
    listed = sum(1 for words in _PART_WORDS if words.search(match.group(1)))
    if announced != 6:
        message = f"前言说本报告有{match.group(2)}个部分，规定格式是六个部分。"
        out.append(warn("S-STRUCT", "overview", message))
    elif listed < 6:
        message = f"前言说本报告有六个部分，但只列出了 {listed} 个（「{match.group(1)[:40]}」）。"
        out.append(warn("S-STRUCT", "overview", message))


def verdict(findings: Iterable[Finding]) -> Verdict:
    """不完整 when a table or a section is missing (whatever else was found: the report cannot be judged
    whole); otherwise 有错误 when there is an error, else 通过."""
    found = list(findings)
    if any(f.rule in INCOMPLETE_RULES for f in found):
        return INCOMPLETE
    if any(f.level == "error" for f in found):
        return ERRORS
    return PASSED
