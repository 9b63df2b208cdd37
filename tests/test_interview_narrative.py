"""Sections 一、五、六 from the paragraph library in the interview: answer counts, numbering, own text kept
verbatim, reorder and drop, numbers that follow the tables, edits, undo and replay, plain mode."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from helpers import at_section, drive
from report_wizard import store
from report_wizard.checks import run_checks
from report_wizard.cli.plain import run_plain
from report_wizard.core import form
from report_wizard.core.model import Session, derive_report
from report_wizard.interview import Interview, SectionState
from report_wizard.interview.parse import ParseError, parse_order
from report_wizard.narrative.paragraphs import measures_for, problems_catalogue, section_paragraphs

KINDS = [k for k, _ in form.AGENCY_KINDS]
BASICS_AND_GATES = 5 + 8  # Enter on the basics and on every gate of a 街道 (more gates for kinds with 规章)


def count_section(iv: Interview, answers: list[str]) -> list[str]:
    """Answer a whole section; returns the question ids answered (the section must end with the last one)."""
    section = iv.current().section
    asked = drive(iv, answers)
    following = iv.current()
    assert (following.section if following else "") != section, f"{section} still asks {following.id}"
    return asked


def paragraphs(iv: Interview, section: str) -> list[str]:
    return section_paragraphs(derive_report(iv.session), section)


def text_of(iv: Interview, section: str) -> str:
    return "\n".join(paragraphs(iv, section))


def library_session(kind: str = "subdistrict") -> Interview:
    """Every figure zero, every narrative section from the library with Enter (problems 1 2 3)."""
    iv = at_section("overview", kind)
    drive(iv, [""] * 9)
    drive(iv, ["", "1 2 3", "", "", ""])
    while iv.current() is not None:
        drive(iv, [""])
    return iv


# ---------------------------------------------------------------- answer counts (the done-when)
def test_section_five_with_three_problems_and_three_measures_takes_five_answers() -> None:
    iv = at_section("problems")
    asked = count_section(iv, ["", "1 2 3", "", "", ""])
    assert asked == ["problems.mode", "problems.pick", "problems.measures", "problems.edit.1", "problems.order"]
    assert len(asked) == 5  # within the budget of six answers
    blocks = iv.session.narrative["problems"]
    assert [b.role for b in blocks].count("problem") == 3
    assert [b.role for b in blocks].count("measure") == 3


def test_section_one_with_all_five_points_takes_nine_answers() -> None:
    iv = at_section("overview")
    asked = count_section(iv, [""] * 9)
    assert asked == [
        "overview.mode",
        "overview.intro",
        *[f"overview.point.{p}" for p, _ in form.OVERVIEW_POINTS],
        "overview.website",  # the suggested platform paragraph names the website: asked once, not guessed
        "overview.edit.1",
    ]
    text = paragraphs(iv, "overview")
    heads = [p[:3] for p in text if p.startswith("（")]
    assert heads == ["（一）", "（二）", "（三）", "（四）", "（五）"]
    for n, (_, label) in zip("一二三四五", form.OVERVIEW_POINTS, strict=True):
        assert any(p.startswith(f"（{n}）{label}。") for p in text), label


def test_section_six_takes_three_answers_and_speaks_of_the_fee() -> None:
    iv = at_section("other")
    assert count_section(iv, ["", "", ""]) == ["other.mode", "other.items", "other.edit.1"]
    assert paragraphs(iv, "other") == ["本年度，测试街道未收取政府信息公开信息处理费。"]


def test_government_section_six_adds_work_points_and_proposals() -> None:
    iv = at_section("other", "county_government")
    drive(iv, ["", "", ""])
    roles = [b.role for b in iv.session.narrative["other"]]
    assert roles == ["fee", "work_points", "proposals"]
    text = text_of(iv, "other")
    assert "政务公开工作要点" in text and "人大代表建议和政协提案" in text


# ---------------------------------------------------------------- numbering and next year
def test_problems_are_numbered_in_one_paragraph_and_measures_each_numbered() -> None:
    iv = at_section("problems")
    drive(iv, ["", "1 2 3", "1 3 5", "", ""])
    intro, measures_intro, *measures = paragraphs(iv, "problems")
    assert re.search(r"：一是.+。二是.+。三是.+。$", intro)
    assert "四是" not in intro
    assert "2026年" in measures_intro
    assert [m[:2] for m in measures] == ["一是", "二是", "三是"]
    assert all("2026年" in m for m in measures)
    assert not [f for f in iv.findings() if f.rule == "S-YEAR"]


def test_measures_offered_are_the_linked_ones_one_per_problem_by_default() -> None:
    iv = at_section("problems")
    drive(iv, ["", "1 3"])
    ask = iv.current()
    catalogue = problems_catalogue("subdistrict")
    linked = [m.id for p in (catalogue[0], catalogue[2]) for m in measures_for(p.id)]
    assert [k for k, _ in ask.choices] == list(dict.fromkeys(linked))
    drive(iv, [""])
    chosen = [b.phrase for b in iv.session.narrative["problems"] if b.role == "measure"]
    assert chosen == [measures_for(catalogue[0].id)[0].id, measures_for(catalogue[2].id)[0].id]


@pytest.mark.parametrize("kind", KINDS)
def test_no_s_year_on_any_library_plan(kind: str) -> None:
    """Every problem and every linked measure a kind is offered, in one section: no S-YEAR warning."""
    iv = at_section("problems", kind)
    drive(iv, ["", "全部", "全部", "", ""])
    report = derive_report(iv.session)
    assert len([b for b in report.narrative["problems"] if b.role == "measure"]) >= 10
    assert not [f for f in run_checks(report) if f.rule == "S-YEAR"]


@pytest.mark.parametrize("kind", KINDS)
def test_library_picks_and_zero_gates_pass_every_check(kind: str) -> None:
    iv = library_session(kind)
    assert iv.current() is None
    assert run_checks(iv.report()) == []
    assert set(iv.section_states().values()) == {SectionState.DONE}


@pytest.mark.parametrize("kind", KINDS)
def test_every_library_option_with_zero_tables_gives_no_error(kind: str) -> None:
    """All phrases of 一 and 六 at once (the widest choice), against all-zero tables: no TX-ZERO or other error."""
    iv = at_section("overview", kind)
    drive(iv, [""])
    while iv.current().id in ("overview.intro", *(f"overview.point.{p}" for p, _ in form.OVERVIEW_POINTS)):
        drive(iv, [all_phrases(iv)])
    drive(iv, ["", "", "", "1", "", "", ""])  # 一 website, edit; 五: mode, one problem, its measure, edit, order
    drive(iv, ["", all_phrases(iv), ""])
    assert iv.current() is None
    assert [f for f in run_checks(iv.report()) if f.level == "error"] == []


def all_phrases(iv: Interview) -> str:
    """The answer that picks every library phrase offered (not 「自己写」), one of each pair of alternatives."""
    from report_wizard.narrative.phrases import library

    lib, seen, picks = library(), set(), []
    for n, (key, _) in enumerate(iv.current().choices, 1):
        alternative = lib.phrases[key].alternative if key in lib.phrases else ""
        if key == "own" or (alternative and alternative in seen):
            continue
        seen.add(alternative)
        picks.append(str(n))
    return " ".join(picks)


def test_two_ways_of_saying_the_same_thing_cannot_both_be_picked() -> None:
    """Both number sentences of （二）依申请公开 would print table 三's figures twice."""
    iv = at_section("overview")
    drive(iv, [""])
    while iv.current().id != "overview.point.on_request":
        drive(iv, [""])
    keys = [key for key, _ in iv.current().choices]
    both = f"{keys.index('overview.on_request.numbers') + 1} {keys.index('overview.on_request.numbers_formal') + 1}"
    before = dict(iv.session.answers)
    reply = iv.answer(both)
    assert not reply.ok and "只能选其中一个" in reply.message and "申请数量及办理结果" in reply.message
    assert iv.session.answers == before and iv.current().id == "overview.point.on_request"
    assert iv.answer(both.split()[1]).ok  # either one alone is fine


