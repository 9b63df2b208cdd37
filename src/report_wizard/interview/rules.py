"""Python rules that prompts/*.toml name: ``when`` predicates, ``each``/``loop`` expansions, dynamic
defaults, bounds, choice lists and the live context of question texts. Effects live in interview_effects.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from report_wizard.core import form
from report_wizard.core.model import Number, standard_title
from report_wizard.interview.facts import Bindings, Facts
from report_wizard.interview.narrative import (
    NARRATIVE_CHOICES,
    NARRATIVE_CONTEXT,
    NARRATIVE_DEFAULTS,
    NARRATIVE_EACH,
    NARRATIVE_VALIDATORS,
    NARRATIVE_WHEN,
    paragraph_count,
)

# Table 三: outcome categories offered per column (the six result groups, then 结转下年度).
CARRIED_FORWARD = form.T3_CARRIED_FORWARD
_LEADING_ORDINAL = re.compile(r"^(?:[（(][一二三四五六七][）)]|[一二三四]、)")


def plain_label(label: str) -> str:
    """An official label without its leading ordinal: 「（一）予以公开」 → 「予以公开」."""
    return _LEADING_ORDINAL.sub("", label)


# ---------------------------------------------------------------- table 三 allocation plan
def outcome_categories() -> list[tuple[str, str]]:
    cats = [(g.id, plain_label(g.label)) for g in form.T3_RESULT_GROUPS]
    return [*cats, (CARRIED_FORWARD, plain_label(form.T3_TOP_LABELS[CARRIED_FORWARD]))]


def categories_qid(column: str) -> str:
    return f"requests.outcomes.{column}"


def items_qid(column: str, group: str) -> str:
    return f"requests.outcome.{column}.{group}"


def plan(facts: Facts, column: str) -> tuple[list[str], bool]:
    """The outcome rows (slots) the clerk chose for a column, in table order, and whether the plan is complete."""
    chosen = facts.answer(categories_qid(column)) or []
    slots: list[str] = []
    complete = categories_qid(column) in facts.session.answers
    for group in form.T3_RESULT_GROUPS:
        if group.id not in chosen:
            continue
        if not group.items:
            slots.append(f"results.{group.id}")
            continue
        items = facts.answer(items_qid(column, group.id))
        if items is None:
            complete = False
            continue
        slots.extend(f"results.{group.id}.{item}" for item, _ in group.items if item in items)
    if CARRIED_FORWARD in chosen:
        slots.append(CARRIED_FORWARD)
    return slots, complete


# ---------------------------------------------------------------- table 三 row by row (issue 12)
ROW_MODE_QID = "requests.mode"
_T3_GROUP_STEPS = {f"results.{g.id}": g for g in form.T3_RESULT_GROUPS if g.items}


def rows_mode(facts: Facts) -> bool:
    """Table 三 is filled row by row of the official table (chosen at its start), not by the guided allocation."""
    return facts.yes("requests.new.gate") and facts.answer(ROW_MODE_QID) == "rows"


def t3_steps(facts: Facts | None = None) -> list[str]:
    """The rows asked row by row, in the official order, with each group (（三）–（六）) before its sub-rows;
    with ``facts``, the sub-rows of a group answered 「无」 are left out."""
    steps = [form.T3_NEW, form.T3_CARRIED_OVER]
    for group in form.T3_RESULT_GROUPS:
        if not group.items:
            steps.append(f"results.{group.id}")
            continue
        step = f"results.{group.id}"
        steps.append(step)
        if facts is None or facts.answer(f"requests.group.{step}") is not False:
            steps.extend(f"{step}.{item}" for item, _ in group.items)
    steps.append(CARRIED_FORWARD)
    return steps


_ALL_STEPS = tuple(t3_steps())


def _t3_row_default(facts: Facts, b: Bindings) -> Any:
    """上年结转: last year's 结转下年度 row; 结转下年度: what is still unplaced in each column."""
    step = b["step"]
    if step == form.T3_CARRIED_OVER and facts.previous is not None:
        row = [_previous_carried(facts, c) for c in form.T3_PART_COLUMNS]
        return row if any(row) else None
    if step == CARRIED_FORWARD:
        row = [max(facts.remaining(c) + facts.value(form.t3_cell(step, c)), 0) for c in form.T3_PART_COLUMNS]
        return row if any(row) else None
    return None


