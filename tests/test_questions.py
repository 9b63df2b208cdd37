"""The question files: they load, they cover the form, and mistakes in them are caught at load."""

from __future__ import annotations

import re
import shutil
from datetime import date
from pathlib import Path

import pytest

from report_wizard.core import form, paths
from report_wizard.core.errors import DataFileError
from report_wizard.interview.questions import (
    SECTION_ORDER,
    default_report_year,
    expand_cells,
    load_question_set,
    load_questions,
)


def test_every_section_has_a_file_and_questions_load() -> None:
    qs = load_questions()
    assert qs.sections == SECTION_ORDER
    assert {q.section for q in qs.questions()} == set(SECTION_ORDER)
    assert set(SECTION_ORDER) - {"basics"} == {s.id for s in form.SECTIONS}
    assert qs.section_title("requests") == form.SECTION_BY_ID["requests"].heading
    assert qs.section_title("basics") == "基本信息"


def test_questions_fill_every_input_cell_of_the_form() -> None:
    """Gates zero whole rows, counts fill single cells: no entered cell is left without a question."""
    qs = load_questions()
    filled: set[str] = set()
    for q in qs.questions():
        bindings = _all_bindings(q)
        for b in bindings:
            filled.update(expand_cells(q, b))
    assert set(form.INPUT_CELLS) <= filled
    assert not filled & form.TOTAL_CELLS


def _all_bindings(q) -> list[dict[str, str]]:
    from report_wizard.interview.rules import EACH

    out: list[dict[str, str]] = [{}]
    for name in (q.loop, q.each):
        if name:
            rule = EACH[name]
            out = [{**b, rule.var: key} for b in out for key in rule.domain(b)]
    return out


def test_template_ids_resolve_to_their_question() -> None:
    qs = load_questions()
    q, b = qs.template("requests.count.commercial.results.denied.state_secret")
    assert q.id == "requests.count.{column}.{slot}"
    assert b == {"column": "commercial", "slot": "results.denied.state_secret"}
    assert qs.template("requests.new.gate")[0].id == "requests.new.gate"
    assert qs.template("requests.new.research")[1] == {"column": "research"}
    assert qs.template("problems.paragraph.12")[1] == {"n": "12"}
    assert qs.template("requests.new.nobody") is None
    assert qs.template("overview.paragraph.x") is None


def test_question_files_do_not_copy_official_labels() -> None:
    """Labels live in form.py; a question names things in plain words (the UI shows form.cell_name)."""
    long_labels = [label for _, label in form.T3_TOP_LABELS.items()]
    long_labels += [label for g in form.T3_RESULT_GROUPS for _, label in g.items]
    long_labels += [g.label for g in form.T3_RESULT_GROUPS] + [form.T3_NOTE]
    long_labels += [c for b in form.T2_BLOCKS for _, c in b.columns] + [b.title for b in form.T2_BLOCKS]
    for path in paths.prompts_dir().glob("*.toml"):
        text = path.read_text(encoding="utf-8")
        for label in long_labels:
            assert label not in text, f"{path.name} repeats the official label {label!r}"


def test_no_code_or_jinja_in_question_files() -> None:
    for path in paths.prompts_dir().glob("*.toml"):
        text = path.read_text(encoding="utf-8")
        assert "{{" not in text and "{%" not in text and "lambda" not in text


def test_default_report_year() -> None:
    assert default_report_year(date(2024, 1, 15)) == 2023
    assert default_report_year(date(2024, 9, 30)) == 2023
    assert default_report_year(date(2024, 10, 1)) == 2024


# ---------------------------------------------------------------- load-time validation
@pytest.fixture
def prompts_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "prompts"
    shutil.copytree(paths.prompts_dir(), folder)
    return folder


def _edit(folder: Path, name: str, old: str, new: str) -> None:
    path = folder / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_copy_loads(prompts_copy: Path) -> None:
    assert len(list(load_question_set(prompts_copy).questions())) == len(list(load_questions().questions()))


@pytest.mark.parametrize(
    ("name", "old", "new", "message"),
    [
        ("requests.toml", 'when = "has_new_requests"', 'when = "has_no_such_rule"', "has_no_such_rule"),
        ("proactive.toml", 'cells = ["t2.permits.decisions"]', 'cells = ["t2.permits.total"]', "t2.permits.total"),
        ("requests.toml", 'cells = ["t3.new_requests.{column}"]', 'cells = ["t3.results.total.{column}"]', "单元格"),
        ("proactive.toml", 'id = "proactive.penalties"', 'id = "proactive.permits"', "重复"),
        ("proactive.toml", 'kind = "yesno"\ndefault = false', 'kind = "yesno"\nhint = 1\ndefault = false', "hint"),
        ("requests.toml", "本年新收{column_name}的申请", "本年新收{colum_name}的申请", "colum_name"),
        ("basics.toml", 'effect = "meta.agency"', 'effect = "meta.nothing"', "meta.nothing"),
        ("review_litigation.toml", 'kind = "counts_row"', 'kind = "table"', "kind"),
        ("other.toml", 'section = "other"', 'section = "others"', "section"),
    ],
)
def test_mistakes_are_caught_at_load(prompts_copy: Path, name: str, old: str, new: str, message: str) -> None:
    _edit(prompts_copy, name, old, new)
    with pytest.raises(DataFileError) as error:
        load_question_set(prompts_copy)
    assert name in str(error.value)
    assert message in str(error.value)


def test_missing_file_is_reported(prompts_copy: Path) -> None:
    (prompts_copy / "problems.toml").unlink()
    with pytest.raises(DataFileError, match=re.escape("problems.toml")):
        load_question_set(prompts_copy)
