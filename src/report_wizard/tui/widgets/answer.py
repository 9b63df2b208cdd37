"""The answer box: one text field that stays mounted and focused for every question, and above it what
the question's kind needs (its choices, the columns of a row), chosen from ANSWER_LOOKS.

Why one field: clerks type a number and press Enter without looking, often before the next question is
drawn. Every key then lands in the same field, in the order typed, and Enter hands over exactly the text
before it. A field swapped per question, or a choice that answers on its digit alone, let a reflex Enter
answer the next question with its default.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.cells import cell_len
from textual import events, on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Static, TextArea

from report_wizard.interview import Ask
from report_wizard.interview.parse import normalize
from report_wizard.interview.values import column_label
from report_wizard.tui.widgets import follow_app_blink
from report_wizard.tui.wrap import wrap

YES_NO = (("yes", "是"), ("no", "否"))


class AnswerArea(TextArea):
    """The answer field: wraps long text, keeps pasted line breaks; Enter sends what is typed.

    Enter is handled here, in the order keys arrive, and the field is emptied at once: keys typed right
    after it start the next answer. (A binding would run before the characters still queued here.)
    """

    @dataclass
    class Sent(Message):
        """Enter was pressed; ``text`` is everything typed before it."""

        area: AnswerArea
        text: str

        @property
        def control(self) -> AnswerArea:
            return self.area

    async def _on_key(self, event: events.Key) -> None:
        if event.key == "enter":
            event.stop()
            event.prevent_default()
            text = self.text
            self.clear()
            self.post_message(self.Sent(self, text))
            return
        await super()._on_key(event)


# ---------------------------------------------------------------- looks: what each kind shows above the field
class AnswerLook:
    """How a kind of question is shown: a line above the field and the field's hint."""

    hint = "输入回答后按回车"
    multiline = False  # paragraphs get a taller field

    def above(self, ask: Ask, width: int, typed: str) -> Content | None:
        return None

    def hint_for(self, ask: Ask) -> str:
        return self.hint


class CountLook(AnswerLook):
    hint = "输入件数，例如 3；没有就填 0 或“无”"


class MoneyLook(AnswerLook):
    def hint_for(self, ask: Ask) -> str:
        return f"输入金额（单位：{ask.unit}），没有就填 0"


class ChoiceLook(AnswerLook):
    """Numbered choices; the one whose number is typed is highlighted. Enter answers."""

    hint = "输入序号或选项名称，再按回车"
    many = False  # several numbers may be typed

    def choices(self, ask: Ask) -> tuple[tuple[str, str], ...]:
        return ask.choices or (YES_NO if ask.kind == "yesno" else ())

    def picked(self, ask: Ask, typed: str) -> set[int]:
        numbers = normalize(typed).replace("、", " ").replace(",", " ").split()
        if not self.many:
            numbers = numbers[:1] if len(numbers) == 1 else []
        count = len(self.choices(ask))
        return {int(n) for n in numbers if n.isdigit() and 1 <= int(n) <= count}

    def above(self, ask: Ask, width: int, typed: str) -> Content:
        choices = self._choices_content(ask, width, typed)
        preview = self.preview(ask, width, typed)
        return Content.assemble(choices, preview) if preview is not None else choices

    def preview(self, ask: Ask, width: int, typed: str) -> Content | None:
        """The paragraph behind the choice last typed (library choices have whole texts): its first lines."""
        numbers = [int(n) for n in normalize(typed).replace("、", " ").split() if n.isdigit()]
        if not ask.details or not numbers or not 1 <= numbers[-1] <= len(ask.details):
            return None
        text = ask.details[numbers[-1] - 1]
        if not text:
            return None
        lines = wrap(f"{numbers[-1]}：{text}", max(width - 2, 20))
        shown = lines[:3] + (["……（F1 看全文）"] if len(lines) > 3 else [])
        return Content.assemble("\n", ("\n".join(shown), "italic $text-accent"))

    def _choices_content(self, ask: Ask, width: int, typed: str) -> Content:
        """The choices on one line when they fit; else two columns when every label fits its column; else one
        per line, a long label wrapped under itself (never cut: the clerk must read the whole choice)."""
        picked = self.picked(ask, typed)
        items = [(f" {n} ", label, n in picked) for n, (_, label) in enumerate(self.choices(ask), 1)]
        parts: list[str | tuple[str, str]] = []
        if sum(cell_len(number) + cell_len(label) + 4 for number, label, _ in items) <= width:
            for number, label, on_ in items:
                parts += [(number, "bold reverse $accent"), (f" {label}", "bold underline" if on_ else ""), "   "]
            return Content.assemble(*parts)
        column = width // 2
        two = len(items) >= 6 and all(cell_len(label) + 6 <= column for _, label, _ in items)
        for i, (number, label, on_) in enumerate(items):
            number = number.rjust(4)
            style = "bold underline" if on_ else ""
            if two:
                end = "" if i == len(items) - 1 else "\n" if i % 2 else " "
                parts += [(number, "bold reverse $accent"), (f" {_pad(label, column - 6)}", style), end]
                continue
            lines = wrap(label, max(width - 6, 10))
            parts += [(number, "bold reverse $accent"), (f" {lines[0]}", style)]
            for more in lines[1:]:
                parts += ["\n" + " " * 5, (more, style)]
            if i < len(items) - 1:
                parts.append("\n")
        return Content.assemble(*parts)


