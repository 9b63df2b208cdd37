"""Engine time per answer on a full session: table 三 with every column, 一/五/六 from the paragraph library.

Prints the median and 90th percentile of Interview.answer() over edits of a table-三 count (each edit replays
every answer and reruns the checks), and of checks() (the split into 待填写 and what must be fixed).
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from report_wizard import store  # noqa: E402
from report_wizard.interview import Interview  # noqa: E402

ANSWERS = [
    *["", "", "", "", ""],
    *["是", "3", "1", "20"],
    *["120", "35", "4", "1.5"],
    *["是", "全部", "40", "5", "3", "2", "1", "4", "否"],
]


def full_session() -> Interview:
    iv = Interview(store.new_session("测试区教育局", 2024, agency_kind="county_department"))
    for text in ANSWERS:
        assert iv.answer(text).ok, text
    while (ask := iv.current()) is not None:  # allocation: every outcome category; narrative: suggestions
        text = "1 2 4 7" if ask.id.startswith("requests.outcomes.") else "1 2 3" if ask.id == "problems.pick" else ""
        if ask.id.startswith("requests.outcome.") and ask.kind == "multichoice":
            text = "1"
        reply = iv.answer(text)
        assert reply.ok, (ask.id, reply.message)
    return iv


def run(rounds: int = 60) -> None:
    iv = full_session()
    answers, checks = [], []
    for i in range(rounds):
        iv.goto("requests.new.natural_person")
        start = time.perf_counter()
        iv.answer(str(40 + i % 2))
        answers.append(time.perf_counter() - start)
        start = time.perf_counter()
        iv.checks()
        checks.append(time.perf_counter() - start)
        while iv.current() is not None:  # settle what the edit opened
            iv.answer("")
    for name, times in (("answer (edit + replay + checks)", answers), ("checks() split", checks)):
        times.sort()
        print(
            f"{name}: median {statistics.median(times) * 1000:.2f} ms, p90 {times[int(len(times) * 0.9)] * 1000:.2f} ms"
        )
    print(f"questions in the flow: {len(iv._flow.items)}, answers: {len(iv.session.answers)}")


if __name__ == "__main__":
    run()
