"""Every rule of checks.py: a report that breaks it, and one that passes it."""

from __future__ import annotations

import dataclasses
import random
import tomllib

import pytest

from helpers import CLEAN_TEXT, FIXTURES, report_of
from report_wizard.checks import RULES, Finding, has_errors, run_checks
from report_wizard.core import form
from report_wizard.core.model import Block, Meta, Report, Session, derive_report

NP, CE, TOT = "natural_person", "commercial", "total"


def t3(row: str, column: str = NP) -> str:
    return form.t3_cell(row, column)


def of(findings: list[Finding], rule: str) -> list[Finding]:
    return [f for f in findings if f.rule == rule]


def rules(findings: list[Finding]) -> set[str]:
    return {f.rule for f in findings}


# A small, balanced table 三: 5 natural-person requests, 3 disclosed, 1 denied, 1 carried forward.
BALANCED = {
    t3("new_requests"): 5,
    t3("results.disclosed"): 3,
    t3("results.denied.state_secret"): 1,
    t3("carried_forward"): 1,
}


# ---------------------------------------------------------------- seed and fixture
def _seed_report() -> Report:
    """The seed report as a session: all-zero tables and its own text, section by section."""
    lines = [ln.strip() for ln in (FIXTURES / "seed-xidajie-2023.txt").read_text(encoding="utf-8").splitlines()]
    lines = [ln for ln in lines if ln]
    headings = {s.heading: s.id for s in form.SECTIONS}
    narrative: dict[str, list[Block]] = {}
    current = None
    for line in lines[1:]:
        if line in headings:
            current = headings[line]
        elif current in form.NARRATIVE_SECTIONS:
            narrative.setdefault(current, []).append(Block(text=line))
    session = Session(meta={"agency": "西大街街道", "year": 2023, "title": lines[0]}, narrative=narrative)
    return derive_report(session)


def test_seed_report_passes_every_check() -> None:
    report = _seed_report()
    assert "依申请公开办理情况：无" in "".join(b.text for b in report.narrative["overview"])
    assert run_checks(report) == []


def test_seed_text_with_requests_in_the_table_is_caught() -> None:
    seed = _seed_report()
    report = dataclasses.replace(seed, values=seed.values | {t3("new_requests", TOT): 2})
    found = of(run_checks(report), "TX-ZERO")
    assert found and "依申请公开办理情况：无" in found[0].message and found[0].section == "overview"


def test_published_report_with_blank_total_finds_exactly_t3_row() -> None:
    with open(FIXTURES / "erdao-2022-row-total.toml", "rb") as fh:
        session = Session.model_validate(tomllib.load(fh))
    findings = run_checks(derive_report(session))
    assert [f.rule for f in findings] == ["T3-ROW"]
    (finding,) = findings
    assert finding.level == "error" and has_errors(findings)
    assert "予以公开" in finding.message and "18" in finding.message and "为空" in finding.message
    assert finding.cells[0] == "t3.results.disclosed.total" and finding.section == "requests"


# ---------------------------------------------------------------- table 三 and 四 sums
def test_normal_session_holds_every_sum_by_construction() -> None:
    assert run_checks(report_of(BALANCED)) == []


def test_t3_row_declared_total_differs_from_parts() -> None:
    cells = BALANCED | {t3("new_requests", CE): 8, t3("carried_forward", CE): 8}
    ok = report_of(cells, declared={t3("new_requests", TOT): 13})
    assert not of(run_checks(ok), "T3-ROW")
    bad = report_of(cells, declared={t3("new_requests", TOT): 12})
    (finding,) = of(run_checks(bad), "T3-ROW")
    assert finding.message == (
        "表三 一、本年新收政府信息公开申请数量 行："
        "各类申请人合计 13（自然人 5 + 商业企业 8），但总计栏为 12，相差 1 件。"
    )