class MultiChoiceLook(ChoiceLook):
    hint = "输入序号，多个用空格分开，例如 1 3；“全部”选全部"
    many = True


class OrderLook(MultiChoiceLook):
    hint = "按新的顺序输入序号，例如 2 1 3；不写的序号表示删去"


class CountsRowLook(AnswerLook):
    """Several counts in one line, in the order of the columns shown above."""

    def above(self, ask: Ask, width: int, typed: str) -> Content:
        labels = [column_label(cell) for cell, _ in ask.choices]
        return Content(f"依次为：{'、'.join(labels)}")

    def hint_for(self, ask: Ask) -> str:
        return f"输入 {len(ask.choices)} 个数，用空格分开；全部为 0 可填“无”"


class TextLook(AnswerLook):
    hint = "输入或粘贴一段文字，按回车"
    multiline = True


ANSWER_LOOKS: dict[str, AnswerLook] = {
    "yesno": ChoiceLook(),
    "choice": ChoiceLook(),
    "multichoice": MultiChoiceLook(),
    "order": OrderLook(),
    "count": CountLook(),
    "money": MoneyLook(),
    "counts_row": CountsRowLook(),
    "text": TextLook(),
}
_PLAIN = AnswerLook()


def _pad(label: str, room: int) -> str:
    """A label padded with spaces to ``room`` terminal cells (it fits: checked before)."""
    return label + " " * max(room - cell_len(label), 0)


def placeholder(ask: Ask | None, look: AnswerLook) -> str:
    """The field's grey text: what Enter does (the engine's one sentence), else how to answer."""
    if ask is None:
        return "所有问题都已回答。按 F5 预览与导出，或在“各部分”中选择要修改的问题。"
    if ask.enter and ask.placeholder and not ask.current_answer:
        return f"{ask.enter}（{ask.placeholder}）"
    return ask.enter or ask.placeholder or look.hint_for(ask)


class AnswerBox(Vertical):
    """Shows the current question's choices above the answer field; posts AnswerBox.Answered(text)."""

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
    AnswerBox.-pick .choices {
        color: $text;
    }
    AnswerBox AnswerArea {
        height: auto;
        min-height: 3;
        max-height: 3;
    }
    AnswerBox.-multiline AnswerArea {
        max-height: 6;
    }
    """

    @dataclass
    class Answered(Message):
        """The clerk pressed Enter; ``text`` is what they typed ("" accepts what the field says Enter does)."""

        box: AnswerBox
        text: str

        @property
        def control(self) -> AnswerBox:
            return self.box

    def __init__(self, ask: Ask | None, autofocus: bool = True, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.ask = ask
        self.autofocus = autofocus
        self._prefilled = ""  # the text the field was given, while it is unchanged

    def compose(self) -> ComposeResult:
        yield Static("", classes="choices")
        yield AnswerArea(
            id="answer",
            soft_wrap=True,
            show_line_numbers=False,
            highlight_cursor_line=False,
            placeholder=placeholder(self.ask, self.look),
        )

    def on_mount(self) -> None:
        follow_app_blink(self)
        self.show(self.ask)
        if self.autofocus:
            self.focus_input()

    @property
    def look(self) -> AnswerLook:
        return ANSWER_LOOKS.get(self.ask.kind, _PLAIN) if self.ask is not None else _PLAIN

    @property
    def area(self) -> AnswerArea:
        return self.query_one(AnswerArea)

    def show(self, ask: Ask | None, *, clear: bool = False) -> None:
        """Ask the next question in the same field. It keeps focus and what was typed after the last Enter
        (the next answer, typed ahead); ``clear`` empties it, for a move the clerk chose (an edit, a jump)."""
        area = self.area
        if clear or (self._prefilled and area.text == self._prefilled):
            area.clear()  # a paragraph shown for editing is not an answer to the next question
        self._prefilled = ""
        self.ask = ask
        look = self.look
        area.placeholder = placeholder(ask, look)
        self.set_class(look.multiline, "-multiline")
        self.set_class(isinstance(look, ChoiceLook), "-pick")
        if ask is not None and ask.prefill and not area.text:
            area.load_text(ask.prefill)  # a paragraph being edited starts in the field, cursor at its end
            area.move_cursor(area.document.end)
            self._prefilled = ask.prefill
        self._show_above(area.text)

    def _show_above(self, typed: str) -> None:
        above = self.look.above(self.ask, self._width(), typed) if self.ask is not None else None
        choices = self.query_one(".choices", Static)
        choices.update(above or "")
        choices.display = above is not None

    def _width(self) -> int:
        return max(self.app.size.width - 6, 40) if self.is_attached else 74

    def focus_input(self) -> None:
        for area in self.query(AnswerArea):  # nothing yet while the box is still being composed
            area.focus()

    @on(TextArea.Changed)
    def _typed(self, event: TextArea.Changed) -> None:
        event.stop()
        if isinstance(self.look, ChoiceLook):
            self._show_above(event.text_area.text)

    @on(AnswerArea.Sent)
    def _sent(self, event: AnswerArea.Sent) -> None:
        event.stop()
        text = event.text
        if self._prefilled and text.strip() == self._prefilled.strip():
            text = ""  # the paragraph as it was: Enter keeps it
        self._prefilled = ""
        self.post_message(self.Answered(self, text))
        self._show_above("")
