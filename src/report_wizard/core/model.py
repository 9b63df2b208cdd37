"""Pydantic models: the session (what the clerk said) and the report derived from it.

A session stores only what was said: meta, answers keyed by question id, entered cell values keyed by
cell id (a missing cell is a default zero), narrative blocks, and — for imported published reports —
the totals as they were printed. ``derive_report`` turns it into a Report with every total computed.
"""

from __future__ import annotations

import math
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Literal, NewType

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictFloat,
    StrictInt,
    ValidationInfo,
    field_validator,
    model_validator,
)

from report_wizard.core import form
from report_wizard.core.form import CellId

# The agency of a published report whose title does not name it (the parse report asks for the name).
UNRECOGNISED_AGENCY = "未识别的机关"
SCHEMA_VERSION = 2  # 2: missing / ambiguous cells and the import record of a published report (issue 14)
# Sane maxima for any figure, in files and in answers: far above any published report (the largest seen are
# a few million decisions and some 10^5 万元 of fees), far below where a float stops being exact to the 元.
MAX_COUNT = 10**12  # 件
MAX_AMOUNT = 10**10  # 万元 (table 二) ; also the cap for amounts in 元 typed in section 六

Number = int | float
# Strict: a string such as "3" in a session file is a mistake to report, not to coerce.
StrictNumber = StrictInt | StrictFloat
AnswerValue = bool | int | float | str | list[str] | list[int]
# The id of an asked question, bindings filled in (e.g. "requests.count.natural_person"): the key of an answer.
QuestionId = NewType("QuestionId", str)
AgencyKind = Literal[
    "subdistrict", "county_government", "county_department", "city_government", "city_department", "provincial"
]


class Provenance(StrEnum):
    """Where a value came from."""

    ENTERED = "entered"  # typed or confirmed by the clerk
    DEFAULT = "default"  # zero because nobody was asked or the default was accepted
    COMPUTED = "computed"  # a total
    CARRIED = "carried"  # carried over from last year's session
    IMPORTED = "imported"  # read from a published report


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=False)


# Characters an agency name may not hold: they break the file name, the report's heading or a terminal
# (newline, CR, NUL, ESC and other controls), or hide what the text says (zero-width and bidi format
# characters, line/paragraph separators, lone surrogates).
_HIDDEN_KINDS = {
    "\n": "换行符",
    "\r": "回车符",
    "\t": "制表符",
    "\x00": "空字符",
    "\x1b": "转义控制字符",
    "\u2028": "换行符",
    "\u2029": "换行符",
}
_REFUSED_CATEGORIES = {"Cc", "Cf", "Cs", "Zl", "Zp"}


def _plain_text(label: str, value: str) -> str:
    """Refuse control and invisible format characters, saying which one and where (1-based)."""
    for position, ch in enumerate(value, 1):
        category = unicodedata.category(ch)
        if category not in _REFUSED_CATEGORIES:
            continue
        if ch in _HIDDEN_KINDS:
            what = _HIDDEN_KINDS[ch]
        elif category == "Cc":
            what = "控制字符"
        elif category == "Cs":
            what = "无效的字符"
        else:
            what = "看不见的格式字符（如零宽空格、文字方向控制符）"
        raise ValueError(f"{label}的第 {position} 个字符是{what}，不能使用")
    return value


class Meta(_Strict):
    agency: str = Field(min_length=1)
    agency_kind: AgencyKind = "subdistrict"
    superior: str = ""  # 上级机关, e.g. 文峰区人民政府
    year: int = Field(ge=2019, le=2100)
    title: str = ""  # overrides the standard title when set
    created: datetime | None = None
    updated: datetime | None = None
    resume_at: str = ""  # id of the question that was showing
    # Where the report stands, kept by the interview at every change, so a list of sessions shows it without
    # running the interview on each file: sections finished of all, errors to fix, every question answered.
    sections_done: int = Field(default=0, ge=0)
    sections_total: int = Field(default=0, ge=0)
    errors: int = Field(default=0, ge=0)
    finished: bool = False

    @field_validator("agency")
    @classmethod
    def _valid_agency(cls, agency: str) -> str:
        _plain_text("机关名称", agency)
        if not agency.strip():
            raise ValueError("机关名称不能只有空格")
        return agency

    @field_validator("superior", "title")
    @classmethod
    def _valid_line(cls, value: str, info: ValidationInfo) -> str:
        # One line each: the superior body and the title are printed in the heading and the signature.
        return _plain_text("上级机关" if info.field_name == "superior" else "标题", value)

    @property
    def agency_kind_label(self) -> str:
        return form.AGENCY_KIND_LABEL[self.agency_kind]


