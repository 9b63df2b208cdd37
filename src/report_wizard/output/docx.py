"""Render a Report as a Word document (.docx) in the official layout, ready to sign and publish.

Built with python-docx: the maintained library that writes real merged cells (gridSpan / vMerge), East Asian
font names (rFonts w:eastAsia, not only the Latin name) and headers/footers with PAGE fields, with no Word
template the clerk must supply. Everything visual (fonts, sizes, margins, spacing, column widths) is read
from templates/docx/style.toml, the one place a county changes it.

The text is the other formats' text: labels and values come from render.report_context (so form.py and the
same phrase rendering as txt), and clerk text travels as run text, never as a template.
"""

from __future__ import annotations

import io
import re
import tomllib
import unicodedata
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from report_wizard.core import form, paths
from report_wizard.core.model import Report
from report_wizard.output.render import RenderError, draft_mark, num, report_context

if TYPE_CHECKING:
    from report_wizard.checks import Finding

STYLE_FILE = "docx/style.toml"

# 中文字号 in points (the sizes Word's Chinese UI names).
CHINESE_SIZES = {
    "初号": 42.0,
    "小初": 36.0,
    "一号": 26.0,
    "小一": 24.0,
    "二号": 22.0,
    "小二": 18.0,
    "三号": 16.0,
    "小三": 15.0,
    "四号": 14.0,
    "小四": 12.0,
    "五号": 10.5,
    "小五": 9.0,
}

# Word paragraph style ids (ASCII, so that every Word/WPS version reads them) and their shown names.
STYLE_NAMES = {
    "title": "报告标题",
    "body": "报告正文",
    "heading1": "报告一级标题",
    "table": "报告表格",
    "signature": "报告署名",
    "draft": "报告草稿提示",
    "page_number_text": "报告页码",
}
STYLE_IDS = {
    "title": "ReportTitle",
    "body": "ReportBody",
    "heading1": "ReportHeading1",
    "table": "ReportTable",
    "signature": "ReportSignature",
    "draft": "ReportDraft",
    "page_number_text": "ReportPageNumber",
}
ALIGN = {"left": "left", "center": "center", "right": "right", "justify": "both"}
TWIPS_PER_MM = 1440 / 25.4
TWIPS_PER_PT = 20


# ---------------------------------------------------------------- the style file
@dataclass(frozen=True)
class TextStyle:
    font: str
    fallback: str
    size_pt: float
    bold: bool = False
    align: str = "justify"
    line_pt: float = 0.0  # 0: single spacing
    first_line_chars: float = 0.0
    space_before_pt: float = 0.0
    space_after_pt: float = 0.0
    color: str = ""


@dataclass(frozen=True)
class DocxStyle:
    page: dict[str, Any]
    text: dict[str, TextStyle]  # by role: title, body, heading1, heading2, table, signature, draft, page_number_text
    table_header_bold: bool
    block_shading: str
    row_height_mm: float
    border_pt: float
    cell_margin_mm: float
    signature_right_chars: float
    draft_header: str
    widths: dict[str, tuple[float, ...]]


def _missing(where: str, key: str) -> RenderError:
    return RenderError(f"Word 版式文件 {STYLE_FILE} 中 {where} 缺少 {key}。")


def _size(value: object, where: str) -> float:
    if value is None:
        raise _missing(where, "size")
    if isinstance(value, str) and value in CHINESE_SIZES:
        return CHINESE_SIZES[value]
    if isinstance(value, (int, float)) and not isinstance(value, bool) and 4 <= value <= 100:
        return float(value)
    raise RenderError(
        f"Word 版式文件 {STYLE_FILE} 中 {where} 的字号「{value}」无效：应为中文字号（如 三号）或 4–100 的磅值。"
    )


def _number(table: dict[str, Any], key: str, where: str, default: float | None = None) -> float:
    value = table.get(key, default)
    if value is None:
        raise _missing(f"[{where}]", key)
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
        raise RenderError(f"Word 版式文件 {STYLE_FILE} 中 [{where}] 的 {key} 应为不小于 0 的数字（现为「{value}」）。")
    return float(value)


