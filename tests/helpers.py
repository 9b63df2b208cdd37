"""What many test modules share: paths, the example and seed sessions, an interview driven by a list of
answers, the app factory and typing helpers for Pilot tests, and the non-zero county session typed in
plain mode. Test modules import from here, never from each other."""

from __future__ import annotations

import errno
import fcntl
import os
import struct
import types
from datetime import datetime, timedelta, timezone
from pathlib import Path

import tomli_w
from textual import events
from textual.pilot import Pilot

from report_wizard import store
from report_wizard.core import form
from report_wizard.core.model import Block, Report, Session, derive_report
from report_wizard.interview import Interview
from report_wizard.store import load_session, new_session, session_document, session_path
from report_wizard.tui.app import ReportWizardApp
from report_wizard.tui.screens.interview import InterviewScreen

FIXTURES = Path(__file__).parent / "fixtures"
ROOT = Path(__file__).parent.parent

# ---------------------------------------------------------------- the interview, driven by answers

SEED = Path(__file__).parent / "fixtures" / "seed-xidajie-2023.txt"
TABLE_SECTIONS = ("proactive", "requests", "review_litigation")
SEED_BASICS = ["西大街街道", "街道/乡镇", "文峰区人民政府", "2023", "西大街 2023 年政府信息公开工作年度报告"]


def seed_paragraphs() -> dict[str, list[str]]:
    """The narrative paragraphs of the seed report, by section id."""
    headings = {s.heading: s.id for s in form.SECTIONS}
    out: dict[str, list[str]] = {}
    section = None
    for line in SEED.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line in headings:
            section = headings[line]
            out[section] = []
        elif section and line:
            out[section].append(line)
    return {s: out[s] for s in form.NARRATIVE_SECTIONS}


def seed_answers() -> list[str]:
    """What the clerk of 西大街街道 types for the 2023 report: basics, 否 to every gate, then in each narrative
    section 「自己写」 and the paragraphs."""
    answers = [*SEED_BASICS, *["否"] * 8]
    for paragraphs in seed_paragraphs().values():
        answers += ["自己写", *paragraphs, ""]
    return answers


def new_interview(kind: str = "subdistrict", **meta: str) -> Interview:
    return Interview(store.new_session("西大街街道", 2023, agency_kind=kind, **meta))


def drive(iv: Interview, answers: list[str]) -> list[str]:
    """Answer in turn, asserting each answer is accepted; returns the ids of the questions answered."""
    asked = []
    for text in answers:
        ask = iv.current()
        assert ask is not None, f"no question left for {text!r}"
        reply = iv.answer(text)
        assert reply.ok, (ask.id, text, reply.message)
        asked.append(ask.id)
    return asked


# The questions a 街道 is asked for tables 二–四 when every gate is answered with Enter.
GATE_QUESTIONS = [
    "proactive.normative_documents.gate",
    "proactive.permits",
    "proactive.penalties",
    "proactive.enforcement",
    "proactive.fees",
    "requests.new.gate",
    "requests.carried.gate",
    "review_litigation.gate",
]


def at_section(section: str, kind: str = "subdistrict", **meta: str) -> Interview:
    """A new session with every figure zero by Enter, stopped at the first question of ``section``."""
    iv = Interview(store.new_session("测试街道", 2025, agency_kind=kind, **meta))
    while (ask := iv.current()) is not None and ask.section != "overview":
        drive(iv, [""])
    if section != "overview":
        iv.goto_section(section)  # walks through the section, then back to the first open question
    return iv


# ---------------------------------------------------------------- the non-zero county report (plain mode)
COUNTY_ANSWERS = [
    # basics: agency, 3 = 县区政府部门, superior, year, the standard title
    *["文峰区教育局", "3", "文峰区人民政府", "2023", ""],
    # table 二 (a county department is not asked about 规章): 规范性文件 3/1/12, 许可 45, 处罚 7, 强制 2, 收费 1.25 万元
    *["是", "3", "1", "12", "45", "7", "2", "1.25"],
    # new requests: 自然人 10, 商业企业 2, 社会公益组织 1, 法律服务机构 3; carried over: 自然人 1, 法律服务机构 1
    *["是", "1 2 4 5", "10", "2", "1", "3", "是", "1 5", "1", "1"],
    # 自然人 (11): 予以公开 5, 部分公开 2, 保护第三方合法权益 1, 本机关不掌握 1, 其他 1, 结转下年度 1
    *["1 2 3 4 6 7", "4", "1", "3", "5", "2", "1", "1", "1", "1"],
    # 商业企业 (2): 予以公开 1, 本机关不掌握 1
    *["1 4", "1", "1", "1"],
    # 社会公益组织 (1): 予以公开 (one outcome: no count asked)
    "1",
    # 法律服务机构 (4): 予以公开 1, 部分公开 1, 属于四类过程性信息 1, 重复申请 1
    *["1 2 3 5", "6", "2", "1", "1", "1", "1"],
    # table 四: all three groups, 结果维持 结果纠正 其他结果 尚未审结
    *["是", "1 2 3", "2 1 0 1", "1 0 1 0", "0 0 0 1"],
]
NARRATIVE_ENTERS = [""] * 17  # sections 一、五、六 from the paragraph library, every suggestion accepted


