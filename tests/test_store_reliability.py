"""Store reliability: agency names, numbers in files, special and huge files, and the smaller store defects.

Every test reproduces a defect a tester found; each message a clerk can read is checked to be Chinese and to
name the file.
"""

from __future__ import annotations

import errno
import os
import re
import subprocess
import sys
import threading
import tomllib
import tracemalloc
from pathlib import Path

import pytest
import tomli_w
from pydantic import ValidationError

from report_wizard import store
from report_wizard.core import form, model
from report_wizard.core.errors import SessionFileError, SessionLockedError, WizardError
from report_wizard.core.model import Block, Meta, Session
from report_wizard.store import files as store_files
from report_wizard.store import listing as store_listing
from report_wizard.store import names as store_names

ROOT = Path(__file__).resolve().parent.parent
GOOD_HEAD = 'schema_version = 1\n\n[meta]\nagency = "西大街街道"\nyear = 2023\n'
FEE = "t2.fees.amount"
COUNT = "t3.new_requests.natural_person"
# English an OS or Python would say; a clerk must never read it.
OS_TEXTS = sorted({os.strerror(code) for code in errno.errorcode}, key=len, reverse=True)
ENGLISH = re.compile(r"Error|Exception|Input should|Value error|errno|Errno|cannot|invalid|denied|No such")


def write(path: Path, text: str) -> Path:
    path.write_bytes(text.encode())
    return path


def assert_clerk_message(message: str, path_name: str = "") -> None:
    """Chinese, one line, names the file; no errno numbers, no English reasons, no traceback."""
    if path_name:
        assert path_name in message, message
    assert re.search(r"[\u4e00-\u9fff]", message), message
    assert "\n" not in message and "Traceback" not in message
    assert "系统错误" not in message, message
    bare = re.sub(r"「[^」]*」", "", message)  # file names and quoted values are the clerk's own
    assert not ENGLISH.search(bare), message
    assert not any(text in bare for text in OS_TEXTS), message


def without_names(message: str) -> str:
    return re.sub(r"「[^」]*」", "", message)


# ================================================================ A. agency names
BAD_AGENCIES = {
    "newline": "西大街\n街道",
    "cr": "西大街\r街道",
    "nul": "西大街\x00街道",
    "esc": "\x1b[31m西大街街道",
    "tab": "西大街\t街道",
    "del": "西大街\x7f街道",
    "zero_width_space": "西大街\u200b街道",
    "zero_width_joiner": "西大街\u200d街道",
    "bom": "\ufeff西大街街道",
    "bidi_override": "\u202e西大街街道",
    "bidi_isolate": "西大街\u2066街道",
    "line_separator": "西大街\u2028街道",
}
BLANK_AGENCIES = [" ", "   ", "\u3000", " \u3000 "]
GOOD_AGENCIES = [
    "某某 街道",
    "西大街街道",
    "ＡＢＣ街道办事处",
    "《某某》街道(东)（西）",
    "文峰区人民政府办公室",
    "甲/乙街道",
]


@pytest.mark.parametrize("case", sorted(BAD_AGENCIES))
def test_agency_with_control_or_invisible_characters_is_refused_everywhere(tmp_path: Path, case: str) -> None:
    agency = BAD_AGENCIES[case]
    with pytest.raises(ValidationError):
        Meta(agency=agency, year=2023)
    with pytest.raises(WizardError, match="无法新建会话") as info:  # TUI form, plain mode, CLI --agency
        store.new_session(agency, 2023)
    assert "机关名称" in str(info.value)
    assert_clerk_message(str(info.value))
    document = tomli_w.dumps({"meta": {"agency": agency, "year": 2023}})  # TOML escapes, as an editor would
    path = write(tmp_path / "手改.toml", "schema_version = 1\n\n" + document)
    with pytest.raises(SessionFileError) as info:  # a hand-edited file
        store.load_session(path)
    assert "第 4 行" in str(info.value) and "机关名称" in str(info.value)
    assert_clerk_message(str(info.value), "「手改.toml」")


def test_the_message_says_which_character_is_wrong() -> None:
    with pytest.raises(WizardError) as info:
        store.new_session("西大街\n街道", 2023)
    assert "换行" in str(info.value) and "第 4 个字符" in str(info.value)
    with pytest.raises(WizardError) as info:
        store.new_session("西大街\u200b街道", 2023)
    assert "看不见" in str(info.value)


@pytest.mark.parametrize("agency", BLANK_AGENCIES)
def test_blank_agency_is_refused(tmp_path: Path, agency: str) -> None:
    with pytest.raises(WizardError, match="无法新建会话") as info:
        store.new_session(agency, 2023)
    assert "机关名称" in str(info.value) and "空" in str(info.value)
    path = write(tmp_path / "空.toml", f'schema_version = 1\n[meta]\nagency = "{agency}"\nyear = 2023\n')
    with pytest.raises(SessionFileError, match="第 3 行"):
        store.load_session(path)