def _text(table: dict[str, Any], key: str, where: str, default: str | None = None) -> str:
    value = table.get(key, default)
    if value is None:
        raise _missing(f"[{where}]", key)
    if not isinstance(value, str):
        raise RenderError(f"Word 版式文件 {STYLE_FILE} 中 [{where}] 的 {key} 应为文字（现为「{value}」）。")
    return value


def parse_style(data: dict[str, Any]) -> DocxStyle:
    """The style file's tables as a DocxStyle; anything missing or wrong is one Chinese sentence."""

    def section(name: str) -> dict[str, Any]:
        value = data.get(name)
        if not isinstance(value, dict):
            raise RenderError(f"Word 版式文件 {STYLE_FILE} 缺少 [{name}] 一节。")
        return value

    body = section("body")
    text: dict[str, TextStyle] = {}
    for role in ("title", "body", "heading1", "heading2", "table", "signature", "draft", "page_number_text"):
        table = section(role)
        inherit = body if role in ("signature",) else {}
        font = _text(table, "font", role, inherit.get("font"))
        text[role] = TextStyle(
            font=font,
            fallback=_text(table, "fallback", role, inherit.get("fallback", "")),
            size_pt=_size(table.get("size"), f"[{role}]"),
            bold=bool(table.get("bold", False)),
            align=_text(table, "align", role, "justify"),
            line_pt=_number(table, "line_pt", role, 0),
            first_line_chars=_number(table, "first_line_chars", role, 0),
            space_before_pt=_number(table, "space_before_pt", role, 0),
            space_after_pt=_number(table, "space_after_pt", role, 0),
            color=_text(table, "color", role, ""),
        )
        if text[role].align not in ALIGN:
            raise RenderError(
                f"Word 版式文件 {STYLE_FILE} 中 [{role}] 的 align「{text[role].align}」无效，可选：{'、'.join(ALIGN)}。"
            )
    page = section("page")
    for key in ("width_mm", "height_mm", "top_mm", "bottom_mm", "left_mm", "right_mm", "header_mm", "footer_mm"):
        _number(page, key, "page")
    if "{page}" not in _text(page, "page_number", "page"):
        raise RenderError(f"Word 版式文件 {STYLE_FILE} 中 [page] 的 page_number 应含有 {{page}}（页码所在的位置）。")
    if _text(page, "page_number_position", "page") not in ("outside", "center"):
        raise RenderError(f"Word 版式文件 {STYLE_FILE} 中 [page] 的 page_number_position 应为 outside 或 center。")
    _text(page, "latin_font", "page")
    widths: dict[str, tuple[float, ...]] = {}
    grid = {"t2": 1 + max(len(b.columns) for b in form.T2_BLOCKS), "t3": 3 + len(form.T3_COLUMNS)}
    grid["t4"] = len(form.T4_GROUPS) * len(form.T4_COLUMNS)
    for table_id, count in grid.items():
        value = section("widths").get(table_id)
        if (
            not isinstance(value, list)
            or len(value) != count
            or not all(isinstance(w, (int, float)) and not isinstance(w, bool) and w > 0 for w in value)
        ):
            raise RenderError(f"Word 版式文件 {STYLE_FILE} 中 [widths] 的 {table_id} 应为 {count} 个正数（每列一个）。")
        widths[table_id] = tuple(float(w) for w in value)
    table = section("table")
    return DocxStyle(
        page=page,
        text=text,
        table_header_bold=bool(section("table_header").get("bold", False)),
        block_shading=_text(section("block_title"), "shading", "block_title", ""),
        row_height_mm=_number(table, "row_height_mm", "table", 0),
        border_pt=_number(table, "border_pt", "table", 0.5),
        cell_margin_mm=_number(table, "cell_margin_mm", "table", 0),
        signature_right_chars=_number(section("signature"), "right_chars", "signature", 0),
        draft_header=_text(section("draft"), "header", "draft", ""),
        widths=widths,
    )