class Block(_Strict):
    """One paragraph of a narrative section: the clerk's own text, or a phrase of the library."""

    text: str = ""  # verbatim clerk text; never compiled as a template
    phrase: str = ""  # id of a library phrase, rendered with the report's values
    params: dict[str, str | int | float] = Field(default_factory=dict)
    role: str = ""  # what the block is within its section (e.g. problem, measure); free for the engine

    @field_validator("params")
    @classmethod
    def _valid_params(cls, params: dict[str, str | int | float]) -> dict[str, str | int | float]:
        for name, value in params.items():
            if isinstance(value, (str, bool)):
                continue
            if isinstance(value, float) and not math.isfinite(value):
                raise ValueError(f"参数「{name}」不是有效的数字（现为 {value}）")
            if abs(value) > MAX_COUNT:  # the largest figure a paragraph can quote (a count; amounts are smaller)
                raise ValueError(f"参数「{name}」不能大于 {MAX_COUNT}（现为 {value}）")
        return params

    @model_validator(mode="after")
    def _one_source(self) -> Block:
        if self.text and self.phrase:
            raise ValueError("一个段落只能是自己写的文字或段落库中的一段，不能两者都有")
        return self


def _known_cell(cell: str) -> None:
    """Every key of cells, declared, sources, missing and ambiguous names a cell of the official tables."""
    if cell not in form.ALL_CELL_SET:
        raise ValueError(f"未知的表格单元格「{cell}」")


def check_count(cell: CellId, value: Number) -> Number:
    if isinstance(value, bool):
        raise ValueError(f"{form.cell_name(cell)} 应为数字，而不是是/否")
    if isinstance(value, float) and not math.isfinite(value):  # nan/inf would pass every check and print as is
        raise ValueError(f"{form.cell_name(cell)} 不是有效的数字（现为 {value}）")
    if value < 0:
        raise ValueError(f"{form.cell_name(cell)} 不能为负数（现为 {value}）")
    money = cell in form.T2_MONEY_CELLS
    limit = MAX_AMOUNT if money else MAX_COUNT
    if value > limit:  # int vs int stays exact; a float is compared as the float it is
        raise ValueError(f"{form.cell_name(cell)} 不能大于 {limit}{' 万元' if money else ''}（现为 {value}）")
    if money:
        return float(value) if isinstance(value, float) and not value.is_integer() else int(value)
    if isinstance(value, float):
        if not value.is_integer():
            raise ValueError(f"{form.cell_name(cell)} 应为整数件数（现为 {value}）")
        return int(value)
    return value


class Imported(_Strict):
    """What was read from a published report (issue 14): where from, its layout, its text as printed."""

    source: str = ""  # the file's name
    table_format: Literal["2021", "2019", ""] = ""  # "": no table was found
    headings: dict[str, str] = Field(default_factory=dict)  # section id -> heading as printed; "" = not in the file
    texts: dict[str, str] = Field(default_factory=dict)  # "preamble" and the table sections' own text, verbatim
    report: list[str] = Field(default_factory=list)  # the parse report: what was found, missing, ambiguous
    # "t3.<row id>" -> the row's label as printed (「…」 where the text around it cut it), for S-LABEL; optional:
    # session files written before it still load
    labels: dict[str, str] = Field(default_factory=dict)
    # cell -> why its printed figure can be no cell's value (「应为整数件数（现为 5176.5）」): missing, named by NUM
    invalid: dict[str, str] = Field(default_factory=dict)


