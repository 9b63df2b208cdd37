"""Command line: ``report-wizard [new|open|render|check|list]``.

render, check and list never import Textual (a test proves it); the TUI is imported only when opened.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path
from typing import TextIO

from . import form
from .errors import WizardError

EXIT_OK, EXIT_FINDINGS, EXIT_UNREADABLE = 0, 1, 2

_ARGPARSE_MESSAGES = (
    (r"the following arguments are required: (.*)", "缺少参数：{0}"),
    (r"unrecognized arguments: (.*)", "无法识别的参数：{0}"),
    (r"argument (\S+): invalid choice: (.*?) \(choose from (.*)\)", "参数 {0} 的取值 {1} 无效，可选：{2}"),
    (r"argument (\S+): invalid int value: (.*)", "参数 {0} 应为整数，而不是 {1}"),
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
    new.add_argument("--kind", choices=[k for k, _ in form.AGENCY_KINDS], help="机关类型")
    new.add_argument("--superior", default="", help="上级机关，如 文峰区人民政府")
    new.add_argument("--plain", action="store_true", help="逐行问答（适合脚本和读屏软件），不打开界面")

    open_ = sub.add_parser("open", help="继续填写已保存的会话（不给文件时打开内置示例的副本）")
    open_.add_argument("session", nargs="?", type=Path, help="会话文件 .toml")
    open_.add_argument("--plain", action="store_true", help="逐行问答，不打开界面")

    render = sub.add_parser("render", help="生成报告文本")
    render.add_argument("session", type=Path, help="会话文件 .toml")
    render.add_argument("--format", "-f", choices=["txt", "md", "html"], default="txt", help="输出格式（默认 txt）")
    render.add_argument("-o", "--output", type=Path, help="写入文件（默认输出到屏幕）")
    render.add_argument("--previous", type=Path, help="上一年度的会话文件，用于跨年度检查")
    render.add_argument("--strict", action="store_true", help="报告还有错误时退出码为 1（仍然生成标为草稿的报告）")

    check = sub.add_parser("check", help="检查报告：退出码 0 无错误，1 发现错误，2 文件无法读取")
    check.add_argument("sessions", nargs="+", type=Path, help="一个或多个会话文件 .toml")
    check.add_argument("--previous", type=Path, help="上一年度的会话文件，用于跨年度检查")

    list_ = sub.add_parser("list", help="列出已保存的会话")
    list_.add_argument("--dir", dest="list_dir", type=Path, help="会话文件夹")
    return parser


def _sessions_folder(args: argparse.Namespace) -> Path:
    from .paths import sessions_dir

    folder = getattr(args, "list_dir", None) or args.dir
    return folder.resolve() if folder else sessions_dir()


def _cmd_render(args: argparse.Namespace, out: TextIO) -> int:
    from .checks import run_checks
    from .model import derive_report
    from .render import draft_mark, render_report
    from .store import load_session

    report = derive_report(load_session(args.session))
    previous = derive_report(load_session(args.previous)) if args.previous else None
    findings = run_checks(report, previous)
    text = render_report(report, args.format, findings)
    if args.output:
        from .store import atomic_write_text

        atomic_write_text(args.output, text)
        print(f"已写入 {args.output}", file=out)
    else:
        out.write(text)
    mark = draft_mark(findings)
    if mark:  # on stderr: the report itself may be going to stdout
        print(f"report-wizard：{mark}用 report-wizard check {args.session} 查看详情。", file=sys.stderr)
        return EXIT_FINDINGS if args.strict else EXIT_OK
    return EXIT_OK


def _cmd_check(args: argparse.Namespace, out: TextIO) -> int:
    from .checks import has_errors, run_checks
    from .model import derive_report
    from .store import load_session

    previous = derive_report(load_session(args.previous)) if args.previous else None
    worst = EXIT_OK
    for path in args.sessions:
        try:
            report = derive_report(load_session(path))
        except WizardError as error:
            print(f"{path}: {error}", file=out)
            worst = EXIT_UNREADABLE
            continue
        findings = run_checks(report, previous)
        if not findings:
            print(f"{path}: 检查通过，没有发现问题。", file=out)
        for finding in findings:
            level = "错误" if finding.level == "error" else "提醒"
            print(f"{path}: {level} {finding.rule} {finding.message}", file=out)
        if has_errors(findings) and worst == EXIT_OK:
            worst = EXIT_FINDINGS
    return worst


def _cmd_list(args: argparse.Namespace, out: TextIO) -> int:
    from .store import list_sessions

    folder = _sessions_folder(args)
    infos = list_sessions(folder)
    if not infos:
        print(f"{folder} 中还没有保存的会话。", file=out)
    for info in infos:
        if info.error:
            print(f"{info.path.name}\t无法读取：{info.error}", file=out)
            continue
        updated = info.updated.strftime("%Y-%m-%d %H:%M") if info.updated else "—"
        print(f"{info.path.name}\t{info.agency}\t{info.year}年\t已回答 {info.answered} 题\t{updated}", file=out)
    return EXIT_OK


def _cmd_interview(args: argparse.Namespace) -> int:
    """new/open: the plain line mode, or the Textual app."""
    from .store import copy_example, load_session, new_session, save_session, session_path

    folder = _sessions_folder(args)
    if args.command == "new":
        if args.plain or args.agency:
            agency = args.agency or "未命名机关"
            from .questions import default_report_year

            year = args.year or default_report_year()
            session = new_session(agency, year, args.kind or "subdistrict", args.superior)
            # What the command line already said is answered: the interview does not ask it again.
            given = {"basics.agency": args.agency, "basics.agency_kind": args.kind, "basics.year": args.year}
            session.answers.update({qid: value for qid, value in given.items() if value})
            if args.superior:
                session.answers["basics.superior"] = args.superior
            path = session_path(agency, year, folder)
            if path.exists():
                raise WizardError(f"{path} 已存在：请用 report-wizard open {path} 继续填写。")
            save_session(session, path)
        else:
            path = None
    else:
        path = args.session or copy_example(folder)
        session = load_session(path)
    if args.plain:
        from .plain import run_plain

        return run_plain(path, load_session(path), sys.stdin, sys.stdout)
    from .tui.app import run_app

    return run_app(folder, path)


def main(argv: list[str] | None = None, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    args = build_parser().parse_args(argv)
    try:
        if args.command == "render":
            return _cmd_render(args, out)
        if args.command == "check":
            return _cmd_check(args, out)
        if args.command == "list":
            return _cmd_list(args, out)
        if args.command in ("new", "open"):
            return _cmd_interview(args)
        from .tui.app import run_app

        return run_app(_sessions_folder(args), None)
    except WizardError as error:
        print(f"report-wizard：{error}", file=sys.stderr)
        return EXIT_UNREADABLE
    except KeyboardInterrupt:
        return 130
