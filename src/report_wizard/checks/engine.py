"""Consistency checks (FORMAT.md "Rules a checker enforces"): pure functions from a Report to findings.

Tables are checked as printed (an imported report's declared totals win over computed ones); the
narrative is read with regex heuristics for counts and "无" claims about requests and cases.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Literal

from pydantic import BaseModel, ConfigDict

from report_wizard.core import form
from report_wizard.core.model import Number, Report
from report_wizard.core.numerals import format_number
from report_wizard.narrative import paragraphs as narrative
from report_wizard.narrative.paragraphs import section_text

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
}


class Finding(BaseModel):
    """One problem found: level, rule id, the cells involved and one Chinese sentence with the numbers."""

    model_config = ConfigDict(frozen=True)

    level: Level
    rule: str
    cells: tuple[str, ...] = ()
    section: str
    message: str


def has_errors(findings: Iterable[Finding]) -> bool:
    return any(f.level == "error" for f in findings)


# ---------------------------------------------------------------- cell layout, computed once
_TABLE_SECTION = {"t2": "proactive", "t3": "requests", "t4": "review_litigation"}
_SECTION_ORDER = {s.id: i for i, s in enumerate(form.SECTIONS)}
# The title has no section of its own; it is printed above 一、总体情况.
TITLE_SECTION = "overview"
_T3, _T4 = "requests", "review_litigation"
_T3_ROW_CELLS = tuple(
    (row.id, form.t3_cell(row.id, "total"), tuple(form.t3_cell(row.id, c) for c in form.T3_PART_COLUMNS))
    for row in form.T3_ROWS
)
_T3_COLUMN_CELLS = tuple(
    (col, form.t3_cell(form.T3_RESULTS_TOTAL, col), tuple(form.t3_cell(r, col) for r in form.T3_OUTCOME_ROWS))
    for col, _, _ in form.T3_COLUMNS
)
_T4_GROUP_CELLS = tuple(
    (g, form.t4_cell(g, "total"), tuple(form.t4_cell(g, c) for c in form.T4_PART_COLUMNS)) for g, _ in form.T4_GROUPS
)
# Short names of the four 勾稽关系 rows for sentences (the full labels are in form.T3_TOP_LABELS).
_BAL_NAMES = {form.T3_NEW: "新收", form.T3_CARRIED_OVER: "上年结转"}
_BAL_NAMES |= {form.T3_RESULTS_TOTAL: "办理结果总计", form.T3_CARRIED_FORWARD: "结转下年度"}
_ITEM1 = form.T2_BLOCKS[0]
_ISSUED, _ABOLISHED, _IN_FORCE = (label for _, label in _ITEM1.columns)
_BLANKS = ("", "/")


_fmt = format_number


class _Sheet:
    """The report's cells as printed: ``num`` holds numbers (a blank cell counts as what its parts give)."""

    __slots__ = ("bad", "blank", "num")

    def __init__(self, report: Report) -> None:
        self.num: dict[str, Number] = dict(report.values)
        self.blank: set[str] = set()
        self.bad: dict[str, str] = {}
        for cell, value in report.declared.items():
            if isinstance(value, str):
                if value.strip() in _BLANKS:
                    self.blank.add(cell)
                else:
                    self.bad[cell] = value
            else:
                self.num[cell] = value

    def total(self, cells: Iterable[str]) -> Number:
        return sum(self.num[c] for c in cells)


def _err(rule: str, section: str, message: str, cells: Iterable[str] = ()) -> Finding:
    return Finding(level="error", rule=rule, cells=tuple(cells), section=section, message=message)


def _warn(rule: str, section: str, message: str, cells: Iterable[str] = ()) -> Finding:
    return Finding(level="warning", rule=rule, cells=tuple(cells), section=section, message=message)


