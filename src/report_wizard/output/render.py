"""Render a Report as plain text, Markdown or HTML through the Jinja2 templates in templates/.

Templates get a plain context built here from form.py (labels) and the report (printed values);
clerk text travels as data and is never compiled as a template.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Sequence
from functools import cache
from typing import TYPE_CHECKING, Any

import jinja2

from report_wizard.core import form, paths
from report_wizard.core.errors import WizardError
from report_wizard.core.model import Number, Report
from report_wizard.core.numerals import chinese_numeral, format_number
from report_wizard.narrative import paragraphs as narrative

if TYPE_CHECKING:
    from report_wizard.checks import Finding

FORMATS: tuple[str, ...] = ("txt", "md", "html")  # text formats, rendered here through the templates
# Every format a report can be written in: the text formats and the Word document of output/docx.py.
EXPORT_FORMATS: tuple[str, ...] = (*FORMATS, "docx")
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


# ---------------------------------------------------------------- Markdown
# Clerk text must come out of a CommonMark renderer as one plain paragraph (or heading text, or table cell)
# with the same visible text. Only what CommonMark would read as markup is escaped, so the Markdown stays
# readable; full-width punctuation never means anything to Markdown and is left alone. Inline markup that
# needs an opener and a closer (emphasis, code spans, links) cannot form from a single run of its
# character, so a character is escaped only when the text has two runs of it. `~` is for GFM strikethrough
# and `|` for GFM tables: the report's own tables are GFM pipe tables, so GFM renderers are the target.
_MD_PUNCT = r"!-/:-@\[-`{-~"  # ASCII punctuation: what a backslash escapes
_MD_ENTITY = r"&(?=#[0-9]{1,7};|#[xX][0-9a-fA-F]{1,6};|[A-Za-z][A-Za-z0-9]{0,31};)"
_MD_BLOCK_START = (
    re.compile(r"^(?=#{1,6}(?:[ \t]|$))"),  # ATX heading
    re.compile(r"^(?=>)"),  # block quote
    re.compile(r"^(?=[-+*](?:[ \t]|$))"),  # bullet list item
    re.compile(r"^(?=([-*_])(?:[ \t]*\1){2,}[ \t]*$)"),  # thematic break
    re.compile(r"^(?=-+$|=+$)"),  # setext heading underline
    re.compile(r"^(?=`{3,}|~{3,})"),  # code fence
)
_MD_ORDERED = re.compile(r"^([0-9]{1,9})(?=[.)](?:[ \t]|$))")  # escape the "." or ")": "\1" is not an escape
_MD_HTML_BLOCK = re.compile(r"^<(?=[A-Za-z/!?])")  # an HTML block needs no closing ">" on its line
_MD_CLOSING_HASHES = re.compile(r"(?<=[ \t])(?=#+$)")  # trailing #s would vanish from a heading (the title)


@cache
def _md_inline(chars: str, tags: bool) -> re.Pattern[str]:
    parts = [rf"\\(?=[{_MD_PUNCT}]|\Z)", _MD_ENTITY]  # a backslash at the end could escape what follows
    if chars:
        parts.append(f"[{re.escape(chars)}]")
    if tags:
        parts.append("<")
    return re.compile("|".join(parts))


def _md_space(char: str) -> str:
    return f"&#{ord(char)};"


def _md_line(line: str, inline: re.Pattern[str]) -> str:
    # Renderers strip a line's leading and trailing whitespace, some all of Unicode's (U+3000 too), and
    # indentation makes code: one encoded character at each end keeps them all.
    core = line.strip()
    if not core:  # whitespace only: encoded at both ends, or the line would be blank and end the paragraph
        return line and _md_space(line[0]) + line[1:-1] + (_md_space(line[-1]) if len(line) > 1 else "")
    start = line.index(core[0])
    lead, trail = line[:start], line[start + len(core) :]
    core = inline.sub(lambda m: {"<": "&lt;", "&": "&amp;"}.get(m[0], "\\" + m[0]), core)
    before = lead[-1:]  # "  #" is a closing sequence too
    core = _MD_CLOSING_HASHES.sub(r"\\", before + core)[len(before) :]
    if lead:  # the line now starts with "&": no block markup can start it
        lead = _md_space(lead[0]) + lead[1:]
    else:
        for pattern in _MD_BLOCK_START:
            core = pattern.sub(r"\\", core)
        core = _MD_ORDERED.sub(r"\1\\", core)
        core = _MD_HTML_BLOCK.sub("&lt;", core)
    if trail:  # two trailing spaces would also make a hard line break
        trail = trail[:-1] + _md_space(trail[-1])
    return lead + core + trail


def md_text(text: str) -> str:
    """Clerk text as Markdown that renders as exactly this text, in one plain paragraph.

    Safe as a paragraph, as heading text and as a table cell; not inside emphasis the template adds."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    chars = "".join(c for c in "*_`~" if len(re.findall(re.escape(c) + "+", text)) > 1)
    if "[" in text and "]" in text:  # a link or a reference needs both
        chars += "["
    if "\n" in text:  # a GFM table needs a header line and a delimiter line
        chars += "|"
    first_lt = text.find("<")
    inline = _md_inline(chars, first_lt >= 0 and ">" in text[first_lt:])  # raw HTML and autolinks end with ">"
    lines = text.split("\n")
    out = _md_line(lines[0], inline)
    for before, line in itertools.pairwise(lines):
        # Next to an empty line a real line break would leave a blank line, which ends the paragraph.
        out += ("\n" if before and line else "&#10;") + _md_line(line, inline)
    return out


def md_cell(text: str) -> str:
    """Clerk text as one GFM table cell: its lines joined by spaces, so the row stays one line."""
    return md_text(" ".join(text.replace("\r\n", "\n").replace("\r", "\n").split("\n"))).replace("|", "\\|")


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
        # One header row (Markdown): each column's merged headers read top to bottom, 申请人情况 included.
        "flat_columns": [
            f"{form.T3_APPLICANT_HEADER} {label}"
            if column in ("natural_person", "total")
            else f"{form.T3_APPLICANT_HEADER} {form.T3_LEGAL_PERSONS_HEADER} {label}"
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
        from report_wizard.checks import run_checks

        findings = run_checks(report)
    try:
        template = environment().get_template(TEMPLATE_NAMES[fmt])
        return template.render(report_context(report) | {"draft": draft_mark(findings)})
    except jinja2.TemplateError as error:
        # A shipped template is broken: a bug, but the clerk gets a sentence, not a traceback.
        raise RenderError(f"报告模板 {TEMPLATE_NAMES[fmt]} 有错误，无法生成报告：{error}") from error