@pytest.mark.parametrize("agency", GOOD_AGENCIES)
def test_ordinary_agency_names_are_accepted_and_round_trip(tmp_path: Path, agency: str) -> None:
    session = store.new_session(agency, 2023)
    path = store.session_path(agency, 2023, tmp_path)
    store.save_session(session, path)
    assert store.load_session(path).meta.agency == agency


def test_names_that_need_no_change_keep_their_file_name() -> None:
    assert store.session_filename("西大街街道", 2023) == "西大街街道-2023.toml"
    assert store.session_filename("甲_乙街道", 2023) == "甲_乙街道-2023.toml"
    assert store.session_filename("《某某》街道（东）", 2024) == "《某某》街道（东）-2024.toml"


def test_different_agencies_never_share_a_file_name() -> None:
    names = [
        "甲/乙街道",
        "甲_乙街道",
        "甲:乙街道",
        "甲\\乙街道",
        "甲 乙街道",
        "甲  乙街道",
        "../甲_乙街道",
        "甲_乙街道.",
    ]
    files = [store.session_filename(n, 2023) for n in names]
    assert len(set(files)) == len(names), files
    # A hashed name cannot be mistaken for an unchanged one, even if someone types the hash in.
    hashed = store.session_filename("甲/乙街道", 2023).removesuffix("-2023.toml")
    assert store.session_filename(hashed, 2023) != store.session_filename("甲/乙街道", 2023)


def test_hashed_file_names_are_stable_short_and_within_the_limit() -> None:
    first = store.session_filename("甲/乙街道", 2023)
    assert first == store.session_filename("甲/乙街道", 2023)  # deterministic
    assert re.fullmatch(r"甲_乙街道__[0-9a-f]{6}-2023\.toml", first), first
    assert store.session_filename("甲/乙街道", 2024) == first.replace("2023", "2024")  # one hash per agency
    code = (
        f"import sys; sys.path.insert(0, {str(ROOT / 'src')!r}); from report_wizard import store; "
        "print(store.session_filename('甲/乙街道', 2023))"
    )
    other = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert other.stdout.strip() == first  # stable across processes (no salted hash())
    for long in ["街" * 400, "街/" * 200, "a" * 1000 + "/"]:
        name = store.session_filename(long, 2023)
        assert len(name.removesuffix("-2023.toml").encode()) <= store_names.MAX_NAME_BYTES
    assert store.session_filename("街" * 400, 2023) != store.session_filename("街" * 401, 2023)


def test_a_session_saved_under_the_old_unhashed_name_keeps_its_path(tmp_path: Path) -> None:
    old = tmp_path / "某某_街道-2023.toml"  # what session_path gave 「某某 街道」 before names carried a hash
    store.save_session(store.new_session("某某 街道", 2023), old)
    assert store.session_path("某某 街道", 2023, tmp_path) == old
    # The same old name held by the other agency it collided with is not taken for this one.
    other = tmp_path / "甲_乙街道-2023.toml"
    store.save_session(store.new_session("甲_乙街道", 2023), other)
    assert store.session_path("甲/乙街道", 2023, tmp_path).name == store.session_filename("甲/乙街道", 2023)
    assert store.session_path("甲_乙街道", 2023, tmp_path) == other
    assert store.session_path("某某 街道", 2024, tmp_path).name == store.session_filename("某某 街道", 2024)


# ================================================================ B. numbers in files
NOT_FINITE = ["nan", "+nan", "-nan", "inf", "+inf", "-inf"]


@pytest.mark.parametrize("value", [*NOT_FINITE, "1e30", "1e11", "10000000001"])
def test_money_cell_must_be_a_finite_amount_within_bounds(tmp_path: Path, value: str) -> None:
    path = write(tmp_path / "费.toml", GOOD_HEAD + f'\n[cells]\n"{COUNT}" = 1\n"{FEE}" = {value}\n')
    with pytest.raises(SessionFileError) as info:
        store.load_session(path)
    message = str(info.value)
    assert "第 9 行" in message and form.cell_name(FEE) in message and f'cells."{FEE}"' in message, message
    assert_clerk_message(message, "「费.toml」")


@pytest.mark.parametrize("value", [*NOT_FINITE, "1e30", "1000000000001", "1" + "0" * 40])
def test_count_cells_and_declared_totals_must_be_finite_counts_within_bounds(tmp_path: Path, value: str) -> None:
    path = write(tmp_path / "件.toml", GOOD_HEAD + f'\n[cells]\n"{COUNT}" = {value}\n')
    with pytest.raises(SessionFileError) as info:
        store.load_session(path)
    assert "第 8 行" in str(info.value) and form.cell_name(COUNT) in str(info.value)
    assert_clerk_message(str(info.value), "「件.toml」")
    path = write(tmp_path / "合计.toml", GOOD_HEAD + f'\n[declared]\n"t3.results.total.total" = {value}\n')
    with pytest.raises(SessionFileError) as info:
        store.load_session(path)
    assert "第 8 行" in str(info.value) and "declared" in str(info.value)


