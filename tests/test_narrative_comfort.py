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


def test_choosing_own_text_starts_from_the_current_text_and_enter_keeps_it() -> None:
    iv = at_section("problems")
    drive(iv, ["", "1 2", "", "", ""])  # 用段落库: two problems, their measures, no edit, the order
    printed = section_paragraphs(iv.report(), "problems")
    assert len(printed) >= 3
    iv.goto_section("problems")  # its first question, the mode, then the rest of the section
    drive(iv, ["2"])  # 自己写
    ask = iv.current()
    assert ask.id == "problems.paragraph.1"
    assert ask.prefill == "\n".join(printed)  # the box starts with the section as it reads
    assert printed[0][:20] in ask.enter  # and Enter says it keeps it
    drive(iv, ["", ""])  # keep it; no further paragraph
    assert section_paragraphs(iv.report(), "problems") == printed
    assert all(b.text and not b.phrase for b in iv.session.narrative["problems"])  # now the clerk's own text


def test_own_text_edited_from_the_library_text_and_the_library_picks_still_there() -> None:
    iv = at_section("other")
    drive(iv, ["", "", ""])  # the library's suggestion for 六
    printed = section_paragraphs(iv.report(), "other")
    iv.goto_section("other")
    drive(iv, ["2"])
    edited = iv.current().prefill.replace("未收取", "没有收取")
    assert edited != iv.current().prefill
    drive(iv, [edited, ""])
    assert section_paragraphs(iv.report(), "other") == [p.replace("未收取", "没有收取") for p in printed]
    iv.goto_section("other")
    drive(iv, ["1"])  # back to the library: its picks were kept as answers
    assert section_paragraphs(iv.report(), "other") == printed


def test_own_text_started_from_the_library_survives_a_restart(tmp_path) -> None:
    from report_wizard import store
    from report_wizard.interview import Interview

    iv = at_section("other")
    drive(iv, ["", "", ""])
    printed = section_paragraphs(iv.report(), "other")
    iv.goto_section("other")
    drive(iv, ["2"])
    path = tmp_path / "s.toml"
    store.save_session(iv.session, path)
    again = Interview(store.load_session(path))
    ask = again.goto("other.paragraph.1")
    assert ask.prefill == "\n".join(printed)
    assert [f for f in again.findings() if f.level == "error"] == []


def test_the_website_is_asked_once_and_used_in_sections_one_and_six() -> None:
    iv = at_section("overview", "county_government")
    while iv.current().id != "overview.website":
        drive(iv, [""])
    ask = iv.current()
    assert "测试街道门户网站" in ask.enter  # the guess is shown, not used silently
    drive(iv, ["测试县政府网信息公开专栏"])
    while iv.current() is not None:
        drive(iv, [""])
    overview = "\n".join(section_paragraphs(iv.report(), "overview"))
    other = "\n".join(section_paragraphs(iv.report(), "other"))
    assert "测试县政府网信息公开专栏" in overview and "门户网站" not in overview
    assert "人大代表建议" in other  # pre-selected for a government
    assert "已在测试县政府网信息公开专栏公开" in other
    assert sum(a == "overview.website" for a in iv.session.answers) == 1


def test_a_department_is_not_given_its_superiors_portal_without_being_asked() -> None:
    iv = at_section("overview", "city_department", superior="上海市人民政府")
    asked = []
    while iv.current() is not None and iv.current().section == "overview":
        asked.append(iv.current().id)
        drive(iv, [""])
    assert "overview.website" in asked  # Enter accepted the superior's portal, but the clerk saw the question
