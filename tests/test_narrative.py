"""Narrative sections: verbatim clerk text, numbering by role, sentences generated from the tables, S-COPY."""

from __future__ import annotations

from pathlib import Path

import pytest

from report_wizard.core import form
from report_wizard.core.model import Block, Meta, Report, Session, derive_report
from report_wizard.narrative import paragraphs as narrative
from report_wizard.narrative.paragraphs import (
    copy_ratio,
    measures_for,
    numbered,
    other_options,
    overview_options,
    phrase_text,
    problems_catalogue,
    s_copy_findings,
    section_paragraphs,
    section_text,
    strip_ordinal,
    suggest_section,
)

SEED = Path(__file__).parent / "fixtures" / "seed-xidajie-2023.txt"


def make(
    narr: dict[str, list[Block]] | None = None,
    cells: dict | None = None,
    kind: str = "subdistrict",
    year: int = 2023,
) -> Report:
    meta = Meta(agency="西大街街道", agency_kind=kind, superior="文峰区人民政府", year=year)
    return derive_report(Session(meta=meta, cells=cells or {}, narrative=narr or {}))


def seed_section(section: str) -> list[str]:
    """The seed's paragraphs of a narrative section (non-empty lines between its heading and the next)."""
    text = SEED.read_text(encoding="utf-8")
    headings = [s.heading for s in form.SECTIONS]
    i = headings.index(form.SECTION_BY_ID[section].heading)
    body = text.split(headings[i], 1)[1]
    if i + 1 < len(headings):
        body = body.split(headings[i + 1], 1)[0]
    return [line.strip() for line in body.splitlines() if line.strip()]


# ---------------------------------------------------------------- clerk text
@pytest.mark.parametrize("section", form.NARRATIVE_SECTIONS)
def test_seed_sections_render_exactly_from_plain_blocks(section: str) -> None:
    lines = seed_section(section)
    assert lines
    one_block = make({section: [Block(text="\n".join(lines))]})
    per_line = make({section: [Block(text=line) for line in lines]})
    assert section_paragraphs(one_block, section) == lines
    assert section_paragraphs(per_line, section) == lines


def test_clerk_text_is_verbatim_never_a_template() -> None:
    text = "本年度{{ 7*7 }}件，{% if x %}原样{% endif %}保留。"
    report = make({"overview": [Block(text=text)], "problems": [Block(text=text, role="problem")]})
    assert section_paragraphs(report, "overview") == [text]
    assert section_paragraphs(report, "problems") == ["一是" + text]
    assert phrase_text(Block(text=text), report) == text


# ---------------------------------------------------------------- numbering
def test_problems_join_into_one_paragraph_and_measures_are_numbered() -> None:
    blocks = [
        Block(text="回顾2023年工作，主要存在以下问题：", role="problems_intro"),
        Block(text="宣传不够。", role="problem"),
        Block(text="内容不全面", role="problem"),  # no full stop: one is added
        Block(text="认识不到位。", role="problem"),
        Block(text="针对以上问题，2024年将通过以下措施加以改进：", role="measures_intro"),
        Block(text="强化认识。", role="measure"),
        Block(text="加强宣传。", role="measure"),
    ]
    assert section_paragraphs(make({"problems": blocks}), "problems") == [
        "回顾2023年工作，主要存在以下问题：一是宣传不够。二是内容不全面。三是认识不到位。",
        "针对以上问题，2024年将通过以下措施加以改进：",
        "一是强化认识。",
        "二是加强宣传。",
    ]


def test_reordering_and_dropping_blocks_renumbers() -> None:
    a, b, c = (Block(text=t, role="problem") for t in ("甲。", "乙。", "丙。"))
    assert section_paragraphs(make({"problems": [c, a]}), "problems") == ["一是丙。二是甲。"]
    assert section_paragraphs(make({"problems": [b]}), "problems") == ["一是乙。"]


def test_numbering_beyond_ten() -> None:
    blocks = [Block(text=f"措施{i}。", role="measure") for i in range(1, 13)]
    paragraphs = section_paragraphs(make({"problems": blocks}), "problems")
    assert paragraphs[9] == "十是措施10。"
    assert paragraphs[10] == "十一是措施11。"
    assert paragraphs[11] == "十二是措施12。"
    problems = [Block(text=f"问题{i}。", role="problem") for i in range(1, 12)]
    assert "十一是问题11。" in section_paragraphs(make({"problems": problems}), "problems")[0]


