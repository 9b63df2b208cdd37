"""Exports: into exports/ beside sessions/, and never over a file this program did not write."""

from __future__ import annotations

from pathlib import Path

from report_wizard import store
from report_wizard.core.model import derive_report
from report_wizard.tui.export import default_export_folder, export_report

EXAMPLE = Path(__file__).resolve().parent.parent / "sessions" / "example-xidajie-2023.toml"


def report():
    return derive_report(store.load_session(EXAMPLE))


def test_the_default_export_folder_is_beside_the_sessions(tmp_path: Path) -> None:
    assert default_export_folder(tmp_path / "sessions" / "a-2024.toml") == (tmp_path / "exports").resolve()
    assert default_export_folder(tmp_path / "mine" / "a-2024.toml") == (tmp_path / "mine" / "exports").resolve()


def test_exporting_again_replaces_our_own_files(tmp_path: Path) -> None:
    first = export_report(report(), tmp_path, ("txt", "md"))
    second = export_report(report(), tmp_path, ("txt", "md"))
    assert first == second
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith(".")) == sorted(p.name for p in first)


def test_a_file_the_clerk_changed_is_never_replaced(tmp_path: Path) -> None:
    (txt,) = export_report(report(), tmp_path, ("txt",))
    txt.write_text("我在 Word 里改过的报告", encoding="utf-8")
    (again,) = export_report(report(), tmp_path, ("txt",))
    assert again != txt and again.name.endswith(" (2).txt")
    assert txt.read_text(encoding="utf-8") == "我在 Word 里改过的报告"


def test_a_file_that_was_there_before_is_never_replaced(tmp_path: Path) -> None:
    name = "西大街街道2023年政府信息公开工作年度报告.html"
    (tmp_path / name).write_text("someone else's page", encoding="utf-8")
    (written,) = export_report(report(), tmp_path, ("html",))
    assert written.name != name and (tmp_path / name).read_text(encoding="utf-8") == "someone else's page"
