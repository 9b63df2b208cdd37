"""Store holes a mutation run found: the folder is synced after the rename, the lock retries when the file
it locked was just deleted by the window releasing it, and exports are written atomically."""

from __future__ import annotations

import errno
import io
import os
import stat
from pathlib import Path

import pytest

from helpers import FakeMsvcrt
from report_wizard import store
from report_wizard.cli.main import main
from report_wizard.core.errors import SessionLockedError, WizardError
from report_wizard.core.model import derive_report
from report_wizard.store import locks
from report_wizard.store.locks import MsvcrtBackend, SessionLock
from report_wizard.tui.export import export_name, export_report

pytestmark = pytest.mark.skipif(os.name == "nt", reason="a folder cannot be fsynced on Windows")


# ---------------------------------------------------------------- fsync of the folder after the rename
class SyncLog:
    """Wraps os.fsync: for every call, whether it synced a folder and what ``watched`` held at that moment."""

    def __init__(self, watched: Path) -> None:
        self.watched = watched
        self.calls: list[tuple[bool, bytes | None]] = []
        self._fsync = os.fsync

    def __call__(self, fd: int) -> None:
        is_dir = stat.S_ISDIR(os.fstat(fd).st_mode)
        content = self.watched.read_bytes() if self.watched.is_file() else None
        self.calls.append((is_dir, content))
        self._fsync(fd)

    def folder_synced_holding(self) -> list[bytes | None]:
        """What the file held each time its folder was synced."""
        return [content for is_dir, content in self.calls if is_dir]


@pytest.fixture
def sync_log(monkeypatch: pytest.MonkeyPatch):
    def make(watched: Path) -> SyncLog:
        log = SyncLog(watched)
        monkeypatch.setattr(os, "fsync", log)
        return log

    return make


def test_saving_syncs_the_file_then_the_folder_after_the_rename(tmp_path: Path, sync_log) -> None:
    path = tmp_path / "s.toml"
    session = store.new_session("西大街街道", 2023)
    store.save_session(session, path)
    session.answers["basics.agency"] = "西大街街道"
    log = sync_log(path)
    store.save_session(session, path)
    saved = path.read_bytes()
    assert b"basics.agency" in saved
    assert log.calls[0][0] is False  # the temp file first, before it replaces anything
    assert log.folder_synced_holding() == [saved]  # then the folder, once the new file is in place


def test_an_export_syncs_its_folder_after_the_rename(tmp_path: Path, sync_log) -> None:
    path = tmp_path / "报告.txt"
    log = sync_log(path)
    store.atomic_write_text(path, "新的报告")
    assert log.folder_synced_holding() == ["新的报告".encode()]


def test_new_files_and_example_copies_sync_their_folder(tmp_path: Path, sync_log) -> None:
    path = tmp_path / "新建.toml"
    log = sync_log(path)
    store.create_session_file(store.new_session("东关街道", 2023), path)
    assert log.folder_synced_holding() == [path.read_bytes()]
    copy_log = sync_log(tmp_path / "copies" / "example-xidajie-2023-副本.toml")
    copy = store.copy_example(tmp_path / "copies")
    assert copy_log.folder_synced_holding() == [copy.read_bytes()]


# ---------------------------------------------------------------- the lock retries on a just-deleted file
class ReleasedMeanwhile:
    """A backend that lets ``holder`` release (delete its lock file and unlock) just before the lock is taken:
    the file descriptor the new window opened now names a deleted file."""

    def __init__(self, inner: locks.LockBackend, holder: SessionLock) -> None:
        self.inner, self.holder = inner, holder
        self.name = inner.name
        self.locked_fds: list[int] = []

    def lock(self, fd: int) -> bool:
        if self.holder.held:
            self.holder.release()
        self.locked_fds.append(fd)
        return self.inner.lock(fd)

    def unlock(self, fd: int) -> None:
        self.inner.unlock(fd)


