"""Paragraph library (templates/phrases/*.toml): loading, validation at load time, expansion with a report.

Library text is author-written and rendered with a sandboxed, StrictUndefined Jinja2 environment; clerk
text never comes here. Every phrase is compiled and trial-rendered when the library loads, so a bad
parameter name is a start-up error (DataFileError naming the file and entry), never a render error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, Literal

import jinja2
import jinja2.meta
from jinja2.sandbox import SandboxedEnvironment
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from pydantic.json_schema import SkipJsonSchema

from report_wizard.core import form, paths
from report_wizard.core.errors import DataFileError, SessionFileError
from report_wizard.core.model import Meta, Number, Report, Session, derive_report
from report_wizard.core.numerals import chinese_numeral, format_number
from report_wizard.narrative.schema import Entry, Problems, did_you_mean, revalidate

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

    name: SkipJsonSchema[str] = ""  # set by the loader from the table name [param.NAME]
    label: str = Field(min_length=1, description="选择段落时向填报人显示的参数名称，例如「政务新媒体名称」。")
    type: Literal["str", "int", "float"] = Field("str", description="参数类型：str 文字；int 整数；float 数字。")
    default: str | int | float = Field(
        "",
        description="默认值。文字参数是以报告数值为变量的 Jinja2 模板（如 {{ agency }}门户网站）；"
        "数字参数是不小于 0 的数，为 0 时段落一般不写出这句话。",
    )
    help: str = Field("", description="填写提示，例如「如：某某区人民政府门户网站」。")


class _PhraseEntry(_Entry):
    id: str = Field(
        min_length=1,
        description="段落编号，全库唯一，一般以所属部分开头（如 problems.review.done）。"
        "会话文件按编号引用段落，发布后不要改。",
    )
    section: str = Field(
        description="段落所属的报告部分：overview（一、总体情况）、problems（五、存在的主要问题及改进情况）、"
        "other（六、其他需要报告的事项）。"
    )
    role: str = Field(description="段落在这一部分中的作用；每个部分可用的作用不同（ROLES_BY_SECTION）。")
    kinds: list[str] = Field(
        default_factory=list,
        description="适用的机关类型，可写类型名，或简写 government（各级人民政府）、department（部门）；"
        "不写则适用于所有类型。",
    )
    title: str = Field(min_length=1, description="选择段落时显示的一句简短说明。")
    text: str = Field(
        min_length=1,
        description="段落文字，Jinja2 模板：可用报告数值（如 {{ year }}、{{ agency }}）和 params 中声明的参数；"
        "空行分段，段内换行会被合并。",
    )
    params: list[str] = Field(
        default_factory=list,
        description="文字中用到的参数名：每个都须在某个段落库文件的 [param.名称] 中定义，并在文字中用到。",
    )
    measures: list[str] = Field(
        default_factory=list,
        description='问题段落（role = "problem"）关联的 1 至 3 条改进措施：措施段落的编号。',
    )
    suggest: bool = Field(False, description="新会话是否默认选用这一段。")
    alternative: str = Field("", description="同一个意思的几种说法共用同一个名称：填报人最多选其中一段。")


class _LibraryFile(_Entry):
    """A phrases file, for its JSON Schema only: the loader checks each entry on its own to report them all."""

    phrase: list[_PhraseEntry] = Field(default_factory=list, description="段落（[[phrase]] 表数组），按显示顺序排列。")
    param: dict[str, ParamSpec] = Field(
        default_factory=dict,
        description="段落可声明的参数（[param.名称]）：名称即段落 params 中写的名字，不能与报告自动提供的数值同名。",
    )


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


_NOUN = "段落库文件"
_TABLES = ("phrase", "param")


def _read(file: Path, problems: Problems) -> dict[str, Any] | None:
    data = problems.read_toml(file)
    if data is None:
        return None
    for key in data:
        if key not in _TABLES:
            problems.add(file, "不是可用的表（只能是 phrase 或 param）" + did_you_mean(key, _TABLES), None, key)
    return data


def _load_params(
    files: list[tuple[Path, dict[str, Any]]],
    env: SandboxedEnvironment,
    defaults: dict[str, jinja2.Template],
    problems: Problems,
) -> tuple[dict[str, ParamSpec], set[str]]:
    """The valid parameter specs, and every name defined (a phrase naming a broken one is not told it is missing)."""
    params: dict[str, ParamSpec] = {}
    defined: dict[str, str] = {}  # name -> file that defines it
    for file, data in files:
        table = data.get("param", {})
        if not isinstance(table, dict):
            problems.add(file, "应写成 [param.名称] 表", None, "param")
            continue
        for name, raw in table.items():
            entry = Entry("param", name, f"参数「{name}」")
            if name in defined:
                where = "本文件前面" if defined[name] == file.name else f"「{defined[name]}」中"
                problems.add(file, f"与{where}的同名参数重复", entry)
                continue
            defined[name] = file.name
            if name in CONTEXT_KEYS:
                problems.add(file, "与报告自动提供的数值同名，请换一个名字", entry)
                continue
            try:
                spec = ParamSpec.model_validate({**raw, "name": name} if isinstance(raw, dict) else raw)
            except ValidationError as error:
                problems.invalid(file, error.errors(include_url=False), ParamSpec, entry)
                continue
            if spec.type == "str":
                if not isinstance(spec.default, str):
                    problems.add(file, "是文字参数，默认值应为文字", entry, "default")
                    continue
                compiled = _compile(env, spec.default, CONTEXT_KEYS, file, entry, "default", problems)
                if compiled is None:
                    continue
                defaults[name] = compiled[0]
            elif isinstance(spec.default, str) or isinstance(spec.default, bool) or spec.default < 0:
                problems.add(file, "是数字参数，默认值应为不小于 0 的数字", entry, "default")
                continue
            params[name] = spec
    return params, set(defined)


def _compile(
    env: SandboxedEnvironment,
    text: str,
    allowed: frozenset[str] | set[str],
    file: Path,
    entry: Entry,
    field: str,
    problems: Problems,
    undeclared: frozenset[str] | set[str] = frozenset(),
) -> tuple[jinja2.Template, set[str]] | None:
    """Compile ``text`` and find the variables it uses; each one not in ``allowed`` is a problem.

    ``undeclared``: parameters defined in the library that this phrase could declare (a different hint).
    None when the text does not compile.
    """
    try:
        tree = env.parse(text)
        used = jinja2.meta.find_undeclared_variables(tree)
        template = env.from_string(tree)  # unknown filters are caught when compiling, not when parsing
    except jinja2.TemplateError as error:
        problems.add(file, f"文字有模板语法错误：{error}", entry, field)
        return None
    for name in sorted(used - set(allowed)):
        if name in undeclared:
            problems.add(file, f"用到了参数「{name}」，请把它写进 params", entry, field)
        else:
            hint = did_you_mean(name, set(allowed)) or "（请在 params 中声明，或检查拼写）"
            problems.add(file, f"使用了不存在的参数「{name}」{hint}", entry, field)
    return template, used


def _phrase_label(index: int, raw: Any) -> str:
    pid = raw.get("id") if isinstance(raw, dict) else None
    return f"段落「{pid}」" if isinstance(pid, str) and pid else f"第 {index + 1} 个段落"


def _entry(file: Path, entry: Entry, raw: Any, problems: Problems) -> tuple[_PhraseEntry | None, frozenset[str]]:
    """The validated entry, or one without its invalid optional fields (reported), and the fields left out."""
    try:
        return _PhraseEntry.model_validate(raw), frozenset()
    except ValidationError as error:
        errors = error.errors(include_url=False)
        problems.invalid(file, errors, _PhraseEntry, entry)
        return revalidate(_PhraseEntry, raw, errors)


def _load_phrase(
    file: Path,
    entry: Entry,
    raw: Any,
    params: set[str],
    env: SandboxedEnvironment,
    problems: Problems,
) -> tuple[Phrase, jinja2.Template | None] | None:
    parsed, skipped = _entry(file, entry, raw, problems)
    if parsed is None:
        return None

    def fail(problem: str, field: str) -> None:
        problems.add(file, problem, entry, field)

    roles = ROLES_BY_SECTION.get(parsed.section)
    if roles is None:
        hint = did_you_mean(parsed.section, ROLES_BY_SECTION)
        fail(f"「{parsed.section}」无效（应为 {'、'.join(ROLES_BY_SECTION)}）{hint}", "section")
    elif parsed.role not in roles:
        fail(
            f"「{parsed.role}」无效（{parsed.section} 部分可用：{'、'.join(roles)}）{did_you_mean(parsed.role, roles)}",
            "role",
        )
    kinds: set[str] = set()
    for kind in parsed.kinds:
        if kind not in ALL_KINDS and kind not in KIND_GROUPS:
            fail(f"机关类型「{kind}」无效" + did_you_mean(kind, ALL_KINDS | set(KIND_GROUPS)), "kinds")
        kinds |= KIND_GROUPS.get(kind, {kind})
    undefined = {name for name in parsed.params if name not in params}
    for name in dict.fromkeys(parsed.params):
        if name in undefined:
            fail(f"参数「{name}」未在任何段落库文件的 [param] 中定义" + did_you_mean(name, params), "params")
    # With its params left out (invalid, reported), a phrase may use any parameter: no second guess about them.
    declared = set(params) if "params" in skipped else set(parsed.params)
    compiled = _compile(env, parsed.text, CONTEXT_KEYS | declared, file, entry, "text", problems, params - declared)
    template, used = compiled if compiled is not None else (None, None)
    if used is not None:
        unused = declared - used - undefined  # an undefined one is most likely misspelt: said once is enough
        if unused and "params" not in skipped:
            fail(f"声明了参数「{'、'.join(sorted(unused))}」但文字中没有使用", "params")
        if parsed.role in NEXT_YEAR_ROLES and "next_year" not in used:
            fail("是改进措施，文字中应写明 {{ next_year }} 年", "text")
    if parsed.measures and parsed.role != "problem":
        fail("不是问题段落，不能带 measures", "measures")
    if parsed.role == "problem" and not 1 <= len(parsed.measures) <= 3 and "measures" not in skipped:
        fail("应关联 1 至 3 条改进措施", "measures")
    phrase = Phrase(
        id=parsed.id,
        section=parsed.section,
        role=parsed.role,
        kinds=frozenset(kinds or ALL_KINDS),
        title=parsed.title,
        text=parsed.text,
        params=tuple(parsed.params),
        measures=tuple(parsed.measures),
        suggest=parsed.suggest,
        file=file.name,
        alternative=parsed.alternative,
    )
    return phrase, template


def load_library(folder: Path | None = None) -> Library:
    """Load and validate every *.toml of a phrases folder (default: the shipped templates/phrases).

    Every mistake in every file is reported at once, in one DataFileError.
    """
    folder = folder if folder is not None else paths.phrases_dir()
    files = sorted(folder.glob("*.toml"))
    if not files:
        raise DataFileError(f"段落库文件夹 {folder} 中没有 .toml 文件")
    problems = Problems(_NOUN)
    env = _environment()
    data = [(f, content) for f in files if (content := _read(f, problems)) is not None]
    defaults: dict[str, jinja2.Template] = {}
    params, defined = _load_params(data, env, defaults, problems)
    phrases: dict[str, Phrase] = {}
    templates: dict[str, jinja2.Template] = {}
    places: dict[str, tuple[Path, Entry]] = {}
    for file, content in data:
        entries = content.get("phrase", [])
        if not isinstance(entries, list):
            problems.add(file, "应写成 [[phrase]] 表数组", None, "phrase")
            continue
        for index, raw in enumerate(entries):
            entry = Entry("phrase", index, _phrase_label(index, raw))
            loaded = _load_phrase(file, entry, raw, defined, env, problems)
            if loaded is None:
                continue
            phrase, template = loaded
            if phrase.id in phrases:
                other = phrases[phrase.id].file
                where = "本文件前面" if other == file.name else f"「{other}」中"
                problems.add(file, f"编号与{where}的段落重复", entry, "id")
                continue
            phrases[phrase.id] = phrase
            places[phrase.id] = (file, entry)
            if template is not None:
                templates[phrase.id] = template
    measures = [p.id for p in phrases.values() if p.role == "measure"]
    for phrase in phrases.values():
        for measure in phrase.measures:
            if measure not in phrases or phrases[measure].role != "measure":
                file, entry = places[phrase.id]
                what = "不是措施段落" if measure in phrases else "不存在" + did_you_mean(measure, measures)
                problems.add(file, f"关联的改进措施「{measure}」{what}", entry, "measures")
    library = Library(phrases, params, templates, defaults)
    if not problems:  # a broken library would fail to render for reasons already reported
        _trial_render(library, places, problems)
    problems.raise_if_any()
    return library


def _trial_render(library: Library, places: dict[str, tuple[Path, Entry]], problems: Problems) -> None:
    """Render every phrase against sample reports, numeric params at 0 and at a positive value."""
    failed: set[str] = set()
    for report in _sample_reports():
        context = report_context(report)
        busy = bool(context["new_requests"])
        for phrase in library.phrases.values():
            if phrase.id in failed:
                continue
            numeric = [n for n in phrase.params if library.params[n].type != "str"]
            given = {n: 1.5 if library.params[n].type == "float" else 1 for n in numeric} if busy else {}
            try:
                library.expand(phrase.id, context, given)
            except Exception as error:  # any failure here is an authoring bug in the shipped library
                failed.add(phrase.id)
                file, entry = places[phrase.id]
                problems.add(file, f"试生成失败：{error}", entry, "text")


@cache
def library() -> Library:
    """The shipped library, loaded once per process (call at start-up to surface library errors)."""
    return load_library()
