"""Paragraph library (templates/phrases/*.toml): loading, validation at load time, expansion with a report.

Library text is author-written and rendered with a sandboxed, StrictUndefined Jinja2 environment; clerk
text never comes here. Every phrase is compiled and trial-rendered when the library loads, so a bad
parameter name is a start-up error (DataFileError naming the file and entry), never a render error.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal

import jinja2
import jinja2.meta
from jinja2.sandbox import SandboxedEnvironment
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from report_wizard.core import form, paths
from report_wizard.core.errors import DataFileError, SessionFileError
from report_wizard.core.model import Meta, Number, Report, Session, derive_report
from report_wizard.core.numerals import chinese_numeral, format_number

# Roles a phrase (and the block made from it) may have, per narrative section. Overview roles are the
# five points of form.OVERVIEW_POINTS plus the intro; see narrative.py for how each role is rendered.
OVERVIEW_POINT_IDS: tuple[str, ...] = tuple(p for p, _ in form.OVERVIEW_POINTS)
ROLES_BY_SECTION: dict[str, tuple[str, ...]] = {
    "overview": ("intro", *OVERVIEW_POINT_IDS),
    "problems": ("review", "problems_intro", "problem", "measures_intro", "measure"),
    "other": ("fee", "work_points", "proposals", "other"),
}
# Shorthands usable in a phrase's ``kinds`` list besides the agency kinds themselves.
KIND_GROUPS: dict[str, frozenset[str]] = {
    "government": form.GOVERNMENT_KINDS,
    "department": frozenset({"county_department", "city_department"}),
}
ALL_KINDS = frozenset(k for k, _ in form.AGENCY_KINDS)
# Roles whose text must speak of the next year (S-YEAR holds by construction for picked measures).
NEXT_YEAR_ROLES = frozenset({"measure", "measures_intro"})

# Every key report_context() provides; phrase texts may use these and their declared params only.
CONTEXT_KEYS: frozenset[str] = frozenset(
    {
        "agency", "superior", "year", "next_year", "last_year", "agency_kind", "agency_kind_label",
        "is_government", "format_basis",
        # table 三 (总计 column)
        "new_requests", "new_by_person", "new_by_org", "carried_over", "requests_total", "finished",
        "disclosed", "partly_disclosed", "denied", "unable", "not_processed", "other_handled",
        "fee_unpaid", "carried_forward", "outcomes",
        # table 四
        "review_total", "review_upheld", "review_corrected", "review_other", "review_pending", "review_parts",
        "lawsuit_total", "lawsuit_direct", "lawsuit_after_review", "lawsuit_upheld", "lawsuit_corrected",
        "lawsuit_other", "lawsuit_pending", "lawsuit_parts",
        # table 二
        "regulations_issued", "regulations_abolished", "regulations_in_force", "normative_issued",
        "normative_abolished", "normative_in_force", "permits", "penalties", "enforcement", "fees_amount",
    }
)  # fmt: skip


# ---------------------------------------------------------------- report context
def _short_label(label: str) -> str:
    """「（二）部分公开（区分处理的…）」 → 「部分公开」: the group name as said in a sentence."""
    return re.sub(r"^（.）", "", label).split("（")[0]


def report_context(report: Report) -> dict[str, Any]:
    """The values a phrase may use, derived from the report (keys: CONTEXT_KEYS)."""
    meta = report.meta
    groups = {g.id: g for g in form.T3_RESULT_GROUPS}

    def group_total(group: str) -> Number:
        g = groups[group]
        if not g.items:
            return report.t3(f"results.{group}")
        return sum(report.t3(f"results.{group}.{item}") for item, _ in g.items)

    def t4_sum(groups_: tuple[str, ...], column: str) -> Number:
        return sum(report.t4(g, column) for g in groups_)

    lawsuits = ("lawsuit_direct", "lawsuit_after_review")
    outcome_totals = {g.id: group_total(g.id) for g in form.T3_RESULT_GROUPS}
    new = report.t3(form.T3_NEW)
    carried_over = report.t3(form.T3_CARRIED_OVER)
    ctx: dict[str, Any] = {
        "agency": meta.agency,
        "superior": meta.superior,
        "year": meta.year,
        "next_year": meta.year + 1,
        "last_year": meta.year - 1,
        "agency_kind": meta.agency_kind,
        "agency_kind_label": meta.agency_kind_label,
        "is_government": meta.agency_kind in form.GOVERNMENT_KINDS,
        "format_basis": form.FORMAT_BASIS,
        "new_requests": new,
        "new_by_person": report.t3(form.T3_NEW, "natural_person"),
        "new_by_org": new - report.t3(form.T3_NEW, "natural_person"),
        "carried_over": carried_over,
        "requests_total": new + carried_over,
        "finished": report.t3(form.T3_RESULTS_TOTAL),
        "disclosed": outcome_totals["disclosed"],
        "partly_disclosed": outcome_totals["partly_disclosed"],
        "denied": outcome_totals["denied"],
        "unable": outcome_totals["unable"],
        "not_processed": outcome_totals["not_processed"],
        "other_handled": outcome_totals["other"],
        "fee_unpaid": report.t3("results.other.fee_unpaid"),
        "carried_forward": report.t3(form.T3_CARRIED_FORWARD),
        # Non-zero outcome groups in official order, as (name, count) pairs for listing in a sentence.
        "outcomes": [(_short_label(g.label), n) for g in form.T3_RESULT_GROUPS if (n := outcome_totals[g.id])],
        "review_total": report.t4("review"),
        "lawsuit_total": t4_sum(lawsuits, "total"),
        "lawsuit_direct": report.t4("lawsuit_direct"),
        "lawsuit_after_review": report.t4("lawsuit_after_review"),
        # Non-zero result columns of table 四, as (label, count) pairs.
        "review_parts": [(form.T4_COLUMN_LABEL[c], n) for c in form.T4_PART_COLUMNS if (n := report.t4("review", c))],
        "lawsuit_parts": [(form.T4_COLUMN_LABEL[c], n) for c in form.T4_PART_COLUMNS if (n := t4_sum(lawsuits, c))],
        "fees_amount": report.t2("fees", "amount"),
        "permits": report.t2("permits", "decisions"),
        "penalties": report.t2("penalties", "decisions"),
        "enforcement": report.t2("enforcement", "decisions"),
    }  # fmt: skip
    for column in ("upheld", "corrected", "other", "pending"):
        ctx[f"review_{column}"] = report.t4("review", column)
        ctx[f"lawsuit_{column}"] = t4_sum(lawsuits, column)
    for row, prefix in (("regulations", "regulations"), ("normative_documents", "normative")):
        for column in ("issued", "abolished", "in_force"):
            ctx[f"{prefix}_{column}"] = report.t2(row, column)
    return ctx


# ---------------------------------------------------------------- entries
class _Entry(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ParamSpec(_Entry):
    """A parameter a phrase may declare: what the clerk is asked, its type and default."""

    name: str = ""
    label: str = Field(min_length=1)  # Chinese prompt for the picker
    type: Literal["str", "int", "float"] = "str"
    default: str | int | float = ""  # for str: a template over the report context
    help: str = ""


class _PhraseEntry(_Entry):
    id: str = Field(min_length=1)
    section: str
    role: str
    kinds: list[str] = Field(default_factory=list)  # empty: every agency kind
    title: str = Field(min_length=1)
    text: str = Field(min_length=1)
    params: list[str] = Field(default_factory=list)
    measures: list[str] = Field(default_factory=list)
    suggest: bool = False  # part of suggest_section's default set for a new session
    alternative: str = ""  # phrases sharing it say the same thing two ways: a clerk picks one at most


@dataclass(frozen=True)
class Phrase:
    """A validated library entry."""

    id: str
    section: str
    role: str
    kinds: frozenset[str]
    title: str
    text: str
    params: tuple[str, ...]
    measures: tuple[str, ...]
    suggest: bool
    file: str
    alternative: str = ""

    def fits(self, kind: str) -> bool:
        return kind in self.kinds


def _environment() -> SandboxedEnvironment:
    env = SandboxedEnvironment(undefined=jinja2.StrictUndefined, autoescape=False, trim_blocks=True, lstrip_blocks=True)
    env.filters["num"] = format_number
    env.filters["cn"] = chinese_numeral
    return env


def paragraphs_of(rendered: str) -> list[str]:
    """Library output → paragraphs: blank lines separate paragraphs; wrapped lines are joined (Chinese)."""
    blocks = re.split(r"\n\s*\n", rendered.strip())
    return [p for p in ("".join(line.strip() for line in b.splitlines()) for b in blocks) if p]


class Library:
    """All phrases and parameter specs of one phrases folder, validated."""

    def __init__(
        self,
        phrases: dict[str, Phrase],
        params: dict[str, ParamSpec],
        templates: dict[str, jinja2.Template],
        defaults: dict[str, jinja2.Template],
    ) -> None:
        self.phrases = phrases
        self.params = params
        self._templates = templates  # phrase id -> compiled text
        self._defaults = defaults  # str param name -> compiled default

    def get(self, phrase_id: str) -> Phrase:
        try:
            return self.phrases[phrase_id]
        except KeyError:
            raise SessionFileError(f"段落库中没有编号为「{phrase_id}」的段落（会话文件可能来自其他版本）") from None

    def options(self, section: str, role: str | None = None, kind: str | None = None) -> list[Phrase]:
        """Phrases of a section (and role), fitting the agency kind, in library order."""
        return [
            p
            for p in self.phrases.values()
            if p.section == section and (role is None or p.role == role) and (kind is None or p.fits(kind))
        ]

    def effective_params(self, phrase: Phrase, context: dict[str, Any], given: dict[str, Any]) -> dict[str, Any]:
        """The phrase's parameters: the block's values where given (coerced to the declared type), else defaults."""
        out: dict[str, Any] = {}
        for name in phrase.params:
            spec = self.params[name]
            if name in given:
                out[name] = _coerce(spec, given[name], phrase.id)
            elif spec.type == "str":
                out[name] = "".join(paragraphs_of(self._defaults[name].render(context)))
            else:
                out[name] = spec.default
        return out

    def expand(self, phrase_id: str, context: dict[str, Any], given: dict[str, Any] | None = None) -> list[str]:
        """The phrase's paragraphs with the report context and the block's parameters."""
        phrase = self.get(phrase_id)
        values = {**self.effective_params(phrase, context, given or {}), **context}
        return paragraphs_of(self._templates[phrase_id].render(values))


def _coerce(spec: ParamSpec, value: Any, phrase_id: str) -> Any:
    if spec.type == "str":
        return str(value)
    try:
        number = float(str(value).strip()) if isinstance(value, str) else value
        if isinstance(number, bool) or not isinstance(number, int | float) or number < 0:
            raise ValueError
        if spec.type == "int":
            if not float(number).is_integer():
                raise ValueError
            return int(number)
        return float(number)
    except ValueError:
        kind = "整数" if spec.type == "int" else "数字"
        raise SessionFileError(
            f"段落「{phrase_id}」的参数「{spec.label}」应为不小于 0 的{kind}（现为「{value}」）"
        ) from None


# ---------------------------------------------------------------- loading
def _sample_reports() -> list[Report]:
    """Reports used to trial-render every phrase at load: all zero and all one, a 街道 and a government."""
    out = []
    for kind in ("subdistrict", "county_government"):
        meta = Meta(agency="示例机关", agency_kind=kind, superior="示例上级机关", year=2023)
        out.append(derive_report(Session(meta=meta)))
        out.append(derive_report(Session(meta=meta, cells={c: 1 for c in form.INPUT_CELLS})))
    return out


def _read(file: Path) -> dict[str, Any]:
    try:
        data = tomllib.loads(file.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise DataFileError(f"段落库文件 {file.name} 无法读取：{error}") from error
    unknown = set(data) - {"phrase", "param"}
    if unknown:
        raise DataFileError(
            f"段落库文件 {file.name} 含有未知的表「{'、'.join(sorted(unknown))}」（只能是 phrase 或 param）"
        )
    return data


def _first_error(error: ValidationError) -> str:
    e = error.errors()[0]
    return f"{'.'.join(str(x) for x in e['loc'])}：{e['msg']}"


def _load_params(
    files: list[tuple[Path, dict[str, Any]]], env: SandboxedEnvironment, defaults: dict[str, jinja2.Template]
) -> dict[str, ParamSpec]:
    params: dict[str, ParamSpec] = {}
    for file, data in files:
        for name, raw in data.get("param", {}).items():
            where = f"段落库文件 {file.name} 中的参数「{name}」"
            if name in params:
                raise DataFileError(f"{where}重复定义")
            if name in CONTEXT_KEYS:
                raise DataFileError(f"{where}与报告自动提供的数值同名，请换一个名字")
            try:
                spec = ParamSpec.model_validate({**raw, "name": name} if isinstance(raw, dict) else raw)
            except ValidationError as error:
                raise DataFileError(f"{where}格式有误：{_first_error(error)}") from error
            if spec.type == "str":
                if not isinstance(spec.default, str):
                    raise DataFileError(f"{where}是文字参数，默认值应为文字")
                defaults[name], _ = _compile(env, spec.default, CONTEXT_KEYS, where)
            elif isinstance(spec.default, str) or isinstance(spec.default, bool) or spec.default < 0:
                raise DataFileError(f"{where}是数字参数，默认值应为不小于 0 的数字")
            params[name] = spec
    return params


def _compile(
    env: SandboxedEnvironment, text: str, allowed: frozenset[str] | set[str], where: str
) -> tuple[jinja2.Template, set[str]]:
    """Compile ``text`` and find the variables it uses; raise if any is not in ``allowed``."""
    try:
        tree = env.parse(text)
        used = jinja2.meta.find_undeclared_variables(tree)
        template = env.from_string(tree)  # unknown filters are caught when compiling, not when parsing
    except jinja2.TemplateError as error:
        raise DataFileError(f"{where}的文字有模板语法错误：{error}") from error
    unknown = used - set(allowed)
    if unknown:
        raise DataFileError(
            f"{where}使用了不存在的参数：{'、'.join(sorted(unknown))}（请在 params 中声明，或检查拼写）"
        )
    return template, used


def _load_phrase(
    file: Path, index: int, raw: Any, params: dict[str, ParamSpec], env: SandboxedEnvironment
) -> tuple[Phrase, jinja2.Template]:
    name = raw.get("id") if isinstance(raw, dict) and raw.get("id") else f"第 {index + 1} 个"
    where = f"段落库文件 {file.name} 中的段落「{name}」"
    try:
        entry = _PhraseEntry.model_validate(raw)
    except ValidationError as error:
        raise DataFileError(f"{where}格式有误：{_first_error(error)}") from error
    if entry.section not in ROLES_BY_SECTION:
        raise DataFileError(f"{where}的 section「{entry.section}」无效（应为 {'、'.join(ROLES_BY_SECTION)}）")
    if entry.role not in ROLES_BY_SECTION[entry.section]:
        raise DataFileError(f"{where}的 role「{entry.role}」无效（应为 {'、'.join(ROLES_BY_SECTION[entry.section])}）")
    kinds: set[str] = set()
    for kind in entry.kinds:
        if kind not in ALL_KINDS and kind not in KIND_GROUPS:
            raise DataFileError(f"{where}的机关类型「{kind}」无效")
        kinds |= KIND_GROUPS.get(kind, {kind})
    undefined = [p for p in entry.params if p not in params]
    if undefined:
        raise DataFileError(f"{where}声明的参数「{'、'.join(undefined)}」未在任何段落库文件的 [param] 中定义")
    template, used = _compile(env, entry.text, CONTEXT_KEYS | set(entry.params), where)
    unused = set(entry.params) - used
    if unused:
        raise DataFileError(f"{where}声明了参数「{'、'.join(sorted(unused))}」但文字中没有使用")
    if entry.role in NEXT_YEAR_ROLES and "next_year" not in used:
        raise DataFileError(f"{where}是改进措施，文字中应写明 {{{{ next_year }}}} 年")
    if entry.measures and entry.role != "problem":
        raise DataFileError(f"{where}不是问题段落，不能带 measures")
    if entry.role == "problem" and not 1 <= len(entry.measures) <= 3:
        raise DataFileError(f"{where}应关联 1 至 3 条改进措施（measures）")
    phrase = Phrase(
        id=entry.id,
        section=entry.section,
        role=entry.role,
        kinds=frozenset(kinds or ALL_KINDS),
        title=entry.title,
        text=entry.text,
        params=tuple(entry.params),
        measures=tuple(entry.measures),
        suggest=entry.suggest,
        file=file.name,
        alternative=entry.alternative,
    )
    return phrase, template


def load_library(folder: Path | None = None) -> Library:
    """Load and validate every *.toml of a phrases folder (default: the shipped templates/phrases)."""
    folder = folder if folder is not None else paths.phrases_dir()
    files = sorted(folder.glob("*.toml"))
    if not files:
        raise DataFileError(f"段落库文件夹 {folder} 中没有 .toml 文件")
    env = _environment()
    data = [(f, _read(f)) for f in files]
    defaults: dict[str, jinja2.Template] = {}
    params = _load_params(data, env, defaults)
    phrases: dict[str, Phrase] = {}
    templates: dict[str, jinja2.Template] = {}
    for file, content in data:
        entries = content.get("phrase", [])
        if not isinstance(entries, list):
            raise DataFileError(f"段落库文件 {file.name} 中的 phrase 应写成 [[phrase]] 表数组")
        for index, raw in enumerate(entries):
            phrase, template = _load_phrase(file, index, raw, params, env)
            if phrase.id in phrases:
                raise DataFileError(
                    f"段落库文件 {file.name} 中的段落「{phrase.id}」与 {phrases[phrase.id].file} 中的编号重复"
                )
            phrases[phrase.id] = phrase
            templates[phrase.id] = template
    for phrase in phrases.values():
        for measure in phrase.measures:
            if measure not in phrases or phrases[measure].role != "measure":
                raise DataFileError(
                    f"段落库文件 {phrase.file} 中的段落「{phrase.id}」关联的改进措施「{measure}」不存在或不是措施段落"
                )
    library = Library(phrases, params, templates, defaults)
    _trial_render(library)
    return library


def _trial_render(library: Library) -> None:
    """Render every phrase against sample reports, numeric params at 0 and at a positive value."""
    for report in _sample_reports():
        context = report_context(report)
        busy = bool(context["new_requests"])
        for phrase in library.phrases.values():
            numeric = [n for n in phrase.params if library.params[n].type != "str"]
            given = {n: 1.5 if library.params[n].type == "float" else 1 for n in numeric} if busy else {}
            try:
                library.expand(phrase.id, context, given)
            except Exception as error:  # any failure here is an authoring bug in the shipped library
                raise DataFileError(f"段落库文件 {phrase.file} 中的段落「{phrase.id}」试生成失败：{error}") from error


@cache
def library() -> Library:
    """The shipped library, loaded once per process (call at start-up to surface library errors)."""
    return load_library()
