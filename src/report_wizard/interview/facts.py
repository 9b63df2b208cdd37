"""What every rule and effect of the interview reads and writes: the session as replayed so far, and last
year's session. The bottom of the interview package: it imports nothing of it, so rules, effects, the
paragraph library and the engine can all name Facts in their signatures."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from report_wizard.core import form
from report_wizard.core.form import CellId
from report_wizard.core.model import Number, Provenance, QuestionId, Session

Bindings = dict[str, str]  # a template's variables, e.g. {"column": "natural_person"}
CARRIED_FORWARD = form.T3_CARRIED_FORWARD

_ALLOCATION_CELLS = {
    c: tuple(form.t3_cell(row, c) for row in (*form.T3_OUTCOME_ROWS, CARRIED_FORWARD)) for c in form.T3_PART_COLUMNS
}


class Facts:
    """What rules read and effects write: the session as replayed so far, and last year's session.

    ``resolve`` turns a stored answer into its value (the engine resolves "" to the question's default).
    """

    def __init__(self, session: Session, previous: Session | None, resolve: Callable[[str, Any], Any]) -> None:
        self.session = session
        self.previous = previous
        self._resolve = resolve
        self.foreign_narrative: dict[str, list[Any]] = {}  # set by the engine: blocks not typed in the interview
        self.scratch: dict[str, Any] = {}  # working state of effects during one replay (interview_narrative)

    @property
    def kind(self) -> str:
        return self.session.meta.agency_kind

    def answered(self, qid: str) -> bool:
        return qid in self.session.answers

    def answer(self, qid: str, default: Any = None) -> Any:
        if qid not in self.session.answers:
            return default
        return self._resolve(qid, self.session.answers[QuestionId(qid)])

    def yes(self, qid: str) -> bool:
        return self.answer(qid) is True

    def value(self, cell: CellId) -> Number:
        return self.session.cells.get(cell, 0)

    def write(self, cell: CellId, value: Number, defaulted: bool = False) -> None:
        """Set an input cell; a zero left by an accepted default is marked as a default."""
        self.session.cells[cell] = value
        if defaulted:
            self.session.sources[cell] = Provenance.DEFAULT
        else:
            self.session.sources.pop(cell, None)

    # table 三 ------------------------------------------------------------------
    def column_total(self, column: str) -> Number:
        return self.value(form.t3_cell(form.T3_NEW, column)) + self.value(form.t3_cell(form.T3_CARRIED_OVER, column))

    def allocated(self, column: str) -> Number:
        cells = self.session.cells
        return sum(cells.get(c, 0) for c in _ALLOCATION_CELLS[column])

    def remaining(self, column: str) -> Number:
        return self.column_total(column) - self.allocated(column)


@dataclass(frozen=True)
class Target:
    """Where an answer goes: the question's section, kind, bindings and expanded cells."""

    section: str
    kind: str
    bindings: Bindings
    cells: tuple[CellId, ...]
    by_choice: dict[str, tuple[CellId, ...]] = field(default_factory=dict)  # multichoice: cells of each choice
