"""Command palette entries: the interview's (转到 a section, 修改 an answer, 预览与导出, 撤销, 返回主页) and the
review's, which has the same 转到 entries (they go back to the interview at that section)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider

if TYPE_CHECKING:
    from report_wizard.tui.screens.interview import InterviewScreen
    from report_wizard.tui.screens.review import ReviewScreen


def section_commands(sections: list[tuple[str, str]], open_section: Callable[[str], object]) -> list[_Command]:
    """「转到：一、总体情况」 … for every section: the same entries on every screen of a report."""
    return [(f"转到：{title}", _bind(open_section, sid), "打开这一部分的问题") for sid, title in sections]


_Command = tuple[str, Callable[[], object], str]


class _Listed(Provider):
    """Commands listed when the palette opens (but 修改 entries, found by searching) and matched when typed."""

    def _commands(self) -> list[_Command]:
        raise NotImplementedError

    async def discover(self) -> Hits:
        for text, command, help_text in self._commands():
            if not text.startswith("修改："):  # answers are found by searching, not listed
                yield DiscoveryHit(text, command, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for text, command, help_text in self._commands():
            score = matcher.match(text)
            if score > 0:
                yield Hit(score, matcher.highlight(text), command, text=text, help=help_text)


class InterviewCommands(_Listed):
    """Every section (转到：一、总体情况 …), every answer given (修改：…), review, undo and back."""

    def _commands(self) -> list[_Command]:
        screen = cast("InterviewScreen", self.screen)
        commands = section_commands(screen.sections, screen.open_section)
        commands.append(("预览与导出", screen.action_review, "查看报告全文、确认默认为零的部分、导出文件"))
        commands += _grid_commands(screen.action_grid)
        for turn in screen.interview.transcript():
            shown = turn.answer if len(turn.answer) <= 12 else turn.answer[:12] + "…"
            commands.append((f"修改：{turn.question}（{shown}）", _bind(screen.edit, turn.question_id), "修改这个回答"))
        commands.append(("撤销上一个回答", screen.action_undo, "Ctrl+Z"))
        commands.append(("返回主页", screen.action_back, "回到已保存的报告列表（已自动保存）"))
        return commands


class ReviewCommands(_Listed):
    """The review's: the same 转到 entries as the interview, then export, confirm and back."""

    def _commands(self) -> list[_Command]:
        screen = cast("ReviewScreen", self.screen)
        return [
            *section_commands(screen.sections, screen.open_section),
            ("全部导出", _bind(screen.action_export, "all"), "Ctrl+E：导出 TXT、Markdown、HTML 和 Word 文档"),
            ("确认为零", screen.action_confirm_defaults, "Ctrl+D：确认默认为零的部分"),
            ("返回问答", screen.action_back, "Esc：回到问答"),
        ]


def _bind(method: Callable[[str], object], argument: str) -> Callable[[], object]:
    return lambda: method(argument)


_TABLES = (("t2", "表二"), ("t3", "表三"), ("t4", "表四"))


def _grid_commands(open_grid: Callable[[str], object]) -> list[_Command]:
    help_text = "F6：方向键移动、输入数字回车确认，可粘贴从 Word/Excel 复制的整张表"
    return [(f"表格编辑：{name}", _bind(open_grid, table), help_text) for table, name in _TABLES]


class GridCommands(_Listed):
    """表格编辑：表二/表三/表四, on a screen with ``action_grid(table)`` (the review)."""

    def _commands(self) -> list[_Command]:
        return _grid_commands(self.screen.action_grid)  # type: ignore[attr-defined]