def load_style() -> DocxStyle:
    """The layout file's style, read again when the file changed: a county edits it and exports again
    without restarting the app."""
    path = paths.templates_dir() / STYLE_FILE
    try:
        stamp = path.stat()
    except OSError:
        raise RenderError(f"找不到 Word 版式文件「{path}」（安装可能不完整）。") from None
    return _read_style(path, stamp.st_mtime_ns, stamp.st_size)


@cache
def _read_style(path: Path, mtime_ns: int, size: int) -> DocxStyle:
    try:
        with path.open("rb") as f:
            data = tomllib.load(f)
    except OSError:
        raise RenderError(f"找不到 Word 版式文件「{path}」（安装可能不完整）。") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        raise RenderError(f"Word 版式文件「{path}」有错误，无法生成 Word 文档：{error}") from None
    return parse_style(data)


# ---------------------------------------------------------------- table layouts
@dataclass(frozen=True)
class Cell:
    """One w:tc: its text, how many grid columns it spans, and its place in a vertical merge."""

    text: str
    span: int = 1
    vmerge: str = ""  # "", "restart" (first row of a vertical merge) or "continue"
    kind: str = "label"  # header, block (table 二's 第二十条 rows), label (a row header), number


@dataclass(frozen=True)
class Table:
    id: str
    rows: tuple[tuple[Cell, ...], ...]
    header_rows: int  # repeated at the top of every page the table runs onto
    keep_together: bool  # short tables are kept on one page


def _numbers(values: Sequence[Any], last_span: int = 1) -> list[Cell]:
    cells = [Cell(num(v), kind="number") for v in values]
    if cells and last_span > 1:
        cells[-1] = Cell(cells[-1].text, span=last_span, kind="number")
    return cells


def t2_table(ctx: dict[str, Any]) -> Table:
    width = ctx["width"]
    rows: list[tuple[Cell, ...]] = []
    for block in ctx["blocks"]:
        last = width - len(block["columns"])
        rows.append((Cell(block["title"], span=width, kind="block"),))
        headers = [Cell(ctx["content_label"], kind="header")] + [Cell(c, kind="header") for c in block["columns"]]
        if last > 1:
            headers[-1] = Cell(headers[-1].text, span=last, kind="header")
        rows.append(tuple(headers))
        for row in block["rows"]:
            rows.append((Cell(row["label"]), *_numbers(row["numbers"], last)))
    return Table("t2", tuple(rows), header_rows=0, keep_together=True)


def t3_table(ctx: dict[str, Any]) -> Table:
    org = len(ctx["org_columns"])
    rows: list[tuple[Cell, ...]] = [
        (
            Cell(ctx["note"], span=3, vmerge="restart", kind="header"),
            Cell(ctx["applicant_header"], span=len(ctx["columns"]), kind="header"),
        ),
        (
            Cell("", span=3, vmerge="continue", kind="header"),
            Cell(ctx["natural_person"], vmerge="restart", kind="header"),
            Cell(ctx["legal_persons_header"], span=org, kind="header"),
            Cell(ctx["total"], vmerge="restart", kind="header"),
        ),
        (
            Cell("", span=3, vmerge="continue", kind="header"),
            Cell("", vmerge="continue", kind="header"),
            *(Cell(c, kind="header") for c in ctx["org_columns"]),
            Cell("", vmerge="continue", kind="header"),
        ),
    ]
    for row in ctx["rows"]:
        numbers = _numbers(row["numbers"])
        if row["kind"] == "top":
            rows.append((Cell(row["top"], span=3), *numbers))
            continue
        top = Cell(row["top"], vmerge="restart") if row["top_rowspan"] else Cell("", vmerge="continue")
        if row["kind"] == "single":
            rows.append((top, Cell(row["group"], span=2), *numbers))
        else:
            group = Cell(row["group"], vmerge="restart") if row["group_rowspan"] else Cell("", vmerge="continue")
            rows.append((top, group, Cell(row["item"]), *numbers))
    return Table("t3", tuple(rows), header_rows=3, keep_together=False)