def test_the_limits_themselves_are_accepted_and_ints_stay_exact(tmp_path: Path) -> None:
    big = model.MAX_COUNT - 1  # not representable exactly if it went through a float of lower precision
    path = write(
        tmp_path / "大.toml",
        GOOD_HEAD + f'\n[cells]\n"{COUNT}" = {big}\n"{FEE}" = {model.MAX_AMOUNT}\n'
        f'\n[declared]\n"t3.results.total.total" = {model.MAX_COUNT}\n',
    )
    session = store.load_session(path)
    assert session.cells[COUNT] == big and type(session.cells[COUNT]) is int
    assert session.cells[FEE] == model.MAX_AMOUNT
    assert session.declared["t3.results.total.total"] == model.MAX_COUNT
    with pytest.raises(ValidationError):
        Session(meta=Meta(agency="甲", year=2023), cells={COUNT: model.MAX_COUNT + 1})


def test_model_refuses_non_finite_numbers_assigned_in_code(tmp_path: Path) -> None:
    for cells in ({FEE: float("nan")}, {FEE: float("inf")}, {COUNT: float("inf")}, {FEE: 1e30}):
        with pytest.raises(ValidationError):
            Session(meta=Meta(agency="甲", year=2023), cells=cells)
    session = store.new_session("甲", 2023)
    session.cells[FEE] = float("nan")  # assignment is not validated: saving is the last line of defence
    with pytest.raises(SessionFileError, match="无法保存会话文件"):
        store.save_session(session, tmp_path / "s.toml")
    assert not (tmp_path / "s.toml").exists()


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "1e30"])
def test_paragraph_parameters_must_be_finite_and_bounded(tmp_path: Path, value: str) -> None:
    path = write(
        tmp_path / "段.toml",
        GOOD_HEAD + f'\n[[narrative.overview]]\nphrase = "overview.platforms"\n[narrative.overview.params]\n'
        f'name = "政务网"\ncount = {value}\n',
    )
    with pytest.raises(SessionFileError) as info:
        store.load_session(path)
    message = str(info.value)
    assert "narrative.overview[0].params" in message and "count" in message, message
    assert "第 1 段" in message
    assert_clerk_message(message, "「段.toml」")


def test_paragraph_parameters_that_are_ordinary_numbers_load() -> None:
    block = Block(phrase="p", params={"count": 3, "share": 12.5, "big": 10**12, "name": "甲"})
    assert block.params["big"] == 10**12 and type(block.params["big"]) is int


@pytest.mark.parametrize("value", ["nan", "inf", "-inf"])
def test_float_answers_must_be_finite(tmp_path: Path, value: str) -> None:
    path = write(tmp_path / "答.toml", GOOD_HEAD + f'\n[answers]\n"basics.year" = 2023\n"proactive.fees" = {value}\n')
    with pytest.raises(SessionFileError) as info:
        store.load_session(path)
    message = str(info.value)
    assert "第 9 行" in message and "proactive.fees" in message, message
    assert_clerk_message(message, "「答.toml」")
    ok = write(tmp_path / "好.toml", GOOD_HEAD + '\n[answers]\n"proactive.fees" = 1.5\nbig = 123456789012345678901\n')
    assert store.load_session(ok).answers["big"] == 123456789012345678901


# ================================================================ C. special and huge files
def _load_in_thread(path: Path) -> tuple[threading.Thread, dict]:
    result: dict = {}

    def run() -> None:
        try:
            store.load_session(path)
        except Exception as exc:
            result["error"] = exc

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, result


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
@pytest.mark.parametrize("via_link", [False, True])
def test_a_fifo_is_refused_without_blocking(tmp_path: Path, via_link: bool) -> None:
    fifo = tmp_path / "管道.toml"
    os.mkfifo(fifo)
    path = fifo
    if via_link:
        path = tmp_path / "链接.toml"
        path.symlink_to(fifo)
    thread, result = _load_in_thread(path)
    thread.join(timeout=20)  # a guard against the old hang, not a timing assertion
    blocked = thread.is_alive()
    if blocked:  # unblock the old code so the test run can go on
        fd = os.open(fifo, os.O_WRONLY)
        os.close(fd)
        thread.join()
    assert not blocked, "load_session blocked on a named pipe"
    error = result.get("error")
    assert isinstance(error, SessionFileError), error
    assert "不是普通文件" in str(error)
    assert_clerk_message(str(error), path.name)
    store.list_sessions(tmp_path)  # a pipe among the sessions does not hang the home screen either


