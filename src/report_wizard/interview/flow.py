"""The questions active for a session, in asking order, rebuilt by replaying its answers.

Replaying walks the question templates in order: expansions and ``when`` rules read the session as the
answers before them left it, and each answer's effect is applied where its question sits.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from report_wizard.core.model import Number, QuestionId, Session
from report_wizard.interview.effects import EFFECTS, FINALIZERS
from report_wizard.interview.facts import Bindings, Facts, Target
from report_wizard.interview.narrative import foreign_blocks, live
from report_wizard.interview.questions import (
    Loop,
    Question,
    QuestionSet,
    choice_cells,
    expand_cells,
    question_choices,
)
from report_wizard.interview.rules import BOUNDS, DEFAULTS, EACH, WHEN, context, snapshot
from report_wizard.interview.values import display, from_cells, is_valid


@dataclass
class Inst:
    """One concrete question of the flow, as it stands where it is asked."""

    id: QuestionId
    q: Question
    b: Bindings
    snap: dict[str, Any]  # live values at its place in the flow (e.g. the remainder)
    default: Any  # the value Enter gives; None: an answer is required
    default_static: bool  # the question's own default (accepting it leaves a default zero)
    bound: Number | None
    answered: bool = False  # has a valid answer (a hand-edited file may hold one that is not)
    choices: tuple[tuple[str, str], ...] = ()  # as offered here (a paragraph-library list depends on earlier answers)
    suggestion: Any = None  # what the interview proposes here, answered or not (computed default, else own default)

    @property
    def section(self) -> str:
        return self.q.section


def resolve(q: Question, stored: Any) -> tuple[Any, bool]:
    """A stored answer's value and whether it is an accepted default ("" stands for the question's default)."""
    if stored == "" and q.kind != "text":
        return q.default, True
    return stored, False


class Flow:
    """The active questions (``items``, in order) of ``session``; ``replay`` rebuilds them and the session."""

    def __init__(self, questions: QuestionSet, session: Session, previous: Session | None) -> None:
        self.questions = questions
        self.session = session
        self.facts = Facts(session, previous, self._resolve_stored)
        self.facts.foreign_narrative = foreign_blocks(session)
        self.items: list[Inst] = []
        self.index: dict[str, int] = {}
        self._templates: dict[str, tuple[Question, Bindings] | None] = {}
        self._targets: dict[str, Target] = {}

    # ------------------------------------------------------------ lookups
    def get(self, qid: str) -> Inst | None:
        n = self.index.get(qid)
        return None if n is None else self.items[n]

    def first_open(self) -> Inst | None:
        return next((i for i in self.items if not i.answered), None)

    def in_section(self, section: str) -> list[Inst]:
        return [i for i in self.items if i.section == section]

    def template(self, qid: str) -> tuple[Question, Bindings] | None:
        if qid not in self._templates:
            self._templates[qid] = self.questions.template(qid)
        return self._templates[qid]

    def target(self, inst: Inst) -> Target:
        return self._target(inst.q, inst.b, inst.id)

    def _target(self, q: Question, b: Bindings, qid: str) -> Target:
        """Where a question's answer goes; cached per question id (cells depend on the bindings only)."""
        t = self._targets.get(qid)
        if t is None:
            t = self._targets[qid] = Target(q.section, q.kind, b, expand_cells(q, b), choice_cells(q, b))
        return t

    def value_of(self, inst: Inst) -> Any:
        """The current answer's value (None when unanswered)."""
        if inst.id not in self.session.answers:
            return None
        return resolve(inst.q, self.session.answers[inst.id])[0]

    # ------------------------------------------------------------ text
    def context(self, inst: Inst) -> dict[str, Any]:
        return context(self.facts, inst.section, inst.b, inst.snap)

    def text(self, inst: Inst) -> str:
        return inst.q.text.format_map(self.context(inst))

    def show(self, inst: Inst, value: Any) -> str:
        return display(inst.q, inst.b, value, self.context(inst), inst.choices)

    # ------------------------------------------------------------ replay
    def replay(self) -> None:
        items: list[Inst] = []
        for item in self.questions.flow:
            if isinstance(item, Loop):
                rule = EACH[item.each]
                for key in rule.keys(self.facts, {}, item.questions[0].section):
                    for q in item.questions:
                        self._visit(q, {rule.var: key}, items)
            else:
                self._visit(item, {}, items)
        for finalize in FINALIZERS:
            finalize(self.facts)
        self.items, self.index = items, {inst.id: n for n, inst in enumerate(items)}

    def _visit(self, q: Question, b: Bindings, items: list[Inst]) -> None:
        if q.each:
            rule = EACH[q.each]
            for key in rule.keys(self.facts, b, q.section):
                self._visit_one(q, {**b, rule.var: key}, items)
        else:
            self._visit_one(q, b, items)

    def _visit_one(self, q: Question, b: Bindings, items: list[Inst]) -> None:
        facts = self.facts
        if q.when and not WHEN[q.when](facts, b):
            return
        qid = QuestionId(q.id.format_map(b) if b else q.id)
        self._templates.setdefault(qid, (q, b))
        offered, here = live(facts, q, b)  # choices and text values that depend on the paragraphs so far
        choices = question_choices(q, b) if offered is None else offered
        default, static, suggestion = self._default(q, b, qid, choices)
        bound = BOUNDS[q.bound](facts, b) if q.bound else None
        inst = Inst(qid, q, b, {**snapshot(facts, b), **here}, default, static, bound, choices=tuple(choices))
        inst.suggestion = suggestion
        items.append(inst)
        if qid in self.session.answers:
            value, defaulted = resolve(q, self.session.answers[qid])
            if value is not None and is_valid(q, choices, self.target(inst).cells, value):
                inst.answered = True
                EFFECTS[q.effect or "cells"](facts, self.target(inst), value, defaulted)

    def _default(
        self, q: Question, b: Bindings, qid: QuestionId, choices: list[tuple[str, str]]
    ) -> tuple[Any, bool, Any]:
        """(what Enter gives, whether it is the question's own default, what the interview suggests here).

        Enter gives the answer given, else a computed default, else what the cells already say, else the
        question's own default; the suggestion is the same without the answer given.
        """
        computed = DEFAULTS[q.default_from](self.facts, b) if q.default_from else None
        suggestion = computed if computed is not None else q.default
        if qid in self.session.answers:
            value, defaulted = resolve(q, self.session.answers[qid])
            if value is not None and is_valid(q, choices, self._target(q, b, qid).cells, value):
                return value, defaulted, suggestion
        for layer in (computed, self._from_cells(q, b, qid)):
            if layer is not None and layer != q.default:
                return layer, False, suggestion
        return q.default, True, suggestion

    def _from_cells(self, q: Question, b: Bindings, qid: str) -> Any:
        if q.effect not in ("", "cells") or not q.cells:
            return None
        t = self._target(q, b, qid)
        return from_cells(q.kind, t.cells, t.by_choice, self.facts.value)

    def _resolve_stored(self, qid: str, stored: Any) -> Any:
        found = self.template(qid)
        return stored if found is None else resolve(found[0], stored)[0]
