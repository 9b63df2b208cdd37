"""The live check panel: every finding with its Chinese message; choosing one asks to jump to its fix."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from textual import on
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from ...checks import Finding

LEVEL_LOOK = {"error": ("✗ 错误", "$text-error"), "warning": ("! 提醒", "$text-warning")}


def finding_prompt(finding: Finding) -> Content:
    label, style = LEVEL_LOOK.get(finding.level, ("· ", "$text-muted"))
    return Content.assemble((f"{label} {finding.rule}", f"bold {style}"), "\n", finding.message)


class CheckPanel(OptionList):
    """Shows findings, errors first; posts CheckPanel.Jump(finding) when one is chosen."""

    @dataclass
    class Jump(Message):
        finding: Finding

    def __init__(self, **kwargs: object) -> None:
        super().__init__(**kwargs)  # type: ignore[arg-type]
        self.findings: tuple[Finding, ...] = ()

    def show(self, findings: Sequence[Finding]) -> bool:
        """Replace the list when the findings changed; returns whether anything changed."""
        ordered = tuple(sorted(findings, key=lambda f: f.level != "error"))
        if ordered == self.findings:
            return False
        self.findings = ordered
        self.clear_options()
        options: list[Option | None] = []
        for finding in ordered:
            options += [Option(finding_prompt(finding)), None]  # None: a rule between findings
        self.add_options(options[:-1])
        return True

    @property
    def summary(self) -> str:
        errors = sum(f.level == "error" for f in self.findings)
        warnings = len(self.findings) - errors
        if not self.findings:
            return "全部通过"
        return "、".join(
            p for p in (f"{errors} 个错误" if errors else "", f"{warnings} 个提醒" if warnings else "") if p
        )

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.post_message(self.Jump(self.findings[event.option_index]))
