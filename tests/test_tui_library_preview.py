"""Pilot: choosing from the paragraph library, the clerk reads the paragraph, not only its short title: the
choice typed shows its text under the list, and F1 shows it whole."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Static

from helpers import interview_screen, make_app, write_session
from report_wizard import store
from report_wizard.interview import Interview
from report_wizard.tui.screens.dialogs import HelpDialog


def at_first_point(folder: Path) -> Path:
    iv = Interview(store.new_session("测试街道", 2024))
    while iv.current().id != "overview.point.proactive":
        iv.answer("")
    return write_session(folder, iv.session)


async def test_the_typed_choice_shows_its_paragraph_and_f1_the_whole_text(tmp_path: Path) -> None:
    path = at_first_point(tmp_path)
    app = make_app(tmp_path, path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = interview_screen(app)
        ask = screen.ask
        assert ask.id == "overview.point.proactive" and ask.details[1]
        await pilot.press("2")
        await pilot.pause()
        listed = "".join(str(screen.box.query_one(".choices", Static).content).split())
        assert ask.details[1][:30] in listed  # the start of paragraph 2, under the list
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpDialog)
        assert ask.details[1] in app.screen.text  # the whole paragraph
