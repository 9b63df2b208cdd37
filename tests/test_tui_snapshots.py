"""Snapshot tests of every screen at 80x24 and 120x40 (fixed timestamps, cursor blink off).

Regenerate only after looking at the difference: pytest tests/test_tui_snapshots.py --snapshot-update,
then open snapshot_report.html or the SVG files in tests/__snapshots__/.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import BASICS, COUNTY_ANSWERS, NARRATIVE_ENTERS, PROACTIVE, SIZES, make_app, write_session
from report_wizard.interview import Interview
from report_wizard.store import new_session

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


# ---------------------------------------------------------------- the screens a clerk reads (issue 11)
def home_with_every_status(folder: Path) -> None:
    """未开始, 进行中 m/7, 有 N 个错误 and 已完成 side by side."""
    write_session(folder, new_session("东关街道", 2024))
    basics = {**BASICS, "basics.agency": "西大街街道", "basics.year": 2023}
    write_session(folder, answered("西大街街道", 2023, ["否"], **basics).session)
    broken_table_three(folder)
    done = answered("文峰区教育局", 2023, [*COUNTY_ANSWERS, *NARRATIVE_ENTERS])
    assert done.current() is None and done.session.meta.finished
    write_session(folder, done.session)


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
def test_home_shows_where_each_report_stands(snap_compare, folder: Path, size: tuple[int, int]) -> None:
    home_with_every_status(folder)
    assert snap_compare(make_app(folder), terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
def test_new_form(snap_compare, folder: Path, size: tuple[int, int]) -> None:
    from report_wizard.tui.app import ReportWizardApp

    app = ReportWizardApp(folder, None, cursor_blink=False, new=True)
    assert snap_compare(app, terminal_size=size, press=[*"dongguan"])


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
def test_interview_with_an_error_panel_folded_at_80x24(snap_compare, folder: Path, size: tuple[int, int]) -> None:
    path = broken_table_three(folder)
    assert snap_compare(make_app(folder, path), terminal_size=size)


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
def test_library_choice_with_its_preview(snap_compare, folder: Path, size: tuple[int, int]) -> None:
    interview = answered("测试街道", 2024, [""] * 8 + ["", ""], **BASICS)  # tables zero; 一: library, opening
    assert interview.current().id == "overview.point.proactive"
    path = write_session(folder, interview.session)
    assert snap_compare(make_app(folder, path), terminal_size=size, press=["2"])


def scroll_preview_to(heading: str):
    """run_before for snap_compare: the review's preview scrolled so that ``heading`` is its first line."""
    from textual.geometry import Region

    async def run_before(pilot) -> None:
        await pilot.press("f5")
        await pilot.pause()
        report = pilot.app.screen.query_one("#report")
        strips = report.render_lines(Region(0, 0, report.size.width, report.size.height))
        line = next(n for n, strip in enumerate(strips) if strip.text.strip().startswith(heading))
        scroller = pilot.app.screen.query_one("#body" if pilot.app.screen.has_class("-narrow") else "#preview")
        scroller.scroll_to(y=line + (report.region.y - scroller.region.y + scroller.scroll_y), animate=False)
        await pilot.pause()

    return run_before


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
@pytest.mark.parametrize(
    "heading", ["二、主动公开", "三、收到和处理", "四、政府信息公开行政复议"], ids=["t2", "t3", "t4"]
)
def test_review_tables(snap_compare, folder: Path, size: tuple[int, int], heading: str) -> None:
    done = answered("文峰区教育局", 2023, [*COUNTY_ANSWERS, *NARRATIVE_ENTERS])
    path = write_session(folder, done.session)
    assert snap_compare(make_app(folder, path), terminal_size=size, run_before=scroll_preview_to(heading))


@pytest.mark.parametrize("size", SIZES, ids=SIZE_IDS)
def test_grid_with_an_error(snap_compare, folder: Path, size: tuple[int, int]) -> None:
    """The grid editor over table 三 with more outcomes than requests: the cells of T3-BAL marked red."""
    path = broken_table_three(folder)
    assert snap_compare(make_app(folder, path), terminal_size=size, press=["f6"])
