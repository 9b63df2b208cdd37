"""The Word document (issue 13), read back with python-docx and its XML: tables cell for cell against form.py and
the blank official form (tests/fixtures/corpus/23_moban-kongbai_2021.docx, copied from ../shared/corpus),
every label and number of the example and of a non-zero report, fonts and sizes, page setup, the 草稿 mark,
the seed's text, and writing it from the command line and the export (atomic, Chinese messages)."""

from __future__ import annotations

import errno
import io
import os
import re
import shutil
import subprocess
import unicodedata
import zipfile
from dataclasses import dataclass
from pathlib import Path

import docx
import pytest
from docx.oxml.ns import qn

from helpers import FIXTURES, ROOT, county_report, make_app
from report_wizard import store
from report_wizard.checks import run_checks
from report_wizard.cli.main import main
from report_wizard.core import form, paths
from report_wizard.core.errors import WizardError
from report_wizard.core.model import Report, derive_report
from report_wizard.narrative import paragraphs as narrative
from report_wizard.output import docx as word
from report_wizard.output.render import RenderError, draft_mark, num
from report_wizard.tui.export import MANIFEST, export_report

TEMPLATE = FIXTURES / "corpus" / "23_moban-kongbai_2021.docx"
SEED = FIXTURES / "seed-xidajie-2023.txt"
BROKEN = FIXTURES / "erdao-2022-row-total.toml"  # a 总计 typed wrong: the report has errors
EXAMPLE = ROOT / "sessions" / paths.EXAMPLE_SESSION_NAME


# ---------------------------------------------------------------- reading a .docx back
@dataclass(frozen=True)
class ReadCell:
    span: int
    vmerge: str  # "", "restart" or "continue" (a w:vMerge without w:val continues, as the standard says)
    text: str