class Session(_Strict):
    schema_version: int = SCHEMA_VERSION
    meta: Meta
    answers: dict[QuestionId, AnswerValue] = Field(default_factory=dict)  # question id -> answer, in order
    cells: dict[CellId, StrictNumber] = Field(default_factory=dict)  # input cell id -> value
    sources: dict[CellId, Provenance] = Field(default_factory=dict)  # cell id -> provenance if not entered
    declared: dict[CellId, StrictNumber | str] = Field(default_factory=dict)  # totals as printed; "" or "/" = blank
    narrative: dict[str, list[Block]] = Field(default_factory=dict)  # section id -> paragraphs
    # ---- schema 2 (issue 14, import): kept apart from the fields above so that merges stay easy.
    # A cell not in the source is missing: neither blank (declared "") nor 0. An ambiguous cell keeps every
    # value a reading of the source allows; neither has a value in ``cells``.
    missing: list[CellId] = Field(default_factory=list)
    ambiguous: dict[CellId, list[StrictNumber]] = Field(default_factory=dict)
    imported: Imported | None = None
    previous: str = ""  # last year's session file (new --from), the basis of the cross-year checks

    @field_validator("missing")
    @classmethod
    def _valid_missing(cls, missing: list[CellId]) -> list[CellId]:
        for cell in missing:
            _known_cell(cell)
        return missing

    @field_validator("ambiguous")
    @classmethod
    def _valid_ambiguous(cls, ambiguous: dict[CellId, list[Number]]) -> dict[CellId, list[Number]]:
        for cell, candidates in ambiguous.items():
            _known_cell(cell)
            for value in candidates:
                check_count(cell, value)
        return ambiguous

    def unknown_cells(self) -> frozenset[CellId]:
        """Cells whose value the source does not settle: missing or ambiguous."""
        return frozenset(self.missing) | frozenset(self.ambiguous)

    # How each input cell was last entered (issue 12): the guided questions, a whole-row answer or the grid.
    # Provenance stays ENTERED either way; this only says which way in, for the clerk and for measurements.
    entry: dict[CellId, Literal["guided", "row", "grid"]] = Field(default_factory=dict)

    @field_validator("answers")
    @classmethod
    def _valid_answers(cls, answers: dict[QuestionId, AnswerValue]) -> dict[QuestionId, AnswerValue]:
        for qid, value in answers.items():
            if isinstance(value, float) and not math.isfinite(value):
                raise ValueError(f"回答「{qid}」不是有效的数字（现为 {value}）")
        return answers

    @field_validator("cells")
    @classmethod
    def _valid_cells(cls, cells: dict[CellId, Number]) -> dict[CellId, Number]:
        out = {}
        for cell, value in cells.items():
            _known_cell(cell)
            if cell in form.TOTAL_CELLS:
                raise ValueError(f"「{form.cell_name(cell)}」是合计，由程序计算，不应填写")
            out[cell] = check_count(cell, value)
        return out

    @field_validator("declared")
    @classmethod
    def _valid_declared(cls, declared: dict[CellId, Number | str]) -> dict[CellId, Number | str]:
        out: dict[CellId, Number | str] = {}
        for cell, value in declared.items():
            _known_cell(cell)
            if isinstance(value, str):
                if value.strip() not in ("", "/"):
                    raise ValueError(f"{form.cell_name(cell)} 只能是数字、空白或“/”（现为「{value}」）")
                out[cell] = value.strip()
            else:
                out[cell] = check_count(cell, value)
        return out

    @field_validator("sources")
    @classmethod
    def _valid_sources(cls, sources: dict[CellId, Provenance]) -> dict[CellId, Provenance]:
        for cell in sources:
            _known_cell(cell)
        return sources

    @field_validator("narrative")
    @classmethod
    def _valid_sections(cls, narrative: dict[str, list[Block]]) -> dict[str, list[Block]]:
        for section in narrative:
            if section not in form.NARRATIVE_SECTIONS:
                raise ValueError(f"未知的文字部分「{section}」（应为 {'、'.join(form.NARRATIVE_SECTIONS)}）")
        return narrative

    def provenance(self, cell: CellId) -> Provenance:
        if cell in form.TOTAL_CELLS:
            return Provenance.COMPUTED
        if cell in self.sources:
            return self.sources[cell]
        return Provenance.ENTERED if cell in self.cells else Provenance.DEFAULT