# ---------------------------------------------------------------- the clerk's own text
TEMPLATE_LOOKALIKE = "{{ 7*7 }} 我们自己写的，{% if x %}原样保留{% endif %}。"


def test_own_text_is_kept_verbatim_everywhere() -> None:
    iv = at_section("overview")
    drive(iv, ["", "", "1 4"])  # 主动公开: the first phrase and 「自己写这一方面」
    assert iv.current().id == "overview.own.proactive"
    drive(iv, [TEMPLATE_LOOKALIKE, "", "", "", "", "", ""])
    own = [p for p in paragraphs(iv, "overview") if TEMPLATE_LOOKALIKE in p]
    assert own == [TEMPLATE_LOOKALIKE]  # the point's heading went to its first paragraph
    drive(iv, ["", "1 2 3", "", "自己补充一个问题", "一是{{ 7*7 }}公开栏更新不及时", ""])
    assert iv.current().id == "problems.order"
    drive(iv, [""])
    intro = paragraphs(iv, "problems")[0]
    assert "四是{{ 7*7 }}公开栏更新不及时。" in intro  # numbered once, the text itself untouched
    blocks = iv.session.narrative["problems"]
    assert blocks[4].text == "一是{{ 7*7 }}公开栏更新不及时" and not blocks[4].phrase


