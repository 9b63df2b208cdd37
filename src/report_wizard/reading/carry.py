"""A new year's session started from last year's (``new --from``): what carries over, and how.

上年结转 per column is last year's 结转下年度 (provenance CARRIED: shown and confirmable); last year's 现行有效
is offered as the stock; last year's own text is offered as a starting point with its years moved on, and its
improvement measures as this year's 「上年改进措施落实情况」. Cells last year's source did not settle (missing or
ambiguous) carry nothing.
"""

from __future__ import annotations

import re

from report_wizard.core import form
from report_wizard.core.model import Block, Meta, Provenance, QuestionId, Session

_YEAR = re.compile(r"(20\d\d)(\s*)(年)")
# Where the measures begin in a paragraph that states the problems first.
_MEASURES = re.compile(r"下一步|针对(?:上述|存在的?)?问题|改进措施|(?<![^\s。；：])一是")


def move_years_on(text: str, last_year: int) -> str:
    """「2023年」 → 「2024年」 for the years a report speaks of as its own (last year, the one before, the next)."""

    def shift(match: re.Match[str]) -> str:
        year = int(match.group(1))
        if last_year - 1 <= year <= last_year + 1:
            return f"{year + 1}{match.group(2)}{match.group(3)}"
        return match.group()

    return _YEAR.sub(shift, text)


def _measures(blocks: list[Block]) -> list[str]:
    """Last year's improvement measures: blocks tagged so, else the text from where the measures begin."""
    tagged = [b.text for b in blocks if b.text and b.role in ("measure", "measures_intro")]
    if tagged:
        return tagged
    texts = [b.text for b in blocks if b.text]
    for i, text in enumerate(texts):
        match = _MEASURES.search(text)
        if match:
            return [text[match.start() :], *texts[i + 1 :]]
    return texts[1:] if len(texts) > 1 else texts


def next_year_session(previous: Session, year: int) -> Session:
    last = previous.meta
    meta = Meta(agency=last.agency, agency_kind=last.agency_kind, superior=last.superior, year=year)
    session = Session(meta=meta)
    session.answers.update(
        {
            QuestionId("basics.agency"): last.agency,
            QuestionId("basics.agency_kind"): last.agency_kind,
            QuestionId("basics.year"): year,
        }
    )
    if last.superior:
        session.answers[QuestionId("basics.superior")] = last.superior
    unknown = previous.unknown_cells()
    for column in form.T3_PART_COLUMNS:
        there = form.t3_cell(form.T3_CARRIED_FORWARD, column)
        if there in unknown:
            continue
        here = form.t3_cell(form.T3_CARRIED_OVER, column)
        session.cells[here] = previous.cells.get(there, 0)
        session.sources[here] = Provenance.CARRIED
    for row in form.T2_BLOCKS[0].rows:
        stock = form.t2_cell(row.id, "in_force")
        if stock in unknown or stock not in previous.cells:
            continue
        session.cells[stock] = previous.cells[stock]
        session.sources[stock] = Provenance.CARRIED
    for section in ("overview", "other"):
        blocks = [
            Block(text=move_years_on(b.text, last.year), role=b.role) if b.text else b.model_copy()
            for b in previous.narrative.get(section, [])
        ]
        if blocks:
            session.narrative[section] = blocks
    measures = _measures(previous.narrative.get("problems", []))
    if measures:
        session.narrative["problems"] = [Block(text=move_years_on(t, last.year), role="review") for t in measures]
    return session
