# ruff: noqa: E501  (the expected sentences are written out whole, as the clerk reads them)
"""Every check's findings in full: level, rule, section, cells and the clerk's sentence, for reports that
break the rules in known ways (a mutation run showed that messages, sections and cells were barely asserted:
a finding pointing at the wrong section opens the wrong question, a wrong cell list highlights the wrong cells).

The expected findings are written out here as the clerk reads them; the order is the report's (errors first,
then by section).
"""

from __future__ import annotations

import dataclasses

import pytest

from helpers import report_of
from report_wizard.checks import run_checks
from report_wizard.core import form

NP, CE, LS, TOT = "natural_person", "commercial", "legal_services", "total"


def t2(row, col):
    return form.t2_cell(row, col)


def t3(row, col=NP):
    return form.t3_cell(row, col)


def t4(group, col):
    return form.t4_cell(group, col)


BALANCED = {
    t3("new_requests"): 5,
    t3("results.disclosed"): 3,
    t3("results.denied.state_secret"): 1,
    t3("carried_forward"): 1,
}

SCENARIOS = {
    "table_two_of_a_subdistrict": lambda: (
        report_of(
            {
                t2("regulations", "issued"): 1,
                t2("regulations", "in_force"): 2,
                t2("normative_documents", "issued"): 3,
                t2("normative_documents", "in_force"): 1,
            }
        ),
        None,
    ),
    "table_two_of_a_county_department": lambda: (
        report_of(
            {
                t2("regulations", "abolished"): 1,
                t2("normative_documents", "issued"): 3,
                t2("normative_documents", "abolished"): 1,
                t2("normative_documents", "in_force"): 2,
            },
            kind="county_department",
        ),
        None,
    ),
    "table_three_as_printed": lambda: (
        report_of(
            BALANCED | {t3("new_requests", CE): 2, t3("results.disclosed", CE): 2},
            declared={t3("new_requests", TOT): 6, t3("results.total"): 5, t3("carried_forward", TOT): ""},
        ),
        None,
    ),
    "table_three_out_of_balance": lambda: (
        report_of(BALANCED | {t3("carried_over", LS): 2, t3("results.disclosed", LS): 1}),
        None,
    ),
    "table_four": lambda: (
        report_of(
            {t4("review", "upheld"): 1, t4("review", "corrected"): 2, t4("lawsuit_after_review", "pending"): 1},
            declared={t4("review", "total"): 4},
        ),
        None,
    ),
    "numbers_as_printed": lambda: (
        dataclasses.replace(
            report_of(),
            **{
                "declared": {
                    t3("carried_over", TOT): "三",
                    t3("new_requests", TOT): -1,
                    t2("fees", "amount"): -0.5,
                    t3("results.disclosed", TOT): 2.5,
                }
            },
        ),
        None,
    ),
    "lawsuits_after_review_without_review": lambda: (report_of({t4("lawsuit_after_review", "pending"): 2}), None),
    "five_blank_cells": lambda: (
        report_of(
            BALANCED,
            declared={
                t3("results.unable.unclear", TOT): "",
                t3("carried_over", TOT): "/",
                t3("results.denied.inquiry", TOT): "",
                t3("results.other.other", TOT): "/",
                t3("results.not_processed.petition", TOT): "",
            },
        ),
        None,
    ),
    "three_blank_cells": lambda: (
        report_of(
            BALANCED,
            declared={
                t4("review", "total"): "",
                t4("lawsuit_direct", "total"): "/",
                t4("lawsuit_after_review", "total"): "",
            },
        ),
        None,
    ),
    "four_blank_cells": lambda: (
        report_of(
            BALANCED,
            declared={
                t2("permits", "decisions"): "",
                t2("penalties", "decisions"): "/",
                t2("enforcement", "decisions"): "",
                t2("fees", "amount"): "/",
            },
        ),
        None,
    ),
    "text_against_tables": lambda: (
        report_of(
            BALANCED | {t3("results.other.fee_unpaid"): 1, t3("new_requests"): 6},
            text={
                "overview": "本年度共收到政府信息公开申请4件，未发生行政复议案件。",
                "problems": "2023年将加强宣传。",
                "other": "无。",
            },
            title="某街道2022年政府信息公开工作年度报告",
        ),
        None,
    ),
    "zero_claims": lambda: (
        report_of(
            BALANCED | {t4("review", "upheld"): 1},
            text={"overview": "本年度未收到政府信息公开申请。本年度未发生因政府信息公开引起的行政复议案件。"},
        ),
        None,
    ),
    "empty_sections": lambda: (report_of(text={"overview": "", "problems": "", "other": ""}), None),
    "across_years": lambda: (
        report_of(
            BALANCED
            | {
                t3("carried_over", CE): 1,
                t3("results.disclosed", CE): 1,
                t2("normative_documents", "issued"): 2,
                t2("normative_documents", "in_force"): 5,
            },
            kind="county_department",
        ),
        report_of(
            {
                t3("new_requests"): 2,
                t3("carried_forward"): 2,
                t3("new_requests", LS): 1,
                t3("carried_forward", LS): 1,
                t2("normative_documents", "in_force"): 4,
            },
            year=2022,
            kind="county_department",
        ),
    ),
}


