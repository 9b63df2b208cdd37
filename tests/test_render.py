"""Rendering: filters, formats, clerk text kept literal, numbers in the right cells, HTML table structure."""

from __future__ import annotations

from html.parser import HTMLParser

import jinja2
import pytest

from report_wizard.core import form, model
from report_wizard.core.errors import WizardError
from report_wizard.output import render

INJECTION = "{{ 7*7 }} 与 {% for x in y %} 和 <script>alert(1)</script>"


def make_report(cells: dict | None = None, declared: dict | None = None, **narrative: str) -> model.Report:
    session = model.Session(
        meta=model.Meta(agency="测试街道", year=2023),
        cells=cells or {},
        declared=declared or {},
        narrative={section: [model.Block(text=text)] for section, text in narrative.items()},
    )
    return model.derive_report(session)


def txt_rows(text: str) -> dict[str, list[str]]:
    """Tab-separated lines keyed by their label cells joined (e.g. 「（三）不予公开|1.属于国家秘密」)."""
    rows = {}
    for line in text.splitlines():
        if "\t" in line:
            cells = line.split("\t")
            labels = "|".join(c for c in cells if not c.isascii())
            rows[labels] = cells
    return rows


# ---------------------------------------------------------------- filters
@pytest.mark.parametrize(
    ("n", "expected"),
    [
        (1, "一"),
        (2, "二"),
        (9, "九"),
        (10, "十"),
        (11, "十一"),
        (19, "十九"),
        (20, "二十"),
        (21, "二十一"),
        (99, "九十九"),
    ],
)
def test_cn_ordinal(n: int, expected: str) -> None:
    assert render.cn_ordinal(n) == expected


@pytest.mark.parametrize("n", [0, 100, -1, True, 1.0])
def test_cn_ordinal_refuses_what_it_cannot_number(n: object) -> None:
    with pytest.raises(ValueError):
        render.cn_ordinal(n)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (0, "0"),
        (12, "12"),
        (0.0, "0"),
        (1.5, "1.5"),
        (2.25, "2.25"),
        (3.0, "3"),
        (0.1 + 0.2, "0.3"),
        (1.23456, "1.2346"),
        (100.10, "100.1"),
        ("/", "/"),
        ("", ""),
    ],
)
def test_num(value: object, expected: str) -> None:
    assert render.num(value) == expected  # type: ignore[arg-type]


def test_filters_and_year_arithmetic_in_templates() -> None:
    env = render.environment()
    out = env.from_string("{{ 3|cn_ordinal }}是 {{ 2023|next_year }} {{ 2023|previous_year }} {{ 0.5|num }}").render()
    assert out == "三是 2024 2022 0.5"
    assert render.report_context(make_report())["next_year"] == 2024


def test_undefined_names_are_errors_not_blanks() -> None:
    with pytest.raises(jinja2.UndefinedError, match="'nothing' is undefined"):
        render.environment().from_string("{{ nothing }}").render()


# ---------------------------------------------------------------- API
def test_formats_and_unknown_format() -> None:
    assert render.FORMATS == ("txt", "md", "html")
    with pytest.raises(render.RenderError) as info:
        render.render_report(make_report(), "pdf")
    assert isinstance(info.value, WizardError)
    assert "pdf" in str(info.value) and "格式" in str(info.value)


def test_sections_in_order_in_every_format() -> None:
    report = make_report(overview="总体一段", problems="问题一段", other="本年度未收取信息处理费。")
    for fmt in render.FORMATS:
        out = render.render_report(report, fmt)
        positions = [out.index(s.heading) for s in form.SECTIONS]
        assert positions == sorted(positions), fmt
        assert out.index("总体一段") < positions[1] and out.index("问题一段") > positions[4]
        assert out.index("本年度未收取信息处理费。") > positions[5]


