"""Time to render the example session to .docx: in process (render_docx, warm) and as a whole command
(`render --format docx -o FILE`), median of 7 each, with `render --format txt -o FILE` beside it.

Usage: python bench/docx_render.py [runs]. Prints medians in ms.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from report_wizard import store
from report_wizard.checks import run_checks
from report_wizard.core.model import derive_report
from report_wizard.output.docx import render_docx

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "sessions" / "example-xidajie-2023.toml"


def median_ms(work, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 7
    report = derive_report(store.load_session(EXAMPLE))
    findings = run_checks(report)
    render_docx(report, findings)  # first call: imports python-docx, reads the style file
    print(f"render_docx (in process, warm)        {median_ms(lambda: render_docx(report, findings), runs):8.1f} ms")
    with tempfile.TemporaryDirectory() as folder:
        for fmt in ("docx", "txt"):
            argv = [sys.executable, "-m", "report_wizard", "render", str(EXAMPLE), "--format", fmt]
            argv += ["-o", str(Path(folder) / f"report.{fmt}")]
            ms = median_ms(lambda argv=argv: subprocess.run(argv, check=True, stdout=subprocess.DEVNULL), runs)
            print(f"render --format {fmt} -o FILE (process) {ms:8.1f} ms")


if __name__ == "__main__":
    main()
