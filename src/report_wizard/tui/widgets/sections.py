"""The six sections with their state (未开始/进行中/已完成/有问题); choosing one opens it."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from report_wizard.interview import SectionState

# state -> (mark, theme style)
STATE_LOOK = {
    SectionState.NOT_STARTED: ("○", "$text-muted"),
    SectionState.IN_PROGRESS: ("◐", "$text-accent"),
    SectionState.DONE: ("✓", "$text-success"),
    SectionState.PROBLEM: ("!", "$text-error"),
}


LEGEND = Content.assemble(
    *[part for state, (mark, style) in STATE_LOOK.items() for part in ((mark, style), f"{state.label} ")]
)


def section_prompt(heading: str, state: SectionState, current: bool) -> Content:
    """One line: the state's mark and colour, the heading (bold for the section being asked)."""
    mark, style = STATE_LOOK.get(state, ("·", "$text-muted"))
    return Content.assemble((f"{mark} ", style), (heading, "bold" if current else ""), ("◀" if current else "", style))


class SectionList(OptionList):
    """Posts SectionList.Chosen(section id) when a section is picked by click or Enter."""

    @dataclass
    class Chosen(Message):
        """A section was picked (click or Enter); ``section`` is its id."""

        sections: SectionList
        section: str

        @property
        def control(self) -> SectionList:
            return self.sections

    def __init__(self, sections: list[tuple[str, str]], **kwargs: object) -> None:
        """``sections``: (id, title) in asking order."""
        super().__init__(*(Option(title, id=sid) for sid, title in sections), **kwargs)  # type: ignore[arg-type]
        self.sections = sections
        self.states: dict[str, SectionState] = {}
        self.current: str = ""

    def show(self, states: dict[str, SectionState], current: str) -> None:
        """Update marks and the current section; only redraws when something changed."""
        if states == self.states and current == self.current:
            return
        self.states, self.current = dict(states), current
        for sid, title in self.sections:
            self.replace_option_prompt(
                sid, section_prompt(title, states.get(sid, SectionState.NOT_STARTED), sid == current)
            )
        ids = [sid for sid, _ in self.sections]
        if current in ids and not self.has_focus:
            self.highlighted = ids.index(current)

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.post_message(self.Chosen(self, event.option.id))
