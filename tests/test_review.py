"""The reviewer's check (issue 15): ``check`` on published reports and folders, the verdict 通过 / 有错误 /
不完整 with its exit code, what could not be checked per rule, the batch summary in text, json and csv — on
the corpus of real reports (tests/fixtures/corpus, INDEX at /work/shared/corpus/INDEX.md)."""

from __future__ import annotations

import csv
import io
import json
import shutil
from functools import cache
from pathlib import Path

import pytest

from helpers import EXAMPLE, FIXTURES
from report_wizard.checks import Finding, run_checks, unchecked, verdict
from report_wizard.cli import main
from report_wizard.core import form
from report_wizard.core.model import Block, Report, derive_report
from report_wizard.reading import import_report

CORPUS = FIXTURES / "corpus"
PARTIAL = sorted(p.name for p in CORPUS.iterdir() if p.name[:2].isdigit() and 12 <= int(p.name[:2]) <= 22)
# Complete reports whose tables and text agree (INDEX.md): no error may be raised on them.
CONSISTENT = ["03_shuyangxian_2025.txt", "04_shanghai-bangongting_2025.md", "07_pingtan_2021.txt",
              "10_pingtan_2024.txt", "11_pingtan_2025.txt"]  # fmt: skip


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(list(argv), out=out)
    return code, out.getvalue()


@cache
def imported(name: str) -> Report:
    return derive_report(import_report(CORPUS / name).session)


@cache
def findings(name: str) -> tuple[Finding, ...]:
    return tuple(run_checks(imported(name)))


def errors(name: str) -> list[Finding]:
    return [f for f in findings(name) if f.level == "error"]


# ---------------------------------------------------------------- the verdict on the corpus
@pytest.mark.parametrize("name", PARTIAL)
def test_every_partial_report_is_incomplete_never_passed(name: str) -> None:
    assert verdict(findings(name)) == "不完整"
    assert any(f.rule == "S-MISSING" for f in findings(name))


@pytest.mark.parametrize("name", CONSISTENT)
def test_consistent_complete_reports_get_no_error(name: str) -> None:
    assert errors(name) == []
    assert verdict(findings(name)) == "通过"


def test_hongze_2023_table_four_totals_are_found() -> None:
    found = errors("01_hongzequ_2023.pdf")
    assert [f.rule for f in found] == ["T4-SUM", "T4-SUM"]
    assert "行政复议：各项结果合计 11" in found[0].message and "总计栏为 0，相差 11 件" in found[0].message
    assert "合计 5，但总计栏为 0，相差 5 件" in found[1].message
    assert verdict(findings("01_hongzequ_2023.pdf")) == "有错误"


def test_hongze_2024_text_17_against_table_95() -> None:
    (found,) = errors("02_hongzequ_2024.pdf")
    assert found.rule == "TX-NUM" and "17" in found.message and "95" in found.message


def test_a_total_below_the_parts_read_is_an_error_though_some_parts_are_not_read() -> None:
    # 06 平潭 2020: 总计 21 but 予以公开 7 + 部分公开 6 + 无法提供 7 + 不予处理 3 = 23 before （六）, which was not read
    found = [f for f in errors("06_pingtan_2020.txt") if f.rule == "T3-SUM"]
    total = [f for f in found if "总计列" in f.message]
    assert len(total) == 1 and "已合计 23，多于（七）总计 21，至少相差 2 件" in total[0].message
    # and the rows never read are not in it: T3-SUM cannot claim more than what was seen
    assert not set(total[0].cells) & imported("06_pingtan_2020.txt").unknown


def test_missing_heading_and_altered_heading_are_s_struct_warnings() -> None:
    (missing,) = [f for f in findings("04_shanghai-bangongting_2025.md") if f.rule == "S-STRUCT"]
    assert missing.level == "warning" and "缺少标题「五、存在的主要问题及改进情况」" in missing.message
    (altered,) = [f for f in findings("08_pingtan_2022.txt") if f.rule == "S-STRUCT"]
    assert "「四、政府信息公开行政法复议、行政诉讼情况」" in altered.message
    assert not [f for f in findings("07_pingtan_2021.txt") if f.rule == "S-STRUCT"]


