"""Time list_sessions (the home screen and `report-wizard list`) on N generated session files (10,000 by default).

Every file is a full session (every cell, 60 answers, narrative), the biggest the interview writes. Prints the
first listing, a second listing of the unchanged folder (the home screen shown again) and, for reference, the
time of fully loading every file (what the listing used to do). Figures go into notes, never into tests.
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from report_wizard import store  # noqa: E402
from report_wizard.core import form  # noqa: E402
from report_wizard.core.model import Block  # noqa: E402


def _content() -> bytes:
    session = store.new_session("西大街街道办事处", 2023, superior="文峰区人民政府")
    for i, cell in enumerate(form.INPUT_CELLS):
        session.cells[cell] = 12.75 if cell in form.T2_MONEY_CELLS else i % 4
    for i in range(60):
        session.answers[f"q{i:02d}.gate"] = [True, 0, "无", ["a", "b"], False][i % 5]
    session.narrative["overview"] = [
        Block(text="2023年，西大街街道认真贯彻落实《条例》。\n一是主动公开；二是依申请公开。")
    ]
    return _saved(session)


def _saved(session) -> bytes:
    folder = Path(tempfile.mkdtemp())
    try:
        store.save_session(session, folder / "model.toml")
        return (folder / "model.toml").read_bytes()
    finally:
        shutil.rmtree(folder)


def run(count: int = 10_000) -> None:
    folder = Path(tempfile.mkdtemp())
    try:
        content = _content()
        for i in range(count):
            (folder / f"机关{i:05d}-2023.toml").write_bytes(content)
        start = time.perf_counter()
        infos = store.list_sessions(folder)
        listed = time.perf_counter() - start
        assert len(infos) == count and not any(i.error for i in infos)
        start = time.perf_counter()
        assert len(store.list_sessions(folder)) == count  # the home screen again: nothing changed
        again = time.perf_counter() - start
        start = time.perf_counter()
        for info in infos:
            store.load_session(info.path)
        loaded = time.perf_counter() - start
        print(f"list_sessions on {count} files: {listed:.2f} s ({listed / count * 1000:.3f} ms per file)")
        print(f"list_sessions again, files unchanged: {again:.2f} s")
        print(f"for reference, load_session on each: {loaded:.2f} s ({loaded / count * 1000:.3f} ms per file)")
    finally:
        shutil.rmtree(folder)


if __name__ == "__main__":
    run(int(sys.argv[1]) if len(sys.argv) > 1 else 10_000)