# ---------------------------------------------------------------- the TUI: app factory, fixed sessions, typing
EXAMPLE = ROOT / "sessions" / "example-xidajie-2023.toml"
# Shown on the home screen as 最后修改: fixed so snapshots do not depend on the clock.
FIXED_TIME = datetime(2024, 1, 15, 10, 30, tzinfo=timezone(timedelta(hours=8)))
SIZES = ((80, 24), (120, 40))


# What the engine stores for the basics of 测试街道 2024 answered with Enter (as in a saved session).
BASICS = {
    "basics.agency": "测试街道",
    "basics.agency_kind": "subdistrict",
    "basics.superior": "",
    "basics.year": 2024,
    "basics.title": "",
}


def make_app(folder: Path, path: Path | None = None) -> ReportWizardApp:
    """The app as run_app builds it (home screen of ``folder``, or ``path`` opened), cursor blink off."""
    return ReportWizardApp(folder, path, cursor_blink=False)


def write_session(folder: Path, session: Session, name: str | None = None) -> Path:
    """Write a session with fixed timestamps (save_session would stamp the current time)."""
    session.meta.created = session.meta.updated = FIXED_TIME
    path = folder / name if name else session_path(session.meta.agency, session.meta.year, folder)
    path.write_text(tomli_w.dumps(session_document(session)), encoding="utf-8")
    return path


def new_file(folder: Path, agency: str = "测试街道", year: int = 2024, **answers: object) -> Path:
    session = new_session(agency, year)
    session.answers.update(answers)  # type: ignore[arg-type]
    return write_session(folder, session)


def xidajie_answers() -> list[str]:
    """What a clerk types for the seed report (西大街街道 2023), in asking order; "" is a bare Enter.

    Built like the interview tests build theirs: the basics, every gate answered 否, then in each narrative
    section 「2」 (自己写, a choice number answers at once) and the example session's own paragraphs, closed
    with an Enter.
    """
    example = load_session(EXAMPLE)
    paragraphs = {section: [block.text for block in blocks] for section, blocks in example.narrative.items()}
    basics = ["西大街街道", "1", "文峰区人民政府", "2023", example.meta.title]
    figures = ["否", "", "", "", "", "否", "否", "否"]  # 规范性文件, 许可, 处罚, 强制, 收费, 新收, 结转, 复议诉讼
    narrative = [text for section in ("overview", "problems", "other") for text in ["2", *paragraphs[section], ""]]
    return basics + figures + narrative


async def answer(pilot: Pilot, text: str) -> None:
    """Type an answer and press Enter, as a clerk does for every kind of question (a choice too: its
    number, then Enter). Short answers key by key, paragraphs pasted as a clerk would.

    (Pilot cannot press full-width punctuation such as 「、」 as keys, so text with it is pasted too.)
    """
    if len(text) > 12 or not all(ch.isalnum() or ch.isascii() for ch in text):
        pilot.app.post_message(events.Paste(text))  # as a terminal delivers it: the app forwards it to the focus
        await pilot.pause()
    elif text:
        await pilot.press(*text)
    await pilot.press("enter")
    await pilot.pause()


async def burst(pilot: Pilot, *keys: str) -> None:
    """Send keys as a terminal delivers a fast typist's burst: all queued at once, nothing processed between
    them (Pilot.press waits for the app to settle after every key, which hides races)."""
    app = pilot.app
    for key in keys:
        char = key if len(key) == 1 else None
        event = events.Key(key, char)
        event.set_sender(app)
        app._driver.send_message(event)  # type: ignore[union-attr]
    await pilot.pause()
    await pilot.pause()


def interview_screen(app: ReportWizardApp) -> InterviewScreen:
    screens = [s for s in app.screen_stack if isinstance(s, InterviewScreen)]
    assert screens, f"no interview open; screen stack: {app.screen_stack}"
    return screens[-1]


# Table 二 answered with Enter (no 规范性文件, zero decisions and fees).
PROACTIVE = {
    "proactive.normative_documents.gate": "",
    "proactive.permits": "",
    "proactive.penalties": "",
    "proactive.enforcement": "",
    "proactive.fees": "",
}