def test_the_2019_layout_after_2021_is_named_not_before() -> None:
    (layout,) = [f for f in findings("12_xixian-dizhangjiedao_2023.txt") if f.rule == "S-LAYOUT"]
    assert "2023 年度" in layout.message and form.FORMAT_BASIS in layout.message
    assert not [f for f in findings("06_pingtan_2020.txt") if f.rule == "S-LAYOUT"]  # 2020: the 2019 layout was due


def test_a_cut_off_report_is_one_finding_not_an_empty_section_each() -> None:
    found = findings("12_xixian-dizhangjiedao_2023.txt")
    (cut,) = [f for f in found if f.rule == "S-MISSING"]
    assert "原文只到「二、主动公开政府信息情况」部分为止" in cut.message and "表三、表四也就没有读到" in cut.message
    assert not [f for f in found if f.rule in ("S-EMPTY", "S-FEE")]
    # 13: headings 二–四 are there with no tables under them: each table is named
    tables = [f.message[:3] for f in findings("13_wuchang-beiyinhezhen_2022.txt") if f.rule == "S-MISSING"]
    assert tables[:3] == ["表二缺", "表三缺", "表四缺"] and len(tables) == 4


# ---------------------------------------------------------------- what could not be checked
def test_rows_not_read_are_listed_per_rule_and_the_rest_is_still_checked() -> None:
    session = import_report(CORPUS / "11_pingtan_2025.txt").session
    groups = ("denied", "unable", "not_processed", "other")
    gone = [c for c in form.T3_CELLS if c.startswith("t3.results.") and c.split(".")[2] in groups]
    for cell in gone:
        session.cells.pop(cell, None)
        session.declared.pop(cell, None)
        session.missing.append(cell)
    session.cells[form.t3_cell(form.T3_NEW, "natural_person")] += 1  # a real T3-BAL error in rows that were read
    report = derive_report(session)
    lines = [u.message for u in unchecked(report)]
    assert "无法检查 T3-SUM：表三缺少（三）至（六）" in lines
    assert any(line.startswith("部分无法检查 T3-ROW") for line in lines)
    found = run_checks(report)
    assert [f.rule for f in found if f.level == "error"].count("T3-BAL") == 1  # (七) and 四 were read
    assert not [f for f in found if f.rule == "T3-SUM"]  # the sum of rows never seen is not claimed
    assert verdict(found) == "有错误"


def test_a_whole_blank_total_column_is_one_finding() -> None:
    session = import_report(CORPUS / "11_pingtan_2025.txt").session
    printed = dict(session.declared)
    session.declared.update({form.t3_cell(r.id, "total"): "" for r in form.T3_ROWS})
    found = run_checks(derive_report(session))
    rows = [f for f in found if f.rule == "T3-ROW"]
    assert len(rows) == 1 and "表三的总计栏整列空白" in rows[0].message
    assert not [f for f in found if f.rule == "S-BLANK" and f.section == "requests"]
    session.declared = printed
    session.declared[form.t3_cell(form.T3_CARRIED_OVER, "total")] = ""  # one blank total, parts 0: S-BLANK
    session.declared[form.t3_cell(form.T3_NEW, "total")] = ""  # one blank total with parts: its row's finding
    found = run_checks(derive_report(session))
    assert [f.message[:12] for f in found if f.rule == "T3-ROW"] == ["表三 一、本年新收政府信"]
    assert len([f for f in found if f.rule == "S-BLANK"]) == 1


# ---------------------------------------------------------------- the command line
def test_exit_codes_by_verdict_and_the_worst_of_a_batch(tmp_path: Path) -> None:
    partial, wrong = str(CORPUS / PARTIAL[0]), str(CORPUS / "02_hongzequ_2024.pdf")
    clean = str(CORPUS / "11_pingtan_2025.txt")
    assert run("check", clean)[0] == 0
    assert run("check", wrong)[0] == 1
    code, text = run("check", partial)
    assert code == 3 and "结论 不完整（" in text
    assert run("check", clean, partial)[0] == 3
    assert run("check", partial, wrong, clean)[0] == 1
    assert run("check", partial, str(tmp_path / "nope.txt"), wrong)[0] == 2


def test_help_documents_the_exit_codes(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["check", "--help"])
    said = capsys.readouterr().out
    assert "3 有报告不完整" in said and "2 有文件无法读取" in said and "json" in said and "2 > 1 > 3 > 0" in said


