"""Pilot tests of whole flows: a full interview from the home screen, autosave, resume, undo, help."""

from __future__ import annotations

import zipfile
from pathlib import Path

from helpers import BASICS, EXAMPLE, answer, burst, interview_screen, make_app, new_file, xidajie_answers
from report_wizard.core.model import derive_report
from report_wizard.opening import DEFAULTS_CONFIRMED
from report_wizard.output.render import render_report
from report_wizard.store import load_session
from report_wizard.tui.screens.dialogs import HelpDialog
from report_wizard.tui.screens.home import HomeScreen
from report_wizard.tui.screens.new_session import NewSessionDialog
from report_wizard.tui.screens.review import ReviewScreen
from report_wizard.tui.widgets.chat import Bubble


async def test_full_run_from_home_reproduces_the_seed_report(tmp_path: Path) -> None:
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("n")
        assert isinstance(app.screen, NewSessionDialog)
        await pilot.press(
            *"西大街街道", "tab", "tab", *"2023", "enter", "enter"
        )  # year, then superior (left empty) starts
        await pilot.pause()
        screen = interview_screen(app)
        path = screen.opened.path
        assert path == tmp_path / "西大街街道-2023.toml"
        answers = xidajie_answers()
        del answers[3], answers[1], answers[0]  # agency, kind and year were given in the 新建 form
        assert screen.ask is not None and screen.ask.id == "basics.superior"
        for text in answers:
            assert screen.ask is not None, f"the interview ended before the answer {text!r}"
            await answer(pilot, text)
        assert screen.ask is None
        assert isinstance(app.screen, ReviewScreen)  # finishing opens the review once
    saved = load_session(path)
    assert render_report(derive_report(saved), "txt") == render_report(derive_report(load_session(EXAMPLE)), "txt")