# ---------------------------------------------------------------- clerk text is data
@pytest.fixture
def injected() -> model.Report:
    session = model.Session(
        meta=model.Meta(agency="{{ 7*7 }}街道", year=2023),
        narrative={"overview": [model.Block(text=INJECTION)], "other": [model.Block(text="{% for x in y %}")]},
    )
    return model.derive_report(session)


@pytest.mark.parametrize("fmt", render.FORMATS)
def test_clerk_text_is_never_a_template(injected: model.Report, fmt: str) -> None:
    out = render.render_report(injected, fmt)
    assert "{{ 7*7 }}街道" in out  # agency, through the title
    assert "{{ 7*7 }} 与 {% for x in y %}" in out
    assert out.count("{% for x in y %}") == 2
    assert "49" not in out


def test_html_escapes_clerk_text(injected: model.Report) -> None:
    html = render.render_report(injected, "html")
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_txt_keeps_clerk_text_as_typed(injected: model.Report) -> None:
    assert INJECTION in render.render_report(injected, "txt").splitlines()


def test_md_keeps_clerk_paragraphs_plain() -> None:
    report = make_report(overview="- 不是列表\n# 不是标题\n<b>不是标签</b>\n1.依申请公开办理情况：无。")
    md = render.render_report(report, "md")
    assert "\n\\- 不是列表\n" in md
    assert "\n\\# 不是标题\n" in md
    assert "&lt;b>不是标签&lt;/b>" in md
    assert "\n1.依申请公开办理情况：无。\n" in md  # no space after "1.": not a list, left alone


# ---------------------------------------------------------------- numbers in the right cells
def test_numbers_land_in_their_rows_and_columns() -> None:
    report = make_report(
        cells={
            "t3.new_requests.natural_person": 3,
            "t3.new_requests.legal_services": 1,
            "t3.results.disclosed.natural_person": 2,
            "t3.results.denied.third_party.legal_services": 1,
            "t3.carried_forward.natural_person": 1,
            "t4.lawsuit_after_review.pending": 2,
            "t2.normative_documents.in_force": 4,
            "t2.fees.amount": 1.5,
        }
    )
    rows = txt_rows(render.render_report(report, "txt"))
    assert rows[form.T3_TOP_LABELS["new_requests"]][3:] == ["3", "0", "0", "0", "1", "0", "4"]
    assert rows["三、本年度办理结果|（一）予以公开"][3:] == ["2", "0", "0", "0", "0", "0", "2"]
    assert rows["4.保护第三方合法权益"][3:] == ["0", "0", "0", "0", "1", "0", "1"]
    assert rows["（七）总计"][3:] == ["2", "0", "0", "0", "1", "0", "3"]
    assert rows[form.T3_TOP_LABELS["carried_forward"]][3:] == ["1", "0", "0", "0", "0", "0", "1"]
    assert rows["行政规范性文件"] == ["行政规范性文件", "0", "0", "4"]
    assert rows["行政事业性收费"] == ["行政事业性收费", "1.5", "", ""]
    t4 = next(cells for cells in rows.values() if len(cells) == 15 and all(c.isdigit() for c in cells))
    assert t4 == ["0"] * 10 + ["0", "0", "0", "2", "2"]

    md = render.render_report(report, "md")
    assert "| 一、本年新收政府信息公开申请数量 | 3 | 0 | 0 | 0 | 1 | 0 | 4 |" in md
    assert "| 行政事业性收费 | 1.5 |" in md

    html = render.render_report(report, "html")
    t3 = tables(html)[1]
    new_requests = next(r for r in t3 if r[0].text == form.T3_TOP_LABELS["new_requests"])
    assert [c.text for c in new_requests[1:]] == ["3", "0", "0", "0", "1", "0", "4"]
    assert '<td colspan="3">1.5</td>' in html


def test_money_without_float_noise() -> None:
    rows = txt_rows(render.render_report(make_report(cells={"t2.fees.amount": 0.1 + 0.2}), "txt"))
    assert rows["行政事业性收费"][1] == "0.3"