def t4_table(ctx: dict[str, Any]) -> Table:
    width = len(ctx["columns"])
    groups = ctx["groups"]
    rows = (
        (
            Cell(ctx["review_header"], span=width, kind="header"),
            Cell(ctx["litigation_header"], span=2 * width, kind="header"),
        ),
        (
            *(Cell(c, vmerge="restart", kind="header") for c in ctx["columns"]),
            *(Cell(g["label"], span=width, kind="header") for g in groups[1:]),
        ),
        (
            *(Cell("", vmerge="continue", kind="header") for _ in ctx["columns"]),
            *(Cell(c, kind="header") for _ in groups[1:] for c in ctx["columns"]),
        ),
        tuple(_numbers(ctx["numbers"])),
    )
    return Table("t4", rows, header_rows=3, keep_together=True)


def report_tables(report: Report) -> dict[str, Table]:
    """The three tables as cells, in the official form's structure (a test compares it with the blank form)."""
    ctx = report_context(report)
    return {"t2": t2_table(ctx["t2"]), "t3": t3_table(ctx["t3"]), "t4": t4_table(ctx["t4"])}


# ---------------------------------------------------------------- XML helpers
def _qn(tag: str) -> str:
    from docx.oxml.ns import qn

    return qn(tag)


def _el(tag: str, **attrs: str | float) -> Any:
    """A new w: element; attributes given without their w: prefix."""
    from docx.oxml import OxmlElement

    element: Any = OxmlElement(tag)
    for name, value in attrs.items():
        element.set(_qn(f"w:{name}"), str(int(value)) if isinstance(value, float) else str(value))
    return element


def _child(parent: Any, tag: str, **attrs: str | float) -> Any:
    """``parent``'s child ``tag`` (made and appended if missing), with ``attrs`` set."""
    element = parent.find(_qn(tag))
    if element is None:
        element = _el(tag)
        parent.append(element)
    for name, value in attrs.items():
        element.set(_qn(f"w:{name}"), str(int(value)) if isinstance(value, float) else str(value))
    return element


# Elements of w:rPr and w:pPr must come in the schema's order or Word calls the file damaged.
_RPR_ORDER = ("w:rStyle", "w:rFonts", "w:b", "w:bCs", "w:color", "w:kern", "w:sz", "w:szCs", "w:lang")
_PPR_ORDER = (
    "w:pStyle",
    "w:keepNext",
    "w:keepLines",
    "w:widowControl",
    "w:spacing",
    "w:ind",
    "w:jc",
    "w:outlineLvl",
)


def _ordered(parent: Any, order: tuple[str, ...]) -> None:
    rank = {_qn(tag): i for i, tag in enumerate(order)}
    children = sorted(parent, key=lambda c: rank.get(c.tag, len(order)))
    for child in children:
        parent.append(child)


def _run_properties(rpr: Any, style: TextStyle, latin: str, bold: bool | None = None) -> None:
    _child(rpr, "w:rFonts", ascii=latin, hAnsi=latin, eastAsia=style.font, cs=style.font, hint="eastAsia")
    if style.bold if bold is None else bold:
        _child(rpr, "w:b")
        _child(rpr, "w:bCs")
    if style.color:
        _child(rpr, "w:color", val=style.color)
    half_points = str(round(style.size_pt * 2))
    _child(rpr, "w:sz", val=half_points)
    _child(rpr, "w:szCs", val=half_points)
    _child(rpr, "w:lang", val="en-US", eastAsia="zh-CN")
    _ordered(rpr, _RPR_ORDER)


