"""Command-line reliability: where `render -o` writes, closed stdin, broken pipes, unexpected errors,
undecodable answers in plain mode, and `check` going on past a file it cannot check.

Each group reproduces defects a tester found. Device nodes are never the real /dev/null or /dev/full:
the old code replaced them, so the tests make their own nodes (as root) or use a FIFO.
"""

from __future__ import annotations

import io
import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import ROOT
from report_wizard import checks, store
from report_wizard.cli import main
from report_wizard.cli.plain import run_plain

EXAMPLE = ROOT / "sessions" / "example-xidajie-2023.toml"
ENV = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
BAD_ENCODING = "这一行含有无法识别的字符（可能不是 UTF-8 编码），没有记录，请重新输入。"
BAD_CONTROL = "这一行含有看不见的控制字符（可能是复制粘贴时带进来的），没有记录，请重新输入。"
SUPERIOR_QUESTION = "问：本单位的上级机关是哪个？（没有可以不填）"


def run(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    code = main(list(argv), out)
    return code, out.getvalue()


def cli(*argv: str, **kwargs) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-m", "report_wizard", *argv], capture_output=True, env=ENV, timeout=60, **kwargs
    )


def assert_chinese_line(message: str) -> None:
    """One Chinese line: no traceback, no English reason, no errno."""
    assert message.strip() and "\n" not in message.strip(), message
    assert "Traceback" not in message and "Errno" not in message and "系统错误" not in message
    assert re.search(r"[\u4e00-\u9fff]", message), message
    # Names that stay as they are: the program, TOML, Word (the product, as on the 「Word 文档」 button), file suffixes.
    prose = re.sub(
        r"report-wizard|TOML|Word|「[^」]*」|（[A-Za-z]+）|\S*/\S*|\S*\.(toml|bak|txt|md|html|docx)", "", message
    )
    assert not re.search(r"[A-Za-z]{4,}", prose), message


def copy_example(folder: Path, name: str = "s.toml") -> Path:
    path = folder / name
    path.write_bytes(EXAMPLE.read_bytes())
    return path


def bad_phrase_session(folder: Path, name: str = "b.toml") -> Path:
    """The example with one overview block naming a phrase the library does not have."""
    text = EXAMPLE.read_text(encoding="utf-8")
    assert "[[narrative.overview]]" in text
    text = text.replace(
        "[[narrative.overview]]", '[[narrative.overview]]\nphrase = "no.such.phrase"\n\n[[narrative.overview]]', 1
    )
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def example_report(fmt: str = "txt") -> str:
    code, text = run("render", str(EXAMPLE), "--format", fmt)
    assert code == 0
    return text


# ================================================================ 1. where render -o writes
@pytest.mark.parametrize("name", ["s.toml", "s.toml.bak", "S.TOML", "new.toml"])
def test_render_refuses_to_write_over_a_session_file(tmp_path: Path, capsys, name: str) -> None:
    session = copy_example(tmp_path)
    store.save_session(store.load_session(session), session)  # leaves s.toml.bak beside it
    target = tmp_path / name
    before = target.read_bytes() if target.exists() else None
    code, _ = run("render", str(session), "-o", str(target))
    assert code == 2
    err = capsys.readouterr().err
    assert_chinese_line(err)
    assert "会话" in err and name in err and "覆盖" in err
    assert (target.read_bytes() if target.exists() else None) == before
    store.load_session(session)  # still a session


def test_render_refuses_a_symlink_that_points_at_the_session(tmp_path: Path, capsys) -> None:
    session = copy_example(tmp_path)
    link = tmp_path / "report.txt"
    link.symlink_to(session.name)
    before = session.read_bytes()
    assert run("render", str(session), "-o", str(link))[0] == 2
    assert_chinese_line(capsys.readouterr().err)
    assert session.read_bytes() == before and link.is_symlink()


def test_render_refuses_the_session_itself_under_another_name(tmp_path: Path, capsys) -> None:
    session = copy_example(tmp_path, "session.txt")  # load_session reads any name
    before = session.read_bytes()
    assert run("render", str(session), "-o", str(session))[0] == 2
    assert_chinese_line(capsys.readouterr().err)
    assert session.read_bytes() == before


