"""Every kind of question has its look in the answer box (one table, ANSWER_LOOKS), and a snapshot of each."""

from __future__ import annotations

from pathlib import Path
from typing import get_args

import pytest

from helpers import BASICS, make_app, write_session
from report_wizard.interview import Interview
from report_wizard.interview.questions import Kind
from report_wizard.store import new_session
from report_wizard.tui.widgets.answer import ANSWER_LOOKS

GATES = ["", "", "", "", ""]  # 规范性文件 否, 许可 处罚 强制 收费 0
# Typed answers that stop the engine at a question of each kind (after the basics in BASICS).
AT_KIND: dict[str, list[str]] = {
    "text": [],  # 上级机关 left unanswered below
    "count": [""],  # 规范性文件 否 → 行政许可
    "money": ["", "", "", ""],  # → 行政事业性收费
    "yesno": GATES,  # → 本年是否收到过政府信息公开申请
    "multichoice": [*GATES, "是"],  # → 申请人类别
    "counts_row": [*GATES, "否", "否", "是", "1"],  # → 行政复议 row
    "choice": [*GATES, "否", "否", "否"],  # → 一、总体情况 怎么写
    "order": [*GATES, "否", "否", "否", "3", "", "1 2 3", "", ""],  # 一 先不写; 五: problems, measures, edit → order
}


def test_every_question_kind_has_a_look() -> None:
    assert set(ANSWER_LOOKS) == set(get_args(Kind))


def positioned(folder: Path, kind: str) -> Path:
    stored = dict(BASICS)
    if kind == "text":
        stored.pop("basics.superior")  # → 上级机关, a text question
    session = new_session("测试街道", 2024)
    session.answers.update(stored)  # type: ignore[arg-type]
    interview = Interview(session)
    for text in AT_KIND[kind]:
        reply = interview.answer(text)
        assert reply.ok, (kind, text, reply.message)
    ask = interview.current()
    assert ask is not None and ask.kind == kind, (kind, ask)
    return write_session(folder, interview.session)


@pytest.mark.parametrize("kind", sorted(get_args(Kind)))
def test_answer_box_of_each_kind(snap_compare, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str) -> None:
    monkeypatch.chdir(tmp_path)
    folder = tmp_path / "sessions"
    folder.mkdir()
    path = positioned(folder, kind)
    assert snap_compare(make_app(folder, path), terminal_size=(80, 24))