@pytest.mark.parametrize("platform", ["flock", "msvcrt"])
def test_a_lock_taken_on_a_file_just_deleted_is_taken_again_on_the_new_file(tmp_path: Path, platform: str) -> None:
    inner = locks.BACKEND if platform == "flock" else MsvcrtBackend(FakeMsvcrt())
    path = tmp_path / "s.toml"
    holder = SessionLock(path, backend=inner).acquire()
    racing = ReleasedMeanwhile(inner, holder)
    lock = SessionLock(path, backend=racing).acquire()
    try:
        assert len(racing.locked_fds) == 2  # the first try locked a deleted file, the second the real one
        assert lock.lock_path.exists()
        assert lock.lock_path.read_text() == f"{os.getpid()}\n"
        with pytest.raises(SessionLockedError):  # and it really keeps other windows out
            SessionLock(path, backend=inner).acquire()
    finally:
        lock.release()
    with SessionLock(path, backend=inner) as again:
        assert again.held


def test_a_lock_file_that_keeps_vanishing_is_given_up_with_a_message(tmp_path: Path) -> None:
    class AlwaysDeleted:
        name = "flock"

        def lock(self, fd: int) -> bool:
            os.unlink(tmp_path / "s.toml.lock")
            return True

        def unlock(self, fd: int) -> None:
            pass

    with pytest.raises(SessionLockedError, match="已在另一个窗口中打开"):
        SessionLock(tmp_path / "s.toml", backend=AlwaysDeleted()).acquire()


# ---------------------------------------------------------------- exports are written atomically
def no_space(fd: int) -> None:
    raise OSError(errno.ENOSPC, "No space left on device")


def test_a_failed_export_leaves_the_previous_file_whole(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "报告.txt"
    path.write_text("去年导出的完整报告", encoding="utf-8")
    monkeypatch.setattr(os, "fsync", no_space)
    with pytest.raises(WizardError, match="磁盘已满"):
        store.atomic_write_text(path, "写到一半的报告" * 1000)
    assert path.read_text(encoding="utf-8") == "去年导出的完整报告"
    assert [p.name for p in tmp_path.iterdir()] == ["报告.txt"]  # no temp file left behind


def test_a_reader_of_the_old_export_never_sees_it_change_under_it(tmp_path: Path) -> None:
    path = tmp_path / "报告.txt"
    path.write_text("旧的报告", encoding="utf-8")
    with path.open(encoding="utf-8") as reader:  # e.g. a browser or Word that has the file open
        store.atomic_write_text(path, "新的报告")
        assert reader.read() == "旧的报告"
    assert path.read_text(encoding="utf-8") == "新的报告"


def test_the_review_export_is_atomic_in_every_format(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    report = derive_report(store.load_session(store.copy_example(tmp_path / "sessions")))
    out = tmp_path / "导出"
    out.mkdir()
    for fmt in ("txt", "md", "html"):
        (out / export_name(report, fmt)).write_text(f"旧的 {fmt}", encoding="utf-8")
    monkeypatch.setattr(os, "fsync", no_space)
    with pytest.raises(WizardError, match="磁盘已满"):
        export_report(report, out, ("txt", "md", "html"))
    assert sorted(p.read_text(encoding="utf-8") for p in out.iterdir()) == ["旧的 html", "旧的 md", "旧的 txt"]
    monkeypatch.undo()
    written = export_report(report, out, ("txt", "md", "html"))
    assert [p.read_text(encoding="utf-8").count("一、总体情况") for p in written] == [1, 1, 1]


def test_render_to_a_file_is_atomic(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    session = store.copy_example(tmp_path)
    target = tmp_path / "报告.txt"
    target.write_text("旧的报告", encoding="utf-8")
    monkeypatch.setattr(os, "fsync", no_space)
    code = main(["render", str(session), "-o", str(target)], io.StringIO())
    assert code == 2
    assert target.read_text(encoding="utf-8") == "旧的报告"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([session.name, "报告.txt"])


# ---------------------------------------------------------------- where sessions are saved
def test_sessions_are_saved_in_the_folder_the_environment_names_else_in_sessions(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from report_wizard.core import paths

    monkeypatch.setenv("REPORT_WIZARD_SESSIONS", str(tmp_path / "报告会话"))
    assert paths.sessions_dir() == (tmp_path / "报告会话").resolve()
    monkeypatch.setenv("REPORT_WIZARD_SESSIONS", "")
    monkeypatch.chdir(tmp_path)
    assert paths.sessions_dir() == tmp_path.resolve() / "sessions"
    monkeypatch.delenv("REPORT_WIZARD_SESSIONS")
    assert paths.sessions_dir() == tmp_path.resolve() / "sessions"
