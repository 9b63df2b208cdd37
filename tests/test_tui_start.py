"""Pilot: how the app starts — `report-wizard new` opens the 新建 form; a report just made is greeted as new."""

from __future__ import annotations

from pathlib import Path

from helpers import answer, interview_screen, make_app
from report_wizard.core.model import derive_report
from report_wizard.narrative.paragraphs import section_paragraphs
from report_wizard.opening import start_new_session
from report_wizard.store import load_session
from report_wizard.tui.screens.home import HomeScreen
from report_wizard.tui.screens.new_session import NewSessionDialog
from report_wizard.tui.widgets.chat import Bubble


async def test_new_without_arguments_opens_the_new_form(tmp_path: Path) -> None:
    from report_wizard.tui.app import ReportWizardApp

    app = ReportWizardApp(tmp_path, None, cursor_blink=False, new=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, NewSessionDialog)
        await pilot.press("escape")  # cancelled: home is underneath
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)


async def test_a_report_just_made_is_greeted_as_new_and_a_resumed_one_as_resumed(tmp_path: Path) -> None:
    path = start_new_session(tmp_path, agency="东关街道", year=2024, kind="subdistrict")
    for expected in ("您好", "继续上次的填写"):  # the second opening resumes what the first one started
        app = make_app(tmp_path, path)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            first = str(next(iter(interview_screen(app).query(Bubble))).content)
            assert first.startswith(expected), first
            await answer(pilot, "")


async def test_a_notice_shows_in_full_in_its_own_line(tmp_path: Path) -> None:
    """Toasts blanked double-width characters where they overlapped a widget's border (「无法  开」)."""
    from report_wizard.store import SessionLock
    from report_wizard.tui.widgets.notice import NoticeBar

    path = start_new_session(tmp_path, agency="锁定街道", year=2024, kind="subdistrict")
    with SessionLock(path):  # another window
        app = make_app(tmp_path, path)
        async with app.run_test(size=(100, 30)) as pilot:
            await pilot.pause()
            bar = app.screen.query_one(NoticeBar)
            assert bar.display and bar.text.startswith("无法打开：")
            shown = "".join(str(bar.render()).split())  # every character of the notice is on screen
            assert "会话「锁定街道-2024.toml」已在另一个窗口中打开，请先关闭那个窗口。" in shown
            assert all(not toast.display for toast in app.screen.query("Toast"))  # no toast drawn over the screen


async def test_the_palette_speaks_chinese_and_has_help(tmp_path: Path) -> None:
    from textual.command import CommandList

    from report_wizard.tui.palette import NO_MATCHES
    from report_wizard.tui.screens.dialogs import HelpDialog

    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"qqqq")
        await pilot.pause(0.8)
        listed = app.screen.query_one(CommandList)
        prompts = [str(listed.get_option_at_index(i).prompt) for i in range(listed.option_count)]
        assert any(NO_MATCHES in p for p in prompts) and not any("No matches" in p for p in prompts)
        for _ in range(4):
            await pilot.press("backspace")
        await pilot.press(*"帮助")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, HelpDialog) and "F1" in app.screen.text


async def test_ctrl_d_in_the_review_always_answers(tmp_path: Path) -> None:
    from report_wizard.tui.screens.review import ReviewScreen
    from report_wizard.tui.widgets.notice import NoticeBar

    path = start_new_session(tmp_path, agency="东关街道", year=2024, kind="subdistrict")
    app = make_app(tmp_path, path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("f5")
        await pilot.pause()
        review = app.screen
        assert isinstance(review, ReviewScreen) and review.opened.unconfirmed_defaults()
        await pilot.press("ctrl+d")
        await pilot.pause()
        assert not review.opened.unconfirmed_defaults()
        assert "已确认" in review.query_one(NoticeBar).text
        await pilot.press("ctrl+d")  # nothing left to confirm: it says so instead of doing nothing
        await pilot.pause()
        assert "没有需要确认的部分" in review.query_one(NoticeBar).text


async def palette_prompts(pilot) -> list[str]:
    from textual.command import CommandList

    await pilot.press("ctrl+p")
    await pilot.pause()
    listed = pilot.app.screen.query_one(CommandList)
    return [str(listed.get_option_at_index(i).prompt) for i in range(listed.option_count)]


async def test_the_review_palette_has_the_interview_goto_entries(tmp_path: Path) -> None:
    from report_wizard.tui.screens.review import ReviewScreen

    path = start_new_session(tmp_path, agency="东关街道", year=2024, kind="subdistrict")
    app = make_app(tmp_path, path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        in_interview = [p for p in await palette_prompts(pilot) if p.startswith("转到：")]
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("f5")
        await pilot.pause()
        assert isinstance(app.screen, ReviewScreen)
        in_review = await palette_prompts(pilot)
        assert [p for p in in_review if p.startswith("转到：")] == in_interview and len(in_interview) == 7
        await pilot.press(*"转到四")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        screen = interview_screen(app)
        assert app.screen is screen and screen.ask is not None and screen.ask.section == "review_litigation"


async def test_choosing_own_text_fills_the_answer_box_with_the_current_text(tmp_path: Path) -> None:
    from report_wizard.tui.widgets.answer import AnswerArea

    path = start_new_session(tmp_path, agency="东关街道", year=2024, kind="subdistrict")
    app = make_app(tmp_path, path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = interview_screen(app)
        while screen.ask is not None and screen.ask.section != "problems":
            await answer(pilot, "")
        while screen.ask is not None and screen.ask.section == "problems":
            await answer(pilot, "")
        assert all(b.phrase for b in screen.interview.session.narrative["problems"])  # from the library
        printed = section_paragraphs(screen.interview.report(), "problems")
        screen.open_section("problems")
        await pilot.pause()
        assert screen.ask.id == "problems.mode"
        await answer(pilot, "2")  # 自己写
        area = screen.query_one(AnswerArea)
        assert screen.ask.id == "problems.paragraph.1"
        assert area.text == screen.ask.prefill and "一是" in area.text  # the library's text, ready to edit
        await answer(pilot, "")  # Enter: the box's text is the answer
        await answer(pilot, "")  # no more paragraphs
        saved = load_session(path)
        assert all(b.text and not b.phrase for b in saved.narrative["problems"])  # the clerk's own text now
        assert section_paragraphs(derive_report(saved), "problems") == printed  # nothing lost on the way


async def test_the_website_question_in_the_tui_names_the_unit_s_own_column(tmp_path: Path) -> None:
    path = start_new_session(tmp_path, agency="东关街道", year=2024, kind="subdistrict", superior="甘州区人民政府")
    app = make_app(tmp_path, path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = interview_screen(app)
        while screen.ask is not None and screen.ask.id != "overview.website":
            await answer(pilot, "")
        assert screen.ask is not None and "甘州区人民政府门户网站" in screen.ask.enter
        await answer(pilot, "甘州区人民政府门户网站东关街道专栏")
        text = "".join(section_paragraphs(derive_report(load_session(path)), "overview"))
        assert "甘州区人民政府门户网站东关街道专栏" in text
