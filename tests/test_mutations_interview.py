"""Interview holes a mutation run found: each test here fails on one hand-made change of the engine.

- which agency kinds are asked about 规章 (every kind, 省级 included);
- table 三 is never filled before the clerk's outcome plan is complete;
- a hand-edited answer the question could not have produced (a negative number) is not taken;
- a table 四 row with too many numbers is refused, never said 已记录 while nothing is recorded.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import drive, new_interview
from report_wizard import store
from report_wizard.core import form
from report_wizard.interview import Interview

TO_REQUESTS = [""] * 10  # basics and table 二 of a 街道 by their defaults
NP = "natural_person"


# ---------------------------------------------------------------- 规章: asked of exactly the kinds that make them
@pytest.mark.parametrize(
    ("kind", "asked"),
    [
        ("subdistrict", False),
        ("county_government", False),
        ("county_department", False),
        ("city_government", True),
        ("city_department", False),
        ("provincial", True),
    ],
)
def test_regulations_are_asked_of_the_kinds_that_make_them(kind: str, asked: bool) -> None:
    number = [k for k, _ in form.AGENCY_KINDS].index(kind) + 1
    iv = new_interview()
    drive(iv, ["", str(number), "", "", ""])
    assert iv.session.meta.agency_kind == kind
    first = iv.current()
    assert first is not None
    assert first.id == ("proactive.regulations.gate" if asked else "proactive.normative_documents.gate")


def test_a_provincial_body_reports_its_regulations() -> None:
    iv = new_interview()
    drive(iv, ["省政府办公厅", "6", "", "", ""])  # 6 = 省级及以上
    drive(iv, ["是", "3", "1", "40"])
    report = iv.report()
    assert [report.t2("regulations", c) for c in ("issued", "abolished", "in_force")] == [3, 1, 40]
    assert not [f for f in iv.findings() if f.rule == "T2-SCOPE"]
    assert iv.current().id == "proactive.normative_documents.gate"


# ---------------------------------------------------------------- table 三: no autofill before the plan is complete
def test_one_outcome_chosen_so_far_is_not_filled_while_a_group_still_needs_its_items() -> None:
    iv = new_interview()
    drive(iv, [*TO_REQUESTS, "是", "1", "5", "否"])  # 5 new requests, all from 自然人; nothing carried over
    drive(iv, ["1 3"])  # 予以公开 and 不予公开: which kind of 不予公开 is still to be said
    ask = iv.current()
    assert ask.id == "requests.outcome.natural_person.denied"
    report = iv.report()
    assert report.t3("results.disclosed", NP) == 0  # not all 5: the plan is not complete yet
    assert report.t3("results.total", NP) == 0
    drive(iv, ["1"])  # 属于国家秘密
    ask = iv.current()
    assert ask.id == "requests.count.natural_person.results.disclosed"
    assert "还有 5 件未归类" in ask.text
    drive(iv, ["3", "2"])
    report = iv.report()
    assert report.t3("results.disclosed", NP) == 3
    assert report.t3("results.denied.state_secret", NP) == 2
    assert not [f for f in iv.findings() if f.rule in ("T3-SUM", "T3-BAL", "T3-ROW")]


def test_a_single_complete_outcome_is_filled_without_a_question() -> None:
    iv = new_interview()
    drive(iv, [*TO_REQUESTS, "是", "1", "5", "否", "3", "1"])  # all 5 不予公开, all 属于国家秘密
    assert iv.report().t3("results.denied.state_secret", NP) == 5
    assert iv.current().id == "review_litigation.gate"


# ---------------------------------------------------------------- hand-edited answers are revalidated
HEAD = """schema_version = 1

[meta]
agency = "西大街街道"
agency_kind = "subdistrict"
year = 2023

