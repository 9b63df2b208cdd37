"""Answer widgets, one per question kind, chosen from ANSWER_WIDGETS; each posts AnswerBox.Answered(text)."""

from __future__ import annotations

import time
from dataclasses import dataclass

from rich.cells import cell_len
from textual import events, on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Input, Static, TextArea

from ...interview import Ask
from ...interview_values import column_label
from . import follow_app_blink

YES_NO = (("yes", "是"), ("no", "否"))
# A bare Enter this soon after a number key answered is the clerk's habit of confirming, not an answer to
# the next question (which would silently accept its default).
ENTER_GRACE = 0.4
_last_quick = 0.0


class QuickInput(Input):
    """An Input where a choice number pressed on an empty line answers at once."""

    def __init__(self, quick: dict[str, str], **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.quick = quick  # key pressed -> answer text

    async def _on_key(self, event: events.Key) -> None:
        if not self.value and event.character in self.quick:
            global _last_quick
            event.stop()
            event.prevent_default()
            _last_quick = time.monotonic()
            self.post_message(self.Submitted(self, self.quick[event.character]))
            return
        await super()._on_key(event)


class ParagraphArea(TextArea):
    """A wrapping text box for paragraphs: Enter answers, pasted text keeps its line breaks."""

    @dataclass
    class Submitted(Message):
        area: ParagraphArea
        value: str

    async def _on_key(self, event: events.Key) -> None:
        # Handled here, in the order keys arrive: a priority binding would run before the characters
        # typed just before Enter (still queued for this widget) are inserted, and submit too little.
        if event.key == "enter":
            event.stop()
            event.prevent_default()
            self.post_message(self.Submitted(self, self.text))
            return
        await super()._on_key(event)


class AnswerBox(Vertical):
    """Base of the answer widgets: what the kind needs above one input line."""

    DEFAULT_CSS = """
    AnswerBox {
        height: auto;
    }
    AnswerBox .choices {
        padding: 0 1;
        color: $text-muted;
        max-height: 10;
        overflow-y: auto;
    }
    AnswerBox .choices.-pick {
        color: $text;
    }
    """
    hint = "输入回答后按回车"

    @dataclass
    class Answered(Message):
        """The clerk answered; ``text`` is what the engine should parse ("" accepts the default)."""

        text: str
        shown: str  # what the conversation shows as the clerk's answer

    def __init__(self, ask: Ask, autofocus: bool = True) -> None:
        super().__init__()
        self.ask = ask
        self.autofocus = autofocus

    def on_mount(self) -> None:
        follow_app_blink(self)
        if self.autofocus:
            self.focus_input()

    def compose(self) -> ComposeResult:
        above = self.above()
        if above is not None:
            yield Static(above, classes="choices")
        yield QuickInput(self.quick_keys(), placeholder=self.placeholder(), id="answer", select_on_focus=False)

    def above(self) -> Content | str | None:
        return None

    def show(self, ask: Ask) -> None:
        """Ask the next question of the same kind in this box: the input keeps focus, nothing is remounted
        (a new focused widget makes the footer rebuild its keys, the slowest part of an answer)."""
        self.ask = ask
        for choices in self.query(".choices").results(Static):
            choices.update(self.above() or "")
        for field in self.query("#answer").results(QuickInput):
            field.quick = self.quick_keys()
            field.placeholder = self.placeholder()
            field.value = ""

    def quick_keys(self) -> dict[str, str]:
        return {}

    def placeholder(self) -> str:
        ask = self.ask
        if ask.current_answer:
            return f"直接回车保留：{ask.current_answer}"
        if ask.default and not ask.required:
            return f"直接回车：{ask.default}" + (f"（{ask.placeholder}）" if ask.placeholder else "")
        return ask.placeholder or self.hint

    def focus_input(self) -> None:
        for field in self.query("#answer"):  # nothing yet while the box is still being composed
            field.focus()

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        event.input.value = ""
        self._answer(event.value)

    def _answer(self, text: str) -> None:
        if not text.strip() and time.monotonic() - _last_quick < ENTER_GRACE:
            return
        shown = text.strip() or (
            f"（直接回车：{self.ask.current_answer or self.ask.default}）" if not self.ask.required else ""
        )
        self.post_message(self.Answered(text, shown))


class CountAnswer(AnswerBox):
    hint = "输入件数，例如 3；没有就填 0 或“无”"


class MoneyAnswer(AnswerBox):
    hint = "输入金额（万元），例如 1.5；没有就填 0"


class ChoiceAnswer(AnswerBox):
    """Numbered choices; pressing a number answers at once (fewer than ten choices)."""

    hint = "输入序号或选项名称"

    def choices(self) -> tuple[tuple[str, str], ...]:
        return self.ask.choices or (YES_NO if self.ask.kind == "yesno" else ())

    def above(self) -> Content:
        """The choices on one line when they fit, else one per line (two columns for long lists)."""
        items = [(f" {n} ", label) for n, (_, label) in enumerate(self.choices(), 1)]
        width = max(self.app.size.width - 6, 40) if self.is_attached else 74
        parts: list[str | tuple[str, str]] = []
        if sum(cell_len(number) + cell_len(label) + 4 for number, label in items) <= width:
            for number, label in items:
                parts += [(number, "bold reverse $accent"), f" {label}   "]
            return Content.assemble(*parts)
        columns = 2 if len(items) >= 6 else 1
        column = width // columns
        for i, (number, label) in enumerate(items):
            number = number.rjust(4)
            if columns > 1:
                label = _fit(label, column - cell_len(number) - 2)
            end = "" if i == len(items) - 1 else "\n" if (i + 1) % columns == 0 else " "
            parts += [(number, "bold reverse $accent"), f" {label}{end}"]
        return Content.assemble(*parts)

    def quick_keys(self) -> dict[str, str]:
        choices = self.choices()
        if len(choices) >= 10:
            return {}
        # The label, not the number: the engine reads 是/否 (a digit there means a count).
        return {str(n): label for n, (_, label) in enumerate(choices, 1)}


class MultiChoiceAnswer(ChoiceAnswer):
    hint = "输入序号，多个用空格分开，例如 1 3；“全部”选全部"

    def quick_keys(self) -> dict[str, str]:
        return {}


class OrderAnswer(MultiChoiceAnswer):
    hint = "按新的顺序输入序号，例如 2 1 3；不写的序号表示删去"


def _fit(label: str, room: int) -> str:
    """A label in exactly ``room`` terminal cells: cut with an ellipsis, or padded with spaces."""
    if cell_len(label) > room:
        while cell_len(label) > room - 1:
            label = label[:-1]
        label += "…"
    return label + " " * (room - cell_len(label))


class CountsRowAnswer(AnswerBox):
    """Several counts in one line, in the order of the columns shown above."""

    def above(self) -> Content:
        labels = [column_label(cell) for cell, _ in self.ask.choices]
        return Content(f"依次为：{'、'.join(labels)}")

    @property
    def hint(self) -> str:  # type: ignore[override]
        return f"输入 {len(self.ask.choices)} 个数，用空格分开；全部为 0 可填“无”"


class TextAnswer(AnswerBox):
    """A paragraph: wraps while typing, keeps pasted line breaks."""

    DEFAULT_CSS = """
    TextAnswer ParagraphArea {
        height: auto;
        max-height: 6;
        min-height: 3;
    }
    """

    def compose(self) -> ComposeResult:
        yield ParagraphArea(
            placeholder=self.placeholder(),
            id="answer",
            soft_wrap=True,
            show_line_numbers=False,
            highlight_cursor_line=False,
        )

    def on_mount(self) -> None:  # after AnswerBox.on_mount (Textual calls the handler of each class)
        self._prefill()

    def show(self, ask: Ask) -> None:
        self.ask = ask
        for area in self.query("#answer").results(ParagraphArea):
            area.placeholder = self.placeholder()
            area.clear()
        self._prefill()

    def _prefill(self) -> None:
        """A paragraph being edited starts in the box, cursor at its end."""
        if self.ask.prefill:
            for area in self.query("#answer").results(ParagraphArea):
                area.load_text(self.ask.prefill)
                area.move_cursor(area.document.end)

    @on(ParagraphArea.Submitted)
    def _paragraph(self, event: ParagraphArea.Submitted) -> None:
        event.stop()
        event.area.clear()
        unchanged = self.ask.prefill and event.value.strip() == self.ask.prefill.strip()
        self._answer("" if unchanged else event.value)  # unchanged: Enter keeps it as it is


ANSWER_WIDGETS: dict[str, type[AnswerBox]] = {
    "yesno": ChoiceAnswer,
    "choice": ChoiceAnswer,
    "multichoice": MultiChoiceAnswer,
    "order": OrderAnswer,
    "count": CountAnswer,
    "money": MoneyAnswer,
    "counts_row": CountsRowAnswer,
    "text": TextAnswer,
}


def answer_widget(ask: Ask, autofocus: bool = True) -> AnswerBox:
    """The widget that asks this kind of question (a plain input line for an unknown kind)."""
    return ANSWER_WIDGETS.get(ask.kind, AnswerBox)(ask, autofocus)
