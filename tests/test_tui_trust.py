"""Pilot: trust in the TUI — Enter does what the box says, 待填写 is not an error, money in its unit, totals
echoed, a broken report reviewed errors-first and exported as 草稿, sections left at suggestions listed."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Static

from helpers import BASICS, GATE_QUESTIONS, PROACTIVE, answer, interview_screen, make_app, new_file
from report_wizard.store import load_session
from report_wizard.tui.screens.review import ReviewScreen
from report_wizard.tui.widgets.answer import AnswerArea
from report_wizard.tui.widgets.chat import Bubble
from report_wizard.tui.widgets.checks import CheckPanel


def bubbles(screen) -> list[str]:
    return [str(b.content) for b in screen.query(Bubble)]


def placeholder(screen) -> str:
    return screen.box.query_one(AnswerArea).placeholder


async def test_enter_takes_exactly_what_the_box_shows(tmp_path: Path) -> None:
    """Allocation: the box says 直接回车：3 and Enter puts the 3 there; reopened, it says 保留 and keeps it."""
    path = new_file(tmp_path, **BASICS, **PROACTIVE)
    app = make_app(tmp_path, path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = interview_screen(app)
        for text in ["是", "1", "5", "否", "1 7", "2"]:  # 5 from 自然人: 2 予以公开, then the rest to 结转
            await answer(pilot, text)
        ask = screen.ask
        assert ask.id == "requests.count.natural_person.carried_forward"
        assert "回车" not in ask.text  # the question never says what Enter does; the box does
        assert placeholder(screen) == "直接回车：3"
        await answer(pilot, "")
        assert load_session(path).cells["t3.carried_forward.natural_person"] == 3
        assert "（直接回车：3）" in bubbles(screen)
        screen.edit("requests.count.natural_person.results.disclosed")
        await pilot.pause()
        assert placeholder(screen) == "直接回车保留：2"
        await answer(pilot, "")
        cells = load_session(path).cells
        assert cells["t3.results.disclosed.natural_person"] == 2 and cells["t3.carried_forward.natural_person"] == 3


async def test_a_correct_new_requests_answer_shows_pending_not_an_error(tmp_path: Path) -> None:
    path = new_file(tmp_path, **BASICS, **PROACTIVE)
    app = make_app(tmp_path, path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = interview_screen(app)
        for text in ["是", "1", "10"]:
            await answer(pilot, text)
        panel = screen.query_one(CheckPanel)
        assert panel.findings == () and "T3-BAL" in {f.rule for f in panel.view.pending}
        prompts = [str(panel.get_option_at_index(i).prompt) for i in range(panel.option_count)]
        assert prompts and all("✗" not in p and "错误" not in p for p in prompts)
        assert any("待填写 T3-BAL" in p for p in prompts)
        status = str(screen.query_one("#status", Static).content)
        assert "错误" not in status and "待填写" in status
        assert not screen.query_one("#side").has_class("-errors")
        assert not any("注意" in b for b in bubbles(screen))  # the conversation agrees with the panel


async def test_fees_are_understood_in_either_unit_and_echoed_in_the_stored_one(tmp_path: Path) -> None:
    answered = {k: v for k, v in PROACTIVE.items() if k != "proactive.fees"}
    path = new_file(tmp_path, **BASICS, **answered)
    app = make_app(tmp_path, path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = interview_screen(app)
        assert screen.ask.id == "proactive.fees"
        await answer(pilot, "很多")
        assert "金额" in bubbles(screen)[-2] and "件数" not in bubbles(screen)[-2]
        await answer(pilot, "3940元")
        assert load_session(path).cells["t2.fees.amount"] == 0.394
        assert any("已记录：0.394万元" in b for b in bubbles(screen))


async def test_section_six_fee_amount_in_yuan(tmp_path: Path) -> None:
    gates = dict.fromkeys(GATE_QUESTIONS, "")
    path = new_file(tmp_path, **BASICS, **gates, **{"overview.mode": "skip", "problems.mode": "skip"})
    app = make_app(tmp_path, path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = interview_screen(app)
        await answer(pilot, "")  # 用段落库
        await answer(pilot, "")  # the suggested fee sentence
        keys = [k for k, _ in screen.ask.choices]
        await answer(pilot, str(keys.index("param:fee_notices") + 1))
        await answer(pilot, "2")
        keys = [k for k, _ in screen.ask.choices]
        await answer(pilot, str(keys.index("param:fee_amount") + 1))
        assert screen.ask.id == "other.edit_amount.2" and placeholder(screen) == "直接回车：0元"
        await answer(pilot, "0.394万元")
        assert any("已记录：3940元" in b for b in bubbles(screen))
        await answer(pilot, "")  # 不用改了
    other = load_session(path).narrative["other"]
    assert other[0].params == {"fee_notices": 2, "fee_amount": 3940}


async def test_a_table_four_row_is_echoed_with_its_total(tmp_path: Path) -> None:
    gates = {q: "" for q in GATE_QUESTIONS if q != "review_litigation.gate"}
    path = new_file(tmp_path, **BASICS, **gates)
    app = make_app(tmp_path, path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = interview_screen(app)
        assert screen.ask.id == "review_litigation.gate"
        for text in ["是", "1", "30 2 1 2"]:
            await answer(pilot, text)
        said = [b for b in bubbles(screen) if b.startswith("已记录：结果维持")]
        assert said and "行政复议总计 35 件" in said[-1]


async def test_a_broken_report_is_reviewed_errors_first_and_exported_as_draft(tmp_path: Path) -> None:
    path = new_file(tmp_path, **BASICS, **PROACTIVE)
    app = make_app(tmp_path, path)
    out = tmp_path / "导出"
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = interview_screen(app)
        for text in ["是", "1", "10", "否", "1 7", "6", "", "否"]:
            await answer(pilot, text)
        screen.edit("requests.new.natural_person")
        await pilot.pause()
        await answer(pilot, "8")  # 6 + 4 outcomes for 8 requests
        await pilot.press("f5")
        await pilot.pause()
        review = app.screen
        assert isinstance(review, ReviewScreen)
        panel = review.query_one("#findings", CheckPanel)
        assert app.focused is panel and review.query_one("#side").scroll_y == 0  # errors first, in view
        assert panel.findings[0].rule == "T3-BAL" and panel.findings[0].level == "error"
        assert "还有1个错误" in str(review.query_one("#verdict", Static).content)
        shown = "".join(str(review.query_one("#report", Static).content).split())  # wrapped lines joined
        assert shown.startswith("【草稿：本报告还有1处错误未改正（T3-BAL）")
        review.query_one("#folder").value = str(out)
        review.opened.confirm_defaults()
        await pilot.press("ctrl+e")
        await pilot.pause()
        written = sorted(p for p in out.iterdir() if not p.name.startswith("."))
        assert [p.suffix for p in written] == [".docx", ".html", ".md", ".txt"]
        for file in written[1:]:
            assert "草稿：本报告还有1处错误未改正（T3-BAL）" in file.read_text(encoding="utf-8")
        import docx

        first = docx.Document(str(written[0])).paragraphs[0].text
        assert first.startswith("【草稿：本报告还有1处错误未改正（T3-BAL）")


async def test_review_lists_the_sections_left_at_suggestions(tmp_path: Path) -> None:
    gates = dict.fromkeys(GATE_QUESTIONS, "")
    path = new_file(tmp_path, **BASICS, **gates)
    app = make_app(tmp_path, path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = interview_screen(app)
        while screen.ask is not None:
            await answer(pilot, "")
        review = app.screen
        assert isinstance(review, ReviewScreen)  # finishing opens it
        listed = str(review.query_one("#suggested", Static).content)
        for heading in ("一、总体情况", "五、存在的主要问题及改进情况", "六、其他需要报告的事项"):
            assert heading in listed
        assert app.focused is not review.query_one("#export-all")  # a reflex Enter does not export