[answers]
"basics.agency" = "西大街街道"
"basics.agency_kind" = "subdistrict"
"basics.superior" = ""
"basics.year" = 2023
"basics.title" = ""
"""


@pytest.mark.parametrize(
    ("answers", "question", "cells"),
    [
        ('"proactive.normative_documents.gate" = false\n"proactive.permits" = -3\n', "proactive.permits", ()),
        (
            '"proactive.normative_documents.gate" = false\n"proactive.permits" = 0\n"proactive.penalties" = 0\n'
            '"proactive.enforcement" = 0\n"proactive.fees" = -1.5\n',
            "proactive.fees",
            (),
        ),
        (
            '"proactive.normative_documents.gate" = false\n"proactive.permits" = 0\n"proactive.penalties" = 0\n'
            '"proactive.enforcement" = 0\n"proactive.fees" = 0\n"requests.new.gate" = false\n'
            '"requests.carried.gate" = false\n"review_litigation.gate" = true\n'
            '"review_litigation.groups" = ["review"]\n"review_litigation.review" = [1, -1, 0, 0]\n',
            "review_litigation.review",
            ("t4.review.upheld", "t4.review.corrected"),
        ),
    ],
    ids=["count", "money", "counts_row"],
)
def test_a_negative_answer_in_a_hand_edited_file_is_asked_again(
    tmp_path: Path, answers: str, question: str, cells: tuple[str, ...]
) -> None:
    path = tmp_path / "s.toml"
    path.write_text(HEAD + answers, encoding="utf-8")
    session = store.load_session(path)
    iv = Interview(session)
    ask = iv.current()
    assert ask is not None and ask.id == question and ask.current_answer == ""
    assert all(value >= 0 for value in iv.report().values.values())
    assert all(iv.report().value(c) == 0 for c in cells)
    assert not [f for f in iv.findings() if f.rule == "NUM"]
    store.save_session(iv.session, path)  # a negative cell would make the file unsavable
    assert all(value >= 0 for value in store.load_session(path).cells.values())


# ---------------------------------------------------------------- table 四: four numbers, or five with the 总计
@pytest.mark.parametrize("typed", ["1 0 0 1 0 0", "1 0 0", "1 0 0 1 0 0 0"])
def test_a_table_four_row_with_the_wrong_number_of_figures_is_refused(typed: str) -> None:
    iv = new_interview()
    drive(iv, [*TO_REQUESTS, "", "", "有", "1"])  # 行政复议 only
    ask = iv.current()
    assert ask.id == "review_litigation.review" and ask.kind == "counts_row"
    reply = iv.answer(typed)
    assert not reply.ok
    assert "已记录" not in reply.message
    assert (
        f"需要 4 个数（依次为 结果维持、结果纠正、其他结果、尚未审结），用空格分开；收到了 {len(typed.split())} 个。"
        == (reply.message)
    )
    assert "review_litigation.review" not in iv.session.answers
    assert iv.current().id == "review_litigation.review"
    assert iv.report().t4("review") == 0
    reply = iv.answer("1 0 0 1")
    assert reply.ok and reply.message.startswith("已记录")
    assert [iv.report().t4("review", c) for c, _ in form.T4_COLUMNS] == [1, 0, 0, 1, 2]


# ---------------------------------------------------------------- amounts, echo names, order answers
@pytest.mark.parametrize(
    ("typed", "unit", "value"),
    [
        ("3940", "元", 3940),
        ("3940.125元", "元", 3940.13),
        ("2.005", "元", 2.01),
        ("12345元", "万元", 1.2345),
        ("1.23456万元", "万元", 1.2346),
        ("1.5", "万元", 1.5),
    ],
)
def test_amounts_are_read_in_the_questions_unit(typed: str, unit: str, value: float) -> None:
    from report_wizard.interview.parse import parse_money

    assert parse_money(typed, unit) == value


def test_an_amount_typed_in_wan_for_a_yuan_question_keeps_its_jiao() -> None:
    from report_wizard.interview.parse import parse_money

    assert parse_money("0.39405万元", "元") == 3940.5


@pytest.mark.parametrize(
    ("unit", "message"),
    [
        ("元", "没看懂“abc”。请输入金额（单位：元），例如 3940；写成「3940元」也可以；没有就填 0。"),
        ("万元", "没看懂“abc”。请输入金额（单位：万元），例如 1.5；写成「1.5万元」也可以；没有就填 0。"),
    ],
)
def test_an_amount_not_understood_is_explained_in_its_unit(unit: str, message: str) -> None:
    from report_wizard.interview.parse import ParseError, parse_money

    with pytest.raises(ParseError) as info:
        parse_money("abc", unit)
    assert str(info.value) == message
    with pytest.raises(ParseError) as info:
        parse_money("-5", unit)
    assert str(info.value) == "不能是负数；没有就填 0。"


def test_totals_are_named_as_the_confirmation_says_them() -> None:
    from report_wizard.interview.echo import total_name

    assert {
        cell: total_name(cell)
        for cell in (
            "t3.new_requests.total",
            "t3.results.total.total",
            "t3.results.total.natural_person",
            "t3.results.partly_disclosed.total",
            "t3.results.denied.state_secret.total",
            "t3.results.other.other.total",
            "t3.carried_forward.total",
            "t4.lawsuit_direct.total",
        )
    } == {
        "t3.new_requests.total": "本年新收合计",
        "t3.results.total.total": "办理结果总计",
        "t3.results.total.natural_person": "自然人办理结果总计",
        "t3.results.partly_disclosed.total": "部分公开合计",
        "t3.results.denied.state_secret.total": "属于国家秘密合计",
        "t3.results.other.other.total": "其他合计",
        "t3.carried_forward.total": "结转下年度合计",
        "t4.lawsuit_direct.total": "行政诉讼（未经复议直接起诉）总计",
    }


def test_an_order_answer_reads_as_the_new_order_and_what_was_dropped() -> None:
    from report_wizard.interview.values import _order_text

    labels = {"a": "甲", "b": "乙", "c": "丙"}
    assert _order_text(["b", "a", "-c"], labels) == "依次为：乙、甲；删去：丙"
    assert _order_text(["b", "a", "c"], labels) == "依次为：乙、甲、丙"
    assert _order_text(["a", "b", "c"], labels) == "保持不变"
    assert _order_text(["x", "-y"], {}) == "依次为：x；删去：y"  # a key no longer offered is shown as it is