# ---------------------------------------------------------------- a fake msvcrt for the Windows lock path
class FakeMsvcrt(types.ModuleType):
    """msvcrt.locking and its modes; ``held`` is every region this process holds, per file descriptor."""

    LK_UNLCK, LK_LOCK, LK_NBLCK, LK_RLCK, LK_NBRLCK = 0, 1, 2, 3, 4  # the values of the real module

    def __init__(self) -> None:
        super().__init__("msvcrt")
        self.held: dict[int, set[tuple[int, int]]] = {}
        self.calls: list[tuple[int, int, int]] = []  # (mode, position, nbytes)

    @staticmethod
    def _ofd(fd: int, kind: int, start: int, nbytes: int) -> None:
        fcntl.fcntl(fd, fcntl.F_OFD_SETLK, struct.pack("hhqqi4x", kind, os.SEEK_SET, start, nbytes, 0))

    def locking(self, fd: int, mode: int, nbytes: int) -> None:
        start = os.lseek(fd, 0, os.SEEK_CUR)
        self.calls.append((mode, start, nbytes))
        regions = self.held.setdefault(fd, set())
        if mode == self.LK_UNLCK:
            if (start, nbytes) not in regions:  # Windows: ERROR_NOT_LOCKED
                raise PermissionError(errno.EACCES, "Permission denied")
            self._ofd(fd, fcntl.F_UNLCK, start, nbytes)
            regions.discard((start, nbytes))
            return
        if mode not in (self.LK_NBLCK, self.LK_NBRLCK):  # the blocking modes would hang a window
            raise NotImplementedError(mode)
        if any(s < start + nbytes and start < s + n for s, n in regions):  # one handle cannot lock twice
            raise PermissionError(errno.EACCES, "Permission denied")
        try:
            self._ofd(fd, fcntl.F_WRLCK, start, nbytes)
        except BlockingIOError:
            raise PermissionError(errno.EACCES, "Permission denied") from None
        regions.add((start, nbytes))

    def locked(self) -> set[tuple[int, int]]:
        return {region for regions in self.held.values() for region in regions}


def county_report() -> Report:
    """文峰区教育局 2023: table 二 figures, requests in four columns and several outcome rows, table 四 cases, and
    sections 一、五、六 from the paragraph library (answered as in test_mutations_output)."""
    iv = Interview(store.new_session("未命名", 2024))
    for text in [*COUNTY_ANSWERS, *NARRATIVE_ENTERS]:
        reply = iv.answer(text)
        assert reply.ok, (text, reply.message)
    assert iv.current() is None
    return iv.report()


# ---------------------------------------------------------------- big tables (issue 12): the 市级人民政府 table 三
COLUMNS = form.T3_PART_COLUMNS
# The 市级人民政府 of issue 12, typed row by row: (row, what is typed, the six numbers it means).
CITY_ROWS: list[tuple[str, str, list[int]]] = [
    ("new_requests", "2410 64 3 2 45 7", [2410, 64, 3, 2, 45, 7]),
    ("carried_over", "41 2 0 0 1 0", [41, 2, 0, 0, 1, 0]),
    ("results.disclosed", "1102 30 2 1 30 4", [1102, 30, 2, 1, 30, 4]),
    ("results.partly_disclosed", "356 9 0 0 2 0", [356, 9, 0, 0, 2, 0]),
    ("results.denied.state_secret", "3", [3, 0, 0, 0, 0, 0]),
    ("results.denied.prohibited_by_law", "25 1", [25, 1, 0, 0, 0, 0]),
    ("results.denied.three_safeties", "4", [4, 0, 0, 0, 0, 0]),
    ("results.denied.third_party", "8 2", [8, 2, 0, 0, 0, 0]),
    ("results.denied.internal_affairs", "6", [6, 0, 0, 0, 0, 0]),
    ("results.denied.process_info", "15 1", [15, 1, 0, 0, 0, 0]),
    ("results.denied.enforcement_file", "11", [11, 0, 0, 0, 0, 0]),
    ("results.denied.inquiry", "88", [88, 0, 0, 0, 0, 0]),
    ("results.unable.not_held", "590 14 1 1 9 2", [590, 14, 1, 1, 9, 2]),
    ("results.unable.needs_creation", "14", [14, 0, 0, 0, 0, 0]),
    ("results.unable.unclear", "3", [3, 0, 0, 0, 0, 0]),
    ("results.not_processed.petition", "47 3", [47, 3, 0, 0, 0, 0]),
    ("results.not_processed.repeated", "31", [31, 0, 0, 0, 0, 0]),
    ("results.not_processed.publication", "2", [2, 0, 0, 0, 0, 0]),
    ("results.not_processed.abusive", "1", [1, 0, 0, 0, 0, 0]),
    ("results.not_processed.confirmation", "2", [2, 0, 0, 0, 0, 0]),
    ("results.other.no_correction", "59 2 0 0 1 0", [59, 2, 0, 0, 1, 0]),
    ("results.other.fee_unpaid", "5", [5, 0, 0, 0, 0, 0]),
    ("results.other.other", "77 3", [77, 3, 0, 0, 0, 0]),
    ("carried_forward", "2 1 0 0 4 1", [2, 1, 0, 0, 4, 1]),
]
FIRST_OF_GROUP = {"results.denied.state_secret", "results.unable.not_held", "results.not_processed.petition"}
FIRST_OF_GROUP |= {"results.other.no_correction"}