def test_render_writes_through_a_symlink_to_its_target(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    target = tmp_path / "real" / "report.txt"
    target.write_text("去年的报告", encoding="utf-8")
    target.chmod(0o640)
    link = tmp_path / "report.txt"
    link.symlink_to(target)
    code, out = run("render", str(EXAMPLE), "-o", str(link))
    assert code == 0 and "已写入" in out
    assert link.is_symlink() and link.resolve() == target
    assert target.read_text(encoding="utf-8") == example_report()
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert [p.name for p in (tmp_path / "real").iterdir()] == ["report.txt"]  # no temp file left behind


def test_render_creates_the_target_of_a_dangling_symlink(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    link = tmp_path / "report.md"
    link.symlink_to(tmp_path / "real" / "report.md")
    assert run("render", str(EXAMPLE), "--format", "md", "-o", str(link))[0] == 0
    assert link.is_symlink()
    assert (tmp_path / "real" / "report.md").read_text(encoding="utf-8") == example_report("md")


def test_render_streams_into_a_fifo_instead_of_replacing_it(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    expected = example_report().encode()
    assert len(expected) < 65536  # fits in the pipe buffer: the writer never waits for this reader
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # a reader is there, so the writer's open succeeds
    try:
        code, _ = run("render", str(EXAMPLE), "-o", str(fifo))
        received = b""
        while chunk := os.read(reader, 65536):  # the writer has closed: data, then end of file
            received += chunk
    finally:
        os.close(reader)
    assert code == 0
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert received == expected


def device(tmp_path: Path, name: str, major: int, minor: int) -> Path:
    path = tmp_path / name
    try:
        os.mknod(path, stat.S_IFCHR | 0o666, os.makedev(major, minor))
        os.close(os.open(path, os.O_WRONLY))
    except OSError:
        pytest.skip("cannot make a device node here (needs root and a file system without nodev)")
    return path


def test_render_to_a_null_device_keeps_the_device(tmp_path: Path) -> None:
    null = device(tmp_path, "null", 1, 3)  # what /dev/null is
    assert run("render", str(EXAMPLE), "-o", str(null))[0] == 0
    assert stat.S_ISCHR(os.stat(null).st_mode)


def test_render_to_a_full_device_says_the_disk_is_full(tmp_path: Path, capsys) -> None:
    full = device(tmp_path, "full", 1, 7)  # what /dev/full is: every write fails with ENOSPC
    code, _ = run("render", str(EXAMPLE), "-o", str(full))
    assert code == 2
    err = capsys.readouterr().err
    assert_chinese_line(err)
    assert "磁盘已满" in err and "full" in err
    assert stat.S_ISCHR(os.stat(full).st_mode)


def test_render_to_a_link_to_stdout_in_a_pipe_writes_the_report(tmp_path: Path) -> None:
    # What /dev/stdout is on Linux; a link of our own, because the old code replaced the link it was given.
    if not Path("/proc/self/fd/1").exists():
        pytest.skip("no /proc/self/fd here")
    stdout = tmp_path / "stdout"
    stdout.symlink_to("/proc/self/fd/1")
    result = cli("render", str(EXAMPLE), "-o", str(stdout))
    assert result.returncode == 0, result.stderr.decode()
    assert result.stdout.decode() == example_report()  # the report only: no 「已写入」 line mixed into it
    assert stdout.is_symlink()


def test_render_into_a_missing_folder_is_a_message(tmp_path: Path, capsys) -> None:
    target = tmp_path / "nope" / "report.txt"
    assert run("render", str(EXAMPLE), "-o", str(target))[0] == 2
    err = capsys.readouterr().err
    assert_chinese_line(err)
    assert "不存在" in err and "nope" in err
    assert not (tmp_path / "nope").exists()


def test_render_onto_a_folder_is_a_message(tmp_path: Path, capsys) -> None:
    assert run("render", str(EXAMPLE), "-o", str(tmp_path))[0] == 2
    err = capsys.readouterr().err
    assert_chinese_line(err)
    assert "文件夹" in err
    assert tmp_path.is_dir()


def test_render_below_a_file_is_a_message(tmp_path: Path, capsys) -> None:
    (tmp_path / "plain.txt").write_text("x", encoding="utf-8")
    assert run("render", str(EXAMPLE), "-o", str(tmp_path / "plain.txt" / "report.txt"))[0] == 2
    assert_chinese_line(capsys.readouterr().err)
    assert (tmp_path / "plain.txt").read_text(encoding="utf-8") == "x"


# ================================================================ 2a. closed stdin
def closed_stdin() -> None:
    os.close(0)


def test_open_plain_with_closed_stdin_is_a_message(tmp_path: Path) -> None:
    session = copy_example(tmp_path)
    before = session.read_bytes()
    result = cli("open", str(session), "--plain", stdin=None, preexec_fn=closed_stdin)
    assert result.returncode == 2
    assert_chinese_line(result.stderr.decode())
    assert "标准输入" in result.stderr.decode()
    assert session.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["s.toml"]


@pytest.mark.parametrize(
    "argv", [["new", "--plain", "--agency", "甲街道", "--year", "2024"], ["new", "--plain"], ["open", "--plain"]]
)
def test_new_and_open_with_closed_stdin_create_no_file(tmp_path: Path, argv: list[str]) -> None:
    result = cli("--dir", str(tmp_path), *argv, stdin=None, preexec_fn=closed_stdin)
    assert result.returncode == 2
    assert_chinese_line(result.stderr.decode())
    assert list(tmp_path.iterdir()) == []


class NoFileno(io.StringIO):
    def fileno(self) -> int:
        raise io.UnsupportedOperation("fileno")


@pytest.mark.parametrize("stdin", [None, NoFileno("\n")], ids=["none", "no-fileno"])
def test_unusable_stdin_in_process_creates_no_file(tmp_path: Path, capsys, monkeypatch, stdin) -> None:
    monkeypatch.setattr(sys, "stdin", stdin)
    assert main(["--dir", str(tmp_path), "new", "--plain", "--agency", "甲街道"], io.StringIO()) == 2
    assert_chinese_line(capsys.readouterr().err)
    assert list(tmp_path.iterdir()) == []


# ================================================================ 2b. a reader that went away
@pytest.mark.parametrize("buffered", [True, False], ids=["buffered", "unbuffered"])
@pytest.mark.parametrize("command", ["check", "render", "list", "help"])
def test_a_closed_pipe_is_quiet(tmp_path: Path, command: str, buffered: bool) -> None:
    argv = {
        "check": ["check", str(EXAMPLE), str(EXAMPLE)],
        "render": ["render", str(EXAMPLE)],
        "list": ["list", "--dir", str(ROOT / "sessions")],
        "help": ["--help"],
    }[command]
    env = {k: v for k, v in ENV.items() if k != "PYTHONUNBUFFERED"}
    if not buffered:
        env["PYTHONUNBUFFERED"] = "1"
    read_end, write_end = os.pipe()
    os.close(read_end)  # like `| head -0`: gone before the first write, so every write fails
    try:
        result = subprocess.run(
            [sys.executable, "-m", "report_wizard", *argv],
            stdout=write_end,
            stderr=subprocess.PIPE,
            env=env,
            timeout=60,
        )
    finally:
        os.close(write_end)
    assert result.stderr.decode() == ""
    # argparse itself ignores a failed write of the help text, and then exits 0 as usual; buffered, the text
    # only fails at the flush after it, which is a closed pipe like any other (exit 1)
    assert result.returncode == (0 if command == "help" and not buffered else 1)


# ================================================================ 2c. anything unexpected
def test_an_unexpected_error_is_one_chinese_line(monkeypatch, capsys, tmp_path: Path) -> None:
    def broken(folder: Path):
        raise RuntimeError("boom")

    monkeypatch.setattr(store, "list_sessions", broken)
    assert main(["list", "--dir", str(tmp_path)], io.StringIO()) == 2
    err = capsys.readouterr().err
    assert_chinese_line(err)
    assert "出现了意外错误" in err and "RuntimeError" in err and "boom" not in err


def test_an_unexpected_error_in_a_subprocess_has_no_traceback(tmp_path: Path) -> None:
    code = (
        "import sys; from report_wizard import store, cli\n"
        "store.list_sessions = lambda folder: 1 / 0\n"
        f"sys.exit(cli.main(['list', '--dir', {str(tmp_path)!r}]))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, env=ENV, timeout=60)
    assert result.returncode == 2
    err = result.stderr.decode()
    assert_chinese_line(err)
    assert "ZeroDivisionError" in err


def test_ctrl_c_stays_quiet_with_130(monkeypatch, capsys, tmp_path: Path) -> None:
    def interrupted(folder: Path):
        raise KeyboardInterrupt

    monkeypatch.setattr(store, "list_sessions", interrupted)
    assert main(["list", "--dir", str(tmp_path)], io.StringIO()) == 130
    assert capsys.readouterr().err == ""


# ================================================================ 3. undecodable answers in plain mode
def plain(path: Path, data: bytes) -> tuple[int, str]:
    out = io.StringIO()
    stdin = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8", errors="surrogateescape")
    code = run_plain(path, store.new_session("西大街街道", 2023), stdin, out)
    return code, out.getvalue()


def test_a_gbk_answer_is_refused_and_later_answers_save(tmp_path: Path) -> None:
    path = tmp_path / "s.toml"
    data = b"\n\n" + "文峰区人民政府".encode("gbk") + "\n文峰区人民政府\n\n\n".encode()
    code, output = plain(path, data)
    assert code == 0, output
    assert output.count(BAD_ENCODING) == 1
    assert output.count(SUPERIOR_QUESTION) == 2  # asked again after the refused line
    assert "无法保存" not in output
    saved = store.load_session(path)
    assert saved.answers["basics.superior"] == "文峰区人民政府"
    assert saved.meta.resume_at != "basics.superior"


@pytest.mark.parametrize(
    "line",
    ["文峰区\udcd0\udcd0", "文峰区\ufffd", "\udcb7\udcf1"],
    ids=["surrogate-escaped", "replacement-char", "only-surrogates"],
)
def test_text_already_decoded_badly_is_refused(tmp_path: Path, line: str) -> None:
    path = tmp_path / "s.toml"
    out = io.StringIO()
    code = run_plain(path, store.new_session("西大街街道", 2023), io.StringIO(f"\n\n{line}\n文峰区人民政府\n"), out)
    assert code == 0
    assert out.getvalue().count(BAD_ENCODING) == 1
    assert "无法保存" not in out.getvalue()
    assert store.load_session(path).answers["basics.superior"] == "文峰区人民政府"


@pytest.mark.parametrize("char", ["\x00", "\x1b", "\x7f", "\x08", "\r", "\x85"], ids=repr)
def test_control_characters_are_refused(tmp_path: Path, char: str) -> None:
    path = tmp_path / "s.toml"
    out = io.StringIO()
    code = run_plain(
        path, store.new_session("西大街街道", 2023), io.StringIO(f"\n\n文峰区{char}政府\n文峰区人民政府\n"), out
    )
    assert code == 0
    output = out.getvalue()
    assert output.count(BAD_CONTROL) == 1
    assert char not in output.replace("\r\n", "\n")  # not even echoed: an ESC would reach the terminal
    assert store.load_session(path).answers["basics.superior"] == "文峰区人民政府"


def test_a_tab_and_crlf_line_endings_reach_the_interview(tmp_path: Path) -> None:
    _, output = plain(tmp_path / "s.toml", "\r\n\r\n文峰区\t人民政府\r\n".encode())
    assert BAD_CONTROL not in output and BAD_ENCODING not in output
    assert output.count("→ 已记录：") == 2  # two Enters: CRLF is a line ending
    # The tab reaches the interview (plain mode lets tabs through), which refuses it in a one-line name.
    assert "答：文峰区\t人民政府\n→ 上级机关的第 4 个字符是制表符，不能使用。请重新输入。" in output


def test_gbk_on_the_stdin_of_the_real_command(tmp_path: Path) -> None:
    data = "文峰区人民政府".encode("gbk") + "\n文峰区人民政府\n\n\n".encode()
    argv = ["--dir", str(tmp_path), "new", "--plain", "--agency", "西大街街道", "--year", "2023"]
    result = cli(*argv, "--kind", "subdistrict", input=data)
    stdout = result.stdout.decode("utf-8")
    assert result.returncode == 0, result.stderr.decode()
    assert BAD_ENCODING in stdout and "无法保存" not in stdout
    saved = store.load_session(tmp_path / "西大街街道-2023.toml")
    assert saved.answers["basics.superior"] == "文峰区人民政府"


# ================================================================ 4. check and render go on past a bad file
def test_check_reports_every_file_even_after_an_unknown_phrase(tmp_path: Path) -> None:
    a, c = copy_example(tmp_path, "a.toml"), copy_example(tmp_path, "c.toml")
    b = bad_phrase_session(tmp_path)
    code, text = run("check", str(a), str(b), str(c))
    assert code == 2
    lines, summary = text.split("\n\n汇总")  # the batch summary follows the findings
    lines = lines.splitlines()
    assert summary.count("\n") == 4 and f"{b}\t无法读取\t" in summary
    assert lines[0] == f"{a}: 检查通过，没有发现问题。"
    assert lines[-1] == f"{c}: 检查通过，没有发现问题。"
    (b_line,) = [line for line in lines if line.startswith(f"{b}: ")]
    assert "no.such.phrase" in b_line
    assert_chinese_line(b_line)


def test_check_turns_any_exception_into_that_files_message(tmp_path: Path, monkeypatch) -> None:
    paths = [copy_example(tmp_path, f"{n}.toml") for n in "abc"]
    real = checks.run_checks
    calls = []

    def flaky(report, previous=None):
        calls.append(report)
        if len(calls) == 2:
            raise RuntimeError("boom")
        return real(report, previous)

    monkeypatch.setattr(checks, "run_checks", flaky)
    code, text = run("check", *map(str, paths))
    assert code == 2
    lines = text.split("\n\n汇总")[0].splitlines()
    assert [line.split(": ")[0] for line in lines] == [str(p) for p in paths]
    assert "意外错误（RuntimeError）" in lines[1] and "boom" not in text
    assert lines[2].endswith("检查通过，没有发现问题。")


def test_check_exit_code_is_the_worst(tmp_path: Path) -> None:
    findings = ROOT / "tests" / "fixtures" / "erdao-2022-row-total.toml"
    clean = copy_example(tmp_path)
    assert run("check", str(clean), str(findings))[0] == 1
    assert run("check", str(findings), str(clean))[0] == 1
    code, text = run("check", str(findings), str(bad_phrase_session(tmp_path)), str(clean))
    assert code == 2
    assert text.split("\n\n汇总")[0].splitlines()[-1] == f"{clean}: 检查通过，没有发现问题。"


def test_check_with_a_previous_year_it_cannot_read_names_it(tmp_path: Path) -> None:
    previous = tmp_path / "last.toml"
    previous.write_text("[meta\n", encoding="utf-8")
    code, text = run("check", str(EXAMPLE), "--previous", str(previous))
    assert code == 2
    (line,) = text.splitlines()
    assert line.startswith(f"{previous}: 上一年度的会话文件无法使用")
    assert_chinese_line(line)


def test_render_of_a_session_with_an_unknown_phrase_names_the_file(tmp_path: Path) -> None:
    b = bad_phrase_session(tmp_path)
    result = cli("render", str(b))
    assert result.returncode == 2
    err = result.stderr.decode()
    assert_chinese_line(err)
    assert "b.toml" in err and "no.such.phrase" in err
    assert result.stdout == b""


def test_render_turns_an_unexpected_error_into_a_message_naming_the_file(tmp_path: Path, monkeypatch, capsys) -> None:
    def broken(report, previous=None):
        raise RuntimeError("boom")

    monkeypatch.setattr(checks, "run_checks", broken)
    session = copy_example(tmp_path)
    assert run("render", str(session))[0] == 2
    err = capsys.readouterr().err
    assert_chinese_line(err)
    assert "s.toml" in err and "RuntimeError" in err
