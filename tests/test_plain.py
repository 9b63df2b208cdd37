"""``--plain``: the same interview line by line, saved after every answer."""

from __future__ import annotations

import io
from pathlib import Path

from helpers import seed_answers
from report_wizard import store
from report_wizard.cli.plain import run_plain
from report_wizard.core import paths
from report_wizard.core.model import derive_report
from report_wizard.output.render import render_report


def run(path: Path, session, lines: list[str]) -> tuple[int, str]:
    out = io.StringIO()
    code = run_plain(path, session, io.StringIO("".join(f"{line}\n" for line in lines)), out)
    return code, out.getvalue()


def test_plain_mode_types_the_seed_report(tmp_path: Path) -> None:
    path = tmp_path / "西大街街道-2023.toml"
    session = store.new_session("未命名", 2024)
    code, output = run(path, session, seed_answers())
    assert code == 0
    saved = store.load_session(path)
    example = store.load_session(paths.example_session())
    assert render_report(derive_report(saved), "txt") == render_report(derive_report(example), "txt")
    lines = output.splitlines()
    assert lines[-1] == "检查通过：没有发现问题。"
    assert "问题已经全部答完了。" in lines
    assert sum(line.startswith("问：") for line in lines) == len(seed_answers())
    gate = next(n for n, line in enumerate(lines) if line.startswith("问：本年是否收到过政府信息公开申请？"))
    assert lines[gate + 1 : gate + 5] == ["  1. 是　2. 否", "  （直接回车：否）", "答：否", "→ 已记录：否。"]


def test_help_undo_and_bad_input(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    session = store.new_session("西大街街道", 2023)
    code, output = run(path, session, ["", "?", "帮助", "abc", "1", "撤销", "2", "撤销", "撤销", "撤销"])
    assert code == 0
    assert output.count("说明：单位类型决定要问哪些问题") == 2
    assert "没看懂“abc”" in output
    # the question is shown again after the bad answer
    assert output.count("问：本单位属于哪一类？请输入序号。") == 4
    assert "→ 还没有可以撤销的回答。" in output
    saved = store.load_session(path)
    assert saved.answers == {}
    assert saved.meta.resume_at == "basics.agency"


def test_every_accepted_answer_is_saved_and_eof_stops_cleanly(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    session = store.new_session("西大街街道", 2023)
    code, output = run(path, session, ["", "", "文峰区人民政府", "", "", "否", "12"])
    assert code == 0
    saved = store.load_session(path)
    assert saved.answers["proactive.permits"] == 12
    assert saved.cells["t2.permits.decisions"] == 12
    assert saved.meta.resume_at == "proactive.penalties"
    assert "检查结果：0 个错误，3 个提醒。" in output
    assert "提醒 S-EMPTY：" in output
    # reopening resumes at the question that was showing
    code, output = run(path, store.load_session(path), ["7"])
    assert "接着上次的进度继续" in output
    assert output.splitlines()[1].startswith("接着上次的进度继续")
    assert "问：本年作出了多少件行政处罚决定？" in output
    assert store.load_session(path).answers["proactive.penalties"] == 7


def test_summary_lists_errors_with_rule_ids(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    answers = [""] * 10 + ["是", "1", "5", "否", "1 2", "1", "1", "1"]  # 1 + 1 allocated, 1 carried of 5
    code, output = run(path, store.new_session("西大街街道", 2023), answers)
    assert code == 0
    lines = output.splitlines()
    bal = [line for line in lines if line.startswith("错误 T3-BAL：")]
    assert len(bal) == 1 and "相差 2 件" in bal[0]
    assert any(line.startswith("检查结果：1 个错误") for line in lines)


def test_a_session_open_elsewhere_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    session = store.new_session("西大街街道", 2023)
    store.save_session(session, path)
    with store.SessionLock(path):
        code, output = run(path, session, [""])
    assert code == 1
    assert "另一个窗口" in output
    assert store.load_session(path).answers == {}


def test_implausible_numbers_are_confirmed_in_plain_mode(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    code, output = run(path, store.new_session("西大街街道", 2023), [""] * 10 + ["是", "1", "200000", "是"])
    assert code == 0
    assert "确定没有多打数字吗" in output
    assert store.load_session(path).cells["t3.new_requests.natural_person"] == 200000
