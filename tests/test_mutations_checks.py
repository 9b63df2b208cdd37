"""Check holes a mutation run found: X-YEAR for a previous report that is not last year's, the S-COPY
threshold at 50 %, and ``check`` exiting 0 on warnings alone (1 only for errors)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from report_wizard import store
from report_wizard.checks import run_checks
from report_wizard.cli.main import main
from report_wizard.core import form
from report_wizard.core.model import Block, Meta, Report, Session, derive_report
from report_wizard.narrative.paragraphs import copy_ratio

NP = "natural_person"
BALANCED = {
    form.t3_cell("new_requests", NP): 5,
    form.t3_cell("results.disclosed", NP): 3,
    form.t3_cell("results.denied.state_secret", NP): 1,
    form.t3_cell("carried_forward", NP): 1,
}
TEXT = {
    "overview": "本年度依法做好政府信息公开工作。",
    "problems": "存在宣传不够的问题。针对以上问题，2024年，我街道将加强宣传。",
    "other": "本年度未收取信息处理费。",
}


def make(year: int, cells: dict | None = None, narrative: dict[str, str] | None = None) -> Report:
    session = Session(
        meta=Meta(agency="某街道", year=year),
        cells=cells or {},
        narrative={s: [Block(text=t)] for s, t in (narrative or TEXT).items()},
    )
    return derive_report(session)


# ---------------------------------------------------------------- X-YEAR
@pytest.mark.parametrize("previous_year", [2023, 2024, 2030, 2019])
def test_a_previous_report_that_is_not_last_years_is_said_and_not_compared(previous_year: int) -> None:
    this = make(2023, BALANCED)
    previous = make(previous_year, {form.t3_cell("new_requests", NP): 2, form.t3_cell("carried_forward", NP): 2})
    findings = run_checks(this, previous)
    assert [(f.rule, f.level, f.section) for f in findings] == [("X-YEAR", "warning", "overview")]
    assert findings[0].message == (f"用作上年报告的是 {previous_year} 年度报告，而本报告是 2023 年度，未做跨年核对。")


def test_last_years_report_is_compared_and_raises_no_x_year() -> None:
    previous = make(2022, {form.t3_cell("new_requests", NP): 2, form.t3_cell("carried_forward", NP): 2})
    findings = run_checks(make(2023, BALANCED), previous)
    assert [f.rule for f in findings] == ["X-CARRY"]


# ---------------------------------------------------------------- S-COPY: more than half copied
LAST_PLAN = (
    "一是政务公开宣传力度不够，群众知晓率不高。二是信息发布不够及时，部分栏目更新较慢。"
    "三是工作人员多为兼职，业务水平有待提高。下一步将加强培训，规范流程，提升公开质量。"
)
# About two thirds of last year's plan, then new sentences: copied well above 50 %, well below 80 %.
MOSTLY_COPIED = (
    "一是政务公开宣传力度不够，群众知晓率不高。二是信息发布不够及时，部分栏目更新较慢。"
    "三是工作人员多为兼职，业务水平有待提高。本年新增：政策解读形式单一，图解视频较少。"
)
# Just under half: two of last year's sentences among new ones.
PARTLY_COPIED = (
    "一是政务公开宣传力度不够，群众知晓率不高。二是政策解读形式单一，图解、视频等解读产品较少。"
    "三是依申请公开答复文书格式不够统一，个别答复说理不充分。下一步将加强培训，规范流程，提升公开质量。"
)


def with_problems(year: int, text: str) -> Report:
    return make(year, narrative={**TEXT, "problems": text})


def test_the_texts_lie_either_side_of_one_half() -> None:
    assert 0.6 < copy_ratio(MOSTLY_COPIED, LAST_PLAN) < 0.75
    assert 0.4 < copy_ratio(PARTLY_COPIED, LAST_PLAN) < 0.5


def test_s_copy_warns_above_one_half() -> None:
    findings = [f for f in run_checks(with_problems(2024, MOSTLY_COPIED), with_problems(2023, LAST_PLAN))]
    copied = [f for f in findings if f.rule == "S-COPY"]
    assert [(f.level, f.section) for f in copied] == [("warning", "problems")]
    ratio = copy_ratio(MOSTLY_COPIED, LAST_PLAN)
    assert copied[0].message == (
        f"「五、存在的主要问题及改进情况」有 {ratio:.0%} 的文字与 2023 年报告相同，请按本年实际情况改写。"
    )


def test_s_copy_is_quiet_below_one_half() -> None:
    findings = run_checks(with_problems(2024, PARTLY_COPIED), with_problems(2023, LAST_PLAN))
    assert not [f for f in findings if f.rule == "S-COPY"]


# ---------------------------------------------------------------- check: exit 1 for errors only
def write(folder: Path, name: str, cells: dict, narrative: dict[str, str] | None = None) -> Path:
    session = store.new_session("某街道", 2023)
    session.cells.update(cells)
    session.narrative = {s: [Block(text=t)] for s, t in (narrative or TEXT).items()}
    path = folder / name
    store.save_session(session, path)
    return path


def check(*paths: Path) -> tuple[int, list[str]]:
    out = io.StringIO()
    code = main(["check", *map(str, paths)], out)
    return code, out.getvalue().splitlines()


def test_check_exits_0_on_warnings_alone(tmp_path: Path) -> None:
    path = write(tmp_path, "warn.toml", {}, {**TEXT, "other": ""})  # S-FEE, S-EMPTY: warnings only
    code, lines = check(path)
    assert code == 0
    assert lines and all(line.startswith(f"{path}: 提醒 ") for line in lines)


def test_check_exits_1_on_an_error_and_0_when_clean(tmp_path: Path) -> None:
    clean = write(tmp_path, "clean.toml", BALANCED)
    unbalanced = write(tmp_path, "bad.toml", {**BALANCED, form.t3_cell("carried_forward", NP): 0})
    assert check(clean) == (0, [f"{clean}: 检查通过，没有发现问题。"])
    code, lines = check(unbalanced)
    assert code == 1
    assert any(line.startswith(f"{unbalanced}: 错误 T3-BAL ") for line in lines)
    warned = write(tmp_path, "warn.toml", {}, {**TEXT, "other": ""})
    assert check(clean, warned)[0] == 0
    assert check(warned, unbalanced, clean)[0] == 1


def test_copy_ratio_counts_characters_inside_shared_runs() -> None:
    assert copy_ratio("短文本", "这是短文本吗") == 1.0  # shorter than a run: copied if contained
    assert copy_ratio("短文本", "别的") == 0.0
    assert copy_ratio("abcdefghij", "abcdefghij") == 1.0  # exactly one run
    assert copy_ratio("abcdefghijk", "abcdefghij") == 10 / 11
    assert copy_ratio("xabcdefghijy", "abcdefghij") == 10 / 12
    assert copy_ratio("", "abcdefghij") == 0.0
