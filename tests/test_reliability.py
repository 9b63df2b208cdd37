"""Reliability: no crash in the paragraph library, typed numbers exact, and a full disk loses nothing silently.

The disk is really full where the machine allows it (a small tmpfs, as root); elsewhere ENOSPC is injected
into the store's atomic writer. Either way the same behaviour is asserted.
"""

from __future__ import annotations

import errno
import io
import os
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from helpers import BASICS, GATE_QUESTIONS, answer, drive, interview_screen, make_app, new_file
from report_wizard import store
from report_wizard.cli.plain import run_plain
from report_wizard.core.errors import WizardError
from report_wizard.core.model import MAX_AMOUNT, MAX_COUNT
from report_wizard.interview import Interview
from report_wizard.interview.parse import ParseError, parse_count, parse_money
from report_wizard.store import files as store_files
from report_wizard.tui.screens.dialogs import UnsavedDialog
from report_wizard.tui.widgets.chat import Bubble


# ---------------------------------------------------------------- 1. a paragraph the clerk added can be edited
@pytest.mark.parametrize(
    ("section", "add_choice", "text"),
    [("problems", "add:measure", "新措施甲"), ("overview", "add", "补充一段"), ("other", "add", "其他说明")],
)
def test_choosing_an_added_paragraph_in_the_edit_menu_opens_it(section: str, add_choice: str, text: str) -> None:
    iv = Interview(store.new_session("测试街道", 2024))
    while iv.current().id != f"{section}.edit.1":
        drive(iv, [""])
    keys = [k for k, _ in iv.current().choices]
    drive(iv, [str(keys.index(add_choice) + 1), text])
    ask = iv.current()
    assert ask.id == f"{section}.edit.2"
    keys = [k for k, _ in ask.choices]
    assert "added:1" in keys
    drive(iv, [str(keys.index("added:1") + 1)])  # used to raise KeyError: 'added:1'
    ask = iv.current()
    assert ask.id == f"{section}.edit_text.2" and ask.prefill == text
    drive(iv, [text + "（改）", ""])
    texts = [b.text for b in iv.session.narrative[section]]
    assert f"{text}（改）" in texts and text not in texts


def test_plain_mode_edits_an_added_measure_without_a_traceback(tmp_path: Path) -> None:
    """The tester's path: Enter up to 五's problems, 「1 2」, Enter, 8 (add a measure), 「新措施甲」, 7 (it)."""
    path = tmp_path / "s.toml"
    lines = [""] * 23 + ["1 2", "", "8", "新措施甲", "7", "新措施乙", ""]  # 23: basics, gates, 一 with its website
    out = io.StringIO()
    assert run_plain(path, store.new_session("测试街道", 2024), io.StringIO("\n".join(lines) + "\n"), out) == 0
    assert "Traceback" not in out.getvalue()
    problems = [b.text for b in store.load_session(path).narrative["problems"] if b.text]
    assert problems == ["新措施乙"]


# ---------------------------------------------------------------- 6. typed numbers are exact and bounded
def test_a_long_count_is_kept_exactly() -> None:
    assert parse_count("99999999999") == 99999999999
    with pytest.raises(ParseError, match="太大"):
        parse_count("99999999999999999")  # used to become 100000000000000000
    assert parse_count(str(MAX_COUNT)) == MAX_COUNT


@pytest.mark.parametrize("text", ["nan", "inf", "-inf", "1e30", "Infinity", "１e5"])
def test_non_numbers_are_not_counts_or_amounts(text: str) -> None:
    with pytest.raises(ParseError):
        parse_count(text)
    with pytest.raises(ParseError):
        parse_money(text)


def test_amounts_are_decimal_exact_and_bounded() -> None:
    assert parse_money("0.1") + parse_money("0.2") == pytest.approx(0.3)
    assert parse_money("1234567.8912") == 1234567.8912
    assert parse_money("0.12345") == 0.1235  # 万元 to 4 places: one 元
    assert parse_money("3940.555元", "元") == 3940.56
    with pytest.raises(ParseError, match="太大"):
        parse_money(str(MAX_AMOUNT * 10))


