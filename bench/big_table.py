"""Issue 12: the 市级人民政府 table 三 entered three ways — guided questions, row by row, the grid (typed cell by
cell, or pasted) — with the answers, keystrokes and engine time each takes.

Keystrokes count every character typed plus Enter; in the grid also the arrow keys that move between the cells
typed (row-major; a zero cell is skipped over by an arrow, never typed) and F6 to open it. Figures are for the
issue notes, never for test assertions.  Run: python bench/big_table.py
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "tests"))

from report_wizard import store  # noqa: E402
from report_wizard.core import form  # noqa: E402
from report_wizard.interview import Interview  # noqa: E402
from report_wizard.interview.grid import GRIDS, parse_block  # noqa: E402
from report_wizard.interview.rules import outcome_categories  # noqa: E402
from test_rows_and_grid import CITY_ROWS, assert_city_table, city_block, city_lines  # noqa: E402

COLUMNS = form.T3_PART_COLUMNS
TABLE = {row: dict(zip(COLUMNS, numbers, strict=True)) for row, _, numbers in CITY_ROWS}


def fresh() -> Interview:
    iv = Interview(store.new_session("某市人民政府", 2024, agency_kind="city_government"))
    while iv.current().section != "requests":
        assert iv.answer("").ok
    return iv


def _indices(ask, wanted: set[str]) -> str:
    return " ".join(str(n) for n, (key, _) in enumerate(ask.choices, 1) if key in wanted)


def guided_answer(ask) -> str:
    """What a clerk with the table at hand types at each guided question."""
    parts = ask.id.split(".")
    if ask.id in ("requests.new.gate", "requests.carried.gate"):
        return "是"
    if ask.id == "requests.new.types":
        return _indices(ask, {c for c in COLUMNS if TABLE["new_requests"][c]})
    if ask.id == "requests.carried.types":
        return _indices(ask, {c for c in COLUMNS if TABLE["carried_over"][c]})
    if parts[1] in ("new", "carried"):
        return str(TABLE["new_requests" if parts[1] == "new" else "carried_over"][parts[2]])
    column = parts[2]
    if parts[1] == "outcomes":
        keys = {key for key, _ in outcome_categories()}
        used = {k for k in keys if any(TABLE[r][column] for r in TABLE if r == k or r.startswith(f"results.{k}"))}
        used |= {form.T3_CARRIED_FORWARD} if TABLE[form.T3_CARRIED_FORWARD][column] else set()
        return _indices(ask, used)
    if parts[1] == "outcome":
        group = parts[3]
        return _indices(ask, {k for k, _ in ask.choices if TABLE[f"results.{group}.{k}"][column]})
    if parts[1] == "count":
        value = str(TABLE[".".join(parts[3:])][column])
        return "" if ask.default == value else value
    if parts[1] == "rest":
        value = str(TABLE[form.T3_CARRIED_FORWARD][column])
        return "" if ask.default == value else value
    raise AssertionError(ask.id)


def run_guided() -> tuple[int, int, float]:
    iv = fresh()
    answers = keys = 0
    start = time.perf_counter()
    while iv.current().section == "requests":
        text = guided_answer(iv.current())
        reply = iv.answer(text)
        assert reply.ok, (iv.current().id, text, reply.message)
        answers, keys = answers + 1, keys + len(text) + 1
    elapsed = time.perf_counter() - start
    assert_city_table(iv.report())
    return answers, keys, elapsed


def run_rows() -> tuple[int, int, float]:
    iv = fresh()
    lines = city_lines()
    start = time.perf_counter()
    for text in lines:
        assert iv.answer(text).ok
    elapsed = time.perf_counter() - start
    assert_city_table(iv.report())
    return len(lines), sum(len(t) + 1 for t in lines), elapsed


def run_grid_typed() -> tuple[int, int, float]:
    """Cell by cell: every non-zero input cell typed and confirmed, arrows between them."""
    iv = fresh()
    grid = GRIDS["t3"]
    width = len(grid.columns)
    keys, edits, position = 1, 0, (0, 0)  # F6
    start = time.perf_counter()
    for r, row in enumerate(grid.rows):
        for c, cell in enumerate(row.cells):
            if row.computed or cell is None or not TABLE[row_id(cell)][column_id(cell)]:
                continue
            value = TABLE[row_id(cell)][column_id(cell)]
            keys += abs(r - position[0]) + abs(c - position[1])  # arrows
            keys += len(str(value)) + 1
            position = (r, c)
            assert iv.set_cells({cell: value}).ok
            edits += 1
    elapsed = time.perf_counter() - start
    assert_city_table(iv.report())
    assert width == 7
    return edits, keys, elapsed


def run_grid_paste() -> tuple[int, int, float]:
    iv = fresh()
    start = time.perf_counter()
    assert iv.set_cells(parse_block(GRIDS["t3"], city_block())).ok
    elapsed = time.perf_counter() - start
    assert_city_table(iv.report())
    return 1, 2, elapsed  # F6, then Ctrl+V of the block copied from last year's Word table


def row_id(cell: str) -> str:
    return cell.split(".", 1)[1].rsplit(".", 1)[0]


def column_id(cell: str) -> str:
    return cell.rsplit(".", 1)[1]


def main() -> None:
    print("表三（市级人民政府，issue 12）：答案数 / 按键数 / 引擎耗时")
    for name, run in (
        ("guided 一问一答", run_guided),
        ("row 按表格逐行填写", run_rows),
        ("grid 表格逐格输入", run_grid_typed),
        ("grid 粘贴整张表", run_grid_paste),
    ):
        answers, keys, elapsed = run()
        print(f"{name:<18} answers {answers:>3}  keystrokes {keys:>4}  engine {elapsed * 1000:7.1f} ms")


if __name__ == "__main__":
    main()
