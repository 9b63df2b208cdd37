"""A broken data file reports every problem at once: each line names the file, its line, the question or
phrase, the field and the problem, in Chinese, with the closest valid name for a misspelt one."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from report_wizard.core import paths
from report_wizard.core.errors import DataFileError
from report_wizard.interview.questions import load_question_set, load_questions
from report_wizard.narrative.phrases import load_library


@pytest.fixture
def prompts(tmp_path: Path) -> Path:
    folder = tmp_path / "prompts"
    shutil.copytree(paths.prompts_dir(), folder)
    return folder


@pytest.fixture
def phrases(tmp_path: Path) -> Path:
    folder = tmp_path / "phrases"
    shutil.copytree(paths.phrases_dir(), folder)
    return folder


def edit(folder: Path, name: str, old: str, new: str) -> int:
    """Replace the first ``old`` in a file; returns the line number where ``new`` starts."""
    path = folder / name
    text = path.read_text(encoding="utf-8")
    assert old in text, (name, old)
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


def problems(error: pytest.ExceptionInfo[DataFileError]) -> list[str]:
    """The message's problem lines (after the 「…有 N 处错误：」 header when there are several)."""
    lines = str(error.value).splitlines()
    return lines[1:] if len(lines) > 1 else lines


def line_of(message: str) -> int:
    match = re.search(r"第 (\d+) 行", message)
    assert match, message
    return int(match.group(1))


# ---------------------------------------------------------------- prompts/
def test_three_mistakes_in_two_prompt_files_are_reported_together(prompts: Path) -> None:
    gate = 'kind = "yesno"\ndefault = false'
    extra = edit(prompts, "requests.toml", gate, 'kind = "yesno"\nhlep = "说明"\ndefault = false')
    when = edit(prompts, "requests.toml", 'when = "has_new_requests"', 'when = "has_new_requets"')
    effect = edit(prompts, "basics.toml", 'effect = "meta.agency"', 'effect = "meta.agncy"')
    with pytest.raises(DataFileError) as error:
        load_question_set(prompts)
    assert str(error.value).startswith("题目文件有 3 处错误：")
    found = problems(error)
    assert len(found) == 3
    # sorted by file, then by line
    assert found[0].startswith(f"题目文件「basics.toml」第 {effect} 行，问题「basics.agency」的 effect：")
    assert found[0].endswith("「meta.agncy」，是不是「meta.agency」？")
    assert found[1].startswith(f"题目文件「requests.toml」第 {extra + 1} 行，问题「requests.new.gate」的 hlep：")
    assert found[1].endswith("是不是「help」？")
    assert found[2].startswith(f"题目文件「requests.toml」第 {when} 行，问题「requests.new.types」的 when：")
    assert found[2].endswith("「has_new_requets」，是不是「has_new_requests」？")


@pytest.mark.parametrize(
    ("name", "old", "new", "field", "suggestion"),
    [
        ("basics.toml", 'kind = "choice"', 'kind = "choise"', "kind", "choice"),
        (
            "basics.toml",
            'choices_from = "agency_kinds"',
            'choices_from = "agency_kind"',
            "choices_from",
            "agency_kinds",
        ),
        ("basics.toml", 'default_from = "meta.year"', 'default_from = "meta.yaer"', "default_from", "meta.year"),
        ("requests.toml", 'each = "new_types"', 'each = "new_type"', "each", "new_types"),
        ("requests.toml", 'loop = "request_columns"', 'loop = "request_column"', "loop", "request_columns"),
        ("requests.toml", 'plausible_max = "requests"', 'plausible_max = "request"', "plausible_max", "requests"),
        ("requests.toml", "本年新收{column_name}的申请", "本年新收{colum_name}的申请", "text", "column_name"),
        ("proactive.toml", '"t2.permits.decisions"', '"t2.permits.decision"', "cells", "t2.permits.decisions"),
        ("limits.toml", "provincial = 500_000_000", "provincal = 500_000_000", "provincal", "provincial"),
    ],
)
def test_a_misspelt_name_gets_the_closest_valid_one(
    prompts: Path, name: str, old: str, new: str, field: str, suggestion: str
) -> None:
    line = edit(prompts, name, old, new)
    with pytest.raises(DataFileError) as error:
        load_question_set(prompts)
    hits = [p for p in problems(error) if f"是不是「{suggestion}」？" in p]
    assert len(hits) == 1, str(error.value)
    assert hits[0].startswith(f"题目文件「{name}」第 {line} 行，") and f"的 {field}：" in hits[0]


