"""Snapshot tests of every screen at 80x24 and 120x40 (fixed timestamps, cursor blink off).

Regenerate only after looking at the difference: pytest tests/test_tui_snapshots.py --snapshot-update,
then open snapshot_report.html or the SVG files in tests/__snapshots__/.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from report_wizard.interview import Interview
from report_wizard.store import new_session
from test_tui_checks import PROACTIVE
from test_tui_factory import BASICS, SIZES, make_app, write_session

SIZE_IDS = [f"{w}x{h}" for w, h in SIZES]


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A sessions folder shown as the relative path 「sessions」 (the tmp name never reaches the screen)."""
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "sessions"
    path.mkdir()
    return path


def answered(agency: str, year: int, answers: list[str], **stored: object) -> Interview:
    """A session driven through the engine with typed answers, as the clerk would have left it."""
    session = new_session(agency, year)
    session.answers.update(stored)  # type: ignore[arg-type]
    interview = Interview(session)
    for text in answers:
        reply = interview.answer(text)
        assert reply.ok, reply.message
    return interview


def mid_table_three(folder: Path) -> Path:
    """Table 三 half done: 12 requests received, none allocated yet — T3-BAL is 待填写, not an error."""
    interview = answered("测试街道", 2024, ["是", "1 2", "10", "2"], **BASICS, **PROACTIVE)
    assert any(f.rule == "T3-BAL" for f in interview.checks().pending)
    assert interview.checks().errors == 0
    return write_session(folder, interview.session)


def broken_table_three(folder: Path) -> Path:
    """Table 三 allocated, then 自然人 新收 edited down from 10 to 8: more outcomes than requests, a real error."""
    answers = ["是", "1", "10", "否", "1 7", "6", "", "否"]  # 10 requests: 6 予以公开, 4 结转; no cases
    interview = answered("测试街道", 2024, answers, **BASICS, **PROACTIVE)
    interview.goto("requests.new.natural_person")
    assert interview.answer("8").ok
    assert interview.checks().errors > 0
    return write_session(folder, interview.session)


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
def test_home(snap_compare, folder: Path, size: tuple[int, int]) -> None:
    basics = {**BASICS, "basics.agency": "西大街街道", "basics.year": 2023}
    write_session(folder, answered("西大街街道", 2023, ["否"], **basics).session)
    write_session(folder, new_session("东关街道", 2024))
    (folder / "旧格式.toml").write_text('schema_version = 1\n[meta]\nagency = "北关镇"\nyear = "2023"\n', "utf-8")
    assert snap_compare(make_app(folder), terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
def test_interview_start(snap_compare, folder: Path, size: tuple[int, int]) -> None:
    path = write_session(folder, new_session("测试街道", 2024))
    assert snap_compare(make_app(folder, path), terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
def test_interview_table_three_pending_check(snap_compare, folder: Path, size: tuple[int, int]) -> None:
    path = mid_table_three(folder)
    assert snap_compare(make_app(folder, path), terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
def test_interview_confirms_a_big_number_in_the_conversation(snap_compare, folder: Path, size: tuple[int, int]) -> None:
    path = write_session(
        folder, answered("测试街道", 2024, [], **BASICS, **{"proactive.normative_documents.gate": ""}).session
    )
    assert snap_compare(make_app(folder, path), terminal_size=size, press=[*"500000", "enter"])


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
def test_review_with_an_error(snap_compare, folder: Path, size: tuple[int, int]) -> None:
    path = broken_table_three(folder)
    assert snap_compare(make_app(folder, path), terminal_size=size, press=["f5"])


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
def test_grid_with_an_error(snap_compare, folder: Path, size: tuple[int, int]) -> None:
    """The grid editor over table 三 with more outcomes than requests: the cells of T3-BAL marked red."""
    path = broken_table_three(folder)
    assert snap_compare(make_app(folder, path), terminal_size=size, press=["f6"])