# ---------------------------------------------------------------- tables
def _sum_check(
    sheet: _Sheet, rule: str, subject: str, total: str, parts: tuple[str, ...], names: tuple[str, ...] = ()
) -> Finding | None:
    """A printed total against the sum of its parts; ``names`` label the parts (empty: too many to list)."""
    expected = sheet.total(parts)
    blank = total in sheet.blank
    if (blank and not expected) or (not blank and abs(sheet.num[total] - expected) < 1e-9):
        return None  # a blank where 0 belongs is S-BLANK's
    terms = [f"{n} {_fmt(sheet.num[c])}" for n, c in zip(names, parts, strict=False) if sheet.num[c]]
    message = f"{subject}合计 {_fmt(expected)}" + (f"（{' + '.join(terms)}）" if len(terms) > 1 else "")
    total_name = form.T3_RESULTS_TOTAL_LABEL if rule == "T3-SUM" else "总计栏"
    if blank:
        message += f"，但{total_name}为空。"
    else:
        printed = sheet.num[total]
        message += f"，但{total_name}为 {_fmt(printed)}，相差 {_fmt(abs(printed - expected))} 件。"
    return _err(rule, _TABLE_SECTION[total[:2]], message, (total, *parts))


def _table_checks(sheet: _Sheet, out: list[Finding]) -> None:
    part_names = tuple(form.T3_COLUMN_NAME[c] for c in form.T3_PART_COLUMNS)
    for row, total, parts in _T3_ROW_CELLS:
        subject = f"表三 {form.t3_row_name(row)} 行：各类申请人"
        if f := _sum_check(sheet, "T3-ROW", subject, total, parts, part_names):
            out.append(f)
    for col, total, parts in _T3_COLUMN_CELLS:
        if col == "total" and total in sheet.blank:
            continue  # the blank 总计 of （七）总计 is T3-ROW's finding
        subject = f"表三 {form.T3_COLUMN_NAME[col]}列：各项办理结果"
        if f := _sum_check(sheet, "T3-SUM", subject, total, parts):
            out.append(f)
    part_failed = False
    for col, _, _ in form.T3_COLUMNS:
        cells = [form.t3_cell(r, col) for r in _BAL_NAMES]
        new, carried, done, forward = (sheet.num[c] for c in cells)
        if abs(new + carried - done - forward) < 1e-9 or (col == "total" and part_failed):
            continue  # a 总计 column off only because a part column is off says nothing new
        part_failed = True
        a, b, c, d = (f"{_BAL_NAMES[r]} {_fmt(sheet.num[x])}" for r, x in zip(_BAL_NAMES, cells, strict=True))
        message = (
            f"表三 {form.T3_COLUMN_NAME[col]}列：{a} + {b} = {_fmt(new + carried)}，但{c} + {d} = "
            f"{_fmt(done + forward)}，相差 {_fmt(abs(new + carried - done - forward))} 件。"
        )
        out.append(_err("T3-BAL", _T3, message, cells))
    t4_names = tuple(form.T4_COLUMN_LABEL[c] for c in form.T4_PART_COLUMNS)
    for group, total, parts in _T4_GROUP_CELLS:
        subject = f"表四 {form.T4_GROUP_NAME[group]}：各项结果"
        if f := _sum_check(sheet, "T4-SUM", subject, total, parts, t4_names):
            out.append(f)


def _num_checks(sheet: _Sheet, out: list[Finding]) -> None:
    for cell in form.ALL_CELLS:
        section = _TABLE_SECTION[cell[:2]]
        if cell in sheet.bad:
            out.append(_err("NUM", section, f"{form.cell_name(cell)} 填的是“{sheet.bad[cell]}”，应为数字。", (cell,)))
            continue
        value = sheet.num[cell]
        if value < 0:
            out.append(_err("NUM", section, f"{form.cell_name(cell)} 为 {_fmt(value)}，不能为负数。", (cell,)))
        elif cell not in form.T2_MONEY_CELLS and value != int(value):
            out.append(_err("NUM", section, f"{form.cell_name(cell)} 为 {_fmt(value)}，件数应为整数。", (cell,)))


def _blank_checks(sheet: _Sheet, out: list[Finding]) -> None:
    if not sheet.blank:
        return
    by_section: dict[str, list[str]] = {}
    for cell in form.ALL_CELLS:
        # A blank total whose parts are not zero is already an error (T3-ROW, T3-SUM, T4-SUM).
        if cell in sheet.blank and not (cell in form.TOTAL_CELLS and sheet.num[cell]):
            by_section.setdefault(_TABLE_SECTION[cell[:2]], []).append(cell)
    for section, cells in by_section.items():
        names = "、".join(form.cell_name(c) for c in cells[:3]) + ("等" if len(cells) > 3 else "")
        message = f"有 {len(cells)} 个单元格空白或填“/”（{names}），没有的应填 0。"
        out.append(_warn("S-BLANK", section, message, cells))


