"""Trust: nothing is recorded that the clerk did not mean, and no broken report leaves looking final.

Engine, plain mode and command line; the TUI side is in test_tui_trust.py.
"""

from __future__ import annotations

import io
import itertools
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import FIXTURES, ROOT, drive, new_interview
from report_wizard import store
from report_wizard.cli import main
from report_wizard.cli.plain import run_plain
from report_wizard.core import form, paths
from report_wizard.core.errors import DataFileError
from report_wizard.core.model import derive_report
from report_wizard.interview import Interview, SectionState
from report_wizard.interview.parse import ParseError, parse_money
from report_wizard.interview.questions import load_question_set, load_questions
from report_wizard.output.render import FORMATS, render_report

ROW_TOTAL = FIXTURES / "erdao-2022-row-total.toml"  # a published report whose 总计 is off: T3-ROW
EXAMPLE = ROOT / "sessions" / "example-xidajie-2023.toml"


def to_question(iv: Interview, qid: str) -> None:
    """Enter through the defaults up to ``qid`` (which must come on the way)."""
    while (ask := iv.current()) is not None and ask.id != qid:
        drive(iv, [""])
    assert ask is not None, f"{qid} never asked"


# ---------------------------------------------------------------- 2. limits per agency kind
def test_a_city_government_real_penalty_count_passes_without_a_question() -> None:
    iv = new_interview("city_government")
    to_question(iv, "proactive.penalties")
    reply = iv.answer("3985758")  # a 市级人民政府, 2024
    assert reply.ok and not reply.needs_confirmation
    assert iv.report().t2("penalties", "decisions") == 3985758


def test_an_extra_zero_from_a_subdistrict_is_asked() -> None:
    iv = new_interview("subdistrict")
    to_question(iv, "proactive.penalties")
    reply = iv.answer("500000")
    assert not reply.ok and reply.needs_confirmation
    assert "500,000（50万）" in reply.message and "街道/乡镇" in reply.message
    assert iv.report().t2("penalties", "decisions") == 0


@pytest.mark.parametrize("kind", [k for k, _ in form.AGENCY_KINDS])
def test_every_number_question_has_a_limit_for_every_kind(kind: str) -> None:
    qs = load_questions()
    limited = [q for q in qs.questions() if q.plausible_max]
    assert {q.id for q in limited} >= {"proactive.permits", "proactive.penalties", "proactive.fees"}
    for q in limited:
        assert qs.plausible_limit(q, kind) > 0


def test_a_limits_file_missing_a_kind_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "prompts"
    shutil.copytree(paths.prompts_dir(), folder)
    text = (folder / "limits.toml").read_text(encoding="utf-8").replace("provincial = 500_000_000", "", 1)
    (folder / "limits.toml").write_text(text, encoding="utf-8")
    with pytest.raises(DataFileError, match=r"decisions.*provincial"):
        load_question_set(folder)


# ---------------------------------------------------------------- 1. the confirmation of a doubtful number
@pytest.mark.parametrize(
    ("typed", "recorded"), [("1", 500000), ("是", 500000), ("2", None), ("否", None), ("", None), ("5000", 5000)]
)
def test_the_confirmation_means_what_its_choices_say(typed: str, recorded: int | None) -> None:
    iv = new_interview()
    to_question(iv, "proactive.permits")
    assert iv.answer("500000").needs_confirmation
    ask = iv.current()
    assert ask.confirming and [label for _, label in ask.choices] == ["是，没有打错", "否，重新输入"]
    assert ask.enter == "直接回车：否，重新输入"  # a reflex Enter never records a doubtful figure
    reply = iv.answer(typed)
    assert iv.session.answers.get("proactive.permits") == recorded
    assert reply.ok == (recorded is not None)
    assert iv.current().id == ("proactive.penalties" if recorded is not None else "proactive.permits")


