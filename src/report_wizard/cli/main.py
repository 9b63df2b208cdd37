"""Command line: ``report-wizard [new|open|render|check|list|import]``.

render, check, list and import never import Textual (a test proves it); the TUI is imported only when opened.
No traceback reaches the clerk: anything unexpected becomes one Chinese line and exit 2 (set
REPORT_WIZARD_DEBUG=1 to see the traceback instead).
"""

from __future__ import annotations

import argparse
import errno
import os
import re
import stat
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, TextIO, TypeVar

from report_wizard.core import form
from report_wizard.core.errors import WizardError

if TYPE_CHECKING:
    from report_wizard.core.model import Report

T = TypeVar("T")

EXIT_OK, EXIT_FINDINGS, EXIT_UNREADABLE = 0, 1, 2
EXIT_INCOMPLETE = 3  # check: a table or a section is missing, so the report could not be judged whole
EXIT_BROKEN_PIPE = 1  # as in the Python docs' "Note on SIGPIPE"; the reader decided it had enough

_ARGPARSE_MESSAGES = (
    (r"the following arguments are required: (.*)", "缺少参数：{0}"),
    (r"unrecognized arguments: (.*)", "无法识别的参数：{0}"),
    (r"argument (\S+): invalid choice: (.*?) \(choose from (.*)\)", "参数 {0} 的取值 {1} 无效，可选：{2}"),
    (r"argument (\S+): invalid int value: (.*)", "参数 {0} 应为整数，而不是 {1}"),
    (r"argument (\S+): (.*[\u4e00-\u9fff].*)", "参数 {0}：{1}"),  # our own type checks say it in Chinese
    (r"argument (\S+): expected one argument", "参数 {0} 后面需要一个值"),
)


class _ChineseParser(argparse.ArgumentParser):
    """argparse with its error messages in Chinese (clerks read them)."""

    def error(self, message: str) -> None:  # type: ignore[override]
        for pattern, chinese in _ARGPARSE_MESSAGES:
            match = re.fullmatch(pattern, message)
            if match:
                message = chinese.format(*match.groups())
                break
        self.print_usage(sys.stderr)
        self.exit(EXIT_UNREADABLE, f"{self.prog}：{message}\n")


def _agency_kind(text: str) -> str:
    """An agency kind by its id (subdistrict) or by the name the 新建 form shows (街道/乡镇, 县区人民政府 …)."""
    by_label = {label: kind for kind, label in form.AGENCY_KINDS} | {"街道": "subdistrict", "乡镇": "subdistrict"}
    kind = text.strip()
    if kind in form.AGENCY_KIND_LABEL:
        return kind
    if kind in by_label:
        return by_label[kind]
    names = "、".join(label for _, label in form.AGENCY_KINDS)
    raise argparse.ArgumentTypeError(f"机关类型「{text}」无效，可选：{names}")


