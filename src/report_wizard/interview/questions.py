"""The interview's questions, loaded from prompts/*.toml into frozen models and validated once.

A question may be a template: ``each`` (or the ``loop`` its neighbours share) names a Python expansion
that binds a variable such as {column}; texts may name live values in braces (interview_rules.CONTEXT_NAMES).
"""

from __future__ import annotations

import fnmatch
import re
import string
import tomllib
from collections.abc import Iterator
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from report_wizard.core import form, paths
from report_wizard.core.errors import DataFileError
from report_wizard.interview.effects import EFFECTS
from report_wizard.interview.rules import (
    BOUNDS,
    CHOICES,
    CONTEXT_NAMES,
    DEFAULTS,
    EACH,
    VALIDATORS,
    WHEN,
    Bindings,
)

Kind = Literal["yesno", "count", "money", "choice", "multichoice", "order", "text", "counts_row"]
# Asking order: the figures first (the text of 一 can then speak of them), the narrative sections last.
SECTION_ORDER: tuple[str, ...] = (
    "basics",
    "proactive",
    "requests",
    "review_litigation",
    "overview",
    "problems",
    "other",
)
BASICS_TITLE = "基本信息"
_INPUT_CELLS = form.INPUT_CELLS
_INPUT_SET = frozenset(_INPUT_CELLS)


class Question(BaseModel):
    """One question (or a template of questions) as written in prompts/<section>.toml."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    text: str
    help: str
    kind: Kind
    default: bool | int | float | str | list[str] | list[int] | None = None  # None: an answer is required
    when: str = ""  # interview_rules.WHEN
    each: str = ""  # interview_rules.EACH: repeat this question
    loop: str = ""  # interview_rules.EACH shared by consecutive questions: repeat them together
    cells: tuple[str, ...] = ()  # cell ids or patterns ("t3.new_requests.*", "t3.new_requests.{choice}")
    choices: tuple[tuple[str, str], ...] = ()
    choices_from: str = ""  # interview_rules.CHOICES
    placeholder: str = ""
    empty_label: str = ""  # text questions: what an empty answer means, e.g. 「使用标准标题」
    effect: str = ""  # interview_effects.EFFECTS; "cells" when empty
    default_from: str = ""  # interview_rules.DEFAULTS: a default computed from the session
    bound: str = ""  # interview_rules.BOUNDS: the largest value allowed now
    validator: str = ""  # interview_rules.VALIDATORS: refuses a parsed answer with a Chinese sentence
    minimum: float | None = None
    maximum: float | None = None
    unit: Literal["万元", "元"] = "万元"  # money: what a bare number means (the other unit is converted)
    plausible_max: str = ""  # a limit set of prompts/limits.toml: above its value for the agency kind, ask to confirm
    section: str = ""  # set by the loader from the file


class Loop(BaseModel):
    """Consecutive questions repeated together for each key of ``each`` (e.g. each applicant type)."""

    model_config = ConfigDict(frozen=True)

    each: str
    questions: tuple[Question, ...]


class _SectionFile(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    section: str
    title: str = ""
    question: tuple[Question, ...] = Field(min_length=1)


FlowItem = Question | Loop


class QuestionSet(BaseModel):
    """Every question in asking order; ``template`` finds the template of a concrete question id."""

    model_config = ConfigDict(frozen=True, arbitrary_types_allowed=True)

    sections: tuple[str, ...]
    titles: dict[str, str]
    flow: tuple[FlowItem, ...]
    limits: dict[str, dict[str, int | float]] = Field(default_factory=dict)  # prompts/limits.toml

    def questions(self) -> Iterator[Question]:
        for item in self.flow:
            yield from item.questions if isinstance(item, Loop) else (item,)

    def loop_of(self, q: Question) -> Loop | None:
        return next((i for i in self.flow if isinstance(i, Loop) and q in i.questions), None)

    def template(self, qid: str) -> tuple[Question, Bindings] | None:
        return _lookup(self, qid)

    def section_title(self, section: str) -> str:
        return self.titles[section]

    def plausible_limit(self, q: Question, kind: str) -> int | float | None:
        """The largest value that passes without a question for this kind of agency (None: no limit)."""
        return self.limits[q.plausible_max].get(kind) if q.plausible_max else None


# ---------------------------------------------------------------- templates
def variables(template: str) -> list[str]:
    return [name for _, name, _, _ in string.Formatter().parse(template) if name]


def id_vars(q: Question) -> list[str]:
    """The variables a question's id binds, outermost first."""
    names = [EACH[q.loop].var] if q.loop else []
    return names + ([EACH[q.each].var] if q.each else [])