def test_a_syntax_error_does_not_hide_the_mistakes_of_other_files(prompts: Path) -> None:
    edit(prompts, "other.toml", 'section = "other"', 'section = "other')
    edit(prompts, "requests.toml", 'when = "has_new_requests"', 'when = "has_new_requets"')
    (prompts / "problems.toml").unlink()
    with pytest.raises(DataFileError) as error:
        load_question_set(prompts)
    found = problems(error)
    assert len(found) == 3
    assert found[0].startswith("题目文件「other.toml」第 ") and "无法读取：TOML 语法错误" in found[0]
    assert found[1] == "题目文件「problems.toml」：缺少这个文件（安装可能不完整）"
    assert found[2].startswith("题目文件「requests.toml」第 ") and "has_new_requets" in found[2]


def test_every_problem_of_one_question_is_reported(prompts: Path) -> None:
    edit(
        prompts,
        "proactive.toml",
        'cells = ["t2.permits.decisions"]',
        'cells = ["t2.permits.total"]\nwhen = "never"\nvalidator = "one_of_each_alternativ"\nminimum = "零"',
    )
    with pytest.raises(DataFileError) as error:
        load_question_set(prompts)
    found = problems(error)
    # A value of the wrong type does not hide the other mistakes of its question.
    assert [re.sub(r".*的 (\w+)：.*", r"\1", p) for p in found] == ["cells", "when", "validator", "minimum"]
    assert [line_of(p) for p in found] == sorted(line_of(p) for p in found)
    assert "是不是「t2.permits.decisions」？" in found[0]
    assert "是不是「one_of_each_alternative」？" in found[2]
    assert found[3].endswith('的 minimum：应为数字，而不是 "零"')


def test_a_field_left_out_for_its_type_causes_no_second_guess(prompts: Path) -> None:
    line = edit(prompts, "requests.toml", 'cells = ["t3.new_requests.{column}"]', 'cells = "t3.new_requests.{column}"')
    with pytest.raises(DataFileError) as error:
        load_question_set(prompts)
    # Without its cells the question would have nowhere to put the answer: not said, the type is the mistake.
    assert problems(error) == [
        f"题目文件「requests.toml」第 {line} 行，问题「requests.new.{{column}}」的 cells："
        '应为列表（写在方括号中），而不是 "t3.new_requests.{column}"'
    ]


def test_unknown_fields_do_not_hide_the_other_mistakes_of_a_question(prompts: Path) -> None:
    edit(prompts, "requests.toml", 'when = "has_new_requests"', 'when = "has_new_requets"\nhlep = "说明"')
    with pytest.raises(DataFileError) as error:
        load_question_set(prompts)
    found = problems(error)
    assert len(found) == 2
    assert any("的 hlep：" in p for p in found) and any("的 when：" in p for p in found)


def test_duplicate_ids_name_both_places(prompts: Path) -> None:
    edit(prompts, "proactive.toml", 'id = "proactive.penalties"', 'id = "proactive.permits"')
    edit(prompts, "requests.toml", 'id = "requests.new.gate"', 'id = "basics.agency"')
    with pytest.raises(DataFileError) as error:
        load_question_set(prompts)
    found = problems(error)
    assert any("proactive.toml" in p and "与本文件前面的一道题重复" in p for p in found)
    assert any(p.startswith("题目文件「requests.toml」") and "与「basics.toml」中的一道题重复" in p for p in found)


def test_a_clean_copy_still_loads_the_same_questions(prompts: Path) -> None:
    assert [q.id for q in load_question_set(prompts).questions()] == [q.id for q in load_questions().questions()]


