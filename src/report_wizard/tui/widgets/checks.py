"""The live check panel: what must be fixed (errors, then warnings), then what a question still ahead will
settle (待填写, muted, never red). Choosing an entry asks to jump to the question for it."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from report_wizard.checks import Finding
from report_wizard.interview import CheckView

LEVEL_LOOK = {"error": ("✗ 错误", "$text-error"), "warning": ("! 提醒", "$text-warning")}
PENDING_LOOK = ("… 待填写", "$text-muted")


def finding_prompt(finding: Finding, pending: bool = False) -> Content:
    label, style = PENDING_LOOK if pending else LEVEL_LOOK.get(finding.level, ("· ", "$text-muted"))
    if pending:  # the question that settles it is still ahead: no alarm, just where it stands
        return Content.assemble((f"{label} {finding.rule}", style), "\n", (finding.message, "$text-muted"))
    return Content.assemble((f"{label} {finding.rule}", f"bold {style}"), "\n", finding.message)


class CheckPanel(OptionList):
    """Shows a CheckView; posts CheckPanel.Jump(finding) when an entry is chosen."""

    @dataclass
    class Jump(Message):
        """An entry was chosen: go to the question that settles ``finding``."""

        panel: CheckPanel
        finding: Finding

        @property
        def control(self) -> CheckPanel:
            return self.panel

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.view = CheckView((), ())
        self.entries: tuple[Finding, ...] = ()

    @property
    def findings(self) -> tuple[Finding, ...]:
        """What must be fixed now (the pending ones are not problems yet)."""
        return self.view.to_fix

    def show(self, view: CheckView) -> bool:
        """Replace the list when the view changed; returns whether anything changed."""
        if view == self.view:
            return False
        self.view = view
        self.entries = (*view.to_fix, *view.pending)
        self.clear_options()
        options: list[Option | None] = []
        for finding in view.to_fix:
            options += [Option(finding_prompt(finding)), None]  # None: a rule between findings
        for finding in view.pending:
            options += [Option(finding_prompt(finding, pending=True)), None]
        self.add_options(options[:-1])
        return True

    @property
    def summary(self) -> str:
        return self.view.summary

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.post_message(self.Jump(self, self.entries[event.option_index]))
