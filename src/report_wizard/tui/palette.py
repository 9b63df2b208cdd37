"""The command palette in Chinese: Textual's own says 「No matches found」 when nothing matches."""

from __future__ import annotations

from rich.align import Align
from rich.text import Text
from textual.command import CommandList, CommandPalette
from textual.widgets.option_list import Option

NO_MATCHES = "没有找到这样的命令。可以试试：转到、修改、预览、撤销、帮助、退出"


class ChinesePalette(CommandPalette):
    """CommandPalette whose 'no matches' line is Chinese (Textual hard-codes the English one)."""

    def _start_no_matches_countdown(self, search_value: str) -> None:
        # Mirrors CommandPalette._start_no_matches_countdown (Textual 8.2): only the text differs.
        self._stop_no_matches_countdown()

        def show() -> None:
            if search_value:
                self.query_one(CommandList).add_option(
                    Option(Align.center(Text(NO_MATCHES, style="not bold")), disabled=True, id=self._NO_MATCHES)
                )
                self._list_visible = True
            else:
                self._list_visible = False

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, show)
