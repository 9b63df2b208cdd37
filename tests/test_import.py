"""import and new --from: html (a CMS page made from our own html output, then damaged), docx (the blank
official template filled in), a pdf without a text layer, the session file written, schema 1 files, and a
year started from last year's published report."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from helpers import FIXTURES
from report_wizard.checks import run_checks
from report_wizard.cli import main
from report_wizard.core import form
from report_wizard.core.model import Provenance, Session, derive_report
from report_wizard.opening import previous_year, start_from_last
from report_wizard.output.render import render_report
from report_wizard.reading import NO_TEXT_LAYER, ReadingError, import_report
from report_wizard.reading.carry import move_years_on
from report_wizard.store import load_session, save_session

CORPUS = FIXTURES / "corpus"


def run(argv: list[str]) -> tuple[int, str]:
    out = io.StringIO()
    code = main(argv, out=out)
    return code, out.getvalue()


@pytest.fixture(scope="module")
def pingtan_2025() -> Session:
    return import_report(CORPUS / "11_pingtan_2025.txt").session


def printed(session: Session, cell: str) -> object:
    return derive_report(session).printed(cell)


def same(a: object, b: object) -> bool:
    """Not the same as printed; amounts in 万元 are printed to the 元 (4 decimals) by our html."""
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return abs(a - b) >= 0.00005
    return a != b


# ---------------------------------------------------------------- html: a CMS page
def cms_page(html: str) -> str:
    """Our html output as a CMS shows it: page chrome around it, attributes, no line breaks, &nbsp; padding."""
    body = re.sub(r"\n\s*", "", html.split("<body>", 1)[-1].split("</body>", 1)[0])
    body = body.replace("<td>", '<td style="text-align:center" width="40">&nbsp;').replace(
        "<table", '<table border="1"'
    )
    return (
        "<!DOCTYPE html><html><head><meta charset='utf-8'><title>政府信息公开年报_平潭</title>"
        "<script>var x = '一、总体情况 12345';</script></head><body>"
        "<div class='nav'>当前位置：首页 > 政务公开 > 年报</div><div class='article'>"
        f"{body}</div><div class='footer'>主办单位：某某办公室 电话：0591-12345678</div></body></html>"
    )


def test_a_cms_page_with_merged_cells_imports_every_cell(tmp_path: Path, pingtan_2025: Session) -> None:
    html = render_report(derive_report(pingtan_2025), "html")
    assert "rowspan" in html and "colspan" in html
    page = tmp_path / "nianbao.html"
    page.write_text(cms_page(html), encoding="utf-8")
    session = import_report(page).session
    assert (session.meta.agency, session.meta.year) == ("平潭综合实验区", 2025)
    known = [c for c in form.ALL_CELLS if c not in pingtan_2025.unknown_cells()]
    assert [c for c in known if same(printed(session, c), printed(pingtan_2025, c))] == []
    # the three ambiguous cells were printed as （？）: not numbers, so they are not read as any
    assert set(pingtan_2025.ambiguous) <= set(session.missing) | set(session.ambiguous)
    assert session.narrative["other"][0].text == pingtan_2025.narrative["other"][0].text


def test_blank_and_slash_cells_of_a_web_page_stay_as_printed(tmp_path: Path, pingtan_2025: Session) -> None:
    html = render_report(derive_report(pingtan_2025), "html")
    # damage as real sites do: the 行政许可 figure left blank, the 行政强制 one a 「/」
    html = re.sub(r"(<td[^>]*>)2418</td>", r"\1</td>", html)
    html = re.sub(r"(<th scope=\"row\">行政强制</th><td[^>]*>)64</td>", r"\1/</td>", html)
    page = tmp_path / "page.htm"
    page.write_text(cms_page(html), encoding="utf-8")
    session = import_report(page).session
    assert session.declared[form.t2_cell("permits", "decisions")] == ""
    assert session.declared[form.t2_cell("enforcement", "decisions")] == "/"
    assert form.t2_cell("permits", "decisions") not in session.cells
    findings = run_checks(derive_report(session))
    assert any(f.rule == "S-BLANK" for f in findings)


# ---------------------------------------------------------------- docx: the blank official template, filled
def filled_template(path: Path) -> dict[str, object]:
    import docx

    document = docx.Document(str(CORPUS / "23_moban-kongbai_2021.docx"))
    document.paragraphs[1].text = "某某街道办事处2024年政府信息公开工作年度报告"
    document.paragraphs[4].text = "2024年，本街道认真贯彻落实《条例》。"
    t2, t3, t4 = document.tables
    wrote: dict[str, object] = {}

    def put(cell: object, value: object, cell_id: str) -> None:
        cell.text = str(value)  # type: ignore[attr-defined]
        wrote[cell_id] = value

    put(t2.rows[3].cells[1], 2, form.t2_cell("normative_documents", "issued"))
    put(t2.rows[3].cells[3], 11, form.t2_cell("normative_documents", "in_force"))
    put(t2.rows[6].cells[1], "/", form.t2_cell("permits", "decisions"))
    new = t3.rows[3]
    columns = [c for c, _, _ in form.T3_COLUMNS]
    for i, value in enumerate((3, 1, 0, 0, 0, 0, 4)):
        put(new.cells[-7 + i], value, form.t3_cell(form.T3_NEW, columns[i]))
    put(t3.rows[5].cells[-7], 2, form.t3_cell("results.disclosed", "natural_person"))
    put(t4.rows[3].cells[0], 1, form.t4_cell("review", "upheld"))
    put(t4.rows[3].cells[4], 1, form.t4_cell("review", "total"))
    document.save(str(path))
    return wrote


def test_the_official_docx_template_filled_in_imports_merged_and_blank_cells(tmp_path: Path) -> None:
    path = tmp_path / "报告.docx"
    wrote = filled_template(path)
    session = import_report(path).session
    assert (session.meta.agency, session.meta.year, session.meta.agency_kind) == ("某某街道办事处", 2024, "subdistrict")
    for cell, value in wrote.items():
        assert printed(session, cell) == value, form.cell_name(cell)
    # every other cell of the three tables is blank (empty or U+3000 in the template), not missing, not 0
    others = [c for c in form.ALL_CELLS if c not in wrote]
    assert [c for c in others if session.declared.get(c) != ""] == []
    assert session.missing == []
    assert session.narrative["overview"][0].text == "2024年，本街道认真贯彻落实《条例》。"


# ---------------------------------------------------------------- pdf without a text layer
SCANNED_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def test_a_scanned_pdf_is_refused_and_nothing_is_written(tmp_path: Path) -> None:
    scan = tmp_path / "扫描件.pdf"
    scan.write_bytes(SCANNED_PDF)
    with pytest.raises(ReadingError, match=re.escape(NO_TEXT_LAYER)):
        import_report(scan)
    code, _ = run(["--dir", str(tmp_path / "s"), "import", str(scan)])
    assert code == 2 and not (tmp_path / "s").exists()


def test_unreadable_inputs_get_a_chinese_sentence(tmp_path: Path) -> None:
    (tmp_path / "a.doc").write_bytes(b"x")
    (tmp_path / "b.pdf").write_bytes(b"not a pdf")
    (tmp_path / "c.docx").write_bytes(b"PK not a zip")
    with pytest.raises(ReadingError, match="不是能读取的格式"):
        import_report(tmp_path / "a.doc")
    with pytest.raises(ReadingError, match="PDF"):
        import_report(tmp_path / "b.pdf")
    with pytest.raises(ReadingError, match="Word"):
        import_report(tmp_path / "c.docx")
    with pytest.raises(ReadingError, match="找不到文件"):
        import_report(tmp_path / "none.txt")


# ---------------------------------------------------------------- the command
def test_import_writes_a_session_prints_the_report_and_never_replaces_a_file(tmp_path: Path) -> None:
    code, said = run(["--dir", str(tmp_path), "import", str(CORPUS / "04_shanghai-bangongting_2025.md")])
    assert code == 0
    path = tmp_path / "上海市人民政府办公厅-2025.toml"
    assert f"已写入 {path}" in said and "缺少的标题：五、存在的主要问题及改进情况" in said and "有歧义" in said
    session = load_session(path)
    assert session.schema_version == 2 and session.imported is not None
    assert session.imported.report == said.splitlines()[:-1]
    before = path.read_bytes()
    code, _ = run(["--dir", str(tmp_path), "import", str(CORPUS / "04_shanghai-bangongting_2025.md")])
    assert code == 2 and path.read_bytes() == before
    other = tmp_path / "mine.txt"
    other.write_text("mine", encoding="utf-8")
    code, _ = run(["import", str(CORPUS / "03_shuyangxian_2025.txt"), "-o", str(other)])
    assert code == 2 and other.read_text(encoding="utf-8") == "mine"
    code, said = run(["import", str(CORPUS / "03_shuyangxian_2025.txt"), "-o", str(tmp_path / "x.toml")])
    assert code == 0 and load_session(tmp_path / "x.toml").meta.agency == "沐阳县人民政府"


def test_check_on_an_imported_report_finds_its_printed_errors_and_skips_missing_cells(tmp_path: Path) -> None:
    run(["--dir", str(tmp_path), "import", str(CORPUS / "01_hongzequ_2023.pdf")])
    code, said = run(["check", str(tmp_path / "洪泽区人民政府-2023.toml")])
    assert code == 1
    assert said.count("T4-SUM") == 2 and "总计栏为 0，相差 11 件" in said  # INDEX: the printed 总计 0
    run(["--dir", str(tmp_path), "import", str(CORPUS / "06_pingtan_2020.txt")])
    code, said = run(["check", str(tmp_path / "平潭综合实验区-2020.toml")])
    # （六）'s items and the whole of table 二 are missing: no rule speaks of their 0s, and check says so
    assert "31 个单元格原文缺失或有歧义" in said
    assert "错误 T2-" not in said and "提醒 T2-" not in said and "（六）其他处理 1." not in said
    assert "无法检查 T3-SUM：表三缺少（六）" in said  # issue 15: and says which rule it could not run
    run(["--dir", str(tmp_path), "import", str(CORPUS / "13_wuchang-beiyinhezhen_2022.txt")])
    code, said = run(["check", str(tmp_path / "五常市背荫河镇-2022.toml")])
    assert "200 个单元格原文缺失" in said and "错误 T3-" not in said and "S-BLANK" not in said
    assert code == 3 and "无法检查 T3-ROW、T3-SUM、T3-BAL：表三缺失" in said  # issue 15: 不完整


def test_render_of_an_imported_report_reproduces_its_tables(tmp_path: Path) -> None:
    session = import_report(CORPUS / "03_shuyangxian_2025.txt").session
    text = render_report(derive_report(session), "txt")
    for label, numbers in (
        ("一、本年新收政府信息公开申请数量", "705\t3\t0\t0\t5\t0\t713"),
        ("3.其他", "142\t1\t0\t0\t0\t0\t143"),
        ("行政许可", "517645"),
    ):
        assert re.search(re.escape(label) + r"\t+" + re.escape(numbers), text), label
    assert "27\t10\t9\t15\t61\t3\t0\t0\t0\t3\t8\t0\t1\t1\t10" in text
    # a cell the source does not settle is printed so, never as 0
    assert "（？）" in render_report(derive_report(import_report(CORPUS / "07_pingtan_2021.txt").session), "txt")


def test_a_schema_1_file_still_loads_and_saves_as_2(tmp_path: Path) -> None:
    old = FIXTURES / "erdao-2022-row-total.toml"
    assert "schema_version = 1" in old.read_text(encoding="utf-8")
    session = load_session(old)
    assert session.schema_version == 2 and session.missing == [] and session.imported is None
    copy = tmp_path / "a.toml"
    save_session(session, copy)
    assert copy.read_text(encoding="utf-8").startswith("schema_version = 2\n")
    assert load_session(copy).cells == session.cells


# ---------------------------------------------------------------- new --from
def test_new_from_last_years_published_report_carries_and_checks_across_years(tmp_path: Path) -> None:
    path = start_from_last(tmp_path, CORPUS / "01_hongzequ_2023.pdf")
    assert path == tmp_path / "洪泽区人民政府-2024.toml"
    session = load_session(path)
    assert session.meta.year == 2024 and session.previous == "洪泽区人民政府-2023.toml"
    carried = form.t3_cell(form.T3_CARRIED_OVER, "natural_person")
    assert session.cells[carried] == 0 and session.sources[carried] == Provenance.CARRIED
    stock = form.t2_cell("normative_documents", "in_force")
    assert session.cells[stock] == 5 and session.sources[stock] == Provenance.CARRIED
    assert session.narrative["overview"][0].text.startswith("2024 年，洪泽区人民政府")
    assert session.narrative["problems"][0].role == "review"
    assert session.narrative["problems"][0].text.startswith("针对存在问题，下一步")
    previous = previous_year(session, tmp_path)
    assert previous is not None and previous.meta.year == 2023
    # filled for 2024 with the figures of the 2024 report (corpus 02): the cross-year rules hold
    filled = import_report(CORPUS / "02_hongzequ_2024.pdf").session
    session.cells.update(filled.cells)
    session.declared.update(filled.declared)
    last = derive_report(previous)
    rules = {f.rule for f in run_checks(derive_report(session), last)}
    assert "X-CARRY" not in rules and "T2-STOCK" not in rules  # 0 = 0 carried; 5 + 3 − 0 = 8
    session.cells[carried] = 2
    session.cells[stock] = 9
    findings = run_checks(derive_report(session), last)
    assert {"X-CARRY", "T2-STOCK"} <= {f.rule for f in findings}


def test_new_from_on_the_command_line_refuses_a_second_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    empty = tmp_path / "answers.txt"
    empty.write_text("", encoding="utf-8")
    stdin = empty.open(encoding="utf-8")
    monkeypatch.setattr("sys.stdin", stdin)
    run(["--dir", str(tmp_path), "new", "--from", str(CORPUS / "11_pingtan_2025.txt"), "--plain"])
    session = load_session(tmp_path / "平潭综合实验区-2026.toml")
    # 2025 carried 4 (自然人) and 2 (商业企业) forward: this year's 上年结转
    assert session.cells[form.t3_cell(form.T3_CARRIED_OVER, "natural_person")] == 4
    assert session.cells[form.t3_cell(form.T3_CARRIED_OVER, "commercial")] == 2
    assert form.t2_cell("normative_documents", "in_force") not in session.cells  # ambiguous last year: nothing offered
    code, _ = run(["--dir", str(tmp_path), "new", "--from", str(CORPUS / "11_pingtan_2025.txt"), "--plain"])
    stdin.close()
    assert code == 2


def test_years_move_on_only_for_the_reports_own_years() -> None:
    text = "2023年，按2022年部署，2024 年将继续；2019年以来；二〇二三年。"
    assert move_years_on(text, 2023) == "2024年，按2023年部署，2025 年将继续；2019年以来；二〇二三年。"


# ---------------------------------------------------------------- the TUI 新建 form
async def test_the_new_form_starts_from_last_years_report(tmp_path: Path) -> None:
    from helpers import interview_screen, make_app
    from report_wizard.tui.screens.new_session import NewSessionDialog

    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("n")
        assert isinstance(app.screen, NewSessionDialog)
        field = app.screen.query_one("#from")
        field.focus()
        await pilot.press(*str(tmp_path / "无此文件.pdf"), "enter")
        await pilot.pause()
        assert "找不到文件" in str(app.screen.query_one("#error").render())  # the form stays, nothing lost
        field.value = str(CORPUS / "01_hongzequ_2023.pdf")
        await pilot.press("enter")
        await pilot.pause()
        screen = interview_screen(app)
        assert screen.opened.path == tmp_path / "洪泽区人民政府-2024.toml"
    session = load_session(tmp_path / "洪泽区人民政府-2024.toml")
    assert session.previous == "洪泽区人民政府-2023.toml"
    assert session.sources[form.t3_cell(form.T3_CARRIED_OVER, "natural_person")] == Provenance.CARRIED