@pytest.mark.skipif(not os.path.exists("/dev/null"), reason="POSIX devices")
def test_load_refuses_a_character_device(tmp_path: Path) -> None:
    link = tmp_path / "设备.toml"
    link.symlink_to("/dev/null")  # not /dev/zero: the old code would read it until memory ran out
    with pytest.raises(SessionFileError, match="不是普通文件"):
        store.load_session(link)


def test_listing_does_not_read_a_huge_file(tmp_path: Path) -> None:
    huge = tmp_path / "巨大-2023.toml"
    with open(huge, "wb") as out:
        out.write(GOOD_HEAD.encode())
        out.write(b"# " + b"x" * (store.MAX_FILE_BYTES * 2) + b"\n")
    write(tmp_path / "好-2023.toml", GOOD_HEAD)
    tracemalloc.start()
    try:
        infos = store.list_sessions(tmp_path)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < store.MAX_FILE_BYTES // 4, peak  # memory, not time: the big file was never read into memory
    by_name = {i.path.name: i for i in infos}
    assert "太大" in by_name["巨大-2023.toml"].error
    assert_clerk_message(by_name["巨大-2023.toml"].error, "巨大-2023.toml")
    assert by_name["好-2023.toml"].error == "" and by_name["好-2023.toml"].agency == "西大街街道"


def test_the_size_limit_holds_for_the_opened_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = write(tmp_path / "长.toml", GOOD_HEAD + "# " + "x" * 5000 + "\n")
    monkeypatch.setattr(store_files, "MAX_FILE_BYTES", 1000)
    real_stat = os.stat

    def small_stat(p, *args, **kwargs):  # the size seen before opening is harmless; what is read counts
        st = real_stat(p, *args, **kwargs)
        if Path(p) == path:
            return os.stat_result((st.st_mode, st.st_ino, st.st_dev, st.st_nlink, st.st_uid, st.st_gid, 10, *st[7:]))
        return st

    monkeypatch.setattr(os, "stat", small_stat)
    with pytest.raises(SessionFileError, match="太大"):
        store.load_session(path)


def test_list_sessions_does_not_fully_load_sound_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    session = store.new_session("甲街道", 2023, agency_kind="county_department")
    session.answers.update({"q1": True, "q2": 3, "q3": "无"})
    session.cells[COUNT] = 4
    session.narrative["overview"] = [Block(text="正文")]
    store.save_session(session, tmp_path / "甲街道-2023.toml")

    def no_full_load(path: Path) -> Session:
        raise AssertionError(f"list_sessions fully loaded {path}")

    monkeypatch.setattr(store_listing, "load_session", no_full_load)
    [info] = store.list_sessions(tmp_path)
    assert (info.agency, info.year, info.agency_kind, info.answered, info.error) == (
        "甲街道",
        2023,
        "county_department",
        3,
        "",
    )
    assert info.updated == session.meta.updated


def test_list_sessions_still_shows_why_a_broken_file_cannot_be_opened(tmp_path: Path) -> None:
    write(tmp_path / "坏-2023.toml", '[meta]\nagency = "丁街道"\nyear = 2023\nyear = 1\n')
    write(tmp_path / "坏年-2023.toml", '[meta]\nagency = "戊街道"\nyear = "二〇二三"\n')
    write(tmp_path / "坏名-2023.toml", '[meta]\nagency = "戊\\n街道"\nyear = 2023\n')
    write(tmp_path / "坏答-2023.toml", GOOD_HEAD + "\n[answers]\nq = { a = 1 }\n")
    (tmp_path / "坏码-2023.toml").write_bytes('[meta]\nagency = "西大街"\n'.encode("gbk"))
    write(tmp_path / "未来-2023.toml", 'schema_version = 99\n[meta]\nagency = "甲"\nyear = 2023\n')
    write(tmp_path / "多余-2023.toml", 'schema_version = 1\ncolour = 1\n[meta]\nagency = "甲"\nyear = 2023\n')
    infos = {i.path.name: i for i in store.list_sessions(tmp_path)}
    assert "第 4 行" in infos["坏-2023.toml"].error
    assert "第 3 行" in infos["坏年-2023.toml"].error and infos["坏年-2023.toml"].agency == "戊街道"
    assert "第 2 行" in infos["坏名-2023.toml"].error and "机关名称" in infos["坏名-2023.toml"].error
    assert "answers.q" in infos["坏答-2023.toml"].error
    assert "UTF-8" in infos["坏码-2023.toml"].error
    assert "更新版本" in infos["未来-2023.toml"].error
    assert "colour" in infos["多余-2023.toml"].error
    for info in infos.values():
        assert_clerk_message(info.error, info.path.name)


