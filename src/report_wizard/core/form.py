"""The official report format (国办公开办函〔2021〕30号) as data: sections, tables, labels, cell ids.

Every label lives here and only here, character for character as in FORMAT.md.
Cell ids are stable strings: ``t2.<row>.<column>``, ``t3.<row>.<column>``, ``t4.<group>.<column>``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NewType

# A cell id such as "t3.results.granted.natural_person": typed apart from other strings so a question id or
# a label cannot be passed where a cell is meant (mypy).
CellId = NewType("CellId", str)

FORMAT_BASIS = "国办公开办函〔2021〕30号"


@dataclass(frozen=True)
class Section:
    id: str
    heading: str
    narrative: bool


SECTIONS: tuple[Section, ...] = (
    Section("overview", "一、总体情况", True),
    Section("proactive", "二、主动公开政府信息情况", False),
    Section("requests", "三、收到和处理政府信息公开申请情况", False),
    Section("review_litigation", "四、政府信息公开行政复议、行政诉讼情况", False),
    Section("problems", "五、存在的主要问题及改进情况", True),
    Section("other", "六、其他需要报告的事项", True),
)
SECTION_BY_ID = {s.id: s for s in SECTIONS}
NARRATIVE_SECTIONS = tuple(s.id for s in SECTIONS if s.narrative)

# The five points an overview must cover (S-OVERVIEW), in the official order.
OVERVIEW_POINTS: tuple[tuple[str, str], ...] = (
    ("proactive", "主动公开"),
    ("on_request", "依申请公开"),
    ("management", "政府信息管理"),
    ("platforms", "政府信息公开平台建设"),
    ("supervision", "监督保障"),
)


# ---------------------------------------------------------------- table 二
@dataclass(frozen=True)
class T2Row:
    id: str
    label: str


@dataclass(frozen=True)
class T2Block:
    id: str
    title: str
    columns: tuple[tuple[str, str], ...]  # (column id, label); the 信息内容 column is implicit
    rows: tuple[T2Row, ...]
    money: bool = False  # amounts in 万元, decimals allowed


T2_CONTENT_LABEL = "信息内容"
T2_BLOCKS: tuple[T2Block, ...] = (
    T2Block(
        "item1",
        "第二十条第（一）项",
        (("issued", "本年制发件数"), ("abolished", "本年废止件数"), ("in_force", "现行有效件数")),
        (T2Row("regulations", "规章"), T2Row("normative_documents", "行政规范性文件")),
    ),
    T2Block("item5", "第二十条第（五）项", (("decisions", "本年处理决定数量"),), (T2Row("permits", "行政许可"),)),
    T2Block(
        "item6",
        "第二十条第（六）项",
        (("decisions", "本年处理决定数量"),),
        (T2Row("penalties", "行政处罚"), T2Row("enforcement", "行政强制")),
    ),
    T2Block(
        "item8",
        "第二十条第（八）项",
        (("amount", "本年收费金额（单位：万元）"),),
        (T2Row("fees", "行政事业性收费"),),
        money=True,
    ),
)


def t2_cell(row: str, column: str) -> CellId:
    return CellId(f"t2.{row}.{column}")


T2_CELLS: tuple[CellId, ...] = tuple(t2_cell(r.id, c) for b in T2_BLOCKS for r in b.rows for c, _ in b.columns)
T2_MONEY_CELLS = frozenset(t2_cell(r.id, c) for b in T2_BLOCKS if b.money for r in b.rows for c, _ in b.columns)


# ---------------------------------------------------------------- table 三
T3_NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
T3_APPLICANT_HEADER = "申请人情况"
T3_LEGAL_PERSONS_HEADER = "法人或其他组织"

# (id, label, short code from FORMAT.md)
T3_COLUMNS: tuple[tuple[str, str, str], ...] = (
    ("natural_person", "自然人", "NP"),
    ("commercial", "商业企业", "CE"),
    ("research", "科研机构", "RI"),
    ("public_interest", "社会公益组织", "PW"),
    ("legal_services", "法律服务机构", "LS"),
    ("other_org", "其他", "OT"),
    ("total", "总计", "TOT"),
)
T3_PART_COLUMNS: tuple[str, ...] = tuple(c for c, _, _ in T3_COLUMNS if c != "total")
T3_COLUMN_LABEL = {c: label for c, label, _ in T3_COLUMNS}
# How a column is named in a sentence: the five organisation columns are under 法人或其他组织.
T3_COLUMN_NAME = {
    "natural_person": "自然人",
    "commercial": "商业企业",
    "research": "科研机构",
    "public_interest": "社会公益组织",
    "legal_services": "法律服务机构",
    "other_org": "其他法人或其他组织",
    "total": "总计",
}


@dataclass(frozen=True)
class T3Group:
    id: str
    label: str
    items: tuple[tuple[str, str], ...]  # (item id, label); empty: the group is itself one row


T3_NEW = "new_requests"
T3_CARRIED_OVER = "carried_over"
T3_RESULTS_TOTAL = "results.total"
T3_CARRIED_FORWARD = "carried_forward"

T3_TOP_LABELS = {
    T3_NEW: "一、本年新收政府信息公开申请数量",
    T3_CARRIED_OVER: "二、上年结转政府信息公开申请数量",
    "results": "三、本年度办理结果",
    T3_CARRIED_FORWARD: "四、结转下年度继续办理",
}
T3_RESULT_GROUPS: tuple[T3Group, ...] = (
    T3Group("disclosed", "（一）予以公开", ()),
    T3Group("partly_disclosed", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", ()),
    T3Group(
        "denied",
        "（三）不予公开",
        (
            ("state_secret", "1.属于国家秘密"),
            ("prohibited_by_law", "2.其他法律行政法规禁止公开"),
            ("three_safeties", "3.危及“三安全一稳定”"),
            ("third_party", "4.保护第三方合法权益"),
            ("internal_affairs", "5.属于三类内部事务信息"),
            ("process_info", "6.属于四类过程性信息"),
            ("enforcement_file", "7.属于行政执法案卷"),
            ("inquiry", "8.属于行政查询事项"),
        ),
    ),
    T3Group(
        "unable",
        "（四）无法提供",
        (
            ("not_held", "1.本机关不掌握相关政府信息"),
            ("needs_creation", "2.没有现成信息需要另行制作"),
            ("unclear", "3.补正后申请内容仍不明确"),
        ),
    ),
    T3Group(
        "not_processed",
        "（五）不予处理",
        (
            ("petition", "1.信访举报投诉类申请"),
            ("repeated", "2.重复申请"),
            ("publication", "3.要求提供公开出版物"),
            ("abusive", "4.无正当理由大量反复申请"),
            ("confirmation", "5.要求行政机关确认或重新出具已获取信息"),
        ),
    ),
    T3Group(
        "other",
        "（六）其他处理",
        (
            ("no_correction", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"),
            ("fee_unpaid", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"),
            ("other", "3.其他"),
        ),
    ),
)
T3_RESULTS_TOTAL_LABEL = "（七）总计"


@dataclass(frozen=True)
class T3Row:
    id: str  # e.g. "results.denied.state_secret"
    label: str  # the row's own label (sub-row label for items)
    group: T3Group | None = None  # set for rows under 三、本年度办理结果


def _t3_rows() -> tuple[T3Row, ...]:
    rows = [T3Row(T3_NEW, T3_TOP_LABELS[T3_NEW]), T3Row(T3_CARRIED_OVER, T3_TOP_LABELS[T3_CARRIED_OVER])]
    for group in T3_RESULT_GROUPS:
        if not group.items:
            rows.append(T3Row(f"results.{group.id}", group.label, group))
        for item, label in group.items:
            rows.append(T3Row(f"results.{group.id}.{item}", label, group))
    rows.append(T3Row(T3_RESULTS_TOTAL, T3_RESULTS_TOTAL_LABEL))
    rows.append(T3Row(T3_CARRIED_FORWARD, T3_TOP_LABELS[T3_CARRIED_FORWARD]))
    return tuple(rows)


T3_ROWS: tuple[T3Row, ...] = _t3_rows()
T3_ROW_BY_ID = {r.id: r for r in T3_ROWS}
# The 21 outcome rows that add up to （七）总计 (予以公开, 部分公开 and the 19 sub-rows of （三）–（六）).
T3_OUTCOME_ROWS: tuple[str, ...] = tuple(r.id for r in T3_ROWS if r.group is not None)


def t3_cell(row: str, column: str) -> CellId:
    return CellId(f"t3.{row}.{column}")


def t3_row_name(row: str) -> str:
    """The row as a clerk would name it in a sentence, e.g. 「（三）不予公开 1.属于国家秘密」."""
    r = T3_ROW_BY_ID[row]
    if r.group is not None and r.group.items:
        return f"{r.group.label} {r.label}"
    return r.label


T3_CELLS: tuple[CellId, ...] = tuple(t3_cell(r.id, c) for r in T3_ROWS for c, _, _ in T3_COLUMNS)
# Cells a clerk enters; totals are computed.
T3_INPUT_CELLS: tuple[CellId, ...] = tuple(
    t3_cell(r.id, c) for r in T3_ROWS if r.id != T3_RESULTS_TOTAL for c in T3_PART_COLUMNS
)


# ---------------------------------------------------------------- table 四
T4_REVIEW_HEADER = "行政复议"
T4_LITIGATION_HEADER = "行政诉讼"
T4_GROUPS: tuple[tuple[str, str], ...] = (
    ("review", "行政复议"),
    ("lawsuit_direct", "未经复议直接起诉"),
    ("lawsuit_after_review", "复议后起诉"),
)
T4_GROUP_LABEL = dict(T4_GROUPS)
T4_GROUP_NAME = {
    "review": "行政复议",
    "lawsuit_direct": "行政诉讼（未经复议直接起诉）",
    "lawsuit_after_review": "行政诉讼（复议后起诉）",
}
T4_COLUMNS: tuple[tuple[str, str], ...] = (
    ("upheld", "结果维持"),
    ("corrected", "结果纠正"),
    ("other", "其他结果"),
    ("pending", "尚未审结"),
    ("total", "总计"),
)
T4_PART_COLUMNS: tuple[str, ...] = tuple(c for c, _ in T4_COLUMNS if c != "total")
T4_COLUMN_LABEL = dict(T4_COLUMNS)


def t4_cell(group: str, column: str) -> CellId:
    return CellId(f"t4.{group}.{column}")


T4_CELLS: tuple[CellId, ...] = tuple(t4_cell(g, c) for g, _ in T4_GROUPS for c, _ in T4_COLUMNS)
T4_INPUT_CELLS: tuple[CellId, ...] = tuple(t4_cell(g, c) for g, _ in T4_GROUPS for c in T4_PART_COLUMNS)

ALL_CELLS: tuple[CellId, ...] = T2_CELLS + T3_CELLS + T4_CELLS
INPUT_CELLS: tuple[CellId, ...] = T2_CELLS + T3_INPUT_CELLS + T4_INPUT_CELLS
TOTAL_CELLS: frozenset[CellId] = frozenset(ALL_CELLS) - frozenset(INPUT_CELLS)
ALL_CELL_SET = frozenset(ALL_CELLS)


def cell_name(cell: CellId) -> str:
    """A cell as named in a Chinese sentence, e.g. 「表三 （一）予以公开 自然人」."""
    table, rest = cell.split(".", 1)
    head, column = rest.rsplit(".", 1)
    if table == "t2":
        for block in T2_BLOCKS:
            for row in block.rows:
                if row.id == head:
                    return f"表二 {row.label} {dict(block.columns)[column]}"
    if table == "t3":
        return f"表三 {t3_row_name(head)} {T3_COLUMN_NAME[column]}"
    if table == "t4":
        return f"表四 {T4_GROUP_NAME[head]} {T4_COLUMN_LABEL[column]}"
    raise KeyError(cell)


# ---------------------------------------------------------------- agencies
AGENCY_KINDS: tuple[tuple[str, str], ...] = (
    ("subdistrict", "街道/乡镇"),
    ("county_government", "县区人民政府"),
    ("county_department", "县区政府部门"),
    ("city_government", "市级人民政府"),
    ("city_department", "市级部门"),
    ("provincial", "省级及以上"),
)
AGENCY_KIND_LABEL = dict(AGENCY_KINDS)
# 规章 are made only by 国务院部门, 省级 and 设区的市 governments (T2-SCOPE).
KINDS_THAT_MAKE_REGULATIONS = frozenset({"city_government", "provincial"})
# 人民政府 reports carry the extra items of 第五十条 and section 六. A 街道办事处 is an agency of the
# county government, not a government itself, so 街道/乡镇 reports (like the seed) leave them out.
GOVERNMENT_KINDS = frozenset({"county_government", "city_government", "provincial"})
