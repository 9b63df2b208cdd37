"""Pilot: the home screen shows where each report stands (from what the interview last saved), and the
interview's progress counts sections, so it does not jump when a 「是」 opens more questions."""

from __future__ import annotations

from pathlib import Path

from helpers import answer, interview_screen, make_app
from report_wizard import store
from report_wizard.interview import Interview
from report_wizard.tui.screens.home import HomeScreen, session_line


def saved(folder: Path, agency: str, answers: list[str], *, to_the_end: bool = False) -> Interview:
    iv = Interview(store.new_session(agency, 2024))
    for text in answers:
        assert iv.answer(text).ok, text
    while to_the_end and iv.current() is not None:
        iv.answer("")
    store.save_session(iv.session, store.session_path(agency, 2024, folder))
    return iv


async def test_home_shows_errors_done_in_progress_and_not_started(tmp_path: Path) -> None:
    saved(tmp_path, "完成街道", [], to_the_end=True)
    saved(tmp_path, "进行街道", [""] * 12)
    broken = saved(tmp_path, "出错街道", [""] * 10 + ["是", "1", "10", "否", "1 7", "6", ""])
    broken.goto("requests.new.natural_person")
    assert broken.answer("8").ok  # more outcomes than requests now
    store.save_session(broken.session, store.session_path("出错街道", 2024, tmp_path))
    store.save_session(store.new_session("新的街道", 2024), store.session_path("新的街道", 2024, tmp_path))
    app = make_app(tmp_path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        home = app.screen
        assert isinstance(home, HomeScreen)
        lines = {info.agency: str(session_line(info)) for info in home.infos}
    assert "有1个错误" in lines["出错街道"]
    assert "已完成" in lines["完成街道"]
    assert "进行中 3/7 部分" in lines["进行街道"]
    assert "未开始" in lines["新的街道"]


async def test_progress_counts_sections_and_does_not_jump_when_questions_open(tmp_path: Path) -> None:
    path = store.session_path("测试街道", 2024, tmp_path)
    store.save_session(store.new_session("测试街道", 2024), path)
    app = make_app(tmp_path, path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = interview_screen(app)
        for text in ["", "", "", "", "", "是"]:  # basics, then 规范性文件: 是 opens three more questions
            await answer(pilot, text)
        status = str(screen.query_one("#status").content)
        assert "完成 1/7 部分" in status and "已答" not in status