def test_t3_row_blank_total_of_an_all_zero_row_is_only_a_blank_warning() -> None:
    findings = run_checks(report_of(BALANCED, declared={t3("results.partly_disclosed", TOT): "/"}))
    assert rules(findings) == {"S-BLANK"}
    assert findings[0].level == "warning" and findings[0].cells == (t3("results.partly_disclosed", TOT),)


def test_t3_sum_declared_results_total() -> None:
    bad = report_of(BALANCED, declared={t3("results.total"): 5, t3("results.total", TOT): 4})
    (finding,) = of(run_checks(bad), "T3-SUM")
    assert finding.message == "表三 自然人列：各项办理结果合计 4，但（七）总计为 5，相差 1 件。"
    blank = report_of(BALANCED, declared={t3("results.total"): ""})
    (finding,) = of(run_checks(blank), "T3-SUM")
    assert finding.message.endswith("（七）总计为空。") and "S-BLANK" not in rules(run_checks(blank))
    assert not of(run_checks(report_of(BALANCED, declared={t3("results.total"): 4})), "T3-SUM")


def test_t3_sum_checks_the_total_column_too() -> None:
    (finding,) = of(run_checks(report_of(BALANCED, declared={t3("results.total", TOT): 3})), "T3-SUM")
    assert finding.message.startswith("表三 总计列") and "相差 1 件" in finding.message


def test_t3_bal_is_the_live_check() -> None:
    cells = BALANCED | {t3("results.denied.state_secret"): 0}
    findings = run_checks(report_of(cells))
    assert [f.rule for f in findings] == ["T3-BAL"]  # the 总计 column's echo is not repeated
    assert (
        findings[0].message
        == "表三 自然人列：新收 5 + 上年结转 0 = 5，但办理结果总计 3 + 结转下年度 1 = 4，相差 1 件。"
    )
    assert findings[0].cells == tuple(
        t3(r) for r in ("new_requests", "carried_over", "results.total", "carried_forward")
    )


def test_t3_bal_in_every_column() -> None:
    cells = BALANCED | {t3("new_requests", c): 2 for c in form.T3_PART_COLUMNS if c != NP}
    messages = [f.message for f in run_checks(report_of(cells)) if f.rule == "T3-BAL"]
    assert len(messages) == 5 and any(m.startswith("表三 其他法人或其他组织列") for m in messages)


def test_t3_bal_reports_a_declared_total_column() -> None:
    findings = run_checks(report_of(BALANCED, declared={t3("carried_forward", TOT): 2}))
    assert {"T3-ROW", "T3-BAL"} <= rules(findings)
    assert any(f.message.startswith("表三 总计列") for f in of(findings, "T3-BAL"))


def test_t4_sum() -> None:
    cells = {form.t4_cell("review", "upheld"): 1, form.t4_cell("review", "pending"): 1}
    assert not of(run_checks(report_of(cells, declared={form.t4_cell("review", "total"): 2})), "T4-SUM")
    (finding,) = of(run_checks(report_of(cells, declared={form.t4_cell("review", "total"): 3})), "T4-SUM")
    assert finding.message == "表四 行政复议：各项结果合计 2（结果维持 1 + 尚未审结 1），但总计栏为 3，相差 1 件。"
    assert finding.section == "review_litigation" and finding.level == "error"


# ---------------------------------------------------------------- NUM
@pytest.mark.parametrize(
    ("cell", "value", "words"),
    [
        (t3("new_requests", TOT), -1, "不能为负数"),
        (t3("results.disclosed", TOT), 2.5, "应为整数"),
        (form.t2_cell("fees", "amount"), -0.5, "不能为负数"),
        (t3("carried_over", TOT), "三", "应为数字"),
    ],
)
def test_num_rejects_bad_printed_values(cell: str, value: object, words: str) -> None:
    report = dataclasses.replace(report_of(), declared={cell: value})
    found = of(run_checks(report), "NUM")
    assert (
        found and found[0].cells == (cell,) and words in found[0].message and form.cell_name(cell) in found[0].message
    )


