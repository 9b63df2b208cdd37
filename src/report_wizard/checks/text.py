"""Text against tables: numbers and 「无」 claims in the narrative (TX-NUM, TX-ZERO),
and what the sections must say (S-EMPTY, S-FEE, T3-FEE, S-YEAR).
"""

from __future__ import annotations

import re

from report_wizard.checks.findings import (
    TITLE_SECTION,
    Finding,
    Sheet,
    err,
    fmt,
    warn,
)
from report_wizard.core import form
from report_wizard.core.form import CellId
from report_wizard.core.model import Number, Report
from report_wizard.narrative.paragraphs import section_text

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
_ITEM_BREAK = re.compile(
    r"[、和与（(0-9０-９]|(?<![涉危普])及(?!时)"
)  # "3件予以公开、2件…": a trailing topic ends at the next item
_NEW_ONLY = re.compile(r"新收|新增|本年新")
_NONE = re.compile(
    r"(?:未|没有)(?:新收|发生|收到|接到|受理|接收|出现|产生|有|涉及|被)|均无|均未|[：:]无$"
    r"|无(?=(?:政府信息公开|依申请公开|信息公开|相关)?的?(?:行政复议|行政诉讼|复议|诉讼|申请))"
)
_CLAIM = re.compile(r"(?:发生|提起|被申请|收到|受理|涉及|引发)[^，。；]{0,12}?(?:行政复议|行政诉讼|复议(?!后)|诉讼)")
_HYPOTHETICAL = re.compile(r"如|若|防止|避免|减少|杜绝|预防|防范|确保|降低|以免")
_ALL_DONE = re.compile(
    r"(?<![未尚没])(?:均|全部|都)(?:已经?)?(?:按时|按期|依法|及时|在法定期限内)*"
    r"(?:办结|办理完毕|办理完成|处理完毕|处理完成|答复完毕|答复)"
    r"|已全部(?:按时|按期|依法)?(?:办结|办理完毕|办理完成|答复)|办结率(?:达到?|为)?100(?:%|％)"
)
# 「均在法定期限内答复」 says the answers given were on time, not that every request was finished.
_ON_TIME_ANSWER = re.compile(r"^[^已]*(?:按时|按期|及时|在法定期限内)(?:依法)?答复$")  # 均已按时答复: done
# 「未发生…被行政复议纠错或行政诉讼败诉」 denies an outcome of the cases, not that there were any.
_OUTCOME = re.compile(r"纠错|纠正|败诉|撤销|确认违法|认定违法")
_FEE_WORDS = re.compile(r"收费|处理费|缴费|缴纳")
# The fee sentence in any wording: 未收取信息处理费, 没有产生相关费用, 未收费, 不收取任何费用.
_FEE_SECTION = re.compile(r"处理费|(?:收取|收|缴纳|产生|发生)[^，,。；;]{0,8}?费|费用")
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


_Fact = tuple[Number, str, tuple[CellId, ...]]


def _facts(sheet: Sheet) -> dict[str, _Fact]:
    """Topic -> (the table's figure, how the table names it, its cells)."""

    def fact(name: str, cells: tuple[CellId, ...]) -> _Fact:
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
    for t4_group, _ in form.T4_GROUPS:
        facts[t4_group] = fact(f"表四 {form.T4_GROUP_NAME[t4_group]}", (form.t4_cell(t4_group, "total"),))
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
        stated = _count(match.group(1))
        if stated is None:
            continue
        if len(specific) > 1 and _sum_of_outcomes(lead, specific):
            # 「予以公开及部分公开42件」: one number for the outcome rows named together, checked against their sum
            value = sum(facts[t][0] for t in specific)
            if stated != value:
                names = " + ".join(
                    f"{facts[t][1].removesuffix(' 总计')} {fmt(facts[t][0])}" for t in reversed(specific)
                )
                message = f"{heading} 写{_quote(clause)}（{stated} 件），但{names} = {fmt(value)} 件。"
                out.append(err("TX-NUM", section, message, tuple(c for t in specific for c in facts[t][2])))
            continue
        if len(specific) > 1 and not re.search(r"均|都|各", lead):
            continue  # several topics, one number: ambiguous
        chosen = specific or topics[:1]
        for topic in chosen:
            value, name, cells = facts[topic]
            accepted = {value}
            if topic == "requests" and not _NEW_ONLY.search(clause):
                accepted.add(value + facts["carried_over"][0])  # 共收到 often includes carried-over ones
            if stated in accepted:
                continue
            rule = "TX-ZERO" if not any(accepted) else "TX-NUM"
            message = f"{heading} 写{_quote(clause)}（{stated} 件），但{name}为 {fmt(value)} 件。"
            out.append(err(rule, section, message, cells))


_OUTCOME_GROUPS = frozenset(g.id for g in form.T3_RESULT_GROUPS)
_JOINED = re.compile(r"(?:予以公开|部分公开|不予公开|无法提供|不予处理|其他处理)(?:及|和|与|、|以及)")


def _sum_of_outcomes(lead: str, topics: list[str]) -> bool:
    """Outcome rows named together with 及/和/与/、 before one number (not 「均」: each got that number)."""
    return set(topics) <= _OUTCOME_GROUPS and bool(_JOINED.search(lead)) and not re.search(r"均|都|各", lead)


def _claim_findings(heading: str, section: str, clause: str, facts: dict[str, _Fact], out: list[Finding]) -> None:
    if _COUNT.search(clause):
        return  # counts are checked by _number_findings
    claims: list[tuple[str, bool]] = []
    if _NONE.search(clause):
        topics = [t for t in _topics(clause) if t in ("review", "lawsuit", "lawsuit_direct", "lawsuit_after_review")]
        if topics and _OUTCOME.search(clause):
            topics = ["outcome"]  # how cases ended (none 纠错, none lost), not whether there were cases
        if not topics and re.search(r"申请(?!人)", clause):
            topics = ["requests"]
        claims = [(t, False) for t in topics if t != "outcome"]
    elif (claim := _CLAIM.search(clause)) and not _HYPOTHETICAL.search(clause):
        claims = [(t, True) for t in _topics(claim.group()) if t != "requests"]
    for topic, positive in claims:
        value, name, cells = facts[topic]
        if topic == "requests" and not re.search(r"收到|接到|受理|接收|新收", clause):
            value += facts["carried_over"][0]  # "依申请公开：无" means nothing to handle at all
            name += "（含上年结转）"
        if bool(value) != positive:
            message = f"{heading} 写{_quote(clause)}，但{name}为 {fmt(value)} 件。"
            out.append(err("TX-ZERO", section, message, cells))
    done = _ALL_DONE.search(clause)
    if done and not _ON_TIME_ANSWER.search(done.group()) and facts["carried_forward"][0]:
        value, name, cells = facts["carried_forward"]
        message = f"{heading} 写{_quote(clause)}，但{name}为 {fmt(value)} 件，并非全部办结。"
        out.append(err("TX-ZERO", section, message, cells))


def text_checks(report: Report, sheet: Sheet, out: list[Finding]) -> None:
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
        if int(match.group(1)) <= report.year:
            message = (
                f"{form.SECTION_BY_ID['problems'].heading} 写{_quote(match.group())}，但这是 {report.year} 年度报告，"
                f"改进计划应针对 {report.year + 1} 年（是否沿用了旧报告？）。"
            )
            out.append(warn("S-YEAR", "problems", message))