def test_imported_report_shows_what_was_printed() -> None:
    report = make_report(
        cells={"t3.new_requests.natural_person": 3},
        declared={"t3.new_requests.total": "/", "t3.results.total.total": 5},
    )
    rows = txt_rows(render.render_report(report, "txt"))
    assert rows[form.T3_TOP_LABELS["new_requests"]][-1] == "/"
    assert rows["（七）总计"][-1] == "5"


# ---------------------------------------------------------------- txt layout
def test_txt_tables_have_even_columns_like_the_seed() -> None:
    txt = render.render_report(make_report(), "txt")
    widths = [len(line.split("\t")) for line in txt.splitlines() if "\t" in line]
    assert widths == [4] * 14 + [10] * 28 + [15] * 4
    lines = txt.splitlines()
    headers = [line.split("\t") for line in lines if "\t" in line and not any(c.isdigit() for c in line)]
    t3_head = next(i for i, cells in enumerate(headers) if cells[0] == form.T3_NOTE)
    t3_note, t3_columns, t3_orgs = headers[t3_head : t3_head + 3]
    t4_groups, t4_litigation, t4_columns = headers[-3:]
    # Headers sit above their numbers: table 三 has three label columns, table 四 groups of five.
    assert t3_note.index("申请人情况") == 3
    assert [t3_columns.index(c) for c in ("自然人", "法人或其他组织", "总计")] == [3, 4, 9]
    assert [t3_orgs.index(c) for c in ("商业企业", "其他")] == [4, 8]
    assert [t4_groups.index(c) for c in ("行政复议", "行政诉讼")] == [0, 5]
    assert [t4_litigation.index(c) for c in ("结果维持", "未经复议直接起诉", "复议后起诉")] == [0, 5, 10]
    assert [i for i, c in enumerate(t4_columns) if c == "总计"] == [9, 14]
    assert "三、本年度办理结果\t（一）予以公开\t\t" + "\t".join(["0"] * 7) in lines
    assert "\t（三）不予公开\t1.属于国家秘密\t" + "\t".join(["0"] * 7) in lines
    assert "\t\t2.其他法律行政法规禁止公开\t" + "\t".join(["0"] * 7) in lines
    assert lines[0] == "测试街道2023年政府信息公开工作年度报告"
    assert txt.endswith("六、其他需要报告的事项\n")


def test_md_table_three_is_flattened_with_the_note_above() -> None:
    md = render.render_report(make_report(), "md")
    lines = md.splitlines()
    header = next(
        i
        for i, line in enumerate(lines)
        if line.startswith("|  | 申请人情况 自然人 | 申请人情况 法人或其他组织 商业企业 |")
    )
    assert lines[header - 2] == form.T3_NOTE
    body = lines[header + 2 : header + 2 + len(form.T3_ROWS)]
    assert all(line.count("|") == header_pipes for line in body for header_pipes in [lines[header].count("|")])
    assert body[4].startswith("| 三、本年度办理结果 （三）不予公开 1.属于国家秘密 |")
    assert body[23].startswith("| 三、本年度办理结果 （七）总计 |")
    assert md.startswith("# 测试街道2023年政府信息公开工作年度报告\n")


# ---------------------------------------------------------------- HTML structure
class Cell:
    def __init__(self, tag: str, attrs: dict[str, str | None]) -> None:
        self.tag = tag
        self.colspan = int(attrs.get("colspan") or 1)
        self.rowspan = int(attrs.get("rowspan") or 1)
        self.text = ""


class TableParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tables: list[list[list[Cell]]] = []
        self.cell: Cell | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self.cell = Cell(tag, dict(attrs))
            self.tables[-1][-1].append(self.cell)

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th"):
            self.cell = None

    def handle_data(self, data: str) -> None:
        if self.cell is not None:
            self.cell.text += data


def tables(html: str) -> list[list[list[Cell]]]:
    parser = TableParser()
    parser.feed(html)
    return parser.tables