def test_a_folder_of_published_reports_and_sessions_is_checked_without_writing(tmp_path: Path) -> None:
    for name in ("01_hongzequ_2023.pdf", "13_wuchang-beiyinhezhen_2022.txt"):
        shutil.copy(CORPUS / name, tmp_path / name)
    shutil.copy(EXAMPLE, tmp_path / "example.toml")
    (tmp_path / "notes.xlsx").write_bytes(b"not a report")
    before = sorted(p.name for p in tmp_path.iterdir())
    code, text = run("check", str(tmp_path))
    assert code == 1  # 01 has errors: worse than 13's 不完整
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # nothing written beside the reports
    summary = text.split("\n\n汇总：")[1].splitlines()
    assert summary[0] == "共 3 份，通过 1，有错误 1，不完整 1。"
    hongze, wuchang, example = (line.split("\t") for line in summary[1:])
    # 提醒 1: S-LABEL, table 三's misprinted 「2.其他法律行政止公开」 (INDEX)
    assert hongze[1:6] == ["洪泽区人民政府", "2023年", "有错误", "错误 2", "提醒 1"]
    assert wuchang[3] == "不完整" and wuchang[6].startswith("未能读取：表二缺失、表三缺失、表四缺失")
    assert example[3] == "通过" and example[6] == "全部读到"
    empty = tmp_path / "empty"
    empty.mkdir()
    code, text = run("check", str(empty))
    assert code == 2 and "文件夹中没有可以检查的文件" in text


def test_json_and_csv(tmp_path: Path) -> None:
    files = [str(CORPUS / "01_hongzequ_2023.pdf"), str(CORPUS / "06_pingtan_2020.txt"), str(tmp_path / "x.md")]
    code, text = run("check", "--format", "json", *files)
    assert code == 2
    data = json.loads(text)
    hongze, pingtan, absent = data["reports"]
    assert (hongze["verdict"], hongze["errors"], hongze["year"]) == ("有错误", 2, 2023)
    assert [f["rule"] for f in hongze["findings"]] == ["T4-SUM", "T4-SUM", "S-LABEL"]
    assert "t4.review.total" in hongze["findings"][0]["cells"]
    assert any(u["message"] == "无法检查 T3-SUM：表三缺少（六）" for u in pingtan["unchecked"])
    assert absent["verdict"] == "无法读取" and "x.md" in absent["reason"]
    assert data["summary"] == {"通过": 0, "有错误": 2, "不完整": 0, "无法读取": 1}
    code, text = run("check", "-f", "csv", *files[:2])
    assert text.startswith("\ufeff文件,")  # the BOM Excel needs to read UTF-8, before the header only
    assert text.count("\ufeff") == 1
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert rows[0][:4] == ["文件", "机关", "年度", "结论"] and len(rows) == 3
    assert rows[2][1:6] == ["平潭综合实验区", "2020", "有错误", "2", "1"]
    assert "表二（2019 年版）" in rows[2][6]


def test_previous_year_of_another_agency_is_refused_with_the_reason() -> None:
    code, text = run("check", str(CORPUS / "11_pingtan_2025.txt"), "--previous", str(CORPUS / "02_hongzequ_2024.pdf"))
    assert "上一年度的报告是「淮安市洪泽区人民政府」的，不是「平潭综合实验区」的：没有做跨年度检查" in text
    assert "X-CARRY" not in text and "X-YEAR" not in text and code == 0
    code, text = run("check", str(CORPUS / "11_pingtan_2025.txt"), "--previous", str(CORPUS / "10_pingtan_2024.txt"))
    assert code == 0 and "跨年度" not in text


# ---------------------------------------------------------------- text against tables: two false alarms seen
@pytest.mark.parametrize(
    ("sentence", "rule_found"),
    [
        # 04 上海市人民政府办公厅 2025: how cases ended is denied, not that there were any (表四 55 复议)
        ("全年未发生因依申请公开被行政复议纠错或行政诉讼败诉情形。", False),
        ("全年未发生政府信息公开行政复议。", True),
        # 04 again: on time, said of those answered, while 293 were carried forward
        ("对申请均在法定期限内答复。", False),
        ("本年度申请均已办结。", True),
        ("所有申请均已按时答复。", True),  # 已: done, not only on time
        ("全年依申请公开办结率100%。", True),
        ("申请已全部办理完成。", True),
    ],
)
def test_negated_outcomes_and_timely_answers_are_not_zero_claims(sentence: str, rule_found: bool) -> None:
    session = import_report(CORPUS / "04_shanghai-bangongting_2025.md").session
    session.narrative["overview"] = [Block(text=sentence)]
    found = [f for f in run_checks(derive_report(session)) if f.rule == "TX-ZERO"]
    assert bool(found) == rule_found, found


