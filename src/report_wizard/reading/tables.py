"""Tables 二, 三 and 四 out of a report's published text, whatever the file format was.

The text is what a reader of the file produced: lines (pdf, txt), pipe rows (Markdown, html and docx tables
turned into 「| a | b |」 lines) or one long line with every cell run together (crawled web pages). Rows are
found in the official order: by their number rows when there are exactly as many as the table has rows
(pdf extraction moves labels but keeps the numbers in order), else by their labels, each row's numbers being
the first ones after its label. Digits run together are split by the printed totals (numbers.py); where
more than one reading fits, even with the columns' totals, the cells are ambiguous with their candidates.
A row not in the text is missing — never 0.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from report_wizard.core import form
from report_wizard.reading.numbers import Number, Shape, Value, first_group, groups, readings


@dataclass(frozen=True)
class Ambiguous:
    candidates: tuple[Number, ...]


Cell = Value | Ambiguous  # a cell that is not in the dict is missing


@dataclass
class Tables:
    cells: dict[str, Cell] = field(default_factory=dict)
    table_format: str = ""  # "2021", "2019" or "" (no table found)
    notes: list[str] = field(default_factory=list)  # for the parse report
    raw: dict[str, str] = field(default_factory=dict)  # table text kept verbatim where it does not map
    labels: dict[str, str] = field(default_factory=dict)  # "t3.<row id>" -> the row's label as printed (S-LABEL)


def _fuzzy(key: str) -> str:
    """A label as a regex that allows the spaces and line breaks extraction puts inside words."""
    return r"\s*".join(re.escape(ch) for ch in key)


@dataclass(frozen=True)
class RowSpec:
    id: str  # a row id of form.T3_ROWS, "results.other" for the one-row （六） of the 2019 layout, or a t2 row
    keys: tuple[str, ...]  # regexes, most specific first
    columns: tuple[str, ...]
    shape: Shape


def _label(keys: tuple[str, ...], mark: int | None = None) -> tuple[str, ...]:
    prefix = rf"(?:{mark}\s*[.．、]\s*)?" if mark is not None else ""
    return tuple(prefix + _fuzzy(k) for k in keys)


_T3_KEYS: dict[str, tuple[str, ...]] = {
    form.T3_NEW: ("本年新收政府信息公开申请数量", "本年新收"),
    form.T3_CARRIED_OVER: ("上年结转政府信息公开申请数量", "上年结转"),
    "results.disclosed": ("予以公开",),
    "results.partly_disclosed": ("部分公开（区分处理的，只计这一情形，不计其他情形）", "部分公开"),
    "results.denied.state_secret": ("属于国家秘密", "国家秘密"),
    "results.denied.prohibited_by_law": ("其他法律行政法规禁止公开", "禁止公开", "其他法律行政"),
    "results.denied.three_safeties": ("危及“三安全一稳定”", "三安全一稳定", "三安全"),
    "results.denied.third_party": ("保护第三方合法权益", "第三方"),
    "results.denied.internal_affairs": ("属于三类内部事务信息", "内部事务"),
    "results.denied.process_info": ("属于四类过程性信息", "过程性"),
    "results.denied.enforcement_file": ("属于行政执法案卷", "执法案卷"),
    "results.denied.inquiry": ("属于行政查询事项", "行政查询"),
    "results.unable.not_held": ("本机关不掌握相关政府信息", "不掌握"),
    "results.unable.needs_creation": ("没有现成信息需要另行制作", "另行制作"),
    "results.unable.unclear": ("补正后申请内容仍不明确", "仍不明确"),
    "results.not_processed.petition": ("信访举报投诉类申请", "信访举报"),
    "results.not_processed.repeated": ("重复申请",),
    "results.not_processed.publication": ("要求提供公开出版物", "公开出版物"),
    "results.not_processed.abusive": ("无正当理由大量反复申请", "大量反复"),
    "results.not_processed.confirmation": ("要求行政机关确认或重新出具已获取信息", "确认或重新出具", "重新出具"),
    "results.other.no_correction": ("申请人无正当理由逾期不补正", "逾期不补正"),
    "results.other.fee_unpaid": ("申请人逾期未按收费通知要求缴纳费用", "收费通知", "缴纳费用"),
}
_T3_COLS = tuple(c for c, _, _ in form.T3_COLUMNS)
_T3_SHAPE = Shape(((7, True),))
ONE_ROW_OTHER = "results.other"  # （六）其他处理 printed as one row (2019 layout, and some 2021 reports)


def _t3_specs(one_row_other: bool) -> list[RowSpec]:
    specs = []
    for row in form.T3_ROWS:
        if row.id.startswith("results.other."):
            if one_row_other:
                if row.id.endswith(".no_correction"):
                    keys = ("（六）其他处理", "(六)其他处理", "其他处理", "（六）其他", "(六)其他")
                    specs.append(RowSpec(ONE_ROW_OTHER, tuple(_fuzzy(k) for k in keys), _T3_COLS, _T3_SHAPE))
                continue
            if row.id.endswith(".other"):
                specs.append(RowSpec(row.id, (r"3\s*[.．、]\s*其\s*他",), _T3_COLS, _T3_SHAPE))
                continue
        if row.id == form.T3_RESULTS_TOTAL:
            specs.append(
                RowSpec(row.id, (r"[（(]\s*七\s*[）)]\s*总\s*计", r"七\s*[）)]\s*总\s*计"), _T3_COLS, _T3_SHAPE)
            )
            continue
        if row.id == form.T3_CARRIED_FORWARD:
            specs.append(RowSpec(row.id, _label(("结转下年度继续办理", "结转下年度")), _T3_COLS, _T3_SHAPE))
            continue
        mark = None
        if row.group is not None and row.group.items:
            mark = 1 + [i for i, _ in row.group.items].index(row.id.rsplit(".", 1)[1])
        specs.append(RowSpec(row.id, _label(_T3_KEYS[row.id], mark), _T3_COLS, _T3_SHAPE))
    return specs


_T2_KEYS = {
    "regulations": ("规章",),
    "normative_documents": ("行政规范性文件", "规范性文件"),
    "permits": ("行政许可",),
    "penalties": ("行政处罚",),
    "enforcement": ("行政强制",),
    "fees": ("行政事业性收费",),
}


def _t2_specs() -> list[RowSpec]:
    return [
        RowSpec(row.id, _label(_T2_KEYS[row.id]), tuple(c for c, _ in b.columns), Shape(((len(b.columns), False),)))
        for b in form.T2_BLOCKS
        for row in b.rows
    ]


_T4_COLS = tuple((g, c) for g, _ in form.T4_GROUPS for c, _ in form.T4_COLUMNS)
_T4_SHAPE = Shape(((5, True),) * 3)

# Section headings that bound the tables (as printed, with the variants seen: 「行政法复议」, missing words).
HEADING_PATTERNS: dict[str, str] = {
    "overview": r"一\s*[、.，,]\s*(?:[^\n。]{0,12}?)(?:总体情况|基本情况|概述)",
    "proactive": r"二\s*[、.，,]\s*[^\n。]{0,6}?主动公开[^\n。]{0,8}?情况",
    "requests": r"三\s*[、.，,]\s*[^\n。]{0,6}?(?:收到和处理|依申请)[^\n。]{0,20}?情况",
    "review_litigation": r"四\s*[、.，,]\s*[^\n。]{0,20}?(?:复议|诉讼)[^\n。]{0,16}?情况",
    "problems": (
        r"五\s*[、.，,]\s*[^\n。]{0,16}?(?:存在的?主要问题|存在的?问题|主要问题)(?:\s*[及和与]\s*改进(?:情况|措施)?)?"
    ),
    "other": r"六\s*[、.，,]\s*[^\n。]{0,4}?其他需要报告的事项",
}
_FORMAT_2019 = re.compile(
    "|".join(_fuzzy(k) for k in ("本年新制作数量", "本年新公开数量", "对外公开总数量", "上一年项目数量"))
    + r"|第\s*[（(]\s*九\s*[）)]\s*项"
)


def find_headings(text: str) -> dict[str, re.Match[str]]:
    """The six section headings in order; a heading not found is left out (later ones are still searched)."""
    found: dict[str, re.Match[str]] = {}
    at = 0
    for section in form.SECTIONS:
        match = re.compile(HEADING_PATTERNS[section.id]).search(text, at)
        if match:
            found[section.id] = match
            at = match.end()
    return found


def read_tables(text: str, headings: dict[str, re.Match[str]]) -> Tables:
    out = Tables()
    ends = sorted(m.start() for m in headings.values())

    def region(section: str) -> str | None:
        match = headings.get(section)
        if match is None:
            return None
        later = [e for e in ends if e > match.start()]
        return text[match.end() : later[0] if later else len(text)]

    t2 = region("proactive")
    t3 = region("requests")
    t4 = region("review_litigation")
    if t2 is not None and _FORMAT_2019.search(t2):
        out.table_format = "2019"
        out.raw["proactive"] = t2.strip()
        out.notes.append(
            "表二是 2019 年版格式（本年新制作数量、本年新公开数量…），其栏目与 2021 年版不对应，未导入数字，原文保留。"
        )
    elif t2 is not None:
        _read_rows(t2, _t2_specs(), "t2", out, by_order=False)
    if t3 is not None:
        _read_t3(t3, out)
    if t4 is not None:
        _read_t4(t4, out)
    if not out.table_format and out.cells:
        out.table_format = "2021"
    if out.table_format == "2021":
        if t2 is not None:
            out.labels |= printed_labels(t2, _t2_specs(), "t2", in_order=False)
        if t3 is not None:
            one_row_other = not re.search(_fuzzy("逾期不补正") + "|" + _fuzzy("收费通知"), t3)
            out.labels |= printed_labels(t3, _t3_specs(one_row_other), "t3", in_order=True)
    return out


# Where a label's printed text ends: the row's numbers, a cell mark, a line break, the next group's heading.
_LABEL_END = re.compile(r"[0-9０-９|\n]|[（(]\s*[一二三四五六七]\s*[）)]|[—–]")
_LABEL_START = re.compile(r"[0-9０-９|\n]\s*$")
# A slip that changes the words the reader finds a row by: the row is still found, to be named (S-LABEL).
_SLIP_KEYS = {
    "results.denied.internal_affairs": _label(("属于三类", "三类内"), 5),
    "results.denied.process_info": _label(("属于四类",), 6),
}


def printed_labels(text: str, specs: list[RowSpec], table: str, in_order: bool) -> dict[str, str]:
    """Each row's label as printed, from where its words were found to where its numbers begin.

    「…」 marks an end that is not the label's own: on the left when the label's start may lie before the
    words found (「（二）部分公开」 found at 部分公开), on the right when a line break cut it (a pdf puts the
    numbers inside a long label). Table 三's （七）总计 and a one-row （六） have no label of their own to check.
    """
    labels: dict[str, str] = {}
    at = 0
    for spec in specs:
        if spec.id in (form.T3_RESULTS_TOTAL, ONE_ROW_OTHER):
            continue
        keys = (*spec.keys, *_SLIP_KEYS.get(spec.id, ()))
        match = next((m for k in keys if (m := re.compile(k).search(text, at))), None)
        if match is None:
            continue
        if in_order:
            at = match.end()
        stop = _LABEL_END.search(text, match.end(), match.end() + 80)
        end = stop.start() if stop else match.end()
        printed = text[match.start() : end].strip()
        left_fixed = match.start() == 0 or bool(_LABEL_START.search(text[max(0, match.start() - 8) : match.start()]))
        right_cut = stop is None or stop.group() == "\n"
        labels[f"{table}.{spec.id}"] = ("" if left_fixed else "…") + printed + ("…" if right_cut else "")
    return labels


def _cell_id(table: str, row: str, column: str) -> str:
    if table == "t2":
        return form.t2_cell(row, column)
    return form.t3_cell(row, column)


def _find_labels(text: str, specs: list[RowSpec], in_order: bool = True) -> list[tuple[RowSpec, int, int]]:
    """Where each row's label is: in the official order (each after the one before), or — for table 二,
    whose six labels are distinct words that converters reorder — each on its own, sorted by place."""
    found = []
    at = 0
    for spec in specs:
        best: re.Match[str] | None = None
        for key in spec.keys:
            match = re.compile(key).search(text, at)
            if match:
                best = match
                break
        if best is not None:
            found.append((spec, best.start(), best.end()))
            if in_order:
                at = best.end()
    if not in_order:
        found.sort(key=lambda f: f[1])
        # 「规范性文件」 inside 「行政规范性文件」 must not count as a second label
        found = [f for i, f in enumerate(found) if not (i and f[1] < found[i - 1][2])]
    return found


def _row_readings(tokens: list[str], spec: RowSpec, table: str, out: Tables) -> list[tuple[Value, ...]]:
    found, how = readings(tokens, spec.shape)
    if not found:
        out.notes.append(f"{_row_name(table, spec.id)}：原文「{' '.join(tokens)}」无法按栏目拆开，记为有歧义。")
    elif len(found) > 1:
        pass  # settled (or not) by the columns' totals below
    elif how == "joined":
        out.notes.append(
            f"{_row_name(table, spec.id)}：原文「{' '.join(tokens)}」中的空格不在数字之间，已忽略空格拆分。"
        )
    return found


def _row_name(table: str, row: str) -> str:
    if table == "t2":
        return f"表二 {dict((r.id, r.label) for b in form.T2_BLOCKS for r in b.rows)[row]}"
    if row == ONE_ROW_OTHER:
        return "表三 （六）其他处理"
    return f"表三 {form.t3_row_name(row)}"


def _read_rows(
    text: str, specs: list[RowSpec], table: str, out: Tables, by_order: bool
) -> dict[str, list[tuple[Value, ...]]]:
    """Each row's readings: by the order of the number rows when their count is the table's, else by labels."""
    rows: dict[str, list[tuple[Value, ...]]] = {}
    every = groups(text) if by_order else []
    if by_order and len(every) == len(specs):
        pairs = list(zip(specs, every, strict=True))
    else:
        pairs = []
        labels = _find_labels(text, specs, in_order=table != "t2")
        for i, (spec, _, end) in enumerate(labels):
            stop = labels[i + 1][1] if i + 1 < len(labels) else len(text)
            group = first_group(text[end:stop])
            if group is not None:
                pairs.append((spec, group[0]))
    for spec, tokens in pairs:
        rows[spec.id] = _row_readings(tokens, spec, table, out)
    if table == "t2":
        for spec in specs:
            if spec.id in rows:
                _store_row(out, table, spec, rows[spec.id])
    return rows


def _store_row(out: Tables, table: str, spec: RowSpec, found: list[tuple[Value, ...]]) -> None:
    for i, column in enumerate(spec.columns):
        out.cells[_cell_id(table, spec.id, column)] = _settle([r[i] for r in found])


def _settle(values: list[Value]) -> Cell:
    distinct = list(dict.fromkeys(values))
    if len(distinct) == 1:
        return distinct[0]
    return Ambiguous(tuple(sorted({v for v in distinct if not isinstance(v, str)})))


def _read_t3(text: str, out: Tables) -> None:
    one_row_other = not re.search(_fuzzy("逾期不补正") + "|" + _fuzzy("收费通知"), text)
    specs = _t3_specs(one_row_other)
    lines = text.count("\n")
    rows = _read_rows(text, specs, "t3", out, by_order=lines > len(specs) // 2)
    if not rows:
        return
    rows = _by_columns(rows)
    for spec in specs:
        if spec.id not in rows:
            continue
        found = rows[spec.id]
        if spec.id == ONE_ROW_OTHER:
            _store_one_row_other(out, found)
            continue
        _store_row(out, "t3", spec, found)
    missing = [_row_name("t3", s.id) for s in specs if s.id not in rows]
    if missing and len(missing) < len(specs):
        out.notes.append(f"表三 缺少 {len(missing)} 行：{'、'.join(missing)}。")


def _store_one_row_other(out: Tables, found: list[tuple[Value, ...]]) -> None:
    """（六）其他处理 printed as one row: all zero means each of its three items is 0; otherwise the items
    cannot be told apart and stay missing (the row's figures are kept in the parse report)."""
    items = [f"results.other.{i}" for i, _ in form.T3_RESULT_GROUPS[-1].items]
    if len(found) == 1 and all(v == 0 for v in found[0]):
        for item in items:
            for column in _T3_COLS:
                out.cells[form.t3_cell(item, column)] = 0
        out.notes.append("表三 （六）其他处理 只有一行（全为 0），其下三项都记为 0。")
        return
    shown = " ".join(str(v) for v in found[0]) if len(found) == 1 else "有歧义"
    out.notes.append(f"表三 （六）其他处理 只有一行（{shown}），分不出其下三项，三项记为缺失。")


MAX_COMBINATIONS = 20000


def _by_columns(rows: dict[str, list[tuple[Value, ...]]]) -> dict[str, list[tuple[Value, ...]]]:
    """Rows with several readings: keep the combinations under which the columns add up (T3-SUM, T3-BAL).

    When no combination adds up (the source itself is wrong), the readings are left as they are.
    """
    open_rows = [r for r, found in rows.items() if len(found) > 1]
    if not open_rows:
        return rows
    size = 1
    for r in open_rows:
        size *= len(rows[r])
    if size > MAX_COMBINATIONS:
        return rows
    fixed = {r: found[0] for r, found in rows.items() if len(found) == 1}
    outcome_rows = [r.id for r in form.T3_ROWS if r.group is not None]
    if ONE_ROW_OTHER in rows:
        outcome_rows = [r for r in outcome_rows if not r.startswith("results.other.")] + [ONE_ROW_OTHER]

    def num(v: Value) -> Number:
        return 0 if isinstance(v, str) else v

    def column_sums(table: dict[str, tuple[Value, ...]], check_sum: bool, check_bal: bool) -> bool:
        for c in range(7):
            if check_sum and form.T3_RESULTS_TOTAL in table:
                parts = [table[r][c] for r in outcome_rows if r in table]
                if len(parts) == len(outcome_rows) and sum(num(p) for p in parts) != num(
                    table[form.T3_RESULTS_TOTAL][c]
                ):
                    return False
            if check_bal:
                need = (form.T3_NEW, form.T3_CARRIED_OVER, form.T3_RESULTS_TOTAL, form.T3_CARRIED_FORWARD)
                if all(n in table for n in need):
                    a, b, d, e = (num(table[n][c]) for n in need)
                    if a + b != d + e:
                        return False
        return True

    for check_sum, check_bal in ((True, True), (True, False), (False, True)):
        kept: dict[str, list[tuple[Value, ...]]] = {r: [] for r in open_rows}
        for combo in itertools.product(*(rows[r] for r in open_rows)):
            table = dict(fixed) | dict(zip(open_rows, combo, strict=True))
            if column_sums(table, check_sum, check_bal):
                for r, reading in zip(open_rows, combo, strict=True):
                    if reading not in kept[r]:
                        kept[r].append(reading)
        if all(kept.values()):
            return rows | kept
    return rows


def _read_t4(text: str, out: Tables) -> None:
    every = groups(text)
    tokens: list[str] = []
    if text.count("\n") > 2:
        for row in every[:3]:
            tokens += row
            if len(tokens) >= _T4_SHAPE.size:
                break
    elif every:
        tokens = every[0]
    if not tokens:
        return
    found, how = readings(tokens, _T4_SHAPE)
    if not found:
        out.notes.append(f"表四：原文「{' '.join(tokens)}」无法按栏目拆开，记为有歧义。")
    elif how == "joined":
        out.notes.append(f"表四：原文「{' '.join(tokens)}」中的空格不在数字之间，已忽略空格拆分。")
    for i, (group, column) in enumerate(_T4_COLS):
        out.cells[form.t4_cell(group, column)] = _settle([r[i] for r in found])
