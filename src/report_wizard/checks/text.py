"""Text against tables: numbers and 「无」 claims in the narrative (TX-NUM, TX-ZERO),
and what the sections must say (S-EMPTY, S-FEE, T3-FEE, S-YEAR).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from report_wizard.checks import grammar
from report_wizard.checks.findings import (
    TITLE_SECTION,
    Finding,
    Sheet,
    err,
    fmt,
    warn,
)
from report_wizard.checks.grammar import Claim, Partition
from report_wizard.core import form
from report_wizard.core.form import CellId
from report_wizard.core.model import Number, Report
from report_wizard.narrative.paragraphs import section_text

# ---------------------------------------------------------------- narrative
_SPACE = re.compile(r"[ \t\u3000\xa0]+")
_FEE_WORDS = re.compile(r"收费|处理费|缴费|缴纳")
# The fee sentence in any wording: 未收取信息处理费, 没有产生相关费用, 未收费, 不收取任何费用.
_FEE_SECTION = re.compile(r"处理费|(?:收取|收|缴纳|产生|发生)[^，,。；;]{0,8}?费|费用")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d{2})(?!\d)")
# 「2023年，我区将…」, also with the year in Chinese digits (二〇二三年, 二○二三年), as formal reports write it
_PLAN_YEAR = re.compile(
    r"(?<![\d〇○零一二三四五六七八九])((?:19|20)\d{2}|二[〇○零][〇○零一二三四五六七八九]{2})"
    r"年度?[，,]?[^，,。；;！!？?：:\n]{0,12}?(?:将|计划|拟|(?<![主重需只必])要)"
)
_CN_DIGITS = str.maketrans("〇○零一二三四五六七八九", "000123456789")
_MAX_READINGS = 4096  # ambiguous cells summed together: past this many readings the figure is not judged


@dataclass(frozen=True)
class _Fact:
    """A figure of the tables a sentence can speak of: its value, how it is named, its cells, and when some of
    the cells are ambiguous every value the readings allow (the text must say one of them)."""

    value: Number
    name: str
    cells: tuple[CellId, ...]
    readings: frozenset[Number] | None = None


def _readings(report: Report, cells: tuple[CellId, ...], sheet: Sheet) -> frozenset[Number] | None:
    if not any(c in report.ambiguous for c in cells) or any(c in report.missing for c in cells):
        return None
    sums: set[Number] = {0}
    for cell in cells:
        options = report.ambiguous.get(cell, (sheet.num[cell],))
        sums = {s + v for s in sums for v in options}
        if len(sums) > _MAX_READINGS:
            return None
    return frozenset(sums)


def _facts(report: Report, sheet: Sheet) -> dict[str, _Fact]:
    """Topic (grammar.TOPICS) -> the table's figure."""

    def fact(name: str, cells: tuple[CellId, ...]) -> _Fact:
        return _Fact(sheet.total(cells), f"{name} 总计", cells, _readings(report, cells, sheet))

    def t3(row: str) -> _Fact:
        return fact(f"表三 {form.t3_row_name(row)}", (form.t3_cell(row, "total"),))

    facts = {"requests": t3(form.T3_NEW), "carried_over": t3(form.T3_CARRIED_OVER)}
    facts |= {"finished": t3(form.T3_RESULTS_TOTAL), "carried_forward": t3(form.T3_CARRIED_FORWARD)}
    for group in form.T3_RESULT_GROUPS:
        rows = [f"results.{group.id}.{item}" for item, _ in group.items] or [f"results.{group.id}"]
        facts[group.id] = fact(f"表三 {group.label}", tuple(form.t3_cell(r, "total") for r in rows))
    for row in ("results.other.fee_unpaid", "results.other.no_correction"):
        facts[row.rsplit(".", 1)[1]] = t3(row)
    for t4_group, _ in form.T4_GROUPS:
        facts[t4_group] = fact(f"表四 {form.T4_GROUP_NAME[t4_group]}", (form.t4_cell(t4_group, "total"),))
    lawsuits = (form.t4_cell("lawsuit_direct", "total"), form.t4_cell("lawsuit_after_review", "total"))
    facts["lawsuit"] = fact(f"表四 {form.T4_LITIGATION_HEADER}", lawsuits)
    documents = form.T2_BLOCKS[0].rows[1].id  # 行政规范性文件
    for column, _ in form.T2_BLOCKS[0].columns:
        cell = form.t2_cell(documents, column)
        facts[f"t2_{column}"] = _Fact(sheet.num[cell], form.cell_name(cell), (cell,), _readings(report, (cell,), sheet))
    return facts


def _quote(text: str) -> str:
    return f"“{text if len(text) <= 30 else text[:29] + '…'}”"


def _against(fact: _Fact, stated: int, also: Number | None = None) -> tuple[str, tuple[CellId, ...]] | None:
    """Why ``stated`` is not the table's figure (None when it is): a message tail and the cells to name."""
    if fact.readings is not None:
        if stated in fact.readings or (also is not None and any(stated - also == r for r in fact.readings)):
            return None
        shown = "、".join(fmt(v) for v in sorted(fact.readings)[:6]) + ("…" if len(fact.readings) > 6 else "")
        # no cell named: the finding stands although the cells have no settled value (run_checks drops those)
        return f"但{fact.name.removesuffix(' 总计')}连写的数字无论怎样拆分（{shown}）都不是 {stated} 件。", ()
    accepted = {fact.value} | ({fact.value + also} if also is not None else set())
    if stated in accepted:
        return None
    return f"但{fact.name}为 {fmt(fact.value)} 件。", fact.cells