EXPECTED = {
    "table_two_of_a_subdistrict": [
        (
            "warning",
            "T2-SCOPE",
            "proactive",
            ("t2.regulations.issued", "t2.regulations.abolished", "t2.regulations.in_force"),
            "表二 规章：本年制发件数 1、本年废止件数 0、现行有效件数 2，但规章只由国务院部门、省级和设区的市人民政府制定，街道/乡镇的报告通常应全为 0。",
        ),
        (
            "warning",
            "T2-SCOPE",
            "proactive",
            ("t2.normative_documents.issued",),
            "表二 行政规范性文件 本年制发件数为 3：街道/乡镇很少制发行政规范性文件，请确认确属行政规范性文件。",
        ),
        (
            "warning",
            "T2-FLOW",
            "proactive",
            ("t2.normative_documents.in_force", "t2.normative_documents.issued"),
            "表二 行政规范性文件 现行有效件数 1 少于本年制发件数 3，除非新制发的文件当年又已废止。",
        ),
    ],
    "table_two_of_a_county_department": [
        (
            "warning",
            "T2-SCOPE",
            "proactive",
            ("t2.regulations.issued", "t2.regulations.abolished", "t2.regulations.in_force"),
            "表二 规章：本年制发件数 0、本年废止件数 1、现行有效件数 0，但规章只由国务院部门、省级和设区的市人民政府制定，县区政府部门的报告通常应全为 0。",
        ),
        (
            "warning",
            "T2-FLOW",
            "proactive",
            ("t2.normative_documents.in_force", "t2.normative_documents.issued"),
            "表二 行政规范性文件 现行有效件数 2 少于本年制发件数 3，除非新制发的文件当年又已废止。",
        ),
    ],
    "table_three_as_printed": [
        (
            "error",
            "T3-ROW",
            "requests",
            (
                "t3.new_requests.total",
                "t3.new_requests.natural_person",
                "t3.new_requests.commercial",
                "t3.new_requests.research",
                "t3.new_requests.public_interest",
                "t3.new_requests.legal_services",
                "t3.new_requests.other_org",
            ),
            "表三 一、本年新收政府信息公开申请数量 行：各类申请人合计 7（自然人 5 + 商业企业 2），但总计栏为 6，相差 1 件。",
        ),
        (
            "error",
            "T3-ROW",
            "requests",
            (
                "t3.results.total.total",
                "t3.results.total.natural_person",
                "t3.results.total.commercial",
                "t3.results.total.research",
                "t3.results.total.public_interest",
                "t3.results.total.legal_services",
                "t3.results.total.other_org",
            ),
            "表三 （七）总计 行：各类申请人合计 7（自然人 5 + 商业企业 2），但总计栏为 6，相差 1 件。",
        ),
        (
            "error",
            "T3-ROW",
            "requests",
            (
                "t3.carried_forward.total",
                "t3.carried_forward.natural_person",
                "t3.carried_forward.commercial",
                "t3.carried_forward.research",
                "t3.carried_forward.public_interest",
                "t3.carried_forward.legal_services",
                "t3.carried_forward.other_org",
            ),
            "表三 四、结转下年度继续办理 行：各类申请人合计 1，但总计栏为空。",
        ),
        (
            "error",
            "T3-SUM",
            "requests",
            (
                "t3.results.total.natural_person",
                "t3.results.disclosed.natural_person",
                "t3.results.partly_disclosed.natural_person",
                "t3.results.denied.state_secret.natural_person",
                "t3.results.denied.prohibited_by_law.natural_person",
                "t3.results.denied.three_safeties.natural_person",
                "t3.results.denied.third_party.natural_person",
                "t3.results.denied.internal_affairs.natural_person",
                "t3.results.denied.process_info.natural_person",
                "t3.results.denied.enforcement_file.natural_person",
                "t3.results.denied.inquiry.natural_person",
                "t3.results.unable.not_held.natural_person",
                "t3.results.unable.needs_creation.natural_person",
                "t3.results.unable.unclear.natural_person",
                "t3.results.not_processed.petition.natural_person",
                "t3.results.not_processed.repeated.natural_person",
                "t3.results.not_processed.publication.natural_person",
                "t3.results.not_processed.abusive.natural_person",
                "t3.results.not_processed.confirmation.natural_person",
                "t3.results.other.no_correction.natural_person",
                "t3.results.other.fee_unpaid.natural_person",
                "t3.results.other.other.natural_person",
            ),
            "表三 自然人列：各项办理结果合计 4，但（七）总计为 5，相差 1 件。",
        ),
        (
            "error",
            "T3-BAL",
            "requests",
            (
                "t3.new_requests.natural_person",
                "t3.carried_over.natural_person",
                "t3.results.total.natural_person",
                "t3.carried_forward.natural_person",
            ),
            "表三 自然人列：新收 5 + 上年结转 0 = 5，但办理结果总计 5 + 结转下年度 1 = 6，相差 1 件。",
        ),
    ],
    "table_three_out_of_balance": [
        (
            "error",
            "T3-BAL",
            "requests",
            (
                "t3.new_requests.legal_services",
                "t3.carried_over.legal_services",
                "t3.results.total.legal_services",
                "t3.carried_forward.legal_services",
            ),
            "表三 法律服务机构列：新收 0 + 上年结转 2 = 2，但办理结果总计 1 + 结转下年度 0 = 1，相差 1 件。",
        ),
    ],
    "table_four": [
        (
            "error",
            "T4-SUM",
            "review_litigation",
            ("t4.review.total", "t4.review.upheld", "t4.review.corrected", "t4.review.other", "t4.review.pending"),
            "表四 行政复议：各项结果合计 3（结果维持 1 + 结果纠正 2），但总计栏为 4，相差 1 件。",
        ),
    ],
    "numbers_as_printed": [
        (
            "error",
            "NUM",
            "proactive",
            ("t2.fees.amount",),
            "表二 行政事业性收费 本年收费金额（单位：万元） 为 -0.5，不能为负数。",
        ),
        (
            "error",
            "NUM",
            "requests",
            ("t3.new_requests.total",),
            "表三 一、本年新收政府信息公开申请数量 总计 为 -1，不能为负数。",
        ),
        (
            "error",
            "NUM",
            "requests",
            ("t3.carried_over.total",),
            "表三 二、上年结转政府信息公开申请数量 总计 填的是“三”，应为数字。",
        ),
        (
            "error",
            "NUM",
            "requests",
            ("t3.results.disclosed.total",),
            "表三 （一）予以公开 总计 为 2.5，件数应为整数。",
        ),
        (
            "error",
            "T3-ROW",
            "requests",
            (
                "t3.new_requests.total",
                "t3.new_requests.natural_person",
                "t3.new_requests.commercial",
                "t3.new_requests.research",
                "t3.new_requests.public_interest",
                "t3.new_requests.legal_services",
                "t3.new_requests.other_org",
            ),
            "表三 一、本年新收政府信息公开申请数量 行：各类申请人合计 0，但总计栏为 -1，相差 1 件。",
        ),
        (
            "error",
            "T3-ROW",
            "requests",
            (
                "t3.results.disclosed.total",
                "t3.results.disclosed.natural_person",
                "t3.results.disclosed.commercial",
                "t3.results.disclosed.research",
                "t3.results.disclosed.public_interest",
                "t3.results.disclosed.legal_services",
                "t3.results.disclosed.other_org",
            ),
            "表三 （一）予以公开 行：各类申请人合计 0，但总计栏为 2.5，相差 2.5 件。",
        ),
        (
            "error",
            "T3-SUM",
            "requests",
            (
                "t3.results.total.total",
                "t3.results.disclosed.total",
                "t3.results.partly_disclosed.total",
                "t3.results.denied.state_secret.total",
                "t3.results.denied.prohibited_by_law.total",
                "t3.results.denied.three_safeties.total",
                "t3.results.denied.third_party.total",
                "t3.results.denied.internal_affairs.total",
                "t3.results.denied.process_info.total",
                "t3.results.denied.enforcement_file.total",
                "t3.results.denied.inquiry.total",
                "t3.results.unable.not_held.total",
                "t3.results.unable.needs_creation.total",
                "t3.results.unable.unclear.total",
                "t3.results.not_processed.petition.total",
                "t3.results.not_processed.repeated.total",
                "t3.results.not_processed.publication.total",
                "t3.results.not_processed.abusive.total",
                "t3.results.not_processed.confirmation.total",
                "t3.results.other.no_correction.total",
                "t3.results.other.fee_unpaid.total",
                "t3.results.other.other.total",
            ),
            "表三 总计列：各项办理结果合计 2.5，但（七）总计为 0，相差 2.5 件。",
        ),
        (
            "error",
            "T3-BAL",
            "requests",
            ("t3.new_requests.total", "t3.carried_over.total", "t3.results.total.total", "t3.carried_forward.total"),
            "表三 总计列：新收 -1 + 上年结转 0 = -1，但办理结果总计 0 + 结转下年度 0 = 0，相差 1 件。",
        ),
    ],
    "lawsuits_after_review_without_review": [
        (
            "warning",
            "T4-PLAUS",
            "review_litigation",
            ("t4.lawsuit_after_review.total", "t4.review.total"),
            "表四 行政诉讼（复议后起诉） 总计 为 2，但表四 行政复议 总计 为 0：复议后起诉的案件通常先有行政复议。",
        ),
    ],
    "five_blank_cells": [
        (
            "warning",
            "S-BLANK",
            "requests",
            (
                "t3.carried_over.total",
                "t3.results.denied.inquiry.total",
                "t3.results.unable.unclear.total",
                "t3.results.not_processed.petition.total",
                "t3.results.other.other.total",
            ),
            "有 5 个单元格空白或填“/”（表三 二、上年结转政府信息公开申请数量 总计、表三 （三）不予公开 8.属于行政查询事项 总计、表三 （四）无法提供 3.补正后申请内容仍不明确 总计等），没有的应填 0。",
        ),
    ],
    "three_blank_cells": [
        (
            "warning",
            "S-BLANK",
            "review_litigation",
            ("t4.review.total", "t4.lawsuit_direct.total", "t4.lawsuit_after_review.total"),
            "有 3 个单元格空白或填“/”（表四 行政复议 总计、表四 行政诉讼（未经复议直接起诉） 总计、表四 行政诉讼（复议后起诉） 总计），没有的应填 0。",
        ),
    ],
    "four_blank_cells": [
        (
            "warning",
            "S-BLANK",
            "proactive",
            ("t2.permits.decisions", "t2.penalties.decisions", "t2.enforcement.decisions", "t2.fees.amount"),
            "有 4 个单元格空白或填“/”（表二 行政许可 本年处理决定数量、表二 行政处罚 本年处理决定数量、表二 行政强制 本年处理决定数量等），没有的应填 0。",
        ),
    ],
    "text_against_tables": [
        (
            "error",
            "TX-NUM",
            "overview",
            ("t3.new_requests.total",),
            "一、总体情况 写“本年度共收到政府信息公开申请4件”（4 件），但表三 一、本年新收政府信息公开申请数量 总计为 6 件。",
        ),
        ("warning", "S-YEAR", "overview", (), "标题中的年份 2022 与统计年度 2023 不一致。"),
        (
            "warning",
            "S-YEAR",
            "problems",
            (),
            "五、存在的主要问题及改进情况 写“2023年将”，但这是 2023 年度报告，改进计划应针对 2024 年（是否沿用了旧报告？）。",
        ),
        (
            "warning",
            "S-FEE",
            "other",
            (),
            "六、其他需要报告的事项 没有说明信息处理费的收取情况（如“本年度未收取信息处理费”）。",
        ),
        (
            "warning",
            "T3-FEE",
            "other",
            ("t3.results.other.fee_unpaid.total",),
            "表三 （六）其他处理 2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请 总计 为 1，说明发过收费通知，但六、其他需要报告的事项 未提到收费。",
        ),
    ],
    "zero_claims": [
        (
            "error",
            "TX-ZERO",
            "overview",
            ("t3.new_requests.total",),
            "一、总体情况 写“本年度未收到政府信息公开申请”，但表三 一、本年新收政府信息公开申请数量 总计为 5 件。",
        ),
        (
            "error",
            "TX-ZERO",
            "overview",
            ("t4.review.total",),
            "一、总体情况 写“本年度未发生因政府信息公开引起的行政复议案件”，但表四 行政复议 总计为 1 件。",
        ),
    ],
    "empty_sections": [
        ("warning", "S-EMPTY", "overview", (), "一、总体情况 还没有内容。"),
        ("warning", "S-EMPTY", "problems", (), "五、存在的主要问题及改进情况 还没有内容。"),
        ("warning", "S-EMPTY", "other", (), "六、其他需要报告的事项 还没有内容，至少应写明信息处理费的收取情况。"),
    ],
    "across_years": [
        (
            "error",
            "X-CARRY",
            "requests",
            ("t3.carried_over.natural_person",),
            "表三 二、上年结转政府信息公开申请数量 自然人 为 0，但 2022 年报告的四、结转下年度继续办理 自然人 为 2，相差 2 件。",
        ),
        (
            "error",
            "X-CARRY",
            "requests",
            ("t3.carried_over.commercial",),
            "表三 二、上年结转政府信息公开申请数量 商业企业 为 1，但 2022 年报告的四、结转下年度继续办理 商业企业 为 0，相差 1 件。",
        ),
        (
            "error",
            "X-CARRY",
            "requests",
            ("t3.carried_over.legal_services",),
            "表三 二、上年结转政府信息公开申请数量 法律服务机构 为 0，但 2022 年报告的四、结转下年度继续办理 法律服务机构 为 1，相差 1 件。",
        ),
        (
            "warning",
            "T2-STOCK",
            "proactive",
            ("t2.normative_documents.in_force", "t2.normative_documents.issued", "t2.normative_documents.abolished"),
            "表二 行政规范性文件 现行有效件数 5，但按上年现行有效件数 4 + 本年制发件数 2 − 本年废止件数 0 应为 6（如有文件失效或修订，可忽略）。",
        ),
    ],
}


def test_every_scenario_has_its_findings_written_out() -> None:
    assert set(EXPECTED) == set(SCENARIOS)


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_findings_in_full(name: str) -> None:
    report, previous = SCENARIOS[name]()
    found = [(f.level, f.rule, f.section, f.cells, f.message) for f in run_checks(report, previous)]
    assert found == EXPECTED[name]


def test_every_rule_is_exercised() -> None:
    from report_wizard.checks import RULES

    rules = {rule for findings in EXPECTED.values() for _, rule, *_ in findings}
    # S-COPY, X-YEAR: in test_mutations_checks; the rules of published reports: in test_review(_rules)
    published = {"S-MISSING", "S-STRUCT", "S-LAYOUT", "S-TYPO", "S-CITE", "S-OVERVIEW", "S-LABEL"}
    assert rules == set(RULES) - {"S-COPY", "X-YEAR"} - published
