"""The interview engine driven with lists of answers, no UI: gates, provenance, edits, undo, resume, the seed."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import GATE_QUESTIONS, TABLE_SECTIONS, drive, new_interview, seed_answers
from report_wizard import store
from report_wizard.core import form, paths
from report_wizard.core.model import Provenance, Session, derive_report
from report_wizard.interview import Interview, SectionState
from report_wizard.output.render import render_report


def enter_through(iv: Interview, sections: tuple[str, ...]) -> list[str]:
    asked = []
    while (ask := iv.current()) is not None and ask.section in sections:
        asked += drive(iv, [""])
    return asked


def dump(session: Session) -> dict:
    return session.model_dump()


# ---------------------------------------------------------------- gates and provenance
def test_enter_on_every_gate_gives_zero_consistent_tables_in_eight_answers() -> None:
    iv = new_interview()
    drive(iv, [""] * 5)  # basics: the session's own values
    asked = enter_through(iv, TABLE_SECTIONS)
    assert len(asked) == 8  # within the budget of ten answers, and exactly the eight gates
    assert asked == GATE_QUESTIONS
    report = iv.report()
    assert all(report.values[c] == 0 for c in form.ALL_CELLS)
    assert not [f for f in iv.findings() if f.section in TABLE_SECTIONS]
    assert all(report.sources[c] in (Provenance.DEFAULT, Provenance.COMPUTED) for c in form.ALL_CELLS)
    assert iv.default_sections() == list(TABLE_SECTIONS)
    assert iv.current().section == "overview"


def test_zeros_typed_or_confirmed_with_no_are_entered() -> None:
    iv = new_interview()
    drive(iv, [""] * 5 + ["否", "0", "无", "没有", "０", "否", "没有", "无"])
    report = iv.report()
    assert report.sources[form.t3_cell("new_requests", "natural_person")] == Provenance.ENTERED
    assert report.sources["t2.permits.decisions"] == Provenance.ENTERED
    assert report.sources[form.t4_cell("review", "upheld")] == Provenance.ENTERED
    # never asked of a 街道: its 规章 stay default zeros
    assert report.sources["t2.regulations.issued"] == Provenance.DEFAULT
    assert iv.default_sections() == []


def test_regulations_are_asked_only_of_agencies_that_make_them() -> None:
    street = new_interview()
    drive(street, [""] * 5)
    assert not any(q.startswith("proactive.regulations") for q in enter_through(street, ("proactive",)))

    city = new_interview("city_government")
    drive(city, [""] * 5)
    assert city.current().id == "proactive.regulations.gate"
    drive(city, ["是", "2", "1", "30"])
    assert city.report().t2("regulations", "in_force") == 30
    assert city.report().t2("regulations", "issued") == 2


def test_agency_kind_answer_changes_the_questions() -> None:
    iv = new_interview("city_government")
    drive(iv, ["", "", "", "", "", "是", "2", "0", "5"])
    assert iv.report().t2("regulations", "in_force") == 5
    iv.goto("basics.agency_kind")
    drive(iv, ["1"])  # 街道/乡镇: no 规章 at all
    assert iv.session.meta.agency_kind == "subdistrict"
    assert iv.report().t2("regulations", "in_force") == 0
    assert "proactive.regulations.gate" in iv.session.answers  # kept, in case the kind is changed back


# ---------------------------------------------------------------- the seed report
def test_seed_answers_give_the_example_report() -> None:
    iv = Interview(store.new_session("未命名", 2024))
    asked = drive(iv, seed_answers())
    assert iv.current() is None
    assert sum(q.split(".")[0] in TABLE_SECTIONS for q in asked) == 8
    example = store.load_session(paths.example_session())
    assert render_report(derive_report(iv.session), "txt") == render_report(derive_report(example), "txt")
    assert iv.session.meta.model_dump(include={"agency", "agency_kind", "superior", "year", "title"}) == (
        example.meta.model_dump(include={"agency", "agency_kind", "superior", "year", "title"})
    )
    assert iv.session.narrative == example.narrative
    assert iv.findings() == []
    states = iv.section_states()
    assert set(states.values()) == {SectionState.DONE}
    assert list(iv.session.answers)[-1] == "other.paragraph.2"
    assert iv.session.answers["overview.paragraph.3"].startswith("二、加强学习培训")


# ---------------------------------------------------------------- bad input, confirmation
@pytest.mark.parametrize(
    ("text", "fragment"), [("abc", "没看懂"), ("-3", "负数"), ("3.5", "整数"), ("十万零", "没看懂“十万零”")]
)
def test_bad_inputs_are_explained_and_change_nothing(text: str, fragment: str) -> None:
    iv = new_interview()
    drive(iv, [""] * 10 + ["是", "1"])
    assert iv.current().id == "requests.new.natural_person"
    before = dump(iv.session)
    reply = iv.answer(text)
    assert not reply.ok
    assert fragment in reply.message
    assert dump(iv.session) == before
    assert iv.current().id == "requests.new.natural_person"
    assert drive(iv, ["３件"]) == ["requests.new.natural_person"]
    assert iv.report().t3("new_requests", "natural_person") == 3


def test_enter_is_refused_where_an_answer_is_required() -> None:
    iv = new_interview()
    drive(iv, [""] * 10 + ["是"])
    ask = iv.current()
    assert ask.id == "requests.new.types" and ask.required
    reply = iv.answer("")
    assert not reply.ok and "需要回答" in reply.message


def test_implausible_number_asks_to_confirm() -> None:
    iv = new_interview()
    drive(iv, [""] * 10 + ["是", "1"])
    before = dump(iv.session)
    reply = iv.answer("200000")
    assert not reply.ok and reply.needs_confirmation
    assert "200,000" in reply.message and "街道/乡镇" in reply.message
    ask = iv.current()
    assert ask.confirming and ask.kind == "yesno" and ask.id == "requests.new.natural_person"
    assert dump(iv.session) == before
    reply = iv.answer("否")
    assert not reply.ok
    assert dump(iv.session) == before
    assert not iv.current().confirming
    iv.answer("200000")
    reply = iv.answer("是")
    assert reply.ok
    assert iv.report().t3("new_requests", "natural_person") == 200000
    assert iv.current().id == "requests.carried.gate"


# ---------------------------------------------------------------- undo, edit, resume
def test_undo_restores_the_previous_state_exactly() -> None:
    iv = new_interview()
    states = [dump(iv.session)]
    for text in ["", "", "文峰区人民政府", "", "", "是", "3", "1", "4", "", "2", "", "1.5", "是", "1 2", "8"]:
        drive(iv, [text])
        states.append(dump(iv.session))
    for state in reversed(states[:-1]):
        reply = iv.undo()
        assert reply is not None and reply.ok and "已撤销" in reply.message
        assert dump(iv.session) == state
    assert iv.undo() is None


def test_undo_after_a_restart_forgets_the_last_answer() -> None:
    iv = new_interview()
    drive(iv, [""] * 10 + ["是", "1", "7"])
    session = iv.session
    again = Interview(session)
    assert again.current().id == "requests.carried.gate"
    reply = again.undo()
    assert reply.ok and reply.question_id == "requests.new.natural_person"
    assert "requests.new.natural_person" not in session.answers
    assert again.report().t3("new_requests", "natural_person") == 0
    assert again.current().id == "requests.new.natural_person"


def test_goto_edits_an_earlier_answer_and_keeps_later_ones() -> None:
    iv = new_interview()
    drive(iv, ["", "", "", "", "", "否", "3", "", "", "", ""])
    later = dict(iv.session.answers)
    ask = iv.goto("proactive.permits")
    assert ask.current_answer == "3" and ask.default == "3"
    reply = iv.answer("5")
    assert reply.ok and "t2.permits.decisions" in reply.changed
    assert iv.report().t2("permits", "decisions") == 5
    assert set(iv.session.answers) == set(later)
    assert iv.current().id == "requests.carried.gate"  # back where the clerk was
    assert list(iv.session.answers)[-1] == "proactive.permits"  # answers are kept in the order given


def test_enter_on_an_edited_question_keeps_its_answer() -> None:
    iv = new_interview()
    drive(iv, ["", "", "", "", "", "否", "3"])
    iv.goto("proactive.permits")
    drive(iv, [""])
    assert iv.session.answers["proactive.permits"] == 3


def test_resume_at_tracks_the_question_showing() -> None:
    iv = new_interview()
    drive(iv, [""] * 7)
    assert iv.session.meta.resume_at == iv.current().id == "proactive.penalties"
    iv.goto("basics.superior")
    assert iv.session.meta.resume_at == "basics.superior"
    again = Interview(iv.session)
    assert again.current().id == "basics.superior"
    drive(again, ["某区人民政府"])
    assert again.current().id == "proactive.penalties"


def test_transcript_is_rebuilt_for_a_resumed_session(tmp_path: Path) -> None:
    iv = new_interview()
    drive(iv, ["", "", "文峰区人民政府", "", "", "", "2", "", "", "", "是", "1 2", "3", "4"])
    turns = iv.transcript()
    path = tmp_path / "s.toml"
    store.save_session(iv.session, path)
    resumed = Interview(store.load_session(path))
    assert resumed.transcript() == turns
    assert [t.question_id for t in turns][:3] == ["basics.agency", "basics.agency_kind", "basics.superior"]
    first_gate = turns[5]
    assert first_gate.question_id == "proactive.normative_documents.gate"
    assert (first_gate.answer, first_gate.defaulted) == ("否", True)
    assert turns[6].answer == "2" and not turns[6].defaulted
    assert turns[11].answer == "自然人、商业企业"
    assert resumed.current().id == iv.current().id == "requests.carried.gate"


def test_goto_section_walks_through_the_section() -> None:
    iv = new_interview()
    ask = iv.goto_section("problems")
    assert ask.id == "problems.mode"
    drive(iv, ["自己写", "一是宣传不够。", "二是质量不高。"])
    assert iv.current().id == "problems.paragraph.3"
    drive(iv, [""])
    assert iv.current().id == "basics.agency"  # section done: back to the first open question
    assert [b.text for b in iv.session.narrative["problems"]] == ["一是宣传不够。", "二是质量不高。"]
    with pytest.raises(KeyError):
        iv.goto_section("nowhere")
    with pytest.raises(KeyError):
        iv.goto("requests.new.natural_person")  # not asked while the gate is closed


def test_narrative_paragraphs_edit_keeps_later_ones() -> None:
    iv = new_interview()
    iv.goto_section("overview")
    drive(iv, ["2", "第一段。", "第二段。", "第三段。", ""])
    assert [b.text for b in iv.session.narrative["overview"]] == ["第一段。", "第二段。", "第三段。"]
    assert "overview.paragraph.4" in iv.session.answers
    iv.goto("overview.paragraph.2")
    drive(iv, ["改过的第二段。"])
    assert [b.text for b in iv.session.narrative["overview"]] == ["第一段。", "改过的第二段。", "第三段。"]
    ask = iv.goto("overview.paragraph.4")
    assert "已写 3 段" in ask.text


def test_section_states() -> None:
    iv = new_interview()
    assert set(iv.section_states().values()) == {SectionState.NOT_STARTED}
    drive(iv, ["", ""])
    assert iv.section_states()["basics"] == SectionState.IN_PROGRESS
    drive(iv, ["", "", ""])
    assert iv.section_states()["basics"] == SectionState.DONE
    iv.goto_section("other")
    drive(iv, ["先不写"])  # nothing written in 六: the S-EMPTY warning is now a problem to look at
    assert iv.section_states()["other"] == SectionState.PROBLEM
    finding = next(f for f in iv.findings() if f.section == "other")
    assert iv.question_for(finding) == "other.mode"


def test_the_engine_does_not_import_textual() -> None:
    import subprocess
    import sys

    code = "import sys, report_wizard.interview, report_wizard.cli.plain; print('textual' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


# ---------------------------------------------------------------- sessions not made by the interview
def test_hand_edited_answers_that_make_no_sense_are_asked_again() -> None:
    session = store.new_session("西大街街道", 2023)
    session.answers.update({"basics.agency": "西大街街道", "proactive.permits": "很多", "requests.new.types": ["x"]})
    iv = Interview(session)
    assert iv.report().t2("permits", "decisions") == 0
    iv.goto("proactive.permits")
    drive(iv, ["4"])
    assert iv.report().t2("permits", "decisions") == 4
    assert iv.current().id == "basics.agency_kind"


def test_the_example_keeps_its_text_unless_the_clerk_types_over_it() -> None:
    example = store.load_session(paths.example_session())
    text = render_report(derive_report(example), "txt")
    iv = Interview(example)
    drive(iv, [""] * 13)  # basics, every gate
    ask = iv.current()
    assert ask.id == "overview.mode" and ask.default.startswith("先不写")
    drive(iv, [""])  # 先不写 by default: the example's eight paragraphs stay
    assert render_report(derive_report(iv.session), "txt") == text
    iv.goto("overview.mode")
    drive(iv, ["自己写", "新写的一段。", ""])
    assert [b.text for b in iv.session.narrative["overview"]] == ["新写的一段。"]
    iv.goto("overview.paragraph.1")
    drive(iv, [""])  # Enter on an answer being edited keeps it
    assert [b.text for b in iv.session.narrative["overview"]] == ["新写的一段。"]
    iv.goto("overview.mode")
    drive(iv, ["先不写"])  # the typed paragraph is kept as an answer, the example's text comes back
    assert render_report(derive_report(iv.session), "txt") == text
    iv.undo()
    assert [b.text for b in iv.session.narrative["overview"]] == ["新写的一段。"]
    for _ in range(4):
        iv.undo()
    assert render_report(derive_report(iv.session), "txt") == text
