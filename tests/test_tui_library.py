"""Pilot test: section 五 from the paragraph library in the TUI at 80×24 — pick, accept, edit a prefilled
paragraph, reorder and drop — and what the review preview then shows."""

from __future__ import annotations

from pathlib import Path

from textual import events
from textual.widgets import Static

from helpers import BASICS, GATE_QUESTIONS, answer, interview_screen, make_app, new_file
from report_wizard.core.model import derive_report
from report_wizard.narrative.paragraphs import section_paragraphs
from report_wizard.store import load_session
from report_wizard.tui.screens.review import ReviewScreen
from report_wizard.tui.widgets.answer import ANSWER_LOOKS, OrderLook, TextLook

GATES_NO = dict.fromkeys(GATE_QUESTIONS, "")


async def test_section_five_from_the_library(tmp_path: Path) -> None:
    path = new_file(tmp_path, **BASICS, **GATES_NO, **{"overview.mode": "skip"})
    app = make_app(tmp_path, path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = interview_screen(app)
        assert screen.ask is not None and screen.ask.id == "problems.mode"
        await answer(pilot, "")  # 用段落库
        assert screen.ask.id == "problems.pick"
        listed = str(screen.box.query_one(".choices", Static).content)
        assert listed.count("\n") >= 5 and "11" in listed  # a long list: two columns, one row per line
        await answer(pilot, "1 2 3")
        await answer(pilot, "")  # one measure per problem
        assert screen.ask.id == "problems.edit.1"
        await pilot.press("2", "enter")  # more than nine choices: a number and Enter
        await pilot.pause()
        assert screen.ask.id == "problems.edit_text.1" and isinstance(screen.box.look, TextLook)
        assert screen.box.has_class("-multiline")
        area = screen.box.query_one("#answer")
        assert area.text == screen.ask.prefill != ""  # the paragraph to edit is in the box
        await pilot.press("backspace")
        app.post_message(events.Paste("，宣传阵地作用发挥不够。"))
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert screen.ask.id == "problems.edit.2"
        await answer(pilot, "")
        assert screen.ask.id == "problems.order" and screen.box.look is ANSWER_LOOKS["order"]
        assert isinstance(screen.box.look, OrderLook)
        await answer(pilot, "2 1 3 5 4")
        assert screen.ask.id == "other.mode"
        await pilot.press("f5")
        await pilot.pause()
        review = app.screen
        assert isinstance(review, ReviewScreen)
        shown = "".join(str(review.query_one("#report", Static).content).split())  # wrapped lines joined
    saved = load_session(path)
    problems = section_paragraphs(derive_report(saved), "problems")
    assert problems[0].startswith("回顾2024年政府信息公开工作")
    assert "一是公开内容不够全面" in problems[0]
    assert "二是政府信息公开宣传力度不够" in problems[0]
    assert "关注度和参与度不高，宣传阵地作用发挥不够。三是" in problems[0]  # the edit, kept as typed
    assert [p[:2] for p in problems[2:]] == ["一是", "二是"]
    assert problems[2].startswith("一是对照目录抓落实") and "2025年" in problems[2]
    for paragraph in problems:
        assert "".join(paragraph.split()) in shown  # the review preview shows section 五 as it will be exported