def build_parser() -> argparse.ArgumentParser:
    parser = _ChineseParser(
        prog="report-wizard",
        description="政府信息公开工作年度报告助手：逐项提问、自动校验、生成报告。不带参数运行时打开主页。",
    )
    parser.add_argument("--dir", type=Path, help="会话文件夹（默认 ./sessions 或环境变量 REPORT_WIZARD_SESSIONS）")
    sub = parser.add_subparsers(dest="command", parser_class=_ChineseParser, metavar="命令")

    new = sub.add_parser("new", help="新建一份年度报告并开始问答")
    new.add_argument("--agency", help="机关名称，如 西大街街道")
    new.add_argument("--year", type=int, help="报告年度，如 2024")
    new.add_argument(
        "--kind",
        type=_agency_kind,
        metavar="类型",
        help="机关类型：" + "、".join(f"{label}（{kind}）" for kind, label in form.AGENCY_KINDS),
    )
    new.add_argument("--superior", default="", help="上级机关，如 文峰区人民政府")
    new.add_argument("--plain", action="store_true", help="逐行问答（适合脚本和读屏软件），不打开界面")

    open_ = sub.add_parser("open", help="继续填写已保存的会话（不给文件时打开内置示例的副本）")
    open_.add_argument("session", nargs="?", type=Path, help="会话文件 .toml")
    open_.add_argument("--plain", action="store_true", help="逐行问答，不打开界面")

    render = sub.add_parser("render", help="生成报告（文本、Markdown、网页或 Word 文档）")
    render.add_argument("session", type=Path, help="会话文件 .toml")
    render.add_argument(
        "--format",
        "-f",
        choices=["txt", "md", "html", "docx"],
        default="txt",
        help="输出格式（默认 txt；docx 为 Word 文档，须用 -o 指定文件）",
    )
    render.add_argument("-o", "--output", type=Path, help="写入文件（默认输出到屏幕；Word 文档必须写入文件）")
    render.add_argument("--previous", type=Path, help="上一年度的会话文件，用于跨年度检查")
    render.add_argument("--strict", action="store_true", help="报告还有错误时退出码为 1（仍然生成标为草稿的报告）")

    check = sub.add_parser(
        "check",
        help="检查报告（会话文件、已发布的报告或文件夹）：退出码 0 通过，1 有错误，2 无法读取，3 不完整",
        # Broken by hand: argparse counts characters, and a Chinese one takes two columns.
        formatter_class=argparse.RawDescriptionHelpFormatter,
        description="检查会话文件（.toml）和已发布的年度报告（txt、md、html、docx、\n"
        "pdf，只读取，不写任何文件），也可以给文件夹，可以混合。\n"
        "每份报告的结论是「通过」「有错误」或「不完整」（缺少表格或章节）。\n"
        "没有读到的单元格不做检查，并列出哪些检查因此没有做。\n"
        "同一机关相邻两年的报告在同一批中时，自动做跨年度检查。",
        epilog="输出格式：text 逐条列出，多份时最后每份一行汇总；json 全部结果；\n"
        "csv 每份报告一行的汇总（带 BOM，Excel 可直接打开）；\nhtml 可以打印的检查结果。\n"
        "退出码：0 全部通过；1 有报告发现错误；2 有文件无法读取；\n"
        "3 有报告不完整（缺少表格或章节）。\n多份报告时取最严重的：2 > 1 > 3 > 0。",
    )
    check.add_argument("sessions", nargs="+", type=Path, metavar="FILE", help="会话、已发布的报告或文件夹")
    check.add_argument("--previous", type=Path, metavar="LAST_YEAR", help="上一年度的会话或已发布的报告")
    check.add_argument(
        "--format", "-f", choices=["text", "json", "csv", "html"], default="text", help="输出格式（默认 text）"
    )

    import_ = sub.add_parser("import", help="导入已发布的年度报告（txt、md、html、docx、pdf），生成会话文件")
    import_.add_argument("file", type=Path, help="已发布的报告文件")
    import_.add_argument("-o", "--output", type=Path, help="会话文件 .toml（默认 会话文件夹/<机关>-<年度>.toml）")
    new.add_argument("--from", dest="from_last", type=Path, metavar="上年报告", help="从上年的会话或已发布的报告开始")

    list_ = sub.add_parser("list", help="列出已保存的会话")
    # --dir is understood after the command as well (「report-wizard new --dir 文件夹」 is what people type);
    # SUPPRESS keeps the one given before the command when none is given after it.
    for command in (new, open_, render, check, import_, list_):
        command.add_argument("--dir", type=Path, default=argparse.SUPPRESS, help="会话文件夹")
    return parser


def _sessions_folder(args: argparse.Namespace) -> Path:
    from report_wizard.core.paths import sessions_dir

    folder = args.dir
    return folder.resolve() if folder else sessions_dir()


# Why a name rule and not a look inside: "is it a session?" would need reading (and trusting) whatever is at
# the path, and says nothing for a file not made yet. Reports are .txt/.md/.html/.docx; a name ending in .toml (or
# a session's .toml.bak / .toml.lock) is a session's, so render never writes one, whatever it holds now.
_SESSION_SUFFIXES = (".toml", ".toml.bak", ".toml.lock")

_WRITE_REASONS = {
    errno.ENOSPC: "磁盘已满",
    errno.EDQUOT: "超出了磁盘配额",
    errno.EACCES: "没有写入权限",
    errno.EPERM: "没有写入权限",
    errno.EROFS: "磁盘只读",
    errno.EFBIG: "文件太大",
    errno.ENAMETOOLONG: "文件名太长",
    errno.ELOOP: "符号链接绕成了一个圈",
    errno.EIO: "磁盘读写出错",
    errno.ENXIO: "这个设备现在无法写入",
    errno.EBUSY: "文件正被占用",
    errno.ETXTBSY: "文件正被占用",
}


