"""Session store: TOML round trip, atomic saves with backup, Chinese load errors, names, listing, locks."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import textwrap
import tomllib
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from report_wizard import store
from report_wizard.core import form, model, paths
from report_wizard.core.errors import SessionFileError, SessionLockedError, WizardError
from report_wizard.core.model import Block, Provenance, Session
from report_wizard.store import files as store_files  # internals patched by a few tests
from report_wizard.store import names as store_names

SRC = Path(store.__file__).resolve().parent.parent.parent
CST = timezone(timedelta(hours=8))


def full_session() -> Session:
    """Every input cell, 60 answers and narrative text: the biggest session the interview produces."""
    s = store.new_session("西大街街道办事处", 2023, superior="文峰区人民政府")
    for i, cell in enumerate(form.INPUT_CELLS):
        s.cells[cell] = 12.75 if cell in form.T2_MONEY_CELLS else i % 4  # zeros included: answered zeros
    s.sources[form.t3_cell("carried_over", "natural_person")] = Provenance.CARRIED
    for i in range(60):
        s.answers[f"q{i:02d}.gate"] = [True, 0, "无", ["a", "b"], False][i % 5]
    s.narrative["overview"] = [
        Block(text="2023年，西大街街道认真贯彻落实《条例》。\n一是“主动公开”；二是依申请公开。\n\n[meta]\n"),
        Block(phrase="overview.platforms", params={"count": 3, "name": "政务网"}, role="platforms"),
    ]
    s.narrative["problems"] = [Block(text='问题：引号 """ 反斜杠 \\ 制表\t结束  ')]
    s.narrative["other"] = [Block(text="Windows 行尾\r\n第二行\r\n")]
    return s


def write(path: Path, text: str) -> Path:
    path.write_bytes(text.encode())
    return path


GOOD_HEAD = 'schema_version = 1\n\n[meta]\nagency = "西大街街道"\nyear = 2023\n'


# ---------------------------------------------------------------- round trip
def test_round_trip_full_session(tmp_path: Path) -> None:
    s = full_session()
    path = store.session_path(s.meta.agency, 2023, tmp_path)
    store.save_session(s, path)
    loaded = store.load_session(path)
    assert loaded == s
    assert len(loaded.cells) == len(form.INPUT_CELLS) == 166
    assert loaded.cells[form.t2_cell("fees", "amount")] == 12.75
    assert loaded.narrative["overview"][0].text.endswith("[meta]\n")
    assert loaded.narrative["other"][0].text == "Windows 行尾\r\n第二行\r\n"
    assert loaded.narrative["problems"][0].text == '问题：引号 """ 反斜杠 \\ 制表\t结束  '
    assert loaded.sources[form.t3_cell("carried_over", "natural_person")] is Provenance.CARRIED


def test_saved_file_is_readable_toml_in_stable_order(tmp_path: Path) -> None:
    s = full_session()
    path = tmp_path / "a.toml"
    store.save_session(s, path)
    text = path.read_text("utf-8")
    assert text.startswith(f"schema_version = {model.SCHEMA_VERSION}\n")
    headers = [line for line in text.splitlines() if line.startswith("[") and "." not in line]
    assert headers == ["[meta]", "[answers]", "[cells]", "[sources]", "[declared]", "[narrative]"]
    assert text.index("[declared]") < text.index("[narrative]")
    # Answered zeros stay explicit; "not answered" is a missing key.
    zero_cell = form.INPUT_CELLS[0]
    assert s.cells[zero_cell] == 0 and f'"{zero_cell}" = 0\n' in text
    assert "西大街街道办事处" in text  # unicode written as is, not escaped
    raw = tomllib.loads(text)
    assert raw["narrative"]["overview"][0] == {"text": s.narrative["overview"][0].text}  # no empty noise


