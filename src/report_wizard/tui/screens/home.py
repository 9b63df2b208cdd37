"""Home: saved sessions (agency, year, progress, last edit), 新建 and the built-in example."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from rich.cells import cell_len
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, Header, OptionList, Static
from textual.widgets.option_list import Option

from report_wizard.core.errors import WizardError
from report_wizard.store import (
    SessionInfo,
    copy_example,
    list_sessions,
)
from report_wizard.tui.export import shown_path
from report_wizard.tui.screens.new_session import NewSessionDialog
from report_wizard.tui.widgets.footer import KeyFooter
from report_wizard.tui.widgets.notice import NoticeBar

NAME_CELLS = 20


def session_line(info: SessionInfo) -> Content:
    """One row of the list; unreadable files show their error instead of their contents."""
    if info.error:
        return Content.assemble((info.path.name, "bold"), "  ", (f"无法读取：{info.error}", "$text-error"))
    updated = info.updated.strftime("%Y-%m-%d %H:%M") if info.updated else "—"
    name = info.agency or info.path.stem
    return Content.assemble(
        (name, "bold"),
        " " * max(1, NAME_CELLS - cell_len(name)),  # names line up in a column (CJK characters are 2 cells)
        f"{info.year}年  ",
        standing(info),
        (f"  最后修改 {updated}", "$text-muted"),
    )


def standing(info: SessionInfo) -> tuple[str, str]:
    """Where a report stands (SessionInfo.standing, as `list` prints it), in its colour."""
    style = (
        "$text-error"
        if info.errors
        else "$text-success"
        if info.finished
        else "$text-accent"
        if info.answered
        else "$text-muted"
    )
    return (info.standing, style)


class HomeScreen(Screen[None]):
    """Pick a saved session, start a new one or open a copy of the example."""

    CSS_PATH = "home.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("n", "new", "新建"),
        Binding("e", "example", "打开内置示例（副本）"),
        Binding("r", "refresh", "刷新", show=False),
    ]

    @dataclass
    class Open(Message):
        """The clerk chose a session file to open (the app opens it)."""

        home: HomeScreen
        path: Path

        @property
        def control(self) -> HomeScreen:
            return self.home

    def __init__(self, folder: Path) -> None:
        super().__init__()
        self.folder = folder
        self.infos: list[SessionInfo] = []

    def compose(self) -> ComposeResult:
        yield Header()
        with Vertical(id="body"):
            yield Static(f"已保存的报告（文件夹：{shown_path(self.folder)}）", id="heading")
            yield OptionList(id="sessions")
            yield Static("还没有保存的报告。按 N 新建，或按 E 打开内置示例的副本看看。", id="empty")
            with Horizontal(id="actions"):
                yield Button("新建 (N)", id="new", variant="primary")
                yield Button("打开内置示例（副本）(E)", id="example")
        yield NoticeBar()
        yield KeyFooter()

    def on_mount(self) -> None:
        self.action_refresh()

    def on_screen_resume(self) -> None:
        self.action_refresh()

    def action_refresh(self) -> None:
        sessions = self.query_one("#sessions", OptionList)
        highlighted = sessions.highlighted
        self.infos = list_sessions(self.folder)
        sessions.clear_options()
        sessions.add_options(Option(session_line(info), id=str(i)) for i, info in enumerate(self.infos))
        self.set_class(not self.infos, "-empty")
        if self.infos:
            sessions.highlighted = min(highlighted or 0, len(self.infos) - 1)
            sessions.focus()

    @on(OptionList.OptionSelected, "#sessions")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        info = self.infos[event.option_index]
        if info.error:
            self.notify(info.error, title="无法打开", severity="error")
            return
        self.post_message(self.Open(self, info.path))

    @on(Button.Pressed, "#new")
    def action_new(self) -> None:
        self.app.push_screen(NewSessionDialog(self.folder), self._created)

    def _created(self, path: Path | None) -> None:
        if path is not None:
            self.post_message(self.Open(self, path))

    @on(Button.Pressed, "#example")
    def action_example(self) -> None:
        try:
            path = copy_example(self.folder)
        except WizardError as error:
            self.notify(str(error), title="无法打开示例", severity="error")
            return
        self.notify(f"已复制为「{path.name}」，原示例不会被修改。", title="内置示例")
        self.post_message(self.Open(self, path))