def test_num_accepts_amounts_in_wan_yuan() -> None:
    assert run_checks(report_of({form.t2_cell("fees", "amount"): 1.25})) == []


# ---------------------------------------------------------------- TX-NUM / TX-ZERO
def text_findings(overview: str, cells: dict | None = None) -> list[Finding]:
    report = report_of(BALANCED if cells is None else cells, text={"overview": overview})
    return [f for f in run_checks(report) if f.rule.startswith("TX")]


@pytest.mark.parametrize(
    "overview",
    [
        "本年度共收到政府信息公开申请5件，其中予以公开3件，不予公开1件，结转下年度继续办理1件。",
        "本年新收政府信息公开申请 5 件，予以公开三件。",
        "共收到5件政府信息公开申请，1件结转下年度办理。",
        "收到申请5件，其中自然人申请5件，网上申请2件。",  # breakdowns are not compared
        "本年度未发生政府信息公开行政复议、行政诉讼。",
        "严格按照规定办理，15个工作日内答复。",
        "收到涉及征地拆迁的申请3件，其中本年新收5件、上年结转0件。",  # "…的申请" is a subset
    ],
)
def test_text_that_agrees_with_the_tables(overview: str) -> None:
    assert text_findings(overview) == []


@pytest.mark.parametrize(
    ("overview", "rule", "words"),
    [
        ("本年度共收到政府信息公开申请4件。", "TX-NUM", "一、本年新收政府信息公开申请数量 总计为 5 件"),
        ("新收政府信息公开申请两件。", "TX-NUM", "（2 件）"),
        ("其中予以公开2件。", "TX-NUM", "表三 （一）予以公开 总计为 3 件"),
        ("不予公开2件。", "TX-NUM", "表三 （三）不予公开 总计为 1 件"),
        ("2件结转下年度办理。", "TX-NUM", "四、结转下年度继续办理 总计为 1 件"),
        ("上年结转1件。", "TX-ZERO", "二、上年结转政府信息公开申请数量 总计为 0 件"),
        ("其中本年新收4件、上年结转0件。", "TX-NUM", "一、本年新收政府信息公开申请数量 总计为 5 件"),
        ("因申请人逾期未缴纳费用而不再处理的申请1件。", "TX-ZERO", "2.申请人逾期未按收费通知要求缴纳费用"),
        ("发生行政复议1件。", "TX-ZERO", "表四 行政复议 总计为 0 件"),
        ("行政复议、行政诉讼均为1件。", "TX-ZERO", "表四 行政诉讼 总计为 0 件"),
    ],
)
def test_text_numbers_that_contradict_the_tables(overview: str, rule: str, words: str) -> None:
    found = text_findings(overview)
    assert found and {(f.rule, f.level, f.section) for f in found} == {(rule, "error", "overview")}
    assert any(words in f.message for f in found) and all(f.cells for f in found)


def test_requests_counted_with_carried_over_ones_are_accepted_unless_said_new() -> None:
    cells = BALANCED | {t3("carried_over"): 1, t3("results.disclosed"): 4}
    assert text_findings("共收到政府信息公开申请6件。", cells) == []
    assert text_findings("共收到政府信息公开申请5件。", cells) == []
    assert [f.rule for f in text_findings("本年新收政府信息公开申请6件。", cells)] == ["TX-NUM"]


def test_stated_zero_cases_while_the_table_has_some() -> None:
    cells = BALANCED | {form.t4_cell("lawsuit_direct", "pending"): 1}
    (finding,) = text_findings("行政诉讼0件。", cells)
    assert finding.rule == "TX-NUM" and finding.cells == (
        form.t4_cell("lawsuit_direct", "total"),
        form.t4_cell("lawsuit_after_review", "total"),
    )


