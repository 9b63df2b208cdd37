"""Paragraph library: the shipped phrases load and are complete; bad entries fail at load, naming file and entry."""

from __future__ import annotations

import itertools
import re
import textwrap
from pathlib import Path

import cn2an
import pytest

from report_wizard.core import form
from report_wizard.core.errors import DataFileError, SessionFileError
from report_wizard.core.model import Meta, Session, derive_report
from report_wizard.core.numerals import chinese_numeral, format_number
from report_wizard.narrative import phrases
from report_wizard.narrative.phrases import CONTEXT_KEYS, load_library, report_context

GOOD = """
[param.website]
label = "网站"
default = "{{ agency }}门户网站"

[param.trainings]
label = "培训次数"
type = "int"
default = 0

[[phrase]]
id = "overview.proactive.ok"
section = "overview"
role = "proactive"
title = "正常段落"
params = ["website"]
text = "通过{{ website }}公开信息。"

[[phrase]]
id = "problem.ok"
section = "problems"
role = "problem"
title = "问题"
measures = ["measure.ok"]
text = "宣传不够。"

[[phrase]]
id = "measure.ok"
section = "problems"
role = "measure"
title = "措施"
text = "{{ next_year }}年加强宣传。"
"""


def write(folder: Path, name: str, text: str) -> Path:
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


def report(kind: str = "subdistrict", cells: dict | None = None):
    meta = Meta(agency="西大街街道", agency_kind=kind, superior="文峰区人民政府", year=2023)
    return derive_report(Session(meta=meta, cells=cells or {}))


# ---------------------------------------------------------------- the shipped library
def test_shipped_library_loads_and_is_complete() -> None:
    lib = load_library()
    kinds = [k for k, _ in form.AGENCY_KINDS]
    for kind in kinds:
        for point, _ in form.OVERVIEW_POINTS:
            assert len(lib.options("overview", point, kind)) >= 3, (kind, point)
        assert lib.options("overview", "intro", kind)
        assert lib.options("other", "fee", kind)
        assert lib.options("problems", "problems_intro", kind)
        assert lib.options("problems", "measures_intro", kind)
        assert len(lib.options("problems", "problem", kind)) >= 10
    problems = lib.options("problems", "problem")
    assert len(problems) >= 12
    for problem in problems:
        assert 1 <= len(problem.measures) <= 3
        assert all(lib.phrases[m].role == "measure" for m in problem.measures)
        # a measure offered for a problem suits every agency kind the problem suits
        assert all(problem.kinds <= lib.phrases[m].kinds for m in problem.measures), problem.id
    for kind in form.GOVERNMENT_KINDS:
        assert lib.options("other", "work_points", kind)
        assert lib.options("other", "proposals", kind)
    assert not lib.options("other", "work_points", "subdistrict")


def test_every_measure_names_the_next_year() -> None:
    lib = load_library()
    ctx = report_context(report())
    for phrase in lib.options("problems", "measure"):
        assert any("2024年" in p for p in lib.expand(phrase.id, ctx)), phrase.id


def test_context_keys_are_exactly_what_report_context_gives() -> None:
    assert set(report_context(report())) == CONTEXT_KEYS


def test_context_values_come_from_the_tables() -> None:
    ctx = report_context(
        report(
            cells={
                "t3.new_requests.natural_person": 3,
                "t3.new_requests.legal_services": 2,
                "t3.results.denied.state_secret.natural_person": 1,
                "t3.results.denied.third_party.natural_person": 1,
                "t3.results.partly_disclosed.legal_services": 2,
                "t3.carried_forward.natural_person": 1,
                "t4.lawsuit_direct.upheld": 1,
                "t4.lawsuit_after_review.corrected": 2,
            }
        )
    )
    assert (ctx["new_requests"], ctx["new_by_person"], ctx["new_by_org"]) == (5, 3, 2)
    assert (ctx["denied"], ctx["partly_disclosed"], ctx["finished"], ctx["carried_forward"]) == (2, 2, 4, 1)
    assert ctx["outcomes"] == [("部分公开", 2), ("不予公开", 2)]
    assert (ctx["lawsuit_total"], ctx["review_total"]) == (3, 0)
    assert ctx["lawsuit_parts"] == [("结果维持", 1), ("结果纠正", 2)]
    assert (ctx["year"], ctx["next_year"], ctx["is_government"]) == (2023, 2024, False)


