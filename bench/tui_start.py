"""TUI benchmarks: start to first question vs a minimal Textual app, and answer to updated check panel.

Usage: python bench/tui_start.py [runs]

1. Whole process under a pseudo-terminal (80x24): time from fork until the first question's text is on
   the terminal, for `report-wizard open SESSION`, for a minimal App with one Static, and for that App
   after importing pydantic and jinja2 (the domain's own dependencies); medians, ratio to the first.
2. In process (App.run_test): a session with every column of table 三 filled; time from an answer
   to the check panel showing the new findings (engine + autosave + panel update; and the same until
   the screen has been redrawn), for an answer that breaks T3-BAL and one that fixes it.
"""

from __future__ import annotations

import asyncio
import os
import select
import signal
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

MINIMAL_APP = """
from textual.app import App
from textual.widgets import Static
class Minimal(App):
    def compose(self):
        yield Static("发布这份年度报告的单位全称是什么？")
Minimal().run()
"""
MARK = "全称".encode()


def time_to_mark(argv: list[str], env: dict[str, str]) -> float:
    """Seconds from fork until MARK appears on the pty; the process is then killed."""
    import fcntl
    import pty
    import struct
    import termios

    start = time.perf_counter()
    pid, fd = pty.fork()
    if pid == 0:
        os.execvpe(argv[0], argv, env)
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    seen = b""
    try:
        while MARK not in seen:
            ready, _, _ = select.select([fd], [], [], 20)
            if not ready:
                raise TimeoutError(argv)
            seen += os.read(fd, 65536)
        return time.perf_counter() - start
    finally:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        os.close(fd)


def bench_start(runs: int) -> None:
    from report_wizard.store import new_session, save_session

    env = {**os.environ, "TERM": "xterm-256color", "LANG": "C.UTF-8", "PYTHONPATH": str(ROOT / "src")}
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench-2024.toml"
        save_session(new_session("测试街道", 2024), path)
        commands = {
            "minimal Textual app (one Static)": [sys.executable, "-c", MINIMAL_APP],
            "same + import pydantic, jinja2": [sys.executable, "-c", "import pydantic, jinja2\n" + MINIMAL_APP],
            "report-wizard open (first question)": [
                sys.executable,
                "-m",
                "report_wizard",
                "--dir",
                folder,
                "open",
                str(path),
            ],
        }
        medians = {}
        for name, argv in commands.items():
            time_to_mark(argv, env)  # warm the file cache
            times = [time_to_mark(argv, env) for _ in range(runs)]
            medians[name] = statistics.median(times) * 1000
        base = next(iter(medians.values()))
        for name, ms in medians.items():
            print(f"{name:40s} median {ms:7.1f} ms  x{ms / base:.2f}")


def full_table_three():
    """Every applicant column of table 三 used: received, carried over, allocated to many outcome rows."""
    from report_wizard.interview import Interview
    from report_wizard.store import new_session

    session = new_session("测试街道", 2024)
    interview = Interview(session)
    for _ in range(2000):
        ask = interview.current()
        if ask is None or ask.section in ("review_litigation", "overview"):
            break
        if ask.section != "requests":
            text = ""
        elif ask.kind == "yesno":
            text = "是"
        elif ask.kind == "multichoice":
            text = "全部"
        elif ask.kind == "count" and ask.default:  # one per outcome row; the last slot takes the rest
            text = "1" if int(ask.default) > 1 and "carried_forward" not in ask.id and ".rest." not in ask.id else ""
        else:
            text = "20"
        reply = interview.answer(text)
        assert reply.ok, (ask.id, text, reply.message)
    return session


async def bench_answer(runs: int) -> None:
    from report_wizard.core import form
    from report_wizard.store import save_session
    from report_wizard.tui.app import ReportWizardApp
    from report_wizard.tui.screens.interview import InterviewScreen
    from report_wizard.tui.widgets.answer import AnswerBox
    from report_wizard.tui.widgets.checks import CheckPanel

    session = full_table_three()
    filled = sum(1 for c in form.T3_INPUT_CELLS if session.cells.get(c))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench-2024.toml"
        save_session(session, path)
        app = ReportWizardApp(Path(folder), path, cursor_blink=False)
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            screen = app.screen
            assert isinstance(screen, InterviewScreen)
            panel = screen.query_one(CheckPanel)
            handler, drawn = [], []
            for n in range(runs):
                value = "21" if n % 2 == 0 else "20"  # break T3-BAL, then fix it
                screen.interview.goto("requests.new.natural_person")
                screen.show_current()
                await pilot.pause()
                start = time.perf_counter()
                screen._answered(AnswerBox.Answered(screen.box, value))
                handler.append(time.perf_counter() - start)
                has_error = any(f.rule == "T3-BAL" for f in (*panel.view.to_fix, *panel.view.pending))
                assert has_error == (value == "21"), panel.view
                await pilot.pause()
                drawn.append(time.perf_counter() - start)
    print(f"table 三 cells filled: {filled} of {len(form.T3_INPUT_CELLS)}")
    print(f"answer → check panel updated (engine + save + panel)   median {statistics.median(handler) * 1000:6.1f} ms")
    print(f"answer → screen redrawn (pilot pause, includes idle)   median {statistics.median(drawn) * 1000:6.1f} ms")


def main() -> None:
    runs = int(next((a for a in sys.argv[1:] if a.isdigit()), 11))
    if "--answer-only" not in sys.argv:
        bench_start(runs)
    asyncio.run(bench_answer(runs * 2))


if __name__ == "__main__":
    main()