def test_datetimes_round_trip_as_toml_datetimes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = datetime(2024, 1, 15, 9, 30, 5, tzinfo=CST)
    monkeypatch.setattr(store_files, "_now", lambda: first)
    s = store.new_session("西大街街道", 2023)
    path = tmp_path / "s.toml"
    store.save_session(s, path)
    assert s.meta.created == s.meta.updated == first
    raw = tomllib.loads(path.read_text("utf-8"))
    assert raw["meta"]["updated"] == first and isinstance(raw["meta"]["updated"], datetime)
    later = first + timedelta(days=2, minutes=3)
    monkeypatch.setattr(store_files, "_now", lambda: later)
    store.save_session(s, path)
    loaded = store.load_session(path)
    assert loaded.meta.created == first  # created is kept
    assert loaded.meta.updated == later and loaded.meta.updated.utcoffset() == timedelta(hours=8)


def test_now_is_aware_local_time_without_microseconds() -> None:
    now = store_files._now()
    assert now.tzinfo is not None and now.microsecond == 0


def test_document_has_no_none() -> None:
    doc = store.session_document(store.new_session("甲", 2023))
    assert "created" not in doc["meta"] and "updated" not in doc["meta"]
    assert list(doc) == ["schema_version", "meta", "answers", "cells", "sources", "declared", "narrative"]


def test_utf8_bom_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.toml"
    path.write_bytes(b"\xef\xbb\xbf" + GOOD_HEAD.encode())
    assert store.load_session(path).meta.agency == "西大街街道"


# ---------------------------------------------------------------- atomic writes
def test_backup_holds_previous_version(tmp_path: Path) -> None:
    s = full_session()
    path = tmp_path / "s.toml"
    store.save_session(s, path)
    assert not (tmp_path / "s.toml.bak").exists()  # nothing to back up the first time
    first = path.read_bytes()
    s.cells[form.t3_cell("new_requests", "natural_person")] = 99
    store.save_session(s, path)
    assert (tmp_path / "s.toml.bak").read_bytes() == first
    assert store.load_session(path).cells[form.t3_cell("new_requests", "natural_person")] == 99
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.toml", "s.toml.bak"]  # no temp files left