# ---------------------------------------------------------------- S-TYPO
def test_doubled_phrases_in_real_reports_are_s_typo_warnings() -> None:
    (pasted,) = [f for f in findings("05_pingtan_2019.txt") if f.rule == "S-TYPO"]  # INDEX: the phrase twice
    assert pasted.level == "warning" and "「聚焦新中国成立70周年平潭专场新闻发布会」连写了两遍" in pasted.message
    (doubled,) = [f for f in findings("07_pingtan_2021.txt") if f.rule == "S-TYPO"]  # 「规范审核审核发布机制」
    assert "「审核」连写了两遍" in doubled.message
    for name in ("11_pingtan_2025.txt", "10_pingtan_2024.txt", "01_hongzequ_2023.pdf"):
        assert not [f for f in findings(name) if f.rule == "S-TYPO"], name


@pytest.mark.parametrize(
    ("sentence", "typo"),
    [
        # 11 平潭 2025 as printed, then with a space typed inside 154
        ("全年共收到政府信息公开申请154件，办结148件。", False),
        ("全年共收到政府信息公开申请15 4件，办结148件。", True),
        ("认认真真做好政务公开，一件一件抓落实，2024 年继续推进。", False),  # reduplication, a year
        ("进一步规范审核审核发布机制。", True),
    ],
)
def test_s_typo_on_sentences(sentence: str, typo: bool) -> None:
    session = import_report(CORPUS / "11_pingtan_2025.txt").session
    session.narrative["overview"] = [Block(text=sentence)]
    assert bool([f for f in run_checks(derive_report(session)) if f.rule == "S-TYPO"]) == typo


# ---------------------------------------------------------------- several years of one agency in one batch
def test_a_batch_pairs_each_report_with_its_previous_year(tmp_path: Path) -> None:
    from report_wizard.store import save_session

    code, text = run("check", str(CORPUS / "10_pingtan_2024.txt"), str(CORPUS / "11_pingtan_2025.txt"))
    assert code == 0 and "11_pingtan_2025.txt: 说明 与同一批中的 2024 年度报告做了跨年度检查。" in text
    assert "10_pingtan_2024.txt: 说明" not in text  # its 2023 is not in the batch
    # 20 has no agency name in its title (未识别的机关): it is not paired with 18, another agency's 2024
    code, text = run("check", str(CORPUS / "18_wuhai-shengtaihuanjingju_2024.txt"), str(CORPUS / PARTIAL[8]))
    assert PARTIAL[8].startswith("20_") and "跨年度" not in text
    # the same 2025 with one request carried over that 2024 never carried forward: X-CARRY, found by pairing
    session = import_report(CORPUS / "11_pingtan_2025.txt").session
    session.cells[form.t3_cell(form.T3_CARRIED_OVER, "natural_person")] = 1
    session.cells[form.t3_cell(form.T3_NEW, "natural_person")] -= 1
    save_session(session, tmp_path / "pingtan-2025.toml")
    code, text = run("check", str(tmp_path / "pingtan-2025.toml"), str(CORPUS / "10_pingtan_2024.txt"))
    assert code == 1 and "错误 X-CARRY 表三 二、上年结转政府信息公开申请数量 自然人 为 1，但 2024 年报告" in text
    code, text = run("check", str(tmp_path / "pingtan-2025.toml"))
    assert "X-CARRY" not in text  # alone, nothing to pair with


# ---------------------------------------------------------------- S-CITE
def test_the_2019_notice_cited_in_a_2021_report_or_later_is_s_cite() -> None:
    for name, cited in [
        ("15_shanxi-waiban_2021.txt", "国办公开办函〔2019〕60号"),
        ("19_gaoping-zhengfubangongshi_2021.txt", "国办公开办函〔2019〕60号"),
        ("12_xixian-dizhangjiedao_2023.txt", "关于政府信息公开工作年度报告有关事项的通知"),  # by its title only
    ]:
        (found,) = [f for f in findings(name) if f.rule == "S-CITE"]
        assert f"依据的是「{cited}」" in found.message, name
    # 17 cites both notices, 08 the 2021 one; 06 is a 2020 report, when the 2019 notice was the basis
    for name in ("17_guiyangshi_2021.txt", "08_pingtan_2022.txt", "06_pingtan_2020.txt"):
        assert not [f for f in findings(name) if f.rule == "S-CITE"], name