@pytest.mark.parametrize(
    ("overview", "cells", "words"),
    [
        ("依申请公开办理情况：无。", BALANCED, "总计（含上年结转）为 5 件"),
        ("本年度未收到政府信息公开申请。", BALANCED, "一、本年新收政府信息公开申请数量 总计为 5 件"),
        ("本年度未新收政府信息公开申请。", BALANCED, "一、本年新收政府信息公开申请数量 总计为 5 件"),
        ("本年度未发生政府信息公开行政复议和行政诉讼。", {form.t4_cell("review", "upheld"): 1}, "行政复议 总计为 1 件"),
        ("无行政诉讼。", {form.t4_cell("lawsuit_after_review", "other"): 1}, "表四 行政诉讼 总计为 1 件"),
        ("今年发生政府信息公开行政复议。", {}, "表四 行政复议 总计为 0 件"),
        ("所有申请均已按时办结。", BALANCED, "并非全部办结"),
    ],
)
def test_words_that_contradict_the_tables(overview: str, cells: dict, words: str) -> None:
    found = text_findings(overview, cells)
    assert [f.rule for f in found] == ["TX-ZERO"] and words in found[0].message


def test_hypothetical_or_unrelated_words_are_not_claims() -> None:
    assert text_findings("如发生行政复议，依法应诉。无法提供的信息及时告知。", {}) == []
    assert (
        text_findings(
            "所有申请均已按时办结。", BALANCED | {t3("carried_forward"): 0, t3("results.partly_disclosed"): 1}
        )
        == []
    )
    assert text_findings("本年度未收到政府信息公开申请。", {}) == []


def test_text_in_other_sections_is_read_too() -> None:
    report = report_of(BALANCED, text={"problems": "一是予以公开2件的答复不够规范。2024年将改进。"})
    (finding,) = of(run_checks(report), "TX-NUM")
    assert finding.section == "problems" and finding.message.startswith("五、存在的主要问题及改进情况")


# ---------------------------------------------------------------- cross-year
def test_x_carry_compares_with_last_years_carried_forward() -> None:
    last = report_of({t3("new_requests"): 2, t3("carried_forward"): 2}, year=2022)
    assert not of(
        run_checks(report_of(BALANCED | {t3("carried_over"): 2, t3("results.disclosed"): 5}), last), "X-CARRY"
    )
    findings = run_checks(report_of(BALANCED), last)
    (finding,) = of(findings, "X-CARRY")  # the 总计 column repeats it, so it is said once
    assert finding.level == "error" and finding.cells == (t3("carried_over"),)
    assert finding.message == (
        "表三 二、上年结转政府信息公开申请数量 自然人 为 0，"
        "但 2022 年报告的四、结转下年度继续办理 自然人 为 2，相差 2 件。"
    )
    assert not of(run_checks(report_of(BALANCED)), "X-CARRY")  # no previous report, no cross-year rules


def test_previous_report_of_the_wrong_year_is_one_warning() -> None:
    findings = run_checks(report_of(BALANCED), report_of({t3("carried_forward"): 2, t3("new_requests"): 2}, year=2021))
    assert [(f.rule, f.level) for f in findings] == [("X-YEAR", "warning")]
    assert "2021" in findings[0].message and "2023" in findings[0].message


def test_t2_stock() -> None:
    item = "normative_documents"
    last = report_of({form.t2_cell(item, "in_force"): 3}, year=2022)
    cells = {form.t2_cell(item, "issued"): 2, form.t2_cell(item, "abolished"): 1}
    assert not of(run_checks(report_of(cells | {form.t2_cell(item, "in_force"): 4}), last), "T2-STOCK")
    (finding,) = of(run_checks(report_of(cells | {form.t2_cell(item, "in_force"): 5}), last), "T2-STOCK")
    assert (
        finding.level == "warning" and "上年现行有效件数 3 + 本年制发件数 2 − 本年废止件数 1 应为 4" in finding.message
    )


