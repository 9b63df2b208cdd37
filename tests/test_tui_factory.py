"""The one app factory shared by the Pilot and snapshot tests, fixed sessions, and typing helpers."""

from __future__ import annotations

from pathlib import Path

from helpers import interview_screen, make_app, new_file


async def test_factory_opens_a_session_at_its_first_question(tmp_path: Path) -> None:
    path = new_file(tmp_path)
    app = make_app(tmp_path, path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = interview_screen(app)
        assert app.screen is screen
        assert screen.ask is not None and screen.ask.id == "basics.agency"
        assert screen.opened.lock.held
    assert not screen.opened.lock.held  # closing the app released the lock