def test_crash_before_replace_leaves_original_intact(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    s = full_session()
    path = tmp_path / "s.toml"
    store.save_session(s, path)
    before = path.read_bytes()
    real_replace = os.replace

    def crash(src, dst):  # the power goes out just before the new version takes the name
        if Path(dst) == path:
            raise OSError(5, "simulated crash")
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", crash)
    s.meta.agency = "改过的名字"
    with pytest.raises(SessionFileError, match="无法保存会话文件") as info:
        store.save_session(s, path)
    assert "s.toml" in str(info.value)
    assert path.read_bytes() == before
    assert store.load_session(path).meta.agency == "西大街街道办事处"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # temp file cleaned up


def test_failed_fsync_leaves_original_intact(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "s.toml"
    store.save_session(full_session(), path)
    before = path.read_bytes()

    def no_space(fd):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "fsync", no_space)
    with pytest.raises(SessionFileError, match="磁盘已满"):
        store.save_session(store.new_session("乙", 2023), path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.toml"]


def test_invalid_session_is_never_written(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    s = store.new_session("甲", 2023)
    store.save_session(s, path)
    before = path.read_bytes()
    s.cells[CELL] = -1  # models do not validate assignment: the store is the last line of defence
    with pytest.raises(SessionFileError) as info:
        store.save_session(s, path)
    assert str(info.value) == (
        f'无法保存会话文件「s.toml」（cells."{CELL}"）：'
        "表三 一、本年新收政府信息公开申请数量 自然人 不能为负数（现为 -1）。"
    )
    s.cells[CELL] = 1
    s.answers["q"] = {1, 2}  # a value TOML cannot hold
    with pytest.raises(SessionFileError, match=r"无法保存会话文件「s\.toml」"):
        store.save_session(s, path)
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.toml"]


def test_file_mode_respects_umask_and_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    store.save_session(store.new_session("甲", 2023), path)
    umask = os.umask(0)
    os.umask(umask)
    assert path.stat().st_mode & 0o777 == 0o666 & ~umask
    path.chmod(0o600)
    store.save_session(store.new_session("甲", 2023), path)
    assert path.stat().st_mode & 0o777 == 0o600


def test_save_creates_missing_folder(tmp_path: Path) -> None:
    path = tmp_path / "new" / "folder" / "s.toml"
    store.save_session(store.new_session("甲", 2023), path)
    assert store.load_session(path).meta.agency == "甲"


# ---------------------------------------------------------------- bad files
CELL = "t3.new_requests.natural_person"
BAD_FILES = {
    # name: (content, substrings the message must contain)
    "empty": ("", ["是空的"]),
    "blank": ("  \n\n# 只有注释\n", ["是空的"]),
    "not_toml": (GOOD_HEAD + "title = 西大街\n", ["第 6 行", "不是有效的 TOML", "双引号"]),
    "unclosed_quote": ('schema_version = 1\n[meta]\nagency = "西大街\nyear = 2023\n', ["第 3 行", "引号没有配对"]),
    "duplicate_key": (GOOD_HEAD + "year = 2024\n", ["第 6 行", "写了两次"]),
    "unknown_top": (
        'schema_version = 1\ncolour = 1\n[meta]\nagency = "甲"\nyear = 2023\n',
        ["第 2 行", "colour", "无法识别"],
    ),
    "unknown_meta": (GOOD_HEAD + 'agnecy_kind = "subdistrict"\n', ["第 6 行", "meta.agnecy_kind", "无法识别"]),
    "missing_meta": ("schema_version = 1\n[cells]\n", ["meta", "缺少"]),
    "missing_year": ('schema_version = 1\n\n[meta]\nagency = "甲"\n', ["第 3 行", "年度", "缺少"]),
    "missing_agency": ("schema_version = 1\n[meta]\nyear = 2023\n", ["第 2 行", "机关名称", "缺少"]),
    "empty_agency": ('schema_version = 1\n[meta]\nagency = ""\nyear = 2023\n', ["第 3 行", "机关名称", "不能为空"]),
    "year_text": ('schema_version = 1\n[meta]\nagency = "甲"\nyear = "2023"\n', ["第 4 行", "年度", "应为数字"]),
    "year_range": ('schema_version = 1\n[meta]\nagency = "甲"\nyear = 2018\n', ["第 4 行", "不能小于 2019"]),
    "kind": (GOOD_HEAD + 'agency_kind = "town"\n', ["第 6 行", "机关类型", "subdistrict（街道/乡镇）", "town"]),
    "created_number": (GOOD_HEAD + "created = 5\n", ["第 6 行", "创建时间", "日期时间"]),
    "cell_text": (
        GOOD_HEAD + f'\n[cells]\n"{CELL}" = "三"\n',
        ["第 8 行", "表三 一、本年新收政府信息公开申请数量 自然人", "应为数字", "文字「三」"],
    ),
    "cell_bool": (GOOD_HEAD + f'\n[cells]\n"{CELL}" = true\n', ["第 8 行", "自然人", "应为数字"]),
    "cell_negative": (
        GOOD_HEAD + f'\n[cells]\n"t2.permits.decisions" = 1\n"{CELL}" = -2\n',
        ["第 9 行", f'cells."{CELL}"', "自然人 不能为负数（现为 -2）"],
    ),
    "cell_fraction": (GOOD_HEAD + f'\n[cells]\n"{CELL}" = 1.5\n', ["第 8 行", "应为整数件数（现为 1.5）"]),
    "cell_unknown": (GOOD_HEAD + '\n[cells]\n"t3.nonsense.x" = 1\n', ["第 8 行", "未知的表格单元格「t3.nonsense.x」"]),
    "cell_total": (GOOD_HEAD + '\n[cells]\n"t3.results.total.total" = 4\n', ["第 8 行", "是合计"]),
    "money_negative": (GOOD_HEAD + '\n[cells]\n"t2.fees.amount" = -0.5\n', ["第 8 行", "行政事业性收费", "不能为负数"]),
    "declared_text": (
        GOOD_HEAD + '\n[declared]\n"t3.results.total.total" = "无"\n',
        ["第 8 行", "只能是数字、空白或“/”"],
    ),
    "source_bad": (GOOD_HEAD + f'\n[sources]\n"{CELL}" = "typed"\n', ["第 8 行", "只能是 entered、default"]),
    "answer_table": (GOOD_HEAD + "\n[answers]\nq1 = true\nq2 = { a = 1 }\n", ["第 9 行", "answers.q2", "类型不对"]),
    "block_both": (
        GOOD_HEAD + '\n[[narrative.problems]]\ntext = "甲"\n\n[[narrative.problems]]\ntext = "乙"\nphrase = "p"\n',
        ["第 10 行", "「五、存在的主要问题及改进情况」第 2 段", "不能两者都有"],
    ),
    "block_param": (
        GOOD_HEAD + '\n[[narrative.overview]]\ntext = "甲"\n[[narrative.overview]]\nphrase = "p"\n'
        "[narrative.overview.params]\nn = [1]\n",
        ["第 12 行", "narrative.overview[1].params.n"],
    ),
    "cell_unquoted": (GOOD_HEAD + "\n[cells]\nt3.new_requests.natural_person = 1\n", ["第 8 行", "cells.t3", "双引号"]),
    "truncated": ('schema_version = 1\n[meta]\nagency = "甲"\nyear = [2023,\n', ["第 4 行", "中途结束"]),
    "meta_not_table": ('schema_version = 1\nmeta = "甲"\n', ["第 2 行", "基本信息（meta）应为一个表"]),
    "section_unknown": (GOOD_HEAD + '\n[[narrative.intro]]\ntext = "甲"\n', ["第 7 行", "未知的文字部分「intro」"]),
    "version_text": ('schema_version = "1"\n[meta]\nagency = "甲"\nyear = 2023\n', ["第 1 行", "schema_version"]),
    "version_zero": ('schema_version = 0\n[meta]\nagency = "甲"\nyear = 2023\n', ["第 1 行", "正整数"]),
}


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_bad_file_gives_one_chinese_message(tmp_path: Path, case: str) -> None:
    content, expected = BAD_FILES[case]
    path = write(tmp_path / f"坏文件-{case}.toml", content)
    os.utime(path, ns=(1_600_000_000_000_000_000, 1_600_000_000_000_000_000))
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    with pytest.raises(SessionFileError) as info:
        store.load_session(path)
    message = str(info.value)
    assert f"「坏文件-{case}.toml」" in message
    for part in expected:
        assert part in message, (part, message)
    assert "\n" not in message and "Traceback" not in message
    assert "Input should" not in message and "Value error" not in message  # pydantic English never leaks
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before  # the failed file is never written
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]  # no .bak, .lock or temp beside it


def test_missing_file_names_the_path(tmp_path: Path) -> None:
    with pytest.raises(SessionFileError, match="找不到会话文件") as info:
        store.load_session(tmp_path / "没有-2023.toml")
    assert "没有-2023.toml" in str(info.value)
    assert not (tmp_path / "没有-2023.toml").exists()


def test_folder_instead_of_file(tmp_path: Path) -> None:
    with pytest.raises(SessionFileError, match="是一个文件夹"):
        store.load_session(tmp_path)


def test_not_utf8_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "gbk.toml"
    path.write_bytes('schema_version = 1\n[meta]\nagency = "西大街"\n'.encode("gbk"))
    with pytest.raises(SessionFileError, match=r"「gbk\.toml」第 3 行.*UTF-8"):
        store.load_session(path)


def test_absurd_nesting_is_a_message_not_a_traceback(tmp_path: Path) -> None:
    path = write(tmp_path / "deep.toml", "a = " + "[" * 5000 + "]" * 5000 + "\n")
    with pytest.raises(SessionFileError, match=r"「deep\.toml」"):
        store.load_session(path)


def test_several_problems_are_counted_in_one_message(tmp_path: Path) -> None:
    path = write(tmp_path / "many.toml", GOOD_HEAD + f'colour = 1\n\n[cells]\n"{CELL}" = "x"\n')
    with pytest.raises(SessionFileError, match=r"另有 1 处问题"):
        store.load_session(path)


# ---------------------------------------------------------------- schema versions
def test_newer_schema_version_is_refused(tmp_path: Path) -> None:
    newer = model.SCHEMA_VERSION + 1
    path = write(tmp_path / "new.toml", f'schema_version = {newer}\n[meta]\nagency = "甲"\nyear = 2023\nfuture = 1\n')
    before = path.read_bytes()
    with pytest.raises(SessionFileError) as info:
        store.load_session(path)
    assert str(info.value) == (
        f"会话文件「new.toml」第 1 行：此文件由更新版本的 report-wizard 保存（版本 {newer}），请升级后再打开。"
    )
    assert path.read_bytes() == before


def test_older_versions_go_through_migrations(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def v1_to_v2(data: dict) -> dict:
        data["meta"]["agency"] = data["meta"].pop("name")
        return data

    monkeypatch.setattr(model, "SCHEMA_VERSION", 2)
    monkeypatch.setattr(store_files, "_MIGRATIONS", {1: v1_to_v2})
    path = write(tmp_path / "old.toml", 'schema_version = 1\n[meta]\nname = "旧机关"\nyear = 2023\n')
    s = store.load_session(path)
    assert s.meta.agency == "旧机关" and s.schema_version == 2
    monkeypatch.setattr(store_files, "_MIGRATIONS", {})
    with pytest.raises(SessionFileError, match="无法从旧版本格式升级"):
        store.load_session(path)


# ---------------------------------------------------------------- file names
HOSTILE = [
    "../../etc/passwd",
    "/abs",
    "a/b\\c",
    "..",
    "",
    ".",
    "...hidden",
    "C:\\Windows\\x",
    "a\x00b",
    "x\r\ny",
    'wh*at?<>|:"',
    "\u202eevil",
    " ",
    "街" * 400,
    "a" * 1000,
    "CON",
    "-..-",
]


@pytest.mark.parametrize("agency", HOSTILE)
def test_hostile_agency_names_stay_in_the_folder(tmp_path: Path, agency: str) -> None:
    folder = tmp_path / "sessions"
    folder.mkdir()
    path = store.session_path(agency, 2023, folder)
    assert path.parent == folder
    name = path.name
    assert name.endswith("-2023.toml") and not name.startswith((".", "-"))
    assert not any(ch in name for ch in '/\\:*?"<>|\x00\r\n\u202e') and ".." not in name
    assert len((name + ".lock").encode()) <= 255
    if agency and (agency.isspace() or any(ch in agency for ch in "\x00\r\n\u202e")):
        with pytest.raises(WizardError, match="机关名称"):  # refused as a name at all (test_store_reliability)
            store.new_session(agency, 2023)
        return
    store.save_session(store.new_session(agency or "甲", 2023), path)  # the name really works on disk
    assert [p.name for p in folder.iterdir()] == [name]
    assert path.resolve().parent == folder.resolve()


def test_file_names_keep_chinese_and_handle_empty() -> None:
    assert store.session_filename("西大街街道", 2023) == "西大街街道-2023.toml"
    # A name that had to change carries a short hash of the original, so two agencies never share a file.
    assert re.fullmatch(r"文峰区_人民政府__[0-9a-f]{6}-2024\.toml", store.session_filename("  文峰区 人民政府 ", 2024))
    assert store.session_filename("", 2023) == "未命名-2023.toml"
    assert re.fullmatch(r"未命名__[0-9a-f]{6}-2023\.toml", store.session_filename("../..", 2023))
    assert re.fullmatch(r"etc_passwd__[0-9a-f]{6}-2023\.toml", store.session_filename("../../etc/passwd", 2023))
    assert store.session_filename("甲/乙街道", 2023) != store.session_filename("甲_乙街道", 2023)
    assert len(store.session_filename("街" * 400, 2023).encode()) <= store_names.MAX_NAME_BYTES + len("-2023.toml")


# ---------------------------------------------------------------- new sessions
def test_new_session_defaults() -> None:
    s = store.new_session("西大街街道", 2023, agency_kind="county_department", superior="文峰区", title="标题")
    assert (s.meta.agency, s.meta.year, s.meta.agency_kind, s.meta.superior, s.meta.title) == (
        "西大街街道",
        2023,
        "county_department",
        "文峰区",
        "标题",
    )
    assert s.schema_version == model.SCHEMA_VERSION and not s.answers and not s.cells


@pytest.mark.parametrize(
    ("args", "part"), [(("", 2023), "机关名称"), (("甲", 1990), "不能小于 2019"), (("甲", 2023, "town"), "机关类型")]
)
def test_new_session_refuses_bad_meta_in_chinese(args: tuple, part: str) -> None:
    with pytest.raises(WizardError, match="无法新建会话") as info:
        store.new_session(*args)
    assert part in str(info.value)


# ---------------------------------------------------------------- listing
def test_list_sessions_with_a_broken_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for i, (agency, year) in enumerate([("甲街道", 2022), ("乙街道", 2023), ("丙街道", 2023)]):
        monkeypatch.setattr(store_files, "_now", lambda i=i: datetime(2024, 1, 10 + i, tzinfo=CST))
        s = store.new_session(agency, year)
        s.answers.update({f"q{n}": True for n in range(i)})
        store.save_session(s, store.session_path(agency, year, tmp_path))
    store.save_session(s, store.session_path("丙街道", 2023, tmp_path))  # leaves a .bak, which is ignored
    write(tmp_path / "坏的-2023.toml", '[meta]\nagency = "丁街道"\nyear = 2023\nyear = 1\n')
    write(tmp_path / "半坏-2023.toml", '[meta]\nagency = "戊街道"\nyear = 2023\n[cells]\n"x" = 1\n')
    write(tmp_path / "notes.txt", "not a session")
    write(tmp_path / ".丙街道-2023.toml.abc.tmp", "partial")
    with store.SessionLock(tmp_path / "甲街道-2022.toml"):
        infos = store.list_sessions(tmp_path)
    names = [i.path.name for i in infos]
    assert sorted(names) == sorted(
        ["甲街道-2022.toml", "乙街道-2023.toml", "丙街道-2023.toml", "坏的-2023.toml", "半坏-2023.toml"]
    )
    good = [i for i in infos if not i.error and i.agency != "戊街道"]
    assert [i.agency for i in good] == ["丙街道", "乙街道", "甲街道"]  # newest first
    assert [i.answered for i in good] == [2, 1, 0]
    assert good[0].updated == datetime(2024, 1, 12, tzinfo=CST) and good[0].year == 2023
    assert good[0].agency_kind == "subdistrict"
    broken = {i.path.name: i for i in infos if i.error}
    assert "「坏的-2023.toml」第 4 行" in broken["坏的-2023.toml"].error
    assert broken["坏的-2023.toml"].agency == "" and broken["坏的-2023.toml"].year is None
    # The listing reads only what it shows (meta and answers): a bad cell further down shows when opened.
    (half,) = [i for i in infos if i.path.name == "半坏-2023.toml"]
    assert half.agency == "戊街道"
    with pytest.raises(SessionFileError, match="第 5 行"):
        store.load_session(half.path)
    with pytest.raises(AttributeError):
        infos[0].agency = "x"  # type: ignore[misc]


def test_list_sessions_mixes_naive_and_aware_times(tmp_path: Path) -> None:
    write(tmp_path / "a.toml", GOOD_HEAD + "updated = 2024-01-02 08:00:00\n")
    write(tmp_path / "b.toml", GOOD_HEAD + "updated = 2030-01-02 08:00:00+08:00\n")
    write(tmp_path / "c.toml", GOOD_HEAD)
    assert next(i.path.name for i in store.list_sessions(tmp_path)) == "b.toml"


def test_list_sessions_of_missing_folder_is_empty(tmp_path: Path) -> None:
    assert store.list_sessions(tmp_path / "nope") == []


def test_list_sessions_reads_a_thousand_files(tmp_path: Path) -> None:
    store.save_session(full_session(), tmp_path / "model.toml")
    content = (tmp_path / "model.toml").read_bytes()
    for i in range(1000):
        (tmp_path / f"s{i:04d}.toml").write_bytes(content)
    infos = store.list_sessions(tmp_path)  # timing lives in bench/, not in tests
    assert len(infos) == 1001 and not any(i.error for i in infos)


# ---------------------------------------------------------------- the built-in example
def test_copy_example_never_touches_the_original(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = paths.example_session()
    before = (source.read_bytes(), source.stat().st_mtime_ns)
    dest = tmp_path / "mine"
    first = store.copy_example(dest)
    second = store.copy_example(dest)
    stem = paths.EXAMPLE_SESSION_NAME.removesuffix(".toml")
    assert first.name == f"{stem}-副本.toml" and second.name == f"{stem}-副本2.toml"
    assert first.read_bytes() == second.read_bytes() == before[0]
    session = store.load_session(first)
    session.answers["edited"] = True
    store.save_session(session, first)
    assert (source.read_bytes(), source.stat().st_mtime_ns) == before


def test_copy_example_missing_is_a_message(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(paths, "example_session", lambda: tmp_path / "gone.toml")
    with pytest.raises(SessionFileError, match="找不到程序自带的示例会话"):
        store.copy_example(tmp_path / "dest")

    def no_folder() -> Path:
        raise FileNotFoundError("找不到程序自带的 sessions 文件夹（安装可能不完整）")

    monkeypatch.setattr(paths, "example_session", no_folder)
    with pytest.raises(SessionFileError, match="找不到程序自带的示例会话"):
        store.copy_example(tmp_path / "dest")


# ---------------------------------------------------------------- locks
HOLDER = textwrap.dedent(
    """
    import sys, time
    sys.path.insert(0, {src!r})
    from report_wizard.store import SessionLock
    from report_wizard.core.errors import SessionLockedError
    try:
        lock = SessionLock({path!r}).acquire()
    except SessionLockedError as exc:
        print("LOCKED", exc, flush=True)
        sys.exit(3)
    print("ACQUIRED", flush=True)
    if {hold}:
        time.sleep(60)
    """
)


def run_other(path: Path, hold: bool = False) -> subprocess.Popen[str]:
    code = HOLDER.format(src=str(SRC), path=str(path), hold=hold)
    return subprocess.Popen([sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_second_process_is_told_the_session_is_in_use(tmp_path: Path) -> None:
    path = tmp_path / "西大街街道-2023.toml"
    with store.SessionLock(path) as lock:
        assert lock.held and (tmp_path / "西大街街道-2023.toml.lock").exists()
        out, err = run_other(path).communicate(timeout=30)
        assert "LOCKED 会话「西大街街道-2023.toml」已在另一个窗口中打开，请先关闭那个窗口。" in out, err
    assert not (tmp_path / "西大街街道-2023.toml.lock").exists()  # released locks leave no file behind
    out, err = run_other(path).communicate(timeout=30)
    assert "ACQUIRED" in out, err


def test_same_process_second_window_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    first = store.SessionLock(path).acquire()
    with pytest.raises(SessionLockedError, match="已在另一个窗口中打开"):
        store.SessionLock(path).acquire()
    first.release()
    first.release()  # releasing twice is harmless
    with store.SessionLock(path):
        pass


def test_killed_holder_leaves_no_stale_lock(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    holder = run_other(path, hold=True)
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "ACQUIRED"
        with pytest.raises(SessionLockedError):
            store.SessionLock(path).acquire()
        holder.send_signal(signal.SIGKILL)
        holder.wait(timeout=30)
    finally:
        if holder.poll() is None:
            holder.kill()
        holder.communicate()
    assert (tmp_path / "s.toml.lock").exists()  # the file stays, but the lock died with the process
    with store.SessionLock(path) as lock:
        assert lock.held


def test_store_does_not_import_textual() -> None:
    code = f"import sys; sys.path.insert(0, {str(SRC)!r}); import report_wizard.store; print('textual' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout == "False\n"
