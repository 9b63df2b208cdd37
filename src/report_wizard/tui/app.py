"""The Textual app: home → interview → review. It displays; the interview engine decides."""

from __future__ import annotations

import inspect
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.command import CommandPalette
from textual.notifications import SeverityLevel
from textual.screen import Screen

from report_wizard.core.errors import WizardError
from report_wizard.opening import OpenSession
from report_wizard.tui.palette import ChinesePalette
from report_wizard.tui.screens.dialogs import HelpDialog, UnsavedDialog, YesNoDialog
from report_wizard.tui.screens.grid import GridScreen
from report_wizard.tui.screens.home import HomeScreen
from report_wizard.tui.screens.interview import InterviewScreen
from report_wizard.tui.screens.new_session import NewSessionDialog
from report_wizard.tui.screens.review import ReviewScreen
from report_wizard.tui.widgets.notice import NoticeBar


def _screen_css(*screens: type[Screen]) -> list[Path]:
    """Every screen's own .tcss, read once at start: a screen that loads its CSS when first shown makes
    Textual re-parse and re-apply the whole stylesheet, the largest part of start-up time."""
    return [(Path(inspect.getfile(s)).parent / str(s.CSS_PATH)).resolve() for s in screens]


class ReportWizardApp(App[int]):
    """Opens ``path`` directly when given, else shows the home screen of ``folder``."""

    CSS_PATH = [  # noqa: RUF012 - Textual reads it as a class attribute
        Path(__file__).parent / "app.tcss",
        *_screen_css(
            HomeScreen,
            InterviewScreen,
            ReviewScreen,
            NewSessionDialog,
            YesNoDialog,
            HelpDialog,
            UnsavedDialog,
            GridScreen,
        ),
    ]
    TITLE = "政府信息公开工作年度报告助手"
    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]]] = [(0, "-narrow"), (100, "-wide")]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "退出", priority=True),
        Binding("ctrl+c", "help_quit", show=False, system=True),
        Binding("ctrl+p", "command_palette", "命令", show=False, priority=True),
    ]

    def __init__(self, folder: Path, path: Path | None = None, *, cursor_blink: bool = True, new: bool = False) -> None:
        super().__init__()
        self.start_new = new  # `report-wizard new`: the 新建 form first, over the home screen
        self.cursor_blink = cursor_blink  # off for snapshot tests: a blinking cursor is time-dependent
        self.folder = Path(folder)
        self.start_path = path
        self.opened: list[OpenSession] = []
        self.saved_elsewhere: list[Path] = []  # copies saved to another folder because the session's own failed
        self.discarded = False  # the clerk chose to leave without the unsaved answers
        self.pending_notice: tuple[str, str, SeverityLevel, float | None] | None = None

    def on_mount(self) -> None:
        # A session given on the command line opens straight away; home is built only when needed.
        if self.start_path is None or not self.open_session(self.start_path):
            home = HomeScreen(self.folder)
            self.push_screen(home)
            if self.start_new:
                self.call_after_refresh(home.action_new)

    @on(HomeScreen.Open)
    def _open_requested(self, event: HomeScreen.Open) -> None:
        self.open_session(event.path)

    @on(InterviewScreen.Leave)
    def _leave_requested(self, event: InterviewScreen.Leave) -> None:
        self.leave_session()

    @on(InterviewScreen.Closed)
    def _screen_closed(self, event: InterviewScreen.Closed) -> None:
        self.close_session(event.opened)

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
        """Back from a session to the home screen (built now if the session was opened directly), once it is
        on disk."""

        def leave() -> None:
            if len(self.screen_stack) > 2 and isinstance(self.screen_stack[-2], HomeScreen):
                self.pop_screen()
            else:
                self.switch_screen(HomeScreen(self.folder))

        self.ensure_saved(leave, "返回主页")

    def close_session(self, opened: OpenSession) -> None:
        opened.close()
        if opened in self.opened:
            self.opened.remove(opened)

    def close_all(self) -> None:
        for opened in list(self.opened):
            self.close_session(opened)

    def unsaved(self) -> list[OpenSession]:
        return [o for o in self.opened if o.unsaved is not None]

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = True,
    ) -> None:
        """Record the notice as Textual does, and show it in the notice line of the nearest screen that has one
        (the toast layer is hidden in app.tcss: it blanks Chinese characters, see widgets/notice.py)."""
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=False)
        self.pending_notice = (message, title, severity, timeout)
        for screen in reversed(self.screen_stack):
            bars = screen.query(NoticeBar)
            if bars:
                bars.first().announce(message, title, severity, timeout)
                self.pending_notice = None
                return
        # No screen with a notice line yet (a notice at start-up): the next NoticeBar mounted shows it.

    def action_help_quit(self) -> None:
        if self.unsaved():  # never claim a save that did not happen
            self.notify(
                "按 Ctrl+Q 退出。注意：还有回答没有保存到磁盘，退出时会再试一次，也可以另存。", title="要退出吗？"
            )
        else:
            self.notify("按 Ctrl+Q 退出。已回答的内容都已自动保存。", title="要退出吗？")

    async def action_quit(self) -> None:
        """Quit, but not past answers that are not on disk: save again, else ask (retry, elsewhere, discard)."""
        self.ensure_saved(lambda: self.exit(0), "退出")

    def ensure_saved(self, then: Callable[[], None], leaving: str) -> None:
        """Run ``then`` once every open session is on disk (saving again first); otherwise ask the clerk."""
        for opened in self.unsaved():
            try:
                opened.save()
            except WizardError:
                pass
        pending = self.unsaved()
        if not pending:
            then()
            return
        opened = pending[0]
        reason = f"{opened.unsaved}\n文件：{opened.path}"

        def chosen(choice: str | None) -> None:
            if choice == "retry":
                self.ensure_saved(then, leaving)
            elif choice and choice.startswith("elsewhere:"):
                try:
                    target = opened.save_elsewhere(Path(choice.removeprefix("elsewhere:")))
                except WizardError as error:
                    self.notify(str(error), title="另存失败", severity="error", timeout=10)
                    self.ensure_saved(then, leaving)
                    return
                opened.unsaved = None
                self.saved_elsewhere.append(target)
                self.notify(f"已另存为「{target}」。", title="已保存", timeout=10)
                self.ensure_saved(then, leaving)
            elif choice == "discard":
                self.discarded = True
                then()

        # Suggest another place than the session's own folder (whose disk just refused the file).
        self.push_screen(UnsavedDialog(reason, str(Path.home()), leaving), chosen)

    def action_command_palette(self) -> None:
        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(ChinesePalette(placeholder="搜索命令，如：转到 三、预览、帮助…", id="--command-palette"))

    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        saved = "还有回答没有保存，退出前会再试一次" if self.unsaved() else "已回答的内容都已自动保存"
        yield SystemCommand("退出", f"退出程序（{saved}）", self.action_quit)
        yield SystemCommand("帮助", "这个界面怎么用、每个按键做什么", self.action_show_help)
        yield SystemCommand("配色", "更换界面配色", self.action_change_theme)

    def action_show_help(self) -> None:
        """F1 on the interview explains the question; from the palette, the screen and its keys."""
        screen = self.screen
        keys = [f"{self.get_key_display(b.binding)}：{b.binding.description}" for b in screen.active_bindings.values()]
        keys = [k for k in keys if not k.endswith("：")]
        text = (
            "按回车回答；直接回车采用回答框里写明的回答。F1 查看当前问题的说明，F2 查看各部分和检查结果，"
            "F5 预览与导出，Ctrl+Z 撤销上一个回答，Ctrl+P 打开命令面板。\n\n这个界面的按键：\n" + "\n".join(keys)
        )
        self.push_screen(HelpDialog("帮助", text))


def run_app(folder: Path, path: Path | None, *, new: bool = False) -> int:
    """Run the app in the terminal; returns the process exit code (1 when answers were left unsaved)."""
    app = ReportWizardApp(folder, path, new=new)
    try:
        app.run()
    finally:
        app.close_all()
    for target in app.saved_elsewhere:
        print(f"report-wizard：会话已另存为「{target}」。", file=sys.stderr)
    if app.discarded:
        print("report-wizard：有回答没有保存到磁盘就退出了。", file=sys.stderr)
        return 1
    return app.return_code or 0
