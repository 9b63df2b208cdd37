"""No line on screen starts with closing punctuation, and no number is left without its unit on the next line:
a full all-Enter run and a non-zero run, captured screen by screen at 80x24 and 100x30."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import BASICS, PROACTIVE, answer, interview_screen, make_app, new_file
from report_wizard.tui.wrap import bad_breaks, wrap


def screen_lines(app) -> list[str]:
    """The text of the screen as the terminal shows it (each strip's characters, cells joined)."""
    return ["".join(segment.text for segment in strip) for strip in app.screen._compositor.render_strips()]


def conversation_lines(app) -> list[str]:
    """Only the chat (the side panel columns would join unrelated text on one screen line)."""
    lines = screen_lines(app)
    log = interview_screen(app).query_one("#log")
    x, y, w, h = log.region
    return [line[x : x + w] for line in lines[y : y + h]]


def test_wrap_keeps_numbers_with_their_units_and_punctuation_with_its_character() -> None:
    text = "表三 自然人列：新收 12 + 上年结转 1 = 13，但办理结果总计 6 + 结转下年度 4 = 10，相差 2 件。按 F5 预览。"
    for width in range(8, 60):
        lines = wrap(text, width)
        assert not bad_breaks(lines), (width, lines)
        assert "".join(lines).replace(" ", "") == text.replace(" ", "")


@pytest.mark.parametrize("size", [(80, 24), (100, 30)])
async def test_an_all_enter_run_wraps_by_the_rules(tmp_path: Path, size: tuple[int, int]) -> None:
    path = new_file(tmp_path)
    app = make_app(tmp_path, path)
    found: list[str] = []
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        while interview_screen(app).ask is not None:
            found += bad_breaks(conversation_lines(app))
            await answer(pilot, "")
    assert not found, found


@pytest.mark.parametrize("size", [(80, 24), (100, 30)])
async def test_a_nonzero_run_wraps_by_the_rules(tmp_path: Path, size: tuple[int, int]) -> None:
    path = new_file(tmp_path, **BASICS, **PROACTIVE)
    app = make_app(tmp_path, path)
    found: list[str] = []
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        for text in ["是", "1 2", "10", "2", "是", "1", "1", "1 4 7", "1", "6", "3", "", "1", "是", "1", "1 0 0 1"]:
            found += bad_breaks(conversation_lines(app))
            await answer(pilot, text)
        found += bad_breaks(conversation_lines(app))
    assert not found, found


@pytest.mark.parametrize("size", [(120, 40), (100, 30)], ids=["120x40", "100x30"])
async def test_the_review_panel_wraps_by_the_rules(tmp_path: Path, size: tuple[int, int]) -> None:
    """The review's verdict and notes (at 46 cells 「，按本单位实际修改。」 used to open a line)."""
    from helpers import COUNTY_ANSWERS, NARRATIVE_ENTERS, write_session
    from report_wizard.interview import Interview
    from report_wizard.store import new_session

    iv = Interview(new_session("文峰区教育局", 2023))
    for text in [*COUNTY_ANSWERS, *NARRATIVE_ENTERS]:
        assert iv.answer(text).ok
    path = write_session(tmp_path, iv.session)
    app = make_app(tmp_path, path)
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await pilot.press("f5")
        await pilot.pause()
        for panel in ("#verdict", "#suggested", "#defaults"):
            widget = app.screen.query_one(panel)
            lines = str(widget.render()).split("\n")
            assert lines and all(lines), panel
            assert bad_breaks(lines) == [], (panel, lines)
