"""Effects: how an answer changes the session (cells, meta, narrative). Every effect sets all it owns,
so replaying the answers in flow order always gives the same session.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from report_wizard.core import form
from report_wizard.interview.facts import CARRIED_FORWARD, Facts, Target
from report_wizard.interview.narrative import NARRATIVE_EFFECTS, finish_narrative, paragraph_effect
from report_wizard.interview.rules import plan, rows_mode

Effect = Callable[[Facts, Target, Any, bool], None]


def _cells(facts: Facts, t: Target, value: Any, defaulted: bool) -> None:
    """The effect by kind: 否 zeroes, a number fills its cell, unchosen choices zero their cells."""
    if t.kind == "yesno":
        if value is False:
            for cell in t.cells:
                facts.write(cell, 0, defaulted)
    elif t.kind in ("count", "money"):
        for cell in t.cells:
            facts.write(cell, value, defaulted)
    elif t.kind == "counts_row":
        for cell, number in zip(t.cells, value, strict=True):
            facts.write(cell, number, defaulted)
    elif t.kind in ("multichoice", "choice"):
        chosen = value if isinstance(value, list) else [value]
        for key, cells in t.by_choice.items():
            if key not in chosen:
                for cell in cells:
                    facts.write(cell, 0, defaulted)


def autofill(facts: Facts, column: str) -> None:
    """One outcome chosen for a column: all its requests go there, with no question asked."""
    slots, complete = plan(facts, column)
    if complete and len(slots) == 1:
        facts.write(form.t3_cell(slots[0], column), facts.column_total(column))


def _outcome_categories(facts: Facts, t: Target, value: Any, defaulted: bool) -> None:
    for cell in t.cells:
        facts.write(cell, 0, defaulted)
    autofill(facts, t.bindings["column"])


def _outcome_items(facts: Facts, t: Target, value: Any, defaulted: bool) -> None:
    autofill(facts, t.bindings["column"])


def _outcome_rest(facts: Facts, t: Target, value: Any, defaulted: bool) -> None:
    cell = form.t3_cell(CARRIED_FORWARD, t.bindings["column"])
    facts.write(cell, facts.value(cell) + value)


def _meta(name: str) -> Effect:
    def effect(facts: Facts, t: Target, value: Any, defaulted: bool) -> None:
        setattr(facts.session.meta, name, value.strip() if isinstance(value, str) else value)

    return effect


_REGULATION_CELLS = tuple(c for c in form.T2_CELLS if c.startswith("t2.regulations."))


def _agency_kind(facts: Facts, t: Target, value: Any, defaulted: bool) -> None:
    facts.session.meta.agency_kind = value
    if value not in form.KINDS_THAT_MAKE_REGULATIONS:
        for cell in _REGULATION_CELLS:  # never asked of this kind of agency: a default zero
            facts.write(cell, 0, defaulted=True)


def _paragraph(facts: Facts, t: Target, value: Any, defaulted: bool) -> None:
    paragraph_effect(facts, t.section, t.cells, value, defaulted)


def _t3_mode(facts: Facts, t: Target, value: Any, defaulted: bool) -> None:
    """The way table 三 is filled: the flow reads it (rules.rows_mode); the row answers set the cells."""


EFFECTS: dict[str, Effect] = {
    "cells": _cells,
    "t3_mode": _t3_mode,
    "outcome_categories": _outcome_categories,
    "outcome_items": _outcome_items,
    "outcome_rest": _outcome_rest,
    "meta.agency": _meta("agency"),
    "meta.agency_kind": _agency_kind,
    "meta.superior": _meta("superior"),
    "meta.year": _meta("year"),
    "meta.title": _meta("title"),
    "paragraph": _paragraph,
    **NARRATIVE_EFFECTS,
}


# ---------------------------------------------------------------- after every replay
_OUTCOME_AND_FORWARD = (*form.T3_OUTCOME_ROWS, CARRIED_FORWARD)


def _empty_request_columns(facts: Facts) -> None:
    """Once table 三 is asked about, a column with no requests has no outcomes either."""
    if not (facts.answered("requests.new.gate") or facts.answered("requests.carried.gate")):
        return
    if rows_mode(facts):  # row by row, what the clerk typed stands: a wrong row is for T3-BAL to show, not to hide
        return
    for column in form.T3_PART_COLUMNS:
        if facts.column_total(column) == 0:
            for row in _OUTCOME_AND_FORWARD:
                cell = form.t3_cell(row, column)
                if facts.value(cell) or cell not in facts.session.cells:
                    facts.write(cell, 0, defaulted=True)


FINALIZERS: tuple[Callable[[Facts], None], ...] = (_empty_request_columns, finish_narrative)