def _paragraph_properties(ppr: Any, style: TextStyle) -> None:
    if style.line_pt:
        spacing = {"line": str(round(style.line_pt * TWIPS_PER_PT)), "lineRule": "exact"}
    else:
        spacing = {"line": "240", "lineRule": "auto"}
    before, after = round(style.space_before_pt * TWIPS_PER_PT), round(style.space_after_pt * TWIPS_PER_PT)
    _child(ppr, "w:spacing", before=str(before), after=str(after), **spacing)
    if style.first_line_chars:
        # firstLineChars (hundredths of a character) is what Word's 首行缩进 2 字符 writes; firstLine is the same
        # in twips for readers that ignore the character unit.
        twips = round(style.first_line_chars * style.size_pt * TWIPS_PER_PT)
        _child(ppr, "w:ind", firstLineChars=str(round(style.first_line_chars * 100)), firstLine=str(twips))
    _child(ppr, "w:jc", val=ALIGN[style.align])
    _ordered(ppr, _PPR_ORDER)


# XML 1.0 cannot hold most control characters; python-docx turns \t and \n into w:tab and w:br itself.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_text(text: str) -> str:
    return _NOT_XML.sub("\ufffd", text.replace("\r\n", "\n").replace("\r", "\n"))


# ---------------------------------------------------------------- the document
_LEAD_1 = re.compile(r"^[一二三四五六七八九十]{1,3}、")
_LEAD_2 = re.compile(r"^[（(][一二三四五六七八九十]{1,3}[）)]")
_SENTENCE_END = re.compile(r"[。：:！？]")


def lead_in(text: str) -> tuple[str, str]:
    """(heading kind, lead) of a paragraph that opens with 一、 or （一）: the part up to its first sentence
    end is that level's heading (黑体 / 楷体, GB/T 9704 habits), the rest is body text. ("", "") otherwise."""
    kind = "heading1" if _LEAD_1.match(text) else "heading2" if _LEAD_2.match(text) else ""
    if not kind:
        return "", ""
    end = _SENTENCE_END.search(text)
    if end is None:
        return (kind, text) if len(text) <= 40 else ("", "")  # a short line alone is a heading
    return kind, text[: end.end()]


TITLE_TAIL = "政府信息公开工作年度报告"


def title_lines(title: str, chars_per_line: float) -> list[str]:
    """The title as the lines it is set in: a title too long for one line breaks before 「政府信息公开工作年度
    报告」 (agency and year above it), never leaving 「报告」 alone on a second line."""

    def width(text: str) -> float:  # in full-width characters: digits and Latin letters are half as wide
        return sum(1.0 if unicodedata.east_asian_width(ch) in "WF" else 0.5 for ch in text)

    head = title.removesuffix(TITLE_TAIL).rstrip()
    # One character of slack: fonts set digits and Latin letters a little wider than half a character.
    if width(title) <= chars_per_line - 1 or not head or head == title:
        return [title]
    return [head, title[len(title) - len(TITLE_TAIL) :]]


