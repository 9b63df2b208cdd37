"""Output holes a mutation run found: tables are compared with tables written out here by hand from the
official layout (FORMAT.md), never with the renderer itself, on a non-zero report typed in plain mode.

- a county department (文峰区教育局 2023) with table 二 figures, requests of four applicant types with
  outcomes in several rows, and cases in all three table-四 groups, answered line by line in plain mode;
- every format (txt, md, html) is parsed back into (row, column) → figure and compared with the hand tables,
  so a swapped or reversed column shows;
- the official labels in form.py are compared with the labels as FORMAT.md spells them, written out here;
- every header line of the example's tables is compared with the seed report's;
- the formal sentence of the 依申请公开 paragraph names 上年结转 and 结转下年度 each with its own figure.
"""

from __future__ import annotations

import io
import re
import unicodedata
from html.parser import HTMLParser

import pytest
from markdown_it import MarkdownIt

from helpers import COUNTY_ANSWERS, FIXTURES, NARRATIVE_ENTERS
from report_wizard import store
from report_wizard.cli.plain import run_plain
from report_wizard.core import form, paths
from report_wizard.core.model import Report, derive_report
from report_wizard.narrative import phrases
from report_wizard.output.render import render_report

# ---------------------------------------------------------------- the non-zero report, as a clerk types it
# ---------------------------------------------------------------- the tables, by hand
T2_EXPECTED = {
    ("第二十条第（一）项", "规章", "本年制发件数"): "0",
    ("第二十条第（一）项", "规章", "本年废止件数"): "0",
    ("第二十条第（一）项", "规章", "现行有效件数"): "0",
    ("第二十条第（一）项", "行政规范性文件", "本年制发件数"): "3",
    ("第二十条第（一）项", "行政规范性文件", "本年废止件数"): "1",
    ("第二十条第（一）项", "行政规范性文件", "现行有效件数"): "12",
    ("第二十条第（五）项", "行政许可", "本年处理决定数量"): "45",
    ("第二十条第（六）项", "行政处罚", "本年处理决定数量"): "7",
    ("第二十条第（六）项", "行政强制", "本年处理决定数量"): "2",
    ("第二十条第（八）项", "行政事业性收费", "本年收费金额（单位：万元）"): "1.25",
}
T2_HEADERS = {  # block title -> its header row, 信息内容 first
    "第二十条第（一）项": ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"],
    "第二十条第（五）项": ["信息内容", "本年处理决定数量"],
    "第二十条第（六）项": ["信息内容", "本年处理决定数量"],
    "第二十条第（八）项": ["信息内容", "本年收费金额（单位：万元）"],
}

T3_COLUMNS = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
R = "三、本年度办理结果"
# (row, figures in the order of T3_COLUMNS); a row under 三 is 「三、本年度办理结果 <group> [<item>]」.
T3_EXPECTED = [
    ("一、本年新收政府信息公开申请数量", [10, 2, 0, 1, 3, 0, 16]),
    ("二、上年结转政府信息公开申请数量", [1, 0, 0, 0, 1, 0, 2]),
    (f"{R} （一）予以公开", [5, 1, 0, 1, 1, 0, 8]),
    (f"{R} （二）部分公开（区分处理的，只计这一情形，不计其他情形）", [2, 0, 0, 0, 1, 0, 3]),
    (f"{R} （三）不予公开 1.属于国家秘密", [0] * 7),
    (f"{R} （三）不予公开 2.其他法律行政法规禁止公开", [0] * 7),
    (f"{R} （三）不予公开 3.危及“三安全一稳定”", [0] * 7),
    (f"{R} （三）不予公开 4.保护第三方合法权益", [1, 0, 0, 0, 0, 0, 1]),
    (f"{R} （三）不予公开 5.属于三类内部事务信息", [0] * 7),
    (f"{R} （三）不予公开 6.属于四类过程性信息", [0, 0, 0, 0, 1, 0, 1]),
    (f"{R} （三）不予公开 7.属于行政执法案卷", [0] * 7),
    (f"{R} （三）不予公开 8.属于行政查询事项", [0] * 7),
    (f"{R} （四）无法提供 1.本机关不掌握相关政府信息", [1, 1, 0, 0, 0, 0, 2]),
    (f"{R} （四）无法提供 2.没有现成信息需要另行制作", [0] * 7),
    (f"{R} （四）无法提供 3.补正后申请内容仍不明确", [0] * 7),
    (f"{R} （五）不予处理 1.信访举报投诉类申请", [0] * 7),
    (f"{R} （五）不予处理 2.重复申请", [0, 0, 0, 0, 1, 0, 1]),
    (f"{R} （五）不予处理 3.要求提供公开出版物", [0] * 7),
    (f"{R} （五）不予处理 4.无正当理由大量反复申请", [0] * 7),
    (f"{R} （五）不予处理 5.要求行政机关确认或重新出具已获取信息", [0] * 7),
    (
        f"{R} （六）其他处理 1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请",
        [0] * 7,
    ),
    (
        f"{R} （六）其他处理 2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请",
        [0] * 7,
    ),
    (f"{R} （六）其他处理 3.其他", [1, 0, 0, 0, 0, 0, 1]),
    (f"{R} （七）总计", [10, 2, 0, 1, 4, 0, 17]),
    ("四、结转下年度继续办理", [1, 0, 0, 0, 0, 0, 1]),
]
# The column headers: merged cells read top to bottom (txt, html), or one flattened header row (md).
T3_HEADERS = {
    "txt": [f"申请人情况 {c}" for c in ("自然人", *(f"法人或其他组织 {o}" for o in T3_COLUMNS[1:6]), "总计")],
}
T3_HEADERS["html"] = T3_HEADERS["md"] = T3_HEADERS["txt"]