def expand_cells(q: Question, b: Bindings, choice: str | None = None) -> tuple[str, ...]:
    """The input cells a question fills, for one binding (and one choice for {choice} patterns)."""
    out: list[str] = []
    for pattern in q.cells:
        if "{choice}" in pattern and choice is None:
            keys = [k for k, _ in question_choices(q, b)]
            out.extend(c for k in keys for c in expand_cells(q.model_copy(update={"cells": (pattern,)}), b, k))
            continue
        concrete = pattern.format_map({**b, "choice": choice} if choice is not None else b)
        if any(ch in concrete for ch in "*?["):
            out.extend(c for c in _INPUT_CELLS if fnmatch.fnmatchcase(c, concrete))
        elif concrete in _INPUT_SET:
            out.append(concrete)
    return tuple(dict.fromkeys(out))


def choice_cells(q: Question, b: Bindings) -> dict[str, tuple[str, ...]]:
    """For {choice} patterns: the cells that belong to each choice."""
    if not any("{choice}" in p for p in q.cells):
        return {}
    return {k: expand_cells(q, b, k) for k, _ in question_choices(q, b)}


def question_choices(q: Question, b: Bindings) -> list[tuple[str, str]]:
    return CHOICES[q.choices_from](b) if q.choices_from else list(q.choices)


def _domain_bindings(q: Question) -> list[Bindings]:
    out: list[Bindings] = [{}]
    for name in (q.loop, q.each):
        if name:
            rule = EACH[name]
            out = [{**b, rule.var: key} for b in out for key in rule.domain(b)]
    return out


@cache
def _id_pattern(template: str) -> re.Pattern[str]:
    parts = []
    for literal, name, _, _ in string.Formatter().parse(template):
        parts.append(re.escape(literal))
        if name:
            parts.append(f"(?P<{name}>.+?)")
    return re.compile("".join(parts))


def _lookup(qs: QuestionSet, qid: str) -> tuple[Question, Bindings] | None:
    for q in qs.questions():
        if q.id == qid:
            return q, {}
    for q in qs.questions():
        if "{" not in q.id:
            continue
        match = _id_pattern(q.id).fullmatch(qid)
        if not match:
            continue
        b = match.groupdict()
        rules = [EACH[n] for n in (q.loop, q.each) if n]
        if all(r.allows(b[r.var], b) for r in rules):
            return q, b
    return None


# ---------------------------------------------------------------- loading
def default_report_year(today: date | None = None) -> int:
    """The year a report is written for: the year just ended, or the current year from October on."""
    today = today or date.today()
    return today.year if today.month >= 10 else today.year - 1


def _fail(path: Path, qid: str, problem: str) -> DataFileError:
    where = f"问题「{qid}」" if qid else "文件"
    return DataFileError(f"题目文件「{path.name}」中{where}有误：{problem}")


LIMITS_FILE = "limits.toml"


def load_limits(path: Path) -> dict[str, dict[str, int | float]]:
    """prompts/limits.toml: named limit sets, each giving a positive number for every agency kind."""
    try:
        data: dict[str, Any] = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataFileError(f"缺少题目文件「{path.name}」（安装可能不完整）") from None
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise _fail(path, "", f"无法读取（{exc}）") from None
    kinds = [k for k, _ in form.AGENCY_KINDS]
    limits: dict[str, dict[str, int | float]] = {}
    for name, table in data.items():
        if not isinstance(table, dict):
            raise _fail(path, "", f"「{name}」应是一个表，每种机关类型一个数")
        missing, unknown = set(kinds) - set(table), set(table) - set(kinds)
        if missing or unknown:
            problem = f"缺少 {sorted(missing)}" if missing else f"有未知的机关类型 {sorted(unknown)}"
            raise _fail(path, "", f"「{name}」{problem}")
        for kind, value in table.items():
            if isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
                raise _fail(path, "", f"「{name}.{kind}」应为正数，而不是 {value!r}")
        limits[name] = {k: table[k] for k in kinds}
    return limits