def test_multiline_text_in_answers_that_looks_like_a_table_header(tmp_path: Path) -> None:
    session = store.new_session("甲街道", 2023)
    session.answers["note"] = "第一行\n[cells]\n第三行"
    session.answers["after"] = 1
    store.save_session(session, tmp_path / "甲街道-2023.toml")
    [info] = store.list_sessions(tmp_path)
    assert info.error == "" and info.answered == 2


def test_answers_written_after_the_cells_are_still_counted(tmp_path: Path) -> None:
    write(tmp_path / "手排-2023.toml", GOOD_HEAD + f'\n[cells]\n"{COUNT}" = 1\n\n[answers]\nq1 = true\nq2 = 2\n')
    [info] = store.list_sessions(tmp_path)
    assert info.error == "" and info.answered == 2


def test_listing_again_sees_every_change(tmp_path: Path) -> None:
    path = tmp_path / "甲-2023.toml"
    session = store.new_session("甲", 2023)
    session.answers["q1"] = 1
    store.save_session(session, path)
    [first] = store.list_sessions(tmp_path)
    assert first.answered == 1 and store.list_sessions(tmp_path) == [first]
    stamp = path.stat().st_mtime_ns
    path.write_bytes(path.read_bytes().replace(b"year = 2023", b"year = 2024"))  # same size …
    os.utime(path, ns=(stamp, stamp))  # … and the same mtime: still a different file
    [second] = store.list_sessions(tmp_path)
    assert (first.year, second.year) == (2023, 2024)
    path.write_bytes(path.read_bytes().replace(b"[meta]", b"[meta"))
    [broken] = store.list_sessions(tmp_path)
    assert broken.error and "第" in broken.error
    path.unlink()
    assert store.list_sessions(tmp_path) == []


DEEP = "x = " + "[" * 5000 + "]" * 5000 + "\n"


@pytest.mark.parametrize("where", ["top", "meta", "answers"])
def test_absurd_nesting_is_a_chinese_message_in_load_and_list(tmp_path: Path, where: str) -> None:
    content = {
        "top": DEEP + GOOD_HEAD,
        "meta": GOOD_HEAD + DEEP,
        "answers": GOOD_HEAD + "\n[answers]\n" + DEEP.replace("x", "q"),
    }[where]
    path = write(tmp_path / "深-2023.toml", content)
    with pytest.raises(SessionFileError) as info:
        store.load_session(path)
    assert "RecursionError" not in str(info.value) and "嵌套" in str(info.value)
    assert_clerk_message(str(info.value), "「深-2023.toml」")
    [listed] = store.list_sessions(tmp_path)  # used to crash with a RecursionError
    assert "嵌套" in listed.error


def test_bench_list_sessions_runs() -> None:
    out = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "list_sessions.py"), "30"], capture_output=True, text=True, check=True
    )
    assert "list_sessions" in out.stdout and "30" in out.stdout


# ================================================================ D1. unknown narrative section
def test_unknown_narrative_section_names_its_own_key_and_line(tmp_path: Path) -> None:
    path = write(
        tmp_path / "文.toml",
        GOOD_HEAD + '\n[[narrative.overview]]\ntext = "甲"\n\n[[narrative.x]]\ntext = "乙"\n',
    )
    with pytest.raises(SessionFileError) as info:
        store.load_session(path)
    message = str(info.value)
    assert "第 10 行" in message and "narrative.x" in message and "narrative.overview" not in message, message
    assert "未知的文字部分「x」" in message


# ================================================================ D2. symlinked sessions
def test_saving_through_a_symlink_writes_the_target(tmp_path: Path) -> None:
    real_folder = tmp_path / "真实"
    real_folder.mkdir()
    target = real_folder / "西大街街道-2023.toml"
    session = store.new_session("西大街街道", 2023)
    store.save_session(session, target)
    first = target.read_bytes()
    link = tmp_path / "快捷方式.toml"
    link.symlink_to(target)
    loaded = store.load_session(link)
    loaded.answers["q"] = 1
    store.save_session(loaded, link)
    assert link.is_symlink() and link.resolve() == target.resolve()  # not forked into a regular file
    assert store.load_session(target).answers == {"q": 1}
    assert (real_folder / "西大街街道-2023.toml.bak").read_bytes() == first  # backup beside the target
    assert sorted(p.name for p in tmp_path.iterdir()) == ["快捷方式.toml", "真实"]
    assert sorted(p.name for p in real_folder.iterdir()) == ["西大街街道-2023.toml", "西大街街道-2023.toml.bak"]


def test_a_session_opened_through_a_link_and_directly_shares_one_lock(tmp_path: Path) -> None:
    target = tmp_path / "s.toml"
    store.save_session(store.new_session("甲", 2023), target)
    link = tmp_path / "link.toml"
    link.symlink_to(target)
    with store.SessionLock(link), pytest.raises(SessionLockedError, match="已在另一个窗口中打开"):
        store.SessionLock(target).acquire()