def test_html_is_a_page_to_print_with_every_finding_escaped(tmp_path: Path) -> None:
    from report_wizard.store import save_session

    session = import_report(CORPUS / "11_pingtan_2025.txt").session
    session.narrative["overview"] = [Block(text="<script>alert(1)</script>全年共收到政府信息公开申请5件。")]
    save_session(session, tmp_path / "pingtan-2025.toml")
    code, page = run("check", "--format", "html", str(tmp_path / "pingtan-2025.toml"), str(CORPUS / PARTIAL[1]))
    assert code == 1 and page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert "<script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "TX-NUM" in page and "（5 件），但表三 一、本年新收政府信息公开申请数量 总计为 154 件" in page
    assert "<h2>平潭综合实验区 2025 年度：有错误</h2>" in page and "：不完整</h2>" in page
    assert "无法检查 T3-ROW、T3-SUM、T3-BAL：表三缺失" in page


# ---------------------------------------------------------------- text against tables: sums, and 及 inside a word
@pytest.mark.parametrize(
    ("sentence", "found"),
    [
        # 09 平潭 2023 as printed: 予以公开 22 + 部分公开 20 = 42
        ("办结依申请公开81件，其中：予以公开及部分公开42件，占51.85%。", ""),
        (
            "办结依申请公开81件，其中：予以公开及部分公开43件，占51.85%。",
            "表三 （一）予以公开 22 + 表三 （二）部分公开",
        ),
        ("办结依申请公开81件，其中予以公开22件、部分公开20件。", ""),  # each row its own number
        # 及 inside 涉及 does not cut the clause before the topic it names (不予公开 5)
        ("其中5件涉及不予公开。", ""),
        ("其中6件涉及不予公开。", "表三 （三）不予公开 总计为 5 件"),
    ],
)
def test_outcome_rows_summed_in_the_text_and_ji_inside_a_word(sentence: str, found: str) -> None:
    session = import_report(CORPUS / "09_pingtan_2023.txt").session
    session.narrative["overview"] = [Block(text=sentence)]
    said = [f.message for f in run_checks(derive_report(session)) if f.rule in ("TX-NUM", "TX-ZERO")]
    assert (found in said[0] if said else not found) and len(said) <= 1, said


@pytest.mark.parametrize(
    ("sentence", "fee_warning"),
    [
        ("无其他需要报告的事项。", True),  # 05 平潭 2019 as printed: nothing on fees
        ("本年度未收取信息处理费。", False),
        ("本年度依申请公开工作没有产生相关费用。", False),
        ("本机关办理政府信息公开申请未收取任何费用。", False),
        ("本年度未收费。", False),
    ],
)
def test_a_fee_statement_in_other_words_counts_for_s_fee(sentence: str, fee_warning: bool) -> None:
    session = import_report(CORPUS / "05_pingtan_2019.txt").session
    session.narrative["other"] = [Block(text=sentence)]
    assert bool([f for f in run_checks(derive_report(session)) if f.rule == "S-FEE"]) == fee_warning


# ---------------------------------------------------------------- S-STRUCT: the intro's six parts
INTRO_07 = (
    "本报告包括总体情况、主动公开政府信息情况、收到和处理政府信息公开申请情况、因政府信息公开申请行政复议、"
    "提起行政诉讼的情况、政府信息公开工作存在的主要问题及改进情况和其他需要报告的事项等六个部分。"
)


@pytest.mark.parametrize(
    ("intro", "said"),
    [
        (INTRO_07, ""),  # 07 平潭 2021 as printed
        (INTRO_07.replace("、政府信息公开工作存在的主要问题及改进情况", ""), "只列出了 5 个"),
        (INTRO_07.replace("六个部分", "五个部分"), "前言说本报告有五个部分"),
    ],
)
def test_an_intro_announcing_six_parts_lists_six(intro: str, said: str) -> None:
    session = import_report(CORPUS / "07_pingtan_2021.txt").session
    assert session.imported is not None and INTRO_07 in session.imported.texts["preamble"]
    session.imported.texts["preamble"] = intro
    found = [f.message for f in run_checks(derive_report(session)) if f.rule == "S-STRUCT"]
    assert (said in found[0] if found else not said) and len(found) <= 1, found