def _t2_checks(report: Report, sheet: _Sheet, out: list[Finding]) -> None:
    kind, kind_label = report.meta.agency_kind, report.meta.agency_kind_label
    for row in _ITEM1.rows:
        cells = tuple(form.t2_cell(row.id, c) for c, _ in _ITEM1.columns)
        issued, abolished, in_force = (sheet.num[c] for c in cells)
        name = f"表二 {row.label}"
        if row.id == "regulations" and kind not in form.KINDS_THAT_MAKE_REGULATIONS and issued + abolished + in_force:
            message = (
                f"{name}：{_ISSUED} {_fmt(issued)}、{_ABOLISHED} {_fmt(abolished)}、{_IN_FORCE} {_fmt(in_force)}，"
                f"但{row.label}只由国务院部门、省级和设区的市人民政府制定，{kind_label}的报告通常应全为 0。"
            )
            out.append(_warn("T2-SCOPE", "proactive", message, cells))
        if row.id == "normative_documents" and kind == "subdistrict" and issued > 0:
            message = f"{name} {_ISSUED}为 {_fmt(issued)}：{kind_label}很少制发{row.label}，请确认确属{row.label}。"
            out.append(_warn("T2-SCOPE", "proactive", message, cells[:1]))
        if in_force < issued:
            message = (
                f"{name} {_IN_FORCE} {_fmt(in_force)} 少于{_ISSUED} {_fmt(issued)}，除非新制发的文件当年又已废止。"
            )
            out.append(_warn("T2-FLOW", "proactive", message, (cells[2], cells[0])))


def _cross_year_checks(report: Report, sheet: _Sheet, previous: Report, out: list[Finding]) -> None:
    if previous.year != report.year - 1:
        message = f"用作上年报告的是 {previous.year} 年度报告，而本报告是 {report.year} 年度，未做跨年核对。"
        out.append(_warn("X-YEAR", "overview", message))
        return
    last = _Sheet(previous)
    mismatched = False
    for col, _, _ in form.T3_COLUMNS:
        here, there = form.t3_cell(form.T3_CARRIED_OVER, col), form.t3_cell(form.T3_CARRIED_FORWARD, col)
        if sheet.num[here] == last.num[there] or (col == "total" and mismatched):
            continue
        mismatched = True
        message = (
            f"{form.cell_name(here)} 为 {_fmt(sheet.num[here])}，但 {previous.year} 年报告的"
            f"{form.t3_row_name(form.T3_CARRIED_FORWARD)} {form.T3_COLUMN_NAME[col]} 为 {_fmt(last.num[there])}，"
            f"相差 {_fmt(abs(sheet.num[here] - last.num[there]))} 件。"
        )
        out.append(_err("X-CARRY", _T3, message, (here,)))
    for row in _ITEM1.rows:
        issued, abolished, in_force = (form.t2_cell(row.id, c) for c, _ in _ITEM1.columns)
        before = last.num[in_force]
        expected = before + sheet.num[issued] - sheet.num[abolished]
        if abs(sheet.num[in_force] - expected) < 1e-9:
            continue
        message = (
            f"表二 {row.label} {_IN_FORCE} {_fmt(sheet.num[in_force])}，但按上年{_IN_FORCE} {_fmt(before)} + "
            f"{_ISSUED} {_fmt(sheet.num[issued])} − {_ABOLISHED} {_fmt(sheet.num[abolished])} 应为 "
            f"{_fmt(expected)}（如有文件失效或修订，可忽略）。"
        )
        out.append(_warn("T2-STOCK", "proactive", message, (in_force, issued, abolished)))
    for section, ratio in narrative.s_copy_findings(report, previous):
        heading = form.SECTION_BY_ID[section].heading
        message = f"「{heading}」有 {ratio:.0%} 的文字与 {previous.year} 年报告相同，请按本年实际情况改写。"
        out.append(_warn("S-COPY", section, message))