# ---------------------------------------------------------------- table 二
def test_t2_scope_regulations_outside_the_kinds_that_make_them() -> None:
    cells = {form.t2_cell("regulations", "in_force"): 6}
    (finding,) = of(run_checks(report_of(cells, kind="county_department")), "T2-SCOPE")
    assert finding.level == "warning" and "现行有效件数 6" in finding.message and "县区政府部门" in finding.message
    assert not of(run_checks(report_of(cells, kind="city_government")), "T2-SCOPE")


def test_t2_scope_subdistricts_rarely_issue_normative_documents() -> None:
    cells = {form.t2_cell("normative_documents", "issued"): 1, form.t2_cell("normative_documents", "in_force"): 1}
    (finding,) = of(run_checks(report_of(cells)), "T2-SCOPE")
    assert "很少" in finding.message and finding.cells == (form.t2_cell("normative_documents", "issued"),)
    assert not of(run_checks(report_of(cells, kind="county_department")), "T2-SCOPE")


def test_t2_flow() -> None:
    issued, in_force = form.t2_cell("normative_documents", "issued"), form.t2_cell("normative_documents", "in_force")
    (finding,) = of(run_checks(report_of({issued: 3, in_force: 1}, kind="county_department")), "T2-FLOW")
    assert "现行有效件数 1 少于本年制发件数 3" in finding.message and finding.level == "warning"
    assert not of(run_checks(report_of({issued: 3, in_force: 3}, kind="county_department")), "T2-FLOW")


# ---------------------------------------------------------------- other warnings
def test_t3_fee_needs_section_six_to_mention_fees() -> None:
    cells = {t3("new_requests"): 1, t3("results.other.fee_unpaid"): 1}
    findings = run_checks(report_of(cells, text={"other": "无其他需要报告的事项。"}))
    assert rules(findings) == {"T3-FEE", "S-FEE"} and not has_errors(findings)
    assert of(findings, "T3-FEE")[0].section == "other"
    assert run_checks(report_of(cells, text={"other": "本年度发出收费通知1件，未收取信息处理费。"})) == []


def test_t4_plaus() -> None:
    after = form.t4_cell("lawsuit_after_review", "pending")
    (finding,) = of(run_checks(report_of({after: 1})), "T4-PLAUS")
    assert finding.level == "warning" and finding.section == "review_litigation"
    assert not of(run_checks(report_of({after: 1, form.t4_cell("review", "upheld"): 1})), "T4-PLAUS")


def test_s_fee_and_s_empty() -> None:
    (finding,) = run_checks(report_of(text={"other": "无。"}))
    assert finding.rule == "S-FEE" and finding.section == "other"
    findings = run_checks(report_of(text={"overview": "", "problems": "", "other": ""}))
    assert [f.rule for f in findings] == ["S-EMPTY"] * 3
    assert "信息处理费" in findings[-1].message


@pytest.mark.parametrize(
    ("title", "problems", "warned"),
    [
        ("", CLEAN_TEXT["problems"], False),
        ("某街道2022年政府信息公开工作年度报告", CLEAN_TEXT["problems"], True),
        ("", "针对以上问题，2023年我街道将加强宣传。", True),
        ("", "针对以上问题，2023 年，某某街道办事处将加强宣传。", True),
        ("", "2022年计划开展培训。", True),
        ("", "回顾2023年，主要存在宣传不够的问题；2023年主要问题是人手不足。2024年将改进。", False),
    ],
)
def test_s_year(title: str, problems: str, warned: bool) -> None:
    found = of(run_checks(report_of(text={"problems": problems}, title=title)), "S-YEAR")
    assert bool(found) == warned
    if found and not title:
        assert found[0].section == "problems" and "2024" in found[0].message