def row_widths(table: list[list[Cell]]) -> list[int]:
    """Columns each row covers, counting cells of earlier rows that span into it."""
    carried: dict[int, int] = {}  # row index -> columns taken by rowspans from above
    widths = []
    for i, row in enumerate(table):
        width = carried.get(i, 0)
        for cell in row:
            width += cell.colspan
            for below in range(i + 1, i + cell.rowspan):
                carried[below] = carried.get(below, 0) + cell.colspan
        widths.append(width)
    assert max(carried, default=0) < len(table), "a rowspan runs past the end of the table"
    return widths


@pytest.fixture(scope="module")
def html() -> str:
    return render.render_report(make_report(overview="总体"), "html")


def test_html_is_a_standalone_page(html: str) -> None:
    assert html.startswith("<!doctype html>")
    assert '<meta charset="utf-8">' in html
    assert "<title>测试街道2023年政府信息公开工作年度报告</title>" in html
    assert "border" in html and "<style>" in html
    assert html.rstrip().endswith("</html>")
    assert len(tables(html)) == 3


def test_html_every_row_is_full_width(html: str) -> None:
    t2, t3, t4 = tables(html)
    assert row_widths(t2) == [4] * 14
    assert row_widths(t3) == [10] * (3 + len(form.T3_ROWS))
    assert row_widths(t4) == [15] * 4


def test_html_table_two_blocks(html: str) -> None:
    t2 = tables(html)[0]
    titles = [r[0] for r in t2 if len(r) == 1]
    assert [c.text for c in titles] == [b.title for b in form.T2_BLOCKS]
    assert all(c.colspan == 4 and c.tag == "th" for c in titles)


def test_html_table_three_merged_cells(html: str) -> None:
    t3 = tables(html)[1]
    corner, applicant = t3[0]
    assert (corner.text, corner.colspan, corner.rowspan) == (form.T3_NOTE, 3, 3)
    assert (applicant.text, applicant.colspan) == ("申请人情况", 7)
    assert [(c.text, c.colspan, c.rowspan) for c in t3[1]] == [
        ("自然人", 1, 2),
        ("法人或其他组织", 5, 1),
        ("总计", 1, 2),
    ]
    assert [c.text for c in t3[2]] == ["商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他"]
    body = t3[3:]
    for label in ("一、本年新收政府信息公开申请数量", "二、上年结转政府信息公开申请数量", "四、结转下年度继续办理"):
        row = next(r for r in body if r[0].text == label)
        assert row[0].colspan == 3 and len(row) == 8
    results = body[2]
    assert (results[0].text, results[0].rowspan) == ("三、本年度办理结果", 22)
    spans = {c.text: (c.colspan, c.rowspan) for r in body for c in r if c.tag == "th"}
    assert spans["（一）予以公开"] == (2, 1)
    assert spans["（二）部分公开（区分处理的，只计这一情形，不计其他情形）"] == (2, 1)
    assert spans["（七）总计"] == (2, 1)
    assert spans["（三）不予公开"] == (1, 8)
    assert spans["（四）无法提供"] == (1, 3)
    assert spans["（五）不予处理"] == (1, 5)
    assert spans["（六）其他处理"] == (1, 3)
    assert all(len([c for c in r if c.tag == "td"]) == 7 for r in body)


def test_html_table_four_merged_cells(html: str) -> None:
    t4 = tables(html)[2]
    assert [(c.text, c.colspan) for c in t4[0]] == [("行政复议", 5), ("行政诉讼", 10)]
    assert [(c.text, c.colspan, c.rowspan) for c in t4[1]] == [
        *[(label, 1, 2) for _, label in form.T4_COLUMNS],
        ("未经复议直接起诉", 5, 1),
        ("复议后起诉", 5, 1),
    ]
    assert [c.text for c in t4[2]] == [label for _, label in form.T4_COLUMNS] * 2
    assert [c.text for c in t4[3]] == ["0"] * 15 and all(c.tag == "td" for c in t4[3])