@pytest.mark.parametrize(
    "typed",
    [
        "一是宣传不够。",
        "二是宣传不够。",
        "二是，宣传不够。",
        "（一）宣传不够。",
        "1.宣传不够。",
        "1、宣传不够。",
        "第一，宣传不够。",
    ],
)
def test_typed_numbering_is_not_doubled(typed: str) -> None:
    blocks = [Block(text="认识不到位。", role="problem"), Block(text=typed, role="problem")]
    assert section_paragraphs(make({"problems": blocks}), "problems") == ["一是认识不到位。二是宣传不够。"]
    measures = [Block(text="强化认识。", role="measure"), Block(text=typed, role="measure")]
    assert section_paragraphs(make({"problems": measures}), "problems") == ["一是强化认识。", "二是宣传不够。"]


def test_text_that_only_looks_numbered_is_kept() -> None:
    assert strip_ordinal("1.5万元的收费未公开。") == "1.5万元的收费未公开。"
    assert strip_ordinal("一是一、二是二的作风不够。") == "一、二是二的作风不够。"
    assert numbered("2023年宣传不够。", 3) == "三是2023年宣传不够。"


def test_overview_points_get_numbered_headings() -> None:
    blocks = [
        Block(text="现将情况报告如下：", role="intro"),
        Block(text="全年公开信息50条。", role="proactive"),
        Block(text="另设公开栏。", role="proactive"),
        Block(text="依申请公开方面，本年度未收到申请。", role="on_request"),
        Block(text="（九）政府信息管理情况。规范审核。", role="management"),
        Block(text="没有角色的段落。"),
    ]
    assert section_paragraphs(make({"overview": blocks}), "overview") == [
        "现将情况报告如下：",
        "（一）主动公开。全年公开信息50条。",
        "另设公开栏。",
        "（二）依申请公开方面，本年度未收到申请。",
        "（三）政府信息管理情况。规范审核。",
        "没有角色的段落。",
    ]


# ---------------------------------------------------------------- sentences generated from the tables
def on_request_text(cells: dict) -> str:
    blocks = [
        Block(phrase="overview.on_request.numbers", role="on_request"),
        Block(phrase="overview.on_request.review_litigation", role="on_request"),
    ]
    return section_text(make({"overview": blocks}, cells), "overview")


def test_request_sentence_follows_the_tables() -> None:
    zero = on_request_text({})
    assert "本年度未收到政府信息公开申请。" in zero
    assert "本年度未发生因政府信息公开引起的行政复议、行政诉讼案件。" in zero
    busy = on_request_text(
        {
            "t3.new_requests.natural_person": 3,
            "t3.new_requests.commercial": 2,
            "t3.carried_over.natural_person": 1,
            "t3.results.disclosed.natural_person": 2,
            "t3.results.unable.not_held.commercial": 2,
            "t3.carried_forward.natural_person": 2,
            "t4.review.corrected": 1,
        }
    )
    assert "未收到" not in busy
    assert "新收政府信息公开申请5件（其中自然人申请3件、法人或其他组织申请2件），上年结转1件。" in busy
    assert "本年度办结4件，其中予以公开2件、无法提供2件；结转下年度继续办理2件。" in busy
    assert "被申请行政复议1件（结果纠正1件），未发生因政府信息公开引起的行政诉讼案件。" in busy


def test_request_sentence_when_only_carried_over() -> None:
    text = on_request_text({"t3.carried_over.natural_person": 1, "t3.carried_forward.natural_person": 1})
    assert "未新收政府信息公开申请，上年结转1件。" in text
    assert "尚未办结，结转下年度继续办理1件。" in text
    assert "未收到" not in text


def test_fee_sentence_follows_table_and_params() -> None:
    block = Block(phrase="other.fee.standard", role="fee")
    assert section_text(make({"other": [block]}), "other") == "本年度，西大街街道未收取政府信息公开信息处理费。"
    unpaid = section_text(make({"other": [block]}, {"t3.results.other.fee_unpaid.natural_person": 2}), "other")
    assert "收费通知" in unpaid and "不再处理的申请2件" in unpaid and "未收取" not in unpaid
    with_params = Block(phrase="other.fee.standard", role="fee", params={"fee_notices": 3, "fee_amount": 250.5})
    text = section_text(make({"other": [with_params]}), "other")
    assert "收费通知3件，通知收费金额250.5元，未实际收取信息处理费。" in text


