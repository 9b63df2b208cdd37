"""Splitting digits that ran together: only readings the printed totals allow, all of them, never one picked."""

from __future__ import annotations

from report_wizard.reading.numbers import Shape, first_group, readings

ROW = Shape(((7, True),))
T4 = Shape(((5, True),) * 3)
T2 = Shape(((3, False),))


def test_a_row_run_together_splits_by_its_total() -> None:
    assert readings(["21710000218"], ROW) == ([(217, 1, 0, 0, 0, 0, 218)], "split")
    assert readings(["230", "000023"], ROW)[0] == [(23, 0, 0, 0, 0, 0, 23)]  # the spaces are kept as cuts


def test_two_readings_that_both_add_up_are_both_kept() -> None:
    found, _ = readings(["220000325"], ROW)
    assert sorted(found) == [(2, 20, 0, 0, 0, 3, 25), (22, 0, 0, 0, 0, 3, 25)]


def test_printed_tokens_are_taken_as_printed_even_when_the_total_is_wrong() -> None:
    tokens = "10 1 0 0 0 0 0 0 0 0 5 0 0 0 0".split()
    assert readings(tokens, T4) == ([tuple(int(t) for t in tokens)], "printed")


def test_three_cells_without_a_total_are_ambiguous_and_leading_zeros_are_no_numbers() -> None:
    found, _ = readings(["693665"], T2)
    assert (69, 3, 665) in found and len(found) == 10  # 2021: 665 in force (INDEX: 665 + 88 − 55 = 698)
    assert readings(["000"], T2)[0] == [(0, 0, 0)]


def test_nothing_fits_gives_no_reading() -> None:
    assert readings(["12"], ROW) == ([], "joined")


def test_list_marks_are_not_numbers() -> None:
    assert first_group("00000002.其他法律") == (["0000000"], 0, 7)
    assert first_group("三 2.其他法律行政止公开 0 0 0 0 0 0 0")[0] == ["0"] * 7  # type: ignore[index]
    assert first_group("1.属于国家秘密") is None
    assert first_group("| 类别 | 数据1 | 数据2 |\n| 予以公开 | 290 | 1 |")[0] == ["290", "1"]  # type: ignore[index]
