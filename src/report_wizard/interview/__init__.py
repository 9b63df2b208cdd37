"""The interview engine: questions as data, which one comes next, what an answer means, undo and edit.
May import core, store, narrative and checks — never output, the TUI or the command line.

The front ends use only this facade: Interview and what it returns.
"""

from report_wizard.interview.engine import CONFIRM_CHOICES, Ask, CheckView, Interview, Reply, SectionState, Turn

__all__ = ["CONFIRM_CHOICES", "Ask", "CheckView", "Interview", "Reply", "SectionState", "Turn"]
