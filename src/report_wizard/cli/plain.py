"""``--plain``: the interview line by line on stdin/stdout, for scripts, screen readers and tests."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TextIO

from report_wizard.checks import Finding
from report_wizard.core.errors import WizardError
from report_wizard.core.model import Session
from report_wizard.interview import Ask
from report_wizard.opening import OpenSession

HELP_WORDS = frozenset({"?", "？", "帮助"})
UNDO_WORDS = frozenset({"撤销"})
LEVEL_NAMES = {"error": "错误", "warning": "提醒"}
BAD_ENCODING = "这一行含有无法识别的字符（可能不是 UTF-8 编码），没有记录，请重新输入。"
BAD_CONTROL = "这一行含有看不见的控制字符（可能是复制粘贴时带进来的），没有记录，请重新输入。"
# Lone surrogates come from a stream decoded with surrogateescape, U+FFFD from one decoded with "replace":
# either way the clerk's bytes were not UTF-8 and what they meant is lost.
_UNDECODABLE = re.compile("[\ud800-\udfff\ufffd]")
_CONTROL = re.compile("[\x00-\x08\x0a-\x1f\x7f-\x9f]")  # Unicode's control characters, except tab


def format_ask(ask: Ask) -> list[str]:
    """The lines that show a question: 「问：…」, its choices, and what Enter gives."""
    lines = [f"问：{ask.text}"]
    if ask.kind == "yesno":  # two short choices: one line
        lines.append("  " + "　".join(f"{n}. {label}" for n, (_, label) in enumerate(ask.choices, 1)))
    elif ask.kind in ("choice", "multichoice", "order"):
        lines += [f"  {n}. {label}" for n, (_, label) in enumerate(ask.choices, 1)]
    if ask.current_answer:
        lines.append(f"  （现在的回答：{ask.current_answer}）")
    if ask.enter:
        lines.append(f"  （{ask.enter}）")
    return lines


def summary_lines(findings: list[Finding]) -> list[str]:
    """The check summary: one line per finding with its rule id, or that all checks passed."""
    if not findings:
        return ["检查通过：没有发现问题。"]
    errors = sum(f.level == "error" for f in findings)
    lines = [f"检查结果：{errors} 个错误，{len(findings) - errors} 个提醒。"]
    lines += [f"{LEVEL_NAMES[f.level]} {f.rule}：{f.message}" for f in findings]
    return lines


class _Lines:
    """Answer lines from stdin, each with what is wrong with it; undecodable lines never reach the session."""

    def __init__(self, stdin: TextIO) -> None:
        self.stdin = stdin
        # Bytes, decoded here line by line: the text layer's own decoding may raise, or let bad bytes
        # through escaped, depending on the locale.
        self.binary = getattr(stdin, "buffer", None)
        self.first = True

    def read(self) -> tuple[str, str] | None:
        """(the line without its line ending, BAD_… or ""), or None at the end of the input."""
        if self.binary is not None:
            raw = self.binary.readline()
            if not raw:
                return None
            raw = raw.rstrip(b"\r\n")
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError:
                return raw.decode("utf-8", "replace"), BAD_ENCODING
        else:
            line = self.stdin.readline()
            if not line:
                return None
            text = line.rstrip("\r\n")
        if self.first:  # a file saved by Windows Notepad starts with a byte order mark
            text, self.first = text.removeprefix("\ufeff"), False
        if _UNDECODABLE.search(text):
            return text, BAD_ENCODING
        if _CONTROL.search(text):
            return text, BAD_CONTROL
        return text, ""


def _printable(text: str) -> str:
    """``text`` safe to echo: no surrogate (stdout cannot encode it), no control character (an ESC would reach
    the terminal)."""
    return _CONTROL.sub("\ufffd", _UNDECODABLE.sub("\ufffd", text))


def _save(opened: OpenSession, out: TextIO) -> bool:
    try:
        opened.save()
    except WizardError as error:  # keep going: the next answer tries again, nothing typed is dropped
        print(f"！{error}", file=out)
        return False
    return True


def run_plain(path: Path, session: Session, stdin: TextIO, stdout: TextIO) -> int:
    """Run the interview on ``session`` (saved to ``path`` after every accepted answer); 0 when done or at EOF.

    Opened through the same use case as the TUI (opening.OpenSession): lock, read-only detection, last
    year's session for carried-over defaults and the cross-year checks, the default-zero confirmation.
    """
    out = stdout
    try:
        opened = OpenSession.start(Path(path), session)
    except WizardError as error:
        print(f"！{error}", file=out)
        return 1
    if opened.read_only:  # said before the first question, not after the first lost answer
        print(f"！会话文件「{Path(path).name}」是只读的：回答不会保存到它。", file=out)
    try:
        return _run(opened, stdin, out)
    except WizardError as error:  # e.g. a broken question file: a message, never a traceback
        print(f"！{error}", file=out)
        return 1
    finally:
        opened.close()


def _run(opened: OpenSession, stdin: TextIO, out: TextIO) -> int:
    session, interview = opened.session, opened.interview
    started = opened.resumed  # an interview ran on it before; a report just made is greeted as new
    echo = not stdin.isatty()
    print(f"《{interview.report().title}》", file=out)
    if opened.interview.previous is not None:
        last = session.meta.year - 1
        print(f"已找到上一年度（{last}年）的报告：上年结转的件数按它填好，并核对跨年度的数字。", file=out)
    print("接着上次的进度继续。" if started else "开始填写。", end="", file=out)
    print("输入 ? 查看帮助，输入“撤销”撤销上一个回答，直接回车表示接受默认回答。", file=out)
    lines = _Lines(stdin)
    shown: str | None = None
    finished = False
    while (ask := interview.current()) is not None:
        if shown != _key(ask):
            print("\n".join(format_ask(ask)), file=out)
            shown = _key(ask)
        line = lines.read()
        if line is None:
            break
        text, problem = line
        if echo:
            print(f"答：{_printable(text)}", file=out)
        if problem:  # refused before the interview sees it: the next save would fail on it, and every later one
            print(f"→ {problem}", file=out)
            shown = None
            continue
        if text.strip() in HELP_WORDS:
            print(f"说明：{ask.help}", file=out)
            continue
        if text.strip() in UNDO_WORDS:
            reply = interview.undo()
            print(f"→ {reply.message}" if reply else "→ 还没有可以撤销的回答。", file=out)
            if reply:
                _save(opened, out)
            shown = None
            continue
        reply = interview.answer(text)
        print(f"→ {reply.message}", file=out)
        if reply.ok:
            _save(opened, out)
        shown = None
    else:
        finished = True
        print("问题已经全部答完了。", file=out)
    if finished:
        _confirm_defaults(opened, lines, echo, out)
    saved = _save(opened, out)
    print("\n".join(summary_lines(interview.findings())), file=out)
    suggested = [interview.questions.section_title(s) for s in interview.suggested_sections()]
    if suggested:
        names = "、".join(f"「{title}」" for title in suggested)
        print(f"{names}用的是段落库推荐的内容（一直直接回车），请读一遍，按本单位实际修改。", file=out)
    return 0 if saved else 1


def _confirm_defaults(opened: OpenSession, lines: _Lines, echo: bool, out: TextIO) -> None:
    """The question the TUI's review asks once: tables left at default zero are really zero?"""
    pending = opened.unconfirmed_defaults()
    if not pending:
        return
    names = "、".join(f"「{opened.interview.questions.section_title(s)}」" for s in pending)
    print(f"问：{names}没有填写任何数字，报告中全部按 0 填写。确认这些部分确实都为 0 吗？", file=out)
    print("  1. 是　2. 否", file=out)
    print("  （直接回车：否，以后再确认）", file=out)
    line = lines.read()
    text = line[0] if line is not None and not line[1] else ""
    if echo and line is not None:
        print(f"答：{_printable(text)}", file=out)
    if text.strip() in ("1", "是", "确认", "对"):
        opened.confirm_defaults_in_memory()
        print("→ 已确认：这些部分按 0 报告。", file=out)
    else:
        print("→ 还没有确认；导出前会再问一次。", file=out)


def _key(ask: Ask) -> str:
    return f"{ask.id}|{ask.confirming}|{ask.text}"