def test_editing_a_paragraph_replaces_it_with_the_clerks_text() -> None:
    iv = at_section("problems")
    drive(iv, ["", "1 2 3", ""])
    ask = iv.current()
    target = next(n for n, (k, _) in enumerate(ask.choices, 1) if k == "measure.content.catalogue")
    drive(iv, [str(target)])
    ask = iv.current()
    assert ask.id == "problems.edit_text.1" and "对照目录抓落实" in ask.text
    assert ask.prefill.startswith("对照目录抓落实")
    drive(iv, ["对照区级目录逐项梳理，{{ next_year }}年全部公开到位。", ""])
    measures = [p for p in paragraphs(iv, "problems") if p.startswith(("一是", "二是", "三是"))]
    assert measures[1] == "二是对照区级目录逐项梳理，{{ next_year }}年全部公开到位。"


def test_enter_or_the_unchanged_text_keeps_the_library_paragraph() -> None:
    iv = at_section("problems")
    drive(iv, ["", "1", "", "2"])  # edit the first problem
    prefill = iv.current().prefill
    drive(iv, [""])
    drive(iv, ["2", prefill, ""])
    problem = iv.session.narrative["problems"][1]
    assert problem.phrase == "problem.publicity" and not problem.text


def test_delete_a_paragraph_and_add_one_of_ones_own() -> None:
    iv = at_section("overview")
    drive(iv, ["", "", "", "", "", "", "", "", "1", "删去"])  # mode, intro, five points, website, edit
    assert not [b for b in iv.session.narrative["overview"] if b.role == "intro"]
    drive(iv, ["自己补充一段", "以上是本年度的总体情况。", ""])
    assert paragraphs(iv, "overview")[-1] == "以上是本年度的总体情况。"
    assert paragraphs(iv, "overview")[0].startswith("（一）主动公开。")


def test_own_mode_types_paragraphs_and_switching_back_keeps_them_as_answers() -> None:
    iv = at_section("problems")
    drive(iv, ["自己写", "一是宣传不够。", "", "", ""])
    assert [b.text for b in iv.session.narrative["problems"]] == ["一是宣传不够。"]
    iv.goto("problems.mode")
    drive(iv, ["用段落库", "1", "", "", ""])
    assert all(b.phrase for b in iv.session.narrative["problems"])
    iv.goto("problems.mode")
    drive(iv, ["2"])
    assert [b.text for b in iv.session.narrative["problems"]] == ["一是宣传不够。"]


# ---------------------------------------------------------------- order
def test_reorder_and_drop() -> None:
    iv = at_section("problems")
    drive(iv, ["", "1 2 3", "", ""])
    ask = iv.current()
    assert ask.id == "problems.order" and ask.kind == "order" and ask.default == "保持不变"
    assert [label.split("：")[0] for _, label in ask.choices] == ["问题"] * 3 + ["措施"] * 3
    drive(iv, ["3 1 6 4"])  # problems 3 then 1 (2 dropped), measures 6 then 4 (5 dropped)
    assert "；删去：问题：公开内容不够全面" in iv.transcript()[-1].answer
    blocks = iv.session.narrative["problems"]
    assert [b.phrase for b in blocks] == [
        "problems.intro.review_year",
        "problem.staffing",
        "problem.publicity",
        "measures.intro.focus",
        "measure.staffing.team",
        "measure.publicity.channels",
    ]
    intro = paragraphs(iv, "problems")[0]
    assert intro.index("一是政务公开工作人员均为兼职") < intro.index("二是政府信息公开宣传力度不够")


