"""The command-line contract: render, check exit codes, list, and Chinese messages for bad input."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import FIXTURES, ROOT
from report_wizard.cli import main

EXAMPLE = ROOT / "sessions" / "example-xidajie-2023.toml"


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(list(argv), out)
    return code, out.getvalue()


def test_render_txt_prints_the_example_report() -> None:
    code, text = run("render", str(EXAMPLE), "--format", "txt")
    assert code == 0
    assert text.splitlines()[0].strip() == "西大街 2023 年政府信息公开工作年度报告"
    assert "六、其他需要报告的事项" in text


def test_render_html_to_a_file(tmp_path: Path) -> None:
    target = tmp_path / "report.html"
    code, text = run("render", str(EXAMPLE), "--format", "html", "-o", str(target))
    assert code == 0 and str(target) in text
    html = target.read_text(encoding="utf-8")
    assert 'colspan="7"' in html and "申请人情况" in html


def test_check_example_is_clean() -> None:
    code, text = run("check", str(EXAMPLE))
    assert code == 0, text
    assert "检查通过" in text


def test_check_published_report_with_blank_total_exits_1_and_names_t3_row() -> None:
    code, text = run("check", str(FIXTURES / "erdao-2022-row-total.toml"))
    assert code == 1
    assert "T3-ROW" in text and "18" in text


def test_check_several_files_reports_the_worst(tmp_path: Path) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text("[meta\nagency = 1", encoding="utf-8")
    code, text = run("check", str(EXAMPLE), str(broken))
    assert code == 2
    assert "broken.toml" in text and "检查通过" in text


@pytest.mark.parametrize(
    "content",
    [
        "",
        "not = [toml",
        'schema_version = 1\n[meta]\nagency = "甲"\nyear = 2023\n[cells]\n"t3.new_requests.natural_person" = -3\n',
    ],
)
def test_unreadable_session_gives_one_chinese_message_and_exit_2(tmp_path: Path, content: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(content, encoding="utf-8")
    before = path.read_bytes()
    result = subprocess.run(
        [sys.executable, "-m", "report_wizard", "render", str(path)], capture_output=True, text=True
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert "bad.toml" in result.stderr
    assert path.read_bytes() == before


def test_missing_file_exit_2(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "report_wizard", "check", str(tmp_path / "nope.toml")], capture_output=True, text=True
    )
    assert result.returncode == 2
    assert "nope.toml" in result.stdout + result.stderr and "Traceback" not in result.stderr


def test_bad_arguments_are_explained_in_chinese() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "report_wizard", "render", "x.toml", "--format", "pdf"], capture_output=True, text=True
    )
    assert result.returncode == 2
    assert "无效" in result.stderr


def test_list_shows_saved_sessions(sessions_folder: Path) -> None:
    (sessions_folder / "example.toml").write_bytes(EXAMPLE.read_bytes())
    code, text = run("list", "--dir", str(sessions_folder))
    assert code == 0
    assert "西大街街道" in text and "2023" in text


def test_new_plain_skips_what_the_command_line_gave(tmp_path: Path) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "report_wizard",
            "--dir",
            str(tmp_path),
            "new",
            "--plain",
            "--agency",
            "测试街道",
            "--year",
            "2025",
            "--kind",
            "subdistrict",
        ],
        input="\n",
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    questions = [line for line in result.stdout.splitlines() if line.startswith("问：")]
    assert questions and "单位全称" not in questions[0] and "哪一年" not in questions[0]
    saved = (tmp_path / "测试街道-2025.toml").read_text(encoding="utf-8")
    assert 'agency = "测试街道"' in saved and "year = 2025" in saved


def test_list_says_where_each_report_stands(tmp_path: Path) -> None:
    from report_wizard import store
    from report_wizard.interview import Interview

    store.save_session(store.new_session("东关街道", 2024), tmp_path / "东关街道-2024.toml")
    started = Interview(store.new_session("北关街道", 2024))
    for _ in range(6):  # the basics and the first gate: one section of seven done
        assert started.answer("").ok
    store.save_session(started.session, tmp_path / "北关街道-2024.toml")
    code, text = run("list", "--dir", str(tmp_path))
    lines = {line.split("\t")[1]: line.split("\t")[3] for line in text.splitlines()}
    assert code == 0 and lines == {"东关街道": "未开始", "北关街道": "进行中 1/7 部分"}


def test_dir_is_understood_after_the_command_too(tmp_path: Path) -> None:
    before, after = tmp_path / "before", tmp_path / "after"
    for folder, argv in ((before, ["--dir", str(before), "new"]), (after, ["new", "--dir", str(after)])):
        folder.mkdir()
        command = [sys.executable, "-m", "report_wizard", *argv, "--agency", "东关街道", "--year", "2024", "--plain"]
        result = subprocess.run(command, input="", capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, result.stderr
        assert (folder / "东关街道-2024.toml").exists()
