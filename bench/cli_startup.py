"""Whole-process time of `render` and `check` against a bare `import pydantic, jinja2` (medians).

Usage: python bench/cli_startup.py [runs]. Prints medians in ms and the ratio to the baseline.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = str(ROOT / "sessions" / "example-xidajie-2023.toml")

COMMANDS = {
    "baseline: import pydantic, jinja2": [sys.executable, "-c", "import pydantic, jinja2"],
    "render --format txt": [sys.executable, "-m", "report_wizard", "render", EXAMPLE],
    "render --format html": [sys.executable, "-m", "report_wizard", "render", EXAMPLE, "--format", "html"],
    "check": [sys.executable, "-m", "report_wizard", "check", EXAMPLE],
}


def median_ms(argv: list[str], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(argv, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 11
    results = {name: median_ms(argv, runs) for name, argv in COMMANDS.items()}
    baseline = next(iter(results.values()))
    for name, ms in results.items():
        print(f"{name:38s} {ms:8.1f} ms  x{ms / baseline:.2f}")


if __name__ == "__main__":
    main()
