"""The interview's questions, loaded from prompts/*.toml into frozen models and validated once.

A question may be a template: ``each`` (or the ``loop`` its neighbours share) names a Python expansion
that binds a variable such as {column}; texts may name live values in braces (interview_rules.CONTEXT_NAMES).
"""

from __future__ import annotations

import fnmatch
import re
import string
from collections.abc import Iterator
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError
from pydantic.json_schema import SkipJsonSchema

from report_wizard.core import form, paths
from report_wizard.core.form import CellId
from report_wizard.interview.effects import EFFECTS
from report_wizard.interview.facts import Bindings
from report_wizard.interview.rules import (
    BOUNDS,
    CHOICES,
    CONTEXT_NAMES,
    DEFAULTS,
    EACH,
    VALIDATORS,
    WHEN,
)
from report_wizard.narrative.schema import Entry, Problems, did_you_mean, revalidate, shown

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
    """One question (or a template of questions) as written in prompts/<section>.toml.

    The descriptions are for the people who edit the files: they become schemas/prompts.schema.json.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str = Field(
        description="题目编号，以「本部分名.」开头，例如 requests.new.gate。重复的题用 {变量} 表示展开的部分"
        "（例如 requests.new.{column}），变量须与 each/loop 绑定的变量一致。会话文件按编号保存回答，发布后不要改。"
    )
    text: str = Field(
        description="向填报人提出的问题。可用 {名称} 引用实时数值（如 {standard_title}）和 each/loop 绑定的变量。"
    )
    help: str = Field(description="按帮助键时显示的说明：正式的定义和一个例子。可用的 {名称} 同 text。")
    kind: Kind = Field(
        description="题型：yesno 是否；count 件数（整数）；money 金额；choice 单选；multichoice 多选；"
        "order 排序；text 文字；counts_row 一行几个件数（cells 至少两个）。"
    )
    default: bool | int | float | str | list[str] | list[int] | None = Field(
        None, description="直接回车时采用的回答；不写则必须回答。"
    )
    when: str = Field("", description="什么时候问：interview/rules.py 中 WHEN 的规则名；不写则总是问。")
    each: str = Field(
        "", description="对每个键问一遍这道题：interview/rules.py 中 EACH 的规则名，它绑定编号中的 {变量}。"
    )
    loop: str = Field(
        "",
        description="几道相邻的题对每个键一起问一遍：interview/rules.py 中 EACH 的规则名；"
        "相邻且 loop 相同的题成为一组。",
    )
    cells: tuple[str, ...] = Field(
        (),
        description="回答填入的表格单元格：单元格编号或模式。可用 * ? [] 通配（如 t3.new_requests.*），"
        "可用 each/loop 的变量，{choice} 表示每个选项各自的单元格（如 t3.new_requests.{choice}）。",
    )
    choices: tuple[tuple[str, str], ...] = Field(
        (), description='固定的选项，每项写成 [键, 显示文字]，例如 ["library", "用段落库"]。'
    )
    choices_from: str = Field("", description="选项由程序生成：interview/rules.py 中 CHOICES 的规则名。")
    placeholder: str = Field("", description="输入框中浅色的提示文字，例如「例如：西大街街道」。")
    empty_label: str = Field("", description="文字题：空白回答是什么意思，例如「使用标准标题」。")
    effect: str = Field(
        "",
        description="回答的作用：interview/effects.py 中 EFFECTS 的规则名；"
        "不写则为 cells（把回答填入 cells 列出的单元格）。",
    )
    default_from: str = Field("", description="由会话算出默认回答：interview/rules.py 中 DEFAULTS 的规则名。")
    bound: str = Field("", description="现在允许的最大值：interview/rules.py 中 BOUNDS 的规则名。")
    validator: str = Field(
        "", description="对解析后的回答再做检查，不通过时用一句中文说明：interview/rules.py 中 VALIDATORS 的规则名。"
    )
    minimum: float | None = Field(None, description="数字题允许的最小值。")
    maximum: float | None = Field(None, description="数字题允许的最大值。")
    unit: Literal["万元", "元"] = Field("万元", description="金额题：只输入数字时的单位（输入另一单位会自动换算）。")
    plausible_max: str = Field(
        "",
        description="prompts/limits.toml 中的限值组名：回答超过本单位类型的限值时，先请填报人确认。只用于数字题。",
    )
    section: SkipJsonSchema[str] = ""  # set by the loader from the file name, never written in a file


class Loop(BaseModel):
    """Consecutive questions repeated together for each key of ``each`` (e.g. each applicant type)."""

    model_config = ConfigDict(frozen=True)

    each: str
    questions: tuple[Question, ...]


class _SectionFile(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    section: str = Field(description="本文件问的是报告的哪一部分，必须与文件名相同（basics.toml 写 basics）。")
    title: str = Field("", description="进度栏中这一部分的名称；不写则用报告中的正式标题。")
    question: tuple[Question, ...] = Field(min_length=1, description="本部分的题目（[[question]]），按提问顺序排列。")


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


def expand_cells(q: Question, b: Bindings, choice: str | None = None) -> tuple[CellId, ...]:
    """The input cells a question fills, for one binding (and one choice for {choice} patterns)."""
    out: list[CellId] = []
    for pattern in q.cells:
        if "{choice}" in pattern and choice is None:
            keys = [k for k, _ in question_choices(q, b)]
            out.extend(c for k in keys for c in expand_cells(q.model_copy(update={"cells": (pattern,)}), b, k))
            continue
        concrete = pattern.format_map({**b, "choice": choice} if choice is not None else b)
        if any(ch in concrete for ch in "*?["):
            out.extend(c for c in _INPUT_CELLS if fnmatch.fnmatchcase(c, concrete))
        elif concrete in _INPUT_SET:
            out.append(CellId(concrete))
    return tuple(dict.fromkeys(out))


def choice_cells(q: Question, b: Bindings) -> dict[str, tuple[CellId, ...]]:
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


LIMITS_FILE = "limits.toml"
_NOUN = "题目文件"
# Rule-name fields and the registry each names; a misspelt name is reported with the closest one.
RULE_FIELDS: tuple[tuple[str, dict[str, Any]], ...] = (
    ("when", WHEN),
    ("each", EACH),
    ("loop", EACH),
    ("choices_from", CHOICES),
    ("default_from", DEFAULTS),
    ("bound", BOUNDS),
    ("validator", VALIDATORS),
)
_NUMBER_KINDS = ("count", "money", "counts_row")
_CHOICE_KINDS = ("choice", "multichoice", "order")
_TEXT_FIELDS = ("text", "help", "placeholder", "empty_label")


def _parse(path: Path, problems: Problems) -> dict[str, Any] | None:
    """The TOML of one file, or None (the reason added to ``problems``)."""
    if not path.is_file():
        problems.add(path, "缺少这个文件（安装可能不完整）")
        return None
    return problems.read_toml(path)


def load_limits(path: Path) -> dict[str, dict[str, int | float]]:
    """prompts/limits.toml: named limit sets, each giving a positive number for every agency kind."""
    problems = Problems(_NOUN)
    limits, _ = _limits(path, problems)
    problems.raise_if_any()
    return limits


def _limits(path: Path, problems: Problems) -> tuple[dict[str, dict[str, int | float]], set[str]]:
    """The valid limit sets, and the names of all sets (a question naming a broken set is not told it is missing)."""
    data = _parse(path, problems)
    if data is None:
        return {}, set()
    kinds = [k for k, _ in form.AGENCY_KINDS]
    limits: dict[str, dict[str, int | float]] = {}
    for name, table in data.items():
        entry = Entry("", name, f"限值组「{name}」")
        if not isinstance(table, dict):
            problems.add(path, "应是一个表，每种机关类型一个数", entry)
            continue
        valid = True
        for kind in kinds:
            if kind not in table:
                valid = False
                problems.add(path, f"缺少机关类型「{kind}」", entry)
        for kind, value in table.items():
            if kind not in kinds:
                valid = False
                problems.add(path, "不是机关类型" + did_you_mean(kind, kinds), entry, kind)
            elif isinstance(value, bool) or not isinstance(value, int | float) or value <= 0:
                valid = False
                problems.add(path, f"应为正数，而不是 {shown(value)}", entry, kind)
        if valid:
            limits[name] = {k: table[k] for k in kinds}
    return limits, set(data)


def _variables(
    path: Path, entry: Entry, field: str, template: str, allowed: set[str] | frozenset[str], problems: Problems
) -> list[str] | None:
    """The {variables} of a text, each unknown one added to ``problems``; None when the braces do not pair."""
    try:
        found = variables(template)
    except ValueError:
        problems.add(path, "花括号不成对（要写花括号本身，请写成 {{ 或 }}）", entry, field)
        return None
    for name in dict.fromkeys(found):
        if name not in allowed:
            problems.add(path, f"有未知的变量「{name}」" + did_you_mean(name, allowed), entry, field)
    return found


def _check_question(
    path: Path, entry: Entry, q: Question, limit_names: set[str], problems: Problems, skipped: frozenset[str]
) -> bool:
    """Add every problem of one question; False when its concrete ids cannot be made (for the duplicate check).

    ``skipped``: fields left out because their value was invalid (reported already); checks needing them are skipped.
    """

    def fail(problem: str, field: str = "", needs: tuple[str, ...] = ()) -> None:
        if not skipped.intersection(needs):
            problems.add(path, problem, entry, field)

    if q.plausible_max and q.plausible_max not in limit_names:
        hint = did_you_mean(q.plausible_max, limit_names)
        fail(f"「{q.plausible_max}」不是「{LIMITS_FILE}」中的限值组{hint}", "plausible_max")
    if q.plausible_max and q.kind not in _NUMBER_KINDS:
        fail("只有数字题可以设 plausible_max", "plausible_max")
    unknown: set[str] = set()
    for field_name, registry in RULE_FIELDS:
        name = getattr(q, field_name)
        if name and name not in registry:
            unknown.add(field_name)
            fail(f"引用了不存在的规则「{name}」" + did_you_mean(name, registry), field_name)
    effect = q.effect or "cells"
    if effect not in EFFECTS:
        fail(f"引用了不存在的规则「{effect}」" + did_you_mean(effect, EFFECTS), "effect")
    elif effect == "cells" and not q.cells:
        fail("既没有 cells 也没有 effect，回答无处可填", needs=("cells", "effect"))
    if not q.id.startswith(f"{q.section}."):
        fail(f"编号应以「{q.section}.」开头", "id")
    if q.kind in _CHOICE_KINDS and not (q.choices or q.choices_from):
        fail("选择题需要 choices 或 choices_from", needs=("choices", "choices_from"))
    if q.kind == "counts_row" and len(q.cells) < 2 and not any(ch in p for p in q.cells for ch in "*?["):
        fail("counts_row 至少要填两个单元格", "cells", needs=("cells",))
    if (unknown | skipped) & {"each", "loop"}:
        return False  # its variables and cells depend on the expansion
    bound = id_vars(q)
    in_id = _variables(path, entry, "id", q.id, set(bound), problems)
    if in_id is not None and sorted(in_id) != sorted(bound):
        fail(f"编号中的变量应为 {bound}", "id")
    live = CONTEXT_NAMES | set(bound)
    for text_field in _TEXT_FIELDS:
        _variables(path, entry, text_field, getattr(q, text_field), live, problems)
    if not (unknown | skipped) & {"choices", "choices_from"}:
        _check_cells(path, entry, q, set(bound), problems)
    return in_id is not None and set(in_id) <= set(bound)


def _check_cells(path: Path, entry: Entry, q: Question, bound: set[str], problems: Problems) -> None:
    allowed = bound | {"choice"}
    patterns: list[str] = []
    for pattern in q.cells:
        names = _variables(path, entry, "cells", pattern, allowed, problems)
        if names is not None and allowed.issuperset(names):  # else reported: it cannot be expanded
            patterns.append(pattern)
    bad: list[str] = []
    for b in _domain_bindings(q):
        for pattern in patterns:
            if pattern in bad:
                continue
            one = q.model_copy(update={"cells": (pattern,)})
            if "{choice}" in pattern:
                found = all(expand_cells(one, b, k) for k, _ in question_choices(q, b))
            else:
                found = bool(expand_cells(one, b))
            if not found:
                bad.append(pattern)
    for pattern in bad:
        literal = not any(ch in pattern for ch in "{*?[")
        hint = did_you_mean(pattern, _INPUT_CELLS) if literal else ""
        problems.add(path, f"「{pattern}」不是表格中可填写的单元格{hint}", entry, "cells")


def _question_label(index: int, raw: Any) -> str:
    qid = raw.get("id") if isinstance(raw, dict) else None
    return f"问题「{qid}」" if isinstance(qid, str) and qid else f"第 {index + 1} 个问题"


_Place = tuple[Entry, frozenset[str]]  # where a question is, and the fields left out of it (see _salvage)


def _read(path: Path, problems: Problems) -> tuple[_SectionFile, list[_Place]] | None:
    """A section file with its questions (section set from the file name) and where each question is."""
    data = _parse(path, problems)
    if data is None:
        return None
    try:
        parsed = _SectionFile.model_validate(data)
        places = [
            (Entry("question", i, _question_label(i, raw)), frozenset[str]()) for i, raw in enumerate(data["question"])
        ]
    except ValidationError as error:
        parsed, places = _salvage(path, data, error, problems)
    if parsed.section != path.stem:
        problems.add(path, f"应为「{path.stem}」（与文件名相同），而不是 {shown(parsed.section)}", None, "section")
    questions = tuple(q.model_copy(update={"section": path.stem}) for q in parsed.question)
    return parsed.model_copy(update={"question": questions}), places


def _salvage(
    path: Path, data: dict[str, Any], error: ValidationError, problems: Problems
) -> tuple[_SectionFile, list[_Place]]:
    """The file did not validate: report every error, question by question, and keep each question whose
    required fields are valid (without its invalid fields), so that its other checks still run."""
    errors = error.errors(include_url=False)
    problems.invalid(path, [e for e in errors if not (len(e["loc"]) > 1 and e["loc"][0] == "question")], _SectionFile)
    questions: list[Question] = []
    places: list[_Place] = []
    raw_questions = data.get("question")
    for index, raw in enumerate(raw_questions if isinstance(raw_questions, list) else ()):
        entry = Entry("question", index, _question_label(index, raw))
        try:
            q: Question | None = Question.model_validate(raw)
            skipped = frozenset[str]()
        except ValidationError as bad:
            wrong = bad.errors(include_url=False)
            problems.invalid(path, wrong, Question, entry)
            q, skipped = revalidate(Question, raw, wrong)
        if q is not None:
            questions.append(q)
            places.append((entry, skipped))
    section, title = data.get("section"), data.get("title")
    parsed = _SectionFile.model_construct(
        section=section if isinstance(section, str) else path.stem,
        title=title if isinstance(title, str) else "",
        question=tuple(questions),
    )
    return parsed, places


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
    """Load and validate every section file in ``folder``; every mistake in every file raises one DataFileError."""
    problems = Problems(_NOUN)
    titles: dict[str, str] = {}
    flow: list[FlowItem] = []
    seen: dict[str, tuple[str, str]] = {}  # concrete id -> (template id, file name)
    limits, limit_names = _limits(folder / LIMITS_FILE, problems)
    for section in SECTION_ORDER:
        path = folder / f"{section}.toml"
        read = _read(path, problems)
        if read is None:
            continue
        parsed, places = read
        titles[section] = parsed.title or form.SECTION_BY_ID[section].heading
        for (entry, skipped), q in zip(places, parsed.question, strict=True):
            if not _check_question(path, entry, q, limit_names, problems, skipped):
                continue
            for b in _domain_bindings(q):
                qid = q.id.format_map(b)
                if qid in seen:
                    other, file = seen[qid]
                    where = "本文件前面" if file == path.name else f"「{file}」中"
                    what = "的一道题" if other == qid else f"的「{other}」"
                    problems.add(path, f"编号「{qid}」与{where}{what}重复", entry, "id")
                    break
                seen[qid] = (q.id, path.name)
        flow.extend(_flow(parsed.question))
    problems.raise_if_any()
    return QuestionSet(sections=SECTION_ORDER, titles=titles, flow=tuple(flow), limits=limits)


@cache
def load_questions() -> QuestionSet:
    """The shipped questions (prompts/), loaded once."""
    return load_question_set(paths.prompts_dir())