# ================================================================ D3. Chinese reasons for system errors
REASONS = {
    errno.ENOSPC: "磁盘已满",
    errno.EACCES: "没有权限",
    errno.EPERM: "没有权限",
    errno.EROFS: "磁盘只读",
    errno.ENOENT: "找不到",
    errno.EISDIR: "是文件夹",
    errno.ENAMETOOLONG: "文件名太长",
    errno.EMFILE: "打开的文件太多",
    errno.ENFILE: "打开的文件太多",
    errno.EIO: "读写出错",
    errno.EXDEV: "无法访问（原因未知）",
}


@pytest.mark.parametrize("code", sorted(REASONS))
def test_save_errors_have_chinese_reasons(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int) -> None:
    path = tmp_path / "s.toml"
    store.save_session(store.new_session("甲", 2023), path)
    before = path.read_bytes()

    def fail(*args, **kwargs):
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(SessionFileError) as info:
        store.save_session(store.new_session("乙", 2023), path)
    message = str(info.value)
    assert REASONS[code] in message and "之前保存的内容没有改动" in message
    assert str(code) not in without_names(message)
    assert_clerk_message(message, "s.toml")
    assert path.read_bytes() == before


@pytest.mark.parametrize("code", [errno.EACCES, errno.ENOSPC, errno.EIO, errno.EXDEV])
def test_export_errors_have_chinese_reasons(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int) -> None:
    def fail(*args, **kwargs):
        raise OSError(code, os.strerror(code))

    monkeypatch.setattr(os, "replace", fail)
    with pytest.raises(WizardError) as info:
        store.atomic_write_text(tmp_path / "报告.txt", "正文")
    assert REASONS[code] in str(info.value) and str(code) not in without_names(str(info.value))
    assert_clerk_message(str(info.value), "报告.txt")


@pytest.mark.parametrize("code", [errno.EIO, errno.EMFILE, errno.EXDEV])
def test_read_errors_have_chinese_reasons(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int) -> None:
    path = write(tmp_path / "读.toml", GOOD_HEAD)
    real_open = os.open

    def fail(p, *args, **kwargs):
        if Path(p) == path:
            raise OSError(code, os.strerror(code))
        return real_open(p, *args, **kwargs)

    monkeypatch.setattr(os, "open", fail)
    with pytest.raises(SessionFileError) as info:
        store.load_session(path)
    assert REASONS[code] in str(info.value) and str(code) not in without_names(str(info.value))
    assert_clerk_message(str(info.value), "读.toml")


@pytest.mark.parametrize("code", [errno.EACCES, errno.EROFS, errno.ENOSPC])
def test_lock_file_errors_have_chinese_reasons(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, code: int) -> None:
    path = tmp_path / "锁.toml"
    real_open = os.open

    def fail(p, *args, **kwargs):
        if str(p).endswith(".lock"):
            raise OSError(code, os.strerror(code))
        return real_open(p, *args, **kwargs)

    monkeypatch.setattr(os, "open", fail)
    with pytest.raises(SessionFileError) as info:
        store.SessionLock(path).acquire()
    assert REASONS[code] in str(info.value) and str(code) not in without_names(str(info.value))
    assert_clerk_message(str(info.value), "锁.toml")


# ================================================================ D4. read-only files and folders
def _open_fds() -> set[str]:
    return set(os.listdir("/proc/self/fd")) if os.path.isdir("/proc/self/fd") else set()


def test_is_writable_tells_a_read_only_file(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    assert store.is_writable(path)  # a new file in a writable folder
    store.save_session(store.new_session("甲", 2023), path)
    assert store.is_writable(path)
    path.chmod(0o444)
    try:
        assert not store.is_writable(path)
        assert store.load_session(path).meta.agency == "甲"  # it still opens, for reading
        link = tmp_path / "link.toml"
        link.symlink_to(path)
        assert not store.is_writable(link)
    finally:
        path.chmod(0o644)


def test_saving_a_read_only_file_is_refused_in_chinese(tmp_path: Path) -> None:
    path = tmp_path / "只读.toml"
    store.save_session(store.new_session("甲", 2023), path)
    before = path.read_bytes()
    path.chmod(0o444)
    try:
        with pytest.raises(SessionFileError) as info:
            store.save_session(store.new_session("乙", 2023), path)
        assert "只读" in str(info.value) and "之前保存的内容没有改动" in str(info.value)
        assert_clerk_message(str(info.value), "只读.toml")
        assert path.read_bytes() == before
        assert sorted(p.name for p in tmp_path.iterdir()) == ["只读.toml"]
    finally:
        path.chmod(0o644)


@pytest.fixture
def read_only_folder(tmp_path: Path):
    """(folder holding s.toml, the reason a clerk should read): chmod where it binds, else a read-only tmpfs."""
    folder = tmp_path / "只读夹"
    folder.mkdir()
    if os.geteuid() != 0:
        store.save_session(store.new_session("甲", 2023), folder / "s.toml")
        folder.chmod(0o555)
        yield folder, "没有权限"
        folder.chmod(0o755)
        return
    mount = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(folder)], capture_output=True)
    if mount.returncode != 0:
        pytest.skip("root ignores folder modes and cannot mount a read-only folder here")
    try:
        store.save_session(store.new_session("甲", 2023), folder / "s.toml")
        subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True, capture_output=True)
        yield folder, "磁盘只读"
    finally:
        subprocess.run(["umount", str(folder)], capture_output=True)


