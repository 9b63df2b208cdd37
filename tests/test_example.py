"""The shipped example session reproduces the seed report (西大街街道 2023)."""

from __future__ import annotations

import re
import tomllib
import unicodedata

import pytest

from helpers import FIXTURES, ROOT
from report_wizard.core import form, model, paths
from report_wizard.output import render

EXAMPLE = ROOT / "sessions" / paths.EXAMPLE_SESSION_NAME
SEED = FIXTURES / "seed-xidajie-2023.txt"
NUMBER = re.compile(r"^\d+(\.\d+)?$")


def norm(line: str) -> str:
    """Compare lines as a reader would: no whitespace at all, full-width （一） equal to (一)."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", line))


def text_lines(text: str) -> list[str]:
    return [norm(line) for line in text.splitlines() if line.strip() and "\t" not in line]


def number_lines(text: str) -> list[str]:
    """Table lines that carry figures (label cells and numbers)."""
    out = []
    for line in text.splitlines():
        cells = [c.strip() for c in line.split("\t")]
        if "\t" in line and any(NUMBER.match(c) for c in cells):
            out.append(norm(line))
    return out


@pytest.fixture(scope="module")
def session() -> model.Session:
    with EXAMPLE.open("rb") as f:
        return model.Session.model_validate(tomllib.load(f))


@pytest.fixture(scope="module")
def seed() -> str:
    return SEED.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def rendered(session: model.Session) -> str:
    return render.render_report(model.derive_report(session), "txt")


def test_example_file_shape(session: model.Session) -> None:
    raw = EXAMPLE.read_text(encoding="utf-8")
    assert raw.startswith("schema_version = 1\n")
    assert session.meta.agency == "西大街街道"
    assert session.meta.agency_kind == "subdistrict"
    assert session.meta.superior == "文峰区人民政府"
    assert session.meta.year == 2023
    # The seed clerk stated every figure, so every input cell is an explicit zero.
    assert set(session.cells) == set(form.INPUT_CELLS)
    assert set(session.cells.values()) == {0}
    assert all(session.provenance(c) is model.Provenance.ENTERED for c in form.INPUT_CELLS)
    assert all(block.text and not block.phrase for blocks in session.narrative.values() for block in blocks)


def test_title_is_the_seeds_and_comes_first(session: model.Session, seed: str, rendered: str) -> None:
    seed_title = next(line for line in seed.splitlines() if line.strip())
    assert session.meta.title == seed_title == "西大街 2023 年政府信息公开工作年度报告"
    assert rendered.splitlines()[0] == seed_title


def test_headings_and_paragraphs_match_the_seed(seed: str, rendered: str) -> None:
    expected = text_lines(seed)
    assert len(expected) == 1 + 6 + 8 + 4 + 1  # title, headings, paragraphs of 一、五、六
    assert text_lines(rendered) == expected


def test_every_seed_table_row_is_printed_in_order(seed: str, rendered: str) -> None:
    expected = number_lines(seed)
    assert len(expected) == 5 + 1 + 25 + 1  # table 二 rows, table 三 rows, table 四
    printed = number_lines(rendered)
    missing = [line for line in expected if line not in printed]
    assert not missing
    positions = [printed.index(line) for line in expected]
    assert positions == sorted(positions)


def test_example_renders_in_every_format(session: model.Session) -> None:
    report = model.derive_report(session)
    for fmt in render.FORMATS:
        out = render.render_report(report, fmt)
        for s in form.SECTIONS:
            assert s.heading in out
        assert "回顾 2023 年政府信息公开工作" in out