def test_a_changed_pick_asks_the_order_again() -> None:
    iv = at_section("problems")
    drive(iv, ["", "1 2", "", "", "2 1 3 4"])
    assert iv.section_states()["problems"] == SectionState.DONE
    assert iv.current().id == "overview.mode"  # back to the first open question, outside 五
    iv.goto("problems.pick")
    drive(iv, ["1 2 5"])
    assert iv.section_states()["problems"] == SectionState.IN_PROGRESS
    assert iv.goto_section("problems").id == "problems.order"  # its answer no longer covers the list


@pytest.mark.parametrize(
    ("text", "expected"),
    [("2 1 3", ["b", "a", "c"]), ("213", ["b", "a", "c"]), ("3，1", ["c", "a", "-b"]), ("2", ["b", "-a", "-c"])],
)
def test_parse_order(text: str, expected: list[str]) -> None:
    assert parse_order(text, [("a", "甲"), ("b", "乙"), ("c", "丙")]) == expected


@pytest.mark.parametrize(("text", "fragment"), [("1 1", "两次"), ("4", "没看懂“4”"), ("", "新的顺序")])
def test_parse_order_refuses(text: str, fragment: str) -> None:
    with pytest.raises(ParseError, match=fragment):
        parse_order(text, [("a", "甲"), ("b", "乙"), ("c", "丙")])


# ---------------------------------------------------------------- numbers follow the tables
def test_request_sentence_follows_table_three_after_it_was_picked() -> None:
    iv = at_section("overview")
    drive(iv, [""] * 9)
    assert "（二）依申请公开。本年度未收到政府信息公开申请。" in paragraphs(iv, "overview")
    iv.goto("requests.new.gate")
    drive(iv, ["是", "1", "3", "1"])  # 3 new ones by 自然人 (none carried over: answered before), all 予以公开
    text = text_of(iv, "overview")
    assert "本年度新收政府信息公开申请3件" in text and "予以公开3件" in text
    assert "未收到政府信息公开申请" not in text
    assert [f for f in iv.findings() if f.rule in ("TX-NUM", "TX-ZERO")] == []


def test_parameters_are_changed_only_when_the_clerk_asks() -> None:
    iv = at_section("overview", superior="文峰区人民政府")
    drive(iv, [""] * 8)
    ask = iv.current()
    labels = dict(ask.choices)
    assert labels["param:website"] == "发布政府信息的网站：文峰区人民政府门户网站"
    website = next(n for n, (k, _) in enumerate(ask.choices, 1) if k == "param:website")
    items = next(n for n, (k, _) in enumerate(ask.choices, 1) if k == "param:published_items")
    drive(iv, [str(website), "文峰区政府网", str(items)])
    assert iv.current().kind == "count"
    drive(iv, ["36", ""])
    text = text_of(iv, "overview")
    assert "文峰区政府网" in text and "门户网站" not in text
    assert "全年主动公开政府信息36条。" in text


# ---------------------------------------------------------------- answers are the truth
def test_undo_through_library_answers_restores_each_state() -> None:
    iv = at_section("problems")
    states = [iv.session.model_dump()]
    for text in ["", "1 2 3", "", "2", "改过的问题", "自己补充一条改进措施", "自己的措施", "", "2 1 3 4 5 6 7"]:
        drive(iv, [text])
        states.append(iv.session.model_dump())
    for state in reversed(states[:-1]):
        assert iv.undo() is not None
        assert iv.session.model_dump() == state


def test_a_saved_library_session_replays_to_the_same_report(tmp_path: Path) -> None:
    iv = library_session()
    iv.goto("problems.order")
    drive(iv, ["2 1 3 5"])
    path = tmp_path / "s.toml"
    store.save_session(iv.session, path)
    loaded = store.load_session(path)
    again = Interview(loaded)
    assert again.session.narrative == iv.session.narrative
    assert again.transcript() == iv.transcript()
    assert again.current() is None