# ---------------------------------------------------------------- narrative
_SPACE = re.compile(r"[ \t\u3000\xa0]+")
_CLAUSE = re.compile(r"[^，,。；;！!？?\n]+")
_COUNT = re.compile(r"([0-9０-９]+|[零〇一二两三四五六七八九十百千]+)(?:件|起|宗|例)(?!事)")
# Topics a number can be about, most specific first; a match masks its span for the later ones.
_TOPICS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern))
    for name, pattern in (
        ("lawsuit_after_review", r"复议后(?:提起)?(?:行政)?(?:诉讼|起诉)"),
        ("lawsuit_direct", r"直接(?:提起)?(?:行政)?(?:诉讼|起诉)|未经复议"),
        ("review", r"复议(?!后)"),
        ("lawsuit", r"诉讼|起诉"),
        ("carried_forward", r"结转(?:至|到|入)?(?:下一?|\d{4})年度?|转入下一?年度?"),
        ("carried_over", r"(?:上一?|\d{4})年度?结转|结转上一?年度?"),
        ("partly_disclosed", r"部分公开"),
        ("denied", r"不予公开"),
        ("disclosed", r"予以公开|同意公开"),
        ("unable", r"无法提供"),
        ("not_processed", r"不予处理"),
        ("fee_unpaid", r"逾期未(?:按收费通知要求)?缴|未缴(?:纳)?(?:费|处理费)"),
        ("no_correction", r"不补正"),
        ("other", r"其他处理"),
        ("finished", r"办结|办理完毕"),
        ("requests", r"新收|(?<!的)申请(?!人|公开)"),  # "…的申请" is a subset (by subject, by outcome)
    )
)
_GENERIC = ("finished", "requests")
# Words that make a count a breakdown (by applicant, channel, result) or a comparison: not checked.
_BREAKDOWN = re.compile(
    r"自然人|法人|企业|科研机构|公益组织|法律服务机构|其他组织|网上|网络|线上|线下|当面|现场|信函|邮寄|邮件|传真|"
    r"电话|书面|口头|维持|纠正|审结|其他结果|同比|较上年|增加|减少|增长|下降"
)
_ITEM_BREAK = re.compile(r"[、和及与（(0-9０-９]")  # "3件予以公开、2件…": a trailing topic ends at the next item
_NEW_ONLY = re.compile(r"新收|新增|本年新")
_NONE = re.compile(
    r"(?:未|没有)(?:新收|发生|收到|接到|受理|接收|出现|产生|有|涉及|被)|均无|均未|[：:]无$"
    r"|无(?=(?:政府信息公开|依申请公开|信息公开|相关)?的?(?:行政复议|行政诉讼|复议|诉讼|申请))"
)
_CLAIM = re.compile(r"(?:发生|提起|被申请|收到|受理|涉及|引发)[^，。；]{0,12}?(?:行政复议|行政诉讼|复议(?!后)|诉讼)")
_HYPOTHETICAL = re.compile(r"如|若|防止|避免|减少|杜绝|预防|防范|确保|降低|以免")
_ALL_DONE = re.compile(
    r"(?<![未尚没])(?:均|全部|都)(?:已经?)?(?:按时|按期|依法|及时|在法定期限内)*(?:办结|办理完毕|处理完毕|答复)"
    r"|已全部(?:按时|按期|依法)?(?:办结|办理完毕|答复)"
)
_FEE_WORDS = re.compile(r"收费|处理费|缴费|缴纳")
_FEE_SECTION = re.compile(r"处理费")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
_PLAN_YEAR = re.compile(
    r"(?<!\d)((?:19|20)\d{2})年度?[，,]?[^，,。；;！!？?：:\n]{0,12}?(?:将|计划|拟|(?<![主重需只必])要)"
)


def _count(text: str) -> int | None:
    if text.isdigit():
        return int(text)
    import cn2an  # slow to import; only needed when a report writes numbers in Chinese

    try:
        return int(cn2an.cn2an(text, "smart"))
    except (ValueError, KeyError):
        return None