def _t3_group_default(facts: Facts, b: Bindings) -> Any:
    """是 while requests are still unplaced (or the group has numbers already); else the question's 无."""
    group = _T3_GROUP_STEPS[b["step"]]
    cells = [form.t3_cell(f"{b['step']}.{item}", c) for item, _ in group.items for c in form.T3_PART_COLUMNS]
    if any(facts.value(c) for c in cells) or any(facts.remaining(c) > 0 for c in form.T3_PART_COLUMNS):
        return True
    return None


def _remaining_text(facts: Facts, step: str) -> str:
    if step in (form.T3_NEW, form.T3_CARRIED_OVER):
        return ""
    left = [(c, facts.remaining(c)) for c in form.T3_PART_COLUMNS]
    shown = [f"{form.T3_COLUMN_LABEL[c]} {v}" for c, v in left if v]
    return f"（尚未归类：{'、'.join(shown)}）" if shown else "（各栏都已归类完毕）"


# ---------------------------------------------------------------- when
When = Callable[[Facts, Bindings], bool]


def _makes_regulations(facts: Facts, b: Bindings) -> bool:
    return facts.kind in form.KINDS_THAT_MAKE_REGULATIONS


def _gate(qid: str, also: When | None = None) -> When:
    def rule(facts: Facts, b: Bindings) -> bool:
        return (also is None or also(facts, b)) and facts.yes(qid)

    return rule


def _needs_slot_count(facts: Facts, b: Bindings) -> bool:
    slots, _ = plan(facts, b["column"])
    return len(slots) > 1 and facts.remaining(b["column"]) > 0


def _has_remaining(facts: Facts, b: Bindings) -> bool:
    return categories_qid(b["column"]) in facts.session.answers and facts.remaining(b["column"]) > 0


WHEN: dict[str, When] = {
    "makes_regulations": _makes_regulations,
    "has_regulations": _gate("proactive.regulations.gate", _makes_regulations),
    "has_normative_documents": _gate("proactive.normative_documents.gate"),
    # The guided questions of table 三 are not asked when it is filled row by row.
    "has_new_requests": lambda f, b: f.yes("requests.new.gate") and not rows_mode(f),
    # Asked once chosen (a row or 「逐行」 typed at the gate, or the grid): then it can be changed back.
    "t3_mode_chosen": lambda f, b: f.yes("requests.new.gate") and ROW_MODE_QID in f.session.answers,
    "t3_guided": lambda f, b: not rows_mode(f),
    "t3_group_step": lambda f, b: b["step"] in _T3_GROUP_STEPS,
    "t3_row_step": lambda f, b: b["step"] not in _T3_GROUP_STEPS,
    "has_carried_over": lambda f, b: f.yes("requests.carried.gate") and not rows_mode(f),
    "has_cases": _gate("review_litigation.gate"),
    "needs_slot_count": _needs_slot_count,
    "has_remaining": _has_remaining,
    **NARRATIVE_WHEN,
}


# ---------------------------------------------------------------- each / loop
@dataclass(frozen=True)
class Each:
    """An expansion: binds ``var`` to each key ``keys`` yields now; ``domain`` lists every possible key."""

    var: str
    keys: Callable[[Facts, Bindings, str], list[str]]
    domain: Callable[[Bindings], Iterable[str]]
    accepts: Callable[[str], bool] | None = None  # for open domains (paragraph numbers)

    def allows(self, key: str, b: Bindings) -> bool:
        return self.accepts(key) if self.accepts else key in set(self.domain(b))