T4_COLUMNS = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"]
T4_GROUPS = ["行政复议", "行政诉讼 未经复议直接起诉", "行政诉讼 复议后起诉"]
T4_EXPECTED = {
    "行政复议": [2, 1, 0, 1, 4],
    "行政诉讼 未经复议直接起诉": [1, 0, 1, 0, 2],
    "行政诉讼 复议后起诉": [0, 0, 0, 1, 1],
}


def t3_expected(fmt: str) -> dict[tuple[str, str], str]:
    """(row, column as ``fmt`` names it) -> figure."""
    return {
        (row, column): str(n)
        for row, numbers in T3_EXPECTED
        for column, n in zip(T3_HEADERS[fmt], numbers, strict=True)
    }


def t4_expected(headers: list[str]) -> dict[str, str]:
    return dict(zip(headers, (str(n) for g in T4_GROUPS for n in T4_EXPECTED[g]), strict=True))


T4_HEADERS = [f"{g} {c}" for g in T4_GROUPS for c in T4_COLUMNS]


# ---------------------------------------------------------------- the report, typed in plain mode
@pytest.fixture(scope="module")
def county(tmp_path_factory: pytest.TempPathFactory) -> Report:
    path = tmp_path_factory.mktemp("county") / "文峰区教育局-2023.toml"
    out = io.StringIO()
    lines = "".join(f"{line}\n" for line in [*COUNTY_ANSWERS, *NARRATIVE_ENTERS])
    code = run_plain(path, store.new_session("未命名", 2024), io.StringIO(lines), out)
    assert code == 0, out.getvalue()[-2000:]
    assert "问题已经全部答完了。" in out.getvalue()
    session = store.load_session(path)
    assert session.meta.agency_kind == "county_department"
    return derive_report(session)


@pytest.fixture(scope="module")
def rendered(county: Report) -> dict[str, str]:
    return {fmt: render_report(county, fmt) for fmt in ("txt", "md", "html")}


def test_the_county_report_is_clean(county: Report) -> None:
    from report_wizard.checks import run_checks

    assert run_checks(county) == []


# ---------------------------------------------------------------- reading tables back
def section_lines(text: str, section: str) -> list[str]:
    """The lines of one section of a txt report (from its heading to the next)."""
    headings = [s.heading for s in form.SECTIONS]
    lines = text.splitlines()
    start = lines.index(form.SECTION_BY_ID[section].heading)
    after = [i for i, line in enumerate(lines) if line in headings and i > start]
    return lines[start + 1 : after[0] if after else len(lines)]


def txt_grid(text: str, section: str) -> list[list[str]]:
    return [line.split("\t") for line in section_lines(text, section) if "\t" in line]