def _topics(text: str) -> list[str]:
    found: list[str] = []
    for name, pattern in _TOPICS:
        if pattern.search(text):
            found.append(name)
            text = pattern.sub("□", text)
    return found


_Fact = tuple[Number, str, tuple[str, ...]]


def _facts(sheet: _Sheet) -> dict[str, _Fact]:
    """Topic -> (the table's figure, how the table names it, its cells)."""

    def fact(name: str, cells: tuple[str, ...]) -> _Fact:
        return sheet.total(cells), f"{name} 总计", cells

    def t3(row: str) -> _Fact:
        return fact(f"表三 {form.t3_row_name(row)}", (form.t3_cell(row, "total"),))

    facts = {"requests": t3(form.T3_NEW), "carried_over": t3(form.T3_CARRIED_OVER)}
    facts |= {"finished": t3(form.T3_RESULTS_TOTAL), "carried_forward": t3(form.T3_CARRIED_FORWARD)}
    for group in form.T3_RESULT_GROUPS:
        rows = [f"results.{group.id}.{item}" for item, _ in group.items] or [f"results.{group.id}"]
        facts[group.id] = fact(f"表三 {group.label}", tuple(form.t3_cell(r, "total") for r in rows))
    for row in ("results.other.fee_unpaid", "results.other.no_correction"):
        facts[row.rsplit(".", 1)[1]] = t3(row)
    for group, _ in form.T4_GROUPS:
        facts[group] = fact(f"表四 {form.T4_GROUP_NAME[group]}", (form.t4_cell(group, "total"),))
    lawsuits = (form.t4_cell("lawsuit_direct", "total"), form.t4_cell("lawsuit_after_review", "total"))
    facts["lawsuit"] = fact(f"表四 {form.T4_LITIGATION_HEADER}", lawsuits)
    return facts


def _quote(text: str) -> str:
    return f"“{text if len(text) <= 30 else text[:29] + '…'}”"


def _number_findings(heading: str, section: str, clause: str, facts: dict[str, _Fact], out: list[Finding]) -> None:
    matches = list(_COUNT.finditer(clause))
    for i, match in enumerate(matches):
        # A count belongs to the words just before it, else (as in "3件予以公开") just after it.
        lead = clause[matches[i - 1].end() if i else 0 : match.start()]
        trail = _ITEM_BREAK.split(clause[match.end() :], maxsplit=1)[0]
        if _BREAKDOWN.search(lead):
            continue
        topics = _topics(lead) or ([] if _BREAKDOWN.search(trail) else _topics(trail))
        specific = [t for t in topics if t not in _GENERIC]
        if len(specific) > 1 and not re.search(r"均|都|各", lead):
            continue  # several topics, one number: ambiguous
        chosen = specific or topics[:1]
        stated = _count(match.group(1))
        if stated is None:
            continue
        for topic in chosen:
            value, name, cells = facts[topic]
            accepted = {value}
            if topic == "requests" and not _NEW_ONLY.search(clause):
                accepted.add(value + facts["carried_over"][0])  # 共收到 often includes carried-over ones
            if stated in accepted:
                continue
            rule = "TX-ZERO" if not any(accepted) else "TX-NUM"
            message = f"{heading} 写{_quote(clause)}（{stated} 件），但{name}为 {_fmt(value)} 件。"
            out.append(_err(rule, section, message, cells))


def _claim_findings(heading: str, section: str, clause: str, facts: dict[str, _Fact], out: list[Finding]) -> None:
    if _COUNT.search(clause):
        return  # counts are checked by _number_findings
    claims: list[tuple[str, bool]] = []
    if _NONE.search(clause):
        topics = [t for t in _topics(clause) if t in ("review", "lawsuit", "lawsuit_direct", "lawsuit_after_review")]
        if not topics and re.search(r"申请(?!人)", clause):
            topics = ["requests"]
        claims = [(t, False) for t in topics]
    elif (claim := _CLAIM.search(clause)) and not _HYPOTHETICAL.search(clause):
        claims = [(t, True) for t in _topics(claim.group()) if t != "requests"]
    for topic, positive in claims:
        value, name, cells = facts[topic]
        if topic == "requests" and not re.search(r"收到|接到|受理|接收|新收", clause):
            value += facts["carried_over"][0]  # "依申请公开：无" means nothing to handle at all
            name += "（含上年结转）"
        if bool(value) != positive:
            message = f"{heading} 写{_quote(clause)}，但{name}为 {_fmt(value)} 件。"
            out.append(_err("TX-ZERO", section, message, cells))
    if _ALL_DONE.search(clause) and facts["carried_forward"][0]:
        value, name, cells = facts["carried_forward"]
        message = f"{heading} 写{_quote(clause)}，但{name}为 {_fmt(value)} 件，并非全部办结。"
        out.append(_err("TX-ZERO", section, message, cells))