# ---------------------------------------------------------------- a full disk
@pytest.fixture
def small_disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[dict]:
    """A folder on a nearly full disk: ``fill()`` takes the last free byte, ``free()`` gives space back.

    A real tmpfs when mounting is allowed (root; NO_TMPFS=1 forces the other way); otherwise the store's atomic
    writer raises ENOSPC while full.
    """
    folder = tmp_path / f"disk-{uuid.uuid4().hex[:6]}"
    folder.mkdir()
    mounted = (
        os.geteuid() == 0
        and not os.environ.get("NO_TMPFS")
        and subprocess.run(
            ["mount", "-t", "tmpfs", "-o", "size=512k", "tmpfs", str(folder)], capture_output=True
        ).returncode
        == 0
    )
    state = {"full": False}
    filler = folder / "filler.bin"

    def fill() -> None:
        state["full"] = True
        if mounted:
            fd = os.open(filler, os.O_WRONLY | os.O_CREAT | os.O_APPEND)
            try:
                while True:
                    os.write(fd, b"\0" * 4096)
            except OSError:
                pass  # full
            finally:
                os.close(fd)

    def free() -> None:
        state["full"] = False
        if mounted and filler.exists():
            filler.unlink()

    if not mounted:
        real = store_files.atomic_write_bytes

        def write(path: Path, data: bytes, keep_backup: bool = False) -> None:
            if state["full"] and Path(path).parent == folder:
                raise OSError(errno.ENOSPC, "No space left on device")
            real(path, data, keep_backup)

        monkeypatch.setattr(store_files, "atomic_write_bytes", write)
    try:
        yield {"folder": folder, "fill": fill, "free": free, "real": mounted}
    finally:
        free()
        if mounted:
            subprocess.run(["umount", "-l", str(folder)], capture_output=True)  # lazy: a leaked fd must not keep it


def _gates_answered(folder: Path) -> Path:
    return new_file(folder, **BASICS, **{q: "" for q in GATE_QUESTIONS[:4]})


async def test_tui_with_a_full_disk_says_unsaved_and_quit_asks(small_disk: dict) -> None:
    folder = small_disk["folder"]
    path = _gates_answered(folder)
    app = make_app(folder, path)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.pause()
        screen = interview_screen(app)
        assert screen.ask.id == "proactive.fees"
        small_disk["fill"]()
        await answer(pilot, "2")
        assert "proactive.fees" not in store.load_session(path).answers  # not on disk …
        status = str(screen.query_one("#status").content)
        assert "未保存" in status  # … and the screen says so
        assert any("没有保存到磁盘" in str(b.content) for b in screen.query(Bubble))
        app.action_help_quit()
        await pilot.pause()
        assert not any("都已自动保存" in n.message for n in app._notifications)
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, UnsavedDialog)  # quitting does not pass over the lost answer
        small_disk["free"]()
        await pilot.click("#retry")
        await pilot.pause()
    assert app.return_code == 0 and not app.discarded
    assert store.load_session(path).answers["proactive.fees"] == 2


async def test_tui_saves_elsewhere_when_the_disk_stays_full(small_disk: dict, tmp_path: Path) -> None:
    folder = small_disk["folder"]
    path = _gates_answered(folder)
    elsewhere = tmp_path / "U盘"
    app = make_app(folder, path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        small_disk["fill"]()
        await answer(pilot, "2")
        await pilot.press("ctrl+q")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, UnsavedDialog)
        dialog.query_one("#elsewhere").value = str(elsewhere)
        await pilot.click("#save-elsewhere")
        await pilot.pause()
    (copy,) = elsewhere.glob("*.toml")
    assert store.load_session(copy).answers["proactive.fees"] == 2
    assert app.saved_elsewhere == [copy]


