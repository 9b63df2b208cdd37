"""Markdown output: clerk text stays one plain paragraph (or cell, or title) with the same visible text.

Checked with a real CommonMark renderer (markdown-it-py) on hostile strings and on seeded random mixes of
Chinese and Markdown punctuation.
"""

from __future__ import annotations

import html
import random
import re

import pytest
from markdown_it import MarkdownIt

from report_wizard.core import form, model
from report_wizard.narrative import paragraphs as narrative
from report_wizard.output import render
from report_wizard.output.render import md_cell, md_text

COMMONMARK = MarkdownIt("commonmark")
WITH_TABLES = MarkdownIt("commonmark").enable("table")  # the report's tables are GFM pipe tables
GFM_LIKE = MarkdownIt("commonmark").enable(["table", "strikethrough"])

HOSTILE = [
    "1. 列表项",
    "1) 列表项",
    "2023. 年度",
    "123456789. 九位数",
    "1234567890. 十位数不是列表",
    "1.",
    "10)",
    "---",
    "***",
    "___",
    "- - -",
    " * * *",
    "**x**",
    "__x__",
    "*强调*",
    "_强调_",
    "西大街_街道_办",
    "a*b*c",
    "![](url)",
    "![图片](http://a.cn/x.png)",
    "<b>粗体</b>",
    "<http://a.cn>",
    "<a@b.cn>",
    "<1a@b.cn>",
    "<!-- 注释 -->",
    "<?php echo 1; ?>",
    "<div>块</div>",
    "[a](b)",
    "[链接]: http://a.cn",
    "[^1]",
    "`code`",
    "``双反引号``",
    "``` python",
    "~~~",
    "~~删除线~~",
    "# 标题",
    "###### 六级",
    "####### 七个井号",
    "#5号文件",
    "标题 #",
    "标题 ##",
    "    #",
    "  ##",
    "标题#",
    "> 引用",
    ">>",
    "- 项",
    "+ 项",
    "* 项",
    "-",
    "+",
    "*",
    "-5℃",
    "+86 电话",
    "===",
    "正文\n===",
    "正文\n---",
    "正文\n- 项",
    "正文\n1. 项",
    "正文\n> 引用",
    "正文\n    缩进",
    "正文  \n下一行",
    "正文\\\n下一行",
    "结尾两个空格  ",
    "结尾一个空格 ",
    "结尾制表符\t",
    "反斜杠\\",
    "\\*不是强调\\*",
    "C:\\文件夹\\报告",
    "\\",
    "&amp;",
    "&lt;b&gt;",
    "&#169;",
    "&#x4e2d;",
    "&copy;",
    "&nosuchentity;",
    "A&B",
    "&",
    "<",
    ">",
    "[",
    "]",
    "!",
    "|",
    "x | y",
    "正文\n| --- |",
    "    缩进四格",
    "\t制表符开头",
    " 一个空格",
    "  两个空格",
    " ",
    "\t",
    "  \n  ",
    "正文\n\n第二段",
    "\n开头换行",
    "结尾换行\n",
    "\n",
    "www.example.com",
    "http://例子.cn/路径?a=1&b=2",
    "1.依申请公开办理情况：无。",
    "（一）主动公开情况。",
    "「一」（二），三。、；：？！《》【】——……　全角空格",
    "１．全角数字",
    "＃全角井号",
    "2023年1.5万元，增长12%",
]

FULL_WIDTH = "「」（），。、；：　？！《》【】——……"


def paragraph_text(markdown: str, renderer: MarkdownIt = COMMONMARK) -> str:
    """The text of the one plain paragraph ``markdown`` renders as; fails if it renders as anything else."""
    out = renderer.render(markdown)
    match = re.fullmatch(r"<p>(.*)</p>\n", out, re.S)
    assert match, (markdown, out)
    inner = match.group(1)
    assert "<" not in inner, (markdown, out)  # no tag at all: no <em>, <code>, <a>, <br />, raw HTML
    return html.unescape(inner)


def random_strings(count: int, seed: int, newlines: bool = True) -> list[str]:
    rng = random.Random(seed)
    pieces = [
        *"政府信息公开年度报告西大街",
        *FULL_WIDTH,
        *"#>-+*_=`~[]()!<>&;|\\.:/\"'",
        *"0123456789",
        *"abxyz",
        " ",
        "  ",
        "\t",
        "&amp;",
        "&#32;",
        "&#x4e2d;",
        "&copy;",
        "<b>",
        "</b>",
        "<!--",
        "-->",
        "```",
        "~~~",
        "---",
        "===",
        "1. ",
        "1) ",
        "    ",
        "http://",
        "www.",
        "](",
        "![",
    ]
    if newlines:
        pieces += ["\n"] * 6
    strings = []
    while len(strings) < count:
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 14)))
        strings.append(text)
    return strings