def _check_question(path: Path, q: Question, limits: dict[str, dict[str, int | float]]) -> None:
    def fail(problem: str) -> DataFileError:
        return _fail(path, q.id, problem)

    if q.plausible_max and q.plausible_max not in limits:
        raise fail(f"plausible_max 引用了「{LIMITS_FILE}」中不存在的「{q.plausible_max}」")
    if q.plausible_max and q.kind not in ("count", "money", "counts_row"):
        raise fail("只有数字题可以设 plausible_max")

    for field_name, registry in (
        ("when", WHEN),
        ("each", EACH),
        ("loop", EACH),
        ("choices_from", CHOICES),
        ("default_from", DEFAULTS),
        ("bound", BOUNDS),
        ("validator", VALIDATORS),
    ):
        name = getattr(q, field_name)
        if name and name not in registry:
            raise fail(f"{field_name} 引用了不存在的规则「{name}」")
    effect = q.effect or "cells"
    if effect not in EFFECTS:
        raise fail(f"effect 引用了不存在的规则「{effect}」")
    if effect == "cells" and not q.cells:
        raise fail("既没有 cells 也没有 effect，回答无处可填")
    if not q.id.startswith(f"{q.section}."):
        raise fail(f"编号应以「{q.section}.」开头")
    bound = id_vars(q)
    if sorted(variables(q.id)) != sorted(bound):
        raise fail(f"编号中的变量应为 {bound}")
    for text_field in ("text", "help", "placeholder", "empty_label"):
        unknown = set(variables(getattr(q, text_field))) - CONTEXT_NAMES - set(bound)
        if unknown:
            raise fail(f"{text_field} 中有未知的变量 {sorted(unknown)}")
    if q.kind in ("choice", "multichoice", "order") and not (q.choices or q.choices_from):
        raise fail("选择题需要 choices 或 choices_from")
    if q.kind == "counts_row" and len(q.cells) < 2:
        raise fail("counts_row 至少要填两个单元格")
    for b in _domain_bindings(q):
        for pattern in q.cells:
            if "{choice}" in pattern:
                keys = [k for k, _ in question_choices(q, b)]
                found = all(expand_cells(q.model_copy(update={"cells": (pattern,)}), b, k) for k in keys)
            else:
                found = bool(expand_cells(q.model_copy(update={"cells": (pattern,)}), b))
            if not found:
                raise fail(f"单元格「{pattern}」不是表格中可填写的单元格")


def _read(path: Path) -> _SectionFile:
    try:
        data: dict[str, Any] = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise _fail(path, "", f"无法读取（{exc}）") from None
    try:
        parsed = _SectionFile.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        where = ".".join(str(p) for p in err["loc"])
        raise _fail(path, "", f"{where}：{err['msg']}") from None
    if parsed.section != path.stem:
        raise _fail(path, "", f"section 应为「{path.stem}」")
    return parsed.model_copy(
        update={"question": tuple(q.model_copy(update={"section": parsed.section}) for q in parsed.question)}
    )


def _flow(questions: tuple[Question, ...]) -> list[FlowItem]:
    flow: list[FlowItem] = []
    for q in questions:
        last = flow[-1] if flow else None
        if q.loop and isinstance(last, Loop) and last.each == q.loop:
            flow[-1] = Loop(each=q.loop, questions=(*last.questions, q))
        elif q.loop:
            flow.append(Loop(each=q.loop, questions=(q,)))
        else:
            flow.append(q)
    return flow


def load_question_set(folder: Path) -> QuestionSet:
    """Load and validate every section file in ``folder``; any mistake raises DataFileError."""
    titles: dict[str, str] = {}
    flow: list[FlowItem] = []
    seen: dict[str, str] = {}
    limits = load_limits(folder / LIMITS_FILE)
    for section in SECTION_ORDER:
        path = folder / f"{section}.toml"
        if not path.is_file():
            raise DataFileError(f"缺少题目文件「{path.name}」（安装可能不完整）")
        parsed = _read(path)
        titles[section] = parsed.title or form.SECTION_BY_ID[section].heading
        for q in parsed.question:
            _check_question(path, q, limits)
            for b in _domain_bindings(q):
                qid = q.id.format_map(b)
                if qid in seen:
                    raise _fail(path, q.id, f"编号与「{seen[qid]}」重复")
                seen[qid] = q.id
        flow.extend(_flow(parsed.question))
    return QuestionSet(sections=SECTION_ORDER, titles=titles, flow=tuple(flow), limits=limits)


@cache
def load_questions() -> QuestionSet:
    """The shipped questions (prompts/), loaded once."""
    return load_question_set(paths.prompts_dir())
