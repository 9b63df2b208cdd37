"""The conversation: an anchored scroll log with one bubble mounted per turn."""

from __future__ import annotations

from dataclasses import dataclass

from textual.containers import VerticalScroll
from textual.events import Click
from textual.message import Message

from report_wizard.tui.widgets.text import WrappedText

# Bubble roles and the CSS class each one gets.
ASSISTANT, CLERK, ERROR, NOTICE = "assistant", "clerk", "error", "notice"


class Bubble(WrappedText):
    """One turn of the conversation; its role is a CSS class (-assistant, -clerk, -error, -notice)."""

    DEFAULT_CSS = """
    Bubble {
        width: auto;
        max-width: 90%;
        height: auto;
        padding: 0 1;
        margin: 0 0 1 0;
    }
    Bubble.-assistant {
        background: $boost;
        border-left: outer $primary;
    }
    Bubble.-clerk {
        margin: 0 0 1 6;
        background: $primary-muted;
        color: $text;
        border-right: outer $accent;
    }
    Bubble.-error {
        background: $error-muted;
        border-left: outer $error;
    }
    Bubble.-notice {
        color: $text-muted;
        border-left: outer $success;
    }
    """

    @dataclass
    class Edit(Message):
        """The clerk clicked a question or an answer: open that question to change the answer."""

        clicked: Bubble  # not "bubble": Message.bubble says whether the message bubbles up
        question_id: str

        @property
        def control(self) -> Bubble:
            return self.clicked

    def __init__(self, text: str, role: str, question_id: str = "") -> None:
        super().__init__(text, classes=f"-{role}")
        self.role = role
        self.question_id = question_id
        if question_id:
            self.tooltip = "点击修改这个回答"

    def on_click(self, event: Click) -> None:
        if self.question_id:
            event.stop()
            self.post_message(self.Edit(self, self.question_id))


class ChatLog(VerticalScroll):
    """Keeps the newest turn in view (anchored) unless the clerk scrolls up to read.

    Only the latest MAX_BUBBLES turns stay mounted: every answer re-lays out the log, and the whole
    conversation is in the session anyway (any answer can be reopened from the palette or the sections).
    """

    MAX_BUBBLES = 120

    DEFAULT_CSS = """
    ChatLog {
        height: 1fr;
        padding: 0 1;
        scrollbar-size-vertical: 1;
    }
    """

    def on_mount(self) -> None:
        self.anchor()

    def say(self, text: str, role: str = ASSISTANT, question_id: str = "") -> Bubble:
        bubble = Bubble(text, role, question_id)
        self.mount(bubble)
        self._trim()
        return bubble

    def say_many(self, turns: list[tuple[str, str, str]]) -> None:
        """Mount many (text, role, question id) turns at once when resuming: one layout pass, not one per turn."""
        if len(turns) > self.MAX_BUBBLES:
            hidden = len(turns) - self.MAX_BUBBLES + 1
            turns = [
                (f"（较早的 {hidden} 条对话没有显示；可在命令面板中搜索“修改”找到任何回答。）", NOTICE, ""),
                *turns[-self.MAX_BUBBLES + 1 :],
            ]
        if turns:
            self.mount_all(Bubble(text, role, qid) for text, role, qid in turns)

    def _trim(self) -> None:
        extra = len(self.children) - self.MAX_BUBBLES
        if extra > 0:
            self.remove_children(list(self.children[:extra]))
