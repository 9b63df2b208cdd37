"""Command palette entries of the interview: 「转到：<section heading>」 for every section, and 预览与导出."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider

if TYPE_CHECKING:
    from .screens.interview import InterviewScreen


class InterviewCommands(Provider):
    """Every section (转到：一、总体情况 …) plus the review screen, searchable by fuzzy match."""

    def _commands(self) -> list[tuple[str, Callable[[], object], str]]:
        screen = cast("InterviewScreen", self.screen)
        commands: list[tuple[str, Callable[[], object], str]] = [
            (f"转到：{title}", _bind(screen.open_section, sid), "打开这一部分的问题") for sid, title in screen.sections
        ]
        commands.append(("预览与导出", screen.action_review, "查看报告全文、确认默认为零的部分、导出文件"))
        commands.append(("撤销上一个回答", screen.action_undo, "Ctrl+Z"))
        commands.append(("返回主页", screen.action_back, "回到已保存的报告列表（已自动保存）"))
        return commands

    async def discover(self) -> Hits:
        for text, command, help_text in self._commands():
            yield DiscoveryHit(text, command, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for text, command, help_text in self._commands():
            score = matcher.match(text)
            if score > 0:
                yield Hit(score, matcher.highlight(text), command, text=text, help=help_text)


def _bind(method: Callable[[str], object], argument: str) -> Callable[[], object]:
    return lambda: method(argument)
