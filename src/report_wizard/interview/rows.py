"""Whole-row answers (issue 12): 「2410 64 3 2 45 7」 for a row of table 三, 四 or 二, in one answer.

A row is its numbers in the official column order, separated by spaces, commas, 、, semicolons or tabs
(full-width too); one number more than the columns is the printed 总计 and must match their sum; columns may
be named (「自然人 2410 商业企业 64」, the others are 0). A row typed at a gate question (「本年是否收到过
申请？」) answers the gate and the questions behind it at once: ``SHORTCUTS`` says which answers it stands for.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from report_wizard.core import form
from report_wizard.core.form import CellId
from report_wizard.core.model import Number, QuestionId
from report_wizard.interview.parse import NO, ParseError, parse_count
from report_wizard.interview.values import fmt

ROW_MODE_QID = QuestionId("requests.mode")
ROWS, GUIDED = "rows", "guided"
NEW_GATE = QuestionId("requests.new.gate")
TOTAL_WORDS = ("总计", "合计")
# Spaces, commas, 、, semicolons, slashes, bars and tabs (NFKC has already turned ，； into ,;).
_SPLIT = re.compile(r"[\s,、;/|]+")
_NUMBER = re.compile(r"\d+(?:\.\d+)?")

T3_ROW_COLUMNS = form.T3_PART_COLUMNS
# What a clerk may call a table 三 column: its label and its name in a sentence (「其他」「其他法人或其他组织」).
_T3_NAMES = {c: (form.T3_COLUMN_LABEL[c], form.T3_COLUMN_NAME[c]) for c in T3_ROW_COLUMNS}


def row_qid(row: str) -> str:
    return f"requests.row.{row}"


def group_qid(group: str) -> str:
    return f"requests.group.results.{group}"


def _normalize(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().rstrip("。.!！")


MODE_WORDS = frozenset({"逐行", "逐行填写", "按表格逐行填写", "按表格填写", "表格", "按表格"})


def is_mode_word(text: str) -> bool:
    """「逐行」 at the first question of table 三: the clerk chooses to fill it row by row."""
    return _normalize(text) in MODE_WORDS


def looks_like_row(text: str, least: int = 2, choices: int = 0) -> bool:
    """At least ``least`` numbers and nothing else, or a column named with a number: a row rather than 是/否 or
    a list of choices. At a question of ``choices`` choices, distinct numbers 1–``choices`` are choices
    (「1 2 3 4 5 6」 picks all six applicant types), so a row there has a 0, a repeat or a larger number."""
    s = _normalize(text)
    if _named(s):
        return True
    tokens = [t.removesuffix("件") for t in _SPLIT.split(s) if t]
    if len(tokens) < least or not all(_NUMBER.fullmatch(t) for t in tokens):
        return False
    picks = [int(t) for t in tokens if t.isdigit()]
    return not (choices and len(picks) == len(tokens) == len(set(picks)) and all(1 <= p <= choices for p in picks))


def _named(s: str) -> bool:
    names = [n for pair in _T3_NAMES.values() for n in pair] + [label for _, label in form.T4_COLUMNS]
    return any(re.search(re.escape(n) + r"\s*[:]?\s*\d", s) for n in names)


def parse_row(
    text: str,
    labels: Sequence[str],
    *,
    names: Sequence[Sequence[str]] = (),
    total: bool = True,
    partial: bool = False,
) -> list[int]:
    """The counts of one row, one per label: see the module docstring. ``names``: what each column may be
    called when named (default: its label); ``total``: a last extra number is the printed 总计; ``partial``:
    fewer numbers fill the first columns, the rest are 0 (「88」 = 自然人 88). ParseError says what is wrong."""
    s = _normalize(text)
    n = len(labels)
    if s.lower() in NO or s in ("0", "零"):
        return [0] * n
    names = names or [(label,) for label in labels]
    named = _parse_named(s, labels, names, total)
    if named is not None:
        return named
    tokens = [t for t in _SPLIT.split(s) if t]
    shape = f"需要 {n} 个数（依次为 {'、'.join(labels)}），用空格分开"
    if len(tokens) == n + 1 and total:
        *tokens, printed = tokens
        values = [parse_count(t) for t in tokens]
        _check_total(values, parse_count(printed))
        return values
    if len(tokens) == n or (partial and 0 < len(tokens) < n):
        values = [parse_count(t) for t in tokens]
        return values + [0] * (n - len(values))
    raise ParseError(f"{shape}；收到了 {len(tokens)} 个。")


def _check_total(values: Sequence[Number], printed: Number) -> None:
    computed = sum(values)
    if printed != computed:
        diff = printed - computed
        raise ParseError(
            f"最后一个数 {fmt(printed)} 是总计，但前面各栏相加是 {fmt(computed)}，"
            f"{'多' if diff > 0 else '少'}了 {fmt(abs(diff))}。没有记录，请核对后重新输入。"
        )


def _parse_named(s: str, labels: Sequence[str], names: Sequence[Sequence[str]], total: bool) -> list[int] | None:
    """「自然人 2410 商业企业 64」: named columns, the others 0; None when no column is named."""
    words = sorted(
        [(w, i) for i, ws in enumerate(names) for w in ws] + ([(w, -1) for w in TOTAL_WORDS] if total else []),
        key=lambda pair: -len(pair[0]),  # 「其他法人或其他组织」 before 「其他」
    )
    pattern = re.compile("|".join(re.escape(w) for w, _ in words))
    found = list(pattern.finditer(s))
    if not found:
        return None
    index = dict(words)
    values: list[int | None] = [None] * len(labels)
    printed: int | None = None
    if s[: found[0].start()].strip(" ,、;:"):
        raise ParseError(f"没看懂“{s[: found[0].start()].strip()}”。写栏名时请写成「自然人 2410 商业企业 64」。")
    for m, nxt in zip(found, [*found[1:], None], strict=True):
        chunk = s[m.end() : nxt.start() if nxt else len(s)].strip(" ,、;:：")
        if not chunk:
            raise ParseError(f"「{m.group()}」后面缺少数字。请写成「自然人 2410 商业企业 64」。")
        number = parse_count(chunk)
        i = index[m.group()]
        if i < 0:
            printed = number
        elif values[i] is not None:
            raise ParseError(f"「{labels[i]}」写了两次，每栏只能写一次。")
        else:
            values[i] = number
    out = [v or 0 for v in values]
    if printed is not None:
        _check_total(out, printed)
    return out


def t3_row(text: str, *, partial: bool = True) -> list[int]:
    labels = [form.T3_COLUMN_NAME[c] for c in T3_ROW_COLUMNS]
    return parse_row(text, labels, names=[_T3_NAMES[c] for c in T3_ROW_COLUMNS], partial=partial)


def row_text(row: str, values: Sequence[Number]) -> str:
    """A table 三 row as a confirmation repeats it: 「本年新收：自然人 2410、商业企业 64、…，合计 2531」."""
    cells = "、".join(f"{form.T3_COLUMN_LABEL[c]} {fmt(v)}" for c, v in zip(T3_ROW_COLUMNS, values, strict=True))
    return f"「{form.t3_row_name(row)}」{cells}，合计 {fmt(sum(values))}"


def remaining_text(values: Mapping[CellId, Number]) -> str:
    """Per column, what is not yet placed in an outcome or carried forward: 「尚未归类：自然人 41、其他 2」."""
    left = {c: remainder(values, c) for c in T3_ROW_COLUMNS}
    shown = [f"{form.T3_COLUMN_LABEL[c]} {fmt(v)}" for c, v in left.items() if v]
    return f"尚未归类：{'、'.join(shown)}。" if shown else "各栏都已归类完毕。"


def remainder(values: Mapping[CellId, Number], column: str) -> Number:
    """一 + 二 − （七）总计 − 四 of one column (0 when the 勾稽关系 holds)."""
    v = values
    return (
        v[form.t3_cell(form.T3_NEW, column)]
        + v[form.t3_cell(form.T3_CARRIED_OVER, column)]
        - v[form.t3_cell(form.T3_RESULTS_TOTAL, column)]
        - v[form.t3_cell(form.T3_CARRIED_FORWARD, column)]
    )


def balance_text(values: Mapping[CellId, Number]) -> str:
    """The end check of table 三 with its numbers: T3-SUM (（七）总计 is the outcomes' sum) and T3-BAL."""

    def row(r: str) -> str:
        return " ".join(fmt(values[form.t3_cell(r, c)]) for c in T3_ROW_COLUMNS)

    def tot(r: str) -> Number:
        return values[form.t3_cell(r, "total")]

    new, carried, done, forward = (
        tot(r) for r in (form.T3_NEW, form.T3_CARRIED_OVER, form.T3_RESULTS_TOTAL, form.T3_CARRIED_FORWARD)
    )
    text = (
        f"表三核对：（七）总计 {row(form.T3_RESULTS_TOTAL)}，合计 {fmt(done)}（等于予以公开、部分公开和各情形之和）；"
        f"一 {fmt(new)} + 二 {fmt(carried)} = {fmt(new + carried)}，（七）{fmt(done)} + 四 {fmt(forward)} = "
        f"{fmt(done + forward)}"
    )
    off = [(c, remainder(values, c)) for c in T3_ROW_COLUMNS if remainder(values, c)]
    if not off:
        return text + "，勾稽关系相符。"
    what = "、".join(f"{form.T3_COLUMN_NAME[c]}{'多' if d > 0 else '少'} {fmt(abs(d))} 件" for c, d in off)
    return text + f"，勾稽关系不符：一加二比（七）加四{what}。"


# ---------------------------------------------------------------- rows typed at gate questions
@dataclass(frozen=True)
class Shortcut:
    """A gate (or choice) question at which a whole row is also an answer."""

    parse: Callable[[str], list[int]]
    answers: Callable[[list[int]], dict[str, Any]]  # the answers the row stands for, in asking order
    cells: tuple[CellId, ...]  # the input cells the numbers fill, in order (for the confirmation)
    least: int = 2  # numbers that make a row here (a choice question needs a whole row: 「1 2」 are choices)
    choices: int = 0  # a choice question: how many choices it offers (see looks_like_row)
    limit: str = "requests"  # the prompts/limits.toml set a number above which the clerk confirms it first


def _t3_typed(prefix: str, gate: str) -> Callable[[list[int]], dict[str, Any]]:
    """Guided answers for a row of 新收 or 上年结转: the gate, the applicant types, one count per type."""

    def answers(values: list[int]) -> dict[str, Any]:
        chosen = [c for c, v in zip(T3_ROW_COLUMNS, values, strict=True) if v]
        if not chosen:
            return {gate: False}
        out: dict[str, Any] = {gate: True, f"{prefix}.types": chosen}
        out.update({f"{prefix}.{c}": v for c, v in zip(T3_ROW_COLUMNS, values, strict=True) if v})
        return out

    return answers


def _t3_new_rows(values: list[int]) -> dict[str, Any]:
    """A row typed at the first question of table 三: the clerk has the table at hand, so it is filled row by row."""
    return {NEW_GATE: True, ROW_MODE_QID: ROWS, row_qid(form.T3_NEW): values}


def _t3_types(prefix: str, gate: str) -> Callable[[list[int]], dict[str, Any]]:
    typed = _t3_typed(prefix, gate)

    def answers(values: list[int]) -> dict[str, Any]:
        out = typed(values)
        if out == {gate: False}:
            raise ParseError("这一行都是 0。如果确实没有，请回到上一题回答“否”。")
        out.pop(gate)
        return out

    return answers


_T2_ROW_LABELS = [label for _, label in form.T2_BLOCKS[0].columns]


def _t2_row(row: str) -> Shortcut:
    gate = f"proactive.{row}.gate"

    def answers(values: list[int]) -> dict[str, Any]:
        if not any(values):
            return {gate: False}
        out: dict[str, Any] = {gate: True}
        out.update({f"proactive.{row}.{c}": v for (c, _), v in zip(form.T2_BLOCKS[0].columns, values, strict=True)})
        return out

    cells = tuple(form.t2_cell(row, c) for c, _ in form.T2_BLOCKS[0].columns)
    limit = "regulations_stock" if row == "regulations" else "normative_stock"
    return Shortcut(lambda text: parse_row(text, _T2_ROW_LABELS, total=False), answers, cells, limit=limit)


_T4_GROUPS = tuple(g for g, _ in form.T4_GROUPS)
_T4_LABELS = [form.T4_COLUMN_LABEL[c] for c in form.T4_PART_COLUMNS]


def _t4_all(text: str) -> list[int]:
    """All of table 四 in one line: 12 numbers (three groups of four), or 15 with each group's 总计."""
    tokens = [t for t in _SPLIT.split(_normalize(text)) if t]
    if len(tokens) not in (12, 15):
        raise ParseError(
            "表四一行共 15 个数：行政复议、未经复议直接起诉、复议后起诉三组，每组依次为"
            f"{'、'.join(_T4_LABELS)}、总计（也可以不写总计，共 12 个数）；收到了 {len(tokens)} 个。"
        )
    width = len(tokens) // 3
    out: list[int] = []
    for n, group in enumerate(_T4_GROUPS):
        chunk = " ".join(tokens[n * width : (n + 1) * width])
        try:
            out += parse_row(chunk, _T4_LABELS, total=True)
        except ParseError as error:
            raise ParseError(f"{form.T4_GROUP_NAME[group]}：{error}") from None
    return out


def _t4_answers(with_gate: bool) -> Callable[[list[int]], dict[str, Any]]:
    def answers(values: list[int]) -> dict[str, Any]:
        rows = {g: values[n * 4 : (n + 1) * 4] for n, g in enumerate(_T4_GROUPS)}
        chosen = [g for g, row in rows.items() if any(row)]
        if not chosen:
            if not with_gate:
                raise ParseError("这一行都是 0。如果确实没有案件，请回到上一题回答“否”。")
            return {"review_litigation.gate": False}
        out: dict[str, Any] = {"review_litigation.gate": True} if with_gate else {}
        out["review_litigation.groups"] = chosen
        out.update({f"review_litigation.{g}": rows[g] for g in chosen})
        return out

    return answers


def _t3_cells(row: str) -> tuple[CellId, ...]:
    return tuple(form.t3_cell(row, c) for c in T3_ROW_COLUMNS)


_NEW, _CARRIED = _t3_cells(form.T3_NEW), _t3_cells(form.T3_CARRIED_OVER)
_WHOLE = "requests.carried"


def _whole(text: str) -> list[int]:
    return t3_row(text, partial=False)


SHORTCUTS: dict[str, Shortcut] = {
    NEW_GATE: Shortcut(t3_row, _t3_new_rows, _NEW),
    ROW_MODE_QID: Shortcut(t3_row, _t3_new_rows, _NEW, 2, 2),
    "requests.new.types": Shortcut(_whole, _t3_types("requests.new", NEW_GATE), _NEW, 6, 6),
    "requests.carried.gate": Shortcut(_whole, _t3_typed(_WHOLE, f"{_WHOLE}.gate"), _CARRIED),
    "requests.carried.types": Shortcut(_whole, _t3_types(_WHOLE, f"{_WHOLE}.gate"), _CARRIED, 6, 6),
    "proactive.regulations.gate": _t2_row("regulations"),
    "proactive.normative_documents.gate": _t2_row("normative_documents"),
    "review_litigation.gate": Shortcut(_t4_all, _t4_answers(True), form.T4_INPUT_CELLS, limit="cases"),
    "review_litigation.groups": Shortcut(_t4_all, _t4_answers(False), form.T4_INPUT_CELLS, 12, 3, "cases"),
}


def shortcut_text(cells: Sequence[CellId], values: Sequence[Number]) -> str:
    """What a row typed at a gate filled, as its confirmation repeats it."""
    if cells and cells[0].startswith("t3."):
        return row_text(cells[0].split(".", 1)[1].rsplit(".", 1)[0], values)
    if cells and cells[0].startswith("t4."):
        parts = []
        for n, (group, _) in enumerate(form.T4_GROUPS):
            row = values[n * 4 : (n + 1) * 4]
            shown = " ".join(fmt(v) for v in row)
            parts.append(f"{form.T4_GROUP_NAME[group]} {shown}（总计 {fmt(sum(row))}）")
        return "；".join(parts)
    return "、".join(f"{form.cell_name(c)} {fmt(v)}" for c, v in zip(cells, values, strict=True))