def norm(text: str) -> str:
    """Text as a reader compares it: no whitespace of any kind (U+3000 included), full-width forms folded."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def cell_text(tc) -> str:
    return "".join(t.text or "" for t in tc.iter(qn("w:t")))


def read_table(tbl) -> list[list[ReadCell]]:
    rows = []
    for tr in tbl.findall(qn("w:tr")):
        row = []
        for tc in tr.findall(qn("w:tc")):
            pr = tc.find(qn("w:tcPr"))
            span = pr.find(qn("w:gridSpan")) if pr is not None else None
            vmerge = pr.find(qn("w:vMerge")) if pr is not None else None
            merge = "" if vmerge is None else (vmerge.get(qn("w:val")) or "continue")
            row.append(ReadCell(int(span.get(qn("w:val"))) if span is not None else 1, merge, cell_text(tc)))
        rows.append(row)
    return rows


def tables_of(document) -> list[list[list[ReadCell]]]:
    return [read_table(t._tbl) for t in document.tables]


def effective_rows(rows: list[list[ReadCell]]) -> list[list[str]]:
    """Each row as the texts a reader sees in it, one per cell, a vertically merged cell's text on every row it
    covers (so a row of table 三 reads 「三、本年度办理结果 （三）不予公开 1.属于国家秘密 0 0 …」)."""
    above: dict[int, str] = {}
    out = []
    for row in rows:
        column, texts = 0, []
        for cell in row:
            if cell.vmerge == "continue":
                texts.append(above.get(column, ""))
            else:
                texts.append(cell.text)
                above[column] = cell.text
            column += cell.span
        out.append(texts)
    return out


def load(data: bytes):
    return docx.Document(io.BytesIO(data))


def body_texts(document) -> list[str]:
    return [p.text for p in document.paragraphs]


# ---------------------------------------------------------------- the reports
@pytest.fixture(scope="module")
def example() -> Report:
    return derive_report(store.load_session(EXAMPLE))


@pytest.fixture(scope="module")
def county() -> Report:
    return county_report()


@pytest.fixture(scope="module")
def example_docx(example: Report) -> bytes:
    return word.render_docx(example)


@pytest.fixture(scope="module")
def county_docx(county: Report) -> bytes:
    return word.render_docx(county)


@pytest.fixture(scope="module")
def template():
    return docx.Document(str(TEMPLATE))


# ---------------------------------------------------------------- tables against the blank official form
def test_the_fixture_is_the_official_blank_form(template) -> None:
    body = template.element.body
    assert len(template.tables) == 3
    assert len(body.findall(".//" + qn("w:gridSpan"))) == 26
    assert len(body.findall(".//" + qn("w:vMerge"))) == 58


@pytest.mark.parametrize("which", ["example", "county"])
def test_tables_match_the_blank_official_form_cell_for_cell(template, which: str, request) -> None:
    data = request.getfixturevalue(f"{which}_docx")
    ours, theirs = tables_of(load(data)), tables_of(template)
    assert len(ours) == len(theirs) == 3
    body = load(data).element.body
    assert len(body.findall(".//" + qn("w:gridSpan"))) == 26
    assert len(body.findall(".//" + qn("w:vMerge"))) == 58
    for t, (mine, official) in enumerate(zip(ours, theirs, strict=True)):
        assert len(mine) == len(official), f"table {t}: rows"
        for r, (row, orow) in enumerate(zip(mine, official, strict=True)):
            assert [(c.span, c.vmerge) for c in row] == [(c.span, c.vmerge) for c in orow], f"table {t} row {r}"
            for c, (cell, ocell) in enumerate(zip(row, orow, strict=True)):
                if norm(ocell.text):  # a label of the form: the same words (the form pads some with U+3000)
                    assert norm(cell.text) == norm(ocell.text), (t, r, c)
                elif ocell.vmerge == "continue":
                    assert cell.text == ""
                else:  # a blank the clerk fills: ours holds a number
                    assert re.fullmatch(r"\d+(\.\d+)?", cell.text), (t, r, c, cell.text)
    grids = [[int(g.get(qn("w:w"))) for g in t._tbl.find(qn("w:tblGrid"))] for t in load(data).tables]
    assert [len(g) for g in grids] == [4, 10, 15]


def test_every_merge_is_a_real_merge_in_the_xml(example_docx: bytes) -> None:
    """Each row covers the whole grid, and every continued cell lies under a cell of the same span."""
    for table in load(example_docx).tables:
        width = len(table._tbl.find(qn("w:tblGrid")))
        rows = read_table(table._tbl)
        starts: dict[int, int] = {}
        for row in rows:
            column = 0
            for cell in row:
                if cell.vmerge == "continue":
                    assert starts.get(column) == cell.span
                elif cell.vmerge == "restart":
                    starts[column] = cell.span
                else:
                    starts.pop(column, None)
                column += cell.span
            assert column == width


# ---------------------------------------------------------------- every label and every number, from form.py
def expected_tables(report: Report) -> list[list[list[str]]]:
    """The three tables as form.py and the report say they read, row by row (built here, not by docx.py)."""
    value = lambda cell: num(report.printed(cell))  # noqa: E731
    t2 = []
    for block in form.T2_BLOCKS:
        t2.append([block.title])
        t2.append([form.T2_CONTENT_LABEL, *(label for _, label in block.columns)])
        for row in block.rows:
            t2.append([row.label, *(value(form.t2_cell(row.id, c)) for c, _ in block.columns)])
    orgs = [label for c, label, _ in form.T3_COLUMNS if c not in ("natural_person", "total")]
    t3 = [
        [form.T3_NOTE, form.T3_APPLICANT_HEADER],
        [form.T3_NOTE, form.T3_COLUMN_LABEL["natural_person"], form.T3_LEGAL_PERSONS_HEADER, "总计"],
        [form.T3_NOTE, form.T3_COLUMN_LABEL["natural_person"], *orgs, "总计"],
    ]
    results = form.T3_TOP_LABELS["results"]
    for row in form.T3_ROWS:
        numbers = [value(form.t3_cell(row.id, c)) for c, _, _ in form.T3_COLUMNS]
        if row.group is None and row.id != form.T3_RESULTS_TOTAL:
            labels = [row.label]
        elif row.group is None or not row.group.items:
            labels = [results, row.label]
        else:
            labels = [results, row.group.label, row.label]
        t3.append([*labels, *numbers])
    columns = [label for _, label in form.T4_COLUMNS]
    t4 = [
        [form.T4_REVIEW_HEADER, form.T4_LITIGATION_HEADER],
        [*columns, *(label for g, label in form.T4_GROUPS if g != "review")],
        [*columns, *columns, *columns],
        [value(form.t4_cell(g, c)) for g, _ in form.T4_GROUPS for c, _ in form.T4_COLUMNS],
    ]
    return [t2, t3, t4]


@pytest.mark.parametrize("which", ["example", "county"])
def test_every_label_and_number_is_where_form_py_puts_it(which: str, request) -> None:
    report, data = request.getfixturevalue(which), request.getfixturevalue(f"{which}_docx")
    got = [effective_rows(t) for t in tables_of(load(data))]
    assert got == expected_tables(report)


def test_the_non_zero_report_has_figures_in_every_table(county: Report) -> None:
    # Else the number comparison above could not tell a number from a default 0.
    for cells in (form.T2_CELLS, form.T3_CELLS, form.T4_CELLS):
        assert any(county.value(c) for c in cells)
    assert any(isinstance(county.value(c), float) or county.value(c) > 1 for c in form.T3_CELLS)


def test_numbers_are_centred_and_row_headers_left(county_docx: bytes) -> None:
    table = load(county_docx).tables[1]
    for tr in table._tbl.findall(qn("w:tr"))[3:]:
        cells = tr.findall(qn("w:tc"))
        aligns = [tc.find(f".//{qn('w:jc')}").get(qn("w:val")) for tc in cells]
        assert aligns[-7:] == ["center"] * 7
        assert set(aligns[:-7]) == {"left"}


def test_header_rows_repeat_and_no_row_splits_across_pages(example_docx: bytes) -> None:
    t2, t3, t4 = load(example_docx).tables
    for table, header_rows in ((t2, 0), (t3, 3), (t4, 3)):
        rows = table._tbl.findall(qn("w:tr"))
        for i, tr in enumerate(rows):
            trpr = tr.find(qn("w:trPr"))
            assert trpr.find(qn("w:cantSplit")) is not None
            assert (trpr.find(qn("w:tblHeader")) is not None) == (i < header_rows)


# ---------------------------------------------------------------- fonts, sizes, page
def style_of(document, style_id: str):
    element = document.styles.element.find(f"{qn('w:style')}[@{qn('w:styleId')}='{style_id}']")
    assert element is not None, style_id
    return element


def east_asian(style) -> tuple[str, int]:
    rpr = style.find(qn("w:rPr"))
    return rpr.find(qn("w:rFonts")).get(qn("w:eastAsia")), int(rpr.find(qn("w:sz")).get(qn("w:val")))


def test_fonts_and_sizes_are_the_official_ones(example_docx: bytes) -> None:
    document = load(example_docx)
    assert east_asian(style_of(document, "ReportTitle")) == ("方正小标宋简体", 44)  # 二号 = 22 pt
    assert east_asian(style_of(document, "ReportBody")) == ("仿宋_GB2312", 32)  # 三号 = 16 pt
    assert east_asian(style_of(document, "ReportHeading1")) == ("黑体", 32)
    assert east_asian(style_of(document, "ReportTable")) == ("宋体", 21)  # 五号 = 10.5 pt
    body = style_of(document, "ReportBody").find(qn("w:pPr"))
    spacing, indent = body.find(qn("w:spacing")), body.find(qn("w:ind"))
    assert spacing.get(qn("w:lineRule")) == "exact" and 28 * 20 <= int(spacing.get(qn("w:line"))) <= 29 * 20
    assert indent.get(qn("w:firstLineChars")) == "200" and indent.get(qn("w:firstLine")) == str(2 * 16 * 20)
    title = style_of(document, "ReportTitle").find(qn("w:pPr"))
    assert title.find(qn("w:jc")).get(qn("w:val")) == "center"
    # Every paragraph has one of the report's styles; runs only change the font of a lead-in.
    for paragraph in document.paragraphs:
        assert paragraph.style.style_id.startswith("Report")
        for run in paragraph.runs:
            fonts = run._r.find(f"{qn('w:rPr')}/{qn('w:rFonts')}")
            assert fonts is None or fonts.get(qn("w:eastAsia")) in ("黑体", "楷体_GB2312")


def test_missing_fonts_fall_back_through_the_font_table(example_docx: bytes) -> None:
    with zipfile.ZipFile(io.BytesIO(example_docx)) as z:
        table = docx.oxml.parse_xml(z.read("word/fontTable.xml"))
    alt = {
        f.get(qn("w:name")): f.find(qn("w:altName")).get(qn("w:val"))
        for f in table.findall(qn("w:font"))
        if f.find(qn("w:altName")) is not None
    }
    assert alt["方正小标宋简体"] == "黑体"
    assert alt["仿宋_GB2312"] == "仿宋" and alt["楷体_GB2312"] == "楷体"


def test_lead_ins_of_numbered_paragraphs() -> None:
    assert word.lead_in("一、健全组织机构，加强组织领导。按照文峰区政府……") == (
        "heading1",
        "一、健全组织机构，加强组织领导。",
    )
    assert word.lead_in("（二）加强学习培训。街道……") == ("heading2", "（二）加强学习培训。")
    assert word.lead_in("四、公开情况") == ("heading1", "四、公开情况")
    assert word.lead_in("一是强化认识，努力规范。") == ("", "")
    assert word.lead_in("一、" + "很长" * 30) == ("", "")


def test_lead_ins_are_set_in_their_heading_font(example_docx: bytes) -> None:
    paragraph = next(p for p in load(example_docx).paragraphs if p.text.startswith("一、健全组织机构"))
    first, rest = paragraph.runs
    assert first.text == "一、健全组织机构，加强组织领导。"
    assert first._r.find(f"{qn('w:rPr')}/{qn('w:rFonts')}").get(qn("w:eastAsia")) == "黑体"
    assert rest.text.startswith("按照文峰区政府") and rest._r.find(qn("w:rPr")) is None


def test_a4_margins_and_page_numbers(example_docx: bytes) -> None:
    document = load(example_docx)
    section = document.sections[0]
    mm = lambda length: round(length.mm, 1)  # noqa: E731
    assert (mm(section.page_width), mm(section.page_height)) == (210.0, 297.0)
    margins = (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)
    assert tuple(mm(m) for m in margins) == (37.0, 35.0, 28.0, 26.0)
    assert document.settings.odd_and_even_pages_header_footer
    for footer, align in ((section.footer, "right"), (section.even_page_footer, "left")):
        (paragraph,) = footer.paragraphs
        xml = paragraph._p
        assert [i.text for i in xml.iter(qn("w:instrText"))] == [" PAGE "]
        assert paragraph.text == "— 1 —"  # the field's cached value between the dashes
        assert xml.find(f"{qn('w:pPr')}/{qn('w:jc')}").get(qn("w:val")) == align
    fonts = style_of(document, "ReportPageNumber").find(f"{qn('w:rPr')}/{qn('w:rFonts')}")
    assert fonts.get(qn("w:ascii")) == fonts.get(qn("w:eastAsia")) == "宋体"  # 半角宋体 digits
    for table in document.tables:  # ruled like the blank form: 1 pt lines all round and inside
        borders = table._tbl.find(f"{qn('w:tblPr')}/{qn('w:tblBorders')}")
        assert [(b.get(qn("w:val")), b.get(qn("w:sz"))) for b in borders] == [("single", "8")] * 6


# ---------------------------------------------------------------- text: the seed, the narrative, the 草稿 mark
def test_the_example_holds_every_heading_paragraph_and_table_number_of_the_seed(example_docx: bytes) -> None:
    document = load(example_docx)
    seed = SEED.read_text(encoding="utf-8").splitlines()
    prose = [norm(line) for line in seed if line.strip() and "\t" not in line]
    ours = [norm(t) for t in body_texts(document) if t.strip()]
    assert len(prose) == 20
    positions = [ours.index(line) for line in prose]  # every line is a paragraph of its own, in order
    assert positions == sorted(positions)
    # Table lines: each seed row's figures, in order, are a row of ours with the same label and figures.
    rows = [[norm(t) for t in row if norm(t)] for table in tables_of(document) for row in effective_rows(table)]
    seed_rows = [[norm(c) for c in line.split("\t") if norm(c)] for line in seed if "\t" in line]
    seed_figures = [r for r in seed_rows if any(re.fullmatch(r"\d+(\.\d+)?", c) for c in r)]
    assert len(seed_figures) == 5 + 1 + 25 + 1
    at = 0
    for seed_row in seed_figures:
        figures = [c for c in seed_row if re.fullmatch(r"\d+(\.\d+)?", c)]
        labels = [c for c in seed_row if c not in figures]
        while at < len(rows) and not (
            [c for c in rows[at] if re.fullmatch(r"\d+(\.\d+)?", c)] == figures
            and all(label in rows[at] for label in labels)
        ):
            at += 1
        assert at < len(rows), seed_row
        at += 1


@pytest.mark.parametrize("which", ["example", "county"])
def test_paragraphs_are_the_txt_formats_paragraphs(which: str, request) -> None:
    report, data = request.getfixturevalue(which), request.getfixturevalue(f"{which}_docx")
    expected = [report.title]
    for section in form.SECTIONS:
        expected.append(section.heading)
        expected += narrative.section_paragraphs(report, section.id) if section.narrative else []
    expected.append(report.meta.agency)  # the signature
    texts = [t for t in body_texts(load(data)) if t]
    assert [texts[0].replace("\n", ""), *texts[1:]] == expected  # (a long title is set in two lines)


def test_a_long_title_breaks_before_its_standard_tail(county_docx: bytes, example_docx: bytes) -> None:
    assert load(county_docx).paragraphs[0].text == "文峰区教育局2023年\n政府信息公开工作年度报告"
    assert load(example_docx).paragraphs[0].text == "西大街 2023 年政府信息公开工作年度报告"  # fits on one line
    assert word.title_lines("某某" * 20, 20) == ["某某" * 20]  # no standard tail: Word wraps it


def test_a_report_with_errors_is_marked_draft_and_one_without_is_not(example_docx: bytes) -> None:
    broken = derive_report(store.load_session(BROKEN))
    findings = run_checks(broken)
    assert any(f.level == "error" for f in findings)
    document = load(word.render_docx(broken, findings))
    assert document.paragraphs[0].text == f"【{draft_mark(findings)}】"
    assert document.paragraphs[0].style.style_id == "ReportDraft"
    section = document.sections[0]
    assert section.header.paragraphs[0].text == section.even_page_header.paragraphs[0].text == "草稿"
    clean = load(example_docx)
    assert "草稿" not in clean.paragraphs[0].text and not clean.sections[0].header.paragraphs[0].text


def test_clerk_text_is_kept_verbatim_and_never_a_template(example: Report) -> None:
    text = "{{ title }} {% if 1 %}x{% endif %} <b>&amp;</b> 第一行\n第二行\x07响铃"
    session = store.load_session(EXAMPLE)
    session.narrative["other"][0].text = text
    report = derive_report(session)
    paragraphs = narrative.section_paragraphs(report, "other")
    assert "".join(paragraphs) == text.replace("\n", "")  # (the narrative makes a paragraph of each line)
    texts = body_texts(load(word.render_docx(report)))
    at = texts.index(paragraphs[0])
    # A control character XML cannot hold becomes U+FFFD; everything else is kept as typed.
    assert texts[at : at + len(paragraphs)] == [p.replace("\x07", "\ufffd") for p in paragraphs]


def test_the_same_report_gives_the_same_bytes(example: Report, example_docx: bytes) -> None:
    assert word.render_docx(example) == example_docx


# ---------------------------------------------------------------- the style file
def test_the_style_file_is_the_one_place_for_the_layout(example: Report) -> None:
    style = word.load_style()
    assert style.text["body"].font == "仿宋_GB2312" and style.page["top_mm"] == 37
    changed = word.DocxStyle(**{**style.__dict__, "text": {**style.text, "body": word.TextStyle("宋体", "", 12.0)}})
    document = load(word.render_docx(example, [], changed))
    assert east_asian(style_of(document, "ReportBody")) == ("宋体", 24)


def test_an_edited_layout_file_is_read_again(tmp_path: Path, monkeypatch, example: Report) -> None:
    templates = tmp_path / "templates"
    shutil.copytree(paths.templates_dir() / "docx", templates / "docx")
    monkeypatch.setattr(paths, "templates_dir", lambda: templates)
    assert word.load_style().text["body"].font == "仿宋_GB2312"
    style_file = templates / word.STYLE_FILE
    style_file.write_text(style_file.read_text(encoding="utf-8").replace('"仿宋_GB2312"', '"宋体"'), encoding="utf-8")
    assert east_asian(style_of(load(word.render_docx(example)), "ReportBody"))[0] == "宋体"
    style_file.write_text("[body\n", encoding="utf-8")
    with pytest.raises(RenderError, match=r"Word 版式文件.*有错误，无法生成 Word 文档"):
        word.render_docx(example)


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (lambda d: d.pop("body"), "缺少 [body]"),
        (lambda d: d["title"].update(size="特大号"), "字号「特大号」无效"),
        (lambda d: d["page"].update(top_mm=-1), "top_mm 应为不小于 0 的数字"),
        (lambda d: d["widths"].update(t3=[1, 2]), "t3 应为 10 个正数"),
        (lambda d: d["page"].update(page_number="第页"), "{page}"),
        (lambda d: d["title"].pop("size"), "[title] 缺少 size"),
        (lambda d: d["page"].pop("left_mm"), "[page] 缺少 left_mm"),
        (lambda d: d["table"].pop("font"), "[table] 缺少 font"),
    ],
)
def test_a_broken_style_file_is_one_chinese_sentence(change, words: str) -> None:
    import tomllib

    data = tomllib.loads((paths.templates_dir() / word.STYLE_FILE).read_text(encoding="utf-8"))
    change(data)
    with pytest.raises(RenderError, match=re.escape(words)):
        word.parse_style(data)


# ---------------------------------------------------------------- writing it: command line and export
def test_render_writes_a_docx_from_the_command_line(tmp_path: Path, capsys, example_docx: bytes) -> None:
    target = tmp_path / "报告.docx"
    assert main(["render", str(EXAMPLE), "--format", "docx", "-o", str(target)]) == 0
    assert target.read_bytes() == example_docx
    assert f"已写入 {target}" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("args", "words"),
    [
        ([], "Word 文档不能输出到屏幕，请用 -o 指定文件名"),
        (["-o", "报告.doc"], "Word 文档的文件名应以 .docx 结尾"),
    ],
)
def test_render_refuses_a_docx_on_the_screen_or_under_another_name(
    tmp_path: Path, capsys, monkeypatch, args: list[str], words: str
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["render", str(EXAMPLE), "--format", "docx", *args]) == 2
    captured = capsys.readouterr()
    assert words in captured.err and captured.out == ""
    assert list(tmp_path.iterdir()) == []


def test_a_folder_given_as_the_docx_gets_a_file_name_suggested(tmp_path: Path, capsys) -> None:
    assert main(["render", str(EXAMPLE), "--format", "docx", "-o", str(tmp_path)]) == 2
    assert f"例如「{tmp_path / '报告.docx'}」" in capsys.readouterr().err


def test_a_docx_is_never_written_to_a_terminal(tmp_path: Path, capsys) -> None:
    pty = pytest.importorskip("pty")  # POSIX terminals
    leader, follower = pty.openpty()
    try:
        terminal = Path(os.ttyname(follower))
        assert main(["render", str(EXAMPLE), "--format", "docx", "-o", str(terminal)]) == 2
        assert "Word 文档不能输出到屏幕" in capsys.readouterr().err
        os.set_blocking(leader, False)
        with pytest.raises(BlockingIOError):
            os.read(leader, 100)  # nothing reached the terminal
    finally:
        os.close(leader)
        os.close(follower)
    assert main(["render", str(EXAMPLE), "--format", "docx", "-o", os.devnull]) == 0  # a device, not a screen


def test_a_text_report_is_not_written_under_a_docx_name(tmp_path: Path, capsys) -> None:
    assert main(["render", str(EXAMPLE), "-o", str(tmp_path / "报告.docx")]) == 2
    assert "请加上 --format docx" in capsys.readouterr().err and list(tmp_path.iterdir()) == []


def _refuse_replace(monkeypatch, code: int) -> None:
    """os.replace as Windows answers it for a document Word or WPS has open (or a read-only folder)."""

    def replace(src, dst, *args, **kwargs):
        raise PermissionError(code, "The process cannot access the file")

    monkeypatch.setattr(os, "replace", replace)


def test_a_docx_open_in_word_is_left_as_it_was(tmp_path: Path, capsys, monkeypatch) -> None:
    target = tmp_path / "报告.docx"
    target.write_bytes(b"the clerk's document, open in Word")
    _refuse_replace(monkeypatch, errno.EACCES)
    assert main(["render", str(EXAMPLE), "--format", "docx", "-o", str(target)]) == 2
    err = capsys.readouterr().err
    assert "无法写入" in err and "正在 Word 或 WPS 中打开" in err
    assert target.read_bytes() == b"the clerk's document, open in Word"
    assert [p.name for p in tmp_path.iterdir()] == ["报告.docx"]  # no temp file left behind


def test_exporting_a_docx_over_an_open_one_says_so_and_keeps_it(tmp_path: Path, monkeypatch, example) -> None:
    (first,) = export_report(example, tmp_path, ("docx",))
    before = first.read_bytes()
    _refuse_replace(monkeypatch, errno.EACCES)
    with pytest.raises(WizardError, match="正在 Word 或 WPS 中打开") as info:
        export_report(example, tmp_path, ("docx",))
    assert str(first) in str(info.value) and first.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([first.name, MANIFEST])


@pytest.fixture
def read_only_folder(tmp_path: Path):
    """A folder nobody can write to: chmod where it binds, else (as root) a read-only tmpfs."""
    folder = tmp_path / "只读夹"
    folder.mkdir()
    if os.geteuid() != 0:
        folder.chmod(0o555)
        yield folder, "没有权限"
        folder.chmod(0o755)
        return
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k,ro", "tmpfs", str(folder)]).returncode != 0:
        pytest.skip("root ignores folder modes and cannot mount a read-only folder here")
    try:
        yield folder, "磁盘只读"
    finally:
        subprocess.run(["umount", str(folder)], capture_output=True)


@pytest.mark.skipif(not hasattr(os, "geteuid"), reason="POSIX permissions")
def test_a_read_only_folder_gets_a_chinese_message(read_only_folder, capsys, example) -> None:
    folder, reason = read_only_folder
    assert main(["render", str(EXAMPLE), "--format", "docx", "-o", str(folder / "报告.docx")]) == 2
    err = capsys.readouterr().err
    assert "无法写入" in err and reason.replace("磁盘只读", "只读") in err
    with pytest.raises(WizardError, match=reason):
        export_report(example, folder, ("docx",))
    assert list(folder.iterdir()) == []


def test_export_writes_the_docx_and_replaces_only_its_own(tmp_path: Path, example, example_docx: bytes) -> None:
    (first,) = export_report(example, tmp_path, ("docx",))
    assert first.name == "西大街街道2023年政府信息公开工作年度报告.docx"
    assert first.read_bytes() == example_docx
    assert export_report(example, tmp_path, ("docx",)) == [first]  # our own file: replaced
    first.write_bytes(b"edited in Word")
    (again,) = export_report(example, tmp_path, ("docx",))
    assert again.name.endswith(" (2).docx") and first.read_bytes() == b"edited in Word"


# ---------------------------------------------------------------- LibreOffice (optional: CI has none)
@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice (soffice) is not installed")
def test_libreoffice_reads_it_as_a_paged_report(tmp_path: Path, county_docx: bytes) -> None:
    source = tmp_path / "county.docx"
    source.write_bytes(county_docx)
    profile = tmp_path / "profile"  # its own profile: another soffice running does not block this one
    command = ["soffice", f"-env:UserInstallation=file://{profile}", "--headless", "--convert-to", "pdf"]
    subprocess.run(
        [*command, "--outdir", str(tmp_path), str(source)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    pdf = tmp_path / "county.pdf"
    assert pdf.stat().st_size > 10_000
    if shutil.which("pdftotext") is None:
        return
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True).stdout
    pages = text.split("\f")
    assert len([p for p in pages if p.strip()]) >= 3
    flat = norm(text)
    for heading in (s.heading for s in form.SECTIONS):
        assert norm(heading) in flat
    assert "申请人情况" in flat and "法人或其他组织" in flat
    for n, page in enumerate(p for p in pages if p.strip()):
        assert f"—{n + 1}—" in norm(page)  # the PAGE field, updated on every page


# ---------------------------------------------------------------- the review screen's 「Word 文档」 button
async def test_the_word_button_exports_the_docx_alone_and_says_where(tmp_path: Path, example_docx: bytes) -> None:
    from report_wizard.tui.screens.review import ReviewScreen

    sessions = tmp_path / "sessions"
    sessions.mkdir()
    path = sessions / EXAMPLE.name
    path.write_bytes(EXAMPLE.read_bytes())
    out = tmp_path / "导出"
    app = make_app(sessions, path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        await pilot.press("f5")
        await pilot.pause()
        review = app.screen
        assert isinstance(review, ReviewScreen)
        review.opened.confirm_defaults()
        review.query_one("#folder").value = str(out)
        button = review.query_one("#export-docx")
        assert str(button.label) == "Word 文档"
        button.press()
        await pilot.pause()
        (written,) = [p for p in out.iterdir() if not p.name.startswith(".")]
        assert written.suffix == ".docx"
        got, expected = load(written.read_bytes()), load(example_docx)  # (the app saved the session: a new date)
        assert body_texts(got) == body_texts(expected) and tables_of(got) == tables_of(expected)
        assert str(written.resolve()) in str(review.query_one("#written").content)


# ---------------------------------------------------------------- round trip through the importer (issue 14)
@pytest.mark.parametrize("which", ["example", "county"])
def test_the_importer_reads_every_cell_back(tmp_path: Path, which: str, request) -> None:
    """What a clerk publishes as .docx, next year's import reads: every cell of the tables, as rendered."""
    from report_wizard.reading import import_report

    report, data = request.getfixturevalue(which), request.getfixturevalue(f"{which}_docx")
    path = tmp_path / "报告.docx"
    path.write_bytes(data)
    back = derive_report(import_report(path).session)
    assert {c: back.printed(c) for c in form.ALL_CELLS} == {c: report.printed(c) for c in form.ALL_CELLS}
    assert back.meta.year == report.meta.year