def _write_error(path: Path, exc: OSError, example: str = "报告.txt") -> WizardError:
    if exc.errno == errno.ENOTDIR:
        return WizardError(f"无法写入「{path}」：路径中有一段是文件而不是文件夹。")
    if exc.errno == errno.EISDIR:
        return WizardError(f"「{path}」是一个文件夹：请在后面加上文件名，例如「{path / example}」。")
    reason = _WRITE_REASONS.get(exc.errno or 0, "系统拒绝了写入")
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EBUSY, errno.ETXTBSY) and path.is_file():
        # On Windows a document open in Word or WPS is locked: replacing it is refused like this.
        reason += "；如果这个文件正在 Word 或 WPS 中打开，请先关闭它"
    return WizardError(f"无法写入「{path}」（{reason}），请换一个位置再试。")


def _is_session_name(path: Path) -> bool:
    return path.name.lower().endswith(_SESSION_SUFFIXES)  # lower: S.TOML is s.toml on Windows and macOS


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return False


def _check_output(target: Path, inputs: list[Path]) -> None:
    """Refuse an output path that is, or points at, a session file (before anything is rendered)."""
    real = Path(os.path.realpath(target))
    shown = f"「{target}」" if real == target.absolute() else f"「{target}」（指向「{real}」）"
    if any(_same_file(target, p) for p in inputs):
        raise WizardError(f"{shown}就是会话文件本身，报告写到这里会把会话覆盖掉。请换一个文件名，例如 报告.txt。")
    if _is_session_name(target) or _is_session_name(real):
        raise WizardError(
            f"{shown}以 .toml 结尾，是会话文件用的名字：为了不覆盖会话，报告不写到这里。"
            "请换一个以 .txt、.md、.html 或 .docx 结尾的文件名。"
        )


def _write_output(target: Path, data: bytes, example: str = "报告.txt") -> bool:
    """Write the report to ``target``; True if it went into a regular file (so saying where is useful).

    A symlink is followed and its target replaced atomically; a device, FIFO or /dev/stdout is written as a
    stream: renaming over it would replace the node itself (as root, even /dev/null).
    """
    try:
        mode = os.stat(target).st_mode  # follows symlinks
    except FileNotFoundError:
        mode = None
    except OSError as exc:
        raise _write_error(target, exc) from None
    if mode is not None and stat.S_ISDIR(mode):
        raise _write_error(target, OSError(errno.EISDIR, ""), example)
    if mode is not None and not stat.S_ISREG(mode):
        try:
            with open(target, "wb") as stream:
                stream.write(data)
        except OSError as exc:
            raise _write_error(target, exc) from None
        return False
    real = Path(os.path.realpath(target))  # a new file at the end of a dangling symlink is made there
    if not real.parent.is_dir():
        raise WizardError(f"文件夹「{real.parent}」不存在，请先建好这个文件夹，或换一个位置。")
    from report_wizard.store import atomic_write_bytes

    try:
        atomic_write_bytes(real, data)
    except OSError as exc:
        raise _write_error(target, exc) from None
    return True


def _guard(work: Callable[[], T]) -> T:
    """``work()``, with an unexpected exception (a bug) turned into a WizardError: still one sentence."""
    try:
        return work()
    except WizardError:
        raise
    except Exception as error:
        raise WizardError(f"出现了意外错误（{type(error).__name__}），请把这条信息告诉维护人员。") from None


def _naming(path: Path, error: WizardError) -> WizardError:
    """``error`` with a message that says which file it is about."""
    message = str(error)
    return WizardError(message if path.name in message else f"「{path}」：{message}")


def _load_report(path: Path) -> Report:
    from report_wizard.core.model import derive_report
    from report_wizard.store import load_session

    return _guard(lambda: derive_report(load_session(path)))