async def test_tui_a_later_answer_saves_what_the_full_disk_refused(small_disk: dict) -> None:
    folder = small_disk["folder"]
    path = _gates_answered(folder)
    app = make_app(folder, path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = interview_screen(app)
        small_disk["fill"]()
        await answer(pilot, "2")
        small_disk["free"]()
        await answer(pilot, "")  # the next answer saves both
        assert "未保存" not in str(screen.query_one("#status").content)
        saved = store.load_session(path).answers
        assert saved["proactive.fees"] == 2 and saved["requests.new.gate"] == ""


async def test_tui_discarding_unsaved_answers_is_an_explicit_choice_and_exits_1(small_disk: dict) -> None:
    folder = small_disk["folder"]
    path = _gates_answered(folder)
    app = make_app(folder, path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        small_disk["fill"]()
        await answer(pilot, "2")
        await pilot.press("ctrl+q")
        await pilot.pause()
        await pilot.click("#discard")
        await pilot.pause()
    assert app.discarded  # run_app turns this into exit code 1 and a message


class _FillsTheDisk(io.StringIO):
    """Stdin whose first line arrives once the disk has filled up (after the session was opened and locked)."""

    def __init__(self, text: str, fill) -> None:
        super().__init__(text)
        self.fill = fill

    def readline(self, size: int = -1) -> str:  # type: ignore[override]
        if self.fill is not None:
            self.fill, fill = None, self.fill
            fill()
        return super().readline(size)


def test_plain_mode_with_a_full_disk_keeps_trying_and_exits_1(small_disk: dict) -> None:
    folder = small_disk["folder"]
    path = _gates_answered(folder)
    session = store.load_session(path)
    out = io.StringIO()
    code = run_plain(path, session, _FillsTheDisk("2\n\n", small_disk["fill"]), out)
    assert code == 1
    text = out.getvalue()
    assert "磁盘已满" in text and "Traceback" not in text
    assert "proactive.fees" not in store.load_session(path).answers
    small_disk["free"]()
    again = io.StringIO()
    assert run_plain(path, store.load_session(path), io.StringIO("2\n"), again) == 0
    assert store.load_session(path).answers["proactive.fees"] == 2


def test_store_refuses_to_pretend_on_a_full_disk(small_disk: dict) -> None:
    folder = small_disk["folder"]
    path = _gates_answered(folder)
    session = store.load_session(path)
    session.answers["proactive.fees"] = 2
    small_disk["fill"]()
    with pytest.raises(WizardError, match="磁盘已满"):
        store.save_session(session, path)
    assert "proactive.fees" not in store.load_session(path).answers


def test_opening_on_a_full_disk_is_a_message_not_a_traceback(small_disk: dict) -> None:
    folder = small_disk["folder"]
    path = _gates_answered(folder)
    small_disk["fill"]()
    out = io.StringIO()
    code = run_plain(path, store.load_session(path), io.StringIO("2\n"), out)
    assert code == 1 and "Traceback" not in out.getvalue()
    assert "proactive.fees" not in store.load_session(path).answers


# ---------------------------------------------------------------- 11. a read-only session opens read-only
async def test_a_read_only_session_opens_read_only_and_says_so(tmp_path: Path) -> None:
    path = _gates_answered(tmp_path)
    path.chmod(0o444)
    before = path.read_bytes()
    app = make_app(tmp_path, path)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        screen = interview_screen(app)  # opened, not refused
        assert screen.opened.read_only
        assert any("只读" in str(b.content) for b in screen.query(Bubble))
        assert "只读" in str(screen.query_one("#status").content)
        await answer(pilot, "2")
        assert "未保存" in str(screen.query_one("#status").content)
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, UnsavedDialog)  # what was changed can still go elsewhere
        app.screen.query_one("#elsewhere").value = str(tmp_path / "copy")
        await pilot.click("#save-elsewhere")
        await pilot.pause()
    assert path.read_bytes() == before
    (copy,) = (tmp_path / "copy").glob("*.toml")
    assert store.load_session(copy).answers["proactive.fees"] == 2


def test_plain_mode_says_a_session_is_read_only_before_the_first_question(tmp_path: Path) -> None:
    path = _gates_answered(tmp_path)
    path.chmod(0o444)
    out = io.StringIO()
    run_plain(path, store.load_session(path), io.StringIO("2\n"), out)
    first = out.getvalue().splitlines()[0]
    assert "只读" in first


async def test_tui_opening_on_a_full_disk_is_a_notice_not_a_crash(small_disk: dict) -> None:
    if not small_disk["real"]:
        pytest.skip("needs a really full disk: the lock file is written outside the store's atomic writer")
    folder = small_disk["folder"]
    path = _gates_answered(folder)
    small_disk["fill"]()
    app = make_app(folder, path)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await pilot.pause()
        assert type(app.screen).__name__ == "HomeScreen"
        assert any("磁盘已满" in n.message for n in app._notifications)
