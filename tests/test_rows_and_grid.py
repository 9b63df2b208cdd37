"""Issue 12: whole-row answers, table 三 row by row, and the grid editor's domain (cells → answers, paste)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from helpers import assert_city_table, city_block, city_lines, drive, new_interview, nonzero_case
from report_wizard import store
from report_wizard.cli.plain import run_plain
from report_wizard.core import form
from report_wizard.core.model import Provenance
from report_wizard.interview import Interview
from report_wizard.interview.grid import GRIDS, parse_block
from report_wizard.interview.parse import ParseError
from report_wizard.interview.rows import parse_row, t3_row


def to_requests(iv: Interview) -> int:
    n = 0
    while iv.current().section != "requests":
        assert iv.answer("").ok
        n += 1
    return n


# ---------------------------------------------------------------- row answers
def test_a_row_is_read_in_the_official_order_with_any_separator() -> None:
    six = [2410, 64, 3, 2, 45, 7]
    for typed in ("2410 64 3 2 45 7", "2410,64,3,2,45,7", "2410、64、3、2、45、7", "2410\t64\t3\t2\t45\t7"):
        assert t3_row(typed) == six, typed
    assert t3_row("２４１０，６４　３、２ 45 7") == six  # full-width digits, comma and space
    assert t3_row("2410 64 3 2 45 7 2531") == six  # the printed 总计, matching
    assert t3_row("88") == [88, 0, 0, 0, 0, 0]
    assert t3_row("无") == [0] * 6


def test_a_printed_total_that_does_not_match_is_refused_with_the_difference() -> None:
    with pytest.raises(ParseError, match="前面各栏相加是 2531，多了 1"):
        t3_row("2410 64 3 2 45 7 2532")
    with pytest.raises(ParseError, match="少了 2"):
        t3_row("2410 64 3 2 45 7 2529")


def test_named_columns_fill_those_columns_only() -> None:
    assert t3_row("自然人 2410 商业企业 64") == [2410, 64, 0, 0, 0, 0]
    assert t3_row("其他法人或其他组织 7，自然人 1") == [1, 0, 0, 0, 0, 7]
    assert t3_row("法律服务机构45 总计 45") == [0, 0, 0, 0, 45, 0]
    with pytest.raises(ParseError, match="写了两次"):
        t3_row("自然人 1 自然人 2")
    with pytest.raises(ParseError, match="多了"):
        t3_row("自然人 1 总计 2")


def test_a_wrong_number_of_figures_says_how_many_are_needed() -> None:
    with pytest.raises(ParseError, match=r"需要 6 个数.*收到了 8 个"):
        t3_row("1 2 3 4 5 6 7 8")
    with pytest.raises(ParseError, match="需要 4 个数"):
        parse_row("1 0", ["结果维持", "结果纠正", "其他结果", "尚未审结"])


def test_the_city_table_row_by_row_in_plain_mode_takes_at_most_30_answers(tmp_path: Path) -> None:
    path = tmp_path / "市-2024.toml"
    session = store.new_session("某市人民政府", 2024, agency_kind="city_government")
    iv = Interview(session.model_copy(deep=True))
    before = to_requests(iv)
    lines = [""] * before + city_lines()
    out = io.StringIO()
    assert run_plain(path, session, io.StringIO("".join(f"{x}\n" for x in lines)), out) == 0
    text = out.getvalue()
    assert len(city_lines()) <= 30
    saved = store.load_session(path)
    report = Interview(saved).report()
    assert_city_table(report)
    assert not [f for f in Interview(saved).findings() if f.rule in ("T3-ROW", "T3-SUM", "T3-BAL")]
    assert "一 2531 + 二 44 = 2575，（七）2567 + 四 8 = 2575，勾稽关系相符" in text
    assert "尚未归类：自然人 1349、商业企业 36、科研机构 1、社会公益组织 1、法律服务机构 16、其他 3" in text
    assert saved.meta.resume_at == "review_litigation.gate"  # table 三 done, nothing asked twice
    t3_inputs = [c for c in form.T3_INPUT_CELLS]
    assert {saved.entry[c] for c in t3_inputs} == {"row"}
    assert all(saved.provenance(c) == Provenance.ENTERED for c in t3_inputs if saved.cells[c])


def test_a_group_answered_none_skips_its_rows_and_zeroes_them() -> None:
    iv = new_interview("city_government")
    to_requests(iv)
    drive(iv, ["逐行", "5", "", "3", "2"])  # 新收 自然人 5, no carry-over, 3 disclosed, 2 partly
    assert iv.current().id == "requests.group.results.denied"
    assert "尚未归类：自然人" not in iv.current().text and "各栏都已归类完毕" in iv.current().text
    drive(iv, ["无", "无", "无", "无"])
    ask = iv.current()
    assert ask.id == "requests.row.carried_forward" and ask.default == "0 0 0 0 0 0"
    drive(iv, [""])
    assert iv.current().section == "review_litigation"
    assert not [f for f in iv.findings() if f.rule in ("T3-ROW", "T3-SUM", "T3-BAL")]


def test_a_wrong_row_is_shown_by_the_balance_check_with_numbers() -> None:
    iv = new_interview("city_government")
    to_requests(iv)
    drive(iv, ["10 1", "", "9 1", "", "无", "无", "无", "无"])
    reply = iv.answer("2")  # 自然人 10 = 9 disclosed + 2 carried: one too many
    assert reply.ok and "勾稽关系不符：一加二比（七）加四自然人少 1 件" in reply.message
    assert "T3-BAL" in {f.rule for f in iv.findings()}


def test_the_mode_can_be_changed_back_to_the_guided_questions() -> None:
    iv = new_interview()
    to_requests(iv)
    drive(iv, ["2 0 0 0 0 0"])
    assert iv.current().id == "requests.row.carried_over"
    iv.goto("requests.mode")
    drive(iv, ["1"])
    assert iv.current().id == "requests.new.types"
    assert iv.current().default == "自然人"  # what the row said stays the default


def test_rows_typed_at_gates_of_tables_two_and_four_and_at_the_carry_over() -> None:
    iv = new_interview("city_government")
    while iv.current().id != "proactive.regulations.gate":
        iv.answer("")
    reply = iv.answer("2 1 15")
    assert reply.ok and "表二 规章 本年制发件数 2" in reply.message
    r = iv.report()
    assert (r.t2("regulations", "issued"), r.t2("regulations", "abolished"), r.t2("regulations", "in_force")) == (
        2,
        1,
        15,
    )
    while iv.current().id != "requests.new.gate":
        iv.answer("")
    drive(iv, ["是", "1", "3", "1 0 0 0 0 0"])  # the carry-over as a row, at its gate
    assert iv.report().t3("carried_over", "natural_person") == 1
    drive(iv, ["予以公开"])
    assert iv.current().id == "review_litigation.gate"
    reply = iv.answer("1 0 0 1 2 0 0 0 0 0 0 1 0 0 1")
    assert reply.ok, reply.message
    r = iv.report()
    assert (r.t4("review"), r.t4("lawsuit_direct"), r.t4("lawsuit_after_review")) == (2, 0, 1)
    iv.undo()
    assert iv.report().t4("review") == 0
    reply = iv.answer("1 0 0 1 3 0 0 0 0 0 0 1 0 0 1")
    assert not reply.ok and "行政复议" in reply.message and "多了 1" in reply.message


def test_at_the_applicant_types_a_list_of_choices_stays_a_list_and_a_row_fills_the_counts() -> None:
    iv = new_interview()
    to_requests(iv)
    drive(iv, ["是", "1 2 3 4 5 6"])  # all six types: choices, not a row of counts
    assert iv.current().id == "requests.new.natural_person"
    iv.undo()
    reply = iv.answer("3 0 0 0 0 1")  # a 0: a row, the guided counts answered from it
    assert reply.ok and "合计 4" in reply.message
    assert iv.session.answers["requests.new.types"] == ["natural_person", "other_org"]
    assert iv.current().id == "requests.carried.gate"


def test_a_table_four_row_may_end_with_its_total() -> None:
    iv = new_interview()
    drive(iv, [*[""] * 10, "", "", "有", "1"])
    assert iv.current().id == "review_litigation.review"
    assert not iv.answer("1 0 0 1 3").ok
    drive(iv, ["结果维持 1 尚未审结 1 总计 2"])
    assert iv.report().t4("review") == 2


# ---------------------------------------------------------------- the grid's domain
def test_a_pasted_table_three_fills_every_cell() -> None:
    for block in (city_block(), city_block(total=False, labels=False)):
        cells = parse_block(GRIDS["t3"], block)
        iv = new_interview("city_government")
        reply = iv.set_cells(cells)
        assert reply.ok, reply.message
        assert_city_table(iv.report())
        assert not [f for f in iv.findings() if f.rule in ("T3-ROW", "T3-SUM", "T3-BAL")]
        assert {iv.session.entry[c] for c in form.T3_INPUT_CELLS} == {"grid"}
        assert all(iv.session.provenance(c) == Provenance.ENTERED for c, v in cells.items() if v)


@pytest.mark.parametrize(
    ("mangle", "reason"),
    [
        (lambda b: b.replace("1102\t30\t2\t1\t30\t4\t1169", "1102\t30\t2\t1\t30\t4\t1170"), "相差 1"),
        (lambda b: "\n".join(b.splitlines()[:-1]), "有 24 行数字，表三需要 25 行"),
        (lambda b: b.replace("2410\t64\t3\t2\t45\t7\t2531", "2410\t64\t3\t2\t45"), "有 5 个数，应为 6或7 个"),
        (lambda b: b.replace("2449\t65", "2448\t65").replace("\t2567", "\t2566"), "各办理结果相加是 2449"),
        (lambda b: b.replace("1102\t30\t2", "1102\t3O\t2"), "没看懂“3O”"),
    ],
)
def test_a_block_that_does_not_fit_is_refused_with_the_reason(mangle, reason: str) -> None:
    with pytest.raises(ParseError, match=reason):
        parse_block(GRIDS["t3"], mangle(city_block()))


def test_a_grid_edit_is_an_answer_that_undo_takes_back() -> None:
    iv = new_interview("city_government")
    iv.set_cells(parse_block(GRIDS["t3"], city_block()))
    cell = form.t3_cell("results.disclosed", "natural_person")
    reply = iv.set_cells({cell: 1103})
    assert reply.ok and "1102 → 1103" in reply.message
    assert iv.report().value(cell) == 1103
    assert "T3-BAL" in {f.rule for f in iv.findings()}
    iv.undo()
    assert iv.report().value(cell) == 1102
    assert not [f for f in iv.findings() if f.rule in ("T3-ROW", "T3-SUM", "T3-BAL")]


def test_grid_edits_of_tables_two_and_four_and_what_is_refused() -> None:
    iv = new_interview()  # a 街道: no 规章
    assert not iv.set_cells({"t2.regulations.issued": 1}).ok
    assert not iv.set_cells({form.t3_cell("results.total", "natural_person"): 1}).ok
    assert iv.session.answers == {}
    assert iv.set_cells({"t2.normative_documents.in_force": 4, "t2.fees.amount": 1.5}).ok
    assert iv.set_cells({"t4.lawsuit_direct.pending": 1}).ok
    r = iv.report()
    assert (r.t2("normative_documents", "in_force"), r.t2("fees", "amount"), r.t4("lawsuit_direct")) == (4, 1.5, 1)
    assert iv.session.answers["review_litigation.groups"] == ["lawsuit_direct"]
    block = parse_block(GRIDS["t4"], "1\t0\t0\t1\t2\n0\t0\t0\t0\t0\n0\t0\t0\t1\t1\n")
    assert iv.set_cells(block).ok and iv.report().t4("review") == 2
    with pytest.raises(ParseError, match="有 1 行数字，表四需要 3 行"):
        parse_block(GRIDS["t4"], "1 0 0 1")


def test_a_grid_edit_of_a_table_filled_the_guided_way_keeps_every_other_cell() -> None:
    iv = nonzero_case()
    before = dict(iv.report().values)
    cell = form.t3_cell("results.unable.not_held", "commercial")
    assert iv.set_cells({cell: 1, form.t3_cell(form.T3_NEW, "commercial"): 3}).ok
    after = iv.report().values
    assert {c for c in form.T3_CELLS if before[c] != after[c]} == {
        cell,
        form.t3_cell(form.T3_NEW, "commercial"),
        form.t3_cell(form.T3_NEW, "total"),
        form.t3_cell("results.unable.not_held", "total"),
        form.t3_cell("results.total", "commercial"),
        form.t3_cell("results.total", "total"),
    }
    assert iv.session.answers["requests.mode"] == "rows"
    assert iv.current().section != "requests"  # every row answered: nothing of table 三 is asked again
    assert not [f for f in iv.findings() if f.rule in ("T3-ROW", "T3-SUM", "T3-BAL")]
    assert iv.session.entry[cell] == "grid"
    iv.undo()
    assert iv.report().values == before and iv.session.answers.get("requests.mode") is None


def test_a_big_number_in_a_row_typed_at_the_gate_is_confirmed_first() -> None:
    iv = new_interview()  # a 街道
    to_requests(iv)
    reply = iv.answer("50000 0 0 0 0 0")
    assert not reply.ok and reply.needs_confirmation and "50,000" in reply.message
    assert "requests.new.gate" not in iv.session.answers
    reply = iv.answer("是")
    assert reply.ok and iv.report().t3("new_requests") == 50000
    assert iv.current().id == "requests.row.carried_over"
