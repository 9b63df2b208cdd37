"""Render a Report as plain text, Markdown or HTML through the Jinja2 templates in templates/.

Templates get a plain context built here from form.py (labels) and the report (printed values);
clerk text travels as data and is never compiled as a template.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from typing import TYPE_CHECKING, Any

import jinja2

from . import form, narrative, paths
from .errors import WizardError
from .model import Number, Report
from .numerals import chinese_numeral, format_number

if TYPE_CHECKING:
    from .checks import Finding

FORMATS: tuple[str, ...] = ("txt", "md", "html")
TEMPLATE_NAMES = {fmt: f"report.{fmt}.j2" for fmt in FORMATS}


class RenderError(WizardError):
    """The report cannot be rendered (unknown format, broken template)."""


# ---------------------------------------------------------------- filters


def cn_ordinal(n: int) -> str:
    """1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 99 → 九十九 (for 一是/二是 numbering)."""
    if isinstance(n, bool) or not isinstance(n, int) or not 1 <= n <= 99:
        raise ValueError(f"cn_ordinal: {n!r} is outside 1..99")
    return chinese_numeral(n)


def num(value: Number | str) -> str:
    """A count or an amount in 万元 as printed: 0 → "0", 1.5 → "1.5", 0.1+0.2 → "0.3".

    Strings (a blank or "/" kept from an imported report) are printed as they were.
    """
    return value if isinstance(value, str) else format_number(value)


def next_year(year: int) -> int:
    return year + 1


def previous_year(year: int) -> int:
    return year - 1


# Markdown: keep every clerk paragraph a plain paragraph; no raw HTML, no accidental heading/list/quote.
_MD_LINE_START = re.compile(r"^(\s*)(#|>|[-+*](?=\s)|\d+(?=[.)]\s))")


def md_text(text: str) -> str:
    text = text.replace("&", "&amp;").replace("<", "&lt;")
    return _MD_LINE_START.sub(lambda m: m.group(1) + "\\" + m.group(2), text)


def md_cell(text: str) -> str:
    return md_text(text).replace("|", "\\|")


# ---------------------------------------------------------------- environment
@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(paths.templates_dir())),
        undefined=jinja2.StrictUndefined,
        # Templates are named report.html.j2: plain ["html"] would not match and leave HTML unescaped.
        autoescape=jinja2.select_autoescape(["html", "html.j2"], default_for_string=False),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        cn_ordinal=cn_ordinal,
        num=num,
        next_year=next_year,
        previous_year=previous_year,
        md=md_text,
        md_cell=md_cell,
    )
    return env


# ---------------------------------------------------------------- context
def _t2_context(report: Report) -> dict[str, Any]:
    width = 1 + max(len(b.columns) for b in form.T2_BLOCKS)
    blocks = [
        {
            "id": block.id,
            "title": block.title,
            "money": block.money,
            "columns": [label for _, label in block.columns],
            "rows": [
                {
                    "label": row.label,
                    "numbers": [report.printed(form.t2_cell(row.id, column)) for column, _ in block.columns],
                }
                for row in block.rows
            ],
        }
        for block in form.T2_BLOCKS
    ]
    return {"content_label": form.T2_CONTENT_LABEL, "width": width, "blocks": blocks}


def _t3_context(report: Report) -> dict[str, Any]:
    # Rows under 三、本年度办理结果: the 21 outcome rows and （七）总计.
    results = [r.id for r in form.T3_ROWS if r.group is not None or r.id == form.T3_RESULTS_TOTAL]
    results_label = form.T3_TOP_LABELS["results"]
    rows = []
    seen_groups: set[str] = set()
    for row in form.T3_ROWS:
        values = [report.printed(form.t3_cell(row.id, column)) for column, _, _ in form.T3_COLUMNS]
        entry: dict[str, Any] = {"id": row.id, "numbers": values, "top": "", "top_rowspan": 0}
        if row.id not in results:  # 一、二、四: one label across the three label columns
            entry.update(kind="top", top=row.label, group="", group_rowspan=0, item="", flat=row.label)
            rows.append(entry)
            continue
        if row.id == results[0]:
            entry.update(top=results_label, top_rowspan=len(results))
        group = row.group
        if group is None or not group.items:  # （一）（二）（七）: the group is the row itself
            entry.update(kind="single", group=row.label, group_rowspan=1, item="")
        else:
            first = group.id not in seen_groups
            seen_groups.add(group.id)
            entry.update(
                kind="item",
                group=group.label if first else "",
                group_rowspan=len(group.items) if first else 0,
                item=row.label,
            )
        entry["flat"] = f"{results_label} {form.t3_row_name(row.id)}"
        rows.append(entry)
    part_columns = [label for column, label, _ in form.T3_COLUMNS if column not in ("natural_person", "total")]
    return {
        "width": 3 + len(form.T3_COLUMNS),  # three label columns, as in the official table
        "note": form.T3_NOTE,
        "applicant_header": form.T3_APPLICANT_HEADER,
        "legal_persons_header": form.T3_LEGAL_PERSONS_HEADER,
        "natural_person": form.T3_COLUMN_LABEL["natural_person"],
        "total": form.T3_COLUMN_LABEL["total"],
        "org_columns": part_columns,
        "columns": [label for _, label, _ in form.T3_COLUMNS],
        "flat_columns": [
            label if column in ("natural_person", "total") else f"{form.T3_LEGAL_PERSONS_HEADER} {label}"
            for column, label, _ in form.T3_COLUMNS
        ],
        "rows": rows,
    }


def _t4_context(report: Report) -> dict[str, Any]:
    groups = [
        {
            "id": group,
            "label": label,
            "name": form.T4_GROUP_NAME[group],
            "numbers": [report.printed(form.t4_cell(group, column)) for column, _ in form.T4_COLUMNS],
        }
        for group, label in form.T4_GROUPS
    ]
    return {
        "width": len(form.T4_GROUPS) * len(form.T4_COLUMNS),
        "review_header": form.T4_REVIEW_HEADER,
        "litigation_header": form.T4_LITIGATION_HEADER,
        "columns": [label for _, label in form.T4_COLUMNS],
        "groups": groups,
        # One header per column for formats without merged cells, e.g. 「行政诉讼 复议后起诉 总计」.
        "flat_columns": [
            f"{label if group == 'review' else form.T4_LITIGATION_HEADER + ' ' + label} {column}"
            for group, label in form.T4_GROUPS
            for _, column in form.T4_COLUMNS
        ],
        "numbers": [v for g in groups for v in g["numbers"]],
    }


def report_context(report: Report) -> dict[str, Any]:
    """Everything the templates print, as plain data (labels from form.py, values as printed)."""
    sections = [
        {
            "id": s.id,
            "heading": s.heading,
            "narrative": s.narrative,
            "paragraphs": narrative.section_paragraphs(report, s.id) if s.narrative else [],
        }
        for s in form.SECTIONS
    ]
    return {
        "title": report.title,
        "agency": report.meta.agency,
        "superior": report.meta.superior,
        "year": report.year,
        "next_year": next_year(report.year),
        "format_basis": form.FORMAT_BASIS,
        "sections": sections,
        "t2": _t2_context(report),
        "t3": _t3_context(report),
        "t4": _t4_context(report),
    }


def draft_mark(findings: Sequence[Finding]) -> str:
    """The line printed above the title of a report that still has errors ("" when it has none)."""
    errors = [f for f in findings if f.level == "error"]
    if not errors:
        return ""
    rules = "、".join(dict.fromkeys(f.rule for f in errors))
    return f"草稿：本报告还有{len(errors)}处错误未改正（{rules}），改正前请勿发布。"


def render_report(report: Report, fmt: str = "txt", findings: Sequence[Finding] | None = None) -> str:
    """The report as text in ``fmt`` (one of FORMATS), marked 草稿 at its top if ``findings`` (by default the
    checks of the report itself) hold an error."""
    if fmt not in FORMATS:
        raise RenderError(f"不支持的输出格式「{fmt}」，可选：{'、'.join(FORMATS)}")
    if findings is None:
        from .checks import run_checks

        findings = run_checks(report)
    try:
        template = environment().get_template(TEMPLATE_NAMES[fmt])
        return template.render(report_context(report) | {"draft": draft_mark(findings)})
    except jinja2.TemplateError as error:
        # A shipped template is broken: a bug, but the clerk gets a sentence, not a traceback.
        raise RenderError(f"报告模板 {TEMPLATE_NAMES[fmt]} 有错误，无法生成报告：{error}") from error
