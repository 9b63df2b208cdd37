"""Pilot tests of the grid editor (issue 12): a pasted table 三, a refused paste, typed edits and undo."""

from __future__ import annotations

from pathlib import Path

from textual import events
from textual.pilot import Pilot

from helpers import assert_city_table, burst, city_block, interview_screen, make_app, write_session
from report_wizard.core import form
from report_wizard.interview import Interview
from report_wizard.store import load_session, new_session
from report_wizard.tui.screens.grid import GridScreen, GridTable
from report_wizard.tui.screens.review import ReviewScreen

DISCLOSED_NP = form.t3_cell("results.disclosed", "natural_person")


def city_file(folder: Path) -> Path:
    return write_session(folder, new_session("某市人民政府", 2024, agency_kind="city_government"))


async def paste(pilot: Pilot, text: str) -> None:
    pilot.app.screen.query_one(GridTable).post_message(events.Paste(text))
    await pilot.pause()


def shown(screen: GridScreen, widget: str) -> str:
    return str(screen.query_one(widget).render())


async def test_a_table_pasted_into_the_grid_fills_it_and_is_saved(tmp_path: Path) -> None:
    path = city_file(tmp_path)
    app = make_app(tmp_path, path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("f6")
        screen = app.screen
        assert isinstance(screen, GridScreen) and screen.table == "t3"
        await paste(pilot, city_block())
        assert "勾稽关系相符" in shown(screen, "#grid-remainder")
        table = screen.query_one(GridTable)
        assert str(table.get_cell_at((24, 7))) == "8"  # 四、结转下年度 总计
        assert str(table.get_cell_at((23, 1))) == "2449"  # （七）总计 自然人, computed
        await pilot.press("escape")
        assert app.screen is interview_screen(app)
        # the interview goes on after table 三: every row was answered by the paste
        assert interview_screen(app).ask.section != "requests"
    saved = load_session(path)
    assert_city_table(Interview(saved).report())
    assert {saved.entry[c] for c in form.T3_INPUT_CELLS} == {"grid"}


async def test_a_paste_of_the_wrong_shape_changes_nothing_and_says_why(tmp_path: Path) -> None:
    path = city_file(tmp_path)
    app = make_app(tmp_path, path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("f6")
        screen = app.screen
        before = path.read_bytes()
        await paste(pilot, "\n".join(city_block().splitlines()[:20]))
        message = shown(screen, "#grid-message")
        assert "有 19 行数字" in message.replace("\n", "") and "没有改动" in message.replace("\n", "")
        await paste(pilot, "1\t2\t3\n")
        assert path.read_bytes() == before
        assert screen.interview.session.answers == {}


async def test_typing_in_a_cell_is_saved_marked_when_wrong_and_undone(tmp_path: Path) -> None:
    path = city_file(tmp_path)
    app = make_app(tmp_path, path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("f6")
        screen = app.screen
        await paste(pilot, city_block())
        table = screen.query_one(GridTable)
        table.move_cursor(row=2, column=1, animate=False)  # （一）予以公开 自然人
        await pilot.press("down", "up")  # arrows move
        assert screen.current_cell() == DISCLOSED_NP
        await pilot.press(*"１１03")  # full-width digits from a Chinese input method too
        assert "1102 → 1103" in shown(screen, "#grid-cell")
        await pilot.press("enter")
        assert load_session(path).cells[DISCLOSED_NP] == 1103
        assert "T3-BAL" in {f.rule for f in screen.interview.findings()}
        assert "red" in str(table.get_cell_at((23, 1)).style)  # the cells of the broken rule are marked: （七）总计
        assert "red" not in str(table.get_cell_at((23, 2)).style)  # 商业企业 still balances
        assert "自然人 -1" in shown(screen, "#grid-remainder")
        await pilot.press("ctrl+z")
        assert load_session(path).cells[DISCLOSED_NP] == 1102
        assert str(table.get_cell_at((2, 1))) == "1102"
        await pilot.press(*"12", "right")  # moving away drops an unconfirmed edit
        assert load_session(path).cells[DISCLOSED_NP] == 1102
        table.move_cursor(row=23, column=1, animate=False)
        await pilot.press(*"5", "enter")  # a computed total is not typed over
        assert "由程序计算" in shown(screen, "#grid-message")
        await pilot.press("right_square_bracket")
        assert screen.table == "t4"
        await pilot.press(*"2", "enter")
        assert load_session(path).cells["t4.review.upheld"] == 2
        await pilot.press("right_square_bracket")
        assert screen.table == "t2"
        # typed ahead: the moves are done before the digits after them, whatever the speed
        await burst(pilot, "down", "down", "down", "down", "down", "1", ".", "5", "enter")
        assert load_session(path).cells["t2.fees.amount"] == 1.5


async def test_the_grid_opens_from_the_review(tmp_path: Path) -> None:
    app = make_app(tmp_path, city_file(tmp_path))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("f5")
        assert isinstance(app.screen, ReviewScreen)
        await pilot.press("f6")
        assert isinstance(app.screen, GridScreen)
        await pilot.press("escape")
        assert isinstance(app.screen, ReviewScreen)