def _is_terminal(path: Path) -> bool:
    try:
        if not stat.S_ISCHR(os.stat(path).st_mode):
            return False
        fd = os.open(path, os.O_WRONLY | getattr(os, "O_NOCTTY", 0))
    except OSError:
        return False
    try:
        return os.isatty(fd)
    finally:
        os.close(fd)


def _check_format(fmt: str, target: Path | None, session: Path) -> None:
    """A Word document goes into a file whose name says .docx; a text report never into a .docx name."""
    docx = fmt == "docx"
    if docx and target is None:  # bytes of a zip file on a terminal are noise, and break the terminal
        raise WizardError(
            "Word 文档不能输出到屏幕，请用 -o 指定文件名，"
            f"例如：report-wizard render {session} --format docx -o 报告.docx"
        )
    if docx and target is not None and _is_terminal(target):  # -o /dev/stdout, /dev/tty
        raise WizardError("Word 文档不能输出到屏幕（终端），请用 -o 指定一个以 .docx 结尾的文件名。")
    if target is None or (target.exists() and not target.is_file()):  # a pipe or device: any name is fine
        return
    if docx and target.suffix.lower() != ".docx":
        raise WizardError(
            f"Word 文档的文件名应以 .docx 结尾（例如 {target.with_suffix('.docx').name}），Word 和 WPS 才能打开。"
        )
    if not docx and target.suffix.lower() == ".docx":
        raise WizardError(f"「{target}」以 .docx 结尾：要生成 Word 文档，请加上 --format docx。")


def _cmd_render(args: argparse.Namespace, out: TextIO) -> int:
    from report_wizard.checks import run_checks
    from report_wizard.output.render import draft_mark, render_report

    _check_format(args.format, args.output, args.session)
    if args.output:
        _check_output(args.output, [args.session, *([args.previous] if args.previous else [])])
    previous = None
    if args.previous:
        try:
            previous = _load_report(args.previous)
        except WizardError as error:
            raise _naming(args.previous, error) from None
    try:
        report = _load_report(args.session)
        findings = _guard(lambda: run_checks(report, previous))
        if args.format == "docx":
            from report_wizard.output.docx import render_docx

            data = _guard(lambda: render_docx(report, findings))
        else:
            text = _guard(lambda: render_report(report, args.format, findings))
    except WizardError as error:
        raise _naming(args.session, error) from None
    if args.format == "docx":
        if _write_output(args.output, data, "报告.docx"):
            print(f"已写入 {args.output}", file=out)
    elif args.output:
        if _write_output(
            args.output, text.encode("utf-8")
        ):  # not for a device or pipe: the line could land in the report
            print(f"已写入 {args.output}", file=out)
    else:
        out.write(text)
    mark = draft_mark(findings)
    if mark:  # on stderr: the report itself may be going to stdout
        print(f"report-wizard：{mark}用 report-wizard check {args.session} 查看详情。", file=sys.stderr)
        return EXIT_FINDINGS if args.strict else EXIT_OK
    return EXIT_OK


def _cmd_check(args: argparse.Namespace, out: TextIO) -> int:
    from report_wizard.cli.review import check_reports

    return check_reports(args.sessions, args.previous, args.format, out)


def _cmd_import(args: argparse.Namespace, out: TextIO) -> int:
    """Read a published report into a new session file and print the parse report."""
    from report_wizard.opening import import_published
    from report_wizard.store import SessionExistsError

    if args.output is not None and not _is_session_name(args.output):
        raise WizardError(f"「{args.output}」不是会话文件的名字：导入的结果是会话，请用以 .toml 结尾的文件名。")
    try:
        path, report = _guard(lambda: import_published(args.file, args.output, _sessions_folder(args)))
    except SessionExistsError as error:
        raise WizardError(
            f"「{error.path}」已存在，没有改动它。请用 -o 指定另一个文件名，或先把原来的文件移走。"
        ) from None
    for line in report:
        print(line, file=out)
    print(f"已写入 {path}", file=out)
    return EXIT_OK


def _cmd_list(args: argparse.Namespace, out: TextIO) -> int:
    from report_wizard.store import list_sessions

    folder = _sessions_folder(args)
    infos = list_sessions(folder)
    if not infos:
        print(f"{folder} 中还没有保存的会话。", file=out)
    for info in infos:
        if info.error:
            print(f"{info.path.name}\t无法读取：{info.error}", file=out)
            continue
        updated = info.updated.strftime("%Y-%m-%d %H:%M") if info.updated else "—"
        print(f"{info.path.name}\t{info.agency}\t{info.year}年\t{info.standing}\t{updated}", file=out)
    return EXIT_OK