def test_changing_the_agency_kind_asks_the_picks_again() -> None:
    iv = library_session("subdistrict")
    iv.goto("problems.pick")
    drive(iv, ["10"])  # 政务公开栏等线下阵地管理不规范: offered to a 街道/乡镇 only
    iv.goto("basics.agency_kind")
    drive(iv, ["县区政府部门"])
    assert iv.current().id == "overview.point.proactive"  # the 街道 phrases do not suit a department
    ask = iv.goto_section("problems")
    assert ask.id == "problems.pick" and not ask.current_answer
    assert "problem.boards" not in [k for k, _ in ask.choices]


def test_a_hand_made_session_without_modes_keeps_its_typed_paragraphs() -> None:
    """Sessions typed before the library existed: paragraphs answered, no mode answer."""
    session = store.new_session("测试街道", 2025)
    session.answers.update({"problems.paragraph.1": "一是宣传不够。", "problems.paragraph.2": ""})
    iv = Interview(session)
    assert [b.text for b in session.narrative["problems"]] == ["一是宣传不够。"]
    iv.goto("problems.mode")
    assert iv.current().default.startswith("自己写")


# ---------------------------------------------------------------- plain mode
def test_plain_mode_lists_the_choices_and_builds_section_five(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    lines = [""] * BASICS_AND_GATES + ["3", "", "1 2 3", "", "", "3 2 1 4 5 6", "3"]
    out = io.StringIO()
    code = run_plain(path, store.new_session("测试街道", 2025), io.StringIO("".join(f"{t}\n" for t in lines)), out)
    assert code == 0
    text = out.getvalue()
    pick = text.index("问：本年工作中存在哪些主要问题？")
    assert "  1. 宣传不够，群众关注度不高" in text[pick:]
    assert "  1. 问题：宣传不够，群众关注度不高" in text[text.index("问：最后看一下顺序") :]
    saved: Session = store.load_session(path)
    problems = [b.phrase for b in saved.narrative["problems"] if b.role == "problem"]
    assert problems == ["problem.staffing", "problem.content_quality", "problem.publicity"]


def test_fee_sentence_follows_unpaid_requests_and_the_notices_typed() -> None:
    iv = at_section("other")
    drive(iv, ["", ""])
    assert text_of(iv, "other") == "本年度，测试街道未收取政府信息公开信息处理费。"
    iv.goto("requests.new.gate")
    drive(iv, ["是", "1", "1", "其他处理", "2"])  # one request, not processed: the fee was not paid
    assert iv.report().t3("results.other.fee_unpaid") == 1
    text = text_of(iv, "other")
    assert "因申请人逾期未按收费通知要求缴纳费用而不再处理的申请1件" in text
    assert not [f for f in iv.findings() if f.rule in ("T3-FEE", "S-FEE")]
    ask = iv.goto_section("other")
    assert ask.id == "other.edit.1"
    notices = next(n for n, (k, _) in enumerate(ask.choices, 1) if k == "param:fee_notices")
    drive(iv, [str(notices)])
    assert iv.current().id == "other.edit_number.1" and iv.current().default == "0"
    drive(iv, ["2", ""])
    assert "向申请人发出收费通知2件" in text_of(iv, "other")


def test_the_edit_question_shows_the_section_in_its_help() -> None:
    iv = at_section("overview")
    drive(iv, [""] * 8)
    ask = iv.current()
    assert ask.id == "overview.edit.1"
    assert "（二）依申请公开。本年度未收到政府信息公开申请。" in ask.help


def test_undo_after_a_restart_replays_the_section_without_the_last_answer() -> None:
    iv = at_section("problems")
    drive(iv, ["", "1 2 3", "", "自己补充一条改进措施", "自己的措施"])
    with_own = list(iv.session.narrative["problems"])
    drive(iv, ["", "2 1 3 4 5 6 7"])
    again = Interview(iv.session)  # a restart: no undo history, only the answers
    reply = again.undo()
    assert reply is not None and reply.question_id == "problems.order"
    assert again.session.narrative["problems"] == with_own
    assert again.current().id == "overview.mode"  # the first open question; 五 awaits its order again
    assert again.goto_section("problems").id == "problems.order"
