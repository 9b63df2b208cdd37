"""TUI holes a mutation run found: 「先不导出」 exports nothing and confirms nothing; clicking an earlier
answer in the conversation saves the place to resume from."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import answer, interview_screen, make_app, new_file
from report_wizard.opening import DEFAULTS_CONFIRMED
from report_wizard.store import load_session
from report_wizard.tui.screens.dialogs import YesNoDialog
from report_wizard.tui.screens.review import ReviewScreen
from report_wizard.tui.widgets.chat import Bubble


@pytest.mark.parametrize("keys", [("2", "enter"), ("escape",)], ids=["2-enter", "escape"])
async def test_not_exporting_yet_writes_nothing_and_confirms_nothing(tmp_path: Path, keys: tuple[str, ...]) -> None:
    path = new_file(tmp_path)
    app = make_app(tmp_path, path)
    out = tmp_path / "导出"
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        for text in [""] * 10:  # basics, then 规范性文件 否 and the zeros by Enter: table 二 is all default zero
            await answer(pilot, text)
        await pilot.press("f5")
        await pilot.pause()
        review = app.screen
        assert isinstance(review, ReviewScreen) and review.has_class("-pending")
        before = load_session(path).answers
        review.query_one("#folder").value = str(out)
        await pilot.press("ctrl+e")
        await pilot.pause()
        assert isinstance(app.screen, YesNoDialog)
        assert str(app.screen.query_one("#no").label) == "2 先不导出"
        await pilot.press(*keys)
        await pilot.pause()
        assert app.screen is review
        assert review.has_class("-pending")  # still to confirm
        assert "导出时全部按 0 报告，请确认一次" in str(review.query_one("#defaults").content)
        assert str(review.query_one("#written").content) == ""
        assert review.opened.unconfirmed_defaults() == review.interview.default_sections() != []
    assert not out.exists()  # nothing was written, not even the folder
    saved = load_session(path).answers
    assert DEFAULTS_CONFIRMED not in saved
    assert saved == before


async def test_clicking_an_earlier_answer_saves_the_place_to_resume_from(tmp_path: Path) -> None:
    path = new_file(tmp_path)
    app = make_app(tmp_path, path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        for text in ["", "1", "文峰区人民政府"]:
            await answer(pilot, text)
        assert load_session(path).meta.resume_at == "basics.year"
        screen = interview_screen(app)
        bubble = next(
            b for b in screen.query(Bubble) if b.question_id == "basics.agency_kind" and b.has_class("-clerk")
        )
        assert await pilot.click(bubble)
        await pilot.pause()
        assert screen.ask is not None and screen.ask.id == "basics.agency_kind"
        assert load_session(path).meta.resume_at == "basics.agency_kind"  # on disk before anything else is typed
    # Reopened (the first window closed without another answer): the question clicked is showing again.
    app = make_app(tmp_path, path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = interview_screen(app)
        assert screen.ask is not None and screen.ask.id == "basics.agency_kind"