# ---------------------------------------------------------------- templates/phrases/
def test_three_mistakes_in_two_phrase_files_are_reported_together(phrases: Path) -> None:
    role = edit(phrases, "problems.toml", 'role = "review"', 'role = "reveiw"')
    extra = edit(phrases, "problems.toml", 'role = "problems_intro"', 'role = "problems_intro"\ntitel = "导语"')
    param = edit(phrases, "overview.toml", 'params = ["website"', 'params = ["websit"')
    with pytest.raises(DataFileError) as error:
        load_library(phrases)
    assert str(error.value).startswith("段落库文件有 ")
    found = problems(error)
    overview = [p for p in found if p.startswith("段落库文件「overview.toml」")]
    problems_toml = [p for p in found if p.startswith("段落库文件「problems.toml」")]
    assert len(problems_toml) == 2 and found.index(overview[-1]) < found.index(problems_toml[0])
    assert overview[0].startswith(f"段落库文件「overview.toml」第 {param} 行，段落「")
    assert "的 params：参数「websit」未在任何段落库文件的 [param] 中定义，是不是「website」？" in overview[0]
    assert problems_toml[0].startswith(
        f"段落库文件「problems.toml」第 {role} 行，段落「problems.review.done」的 role："
    )
    assert problems_toml[0].endswith("是不是「review」？")
    assert problems_toml[1].startswith(f"段落库文件「problems.toml」第 {extra + 1} 行，")
    assert problems_toml[1].endswith("的 titel：不是可用的字段，是不是「title」？")


@pytest.mark.parametrize(
    ("name", "old", "new", "field", "suggestion"),
    [
        ("overview.toml", 'kinds = ["government"]', 'kinds = ["goverment"]', "kinds", "government"),
        ("overview.toml", 'section = "overview"', 'section = "overveiw"', "section", "overview"),
        ("overview.toml", "{{ agency }}", "{{ agncy }}", "text", "agency"),
        ("problems.toml", 'measures = ["measure.', 'measures = ["mesure.', "measures", "measure."),
        ("params.toml", 'type = "int"', 'tpye = "int"', "tpye", "type"),
        ("params.toml", "[param.website]", "[parm.website]", "parm", "param"),
    ],
)
def test_a_misspelt_phrase_name_gets_the_closest_valid_one(
    phrases: Path, name: str, old: str, new: str, field: str, suggestion: str
) -> None:
    line = edit(phrases, name, old, new)
    with pytest.raises(DataFileError) as error:
        load_library(phrases)
    hits = [p for p in problems(error) if f"是不是「{suggestion}" in p and f"{field}：" in p]
    assert hits, str(error.value)
    assert hits[0].startswith(f"段落库文件「{name}」")
    if field == "parm":  # a top-level table of the file: its line is not looked for
        return
    lines = (phrases / name).read_text(encoding="utf-8").splitlines()
    # A mistake inside a multi-line text is reported at the line where the text starts.
    starts = [i + 1 for i in range(line) if lines[i].startswith(f"{field} =")]
    assert line_of(hits[0]) == starts[-1]


def test_a_phrase_field_left_out_for_its_type_causes_no_second_guess(phrases: Path) -> None:
    line = edit(phrases, "overview.toml", 'params = ["website"]', 'params = "website"')
    with pytest.raises(DataFileError) as error:
        load_library(phrases)
    found = problems(error)
    assert len(found) == 1  # not also 「用到了参数「website」」: the type is the mistake
    assert found[0].startswith(f"段落库文件「overview.toml」第 {line} 行，段落「")
    assert found[0].endswith('的 params：应为列表（写在方括号中），而不是 "website"')


def test_a_phrase_syntax_error_does_not_hide_other_files(phrases: Path) -> None:
    edit(phrases, "other.toml", "[[phrase]]", "[[phrase]")
    edit(phrases, "problems.toml", 'role = "review"', 'role = "reveiw"')
    with pytest.raises(DataFileError) as error:
        load_library(phrases)
    found = problems(error)
    assert any(p.startswith("段落库文件「other.toml」第 ") and "TOML 语法错误" in p for p in found)
    assert any(p.startswith("段落库文件「problems.toml」") and "reveiw" in p for p in found)


def test_a_clean_phrase_copy_still_loads(phrases: Path) -> None:
    assert len(load_library(phrases).phrases) == len(load_library().phrases)
