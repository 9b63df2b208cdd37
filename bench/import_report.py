"""Import timings (medians): a 5-page pdf (corpus 01) and txt reports (corpus 03, Markdown by OCR; 10, flattened
crawler text), in process (reading + tables + session) and as a whole `report-wizard import` process.

Usage: python bench/import_report.py [runs]. Prints medians in ms.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "fixtures" / "corpus"
FILES = {
    "pdf, 5 pages (01)": CORPUS / "01_hongzequ_2023.pdf",
    "txt, OCR Markdown (03)": CORPUS / "03_shuyangxian_2025.txt",
    "txt, flattened tables (10)": CORPUS / "10_pingtan_2024.txt",
}


def in_process_ms(path: Path, runs: int) -> float:
    from report_wizard.reading import import_report

    import_report(path)  # warm: the pdf library's first import is not the reading
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        import_report(path)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def process_ms(path: Path, runs: int) -> float:
    times = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as folder:
            argv = [sys.executable, "-m", "report_wizard", "--dir", folder, "import", str(path)]
            start = time.perf_counter()
            subprocess.run(argv, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 11
    for name, path in FILES.items():
        inside, whole = in_process_ms(path, runs), process_ms(path, max(3, runs // 2))
        print(f"{name:28s} in process {inside:8.1f} ms   report-wizard import {whole:8.1f} ms")


if __name__ == "__main__":
    main()
