"""What a check finds (Finding), the rule list, and the report's cells as printed (the sheet every family reads)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from report_wizard.core import form
from report_wizard.core.form import CellId
from report_wizard.core.model import Number, Report
from report_wizard.core.numerals import format_number

Level = Literal["error", "warning"]

RULES: dict[str, str] = {
    "T3-ROW": "表三每一行：总计 = 各类申请人之和",
    "T3-SUM": "表三每一列：（七）总计 = 各项办理结果之和",
    "T3-BAL": "表三每一列：一 + 二 = （七）总计 + 四",
    "T4-SUM": "表四每一组：总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结",
    "NUM": "件数为不小于 0 的整数，金额不小于 0",
    "TX-NUM": "正文所写的申请、办理结果、复议、诉讼数字与表格一致",
    "TX-ZERO": "正文不得声称表格为 0 的事项，也不得对不为 0 的事项写“无”",
    "X-CARRY": "本年“上年结转”= 上年报告“结转下年度继续办理”",
    "X-YEAR": "作为上年报告核对的应是上一年度的报告",
    "T2-SCOPE": "只有国务院部门、省级和设区的市人民政府制定规章；乡镇街道很少制发行政规范性文件",
    "T2-STOCK": "现行有效件数 ≈ 上年现行有效 + 本年制发 − 本年废止",
    "T2-FLOW": "现行有效件数不少于本年制发件数",
    "T3-FEE": "有逾期未缴费的申请时，第六部分应说明收费情况",
    "T4-PLAUS": "有复议后起诉的案件，通常也有行政复议案件",
    "S-FEE": "第六部分应说明信息处理费收取情况",
    "S-YEAR": "标题年份与统计年度一致；改进计划针对下一年",
    "S-BLANK": "表格不留空白、不填“/”，没有的填 0",
    "S-EMPTY": "第一、五、六部分都应有内容",
    "S-COPY": "文字部分不应大段照抄上年报告（超过一半相同）",
    # Published reports read by the importer (issue 15)
    "S-MISSING": "三张表格和六个部分都应在报告中（表格不能缺失或只以图片发布）",
    "S-STRUCT": "六个部分的标题齐全、按顺序、与规定格式一致",
    "S-OVERVIEW": "总体情况涵盖主动公开、依申请公开、政府信息管理、政府信息公开平台建设、监督保障五个方面",
    "S-LABEL": "表格中的项目名称与规定格式一致（如“行政规范性文件”“只计这一情形”）",
    "S-LAYOUT": "2021 年度起的报告使用 2021 年版表格，不再用 2019 年版",
    "S-TYPO": "没有连写两遍的字词，数字中间没有多余的空格",
    "S-CITE": "2021 年度起的报告依据国办公开办函〔2021〕30号，不再引用 2019 年的通知",
}


@dataclass(frozen=True, kw_only=True)
class Finding:
    """One problem found: level, rule id, the cells involved and one Chinese sentence with the numbers."""

    level: Level
    rule: str
    cells: tuple[CellId, ...] = ()
    section: str
    message: str


def has_errors(findings: Iterable[Finding]) -> bool:
    return any(f.level == "error" for f in findings)


# ---------------------------------------------------------------- cell layout, computed once
TABLE_SECTION = {"t2": "proactive", "t3": "requests", "t4": "review_litigation"}
SECTION_ORDER = {s.id: i for i, s in enumerate(form.SECTIONS)}
# The title has no section of its own; it is printed above 一、总体情况.
TITLE_SECTION = "overview"
T3_SECTION, T4_SECTION = "requests", "review_litigation"
T3_ROW_CELLS = tuple(
    (row.id, form.t3_cell(row.id, "total"), tuple(form.t3_cell(row.id, c) for c in form.T3_PART_COLUMNS))
    for row in form.T3_ROWS
)
T3_COLUMN_CELLS = tuple(
    (col, form.t3_cell(form.T3_RESULTS_TOTAL, col), tuple(form.t3_cell(r, col) for r in form.T3_OUTCOME_ROWS))
    for col, _, _ in form.T3_COLUMNS
)
T4_GROUP_CELLS = tuple(
    (g, form.t4_cell(g, "total"), tuple(form.t4_cell(g, c) for c in form.T4_PART_COLUMNS)) for g, _ in form.T4_GROUPS
)
T3_TOTAL_COLUMN = tuple(total for _, total, _ in T3_ROW_CELLS)
T4_TOTAL_COLUMN = tuple(total for _, total, _ in T4_GROUP_CELLS)
# Short names of the four 勾稽关系 rows for sentences (the full labels are in form.T3_TOP_LABELS).
BAL_NAMES = {form.T3_NEW: "新收", form.T3_CARRIED_OVER: "上年结转"}
BAL_NAMES |= {form.T3_RESULTS_TOTAL: "办理结果总计", form.T3_CARRIED_FORWARD: "结转下年度"}
ITEM1 = form.T2_BLOCKS[0]
ISSUED, ABOLISHED, IN_FORCE = (label for _, label in ITEM1.columns)
BLANKS = ("", "/")


fmt = format_number


class Sheet:
    """The report's cells as printed: ``num`` holds numbers (a blank cell counts as what its parts give)."""

    __slots__ = ("bad", "blank", "num")

    def __init__(self, report: Report) -> None:
        self.num: dict[CellId, Number] = dict(report.values)
        self.blank: set[CellId] = set()
        self.bad: dict[CellId, str] = {}
        for cell, value in report.declared.items():
            if isinstance(value, str):
                if value.strip() in BLANKS:
                    self.blank.add(cell)
                else:
                    self.bad[cell] = value
            else:
                self.num[cell] = value

    def total(self, cells: Iterable[CellId]) -> Number:
        return sum(self.num[c] for c in cells)

    def blank_column(self, table: str) -> tuple[CellId, ...]:
        """The 总计 column of table 三 or 四 when every cell of it is blank (else ()): one finding, not one a row."""
        column = T3_TOTAL_COLUMN if table == "t3" else T4_TOTAL_COLUMN
        return column if all(c in self.blank for c in column) else ()

    def blank_parts(self, table: str) -> tuple[CellId, ...]:
        """The parts of the rows of a blank 总计 column (() when the column is not blank)."""
        if not self.blank_column(table):
            return ()
        groups = T3_ROW_CELLS if table == "t3" else T4_GROUP_CELLS
        return tuple(c for _, _, parts in groups for c in parts)


def err(rule: str, section: str, message: str, cells: Iterable[CellId] = ()) -> Finding:
    return Finding(level="error", rule=rule, cells=tuple(cells), section=section, message=message)


def warn(rule: str, section: str, message: str, cells: Iterable[CellId] = ()) -> Finding:
    return Finding(level="warning", rule=rule, cells=tuple(cells), section=section, message=message)