# ---------------------------------------------------------------- validation at load
def test_good_temp_library_loads(tmp_path: Path) -> None:
    write(tmp_path, "a.toml", GOOD)
    lib = load_library(tmp_path)
    assert set(lib.phrases) == {"overview.proactive.ok", "problem.ok", "measure.ok"}
    assert lib.expand("overview.proactive.ok", report_context(report())) == ["通过西大街街道门户网站公开信息。"]


def test_bad_parameter_name_fails_at_load_naming_file_and_entry(tmp_path: Path) -> None:
    write(tmp_path, "a.toml", GOOD)
    write(
        tmp_path,
        "broken.toml",
        """
        [[phrase]]
        id = "overview.platforms.typo"
        section = "overview"
        role = "platforms"
        title = "拼错参数"
        params = ["website"]
        text = "通过{{ webiste }}和{{ website }}公开。"
        """,
    )
    with pytest.raises(DataFileError) as caught:
        load_library(tmp_path)
    message = str(caught.value)
    assert "broken.toml" in message and "overview.platforms.typo" in message and "webiste" in message


@pytest.mark.parametrize(
    ("entry", "fragment"),
    [
        # a param the catalogue does not define
        ('params = ["nowhere"]\ntext = "{{ nowhere }}"', "nowhere"),
        # declared but unused
        ('params = ["website"]\ntext = "公开。"', "website"),
        # template syntax error
        ('text = "{% if year %}公开。"', "语法"),
        # unknown filter (caught when compiling)
        ('text = "{{ year|nofilter }}"', "nofilter"),
        # an unknown key in the entry
        ('text = "公开。"\ncolour = "red"', "colour"),
        # the sandbox refuses attribute tricks; caught by the trial render
        ('text = "{{ agency.__class__ }}"', "试生成"),
        # a runtime error (int + str) is caught by the trial render, not at the clerk's render
        ('text = "{{ year + agency }}"', "试生成"),
    ],
)
def test_broken_entries_fail_at_load(tmp_path: Path, entry: str, fragment: str) -> None:
    write(tmp_path, "a.toml", GOOD)
    body = (
        f'[[phrase]]\nid = "overview.proactive.bad"\nsection = "overview"\nrole = "proactive"\ntitle = "坏"\n{entry}\n'
    )
    write(tmp_path, "bad.toml", body)
    with pytest.raises(DataFileError) as caught:
        load_library(tmp_path)
    assert "bad.toml" in str(caught.value) and "overview.proactive.bad" in str(caught.value)
    assert fragment in str(caught.value)


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        # problem linking a measure that does not exist
        (GOOD.replace('measures = ["measure.ok"]', 'measures = ["measure.gone"]'), "measure.gone"),
        # problem without measures
        (GOOD.replace('measures = ["measure.ok"]\n', ""), "problem.ok"),
        # a measure that does not name the next year
        (GOOD.replace('"{{ next_year }}年加强宣传。"', '"加强宣传。"'), "measure.ok"),
        # a role that does not belong to the section
        (GOOD.replace('role = "proactive"', 'role = "measure"'), "overview.proactive.ok"),
        # an unknown agency kind
        (GOOD.replace('title = "正常段落"', 'title = "正常段落"\nkinds = ["village"]'), "village"),
        # a param named like a report value would shadow the tables
        (GOOD + '\n[param.new_requests]\nlabel = "x"\ntype = "int"\n', "new_requests"),
        # a param default using an unknown variable
        (GOOD.replace('"{{ agency }}门户网站"', '"{{ agnecy }}门户网站"'), "agnecy"),
        # duplicate id
        (
            GOOD + '\n[[phrase]]\nid = "measure.ok"\nsection = "other"\nrole = "other"\ntitle = "重"\ntext = "x"\n',
            "重复",
        ),
        # TOML syntax
        (GOOD + "\n[[phrase]\n", "无法读取"),
    ],
)
def test_library_level_errors(tmp_path: Path, text: str, fragment: str) -> None:
    write(tmp_path, "lib.toml", text)
    with pytest.raises(DataFileError) as caught:
        load_library(tmp_path)
    assert "lib.toml" in str(caught.value) and fragment in str(caught.value)