# ---------------------------------------------------------------- pickers and suggestions
def test_pickers_filter_by_agency_kind() -> None:
    ids = {p.id for p in problems_catalogue("subdistrict")}
    assert "problem.boards" in ids and "problem.interpretation" not in ids
    assert "problem.interpretation" in {p.id for p in problems_catalogue("county_government")}
    assert [m.id for m in measures_for("problem.publicity")] == [
        "measure.publicity.channels",
        "measure.publicity.guidance",
    ]
    assert all(p.role == "platforms" for p in overview_options("platforms", "county_department"))
    assert "overview.platforms.gazette" not in {p.id for p in overview_options("platforms", "subdistrict")}
    roles = {p.role for p in other_options("county_government")}
    assert {"fee", "work_points", "proposals"} <= roles
    assert not {"work_points", "proposals"} & {p.role for p in other_options("subdistrict")}


@pytest.mark.parametrize("kind", [k for k, _ in form.AGENCY_KINDS])
def test_suggested_sections_are_complete(kind: str) -> None:
    base = make(kind=kind)
    narr = {s: suggest_section(base, s) for s in form.NARRATIVE_SECTIONS}
    report = make(narr, kind=kind)
    overview = section_text(report, "overview")
    for i, (_, label) in enumerate(form.OVERVIEW_POINTS, 1):
        assert f"（{'一二三四五'[i - 1]}）{label}" in overview
    assert [b.role for b in narr["overview"]].count("intro") == 1
    problems = section_paragraphs(report, "problems")
    assert problems[0].startswith("回顾2023年") and "一是" in problems[0] and "三是" in problems[0]
    assert all("2024年" in p for p in problems[1:])
    assert problems[-1].startswith("三是")
    other = section_text(report, "other")
    assert "信息处理费" in other
    assert ("政务公开工作要点" in other) == (kind in form.GOVERNMENT_KINDS)
    assert ("人大代表建议" in other) == (kind in form.GOVERNMENT_KINDS)
    assert ("工作考核" in overview) == (kind in form.GOVERNMENT_KINDS)
    for text in (overview, other, "".join(problems)):
        assert "{" not in text and "}" not in text


def test_phrase_text_previews_a_library_block() -> None:
    report = make()
    preview = phrase_text(Block(phrase="measures.intro.focus"), report)
    assert preview == "针对上述问题，2024年，西大街街道将重点做好以下工作："


# ---------------------------------------------------------------- S-COPY
LAST = "对政府信息公开宣传不够，导致群众关注度不够。信息公开内容不全面、质量不高，工作人员兼职负责，人少事多。"


def test_copy_ratio() -> None:
    assert copy_ratio(LAST, LAST) == 1.0
    assert copy_ratio("", LAST) == 0.0
    assert copy_ratio(LAST, "") == 0.0
    # the year and counts changed, spacing changed: still a copy
    assert copy_ratio("2024 年" + LAST, "2023年" + LAST) == 1.0
    # reordered sentences are still copied text
    first, second = LAST.split("。")[:2]
    assert copy_ratio(f"{second}。{first}。", LAST) > 0.95
    fresh = "本年度街道新建了便民服务中心查阅点，群众可以现场查询惠民补贴的办理结果和办理进度。"
    assert copy_ratio(fresh, LAST) < 0.1
    half = copy_ratio(LAST + fresh, LAST)
    assert 0.45 < half < 0.6


def test_s_copy_findings() -> None:
    def blocks(text: str) -> list[Block]:
        return [Block(text=text)]

    fee = "本年度，本机关未收取信息处理费。"
    last = make({"overview": blocks(LAST * 2), "problems": blocks(LAST), "other": blocks(fee)}, year=2022)
    this = make(
        {
            "overview": blocks(
                "本年度街道新建了便民服务中心查阅点，群众可以现场查询惠民补贴的办理结果和办理进度。" * 2
            ),
            "problems": blocks(LAST.replace("2022", "2023")),
            "other": blocks(fee),  # identical but short: expected to repeat every year
        }
    )
    findings = s_copy_findings(this, last)
    assert [s for s, _ in findings] == ["problems"]
    assert findings[0][1] == 1.0
    assert narrative.s_copy_findings(this, this, min_chars=0)[-1][0] == "other"
