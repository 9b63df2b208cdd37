"""The reviewer's batch (issue 15): check 1,000 published txt reports (imported in memory) and 1,000 session
files in one run, in text, json and csv: total and per-report time. Figures go into the issue note."""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from report_wizard.cli import main  # noqa: E402


class _Null:
    def write(self, text: str) -> int:
        return len(text)

    def flush(self) -> None:
        pass


def run(count: int = 1000) -> None:
    folder = Path(tempfile.mkdtemp())
    corpus = sorted((ROOT / "tests" / "fixtures" / "corpus").glob("*.txt")) + sorted(
        (ROOT / "tests" / "fixtures" / "corpus").glob("*.md")
    )
    example = ROOT / "sessions" / "example-xidajie-2023.toml"
    for i in range(count):
        source = corpus[i % len(corpus)]
        shutil.copyfile(source, folder / f"r{i:04d}{source.suffix}")
        shutil.copyfile(example, folder / f"s{i:04d}.toml")
    for fmt in ("text", "json", "csv"):
        start = time.perf_counter()
        code = main(["check", "--format", fmt, str(folder)], _Null())
        elapsed = time.perf_counter() - start
        print(
            f"check {count} txt/md reports + {count} sessions ({fmt}): {elapsed:.2f} s "
            f"({elapsed / (2 * count) * 1000:.2f} ms per file), exit {code}"
        )
    shutil.rmtree(folder)


if __name__ == "__main__":
    run(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
