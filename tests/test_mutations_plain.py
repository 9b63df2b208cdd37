"""Plain mode saves after every answer: the real command, killed with SIGKILL in the middle of the interview,
has every confirmed answer in its file (a save only at the end of the input would lose them all)."""

from __future__ import annotations

import os
import select
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import ROOT
from report_wizard import store
from report_wizard.interview import Interview

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="kills the child with SIGKILL")

HANG_GUARD = 60  # seconds: only so that a broken child cannot hang the suite; no assertion is about time


class PlainChild:
    """``report-wizard open FILE --plain`` in a child process, read line by line."""

    def __init__(self, path: Path, folder: Path) -> None:
        env = {
            **os.environ,
            "PYTHONPATH": str(ROOT / "src"),
            "PYTHONUNBUFFERED": "1",  # each line reaches the pipe when printed
            "REPORT_WIZARD_SESSIONS": str(folder),
        }
        self.errors = (folder / "stderr.txt").open("w+", encoding="utf-8")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "report_wizard", "open", str(path), "--plain"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.errors,
            env=env,
        )
        self.lines: list[str] = []
        self.pending = b""

    def read_until(self, prefix: str) -> str:
        """Read output lines until one starts with ``prefix``; returns it."""
        fd = self.process.stdout.fileno()
        while True:
            while b"\n" not in self.pending:
                ready, _, _ = select.select([fd], [], [], HANG_GUARD)
                chunk = os.read(fd, 65536) if ready else b""
                if not chunk:
                    self.errors.seek(0)
                    raise AssertionError(f"no line starting with {prefix!r}: {self.lines[-6:]} {self.errors.read()}")
                self.pending += chunk
            raw, self.pending = self.pending.split(b"\n", 1)
            line = raw.decode("utf-8")
            self.lines.append(line)
            if line.startswith(prefix):
                return line

    def type(self, text: str) -> None:
        self.process.stdin.write(f"{text}\n".encode())
        self.process.stdin.flush()

    def kill(self) -> int:
        self.process.send_signal(signal.SIGKILL)
        code = self.process.wait()
        for stream in (self.process.stdin, self.process.stdout, self.errors):
            stream.close()
        return code


def test_plain_mode_killed_mid_interview_keeps_every_confirmed_answer(tmp_path: Path) -> None:
    path = tmp_path / "测试街道-2023.toml"
    store.create_session_file(store.new_session("测试街道", 2023), path)
    child = PlainChild(path, tmp_path)
    steps = [
        ("", "basics.agency", "测试街道"),
        ("2", "basics.agency_kind", "county_government"),
        ("文峰区人民政府", "basics.superior", "文峰区人民政府"),
        ("", "basics.year", 2023),
        ("", "basics.title", ""),
        ("是", "proactive.normative_documents.gate", True),
        ("3", "proactive.normative_documents.issued", 3),
    ]
    try:
        child.read_until("问：发布这份年度报告的单位全称是什么？")
        for typed, question, stored in steps:
            child.type(typed)
            assert child.read_until("→ ").startswith("→ 已记录")
            child.read_until("问：")  # the next question is asked only after the answer was saved
            saved = store.load_session(path)
            assert saved.answers.get(question) == stored, (question, saved.answers)
            assert saved.meta.resume_at == next(
                (q for _, q, _ in steps[steps.index((typed, question, stored)) + 1 :]),
                "proactive.normative_documents.abolished",
            )
    finally:  # killed while it waits for the next answer
        code = child.kill()
    assert code == -signal.SIGKILL

    session = store.load_session(path)
    assert {q: session.answers[q] for _, q, _ in steps} == {q: stored for _, q, stored in steps}
    assert session.cells["t2.normative_documents.issued"] == 3
    assert session.meta.agency_kind == "county_government"
    assert Interview(session).current().id == "proactive.normative_documents.abolished"  # where it was
    assert (tmp_path / f"{path.name}.lock").exists()  # the killed process never released its lock file …
    with store.SessionLock(path) as lock:  # … but the lock itself died with it
        assert lock.held
