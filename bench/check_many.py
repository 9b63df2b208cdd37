"""Check 1,000 session files in one process (the reviewer's batch case): total and per-file time."""

from __future__ import annotations

import random
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
    example = ROOT / "sessions" / "example-xidajie-2023.toml"
    files = []
    for i in range(count):
        target = folder / f"s{i}.toml"
        shutil.copyfile(example, target)
        files.append(str(target))
    random.shuffle(files)
    start = time.perf_counter()
    main(["check", *files], _Null())
    elapsed = time.perf_counter() - start
    print(f"check {count} files: {elapsed:.2f} s ({elapsed / count * 1000:.2f} ms per file)")
    shutil.rmtree(folder)


if __name__ == "__main__":
    run(int(sys.argv[1]) if len(sys.argv) > 1 else 1000)