def _chosen(qid: str, gate: str, order: Iterable[str]) -> Callable[[Facts, Bindings, str], list[str]]:
    def keys(facts: Facts, b: Bindings, section: str) -> list[str]:
        if not facts.yes(gate) or (section == "requests" and rows_mode(facts)):
            return []
        chosen = facts.answer(qid) or []
        return [k for k in order if k in chosen]

    return keys


def _request_columns(facts: Facts, b: Bindings, section: str) -> list[str]:
    if rows_mode(facts):
        return []
    return [c for c in form.T3_PART_COLUMNS if facts.column_total(c) > 0]


def _chosen_item_groups(facts: Facts, b: Bindings, section: str) -> list[str]:
    chosen = facts.answer(categories_qid(b["column"])) or []
    return [g.id for g in form.T3_RESULT_GROUPS if g.items and g.id in chosen]


def _outcome_slots(facts: Facts, b: Bindings, section: str) -> list[str]:
    return plan(facts, b["column"])[0]


_T4_GROUP_IDS = tuple(g for g, _ in form.T4_GROUPS)
_ITEM_GROUPS = tuple(g.id for g in form.T3_RESULT_GROUPS if g.items)
_SLOTS = (*form.T3_OUTCOME_ROWS, CARRIED_FORWARD)

EACH: dict[str, Each] = {
    "new_types": Each(
        "column",
        _chosen("requests.new.types", "requests.new.gate", form.T3_PART_COLUMNS),
        lambda b: form.T3_PART_COLUMNS,
    ),
    "carried_types": Each(
        "column",
        _chosen("requests.carried.types", "requests.carried.gate", form.T3_PART_COLUMNS),
        lambda b: form.T3_PART_COLUMNS,
    ),
    "request_columns": Each("column", _request_columns, lambda b: form.T3_PART_COLUMNS),
    "chosen_item_groups": Each("group", _chosen_item_groups, lambda b: _ITEM_GROUPS),
    "outcome_slots": Each("slot", _outcome_slots, lambda b: _SLOTS),
    "t3_steps": Each("step", lambda f, b, s: t3_steps(f) if rows_mode(f) else [], lambda b: _ALL_STEPS),
    "t4_groups": Each(
        "group", _chosen("review_litigation.groups", "review_litigation.gate", _T4_GROUP_IDS), lambda b: _T4_GROUP_IDS
    ),
    **{name: Each(*spec) for name, spec in NARRATIVE_EACH.items()},
}


# ---------------------------------------------------------------- choices
def _items_of(b: Bindings) -> list[tuple[str, str]]:
    group = next(g for g in form.T3_RESULT_GROUPS if g.id == b["group"])
    return [(item, re.sub(r"^\d+\.", "", label)) for item, label in group.items]


CHOICES: dict[str, Callable[[Bindings], list[tuple[str, str]]]] = {
    "agency_kinds": lambda b: list(form.AGENCY_KINDS),
    "applicant_types": lambda b: [(c, form.T3_COLUMN_NAME[c]) for c in form.T3_PART_COLUMNS],
    "outcome_categories": lambda b: outcome_categories(),
    "outcome_items": _items_of,
    "t4_groups": lambda b: [(g, form.T4_GROUP_NAME[g]) for g in _T4_GROUP_IDS],
    **NARRATIVE_CHOICES,
}


# ---------------------------------------------------------------- dynamic defaults and bounds
def _previous_carried(facts: Facts, column: str) -> Number:
    if facts.previous is None:
        return 0
    return facts.previous.cells.get(form.t3_cell(CARRIED_FORWARD, column), 0)


def _previous_carried_gate(facts: Facts, b: Bindings) -> Any:
    if facts.previous is None:
        return None
    return any(_previous_carried(facts, c) for c in form.T3_PART_COLUMNS)


def _previous_carried_types(facts: Facts, b: Bindings) -> Any:
    chosen = [c for c in form.T3_PART_COLUMNS if _previous_carried(facts, c)]
    return chosen or None


def _previous_carried_count(facts: Facts, b: Bindings) -> Any:
    return _previous_carried(facts, b["column"]) or None


