"""Small modal dialogs: a yes/no question and a help text."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static


class YesNoDialog(ModalScreen[bool]):
    """Ask 是/否; dismisses with True for 是. 1/y choose 是, 2/n choose 否, Enter confirms; Esc is 否.

    A choice key only selects: the Enter a clerk presses after it by habit is what confirms, so it never
    falls through to the screen below. Nothing is selected at first, so a stray Enter does nothing.
    """

    CSS_PATH = "dialogs.tcss"
    AUTO_FOCUS = None
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y,1", "choose('yes')", "是", show=False),
        Binding("n,2", "choose('no')", "否", show=False),
        Binding("escape", "answer(False)", "否", show=False),
    ]

    def __init__(self, question: str, yes: str = "是", no: str = "否") -> None:
        super().__init__()
        self.question = question
        self.yes, self.no = yes, no

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(self.question, id="question", markup=False)
            with Horizontal(id="buttons"):
                yield Button(f"1 {self.yes}", id="yes", variant="primary")
                yield Button(f"2 {self.no}", id="no")
            yield Static("按 1 或 2 选择，再按回车确认；Esc 表示“否”。", id="hint")

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_choose(self, which: str) -> None:
        self.query_one(f"#{which}", Button).focus()

    def action_answer(self, value: bool) -> None:
        self.dismiss(value)


class HelpDialog(ModalScreen[None]):
    """A help text for the current question; any of Esc, F1, Enter or q closes it."""

    CSS_PATH = "dialogs.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape,f1,enter,q", "close", "关闭")]

    def __init__(self, title: str, text: str) -> None:
        super().__init__()
        self.help_title, self.text = title, text

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static(self.help_title, id="title")
            with VerticalScroll(id="help-body"):
                yield Static(self.text, id="help-text", markup=False)
            yield Static("按 Esc 或 F1 关闭", id="hint")

    def action_close(self) -> None:
        self.dismiss(None)


class UnsavedDialog(ModalScreen[str | None]):
    """Answers are not on disk (the last save failed). Dismisses with "retry", "elsewhere:<folder>",
    "discard" (leave without them, only when ``leaving``) or None (go back)."""

    CSS_PATH = "dialogs.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "back", "返回", show=False)]

    def __init__(self, reason: str, folder: str, leaving: str = "退出") -> None:
        super().__init__()
        self.reason, self.folder, self.leaving = reason, folder, leaving

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Static("还有回答没有保存到磁盘", id="title")
            yield Static(self.reason, id="reason", markup=False)
            yield Static("可以再试一次，或者保存到另一个文件夹（例如 U 盘）：", id="hint")
            yield Input(self.folder, id="elsewhere")
            with Horizontal(id="buttons"):
                yield Button("再试一次", id="retry", variant="primary")
                yield Button("另存到这个文件夹", id="save-elsewhere")
                yield Button(f"不保存，{self.leaving}", id="discard", variant="error")
                yield Button("返回", id="back")

    @on(Button.Pressed, "#retry")
    def _retry(self) -> None:
        self.dismiss("retry")

    @on(Button.Pressed, "#save-elsewhere")
    @on(Input.Submitted, "#elsewhere")
    def _elsewhere(self) -> None:
        folder = self.query_one("#elsewhere", Input).value.strip()
        if folder:
            self.dismiss(f"elsewhere:{folder}")

    @on(Button.Pressed, "#discard")
    def _discard(self) -> None:
        self.dismiss("discard")

    @on(Button.Pressed, "#back")
    def action_back(self) -> None:
        self.dismiss(None)