def _stdin_usable() -> bool:
    """False when stdin is closed (``0<&-``: Python then has no sys.stdin) or not a real file."""
    if sys.stdin is None:
        return False
    try:
        os.fstat(sys.stdin.fileno())
    except (OSError, ValueError, AttributeError):  # io.UnsupportedOperation is both OSError and ValueError
        return False
    return True


def _cmd_interview(args: argparse.Namespace) -> int:
    """new/open/home: the plain line mode, or the Textual app."""
    from report_wizard.store import SessionExistsError, copy_example, load_session

    if not _stdin_usable():  # checked before anything is created: answers could never arrive
        raise WizardError(
            "没有可以读取回答的标准输入（可能已被关闭），无法开始问答。请在终端窗口中运行，或用「< 文件」提供回答。"
        )
    folder = _sessions_folder(args)
    if args.command is None:
        from report_wizard.tui.app import run_app

        return run_app(folder, None)
    if args.command == "new" and args.from_last is not None:
        from report_wizard.opening import start_from_last

        try:
            path = _guard(lambda: start_from_last(folder, args.from_last, year=args.year))
        except SessionExistsError as error:
            raise WizardError(f"{error.path} 已存在：请用 report-wizard open {error.path} 继续填写。") from None
        print(f"已从「{args.from_last.name}」新建 {path}", file=sys.stderr)
    elif args.command == "new":
        if args.plain or args.agency:
            from report_wizard.opening import start_new_session

            given = {"agency": args.agency, "year": args.year, "kind": args.kind}
            try:  # exclusive: two windows starting the same report cannot both create it
                path = start_new_session(folder, **given, superior=args.superior)
            except SessionExistsError as error:
                raise WizardError(f"{error.path} 已存在：请用 report-wizard open {error.path} 继续填写。") from None
        else:
            path = None
    else:
        path = args.session or copy_example(folder)
        load_session(path)  # a file that cannot be read is said here, before any window opens
    if args.plain:
        from report_wizard.cli.plain import run_plain

        assert path is not None  # plain mode always has a file: new --plain creates one
        return run_plain(path, load_session(path), sys.stdin, sys.stdout)
    from report_wizard.tui.app import run_app

    return run_app(folder, path, new=args.command == "new" and path is None)


def _say(message: str) -> None:
    """One line on stderr, even when stderr itself is gone."""
    try:
        print(f"report-wizard：{message}", file=sys.stderr)
    except (OSError, ValueError, AttributeError):
        pass


def _quiet_stdout() -> None:
    """After a broken pipe: point stdout at devnull, so that the flush at exit does not fail again
    (the recipe of the Python docs, "Note on SIGPIPE")."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):  # no real stdout (tests): nothing will flush to it
        pass


def main(argv: list[str] | None = None, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    try:
        try:
            args = build_parser().parse_args(argv)
        except SystemExit:  # --help or a usage error: flush now, so that a closed pipe is handled below
            if sys.stdout is not None:
                sys.stdout.flush()
            raise
        if args.command == "render":
            code = _cmd_render(args, out)
        elif args.command == "check":
            code = _cmd_check(args, out)
        elif args.command == "list":
            code = _cmd_list(args, out)
        elif args.command == "import":
            code = _cmd_import(args, out)
        else:
            code = _cmd_interview(args)
        out.flush()  # here, not at exit: a reader that went away is handled below like any other
        return code
    except BrokenPipeError:  # e.g. `report-wizard check *.toml | head`: the reader has what it wanted
        _quiet_stdout()
        return EXIT_BROKEN_PIPE
    except WizardError as error:
        _say(str(error))
        return EXIT_UNREADABLE
    except KeyboardInterrupt:
        return 130
    except Exception as error:
        if os.environ.get("REPORT_WIZARD_DEBUG"):
            raise
        _say(f"出现了意外错误（{type(error).__name__}），请把这条信息告诉维护人员。")
        return EXIT_UNREADABLE