def city_lines() -> list[str]:
    """Table 三 as the clerk types it: the first row at the gate, 是 before each group's sub-rows."""
    lines = []
    for row, typed, _ in CITY_ROWS:
        if row in FIRST_OF_GROUP:
            lines.append("是")
        lines.append(typed)
    return lines


def assert_city_table(report) -> None:
    for row, _, numbers in CITY_ROWS:
        assert [report.t3(row, c) for c in COLUMNS] == numbers, row
    assert [report.t3("results.total", c) for c in COLUMNS] == [2449, 65, 3, 2, 42, 6]
    assert report.t3("results.total") == 2567
    assert (report.t3("new_requests"), report.t3("carried_over"), report.t3("carried_forward")) == (2531, 44, 8)


def city_block(total: bool = True, labels: bool = True) -> str:
    values = {row: numbers for row, _, numbers in CITY_ROWS}
    values["results.total"] = [2449, 65, 3, 2, 42, 6]
    lines = ["申请人情况\t自然人\t商业企业\t科研机构\t社会公益组织\t法律服务机构\t其他\t总计"]
    for row in form.T3_ROWS:
        numbers = values[row.id] + ([sum(values[row.id])] if total else [])
        label = [form.t3_row_name(row.id)] if labels else []
        lines.append("\t".join([*label, *map(str, numbers)]))
    return "\r\n".join(lines) + "\r\n"


TO_REQUESTS = [""] * 10  # basics and table 二 by their defaults


def nonzero_case() -> Interview:
    """新收 12 (自然人 10, 商业企业 2), 上年结转 1 (自然人), outcomes allocated, 2 carried to next year."""
    iv = new_interview()
    drive(iv, [*TO_REQUESTS, "是", "1 2", "10", "2", "是", "自然人", "1"])
    ask = iv.current()
    assert ask.id == "requests.outcomes.natural_person"
    assert "11 件申请（本年新收 10 件，上年结转 1 件）" in ask.text
    drive(iv, ["1 2 4 7", "1"])  # 予以公开, 部分公开, 无法提供 (本机关不掌握), 结转下年度
    ask = iv.current()
    assert ask.id == "requests.count.natural_person.results.disclosed"
    assert "还有 11 件未归类" in ask.text
    drive(iv, ["7"])
    assert "还有 4 件未归类" in iv.current().text
    drive(iv, ["1", "1"])
    ask = iv.current()
    assert ask.id == "requests.count.natural_person.carried_forward"
    assert "还有 2 件未归类" in ask.text and ask.default == "2"
    drive(iv, [""])
    ask = iv.current()
    assert ask.id == "requests.outcomes.commercial"
    drive(iv, ["予以公开"])  # one outcome: both requests go there, no count asked
    assert iv.current().id == "review_litigation.gate"
    return iv


# ---------------------------------------------------------------- a report built from cells and text (the checks)
CLEAN_TEXT = {
    "overview": "本年度依法做好政府信息公开工作。",
    "problems": "存在宣传不够的问题。针对以上问题，2024年，我街道将加强宣传。",
    "other": "本年度未收取信息处理费。",
}


def report_of(
    cells: dict | None = None,
    declared: dict | None = None,
    text: dict | None = None,
    kind: str = "subdistrict",
    year: int = 2023,
    title: str = "",
) -> Report:
    """A report of 某街道 with these cells, printed totals and narrative (clean text where none is given)."""
    texts = CLEAN_TEXT | (text or {})
    session = Session(
        meta={"agency": "某街道", "agency_kind": kind, "year": year, "title": title},
        cells=cells or {},
        declared=declared or {},
        narrative={s: [Block(text=t)] for s, t in texts.items() if t},
    )
    return derive_report(session)