@pytest.mark.skipif(not hasattr(os, "geteuid"), reason="POSIX permissions")
def test_read_only_folder(read_only_folder: tuple[Path, str]) -> None:
    folder, reason = read_only_folder
    path = folder / "s.toml"
    assert not store.is_writable(path)
    assert not store.is_writable(folder / "new.toml")
    assert store.load_session(path).meta.agency == "甲"
    with pytest.raises(SessionFileError, match=reason) as info:
        store.SessionLock(path).acquire()
    assert_clerk_message(str(info.value), "s.toml")
    with pytest.raises(SessionFileError, match=reason):
        store.save_session(store.new_session("乙", 2023), path)
    assert store.load_session(path).meta.agency == "甲"


@pytest.mark.parametrize("call", ["write", "ftruncate"])
def test_lock_on_a_full_disk_is_a_message_and_leaks_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, call: str
) -> None:
    path = tmp_path / "满.toml"
    lock_path = tmp_path / "满.toml.lock"
    real = getattr(os, call)

    def full(fd, *args):
        try:
            is_lock = os.path.samestat(os.fstat(fd), os.stat(lock_path))
        except OSError:
            is_lock = False
        if is_lock:
            raise OSError(errno.ENOSPC, "No space left on device")
        return real(fd, *args)

    before = _open_fds()
    monkeypatch.setattr(os, call, full)
    with pytest.raises(SessionFileError) as info:
        store.SessionLock(path).acquire()
    monkeypatch.undo()
    assert "磁盘已满" in str(info.value)
    assert_clerk_message(str(info.value), "满.toml")
    assert _open_fds() <= before  # the lock file descriptor was closed
    with store.SessionLock(path) as lock:  # nothing stale is held
        assert lock.held


