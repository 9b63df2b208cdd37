"""Kill the real app with SIGKILL mid-interview (under a pseudo-terminal): every confirmed answer survives."""

from __future__ import annotations

import fcntl
import os
import select
import signal
import struct
import sys
import termios
import time
from pathlib import Path

import pytest

from helpers import ROOT, new_file
from report_wizard.interview import Interview
from report_wizard.store import SessionLock, load_session

pytestmark = pytest.mark.skipif(not hasattr(os, "fork") or sys.platform == "win32", reason="needs a POSIX pty")


class Terminal:
    """The app running in a child process on a pty of 80x24, read continuously so it never blocks."""

    def __init__(self, argv: list[str], env: dict[str, str]) -> None:
        import pty

        self.pid, self.fd = pty.fork()
        if self.pid == 0:  # child: becomes the app
            os.execvpe(argv[0], argv, env)
        fcntl.ioctl(self.fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
        self.screen = b""

    def drain(self, seconds: float) -> None:
        end = time.monotonic() + seconds
        while (left := end - time.monotonic()) > 0:
            ready, _, _ = select.select([self.fd], [], [], left)
            if ready:
                try:
                    self.screen += os.read(self.fd, 65536)
                except OSError:  # the child is gone
                    return

    def wait_for(self, condition, what: str, timeout: float = 30) -> None:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            self.drain(0.1)
            if condition():
                return
        raise AssertionError(f"timed out waiting for {what}; screen tail: {self.screen[-400:]!r}")

    def type(self, text: str) -> None:
        os.write(self.fd, text.encode("utf-8"))

    def kill(self) -> int:
        os.kill(self.pid, signal.SIGKILL)
        _, status = os.waitpid(self.pid, 0)
        os.close(self.fd)
        return status


def saved_answers(path: Path) -> dict:
    try:
        return load_session(path).answers
    except Exception:
        return {}


def test_sigkill_mid_interview_loses_no_confirmed_answer(tmp_path: Path) -> None:
    path = new_file(tmp_path)
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("TEXTUAL", "PYTEST"))},
        "TERM": "xterm-256color",
        "LANG": "C.UTF-8",
        "COLUMNS": "80",
        "LINES": "24",
        "PYTHONPATH": str(ROOT / "src"),
    }
    argv = [sys.executable, "-m", "report_wizard", "--dir", str(tmp_path), "open", str(path)]
    term = Terminal(argv, env)
    try:
        term.wait_for(lambda: "全称".encode() in term.screen, "the first question")
        term.type("\r")  # accept the agency name shown as default
        term.wait_for(lambda: "basics.agency" in saved_answers(path), "the agency saved")
        term.drain(0.5)
        term.type("2\r")  # 县区人民政府, by its number and Enter
        term.wait_for(lambda: saved_answers(path).get("basics.agency_kind") == "county_government", "the kind saved")
        term.drain(0.5)
        term.type("文峰区人民政府\r")
        term.wait_for(lambda: saved_answers(path).get("basics.superior") == "文峰区人民政府", "the superior saved")
        term.drain(0.5)
        term.type("2023\r")  # characters and Enter in one chunk, as a fast typist or a paste sends them
        term.wait_for(lambda: saved_answers(path).get("basics.year") == 2023, "the year saved")
        term.drain(0.5)
        term.type("我的标题")  # typed but not confirmed with Enter: may be lost, and that is fine
        term.drain(0.2)
    finally:
        status = term.kill()
    assert os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL

    session = load_session(path)
    assert session.answers == {
        "basics.agency": "测试街道",
        "basics.agency_kind": "county_government",
        "basics.superior": "文峰区人民政府",
        "basics.year": 2023,
    }
    resumed = Interview(session)
    ask = resumed.current()
    assert ask is not None and ask.id == "basics.title"  # the question that was showing
    with SessionLock(path):  # the dead window's lock died with it
        pass