def test_empty_folder_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(DataFileError):
        load_library(tmp_path)


# ---------------------------------------------------------------- parameters from the block
def test_block_params_are_values_never_templates(tmp_path: Path) -> None:
    write(tmp_path, "a.toml", GOOD)
    lib = load_library(tmp_path)
    out = lib.expand("overview.proactive.ok", report_context(report()), {"website": "{{ 7*7 }}网"})
    assert out == ["通过{{ 7*7 }}网公开信息。"]


def test_numeric_params_are_coerced_or_refused() -> None:
    lib = load_library()
    ctx = report_context(report())
    assert "培训3次" in "".join(lib.expand("overview.supervision.training", ctx, {"trainings": "3"}))
    assert "培训" not in "".join(lib.expand("overview.supervision.training", ctx, {"trainings": 0}))
    with pytest.raises(SessionFileError):
        lib.expand("overview.supervision.training", ctx, {"trainings": "三次"})
    with pytest.raises(SessionFileError):
        lib.expand("overview.supervision.training", ctx, {"trainings": 1.5})


def test_unknown_phrase_id_is_a_session_error() -> None:
    with pytest.raises(SessionFileError, match=r"no\.such\.phrase"):
        phrases.library().expand("no.such.phrase", report_context(report()))


def test_defaults_follow_agency_kind() -> None:
    lib = load_library()
    phrase = lib.phrases["overview.platforms.government"]
    gov = lib.effective_params(phrase, report_context(report("county_government")), {})
    sub = lib.effective_params(lib.phrases["overview.platforms.subdistrict"], report_context(report()), {})
    assert gov["website"] == "西大街街道门户网站" and gov["service_center"] == "政务服务中心"
    assert sub["website"] == "文峰区人民政府门户网站" and sub["service_center"] == "便民服务中心"


# ---------------------------------------------------------------- helpers
def test_chinese_numeral_matches_cn2an() -> None:
    for n in range(10000):
        assert chinese_numeral(n) == cn2an.an2cn(n), n
    for bad in (-1, 10000, 1.0, True):
        with pytest.raises(ValueError):
            chinese_numeral(bad)  # type: ignore[arg-type]


def test_format_number() -> None:
    assert [format_number(v) for v in (3, 12.5, 2.0, 0.1 + 0.2, 0)] == ["3", "12.5", "2", "0.3", "0"]


# Roles whose paragraphs a clerk picks several of at once (a multichoice in the interview).
_PICKED_TOGETHER = {"intro", *(p for p, _ in form.OVERVIEW_POINTS), "problem", "measure", "fee", "work_points"}


def _runs(text: str, size: int = 12) -> set[str]:
    """Every run of ``size`` characters, leaving out cited titles and the agency's own names."""
    text = re.sub(r"《[^》]*》|西大街街道|文峰区人民政府", "|", text)
    return {text[i : i + size] for i in range(len(text) - size + 1) if "|" not in text[i : i + size]}


@pytest.mark.parametrize("kind", [k for k, _ in form.AGENCY_KINDS])
def test_paragraphs_picked_together_never_repeat_a_phrase(kind: str) -> None:
    """Two paragraphs offered side by side must not say the same twelve characters (a clerk who picks both
    would publish 「通过集中学习、以会代训等方式」 twice)."""
    lib = phrases.library()
    for values in (report(kind), report(kind, {form.t3_cell("new_requests", "natural_person"): 3})):
        ctx = report_context(values)
        roles = {(p.section, p.role) for p in lib.phrases.values() if p.role in _PICKED_TOGETHER}
        for section, role in sorted(roles):
            offered = lib.options(section, role, kind)
            texts = {p.id: "".join(lib.expand(p.id, ctx)) for p in offered}
            for a, b in itertools.combinations(offered, 2):
                if a.alternative and a.alternative == b.alternative:
                    continue  # two ways to say one thing: the interview refuses picking both
                shared = _runs(texts[a.id]) & _runs(texts[b.id])
                assert not shared, f"{a.id} and {b.id} both say {sorted(shared)[0]!r}"