def test_s_blank_lists_blank_and_slash_cells_per_table() -> None:
    declared = {
        t3("results.unable.unclear", TOT): "",
        t3("carried_over", TOT): "/",
        form.t4_cell("review", "total"): "",
    }
    findings = run_checks(report_of(BALANCED, declared=declared))
    assert [(f.rule, f.section, len(f.cells)) for f in findings] == [
        ("S-BLANK", "requests", 2),
        ("S-BLANK", "review_litigation", 1),
    ]
    assert of(run_checks(report_of(BALANCED, declared={t3("new_requests", TOT): ""})), "T3-ROW")


# ---------------------------------------------------------------- the findings themselves
def test_errors_come_first_then_table_order() -> None:
    cells = BALANCED | {
        form.t2_cell("regulations", "issued"): 1,
        form.t2_cell("regulations", "in_force"): 1,
        form.t4_cell("lawsuit_after_review", "upheld"): 1,
        t3("results.denied.state_secret"): 0,
    }
    findings = run_checks(report_of(cells, text={"overview": "共收到政府信息公开申请4件。", "other": "无。"}))
    assert [f.rule for f in findings] == ["TX-NUM", "T3-BAL", "T2-SCOPE", "T4-PLAUS", "S-FEE"]
    assert all(f.rule in RULES for f in findings) and has_errors(findings)
    assert not has_errors(findings[2:])


def test_findings_are_frozen() -> None:
    finding = run_checks(report_of(BALANCED | {t3("carried_forward"): 0}))[0]
    with pytest.raises(dataclasses.FrozenInstanceError):
        finding.message = "x"  # type: ignore[misc]


def _random_session(rng: random.Random) -> dict:
    cells: dict[str, int] = {}
    for column in form.T3_PART_COLUMNS:
        new, carried = rng.randint(0, 40), rng.randint(0, 5)
        cells[t3("new_requests", column)] = new
        cells[t3("carried_over", column)] = carried
        left = new + carried
        for row in form.T3_OUTCOME_ROWS:
            cells[t3(row, column)] = taken = rng.randint(0, left // 3)
            left -= taken
        cells[t3("carried_forward", column)] = left
    for cell in form.T4_INPUT_CELLS:
        cells[cell] = rng.randint(0, 3)
    cells[form.t4_cell("review", "upheld")] += 1
    return cells


def test_random_consistent_reports_have_no_errors() -> None:
    rng = random.Random(7)
    for _ in range(50):
        findings = run_checks(report_of(_random_session(rng), kind="county_department"))
        assert not has_errors(findings), findings


# ---------------------------------------------------------------- S-COPY
def _with_problems(year: int, text: str) -> Report:
    session = Session(meta=Meta(agency="某街道", year=year), narrative={"problems": [Block(text=text)]})
    return derive_report(session)


COPIED_PLAN = (
    "一是政务公开宣传力度不够，群众知晓率不高。二是信息发布不够及时，部分栏目更新较慢。"
    "三是工作人员多为兼职，业务水平有待提高。下一步将加强培训，规范流程，提升公开质量。"
)


def test_s_copy_warns_when_a_section_is_mostly_last_years_text() -> None:
    last = _with_problems(2022, COPIED_PLAN)
    this = _with_problems(2023, COPIED_PLAN + "另外加强督查。")
    findings = [f for f in run_checks(this, last) if f.rule == "S-COPY"]
    assert len(findings) == 1
    assert findings[0].level == "warning" and findings[0].section == "problems"
    assert "2022" in findings[0].message and "%" in findings[0].message


def test_s_copy_quiet_for_rewritten_text() -> None:
    last = _with_problems(2022, COPIED_PLAN)
    this = _with_problems(
        2023,
        "本年度主要问题：政策解读形式单一，图解、视频等解读产品较少；依申请公开答复文书格式不够统一，"
        "个别答复说理不充分；平台栏目设置与上级要求对照梳理不够细。",
    )
    assert not [f for f in run_checks(this, last) if f.rule == "S-COPY"]