CASES = HOSTILE + random_strings(400, seed=20240115)
LINES = [s for s in HOSTILE + random_strings(300, seed=20250101, newlines=False) if "\n" not in s]


@pytest.mark.parametrize("text", CASES, ids=range(len(CASES)))
def test_md_text_is_one_plain_paragraph_with_the_same_text(text: str) -> None:
    assert paragraph_text(md_text(text)) == text
    assert paragraph_text(md_text(text), GFM_LIKE) == text  # tables and ~~strikethrough~~ too


@pytest.mark.parametrize("text", LINES, ids=range(len(LINES)))
def test_md_text_in_a_heading_keeps_the_title(text: str) -> None:
    out = COMMONMARK.render("# " + md_text(text))
    match = re.fullmatch(r"<h1>(.*)</h1>\n", out, re.S)
    assert match and "<" not in match.group(1), out
    assert html.unescape(match.group(1)) == text


def table_cells(markdown_row: str) -> list[str]:
    out = WITH_TABLES.render(f"| 甲 | 乙 |\n| --- | --- |\n{markdown_row}\n")
    bodies = re.findall(r"<tbody>\n(.*)</tbody>", out, re.S)
    assert len(bodies) == 1 and out.count("<table>") == 1, out
    rows = re.findall(r"<tr>\n(.*?)</tr>", bodies[0], re.S)
    assert len(rows) == 1, out
    cells = re.findall(r"<td>(.*?)</td>\n", rows[0], re.S)
    assert len(cells) == 2, out
    assert all("<" not in c for c in cells), out
    return [html.unescape(c) for c in cells]


@pytest.mark.parametrize("text", LINES, ids=range(len(LINES)))
def test_md_cell_stays_one_cell_with_the_same_text(text: str) -> None:
    assert table_cells(f"| {md_cell(text)} | 零 |") == [text, "零"]


def test_md_cell_joins_lines_so_the_row_is_not_cut() -> None:
    cell = md_cell("第一行\n- 第二行|")
    assert table_cells(f"| {cell} | 零 |") == ["第一行 - 第二行|", "零"]


def test_ordinary_text_and_full_width_punctuation_are_left_alone() -> None:
    ordinary = [FULL_WIDTH, "1.依申请公开办理情况：无。", "2023年1.5万元，增长12%", "A&B", "x < y", "x > y", "１．全角"]
    ordinary += ["-5℃", "1~3月", "7*7", "C:\\文件夹", "#5号文件", "[注", "注]", "x | y"]
    for text in ordinary:
        assert md_text(text) == text


def test_markup_is_escaped_where_it_starts() -> None:
    assert md_text("1. 列表项") == "1\\. 列表项"  # not "\\1.": a backslash before a digit is printed as is
    assert md_text("1) 列表项") == "1\\) 列表项"
    assert md_text("- 项") == "\\- 项"
    assert md_text("**x**") == "\\*\\*x\\*\\*"
    assert md_text("<b>x</b>") == "&lt;b>x&lt;/b>"


def report_with(overview: str, title: str = "") -> model.Report:
    session = model.Session(
        meta=model.Meta(agency="测试街道", year=2023, title=title),
        narrative={"overview": [model.Block(text=overview)], "other": [model.Block(text="> 引用\n===\n`代码`")]},
    )
    return model.derive_report(session)


def test_the_markdown_report_keeps_every_clerk_paragraph_plain() -> None:
    hostile = [s for s in HOSTILE if "\n" not in s and s.strip()]
    report = report_with("\n".join(hostile), title="**测试** 报告 #")
    out = WITH_TABLES.render(render.render_report(report, "md"))
    tags = set(re.findall(r"</?([a-z0-9]+)", out))
    assert tags <= {"h1", "h2", "p", "strong", "blockquote", "table", "thead", "tbody", "tr", "th", "td"}, tags
    assert [html.unescape(h) for h in re.findall(r"<h1>(.*?)</h1>", out)] == ["**测试** 报告 #"]
    assert out.count("<h2>") == len(form.SECTIONS)
    assert out.count("<table>") == len(form.T2_BLOCKS) + 2
    paragraphs = [html.unescape(p) for p in re.findall(r"<p>(.*?)</p>", out, re.S)]
    expected = [p for s in form.SECTIONS if s.narrative for p in narrative.section_paragraphs(report, s.id)]
    assert expected and all(p.strip() == p for p in expected)
    found = iter(paragraphs)
    assert all(any(p == q for q in found) for p in expected), "every clerk paragraph, in order, as one <p>"


def test_the_example_markdown_has_no_stray_markup() -> None:
    from report_wizard import store
    from report_wizard.core import paths

    report = model.derive_report(store.load_session(paths.example_session()))
    out = WITH_TABLES.render(render.render_report(report, "md"))
    tags = set(re.findall(r"</?([a-z0-9]+)", out))
    assert tags <= {"h1", "h2", "p", "strong", "table", "thead", "tbody", "tr", "th", "td"}, tags