async def test_every_answer_is_saved_before_the_next_question_and_resumes(tmp_path: Path) -> None:
    path = new_file(tmp_path)
    app = make_app(tmp_path, path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        for text in ["", "1", "文峰区人民政府"]:
            await answer(pilot, text)
        saved = load_session(path)
        assert saved.answers == {
            "basics.agency": "测试街道",
            "basics.agency_kind": "subdistrict",
            "basics.superior": "文峰区人民政府",
        }
        assert saved.meta.resume_at == "basics.year"
    # A second app on the same file shows the conversation so far and the question that was showing.
    app = make_app(tmp_path, path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = interview_screen(app)
        assert screen.ask is not None and screen.ask.id == "basics.year"
        texts = [str(b.content) for b in screen.query(Bubble)]
        assert "文峰区人民政府" in texts
        assert texts[-1] == screen.ask.text


async def test_a_bad_answer_shows_the_engine_message_and_asks_again(tmp_path: Path) -> None:
    path = new_file(tmp_path)
    app = make_app(tmp_path, path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        for text in ["", "1", "", "二〇二三"]:
            await answer(pilot, text)
        screen = interview_screen(app)
        bubbles = list(screen.query(Bubble))
        assert screen.ask is not None and screen.ask.id == "basics.year"
        assert bubbles[-2].has_class("-error") and "数字" in str(bubbles[-2].content)
        assert str(bubbles[-1].content) == screen.ask.text
        assert "basics.year" not in load_session(path).answers


async def test_undo_and_help(tmp_path: Path) -> None:
    path = new_file(tmp_path)
    app = make_app(tmp_path, path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await answer(pilot, "")
        await answer(pilot, "2")  # 县区人民政府, by its number
        assert load_session(path).meta.agency_kind == "county_government"
        await pilot.press("ctrl+z")
        await pilot.pause()
        screen = interview_screen(app)
        assert screen.ask is not None and screen.ask.id == "basics.agency_kind"
        assert "basics.agency_kind" not in load_session(path).answers  # the undo was saved too
        await pilot.press("f1")
        assert isinstance(app.screen, HelpDialog)
        assert "规章" in app.screen.text  # the question's help text
        await pilot.press("escape")
        assert app.screen is screen


async def test_a_reflex_1_enter_confirms_the_big_number_and_answers_nothing_else(tmp_path: Path) -> None:
    path = new_file(tmp_path, **BASICS, **{"proactive.normative_documents.gate": ""})
    app = make_app(tmp_path, path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = interview_screen(app)
        assert screen.ask is not None and screen.ask.id == "proactive.permits"
        await burst(pilot, *"50000000", "enter", "1", "enter")  # one burst, as a clerk types without looking
        saved = load_session(path)
        assert saved.answers["proactive.permits"] == 50000000
        assert "proactive.penalties" not in saved.answers
        assert app.screen is screen  # asked in the conversation, not in a dialog
        assert screen.ask is not None and screen.ask.id == "proactive.penalties" and not screen.ask.confirming
        texts = [str(b.content) for b in screen.query(Bubble)]
        assert any("50,000,000" in t and "确定没有多打数字吗" in t for t in texts)


async def test_a_reflex_2_enter_rejects_the_big_number_and_asks_it_again(tmp_path: Path) -> None:
    path = new_file(tmp_path, **BASICS, **{"proactive.normative_documents.gate": ""})
    app = make_app(tmp_path, path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = interview_screen(app)
        await burst(pilot, *"50000000", "enter", "2", "enter")
        saved = load_session(path)
        assert "proactive.permits" not in saved.answers and "proactive.penalties" not in saved.answers
        assert screen.ask is not None and screen.ask.id == "proactive.permits" and not screen.ask.confirming
        # A bare Enter at the confirmation is 否 too: a doubtful figure is never recorded by reflex.
        await burst(pilot, *"50000000", "enter", "enter")
        assert "proactive.permits" not in load_session(path).answers
        assert screen.ask is not None and screen.ask.id == "proactive.permits"
        # The number typed again at the confirmation is a new answer to the same question.
        await burst(pilot, *"50000000", "enter", *"5000", "enter")
        assert load_session(path).answers["proactive.permits"] == 5000
        assert screen.ask is not None and screen.ask.id == "proactive.penalties"


async def test_answers_typed_ahead_all_land_on_their_own_questions(tmp_path: Path) -> None:
    """A burst across kinds (count → count → yes/no → count): each answer goes to the question it was for."""
    path = new_file(tmp_path, **BASICS, **{"proactive.normative_documents.gate": ""})
    app = make_app(tmp_path, path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await burst(pilot, "3", "enter", "4", "enter", "5", "enter", "enter", "1", "enter", "2", "enter")
        saved = load_session(path).answers
        assert [saved[q] for q in ("proactive.permits", "proactive.penalties", "proactive.enforcement")] == [3, 4, 5]
        assert saved["proactive.fees"] == ""  # the bare Enter: the default 0, as the box said
        assert saved["requests.new.gate"] is True  # 1 = 是
        assert saved["requests.new.types"] == ["commercial"]  # 2 = 商业企业
        assert interview_screen(app).ask.id == "requests.new.commercial"


async def test_review_confirms_default_zero_sections_once_and_exports(tmp_path: Path) -> None:
    path = new_file(tmp_path)
    app = make_app(tmp_path, path)
    out = tmp_path / "导出"
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        for text in ["", "", "", "", "", "", "", "", "", ""]:  # basics, then 规范性文件 否 and zeros by Enter
            await answer(pilot, text)
        await pilot.press("f5")
        await pilot.pause()
        review = app.screen
        assert isinstance(review, ReviewScreen)
        assert review.has_class("-pending")
        assert "二、主动公开政府信息情况" in str(review.query_one("#defaults").content)
        review.query_one("#folder").value = str(out)
        await pilot.press("ctrl+e")
        await pilot.pause()
        assert type(app.screen).__name__ == "YesNoDialog"
        await pilot.press("1")  # selects 确认并导出; the Enter after it confirms
        assert type(app.screen).__name__ == "YesNoDialog"
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is review and not review.has_class("-pending")
        names = sorted(p.name for p in out.iterdir() if not p.name.startswith("."))  # not the export record
        assert names == [f"测试街道2024年政府信息公开工作年度报告.{ext}" for ext in ("docx", "html", "md", "txt")]
        assert "已导出" in str(review.query_one("#written").content)
        assert zipfile.is_zipfile(out / names[0])  # Ctrl+E writes the Word document too
        txt = (out / names[3]).read_text(encoding="utf-8")
        assert txt == render_report(screen_report(review), "txt")
        confirmed = load_session(path).answers[DEFAULTS_CONFIRMED]
        assert "proactive" in confirmed
        # Once confirmed, exporting again does not ask again.
        await pilot.press("ctrl+e")
        await pilot.pause()
        assert app.screen is review


def screen_report(review: ReviewScreen):
    return review.interview.report()


async def test_locked_session_shows_a_notice_and_stays_home(tmp_path: Path) -> None:
    from report_wizard.store import SessionLock

    path = new_file(tmp_path)
    with SessionLock(path):  # another window
        app = make_app(tmp_path, path)
        async with app.run_test(size=(80, 24), notifications=True) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, HomeScreen)
            notices = [n.message for n in app._notifications]
            assert any("另一个窗口" in m for m in notices), notices


async def test_home_lists_sessions_and_unreadable_files(tmp_path: Path) -> None:
    new_file(tmp_path, "东关街道", 2023, **{"basics.agency": ""})
    (tmp_path / "坏文件.toml").write_text("[meta\nagency = 1", encoding="utf-8")
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24), notifications=True) as pilot:
        await pilot.pause()
        home = app.screen
        assert isinstance(home, HomeScreen)
        rows = {info.path.name: info for info in home.infos}
        assert rows["坏文件.toml"].error and not rows["东关街道-2023.toml"].error
        options = home.query_one("#sessions")
        options.highlighted = next(i for i, info in enumerate(home.infos) if info.error)
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is home  # an unreadable file is not opened
        options.highlighted = next(i for i, info in enumerate(home.infos) if not info.error)
        await pilot.press("enter")
        await pilot.pause()
        screen = interview_screen(app)
        assert screen.opened.path.name == "东关街道-2023.toml"
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is home and not screen.opened.lock.held


async def test_example_copy_opens_and_leaves_the_original_untouched(tmp_path: Path) -> None:
    before = EXAMPLE.read_bytes()
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        screen = interview_screen(app)
        copy = screen.opened.path
        assert copy.parent == tmp_path and "副本" in copy.name
        assert copy.read_bytes() == before  # the copy starts as the example, byte for byte
        await answer(pilot, "")
    assert EXAMPLE.read_bytes() == before
    # The answer went into the copy, and the copy still holds the whole example report.
    saved, example = load_session(copy), load_session(EXAMPLE)
    assert saved.answers == {"basics.agency": "西大街街道"}
    assert (saved.cells, saved.narrative, saved.meta.title) == (example.cells, example.narrative, example.meta.title)
    assert render_report(derive_report(saved), "txt") == render_report(derive_report(example), "txt")


async def test_back_from_a_session_opened_directly_shows_home_and_unlocks(tmp_path: Path) -> None:
    path = new_file(tmp_path)
    app = make_app(tmp_path, path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = interview_screen(app)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert [info.path for info in app.screen.infos] == [path]
        assert not screen.opened.lock.held


def test_review_offers_every_render_format() -> None:
    from report_wizard.output import render
    from report_wizard.tui.screens.review import EXPORT_FORMATS

    assert EXPORT_FORMATS == render.EXPORT_FORMATS == (*render.FORMATS, "docx")


async def test_review_preview_scrolls_with_page_keys_at_80x24(tmp_path: Path) -> None:
    path = new_file(tmp_path)
    app = make_app(tmp_path, path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("f5")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        report = app.screen.query_one("#report")
        top = report.region.y
        await pilot.press("pagedown")
        await pilot.pause()
        assert report.region.y < top  # the report text moved up into view
