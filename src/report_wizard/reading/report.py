"""A published report read into a Session, faithfully, with a short parse report.

Cells as printed: input cells with a number go to ``cells`` (provenance IMPORTED), printed totals to
``declared`` (so the checks catch a wrong one), blanks and 「/」 to ``declared`` as ""/"/"; ambiguous cells
keep their candidates, and every cell the source does not hold is listed as missing — never 0.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from report_wizard.core import form
from report_wizard.core.model import (
    UNRECOGNISED_AGENCY,
    Block,
    Imported,
    Meta,
    Provenance,
    QuestionId,
    Session,
    check_count,
)
from report_wizard.reading.document import Document, read_document
from report_wizard.reading.source import ReadingError, SourceText, read_source
from report_wizard.reading.tables import Ambiguous, Tables, read_tables

UNNAMED = UNRECOGNISED_AGENCY
_KIND_NAMES = {"txt": "文本", "md": "Markdown", "html": "网页", "docx": "Word", "pdf": "PDF"}


@dataclass(frozen=True)
class ImportResult:
    session: Session
    report: list[str]  # the parse report, one line each


def import_report(path: Path) -> ImportResult:
    """Read ``path`` (txt, md, html, docx, pdf) into a new Session; raises ReadingError when it cannot."""
    path = Path(path)
    source = read_source(path)
    return build_session(source, path.name)


def build_session(source: SourceText, name: str) -> ImportResult:
    text = source.text
    doc = read_document(text, source.wrapped)
    from report_wizard.reading.tables import find_headings

    tables = read_tables(text, find_headings(text))
    if not doc.agency and not tables.cells and not any(doc.sections.values()):
        raise ReadingError(f"「{name}」里没有找到年度报告的标题、章节或表格，不像是一份政府信息公开工作年度报告。")
    year = doc.year
    if year is None or not 2019 <= year <= 2100:
        raise ReadingError(f"「{name}」里没有找到报告年度（标题或统计期限中的年份），无法导入。")
    meta = Meta(
        agency=doc.agency or UNNAMED,
        agency_kind=doc.kind or "subdistrict",  # type: ignore[arg-type]
        year=year,
        title=doc.title
        if doc.title and _squeeze(doc.title) != _squeeze(f"{doc.agency}{year}年政府信息公开工作年度报告")
        else "",
    )
    session = Session(meta=meta)
    if doc.agency:
        session.answers.update(
            {
                QuestionId("basics.agency"): doc.agency,
                QuestionId("basics.agency_kind"): meta.agency_kind,
                QuestionId("basics.year"): year,
            }
        )
    invalid = _put_cells(session, tables)
    tables.notes += [f"{why}，记为缺失。" for why in invalid.values()]
    for section in form.NARRATIVE_SECTIONS:
        paragraphs = doc.sections.get(section, [])
        if paragraphs:
            session.narrative[section] = [Block(text=p) for p in paragraphs]
    texts = {"preamble": doc.preamble} if doc.preamble else {}
    texts |= {f"{s}_table": raw for s, raw in tables.raw.items()}
    report = parse_report(name, source, doc, tables, session)
    session.imported = Imported(
        source=name,
        table_format=tables.table_format,  # type: ignore[arg-type]
        headings=doc.headings,
        texts=texts,
        report=report,
        labels=tables.labels,
        invalid=invalid,
    )
    return ImportResult(session, report)


def _squeeze(text: str) -> str:
    return "".join(text.split())


def _put_cells(session: Session, tables: Tables) -> dict[str, str]:
    """Put the cells read into ``session``; returns the cells whose printed figure no count can be (a decimal
    number of requests, beyond every limit), each with why: kept missing, so that the rest of the report is
    still read and checked, and named by the NUM rule."""
    invalid: dict[str, str] = {}
    for cell in form.ALL_CELLS:
        value = tables.cells.get(cell)
        if isinstance(value, int | float) and not isinstance(value, bool):
            try:
                check_count(cell, value)
            except ValueError as exc:
                invalid[cell] = str(exc)
                value = None
        if value is None:
            session.missing.append(cell)
        elif isinstance(value, Ambiguous):
            session.ambiguous[cell] = list(value.candidates)
            session.sources[cell] = Provenance.IMPORTED
        elif isinstance(value, str):
            session.declared[cell] = value
            session.sources[cell] = Provenance.IMPORTED
        elif cell in form.TOTAL_CELLS:
            session.declared[cell] = value
        else:
            session.cells[cell] = value
            session.sources[cell] = Provenance.IMPORTED
    # validate what was put in (a figure beyond the limits is a message, not a file that will not load)
    try:
        Session.model_validate(session.model_dump())
    except ValidationError as exc:
        raise ReadingError(f"表格中有无法使用的数字：{exc.errors()[0]['msg'].removeprefix('Value error, ')}") from None
    return invalid


def parse_report(name: str, source: SourceText, doc: Document, tables: Tables, session: Session) -> list[str]:
    pages = f"，{source.pages} 页" if source.pages else ""
    lines = [f"读取：{name}（{_KIND_NAMES.get(source.kind, source.kind)}{pages}）"]
    meta = session.meta
    agency = meta.agency if doc.agency else f"{UNNAMED}（标题中没有机关名称，请补上）"
    lines.append(f"机关：{agency}；年度：{meta.year}；类型：{meta.agency_kind_label}（由名称判断，请核对）")
    fmt = {"2021": "2021 年版（国办公开办函〔2021〕30号）", "2019": "2019 年版（已废止的旧格式）"}
    lines.append(f"表格格式：{fmt.get(tables.table_format, '没有找到表格')}")
    found = [s for s in form.SECTIONS if doc.headings.get(s.id)]
    absent = [s.heading for s in form.SECTIONS if not doc.headings.get(s.id)]
    lines.append(f"找到的部分：{len(found)} / 6" + (f"；缺少的标题：{'、'.join(absent)}" if absent else ""))
    for s in found:
        if doc.headings[s.id] != s.heading:
            lines.append(f"标题与标准不同：「{doc.headings[s.id]}」（标准为「{s.heading}」），原样保留。")
    total = len(form.ALL_CELLS)
    missing, ambiguous = len(session.missing), len(session.ambiguous)
    lines.append(
        f"表格单元格：共 {total} 个，读到 {total - missing - ambiguous} 个，缺失 {missing} 个，有歧义 {ambiguous} 个。"
    )
    if ambiguous:
        shown = [
            f"{form.cell_name(c)}（{'/'.join(str(v) for v in vs[:6])}{'…' if len(vs) > 6 else ''}）"
            for c, vs in list(session.ambiguous.items())[:6]
        ]
        lines.append(f"有歧义（原文数字连在一起，可以有多种拆法）：{'；'.join(shown)}{'等' if ambiguous > 6 else ''}。")
    blank = [c for c, v in session.declared.items() if isinstance(v, str)]
    if blank:
        lines.append(f"空白或「/」的单元格：{len(blank)} 个，原样保留。")
    lines.extend(tables.notes)
    lines.extend(doc.notes)
    return lines
