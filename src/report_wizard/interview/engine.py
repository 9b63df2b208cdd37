"""The interview engine: which question comes next, what an answer means, how it changes the session.

No UI here: the Textual app and the plain line mode use only ``Interview`` and its Ask/Reply/Turn.
Answers (session.answers, in the order given) are the truth; cells, meta and narrative are replayed from
them in question order after every change, so editing an earlier answer keeps every later one.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from pydantic import ValidationError

from report_wizard.checks import Finding, run_checks
from report_wizard.core import form
from report_wizard.core.form import CellId
from report_wizard.core.model import AnswerValue, Meta, Number, Provenance, QuestionId, Report, Session, derive_report
from report_wizard.interview import grid, rows
from report_wizard.interview.echo import changes, row_text
from report_wizard.interview.flow import Flow, Inst, resolve
from report_wizard.interview.library import choice_details
from report_wizard.interview.narrative import keep_text_for_own, rebuild
from report_wizard.interview.parse import ParseError, normalize, parse_yesno
from report_wizard.interview.questions import QuestionSet, expand_cells, load_questions
from report_wizard.interview.rules import VALIDATORS
from report_wizard.interview.values import display, fmt, parse_answer


class SectionState(StrEnum):
    """Where a section stands; ``label`` is what the clerk reads."""

    NOT_STARTED = "not_started"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    PROBLEM = "problem"

    @property
    def label(self) -> str:
        return _STATE_LABEL[self]


_STATE_LABEL = {
    SectionState.NOT_STARTED: "未开始",
    SectionState.IN_PROGRESS: "进行中",
    SectionState.DONE: "已完成",
    SectionState.PROBLEM: "有问题",
}
_YES_NO = (("yes", "是"), ("no", "否"))
# The 是/否 question about an implausible number. Enter rejects: a reflex Enter never records a doubtful figure.
CONFIRM_CHOICES = (("yes", "是，没有打错"), ("no", "否，重新输入"))
CONFIRM_ENTER = f"直接回车：{CONFIRM_CHOICES[1][1]}"
_NUMBER_KINDS = ("count", "money", "counts_row")
_TABLE_CELLS = {"proactive": form.T2_CELLS, "requests": form.T3_CELLS, "review_litigation": form.T4_CELLS}


@dataclass(frozen=True)
class Ask:
    """The question to show now."""

    id: str
    section: str
    text: str  # with live context, e.g. 「还有 3 件未归类」
    help: str
    kind: str  # yesno, count, money, choice, multichoice, order (a new order of the choices), text, counts_row
    default: str  # what Enter gives, as text ("" when Enter gives nothing or is not an answer)
    choices: tuple[tuple[str, str], ...]  # (key, label) as offered now; yesno: 是/否; counts_row: the cells
    progress: tuple[int, int]  # (answered, total questions so far — the total grows as gates open)
    required: bool = False  # Enter alone is not an answer
    placeholder: str = ""
    cells: tuple[str, ...] = ()  # the input cells the answer fills (labels: form.cell_name)
    current_answer: str = ""  # the answer already given, when editing
    confirming: bool = False  # asking 是/否 to confirm an implausible value
    prefill: str = ""  # text answers: what the answer box starts with (the paragraph being edited)
    unit: str = ""  # money: 万元 or 元
    enter: str = ""  # what a bare Enter does, as every front end shows it: 「直接回车：0」; "" when it is no answer
    details: tuple[str, ...] = ()  # per choice, its whole text (library paragraphs); "" where there is none


@dataclass(frozen=True)
class Reply:
    """What an answer did. When ok is False nothing changed and the same question stays current."""

    ok: bool
    message: str  # Chinese: what changed, or why the input was not understood
    needs_confirmation: bool = False  # implausible value: the next answer 是/否 confirms or rejects it
    changed: tuple[str, ...] = ()  # cells whose value changed (totals included)
    findings: tuple[Finding, ...] = ()  # all findings after the answer
    question_id: str = ""


@dataclass(frozen=True)
class CheckView:
    """The findings as the clerk should see them now: what to fix, and what a question still ahead settles."""

    to_fix: tuple[Finding, ...]  # about answers given: errors (red) first, then warnings
    pending: tuple[Finding, ...]  # a question not yet answered will settle these: shown as 待填写, never red

    @property
    def errors(self) -> int:
        return sum(f.level == "error" for f in self.to_fix)

    @property
    def warnings(self) -> int:
        return len(self.to_fix) - self.errors

    @property
    def summary(self) -> str:
        """「1 个错误、2 个提醒、3 项待填写」, or 「全部通过」 when nothing is left."""
        parts = [f"{self.errors} 个错误" if self.errors else "", f"{self.warnings} 个提醒" if self.warnings else ""]
        parts.append(f"{len(self.pending)} 项待填写" if self.pending else "")
        return "、".join(p for p in parts if p) or "全部通过"


@dataclass(frozen=True)
class Turn:
    """One exchange of the conversation, rebuilt from session.answers."""

    question_id: str
    section: str
    question: str
    answer: str
    defaulted: bool  # the clerk pressed Enter on a default


@dataclass(frozen=True)
class _Snapshot:
    """The session and position before an answer, for an exact undo."""

    meta: Meta
    answers: dict[QuestionId, AnswerValue]
    cells: dict[CellId, Number]
    sources: dict[CellId, Provenance]
    narrative: dict[str, Any]
    focus: str | None
    walk: str | None
    entry: dict[CellId, Any]


@dataclass
class _Pending:
    qid: str
    stored: Any
    question: str
    shown: str  # the doubtful value as the clerk typed it, e.g. 「50000000」
    answers: dict[str, Any] | None = None  # a row typed at a gate: the answers it stands for, and how to echo it
    echo: tuple[str, tuple[CellId, ...]] = ("", ())


class Interview:
    """Drives one session through the questions of prompts/*.toml (the API the TUI and plain mode use).

    - ``current()`` is the Ask to show (None: all answered); ``answer(text)`` returns a Reply. When
      ``reply.ok`` is False nothing changed: show ``reply.message`` and ask the same question again; with
      ``needs_confirmation`` the current Ask is a 是/否 question (``confirming``) about the typed value.
    - ``undo()``, ``goto(question_id)`` and ``goto_section(section_id)`` move; no later answer is lost.
    - ``section_states()``, ``findings()``, ``question_for(finding)``, ``report()``, ``transcript()`` and
      ``default_sections()`` read the state; checks are rerun after every change.
    - ``session`` is changed in place and ``session.meta.resume_at`` always names the question showing;
      the caller saves it (store.save_session) after every ok Reply and every undo.
    - ``previous`` is last year's session: its carry-forward becomes this year's default carry-over, and
      the cross-year checks (X-CARRY, T2-STOCK) run against it.
    """

    def __init__(self, session: Session, *, previous: Session | None = None) -> None:
        self.session = session
        self.previous = previous
        self.questions: QuestionSet = load_questions()
        self._flow = Flow(self.questions, session, previous)
        self._history: list[_Snapshot] = []
        self._check_view: CheckView | None = None  # computed when first asked after a change
        self._pending: _Pending | None = None
        self._focus: str | None = None  # a question opened by goto/goto_section
        self._walk: str | None = None  # a section opened by goto_section, walked through in order
        self._previous_report = derive_report(previous) if previous is not None else None
        self._flow.replay()
        self._refresh()
        if session.meta.resume_at in self._flow.index:
            self._focus = session.meta.resume_at
        self._sync_resume()

    # ------------------------------------------------------------ public API
    def current(self) -> Ask | None:
        """The question to show now; None when every question is answered."""
        inst = self._current_inst()
        if inst is None:
            return None
        if self._pending is not None:
            return self._ask(
                inst,
                text=self._pending.question,
                kind="yesno",
                choices=CONFIRM_CHOICES,
                confirming=True,
                default=CONFIRM_CHOICES[1][1],
                required=False,
                placeholder="",
                current_answer="",
                prefill="",
                enter=CONFIRM_ENTER,
            )
        return self._ask(inst)

    def answer(self, text: str) -> Reply:
        """Parse and apply the typed text ("" accepts the default)."""
        inst = self._current_inst()
        if inst is None:
            return self._reply(False, "问题已经全部答完了。要修改，请先选择要改的问题。")
        if self._pending is not None:
            pending, self._pending = self._pending, None
            confirmed = _confirmation(text)
            if confirmed is True and pending.answers is not None:
                return self._commit_answers(pending.answers, "row", pending.echo[0], advance=True, own=pending.echo[1])
            if confirmed is True:
                return self._commit(inst, pending.stored)
            if confirmed is False:
                return self._reply(False, f"好的，{pending.shown} 没有记录。请重新输入。", inst.id)
            # anything else is a new answer to the same question (checked again)
        if inst.id == rows.NEW_GATE and rows.is_mode_word(text):
            chosen: dict[str, Any] = {rows.NEW_GATE: True, rows.ROW_MODE_QID: rows.ROWS}
            return self._commit_answers(chosen, "row", "按表格逐行填写", advance=True)
        shortcut = rows.SHORTCUTS.get(inst.id)
        if shortcut is not None and rows.looks_like_row(text, shortcut.least, shortcut.choices):
            try:  # a whole row typed at a gate: the gate and the questions behind it, answered at once
                values = shortcut.parse(text)
                answers = shortcut.answers(values)
            except ParseError as error:
                return self._reply(False, str(error), inst.id)
            shown = rows.shortcut_text(shortcut.cells, values)
            limit = self.questions.limits.get(shortcut.limit, {}).get(self.session.meta.agency_kind)
            question = self._too_big(max(values, default=0), limit)
            if question:  # as for any number: a slip of an extra zero is asked about before it is recorded
                self._pending = _Pending(inst.id, None, question, text.strip(), answers, (shown, shortcut.cells))
                return Reply(False, question, True, (), tuple(self._findings), inst.id)
            return self._commit_answers(answers, "row", shown, advance=True, own=shortcut.cells)
        try:
            stored, value = self._parse(inst, text)
        except ParseError as error:
            return self._reply(False, str(error), inst.id)
        question = self._implausible(inst, value) if text.strip() else None
        if question:
            self._pending = _Pending(inst.id, stored, question, self._flow.show(inst, value))
            return Reply(False, question, True, (), tuple(self._findings), inst.id)
        return self._commit(inst, stored)

    def undo(self) -> Reply | None:
        """Undo the last answer, restoring the state before it; None when there is nothing to undo."""
        current = self._current_inst()
        if self._pending is not None:
            self._pending = None
            return self._reply(True, "已取消，这个数字没有记录。", current.id if current else "")
        before, s = self._values, self.session
        if self._history:
            qid = next(reversed(s.answers), "")
            snap = self._history.pop()
            s.meta, s.answers, s.cells, s.sources = snap.meta, snap.answers, snap.cells, snap.sources
            s.narrative, self._focus, self._walk = snap.narrative, snap.focus, snap.walk
            s.entry = snap.entry
        elif s.answers:  # after a restart only the order of the answers is known
            qid = next(reversed(s.answers))
            self._unapply(qid)
            self._focus = self._walk = None
        else:
            return None
        name = self._short(qid)
        self._after_change()
        return Reply(True, f"已撤销{name}的回答。", False, self._changed(before), tuple(self._findings), qid)

    def goto(self, question_id: str) -> Ask:
        """Show an earlier (or any open) question to edit it; later answers are kept. KeyError if not asked now."""
        inst = self._flow.get(question_id)
        if inst is None:
            raise KeyError(f"现在没有编号为「{question_id}」的问题")
        self._pending, self._walk, self._focus = None, None, question_id
        self._sync_resume()
        return self._ask(inst)

    def goto_section(self, section_id: str) -> Ask:
        """Open a section at its first open question (else its first), then walk through it in order."""
        if section_id not in self.questions.sections:
            raise KeyError(f"没有「{section_id}」这一部分")
        insts = self._flow.in_section(section_id)
        target = next((i for i in insts if not i.answered), insts[0])
        self._pending, self._walk, self._focus = None, section_id, target.id
        self._sync_resume()
        return self._ask(target)

    def section_states(self) -> dict[str, SectionState]:
        """Section id -> its state (未开始 / 进行中 / 已完成 / 有问题), in asking order."""
        states: dict[str, SectionState] = {}
        for section in self.questions.sections:
            insts = self._flow.in_section(section)
            answered = sum(i.answered for i in insts)
            found = [f for f in self._findings if f.section == section and self._actionable(f)]
            if any(f.level == "error" for f in found) or (answered and found):
                states[section] = SectionState.PROBLEM
            elif answered == 0:
                states[section] = SectionState.NOT_STARTED
            else:
                states[section] = SectionState.DONE if answered == len(insts) else SectionState.IN_PROGRESS
        return states

    def findings(self) -> list[Finding]:
        """The checks on the current report (recomputed after every change)."""
        return list(self._findings)

    def checks(self) -> CheckView:
        """The findings split as every front end shows them (the panel, the conversation, the review)."""
        if self._check_view is None:
            ordered = sorted(self._findings, key=lambda f: f.level != "error")
            fix = tuple(f for f in ordered if self._actionable(f))
            self._check_view = CheckView(fix, tuple(f for f in ordered if f not in fix))
        return self._check_view

    def suggested_sections(self) -> list[str]:
        """Narrative sections whose every answer is what the interview suggested (the clerk chose nothing)."""
        out = []
        for section in form.NARRATIVE_SECTIONS:
            insts = self._flow.in_section(section)
            if insts and all(i.answered and self._flow.value_of(i) == i.suggestion for i in insts):
                if self._flow.value_of(insts[0]) == "library":
                    out.append(section)
        return out

    def question_for(self, finding: Finding) -> str | None:
        """The question that can fix a finding: an open one filling its cells, else the latest that does."""
        cells = set(finding.cells)
        hits = [i for i in self._flow.items if cells & set(self._flow.target(i).cells)]
        open_hits = [i for i in hits if not i.answered]
        if open_hits:
            return open_hits[0].id
        if hits:
            return hits[-1].id
        insts = self._flow.in_section(finding.section)
        if not insts:
            return None
        return next((i.id for i in insts if not i.answered), insts[0].id)

    def report(self) -> Report:
        return self._report

    def transcript(self) -> list[Turn]:
        """The conversation so far in answer order (answers to questions no longer asked are left out)."""
        turns = []
        for qid, stored in self.session.answers.items():
            inst = self._flow.get(qid)
            if inst is None or not inst.answered:
                continue
            value, defaulted = resolve(inst.q, stored)
            turns.append(Turn(qid, inst.section, self._flow.text(inst), self._flow.show(inst, value), defaulted))
        return turns

    def default_sections(self) -> list[str]:
        """Table sections whose values are all default zeros (to confirm once at review)."""
        return [s for s, cells in _TABLE_CELLS.items() if self._report.section_is_default(cells)]

    # ------------------------------------------------------------ answering
    def _parse(self, inst: Inst, text: str) -> tuple[Any, Any]:
        """(what to store, its value); "" stored means the question's own default was accepted."""
        q = inst.q
        if not text.strip():
            if inst.default is None:
                raise ParseError("这个问题需要回答，不能直接回车。")
            if inst.answered:
                return self.session.answers[inst.id], inst.default
            return ("" if inst.default_static else inst.default), inst.default
        value = parse_answer(q, list(inst.choices), self._flow.target(inst).cells, text)
        if q.validator:
            VALIDATORS[q.validator](self._flow.facts, inst.b, value)
        if q.effect.startswith("meta.") and isinstance(value, str):
            self._check_meta(q.effect.removeprefix("meta."), value.strip())
        numbers = value if q.kind == "counts_row" else [value]
        for number in numbers if q.kind in ("count", "money", "counts_row") else []:
            if (q.minimum is not None and number < q.minimum) or (q.maximum is not None and number > q.maximum):
                raise ParseError(f"应在 {fmt(q.minimum)} 到 {fmt(q.maximum)} 之间（输入的是 {fmt(number)}）。")
            if inst.bound is not None and number > inst.bound:
                raise ParseError(f"只剩 {fmt(inst.bound)} 件未归类，这里最多填 {fmt(inst.bound)}。")
        return value, value

    def _check_meta(self, name: str, value: str) -> None:
        """A basics answer must be a value the session file can hold (no newline in the agency's name …):
        refused here, with the model's own sentence, rather than recorded and then failing every save."""
        try:
            Meta.model_validate({**self.session.meta.model_dump(), name: value})
        except ValidationError as error:
            message = str(error.errors()[0]["msg"]).removeprefix("Value error, ")
            if error.errors()[0]["type"] == "string_too_short":
                message = "这里需要填写，不能为空"
            raise ParseError(f"{message}。请重新输入。") from None

    def _implausible(self, inst: Inst, value: Any) -> str | None:
        """The question to confirm a number far above what this kind of agency has, if it is one."""
        limit = self.questions.plausible_limit(inst.q, self.session.meta.agency_kind)
        if limit is None or inst.q.kind not in ("count", "money", "counts_row"):
            return None
        big = max(value if isinstance(value, list) else [value], default=0)
        return self._too_big(big, limit, inst.q.unit if inst.q.kind == "money" else "")

    def _too_big(self, big: Number, limit: Number | None, unit: str = "") -> str | None:
        if limit is None or big <= limit:
            return None
        kind = self.session.meta.agency_kind_label
        # No spaces around the numbers: the terminal wraps at spaces and would strand a number on its own line.
        usual = _grouped(limit, reading=False)
        return f"您填的是{_grouped(big)}{unit}，对{kind}来说很多（一般不超过{usual}{unit}）。确定没有多打数字吗？"

    def _remember(self) -> None:
        """Keep the state before a change, for an exact undo."""
        s = self.session
        self._history.append(
            _Snapshot(
                s.meta.model_copy(),
                dict(s.answers),
                dict(s.cells),
                dict(s.sources),
                dict(s.narrative),
                self._focus,
                self._walk,
                dict(s.entry),
            )
        )

    def _record_entry(self, qids: list[QuestionId], how: str) -> None:
        """Which way the cells of these answers were entered (guided, row, grid); provenance is not touched."""
        for qid in qids:
            inst = self._flow.get(qid)
            if inst is not None and inst.answered:
                for cell in self._flow.target(inst).cells:
                    self.session.entry[cell] = how  # type: ignore[assignment]

    def _commit(self, inst: Inst, stored: Any) -> Reply:
        s = self.session
        before = self._values
        errors_before = {(f.rule, f.cells) for f in self._findings if f.level == "error"}
        self._remember()
        if inst.q.effect == "narrative.mode":
            keep_text_for_own(s, self._report, inst.id, resolve(inst.q, stored)[0])
        s.answers.pop(inst.id, None)  # re-inserted last: the order of answers is the order given
        s.answers[inst.id] = stored
        self._advance(inst.id)
        self._after_change()
        row_mode = inst.id.startswith(("requests.row.", "requests.group."))
        self._record_entry([inst.id], "row" if row_mode or inst.q.kind == "counts_row" else "guided")
        changed = self._changed(before)
        value = resolve(inst.q, stored)[0]
        target = self._flow.target(inst)
        if inst.id.startswith("requests.row."):
            step = inst.b["step"]
            parts = [f"已记录：{rows.row_text(step, value)}。"]
            if step not in (form.T3_NEW, form.T3_CARRIED_OVER):
                parts.append(rows.remaining_text(self._values))
            if step == form.T3_CARRIED_FORWARD:
                parts.append(rows.balance_text(self._values))
        else:
            if inst.q.kind == "counts_row":
                shown = row_text(target.cells, value)
            else:
                shown = self._flow.show(inst, value)
            parts = [f"已记录：{_brief(shown, 60)}"]
            if not row_mode:
                parts += changes(before, self._values, changed, target.cells if inst.q.kind in _NUMBER_KINDS else ())
        # New errors are told at once, except those a question still ahead settles: the panel shows those as
        # 待填写, and the conversation agrees with it.
        new_errors = [f for f in self._findings if f.level == "error" and (f.rule, f.cells) not in errors_before]
        parts += [f"注意：{f.message}" for f in new_errors if self._actionable(f)]
        return Reply(True, "".join(parts), False, changed, tuple(self._findings), inst.id)

    def _commit_answers(
        self,
        answers: dict[str, Any],
        how: str,
        shown: str,
        *,
        advance: bool = False,
        own: tuple[CellId, ...] = (),
    ) -> Reply:
        """Several answers at once (a row typed at a gate, a grid edit, a pasted table): one step to undo."""
        s = self.session
        before = self._values
        errors_before = {(f.rule, f.cells) for f in self._findings if f.level == "error"}
        self._remember()
        for qid, stored in answers.items():  # ids built by the row and grid rules, the questions' own
            s.answers.pop(QuestionId(qid), None)
            s.answers[QuestionId(qid)] = stored
        if advance:
            self._advance(next(reversed(answers)))
        self._after_change()
        self._record_entry([QuestionId(q) for q in answers], how)
        changed = self._changed(before)
        parts = [f"已记录：{shown}。"]
        if answers.get(rows.ROW_MODE_QID) == rows.ROWS and how == "row":
            parts.append(
                "表三改为按表格逐行填写，接下来按正式表格逐行询问（要改回一问一答，修改「表三怎样填写」这一题即可）。"
            )
        elif how == "row":
            parts += changes(before, self._values, changed, own)
        new_errors = [f for f in self._findings if f.level == "error" and (f.rule, f.cells) not in errors_before]
        parts += [f"注意：{f.message}" for f in new_errors if self._actionable(f)]
        return Reply(True, "".join(parts), False, changed, tuple(self._findings), next(reversed(answers)))

    def set_cells(self, values: dict[CellId, Number], how: str = "grid") -> Reply:
        """Set table cells directly (the grid editor, a pasted block): they become the answers of the questions
        that fill them, so replay, undo and the checks treat them as any answer. When not ok nothing changed."""
        try:
            answers = grid.answers_for(self.session, values)
        except ParseError as error:
            return self._reply(False, str(error))
        if not answers:
            return self._reply(True, "没有变化。")
        wanted = {c: v for c, v in values.items() if self.session.cells.get(c, 0) != v}
        shown = grid.describe(values, self.session.cells)
        reply = self._commit_answers(answers, how, shown)
        wrong = [c for c, v in wanted.items() if self._values[c] != v]
        if wrong:  # the answers could not carry the change (should not happen): take it back, say so
            self.undo()
            return self._reply(False, f"{form.cell_name(wrong[0])} 无法这样修改，没有记录。")
        if len(values) > 1 and any(c.startswith("t3.") for c in values):  # a pasted table 三: its end check
            return Reply(True, f"{reply.message}{rows.balance_text(self._values)}", False, *_rest(reply))
        return reply

    def _advance(self, qid: str) -> None:
        """After an answer: walk on through an opened section, else back to the first open question."""
        if self._walk is None:
            if self._focus == qid:
                self._focus = None
            return
        self._flow.replay()
        n = self._flow.index.get(qid)
        later = self._flow.items[n + 1 :] if n is not None else []
        nxt = next((i for i in later if i.section == self._walk), None)
        self._focus = nxt.id if nxt else None
        if nxt is None:
            self._walk = None

    def _unapply(self, qid: QuestionId) -> None:
        """Forget an answer whose earlier state is unknown (after a restart): its cells go back to default."""
        self.session.answers.pop(qid)
        found = self._flow.template(qid)
        if found is None:
            return
        q, b = found
        for cell in expand_cells(q, b):
            self.session.cells.pop(cell, None)
            self.session.sources.pop(cell, None)
        if q.effect == "paragraph":
            rebuild(self.session, q.section, self._flow.facts.foreign_narrative)

    def _after_change(self) -> None:
        self._flow.replay()
        if self._focus is not None and self._focus not in self._flow.index:
            self._focus = self._walk = None
        self._refresh()
        self._sync_resume()

    def _refresh(self) -> None:
        self._report = derive_report(self.session)
        self._values = self._report.values
        self._findings = run_checks(self._report, self._previous_report)
        self._check_view = None

    def _changed(self, before: dict[CellId, Number]) -> tuple[CellId, ...]:
        return tuple(c for c in form.ALL_CELLS if before[c] != self._values[c])

    def _actionable(self, finding: Finding) -> bool:
        """False while a question still ahead will settle it (table 三 mid-allocation is no problem)."""
        qid = self.question_for(finding)
        inst = self._flow.get(qid) if qid is not None else None
        return inst is None or inst.answered

    def _sync_resume(self) -> None:
        inst = self._current_inst()
        meta = self.session.meta
        meta.resume_at = inst.id if inst else ""
        states = self.section_states()
        meta.sections_done = sum(state is SectionState.DONE for state in states.values())
        meta.sections_total = len(states)
        meta.errors = self.checks().errors
        meta.finished = self._flow.first_open() is None

    # ------------------------------------------------------------ showing
    def _current_inst(self) -> Inst | None:
        focus = self._flow.get(self._focus) if self._focus is not None else None
        return focus or self._flow.first_open()

    def _short(self, qid: str) -> str:
        inst = self._flow.get(qid)
        if inst is None:
            return ""
        text = self._flow.text(inst)
        return f"「{text[:24]}{'…' if len(text) > 24 else ''}」"

    def _ask(self, inst: Inst, **override: Any) -> Ask:
        q, b = inst.q, inst.b
        ctx = self._flow.context(inst)
        target = self._flow.target(inst)
        choices = list(inst.choices) if q.kind != "yesno" else list(_YES_NO)
        if q.kind == "counts_row":
            choices = [(c, form.cell_name(c)) for c in target.cells]
        answered = inst.answered
        fields: dict[str, Any] = {
            "id": inst.id,
            "section": inst.section,
            "text": q.text.format_map(ctx),
            "help": q.help.format_map(ctx),
            "kind": q.kind,
            "default": "" if inst.default is None else display(q, b, inst.default, ctx, inst.choices),
            "choices": tuple(choices),
            "progress": (sum(i.answered for i in self._flow.items), len(self._flow.items)),
            "required": inst.default is None,
            "placeholder": q.placeholder.format_map(ctx),
            "cells": target.cells,
            "current_answer": self._flow.show(inst, self._flow.value_of(inst)) if answered else "",
            "prefill": str(inst.snap.get("prefill", "")),
            "unit": q.unit if q.kind == "money" else "",
        }
        fields["enter"] = _enter_hint(fields["default"], fields["current_answer"], fields["required"])
        if q.choices_from.startswith("library_") and not override:
            fields["details"] = choice_details(self._flow.facts, [key for key, _ in choices])
        fields.update(override)
        return Ask(**fields)

    def _reply(self, ok: bool, message: str, qid: str = "") -> Reply:
        return Reply(ok, message, False, (), tuple(self._findings), qid)


def _rest(reply: Reply) -> tuple[tuple[str, ...], tuple[Finding, ...], str]:
    return reply.changed, reply.findings, reply.question_id


def _grouped(value: Number, reading: bool = True) -> str:
    """A large number as a clerk checks it for an extra zero: 「50,000,000（5000万）」."""
    text = f"{value:,}" if isinstance(value, int) else f"{value:,.4f}".rstrip("0").rstrip(".")
    if reading and value >= 10000:
        text += f"（{fmt(round(value / 10000, 4))}万）"
    return text


def _enter_hint(default: str, current_answer: str, required: bool) -> str:
    """The one sentence that says what a bare Enter does; question texts never say it themselves."""
    if current_answer:
        return f"直接回车保留：{current_answer}"
    if required:
        return ""
    return f"直接回车：{default or '不填'}"


def _confirmation(text: str) -> bool | None:
    """An answer to the confirmation: True 是, False 否 (and a bare Enter), None for anything else."""
    token = normalize(text)
    if not token:
        return False
    if token in ("1", "2"):  # the choices' numbers, as shown
        return token == "1"
    try:
        return parse_yesno(token)
    except ParseError:
        pass
    for key, label in CONFIRM_CHOICES:
        if token == normalize(label):
            return key == "yes"
    return None


def _brief(shown: str, limit: int = 30) -> str:
    """An answer as echoed in a confirmation: shortened, ending with one full stop."""
    shown = shown or "（空）"
    if len(shown) > limit:
        shown = shown[:limit] + "…"
    return shown if shown.endswith(("。", "！", "？", "…")) else shown + "。"