DEFAULTS: dict[str, Callable[[Facts, Bindings], Any]] = {
    "meta.agency": lambda f, b: f.session.meta.agency,
    "meta.agency_kind": lambda f, b: f.session.meta.agency_kind,
    "meta.superior": lambda f, b: f.session.meta.superior,
    "meta.year": lambda f, b: f.session.meta.year,
    "meta.title": lambda f, b: f.session.meta.title,
    "remaining": lambda f, b: max(f.remaining(b["column"]), 0),
    "previous_carried_gate": _previous_carried_gate,
    "previous_carried_types": _previous_carried_types,
    "previous_carried_count": _previous_carried_count,
    "t3_row_default": _t3_row_default,
    "t3_group_default": _t3_group_default,
    **NARRATIVE_DEFAULTS,
}

BOUNDS: dict[str, Callable[[Facts, Bindings], Number]] = {
    "remaining": lambda f, b: max(f.remaining(b["column"]), 0),
}


# ---------------------------------------------------------------- live context of question texts
def snapshot(facts: Facts, b: Bindings) -> dict[str, Any]:
    """Values that change as later questions are answered, taken where the question sits in the flow."""
    if "column" in b:
        return {"remaining": facts.remaining(b["column"])}
    if "step" in b:
        return {"remaining_text": _remaining_text(facts, b["step"])}
    return {}


def _t3_column(facts: Facts, b: Bindings) -> dict[str, Any]:
    col = b["column"]
    return {
        "column_name": form.T3_COLUMN_NAME[col],
        "new": facts.value(form.t3_cell(form.T3_NEW, col)),
        "carried": facts.value(form.t3_cell(form.T3_CARRIED_OVER, col)),
        "total": facts.column_total(col),
    }


def _slot_name(slot: str) -> str:
    return form.T3_TOP_LABELS[slot] if slot == CARRIED_FORWARD else form.t3_row_name(slot)


def _group_name(section: str, group: str) -> str:
    if section == "review_litigation":
        return form.T4_GROUP_NAME[group]
    return plain_label(next(g.label for g in form.T3_RESULT_GROUPS if g.id == group))


def context(facts: Facts, section: str, b: Bindings, snap: dict[str, Any]) -> dict[str, Any]:
    """Everything a question text may name in braces (see CONTEXT_NAMES)."""
    meta = facts.session.meta
    heading = form.SECTION_BY_ID[section].heading if section in form.SECTION_BY_ID else ""
    ctx: dict[str, Any] = {
        "heading": heading,
        "agency": meta.agency,
        "year": meta.year,
        "next_year": meta.year + 1,
        "standard_title": standard_title(meta.agency, meta.year),
        "t4_columns": "、".join(form.T4_COLUMN_LABEL[c] for c in form.T4_PART_COLUMNS),
        **NARRATIVE_CONTEXT,
        "paragraphs": paragraph_count(facts.session, section, b),
        **b,
        **snap,
    }
    if "column" in b:
        ctx |= _t3_column(facts, b)
    if "group" in b:
        ctx["group_name"] = _group_name(section, b["group"])
    if "slot" in b:
        ctx["slot_name"] = _slot_name(b["slot"])
    if "step" in b:
        group = _T3_GROUP_STEPS.get(b["step"])
        ctx["row_name"] = group.label if group else form.t3_row_name(b["step"])
        ctx["group_size"] = len(group.items) if group else 1
    return ctx


CONTEXT_NAMES = frozenset(
    {"heading", "agency", "year", "next_year", "standard_title", "t4_columns", "paragraphs", "remaining"}
    | {"column_name", "new", "carried", "total", "group_name", "slot_name", "row_name", "group_size"}
    | {"remaining_text"}
    | set(NARRATIVE_CONTEXT)
)


# ---------------------------------------------------------------- validators of parsed answers
# (facts, bindings, value) -> None, or raise interview_parse.ParseError with what to change.
VALIDATORS: dict[str, Callable[[Facts, Bindings, Any], None]] = {**NARRATIVE_VALIDATORS}
