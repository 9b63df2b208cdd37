"""The paragraph library and the clerk's own text, as a clerk expects: paragraphs in the order picked, a pasted
text of several paragraphs kept as several paragraphs."""

from __future__ import annotations

from helpers import at_section, drive
from report_wizard.core.model import derive_report
from report_wizard.narrative.paragraphs import section_paragraphs


def test_paragraphs_are_printed_in_the_order_picked() -> None:
    iv = at_section("overview")
    drive(iv, ["", ""])  # 用段落库, the suggested opening
    ask = iv.current()
    assert ask.id == "overview.point.proactive" and len(ask.choices) >= 3
    keys = [k for k, _ in ask.choices]
    drive(iv, ["3 1"])
    assert iv.session.answers["overview.point.proactive"] == [keys[2], keys[0]]
    proactive = [b.phrase for b in iv.session.narrative["overview"] if b.role == "proactive"]
    assert proactive == [keys[2], keys[0]]


def test_problems_are_numbered_in_the_order_picked() -> None:
    iv = at_section("problems")
    drive(iv, [""])
    keys = [k for k, _ in iv.current().choices]
    drive(iv, ["4 2"])
    problems = [b.phrase for b in iv.session.narrative["problems"] if b.role == "problem"]
    assert problems == [keys[3], keys[1]]


def test_a_pasted_text_of_several_paragraphs_stays_several_paragraphs() -> None:
    iv = at_section("other")
    drive(iv, ["2", "本年度未收取信息处理费。\n\n本年度没有其他需要报告的事项。\n", ""])
    printed = section_paragraphs(derive_report(iv.session), "other")
    assert printed == ["本年度未收取信息处理费。", "本年度没有其他需要报告的事项。"]
