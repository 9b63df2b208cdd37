"""The review screen's preview of the report: the text wrapped by Chinese rules, and tables 二–四 as aligned
grids of at most GRID_WIDTH cells (short row labels, the official ones are in the exported files), with
numbers nobody typed (default zeros) shown dim and the figures the clerk entered in bold.

Built from the Report itself, not from the exported text: a grid needs the cells, and their provenance.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from rich.cells import cell_len
from textual.content import Content

from report_wizard.checks import Finding
from report_wizard.core import form
from report_wizard.core.model import Provenance, Report
from report_wizard.core.numerals import format_number
from report_wizard.narrative.paragraphs import section_paragraphs
from report_wizard.tui.wrap import wrap

GRID_WIDTH = 74  # fits an 80-column terminal with padding and scroll bar; scrolls sideways where narrower
NUMBER = 6  # cells per number column
LEGEND = "（表中灰色的 0 是没有填写、按 0 计的默认值；粗体是填写的数字。完整的表头见导出的文件。）"

_T3_SHORT_COLUMNS = {
    "natural_person": "自然人",
    "commercial": "商业",
    "research": "科研",
    "public_interest": "公益",
    "legal_services": "法律",
    "other_org": "其他",
    "total": "总计",
}
_T3_TOP = {
    form.T3_NEW: "一、本年新收",
    form.T3_CARRIED_OVER: "二、上年结转",
    form.T3_RESULTS_TOTAL: "（七）总计",
    form.T3_CARRIED_FORWARD: "四、结转下年度",
}
_T4_SHORT_COLUMNS = {"upheld": "维持", "corrected": "纠正", "other": "其他", "pending": "未审结", "total": "总计"}


def _fit(text: str, width: int) -> str:
    """``text`` cut to ``width`` cells (with …) and padded with spaces to exactly ``width``."""
    if cell_len(text) > width:
        while cell_len(text) > width - 1:
            text = text[:-1]
        text += "…"
    return text + " " * (width - cell_len(text))


def _t3_label(row: form.T3Row) -> str:
    if row.id in _T3_TOP:
        return _T3_TOP[row.id]
    label = row.label
    if row.group is None or not row.group.items:  # （二）部分公开（区分处理的…）: the name, not the note
        label = re.match(r"(?:（[一二三四五六七]）)?[^（]*", label).group()  # type: ignore[union-attr]
    if row.group is not None and row.group.items:
        return "  " + label  # an item under its group: 「  1.属于国家秘密」
    return label


def _number(report: Report, cell: str, number: int = NUMBER) -> tuple[str, str]:
    printed = report.printed(cell)
    text = printed if isinstance(printed, str) else format_number(printed)
    if cell in form.TOTAL_CELLS:
        return text.rjust(number), "bold"
    default = report.sources.get(cell) == Provenance.DEFAULT
    return text.rjust(number), "$text-muted" if default else "bold $text-accent"


def _grid_row(
    report: Report, label: str, cells: Sequence[str], label_width: int, number: int = NUMBER
) -> list[str | tuple[str, str]]:
    parts: list[str | tuple[str, str]] = [_fit(label, label_width)]
    parts += [_number(report, c, number) for c in cells]
    parts.append("\n")
    return parts


def _header(label_width: int, names: Sequence[str], number: int = NUMBER) -> tuple[str, str]:
    """Column names right-aligned over their numbers (by terminal cells: Chinese characters are two)."""
    heads = "".join(" " * max(number - cell_len(n), 1) + n for n in names)
    return (" " * label_width + heads + "\n", "bold underline")


_T2_SHORT_COLUMNS = {
    "issued": "制发",
    "abolished": "废止",
    "in_force": "现行有效",
    "decisions": "决定数",
    "amount": "万元",
}


def _table_two(report: Report) -> list[str | tuple[str, str]]:
    number = 10
    width = GRID_WIDTH - 3 * number
    parts: list[str | tuple[str, str]] = []
    for block in form.T2_BLOCKS:
        names = [_T2_SHORT_COLUMNS[c] for c, _ in block.columns]
        parts += [(block.title + "\n", "bold"), _header(width, names, number)]
        for row in block.rows:
            cells = [form.t2_cell(row.id, c) for c, _ in block.columns]
            parts += _grid_row(report, row.label, cells, width, number)
    return parts


def _table_three(report: Report) -> list[str | tuple[str, str]]:
    width = GRID_WIDTH - len(form.T3_COLUMNS) * NUMBER
    parts: list[str | tuple[str, str]] = [_header(width, [_T3_SHORT_COLUMNS[c] for c, _, _ in form.T3_COLUMNS])]
    shown_groups: set[str] = set()
    for row in form.T3_ROWS:
        if row.id == form.T3_RESULTS_TOTAL or (row.group is not None and row.group.id == "disclosed"):
            if "results" not in shown_groups:
                shown_groups.add("results")
                parts.append((_fit("三、本年度办理结果", width) + "\n", "bold"))
        if row.group is not None and row.group.items and row.group.id not in shown_groups:
            shown_groups.add(row.group.id)
            parts.append(_fit(row.group.label, width) + "\n")
        cells = [form.t3_cell(row.id, c) for c, _, _ in form.T3_COLUMNS]
        parts += _grid_row(report, _t3_label(row), cells, width)
    return parts


def _table_four(report: Report) -> list[str | tuple[str, str]]:
    width = GRID_WIDTH - len(form.T4_COLUMNS) * NUMBER
    parts: list[str | tuple[str, str]] = [_header(width, [_T4_SHORT_COLUMNS[c] for c, _ in form.T4_COLUMNS])]
    for group, _ in form.T4_GROUPS:
        cells = [form.t4_cell(group, c) for c, _ in form.T4_COLUMNS]
        parts += _grid_row(report, form.T4_GROUP_NAME[group], cells, width)
    return parts


_TABLES = {"proactive": _table_two, "requests": _table_three, "review_litigation": _table_four}


def preview_content(report: Report, findings: Sequence[Finding], mark: str, width: int = GRID_WIDTH) -> Content:
    """The report as the review screen shows it (never exported); ``mark`` is the 草稿 line, if any."""
    text_width = max(min(width, GRID_WIDTH), 20)
    parts: list[str | tuple[str, str]] = []
    if mark:
        parts += [("\n".join(wrap(f"【{mark}】", text_width)) + "\n\n", "bold $text-error")]
    parts += [("\n".join(wrap(report.title, text_width)) + "\n", "bold")]
    for section in form.SECTIONS:
        parts += ["\n", (section.heading + "\n", "bold")]
        if section.id in _TABLES:
            parts += _TABLES[section.id](report)
            continue
        for paragraph in section_paragraphs(report, section.id):
            parts += ["\n".join(wrap("　　" + paragraph, text_width)) + "\n"]
    parts += ["\n", ("\n".join(wrap(LEGEND, text_width)), "$text-muted")]
    return Content.assemble(*parts)
