"""Engine replies in full (a mutation run found their fields and sentences barely asserted): undo, the
cancelled confirmation, a refused answer, an undo after a restart, the basics the session file cannot hold,
and how a large number is shown for checking."""

from __future__ import annotations

from helpers import drive, new_interview
from report_wizard import store
from report_wizard.core.model import Block
from report_wizard.interview import Interview, Reply

TO_PERMITS = ["", "", "", "", "", "否"]  # basics by Enter, 规范性文件 否: the next question is 行政许可


def test_undo_replies_with_what_it_undid() -> None:
    iv = new_interview()
    drive(iv, [*TO_PERMITS, "12"])
    reply = iv.undo()
    assert reply == Reply(
        True,
        "已撤销「本年作出了多少件行政许可决定？没有就回答“无”。」的回答。",
        False,
        ("t2.permits.decisions",),
        tuple(iv.findings()),
        "proactive.permits",
    )
    assert "proactive.permits" not in iv.session.answers and iv.current().id == "proactive.permits"


def test_cancelling_a_confirmation_records_nothing() -> None:
    iv = new_interview()
    drive(iv, TO_PERMITS)
    asked = iv.answer("30000")
    assert asked == Reply(
        False,
        "您填的是30,000（3万），对街道/乡镇来说很多（一般不超过20,000）。确定没有多打数字吗？",
        True,
        (),
        tuple(iv.findings()),
        "proactive.permits",
    )
    assert iv.undo() == Reply(True, "已取消，这个数字没有记录。", False, (), tuple(iv.findings()), "proactive.permits")
    assert iv.current().id == "proactive.permits" and not iv.current().confirming
    assert "proactive.permits" not in iv.session.answers


def test_a_refused_answer_changes_nothing() -> None:
    iv = new_interview()
    drive(iv, TO_PERMITS)
    assert iv.answer("abc") == Reply(
        False,
        "没看懂“abc”。请输入件数，例如 3；没有就填 0 或“无”。",
        False,
        (),
        tuple(iv.findings()),
        "proactive.permits",
    )


def test_large_amounts_are_shown_grouped_with_their_wan() -> None:
    iv = new_interview()
    drive(iv, [*TO_PERMITS, "0", "0", "0"])
    assert iv.current().id == "proactive.fees"
    assert iv.answer("10000").message == (
        "您填的是10,000（1万）万元，对街道/乡镇来说很多（一般不超过1,000万元）。确定没有多打数字吗？"
    )
    assert iv.answer("12345.6789").message == (
        "您填的是12,345.6789（1.2346万）万元，对街道/乡镇来说很多（一般不超过1,000万元）。确定没有多打数字吗？"
    )


def test_undo_after_a_restart_forgets_the_cells_of_the_last_answer(tmp_path) -> None:
    iv = new_interview()
    drive(iv, [*TO_PERMITS, "12"])
    path = tmp_path / "s.toml"
    store.save_session(iv.session, path)
    again = Interview(store.load_session(path))  # no history: only the order of the answers is known
    reply = again.undo()
    assert reply is not None and reply.ok and reply.question_id == "proactive.permits"
    assert "t2.permits.decisions" not in again.session.cells
    assert "t2.permits.decisions" not in again.session.sources
    assert again.current().id == "proactive.permits"
    assert again.report().t2("permits", "decisions") == 0


def test_undo_after_a_restart_takes_an_own_paragraph_out_of_the_text(tmp_path) -> None:
    iv = new_interview()
    while (ask := iv.current()) is not None and ask.section != "overview":
        drive(iv, [""])
    drive(iv, ["2", "第一段。", "第二段。"])
    path = tmp_path / "s.toml"
    store.save_session(iv.session, path)
    again = Interview(store.load_session(path))
    assert [b.text for b in again.session.narrative["overview"]] == ["第一段。", "第二段。"]
    assert again.undo() is not None
    assert again.session.narrative["overview"] == [
        Block(text="第一段。", role=again.session.narrative["overview"][0].role)
    ]


def test_basics_the_file_cannot_hold_are_refused_with_the_models_sentence() -> None:
    iv = new_interview()
    reply = iv.answer("西大\t街道")
    assert reply == Reply(
        False, "机关名称的第 3 个字符是制表符，不能使用。请重新输入。", False, (), tuple(iv.findings()), "basics.agency"
    )
    drive(iv, ["西大街街道", "1"])
    reply = iv.answer("文峰区\u200b人民政府")
    assert not reply.ok and reply.message == (
        "上级机关的第 4 个字符是看不见的格式字符（如零宽空格、文字方向控制符），不能使用。请重新输入。"
    )
    assert iv.session.meta.superior == ""