# How a cell the source does not settle is printed (never as 0).
MISSING_MARK = "（缺）"
AMBIGUOUS_MARK = "（？）"


def standard_title(agency: str, year: int) -> str:
    return f"{agency}{year}年政府信息公开工作年度报告"


@dataclass(frozen=True)
class Report:
    """Everything the report shows, derived from a session: every cell with totals computed.

    A plain dataclass: it is built from an already validated Session, so a pydantic model would only add
    its start-up cost and a second validation of every cell.
    """

    meta: Meta
    title: str
    values: dict[CellId, Number]  # every cell of ALL_CELLS; totals computed from their parts
    sources: dict[CellId, Provenance]
    declared: dict[CellId, Number | str]  # totals as printed in an imported report
    narrative: dict[str, list[Block]]
    unknown: frozenset[CellId] = frozenset()  # imported cells that are missing or ambiguous: no value to check
    missing: frozenset[CellId] = frozenset()
    imported: Imported | None = None  # what was read from a published report (headings, layout): None for sessions
    # an ambiguous imported cell -> every value a reading of the source allows (text.py accepts a figure among them)
    ambiguous: Mapping[CellId, tuple[Number, ...]] = field(default_factory=dict)

    @property
    def year(self) -> int:
        return self.meta.year

    def value(self, cell: CellId) -> Number:
        return self.values[cell]

    def printed(self, cell: CellId) -> Number | str:
        """What the published table shows: the declared figure if there is one, else the value."""
        if cell in self.unknown:
            return MISSING_MARK if cell in self.missing else AMBIGUOUS_MARK
        return self.declared.get(cell, self.values[cell])

    def t3(self, row: str, column: str = "total") -> Number:
        return self.values[form.t3_cell(row, column)]

    def t4(self, group: str, column: str = "total") -> Number:
        return self.values[form.t4_cell(group, column)]

    def t2(self, row: str, column: str) -> Number:
        return self.values[form.t2_cell(row, column)]

    def section_is_default(self, cells: tuple[CellId, ...]) -> bool:
        return all(self.sources[c] in (Provenance.DEFAULT, Provenance.COMPUTED) for c in cells)


def compute_values(cells: Mapping[CellId, Number]) -> dict[CellId, Number]:
    """All cells, with input cells taken from ``cells`` (missing = 0) and every total computed."""
    values: dict[CellId, Number] = {c: cells.get(c, 0) for c in form.INPUT_CELLS}
    for column in form.T3_PART_COLUMNS:
        values[form.t3_cell(form.T3_RESULTS_TOTAL, column)] = sum(
            values[form.t3_cell(row, column)] for row in form.T3_OUTCOME_ROWS
        )
    for row in form.T3_ROWS:
        values[form.t3_cell(row.id, "total")] = sum(values[form.t3_cell(row.id, c)] for c in form.T3_PART_COLUMNS)
    for group, _ in form.T4_GROUPS:
        values[form.t4_cell(group, "total")] = sum(values[form.t4_cell(group, c)] for c in form.T4_PART_COLUMNS)
    return values


def derive_report(session: Session) -> Report:
    meta = session.meta
    return Report(
        meta=meta,
        title=meta.title or standard_title(meta.agency, meta.year),
        values=compute_values(session.cells),
        sources={c: session.provenance(c) for c in form.ALL_CELLS},
        declared=dict(session.declared),
        narrative={s: list(session.narrative.get(s, [])) for s in form.NARRATIVE_SECTIONS},
        unknown=session.unknown_cells(),
        missing=frozenset(session.missing),
        imported=session.imported,
        ambiguous={c: tuple(v) for c, v in session.ambiguous.items()},
    )