def test_plain_mode_1_at_the_confirmation_records_the_number_not_1(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    session = store.new_session("测试街道", 2024)
    lines = ["", "", "", "", "", "", "500000", "1", ""]  # basics, 规范性文件, 许可 500000, 是, then 处罚 by Enter
    out = io.StringIO()
    run_plain(path, session, io.StringIO("\n".join(lines) + "\n"), out)
    saved = store.load_session(path).answers
    assert saved["proactive.permits"] == 500000 and saved["proactive.penalties"] == ""
    assert "1. 是，没有打错　2. 否，重新输入" in out.getvalue()


# ---------------------------------------------------------------- 3. Enter does exactly what the box says
def _enter_value(iv: Interview) -> str | None:
    """What Enter records now, by trying it (then undoing it)."""
    reply = iv.answer("")
    if not reply.ok:
        return None
    value = iv.transcript()[-1].answer
    iv.undo()
    return value


SCRIPT = [
    *["", "", "", "", ""],  # basics
    *["是", "2", "0", "2"],  # 规范性文件: 制发 2, 废止 0, 现行有效 2
    *["", "", "", ""],  # 许可 处罚 强制 收费
    *["是", "1", "5", "否"],  # 5 requests from 自然人, none carried over
    *["1 7", "3", ""],  # 予以公开 and 结转: 3 disclosed, the rest carried (Enter)
    *["是", "1", "1 0 0 1"],  # 行政复议 1 维持, 1 尚未审结
]


def test_enter_records_what_the_box_says_and_no_question_says_otherwise() -> None:
    iv = new_interview()
    for typed in [*SCRIPT, *[""] * 40]:
        ask = iv.current()
        if ask is None:
            break
        assert "回车" not in ask.text and "回车" not in ask.help, ask.id
        if ask.enter.startswith("直接回车："):
            assert _enter_value(iv) == ask.enter.removeprefix("直接回车："), ask.id
        elif not ask.enter:
            assert _enter_value(iv) is None, ask.id  # Enter is no answer, and the box does not pretend
        drive(iv, [typed])
    assert iv.current() is None


def test_enter_on_an_edited_question_keeps_the_answer_the_box_shows() -> None:
    iv = new_interview()
    drive(iv, SCRIPT[:20])
    ask = iv.goto("requests.count.natural_person.results.disclosed")
    assert ask.enter == "直接回车保留：3" and "回车" not in ask.text
    before = dict(iv.session.cells)
    assert iv.answer("").ok
    assert iv.session.cells == before


# ---------------------------------------------------------------- 4. only what must be fixed is an error
def test_a_correct_new_requests_answer_leaves_no_error_only_pending() -> None:
    iv = new_interview()
    to_question(iv, "requests.new.gate")
    replies = [iv.answer(t) for t in ("是", "1", "10")]
    assert all(r.ok and "注意" not in r.message for r in replies)
    view = iv.checks()
    assert view.errors == 0 and "T3-BAL" in {f.rule for f in view.pending}
    assert "错误" not in view.summary and "待填写" in view.summary
    assert iv.section_states()["requests"] == SectionState.IN_PROGRESS


def test_t2_flow_waits_for_the_in_force_question() -> None:
    iv = new_interview()
    to_question(iv, "proactive.normative_documents.gate")
    drive(iv, ["是", "5"])  # 本年制发 5; 现行有效 not asked yet
    view = iv.checks()
    assert "T2-FLOW" in {f.rule for f in view.pending} and "T2-FLOW" not in {f.rule for f in view.to_fix}
    drive(iv, ["0", "3"])  # 废止 0, 现行有效 3 < 5: now it is the clerk's to look at
    assert "T2-FLOW" in {f.rule for f in iv.checks().to_fix}


def test_an_edit_that_breaks_a_finished_table_is_told_at_once() -> None:
    iv = new_interview()
    drive(iv, SCRIPT[:20])
    iv.goto("requests.new.natural_person")
    reply = iv.answer("4")  # 5 → 4: 3 disclosed + 2 carried = 5 outcomes for 4 requests
    assert reply.ok and "注意" in reply.message and "T3-BAL" in {f.rule for f in iv.checks().to_fix}


# ---------------------------------------------------------------- 5. a broken report is marked 草稿
@pytest.mark.parametrize("fmt", FORMATS)
def test_a_report_with_an_error_carries_a_draft_mark_at_its_top(fmt: str) -> None:
    text = render_report(derive_report(store.load_session(ROW_TOTAL)), fmt)
    mark = "草稿：本报告还有1处错误未改正（T3-ROW），改正前请勿发布。"
    assert mark in text
    title_at = text.index("<h1>" if fmt == "html" else "二道区某局2022年政府信息公开工作年度报告")
    assert text.index(mark) < title_at
    assert "草稿" not in render_report(derive_report(store.load_session(EXAMPLE)), fmt)


def test_render_says_so_on_stderr_and_strict_fails(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["render", str(ROW_TOTAL)], io.StringIO()) == 0
    assert "1处错误" in capsys.readouterr().err
    assert main(["render", str(ROW_TOTAL), "--strict"], io.StringIO()) == 1
    assert "1处错误" in capsys.readouterr().err
    assert main(["render", str(EXAMPLE), "--strict"], io.StringIO()) == 0
    assert capsys.readouterr().err == ""


# ---------------------------------------------------------------- 6. money in 万元 and in 元
@pytest.mark.parametrize(("typed", "wan"), [("3940", 3940), ("3940元", 0.394), ("0.394万元", 0.394), ("无", 0)])
def test_table_two_fees_are_in_wan_yuan_whatever_unit_is_typed(typed: str, wan: float) -> None:
    assert parse_money(typed) == wan


@pytest.mark.parametrize(("typed", "yuan"), [("3940", 3940), ("3940元", 3940), ("0.394万元", 3940), ("12.5块", 12.5)])
def test_section_six_amounts_are_in_yuan_whatever_unit_is_typed(typed: str, yuan: float) -> None:
    assert parse_money(typed, "元") == yuan


@pytest.mark.parametrize("unit", ["万元", "元"])
def test_a_bad_amount_talks_about_money_not_counts(unit: str) -> None:
    with pytest.raises(ParseError) as error:
        parse_money("很多", unit)
    assert "金额" in str(error.value) and f"单位：{unit}" in str(error.value) and "件数" not in str(error.value)


def test_the_fee_confirmation_shows_the_stored_unit() -> None:
    iv = new_interview()
    to_question(iv, "proactive.fees")
    reply = iv.answer("3940元")
    assert reply.ok and "已记录：0.394万元" in reply.message
    assert iv.report().t2("fees", "amount") == 0.394


def _at_section_six_fee_amount() -> Interview:
    iv = new_interview()
    to_question(iv, "other.items")
    drive(iv, [""])  # the suggested fee sentence
    ask = iv.current()
    assert ask.id == "other.edit.1"
    keys = [k for k, _ in ask.choices]
    drive(iv, [str(keys.index("param:fee_amount") + 1)])
    return iv


@pytest.mark.parametrize("typed", ["3940", "3940元", "0.394万元"])
def test_section_six_fee_amount_accepts_yuan_and_wan_yuan(typed: str) -> None:
    iv = _at_section_six_fee_amount()
    ask = iv.current()
    assert ask.id == "other.edit_amount.1" and ask.kind == "money" and ask.unit == "元"
    reply = iv.answer(typed)
    assert reply.ok and "3940元" in reply.message
    (block,) = [b for b in iv.session.narrative["other"] if b.phrase == "other.fee.standard"]
    assert block.params["fee_amount"] == 3940


def test_section_six_refuses_words_as_an_amount_with_a_money_message() -> None:
    iv = _at_section_six_fee_amount()
    reply = iv.answer("三千多")
    assert not reply.ok and "金额" in reply.message and "件数" not in reply.message


# ---------------------------------------------------------------- 7. confirmations name the totals
def test_a_table_four_row_is_echoed_with_its_total() -> None:
    iv = new_interview()
    to_question(iv, "review_litigation.gate")
    drive(iv, ["是", "1"])
    reply = iv.answer("30 2 1 2")
    assert reply.ok
    assert "结果维持 30、结果纠正 2、其他结果 1、尚未审结 2" in reply.message
    assert "行政复议总计 35 件" in reply.message


def test_new_requests_are_echoed_with_their_running_total() -> None:
    iv = new_interview("city_government")
    to_question(iv, "requests.new.gate")
    drive(iv, ["是", "1 2", "2410"])
    reply = iv.answer("64")
    assert reply.ok and "本年新收合计 2474 件" in reply.message


def test_an_outcome_count_is_echoed_with_the_outcome_totals() -> None:
    iv = new_interview()
    drive(iv, SCRIPT[:18])
    reply = iv.answer("3")  # 予以公开 3 of 自然人's 5
    assert "予以公开合计 3 件" in reply.message and "办理结果总计 3 件" in reply.message


# ---------------------------------------------------------------- 8. an Enter-only run finishes
def test_new_plain_with_enter_only_gives_a_complete_consistent_draft(tmp_path: Path) -> None:
    folder = tmp_path / "sessions"
    env = {"PATH": "", "PYTHONPATH": str(ROOT / "src"), "LANG": "C.UTF-8", "PYTHONIOENCODING": "utf-8"}
    run = subprocess.run(
        [sys.executable, "-m", "report_wizard", "--dir", str(folder), "new", "--plain"],
        input="\n" * 200,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )
    assert run.returncode == 0, run.stderr
    asked = [line for line in run.stdout.splitlines() if line.startswith("问：")]
    assert len(asked) <= 40, len(asked)
    assert all(a != b for a, b in itertools.pairwise(asked)), "the same question twice in a row"
    assert "问题已经全部答完了。" in run.stdout
    assert "「五、存在的主要问题及改进情况」" in run.stdout.splitlines()[-1]  # left at suggestions: said at the end
    (path,) = folder.glob("*.toml")
    out = io.StringIO()
    assert main(["check", str(path)], out) == 0, out.getvalue()
    assert "S-EMPTY" not in out.getvalue()
    iv = Interview(store.load_session(path))
    assert iv.suggested_sections() == ["overview", "problems", "other"]  # the review lists them


def test_a_section_the_clerk_chose_in_is_not_listed_as_left_at_suggestions() -> None:
    iv = new_interview()
    to_question(iv, "problems.pick")
    drive(iv, ["1 4"])
    while iv.current() is not None:
        drive(iv, [""])
    assert "problems" not in iv.suggested_sections()
    assert {"overview", "other"} <= set(iv.suggested_sections())


# ---------------------------------------------------------------- yes/no by the numbers shown
@pytest.mark.parametrize(("typed", "value"), [("1", True), ("2", False), ("是", True), ("没有", False)])
def test_yes_no_questions_take_the_numbers_of_their_choices(typed: str, value: bool) -> None:
    iv = new_interview()
    to_question(iv, "requests.new.gate")
    drive(iv, [typed])
    assert iv.session.answers["requests.new.gate"] is value


def test_a_count_typed_at_a_yes_no_question_is_refused() -> None:
    iv = new_interview()
    to_question(iv, "requests.new.gate")
    reply = iv.answer("3")
    assert not reply.ok and "下一步" in reply.message
