"""The session use cases shared by the TUI and plain mode (report_wizard.opening): last year's session gives
the carried-over defaults and the cross-year checks in both; one rule for what was already answered; one
exclusive create; the default-zero confirmation in both."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import ROOT, answer, interview_screen, make_app
from report_wizard import store
from report_wizard.cli import main
from report_wizard.cli.plain import run_plain
from report_wizard.interview import Interview
from report_wizard.opening import DEFAULTS_CONFIRMED, OpenSession, start_new_session

BASICS = ["", "", "", "", ""]  # agency, kind, superior, year, title: as given
TABLE_TWO = ["", "", "", "", ""]  # 规范性文件 否, then zeros


def two_years(folder: Path) -> Path:
    """测试街道 2023 with 2 自然人 requests carried into 2024, and a new 2024 session beside it."""
    last = Interview(store.new_session("测试街道", 2023))
    for text in [*BASICS, *TABLE_TWO, "是", "1", "5", "否", "1 7", "3", ""]:
        assert last.answer(text).ok, text
    assert last.report().t3("carried_forward", "natural_person") == 2
    store.save_session(last.session, store.session_path("测试街道", 2023, folder))
    return start_new_session(folder, agency="测试街道", year=2024, kind="subdistrict")


def plain(path: Path, lines: list[str]) -> str:
    out = io.StringIO()
    run_plain(path, store.load_session(path), io.StringIO("\n".join(lines) + "\n"), out)
    return out.getvalue()


def test_plain_mode_offers_last_years_carried_over_requests(tmp_path: Path) -> None:
    path = two_years(tmp_path)
    output = plain(path, [*["", ""], *TABLE_TWO, "否", "", "", ""])  # superior, title; no new requests; Enter ×3
    assert "已找到上一年度（2023年）的报告" in output
    gate = output.index("问：有没有上年结转到本年继续办理的申请？")
    assert output[gate:].split("\n")[2] == "  （直接回车：是）"
    saved = store.load_session(path)
    assert saved.cells["t3.carried_over.natural_person"] == 2  # the default came from last year


def test_plain_mode_runs_x_carry_against_last_year(tmp_path: Path) -> None:
    path = two_years(tmp_path)
    output = plain(path, [*["", ""], *TABLE_TWO, "否", "是", "1", "1"])  # 1 carried, not last year's 2
    assert "错误 X-CARRY" in output and "2023 年报告" in output


async def test_the_tui_offers_the_same_defaults_and_the_same_check(tmp_path: Path) -> None:
    path = two_years(tmp_path)
    app = make_app(tmp_path, path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = interview_screen(app)
        for text in ["", "", *TABLE_TWO, "否"]:
            await answer(pilot, text)
        assert screen.ask.id == "requests.carried.gate" and screen.ask.enter == "直接回车：是"
        for text in ["是", "1", "1"]:
            await answer(pilot, text)
        assert "X-CARRY" in {f.rule for f in screen.interview.checks().to_fix}


def test_both_front_ends_open_through_the_same_use_case(tmp_path: Path) -> None:
    path = two_years(tmp_path)
    opened = OpenSession.open(path)
    try:
        assert opened.interview.previous is not None and opened.interview.previous.meta.year == 2023
    finally:
        opened.close()
    started = OpenSession.start(path, store.load_session(path))
    try:
        assert started.interview.previous is not None
    finally:
        started.close()


def test_what_was_given_is_answered_and_what_was_not_is_asked(tmp_path: Path) -> None:
    path = start_new_session(tmp_path, agency="东关街道", year=2024, kind=None, superior="")
    answers = store.load_session(path).answers
    assert answers == {"basics.agency": "东关街道", "basics.year": 2024}
    assert Interview(store.load_session(path)).current().id == "basics.agency_kind"
    unnamed = start_new_session(tmp_path, agency=None, year=None, kind=None)
    assert store.load_session(unnamed).answers == {}


def test_a_second_new_session_for_the_same_report_is_refused_everywhere(tmp_path: Path) -> None:
    start_new_session(tmp_path, agency="东关街道", year=2024, kind="subdistrict")
    with pytest.raises(store.SessionExistsError):
        start_new_session(tmp_path, agency="东关街道", year=2024, kind="subdistrict")
    code = main(["--dir", str(tmp_path), "new", "--plain", "--agency", "东关街道", "--year", "2024"])
    assert code == 2


@pytest.mark.parametrize(("typed", "confirmed"), [("1", True), ("", False), ("2", False)])
def test_plain_mode_asks_once_to_confirm_the_default_zero_tables(tmp_path: Path, typed: str, confirmed: bool) -> None:
    path = start_new_session(tmp_path, agency="东关街道", year=2024, kind="subdistrict")
    questions = Interview(store.load_session(path))
    count = 0
    while questions.current() is not None:  # as many Enters as there are questions, then the answer
        questions.answer("")
        count += 1
    output = plain(path, [""] * count + [typed])
    assert "确认这些部分确实都为 0 吗？" in output
    saved = store.load_session(path).answers
    assert (DEFAULTS_CONFIRMED in saved) is confirmed
    if confirmed:
        assert saved[DEFAULTS_CONFIRMED] == ["proactive", "requests", "review_litigation"]


@pytest.mark.parametrize(
    ("given", "kind"), [("县区人民政府", "county_government"), ("街道", "subdistrict"), ("provincial", "provincial")]
)
def test_kind_on_the_command_line_by_its_shown_name_or_id(tmp_path: Path, given: str, kind: str) -> None:
    argv = ["--dir", str(tmp_path), "new", "--plain", "--agency", "东关街道", "--year", "2024", "--kind", given]
    env = {"PATH": "", "PYTHONPATH": str(ROOT / "src"), "LANG": "C.UTF-8", "PYTHONIOENCODING": "utf-8"}
    run = subprocess.run([sys.executable, "-m", "report_wizard", *argv], stdin=subprocess.DEVNULL, env=env)
    assert run.returncode == 0
    assert store.load_session(tmp_path / "东关街道-2024.toml").meta.agency_kind == kind


def test_a_wrong_kind_is_refused_in_chinese(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["new", "--kind", "乱写"])
    err = capsys.readouterr().err
    assert "机关类型「乱写」无效" in err and "县区人民政府" in err and "argument" not in err
