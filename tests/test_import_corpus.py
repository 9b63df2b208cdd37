"""Every report of the corpus imports with every table cell equal to the source, or ambiguous where the source
truly is, or missing where it is not in the file (tests/fixtures/corpus/expected.toml, written by hand)."""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path

import pytest

from report_wizard.core import form
from report_wizard.core.model import Session
from report_wizard.reading import import_report
from report_wizard.reading.report import UNNAMED

CORPUS = Path(__file__).parent / "fixtures" / "corpus"
EXPECTED = tomllib.loads((CORPUS / "expected.toml").read_text(encoding="utf-8"))
T2_ROWS = [(r.id, [c for c, _ in b.columns]) for b in form.T2_BLOCKS for r in b.rows]


@cache
def imported(name: str) -> Session:
    return import_report(CORPUS / name).session


def expected_cells(entry: dict[str, object]) -> dict[str, str]:
    """cell id -> what the source shows: a number, "-" (missing), "?" or "?N" (ambiguous)."""
    out = {cell: "-" for cell in form.ALL_CELLS}
    for (row, columns), text in zip(T2_ROWS, entry.get("t2", ["- - -", "- - -", "-", "-", "-", "-"]), strict=True):  # type: ignore[call-overload]
        for column, value in zip(columns, str(text).split(), strict=True):
            out[form.t2_cell(row, column)] = value
    rows = entry.get("t3", [])
    if rows:
        assert len(rows) == len(form.T3_ROWS)  # type: ignore[arg-type]
        for row, text in zip(form.T3_ROWS, rows, strict=True):  # type: ignore[call-overload]
            values = ["0"] * 7 if text == "Z" else str(text).split()
            for (column, _, _), value in zip(form.T3_COLUMNS, values, strict=True):
                out[form.t3_cell(row.id, column)] = value
    if "t4" in entry:
        cells = [form.t4_cell(g, c) for g, _ in form.T4_GROUPS for c, _ in form.T4_COLUMNS]
        for cell, value in zip(cells, str(entry["t4"]).split(), strict=True):
            out[cell] = value
    return out


def shown(session: Session, cell: str) -> object:
    if cell in session.missing:
        return "-"
    if cell in session.ambiguous:
        return ("?", session.ambiguous[cell])
    if cell in session.declared:
        return session.declared[cell]
    return session.cells.get(cell, "absent")


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_every_cell_is_as_printed_ambiguous_or_missing(name: str) -> None:
    session = imported(name)
    wrong = []
    for cell, want in expected_cells(EXPECTED[name]).items():
        got = shown(session, cell)
        if want == "-":
            ok = got == "-"
        elif want.startswith("?"):
            ok = isinstance(got, tuple) and (want == "?" or float(want[1:]) in got[1])
        else:
            ok = not isinstance(got, (tuple, str)) and abs(float(got) - float(want)) < 1e-9  # type: ignore[arg-type]
        if not ok:
            wrong.append(f"{form.cell_name(cell)}: 应为 {want}，读到 {got}")
    assert not wrong, "\n".join(wrong)
    # a missing cell is neither a value nor a blank
    assert not set(session.missing) & (set(session.cells) | set(session.declared) | set(session.ambiguous))


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_agency_year_kind_and_table_format(name: str) -> None:
    entry, session = EXPECTED[name], imported(name)
    assert session.meta.agency == (entry["agency"] or UNNAMED)
    assert session.meta.year == entry["year"]
    if "kind" in entry:
        assert session.meta.agency_kind == entry["kind"]
    assert session.imported is not None
    assert session.imported.table_format == entry["format"]
    assert session.imported.report[0].startswith(f"读取：{name}")


def test_the_index_totals_agree() -> None:
    """INDEX.md's 表三 总计 new / carried / finished / carried forward, read from its table."""
    index = {
        "01": (21, 0, 21, 0), "02": (95, 0, 95, 0), "03": (713, 36, 718, 31), "04": (1295, 189, 1191, 293),
        "05": (23, 0, 23, 0), "06": (21, 0, 21, 0), "07": (70, 0, 69, 1), "08": (74, 1, 75, 0),
        "09": (81, 0, 81, 0), "10": (218, 0, 218, 0), "11": (154, 0, 148, 6),
    }  # fmt: skip
    rows = (form.T3_NEW, form.T3_CARRIED_OVER, form.T3_RESULTS_TOTAL, form.T3_CARRIED_FORWARD)
    for name in sorted(n for n in EXPECTED if n[:2] in index):
        session = imported(name)
        got = tuple(session.declared[form.t3_cell(r, "total")] for r in rows)
        assert got == index[name[:2]], name


def test_the_2019_layout_is_named_and_its_table_two_kept_verbatim() -> None:
    for name in ("05_pingtan_2019.txt", "06_pingtan_2020.txt"):
        session = imported(name)
        assert session.imported is not None
        assert any("2019 年版" in line for line in session.imported.report)
        assert "规范性文件" in session.imported.texts["proactive_table"]
        assert all(form.t2_cell(r, c) in session.missing for r, cs in T2_ROWS for c in cs)