# ================================================================ D5. the example on a full disk
def test_copy_example_on_a_full_disk_leaves_no_partial_copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    dest = tmp_path / "dest"

    def no_space(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", no_space)
    with pytest.raises(SessionFileError, match="磁盘已满") as info:
        store.copy_example(dest)
    assert_clerk_message(str(info.value))
    assert list(dest.iterdir()) == []  # the folder is made first; no partial copy, no temp file in it
    monkeypatch.undo()
    copy = store.copy_example(dest)  # the first name is still free
    assert copy.name.endswith("-副本.toml") and store.load_session(copy).meta.agency == "西大街街道"


# ================================================================ D6. exclusive creation
def test_create_session_file_refuses_an_existing_file(tmp_path: Path) -> None:
    path = tmp_path / "西大街街道-2023.toml"
    first = store.new_session("西大街街道", 2023)
    store.create_session_file(first, path)
    assert store.load_session(path).meta.agency == "西大街街道"
    before = path.read_bytes()
    with pytest.raises(SessionFileError, match="已存在") as info:
        store.create_session_file(store.new_session("西大街街道", 2023, superior="另一个"), path)
    assert isinstance(info.value, store.SessionExistsError)
    assert_clerk_message(str(info.value), "西大街街道-2023.toml")
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["西大街街道-2023.toml"]  # no temp file, no .bak


def test_create_session_file_is_exclusive_under_a_race(tmp_path: Path) -> None:
    path = tmp_path / "甲-2023.toml"
    start = threading.Barrier(8)
    outcomes: list[str] = []

    def create(n: int) -> None:
        start.wait()
        try:
            store.create_session_file(store.new_session("甲", 2023, superior=f"上级{n}"), path)
            outcomes.append(f"ok{n}")
        except store.SessionExistsError:
            outcomes.append("exists")

    threads = [threading.Thread(target=create, args=(n,)) for n in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    winners = [o for o in outcomes if o.startswith("ok")]
    assert len(winners) == 1 and outcomes.count("exists") == 7
    assert store.load_session(path).meta.superior == f"上级{winners[0][2:]}"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["甲-2023.toml"]


def test_create_session_file_without_hard_links(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_links(src, dst, *args, **kwargs):
        raise OSError(errno.EPERM, "Operation not permitted")

    monkeypatch.setattr(os, "link", no_links)
    path = tmp_path / "甲-2023.toml"
    store.create_session_file(store.new_session("甲", 2023), path)
    assert store.load_session(path).meta.agency == "甲"
    with pytest.raises(store.SessionExistsError):
        store.create_session_file(store.new_session("甲", 2023), path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["甲-2023.toml"]
    umask = os.umask(0)
    os.umask(umask)
    assert path.stat().st_mode & 0o777 == 0o666 & ~umask


def test_create_session_file_on_a_full_disk_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_space(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "fsync", no_space)
    with pytest.raises(SessionFileError, match="磁盘已满"):
        store.create_session_file(store.new_session("甲", 2023), tmp_path / "甲-2023.toml")
    assert list(tmp_path.iterdir()) == []


def test_create_session_file_refuses_an_invalid_session(tmp_path: Path) -> None:
    session = store.new_session("甲", 2023)
    session.cells[COUNT] = -1
    with pytest.raises(SessionFileError, match="不能为负数"):
        store.create_session_file(session, tmp_path / "甲-2023.toml")
    assert list(tmp_path.iterdir()) == []


# ================================================================ D7. a file cut inside a character
def test_a_file_cut_inside_a_character_is_called_truncated(tmp_path: Path) -> None:
    raw = (GOOD_HEAD + 'superior = "文峰区人民政府"\n').encode()
    cut = raw[: raw.index("府".encode()) + 1]  # one byte of a three-byte character
    path = tmp_path / "断.toml"
    path.write_bytes(cut)
    with pytest.raises(SessionFileError) as info:
        store.load_session(path)
    assert "文件末尾不完整，可能没有保存完" in str(info.value) and "GBK" not in str(info.value)
    assert "第 6 行" in str(info.value)
    path.write_bytes(b"\xef\xbb\xbf" + raw[: raw.index("府".encode()) + 2])  # with a BOM, two bytes of three
    with pytest.raises(SessionFileError, match="文件末尾不完整"):
        store.load_session(path)
    path.write_bytes(raw + b"\xff")  # a byte that starts no character is not a truncation
    with pytest.raises(SessionFileError, match="GBK"):
        store.load_session(path)


# ================================================================ D8. the backup can restore a damaged file
def test_damage_message_points_to_a_loadable_backup(tmp_path: Path) -> None:
    path = tmp_path / "西大街街道-2023.toml"
    session = store.new_session("西大街街道", 2023)
    store.save_session(session, path)
    store.save_session(session, path)  # the second save keeps the first as .bak
    assert (tmp_path / "西大街街道-2023.toml.bak").exists()
    hint = "同一文件夹中有上一次保存的备份「西大街街道-2023.toml.bak」，可以用它恢复。"
    for damage in [b"", b"[meta\n", GOOD_HEAD.encode() + b'\n[cells]\n"x" = 1\n', "西".encode("gbk")]:
        path.write_bytes(damage)
        with pytest.raises(SessionFileError) as info:
            store.load_session(path)
        assert str(info.value).endswith(hint), str(info.value)
        assert str(info.value).count("。") >= 2
    path.unlink()
    with pytest.raises(SessionFileError, match="找不到会话文件") as info:
        store.load_session(path)
    assert hint in str(info.value)


def test_no_backup_hint_when_the_backup_is_damaged_too(tmp_path: Path) -> None:
    path = write(tmp_path / "s.toml", "[meta\n")
    write(tmp_path / "s.toml.bak", "[meta\n")
    with pytest.raises(SessionFileError) as info:
        store.load_session(path)
    assert "备份" not in str(info.value)
    write(tmp_path / "t.toml", "[meta\n")
    with pytest.raises(SessionFileError) as info:
        store.load_session(tmp_path / "t.toml")
    assert "备份" not in str(info.value)


def test_backup_hint_in_the_listing(tmp_path: Path) -> None:
    path = tmp_path / "甲-2023.toml"
    store.save_session(store.new_session("甲", 2023), path)
    store.save_session(store.new_session("甲", 2023), path)
    path.write_bytes(b"[meta\n")
    [info] = store.list_sessions(tmp_path)
    assert "可以用它恢复" in info.error


def test_saved_documents_stay_plain_toml(tmp_path: Path) -> None:
    """Guard for the new validators: a full, ordinary session still saves and loads unchanged."""
    session = store.new_session("某某 街道", 2023, superior="文峰区人民政府", title="")
    session.cells[FEE] = 12.75
    session.cells[COUNT] = model.MAX_COUNT
    session.answers.update({"a": 1.5, "b": True, "c": [1, 2], "d": "无"})
    session.narrative["overview"] = [Block(phrase="overview.platforms", params={"count": 3, "rate": 0.5})]
    path = store.session_path("某某 街道", 2023, tmp_path)
    store.save_session(session, path)
    assert tomllib.loads(path.read_text("utf-8"))["cells"][COUNT] == model.MAX_COUNT
    assert store.load_session(path) == session
