"""The one app factory shared by the Pilot and snapshot tests, fixed sessions, and typing helpers."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import tomli_w
from textual import events
from textual.pilot import Pilot

from conftest import ROOT
from report_wizard.core.model import Session
from report_wizard.store import load_session, new_session, session_document, session_path
from report_wizard.tui.app import ReportWizardApp
from report_wizard.tui.screens.interview import InterviewScreen

EXAMPLE = ROOT / "sessions" / "example-xidajie-2023.toml"
# Shown on the home screen as 最后修改: fixed so snapshots do not depend on the clock.
FIXED_TIME = datetime(2024, 1, 15, 10, 30, tzinfo=timezone(timedelta(hours=8)))
SIZES = ((80, 24), (120, 40))


# What the engine stores for the basics of 测试街道 2024 answered with Enter (as in a saved session).
BASICS = {
    "basics.agency": "测试街道",
    "basics.agency_kind": "subdistrict",
    "basics.superior": "",
    "basics.year": 2024,
    "basics.title": "",
}


def make_app(folder: Path, path: Path | None = None) -> ReportWizardApp:
    """The app as run_app builds it (home screen of ``folder``, or ``path`` opened), cursor blink off."""
    return ReportWizardApp(folder, path, cursor_blink=False)


def write_session(folder: Path, session: Session, name: str | None = None) -> Path:
    """Write a session with fixed timestamps (save_session would stamp the current time)."""
    session.meta.created = session.meta.updated = FIXED_TIME
    path = folder / name if name else session_path(session.meta.agency, session.meta.year, folder)
    path.write_text(tomli_w.dumps(session_document(session)), encoding="utf-8")
    return path


def new_file(folder: Path, agency: str = "测试街道", year: int = 2024, **answers: object) -> Path:
    session = new_session(agency, year)
    session.answers.update(answers)  # type: ignore[arg-type]
    return write_session(folder, session)


def xidajie_answers() -> list[str]:
    """What a clerk types for the seed report (西大街街道 2023), in asking order; "" is a bare Enter.

    Built like the interview tests build theirs: the basics, every gate answered 否, then in each narrative
    section 「2」 (自己写, a choice number answers at once) and the example session's own paragraphs, closed
    with an Enter.
    """
    example = load_session(EXAMPLE)
    paragraphs = {section: [block.text for block in blocks] for section, blocks in example.narrative.items()}
    basics = ["西大街街道", "1", "文峰区人民政府", "2023", example.meta.title]
    figures = ["否", "", "", "", "", "否", "否", "否"]  # 规范性文件, 许可, 处罚, 强制, 收费, 新收, 结转, 复议诉讼
    narrative = [text for section in ("overview", "problems", "other") for text in ["2", *paragraphs[section], ""]]
    return basics + figures + narrative


async def answer(pilot: Pilot, text: str) -> None:
    """Type an answer and press Enter, as a clerk does for every kind of question (a choice too: its
    number, then Enter). Short answers key by key, paragraphs pasted as a clerk would.

    (Pilot cannot press full-width punctuation such as 「、」 as keys, so text with it is pasted too.)
    """
    if len(text) > 12 or not all(ch.isalnum() or ch.isascii() for ch in text):
        pilot.app.post_message(events.Paste(text))  # as a terminal delivers it: the app forwards it to the focus
        await pilot.pause()
    elif text:
        await pilot.press(*text)
    await pilot.press("enter")
    await pilot.pause()


async def burst(pilot: Pilot, *keys: str) -> None:
    """Send keys as a terminal delivers a fast typist's burst: all queued at once, nothing processed between
    them (Pilot.press waits for the app to settle after every key, which hides races)."""
    app = pilot.app
    for key in keys:
        char = key if len(key) == 1 else None
        event = events.Key(key, char)
        event.set_sender(app)
        app._driver.send_message(event)  # type: ignore[union-attr]
    await pilot.pause()
    await pilot.pause()


def interview_screen(app: ReportWizardApp) -> InterviewScreen:
    screens = [s for s in app.screen_stack if isinstance(s, InterviewScreen)]
    assert screens, f"no interview open; screen stack: {app.screen_stack}"
    return screens[-1]


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
