"""Structure rules: every cell a number (NUM), no blank or 「/」 cells (S-BLANK), the five points of
一、总体情况 (S-OVERVIEW), and the labels of a published report's tables as printed (S-LABEL).
"""

from __future__ import annotations

import re

from report_wizard.checks.coverage import cut_off
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
from report_wizard.core.model import Report
from report_wizard.narrative.paragraphs import section_text


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


def printed_number_checks(report: Report, out: list[Finding]) -> None:
    """NUM on a published table: a printed figure no count can be (5176.5 件) was not read as a value; named here,
    without its cell (it has no value, and findings on cells without one are dropped)."""
    if report.imported is None:
        return
    for cell, why in report.imported.invalid.items():
        out.append(err("NUM", TABLE_SECTION[cell[:2]], f"原文{why}，这一格没有计入其他检查。"))


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


# The five points of 一 (FORMAT.md; the 2021 format, 国办公开办函〔2021〕30号), each by the words any wording of
# it keeps: a report says 「(四)平台建设情况」 or speaks of its 网站 and 政务新媒体 without the official name.
OVERVIEW_POINTS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(words))
    for name, words in (
        ("主动公开", r"主动公开"),
        ("依申请公开", r"依申请|申请公开|公开申请"),
        ("政府信息管理", r"信息管理|发布审核|保密审查|审核|审查|清理|规范性文件(?:库|管理)"),
        ("政府信息公开平台建设", r"平台|网站|新媒体|专栏|公开栏|公众号|专区"),
        # not bare 监督/保障: 「保障群众知情权、监督权」 is said of 主动公开
        ("监督保障", r"监督保障|监督检查|考核|培训|问责|督查|督促|评议|责任追究|通报"),
    )
)


def overview_checks(report: Report, out: list[Finding]) -> None:
    """S-OVERVIEW: 一、总体情况 covers 主动公开, 依申请公开, 政府信息管理, 平台建设 and 监督保障 (from 2021 on)."""
    text = "".join(section_text(report, "overview").split())
    # Published reports only (the reviewer's check): a session's 一 is still being written in the interview.
    # Before 2021 the format did not list the points; an empty 一 is S-EMPTY; a file cut inside 一 lost the rest.
    if report.imported is None or report.year < 2021 or not text or "proactive" in cut_off(report):
        return
    absent = [name for name, words in OVERVIEW_POINTS if not words.search(text)]
    if absent:
        points = "、".join(name for name, _ in OVERVIEW_POINTS)
        message = (
            f"{form.SECTION_BY_ID['overview'].heading} 没有写到{'、'.join(f'「{a}」' for a in absent)}"
            f"（总体情况应涵盖{points}五个方面）。"
        )
        out.append(warn("S-OVERVIEW", "overview", message))


# Labels are compared by their words: list marks, punctuation (an OCR's 「,」 for 「、」, ASCII brackets) and
# spaces are not what S-LABEL is about; a changed, missing or extra word is.
_LIST_MARK = re.compile(r"^(?:[（(][一二三四五六七八九]+[）)]|[一二三四五六七八九]+、|\d+\s*[.．、])")
_NOT_WORDS = re.compile(r"[^\u4e00-\u9fff0-9A-Za-z]+")


def _words(label: str) -> str:
    return _NOT_WORDS.sub("", _LIST_MARK.sub("", label.strip("…").strip()))


def _official_label(row: str) -> str | None:
    table, _, row_id = row.partition(".")
    if table == "t2":
        return next((r.label for b in form.T2_BLOCKS for r in b.rows if r.id == row_id), None)
    found = form.T3_ROW_BY_ID.get(row_id)
    return found.label if found is not None else None


def label_checks(report: Report, out: list[Finding]) -> None:
    """S-LABEL: a published 2021-layout table's row labels, as the importer read them, are the official ones.

    A 「…」 end of a printed label was cut by the text around it (a line break inside a pdf cell, words found
    inside a longer label): that end is not compared, so a label broken by the layout is not called altered.
    """
    if report.imported is None or report.imported.table_format != "2021":
        return
    for row, printed in report.imported.labels.items():
        official = _official_label(row)
        if official is None:
            continue
        said, want = _words(printed), _words(official)
        left, right = not printed.startswith("…"), not printed.endswith("…")
        if left and right:
            same = said == want
        elif left:
            same = want.startswith(said)
        elif right:
            same = want.endswith(said)
        else:
            same = said in want
        if not same and said:
            table = "表二" if row.startswith("t2.") else "表三"
            shown = "".join(printed.strip("…").split())
            message = f"{table} 的项目名称印成了「{shown}」，规定格式为「{official}」。"
            out.append(warn("S-LABEL", TABLE_SECTION[row[:2]], message))