def _claim_findings(heading: str, section: str, claim: Claim, facts: dict[str, _Fact], out: list[Finding]) -> None:
    clause = claim.clause
    if claim.kind == "sum":
        parts = [facts[t] for t in claim.topics]
        value = sum(f.value for f in parts)
        if claim.value != value and all(f.readings is None for f in parts):
            names = " + ".join(f"{f.name.removesuffix(' 总计')} {fmt(f.value)}" for f in reversed(parts))
            message = f"{heading} 写{_quote(clause)}（{claim.value} 件），但{names} = {fmt(value)} 件。"
            out.append(err("TX-NUM", section, message, tuple(c for f in parts for c in f.cells)))
        return
    (topic,) = claim.topics
    fact = facts[topic]
    carried = facts["carried_over"].value
    if claim.kind == "count" and claim.value is not None:
        # 共收到 often includes the carried-over ones; 新收 never does; 「含上年结转」 always does
        also = carried if topic == "requests" and claim.scope != "new" else None
        if topic == "requests" and claim.scope == "all":
            fact = _Fact(
                fact.value + carried, "表三 本年新收与上年结转合计", (*fact.cells, *facts["carried_over"].cells)
            )
            also = None
        why = _against(fact, claim.value, also)
        if why is not None:
            zero = fact.readings is None and not fact.value and not (also or 0)
            rule = "TX-ZERO" if zero else "TX-NUM"  # a count of what the tables show as none
            out.append(err(rule, section, f"{heading} 写{_quote(clause)}（{claim.value} 件），{why[0]}", why[1]))
    elif claim.kind in ("none", "some"):
        value, name = fact.value, fact.name
        if topic == "requests" and claim.scope == "all":
            value += carried  # "依申请公开：无" means nothing to handle at all
            name += "（含上年结转）"
        if bool(value) != (claim.kind == "some"):
            out.append(
                err("TX-ZERO", section, f"{heading} 写{_quote(clause)}，但{name}为 {fmt(value)} 件。", fact.cells)
            )
    elif claim.kind == "all_done" and fact.value:
        message = f"{heading} 写{_quote(clause)}，但{fact.name}为 {fmt(fact.value)} 件，并非全部办结。"
        out.append(err("TX-ZERO", section, message, fact.cells))


def _partition_findings(heading: str, section: str, part: Partition, out: list[Finding]) -> None:
    if part.stated == part.parts:
        return
    whole = f"{part.whole.value} 件" + (f"（另有上年结转 {part.carried.value} 件）" if part.carried else "")
    message = (
        f"{heading} 写{_quote(part.sentence)}：共 {whole}，但办结 {part.finished.value} 件与尚在办理 "
        f"{part.pending.value} 件合计 {part.parts} 件，前后不一致（相差 {abs(part.stated - part.parts)} 件）。"
    )
    out.append(err("TX-NUM", section, message))


def text_checks(report: Report, sheet: Sheet, out: list[Finding]) -> None:
    texts = {s: _SPACE.sub("", section_text(report, s)) for s in form.NARRATIVE_SECTIONS}
    facts = _facts(report, sheet)
    for section, text in texts.items():
        heading = form.SECTION_BY_ID[section].heading
        for sentence in grammar.SENTENCE.findall(text):
            claims, partition = grammar.parse_sentence(sentence)
            for claim in claims:
                _claim_findings(heading, section, claim, facts, out)
            if partition is not None:
                _partition_findings(heading, section, partition, out)
    other = form.SECTION_BY_ID["other"].heading
    for section in ("overview", "problems", "other"):
        if not texts[section]:
            extra = "，至少应写明信息处理费的收取情况" if section == "other" else ""
            out.append(warn("S-EMPTY", section, f"{form.SECTION_BY_ID[section].heading} 还没有内容{extra}。"))
    if texts["other"] and not _FEE_SECTION.search(texts["other"]):
        out.append(warn("S-FEE", "other", f"{other} 没有说明信息处理费的收取情况（如“本年度未收取信息处理费”）。"))
    unpaid = form.t3_cell("results.other.fee_unpaid", "total")
    if sheet.num[unpaid] > 0 and not _FEE_WORDS.search(texts["other"]):
        message = f"{form.cell_name(unpaid)} 为 {fmt(sheet.num[unpaid])}，说明发过收费通知，但{other} 未提到收费。"
        out.append(warn("T3-FEE", "other", message, (unpaid,)))
    for year in {int(y) for y in _YEAR.findall(report.title)} - {report.year}:
        message = f"标题中的年份 {year} 与统计年度 {report.year} 不一致。"
        out.append(warn("S-YEAR", TITLE_SECTION, message))
    for match in _PLAN_YEAR.finditer(texts["problems"]):
        if int(match.group(1).translate(_CN_DIGITS)) <= report.year:
            message = (
                f"{form.SECTION_BY_ID['problems'].heading} 写{_quote(match.group())}，但这是 {report.year} 年度报告，"
                f"改进计划应针对 {report.year + 1} 年（是否沿用了旧报告？）。"
            )
            out.append(warn("S-YEAR", "problems", message))