class _Tables(HTMLParser):
    """Every <table> as rows of (text, rowspan, colspan, in_head)."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[list[list[tuple[str, int, int, bool]]]] = []
        self._cell: list[str] | None = None
        self._spans = (1, 1)
        self._head = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "table":
            self.tables.append([])
        elif tag == "thead":
            self._head = True
        elif tag == "tbody":
            self._head = False
        elif tag == "tr":
            self.tables[-1].append([])
        elif tag in ("th", "td"):
            self._cell = []
            self._spans = (int(a.get("rowspan") or 1), int(a.get("colspan") or 1))

    def handle_endtag(self, tag: str) -> None:
        if tag in ("th", "td") and self._cell is not None:
            self.tables[-1][-1].append(("".join(self._cell).strip(), *self._spans, self._head))
            self._cell = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def html_tables(html: str) -> list[list[list[tuple[str, int, int, bool]]]]:
    parser = _Tables()
    parser.feed(html)
    return parser.tables


def expand(rows: list[list[tuple[str, int, int, bool]]]) -> tuple[list[list[str]], int]:
    """The grid a browser lays out (a merged cell's text in every slot it covers), and how many head rows."""
    grid: dict[tuple[int, int], str] = {}
    for r, row in enumerate(rows):
        c = 0
        for text, rowspan, colspan, _ in row:
            while (r, c) in grid:
                c += 1
            for dr in range(rowspan):
                for dc in range(colspan):
                    grid[(r + dr, c + dc)] = text
            c += colspan
    width = 1 + max(c for _, c in grid)
    heads = sum(1 for row in rows if row and row[0][3])
    return [[grid.get((r, c), "") for c in range(width)] for r in range(len(rows))], heads


def md_tables(markdown: str) -> list[list[list[tuple[str, int, int, bool]]]]:
    return html_tables(MarkdownIt("commonmark").enable("table").render(markdown))


def path_name(cells: list[str]) -> str:
    """Header or label cells read in order, a merged cell once: 「三、本年度办理结果 （一）予以公开」."""
    out: list[str] = []
    for cell in cells:
        if cell and (not out or out[-1] != cell):
            out.append(cell)
    return " ".join(out)


def column_names(head: list[list[str]], columns: range, carry: bool) -> list[str]:
    """The name of each column from the header rows. ``carry``: a txt header has no merged cells, so an empty
    cell with a header below it belongs to the merged cell on its left."""
    names = []
    for c in columns:
        parts = []
        for r, row in enumerate(head):
            cell = row[c] if c < len(row) else ""
            if not cell and carry and any(c < len(below) and below[c] for below in head[r + 1 :]):
                cell = next((row[k] for k in range(c - 1, -1, -1) if row[k]), "")
            parts.append(cell)
        names.append(path_name(parts))
    return names


def read_t3(grid: list[list[str]], heads: int, carry: bool) -> tuple[list[str], dict[tuple[str, str], str]]:
    """(column names, (row name, column name) -> figure) of a table 三 grid with three label columns."""
    width = len(grid[heads])
    first = width - len(T3_COLUMNS)
    names = column_names(grid[:heads], range(first, width), carry)
    cells: dict[tuple[str, str], str] = {}
    above = [""] * first
    for row in grid[heads:]:
        labels = row[:first]
        if carry:  # txt: an empty label left of a filled one is the merged cell above
            last = max((i for i, cell in enumerate(labels) if cell), default=-1)
            labels = [cell or (above[i] if i < last else "") for i, cell in enumerate(labels)]
            above = labels
        for name, value in zip(names, row[first:], strict=True):
            cells[(path_name(labels), name)] = value
    return names, cells


def read_t4(grid: list[list[str]], heads: int, carry: bool) -> dict[str, str]:
    names = column_names(grid[:heads], range(len(grid[heads])), carry)
    assert len(grid) == heads + 1
    return dict(zip(names, grid[heads], strict=True))


def read_t2_blocks(blocks: list[list[list[str]]]) -> tuple[dict[str, list[str]], dict[tuple[str, str, str], str]]:
    """Each block: its title row, its header row, its figure rows (cells as printed, merged ones once)."""
    headers: dict[str, list[str]] = {}
    cells: dict[tuple[str, str, str], str] = {}
    for block in blocks:
        title = path_name(block[0])
        header = [c for c in block[1] if c]
        headers[title] = header
        for row in block[2:]:
            for column, value in zip(header[1:], row[1:], strict=False):
                cells[(title, row[0], column)] = value
    return headers, cells


def unmerged(rows: list[list[tuple[str, int, int, bool]]]) -> list[list[str]]:
    return [[text for text, *_ in row] for row in rows]


# ---------------------------------------------------------------- table 二
def test_table_two_in_txt(rendered: dict[str, str]) -> None:
    grid = txt_grid(rendered["txt"], "proactive")
    starts = [i for i, row in enumerate(grid) if row[0].startswith("第二十条")]
    blocks = [
        [[c for c in row if c] or [""] for row in grid[a:b]]
        for a, b in zip(starts, [*starts[1:], len(grid)], strict=True)
    ]
    headers, cells = read_t2_blocks(blocks)
    assert headers == T2_HEADERS
    assert cells == T2_EXPECTED


def test_table_two_in_markdown(rendered: dict[str, str]) -> None:
    tables = md_tables(rendered["md"])
    t2 = [unmerged(t) for t in tables if t[0][0][0] == "信息内容"]
    titles = re.findall(r"^\*\*(第二十条第（[一五六八]）项)\*\*$", rendered["md"], re.M)
    headers, cells = read_t2_blocks([[[title], *table] for title, table in zip(titles, t2, strict=True)])
    assert headers == T2_HEADERS
    assert cells == T2_EXPECTED


def test_table_two_in_html(rendered: dict[str, str]) -> None:
    (t2,) = [t for t in html_tables(rendered["html"]) if t[0][0][0].startswith("第二十条")]
    starts = [i for i, row in enumerate(t2) if row[0][0].startswith("第二十条")]
    blocks = [unmerged(t2[a:b]) for a, b in zip(starts, [*starts[1:], len(t2)], strict=True)]
    headers, cells = read_t2_blocks(blocks)
    assert headers == T2_HEADERS
    assert cells == T2_EXPECTED
    grid, _ = expand(t2)
    assert {len(row) for row in grid} == {4}  # every block spans the table's four columns


# ---------------------------------------------------------------- table 三
def test_table_three_in_txt(rendered: dict[str, str]) -> None:
    grid = txt_grid(rendered["txt"], "requests")
    assert grid[0][0] == form.T3_NOTE == "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
    names, cells = read_t3(grid, 3, carry=True)
    assert names == T3_HEADERS["txt"]
    assert cells == t3_expected("txt")
    assert len(grid) == 3 + 25 and {len(row) for row in grid} == {10}  # 3 label columns and 7 of figures


def test_table_three_in_markdown(rendered: dict[str, str]) -> None:
    (t3,) = [t for t in md_tables(rendered["md"]) if t[0][1][0] == "申请人情况 自然人"]
    names, cells = read_t3(unmerged(t3), 1, carry=False)
    assert names == T3_HEADERS["md"]
    assert cells == t3_expected("md")
    assert form.T3_NOTE in rendered["md"]


def test_table_three_in_html(rendered: dict[str, str]) -> None:
    (t3,) = [t for t in html_tables(rendered["html"]) if t[0][0][0] == form.T3_NOTE]
    grid, heads = expand(t3)
    assert heads == 3
    names, cells = read_t3(grid, heads, carry=False)
    assert names == T3_HEADERS["html"]
    assert cells == t3_expected("html")


# ---------------------------------------------------------------- table 四
def test_table_four_in_txt(rendered: dict[str, str]) -> None:
    grid = txt_grid(rendered["txt"], "review_litigation")
    assert read_t4(grid, 3, carry=True) == t4_expected(T4_HEADERS)


def test_table_four_in_markdown(rendered: dict[str, str]) -> None:
    (t4,) = [t for t in md_tables(rendered["md"]) if t[0][0][0] == "行政复议 结果维持"]
    assert read_t4(unmerged(t4), 1, carry=False) == t4_expected(T4_HEADERS)


def test_table_four_in_html(rendered: dict[str, str]) -> None:
    (t4,) = [t for t in html_tables(rendered["html"]) if t[0][0][0] == "行政复议"]
    grid, heads = expand(t4)
    assert heads == 3
    assert read_t4(grid, heads, carry=False) == t4_expected(T4_HEADERS)


# ---------------------------------------------------------------- the text states the tables' figures
def test_the_request_paragraph_states_the_tables(rendered: dict[str, str]) -> None:
    assert (
        "（二）依申请公开。本年度新收政府信息公开申请16件（其中自然人申请10件、法人或其他组织申请6件），"
        "上年结转2件。本年度办结17件，其中予以公开8件、部分公开3件、不予公开2件、无法提供2件、不予处理1件、"
        "其他处理1件；结转下年度继续办理1件。"
    ) in rendered["txt"].splitlines()


def test_the_formal_request_sentence_names_each_carry_with_its_own_figure(county: Report) -> None:
    lib = phrases.library()
    (text,) = lib.expand("overview.on_request.numbers_formal", phrases.report_context(county))
    assert text == (
        "2023年，文峰区教育局共受理政府信息公开申请18件，其中本年新收16件、上年结转2件。"
        "本年度办结17件，办理结果为：予以公开8件，部分公开3件，不予公开2件，无法提供2件，不予处理1件，其他处理1件。"
        "结转下年度继续办理1件。"
    )


# ---------------------------------------------------------------- official labels, as FORMAT.md spells them
def test_section_headings_and_basis_are_the_official_ones() -> None:
    assert [s.heading for s in form.SECTIONS] == [
        "一、总体情况",
        "二、主动公开政府信息情况",
        "三、收到和处理政府信息公开申请情况",
        "四、政府信息公开行政复议、行政诉讼情况",
        "五、存在的主要问题及改进情况",
        "六、其他需要报告的事项",
    ]
    assert form.FORMAT_BASIS == "国办公开办函〔2021〕30号"
    assert [label for _, label in form.OVERVIEW_POINTS] == [
        "主动公开",
        "依申请公开",
        "政府信息管理",
        "政府信息公开平台建设",
        "监督保障",
    ]


def test_table_two_labels_are_the_official_ones() -> None:
    blocks = {b.title: ([c for _, c in b.columns], [r.label for r in b.rows], b.money) for b in form.T2_BLOCKS}
    assert blocks == {
        "第二十条第（一）项": (["本年制发件数", "本年废止件数", "现行有效件数"], ["规章", "行政规范性文件"], False),
        "第二十条第（五）项": (["本年处理决定数量"], ["行政许可"], False),
        "第二十条第（六）项": (["本年处理决定数量"], ["行政处罚", "行政强制"], False),
        "第二十条第（八）项": (["本年收费金额（单位：万元）"], ["行政事业性收费"], True),
    }
    assert [b.title for b in form.T2_BLOCKS] == list(T2_HEADERS)
    assert form.T2_CONTENT_LABEL == "信息内容"


def test_table_three_labels_are_the_official_ones() -> None:
    assert form.T3_NOTE == "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
    assert (form.T3_APPLICANT_HEADER, form.T3_LEGAL_PERSONS_HEADER) == ("申请人情况", "法人或其他组织")
    assert [label for _, label, _ in form.T3_COLUMNS] == T3_COLUMNS
    assert [code for _, _, code in form.T3_COLUMNS] == ["NP", "CE", "RI", "PW", "LS", "OT", "TOT"]
    assert form.T3_TOP_LABELS == {
        "new_requests": "一、本年新收政府信息公开申请数量",
        "carried_over": "二、上年结转政府信息公开申请数量",
        "results": "三、本年度办理结果",
        "carried_forward": "四、结转下年度继续办理",
    }
    assert form.T3_RESULTS_TOTAL_LABEL == "（七）总计"
    printed = [
        f"{R} {form.t3_row_name(r.id)}" if r.group is not None or r.id == form.T3_RESULTS_TOTAL else r.label
        for r in form.T3_ROWS
    ]
    assert printed == [row for row, _ in T3_EXPECTED]


def test_table_four_labels_are_the_official_ones() -> None:
    assert (form.T4_REVIEW_HEADER, form.T4_LITIGATION_HEADER) == ("行政复议", "行政诉讼")
    assert [label for _, label in form.T4_GROUPS] == ["行政复议", "未经复议直接起诉", "复议后起诉"]
    assert [label for _, label in form.T4_COLUMNS] == T4_COLUMNS


# ---------------------------------------------------------------- the example's header lines are the seed's
def norm(line: str) -> str:
    """As a reader compares lines: no whitespace, full-width （一） equal to (一)."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", line))


NUMBER = re.compile(r"^\d+(\.\d+)?$")


def header_lines(text: str) -> list[list[str]]:
    """Table lines without figures, as their cells (labels only)."""
    out = []
    for line in text.splitlines():
        cells = [norm(c) for c in line.split("\t") if c.strip()]
        if "\t" in line and not any(NUMBER.match(c) for c in cells):
            out.append(cells)
    return out


def test_every_header_line_of_the_example_is_the_seeds() -> None:
    seed = (FIXTURES / "seed-xidajie-2023.txt").read_text(encoding="utf-8")
    example = render_report(derive_report(store.load_session(paths.example_session())), "txt")
    expected, printed = header_lines(seed), header_lines(example)
    assert len(expected) == 4 + 4 + 3 + 3  # table 二: block titles and their headers; 三: 3 lines; 四: 3 lines
    # The seed prints table 三's 总计 (one cell three rows high) on its first header line, the renderer on the
    # second, above its column of figures: the same merged cell. Everything else is line for line the seed's.
    t3 = next(i for i, cells in enumerate(expected) if "申请人情况" in cells)
    assert expected[t3][-1] == "总计" and printed[t3 + 1][-1] == "总计"
    expected[t3].pop()
    printed[t3 + 1].pop()
    expected[t3 + 1].append("总计")
    printed[t3 + 1].append("总计")
    assert printed == expected