class _Builder:
    def __init__(self, report: Report, style: DocxStyle, findings: Sequence[Finding]) -> None:
        import docx

        self.report = report
        self.style = style
        self.mark = draft_mark(findings)
        self.doc = docx.Document()
        self.latin = str(style.page["latin_font"])
        self.body = self.doc.element.body
        for child in list(self.body):  # the default template's empty paragraph; its w:sectPr is kept
            if child.tag != _qn("w:sectPr"):
                self.body.remove(child)

    # ---- styles
    def _styles(self) -> None:
        from docx.enum.style import WD_STYLE_TYPE

        styles = self.doc.styles
        body = self.style.text["body"]
        # Defaults for every run and paragraph (table cells too): the body's fonts, in Chinese.
        defaults = self.doc.styles.element.find(_qn("w:docDefaults"))
        rpr = _child(_child(defaults, "w:rPrDefault"), "w:rPr")
        for old in list(rpr):
            rpr.remove(old)
        _run_properties(rpr, body, self.latin)
        for role, name in STYLE_NAMES.items():
            new = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
            new.element.set(_qn("w:styleId"), STYLE_IDS[role])
            new.base_style = None
            new.quick_style = True
            text = self.style.text[role]
            _paragraph_properties(new.element.get_or_add_pPr(), text)
            # Page numbers are 半角宋体 digits (GB/T 9704): their Latin font is their own, not the body's.
            latin = text.font if role == "page_number_text" else self.latin
            _run_properties(new.element.get_or_add_rPr(), text, latin)
            if role in ("title", "heading1"):
                ppr = new.element.get_or_add_pPr()
                _child(ppr, "w:keepNext")
                if role == "heading1":
                    _child(ppr, "w:outlineLvl", val="0")  # 一、 headings show in Word's navigation pane
                _ordered(ppr, _PPR_ORDER)

    def _fonts(self) -> None:
        """Fallbacks in the font table (w:altName): Word and WPS use them where the first font is missing."""
        part = None
        for rel in self.doc.part.rels.values():
            if rel.reltype.endswith("/fontTable"):
                part = rel.target_part
        if part is None:
            return
        from docx.oxml import parse_xml

        root = parse_xml(part.blob)
        for role in ("title", "body", "heading1", "heading2", "table", "draft", "page_number_text"):
            text = self.style.text[role]
            if root.find(f"{_qn('w:font')}[@{_qn('w:name')}='{text.font}']") is not None:
                continue
            font = _el("w:font", name=text.font)
            if text.fallback:
                font.append(_el("w:altName", val=text.fallback))
            font.append(_el("w:charset", val="86"))  # GB2312
            font.append(_el("w:family", val="auto" if role == "page_number_text" else "modern"))
            root.append(font)
        from docx.opc.oxml import serialize_part_xml

        part._blob = serialize_part_xml(root)

    # ---- page
    def _page(self) -> None:
        from docx.shared import Twips

        page, section = self.style.page, self.doc.sections[0]

        def mm(key: str) -> Twips:
            return Twips(round(float(page[key]) * TWIPS_PER_MM))

        section.page_width, section.page_height = mm("width_mm"), mm("height_mm")
        section.top_margin, section.bottom_margin = mm("top_mm"), mm("bottom_mm")
        section.left_margin, section.right_margin = mm("left_mm"), mm("right_mm")
        section.header_distance, section.footer_distance = mm("header_mm"), mm("footer_mm")
        outside = page["page_number_position"] == "outside"
        if outside:
            self.doc.settings.odd_and_even_pages_header_footer = True
        footers = [(section.footer, "right" if outside else "center")]
        headers = [section.header]
        if outside:
            footers.append((section.even_page_footer, "left"))
            headers.append(section.even_page_header)
        for footer, align in footers:
            footer.is_linked_to_previous = False
            self._page_number(footer.paragraphs[0], align)
        for header in headers:
            header.is_linked_to_previous = False
            paragraph = header.paragraphs[0]
            if self.mark and self.style.draft_header:
                paragraph.style = self.doc.styles[STYLE_NAMES["draft"]]
                paragraph.add_run(self.style.draft_header)
                # On every page, so that a page printed or copied alone still says it is a draft.
                _child(paragraph._p.get_or_add_pPr(), "w:jc", val="left")

    def _page_number(self, paragraph: Any, align: str) -> None:
        """「— 1 —」: a PAGE field between the two dashes, one character in from the outer margin."""
        paragraph.style = self.doc.styles[STYLE_NAMES["page_number_text"]]
        ppr = paragraph._p.get_or_add_pPr()
        _child(ppr, "w:jc", val=align)
        if align in ("left", "right"):
            _child(
                ppr,
                "w:ind",
                **{f"{align}Chars": "100", align: str(round(self.style.text["page_number_text"].size_pt * 20))},
            )
        _ordered(ppr, _PPR_ORDER)
        before, _, after = str(self.style.page["page_number"]).partition("{page}")
        paragraph.add_run(before)
        for kind, text in (("begin", ""), ("instr", " PAGE "), ("separate", ""), ("text", "1"), ("end", "")):
            run = paragraph.add_run()
            if kind == "instr":
                instr = _el("w:instrText")
                instr.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
                instr.text = text
                run._r.append(instr)
            elif kind == "text":
                run.text = text
            else:
                run._r.append(_el("w:fldChar", fldCharType=kind))
        paragraph.add_run(after)

    # ---- text
    def _paragraph(self, role: str, text: str = "") -> Any:
        paragraph = self.doc.add_paragraph(style=self.doc.styles[STYLE_NAMES[role]])
        if text:
            paragraph.add_run(_xml_text(text))
        return paragraph

    def _body_paragraph(self, text: str) -> None:
        text = _xml_text(text)
        kind, lead = lead_in(text)
        paragraph = self._paragraph("body")
        if kind:
            run = paragraph.add_run(lead)
            rpr = run._r.get_or_add_rPr()
            _child(
                rpr,
                "w:rFonts",
                ascii=self.latin,
                hAnsi=self.latin,
                eastAsia=self.style.text[kind].font,
                hint="eastAsia",
            )
            _ordered(rpr, _RPR_ORDER)
        rest = text[len(lead) :]
        if rest:
            paragraph.add_run(rest)

    # ---- tables
    def _table(self, table: Table) -> None:
        style = self.style
        text_width = float(style.page["width_mm"]) - float(style.page["left_mm"]) - float(style.page["right_mm"])
        weights = style.widths[table.id]
        total_twips = round(text_width * TWIPS_PER_MM)
        grid = [round(total_twips * w / sum(weights)) for w in weights]
        grid[-1] += total_twips - sum(grid)
        tbl = _el("w:tbl")
        tblpr = _el("w:tblPr")
        tblpr.append(_el("w:tblW", w=str(total_twips), type="dxa"))
        tblpr.append(_el("w:jc", val="center"))
        borders = _el("w:tblBorders")
        for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
            eighths = str(max(2, round(style.border_pt * 8)))  # w:sz is in eighths of a point
            borders.append(_el(f"w:{edge}", val="single", sz=eighths, space="0", color="000000"))
        tblpr.append(borders)
        tblpr.append(_el("w:tblLayout", type="fixed"))
        margins = _el("w:tblCellMar")
        margin = str(round(style.cell_margin_mm * TWIPS_PER_MM))
        for edge in ("left", "right"):
            margins.append(_el(f"w:{edge}", w=margin, type="dxa"))
        tblpr.append(margins)
        tblpr.append(
            _el(
                "w:tblLook",
                val="0000",
                firstRow="0",
                lastRow="0",
                firstColumn="0",
                lastColumn="0",
                noHBand="1",
                noVBand="1",
            )
        )
        tbl.append(tblpr)
        tblgrid = _el("w:tblGrid")
        for width in grid:
            tblgrid.append(_el("w:gridCol", w=str(width)))
        tbl.append(tblgrid)
        table_style = self.doc.styles[STYLE_NAMES["table"]].style_id
        for index, row in enumerate(table.rows):
            tr = _el("w:tr")
            trpr = _el("w:trPr")
            trpr.append(_el("w:cantSplit"))  # a row is never split across pages
            if style.row_height_mm:
                trpr.append(_el("w:trHeight", val=str(round(style.row_height_mm * TWIPS_PER_MM)), hRule="atLeast"))
            if index < table.header_rows:
                trpr.append(_el("w:tblHeader"))  # repeated on every page the table runs onto
            trpr.append(_el("w:jc", val="center"))
            tr.append(trpr)
            column = 0
            for cell in row:
                tc = _el("w:tc")
                tcpr = _el("w:tcPr")
                tcpr.append(_el("w:tcW", w=str(sum(grid[column : column + cell.span])), type="dxa"))
                column += cell.span
                if cell.span > 1:
                    tcpr.append(_el("w:gridSpan", val=str(cell.span)))
                if cell.vmerge:
                    tcpr.append(_el("w:vMerge", val=cell.vmerge))
                if cell.kind == "block" and style.block_shading:
                    tcpr.append(_el("w:shd", val="clear", color="auto", fill=style.block_shading))
                tcpr.append(_el("w:vAlign", val="center"))
                tc.append(tcpr)
                p = _el("w:p")
                ppr = _el("w:pPr")
                ppr.append(_el("w:pStyle", val=table_style))
                if table.keep_together and index < len(table.rows) - 1:
                    ppr.append(_el("w:keepNext"))  # keeps a short table on one page
                align = "left" if cell.kind in ("label", "block") else "center"
                ppr.append(_el("w:jc", val=align))
                p.append(ppr)
                if cell.text:
                    r = _el("w:r")
                    if cell.kind == "header" and style.table_header_bold:
                        rpr = _el("w:rPr")
                        rpr.append(_el("w:b"))
                        r.append(rpr)
                    t = _el("w:t")
                    t.text = _xml_text(cell.text)
                    r.append(t)
                    p.append(r)
                tc.append(p)
                tr.append(tc)
            if column != len(grid):
                raise RenderError(
                    f"表格 {table.id} 第 {index + 1} 行的列数不对（{column}/{len(grid)}），无法生成 Word 文档。"
                )
            tbl.append(tr)
        self.body.find(_qn("w:sectPr")).addprevious(tbl)

    # ---- all of it
    def build(self) -> bytes:
        self._styles()
        self._fonts()
        self._page()
        ctx = report_context(self.report)
        if self.mark:
            self._paragraph("draft", f"【{self.mark}】")
        title = self._paragraph("title")
        title_style = self.style.text["title"]
        text_mm = (
            float(self.style.page["width_mm"]) - float(self.style.page["left_mm"]) - float(self.style.page["right_mm"])
        )
        lines = title_lines(ctx["title"], text_mm / (title_style.size_pt * 25.4 / 72))
        for i, line in enumerate(lines):
            run = title.add_run(_xml_text(line))
            if i < len(lines) - 1:
                run.add_break()  # a line break, not a new paragraph: the title stays one paragraph
        tables = report_tables(self.report)
        table_of = {"proactive": "t2", "requests": "t3", "review_litigation": "t4"}
        for section in ctx["sections"]:
            self._paragraph("heading1", section["heading"])
            for text in section["paragraphs"]:
                self._body_paragraph(text)
            if section["id"] in table_of:
                self._table(tables[table_of[section["id"]]])
                self._paragraph("body")  # a blank line after the table, as a clerk leaves one
        if self.style.signature_right_chars >= 0 and self.report.meta.agency:
            self._paragraph("body")
            signature = self._paragraph("signature", self.report.meta.agency)
            ppr = signature._p.get_or_add_pPr()
            chars = self.style.signature_right_chars
            _child(
                ppr,
                "w:ind",
                rightChars=str(round(chars * 100)),
                right=str(round(chars * self.style.text["signature"].size_pt * 20)),
            )
            _child(ppr, "w:jc", val="right")
            _ordered(ppr, _PPR_ORDER)
        self._properties()
        out = io.BytesIO()
        self.doc.save(out)
        return _stable_zip(out.getvalue())

    def _properties(self) -> None:
        props = self.doc.core_properties
        props.title = self.report.title
        props.author = self.report.meta.agency
        props.last_modified_by = "report-wizard"
        props.comments = ""
        props.revision = 1
        props.language = "zh-CN"
        stamp = self.report.meta.updated or self.report.meta.created or datetime(self.report.year + 1, 1, 1, tzinfo=UTC)
        props.created = props.modified = stamp


def _stable_zip(data: bytes) -> bytes:
    """The same document gives the same bytes: zip entries get a fixed date instead of the time of saving."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            stable = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            stable.compress_type = zipfile.ZIP_DEFLATED
            stable.external_attr = 0o644 << 16
            target.writestr(stable, source.read(info))
    return out.getvalue()


def render_docx(report: Report, findings: Sequence[Finding] | None = None, style: DocxStyle | None = None) -> bytes:
    """The report as the bytes of a .docx file, marked 草稿 if ``findings`` (by default the report's own
    checks) hold an error; ``style`` by default from templates/docx/style.toml."""
    if findings is None:
        from report_wizard.checks import run_checks

        findings = run_checks(report)
    return _Builder(report, style or load_style(), findings).build()
