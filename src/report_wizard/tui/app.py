"""The Textual app: home → interview → review. It displays; the interview engine decides."""

from __future__ import annotations

import inspect
from collections.abc import Iterable
from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.command import CommandPalette
from textual.screen import Screen

from ..errors import WizardError
from .opened import OpenSession
from .screens.dialogs import HelpDialog, YesNoDialog
from .screens.home import HomeScreen
from .screens.interview import InterviewScreen
from .screens.new_session import NewSessionDialog
from .screens.review import ReviewScreen


def _screen_css(*screens: type[Screen]) -> list[Path]:
    """Every screen's own .tcss, read once at start: a screen that loads its CSS when first shown makes
    Textual re-parse and re-apply the whole stylesheet, the largest part of start-up time."""
    return [(Path(inspect.getfile(s)).parent / str(s.CSS_PATH)).resolve() for s in screens]


class ReportWizardApp(App[int]):
    """Opens ``path`` directly when given, else shows the home screen of ``folder``."""

    CSS_PATH = [  # noqa: RUF012 - Textual reads it as a class attribute
        Path(__file__).parent / "app.tcss",
        *_screen_css(HomeScreen, InterviewScreen, ReviewScreen, NewSessionDialog, YesNoDialog, HelpDialog),
    ]
    TITLE = "政府信息公开工作年度报告助手"
    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [(0, "-narrow"), (100, "-wide")]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "退出", priority=True),
        Binding("ctrl+c", "help_quit", show=False, system=True),
        Binding("ctrl+p", "command_palette", "命令", show=False, priority=True),
    ]

    def __init__(self, folder: Path, path: Path | None = None, *, cursor_blink: bool = True) -> None:
        super().__init__()
        self.cursor_blink = cursor_blink  # off for snapshot tests: a blinking cursor is time-dependent
        self.folder = Path(folder)
        self.start_path = path
        self.opened: list[OpenSession] = []

    def on_mount(self) -> None:
        # A session given on the command line opens straight away; home is built only when needed.
        if self.start_path is None or not self.open_session(self.start_path):
            self.push_screen(HomeScreen(self.folder))

    @on(HomeScreen.Open)
    def _open_requested(self, event: HomeScreen.Open) -> None:
        self.open_session(event.path)

    def open_session(self, path: Path) -> bool:
        """Lock and open a session in the interview; a locked or unreadable file is a notice, not a crash."""
        try:
            opened = OpenSession.open(Path(path))
        except WizardError as error:
            self.notify(str(error), title="无法打开", severity="error", timeout=8)
            return False
        self.opened.append(opened)
        self.push_screen(InterviewScreen(opened))
        return True

    def leave_session(self) -> None:
        """Back from a session to the home screen (built now if the session was opened directly)."""
        if len(self.screen_stack) > 2 and isinstance(self.screen_stack[-2], HomeScreen):
            self.pop_screen()
        else:
            self.switch_screen(HomeScreen(self.folder))

    def close_session(self, opened: OpenSession) -> None:
        opened.close()
        if opened in self.opened:
            self.opened.remove(opened)

    def close_all(self) -> None:
        for opened in list(self.opened):
            self.close_session(opened)

    def action_help_quit(self) -> None:
        self.notify("按 Ctrl+Q 退出。已回答的内容都已自动保存。", title="要退出吗？")

    def action_command_palette(self) -> None:
        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(CommandPalette(placeholder="搜索命令，如：转到 三、预览…", id="--command-palette"))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        yield SystemCommand("退出", "退出程序（已回答的内容都已自动保存）", self.action_quit)
        yield SystemCommand("配色", "更换界面配色", self.action_change_theme)


def run_app(folder: Path, path: Path | None) -> int:
    """Run the app in the terminal; returns the process exit code."""
    app = ReportWizardApp(folder, path)
    try:
        app.run()
    finally:
        app.close_all()
    return app.return_code or 0