def _text_checks(report: Report, sheet: _Sheet, out: list[Finding]) -> None:
    texts = {s: _SPACE.sub("", section_text(report, s)) for s in form.NARRATIVE_SECTIONS}
    facts = _facts(sheet)
    for section, text in texts.items():
        heading = form.SECTION_BY_ID[section].heading
        for clause in _CLAUSE.findall(text):
            _number_findings(heading, section, clause, facts, out)
            _claim_findings(heading, section, clause, facts, out)
    other = form.SECTION_BY_ID["other"].heading
    for section in ("overview", "problems", "other"):
        if not texts[section]:
            extra = "，至少应写明信息处理费的收取情况" if section == "other" else ""
            out.append(_warn("S-EMPTY", section, f"{form.SECTION_BY_ID[section].heading} 还没有内容{extra}。"))
    if texts["other"] and not _FEE_SECTION.search(texts["other"]):
        out.append(_warn("S-FEE", "other", f"{other} 没有说明信息处理费的收取情况（如“本年度未收取信息处理费”）。"))
    unpaid = form.t3_cell("results.other.fee_unpaid", "total")
    if sheet.num[unpaid] > 0 and not _FEE_WORDS.search(texts["other"]):
        message = f"{form.cell_name(unpaid)} 为 {_fmt(sheet.num[unpaid])}，说明发过收费通知，但{other} 未提到收费。"
        out.append(_warn("T3-FEE", "other", message, (unpaid,)))
    for year in {int(y) for y in _YEAR.findall(report.title)} - {report.year}:
        message = f"标题中的年份 {year} 与统计年度 {report.year} 不一致。"
        out.append(_warn("S-YEAR", TITLE_SECTION, message))
    for match in _PLAN_YEAR.finditer(texts["problems"]):
        if int(match.group(1)) <= report.year:
            message = (
                f"{form.SECTION_BY_ID['problems'].heading} 写{_quote(match.group())}，但这是 {report.year} 年度报告，"
                f"改进计划应针对 {report.year + 1} 年（是否沿用了旧报告？）。"
            )
            out.append(_warn("S-YEAR", "problems", message))


# ---------------------------------------------------------------- entry point
def run_checks(report: Report, previous: Report | None = None) -> list[Finding]:
    """Every finding about ``report``: errors first, then in the order of the report's sections."""
    sheet = _Sheet(report)
    out: list[Finding] = []
    _t2_checks(report, sheet, out)
    _num_checks(sheet, out)
    _table_checks(sheet, out)
    if previous is not None:
        _cross_year_checks(report, sheet, previous, out)
    after_review, review = (sheet.num[form.t4_cell(g, "total")] for g in ("lawsuit_after_review", "review"))
    if after_review > 0 and review == 0:
        message = (
            f"{form.cell_name(form.t4_cell('lawsuit_after_review', 'total'))} 为 {_fmt(after_review)}，"
            f"但{form.cell_name(form.t4_cell('review', 'total'))} 为 0：复议后起诉的案件通常先有行政复议。"
        )
        cells = (form.t4_cell("lawsuit_after_review", "total"), form.t4_cell("review", "total"))
        out.append(_warn("T4-PLAUS", _T4, message, cells))
    _blank_checks(sheet, out)
    _text_checks(report, sheet, out)
    out.sort(key=lambda f: (f.level != "error", _SECTION_ORDER.get(f.section, len(_SECTION_ORDER))))
    return out
