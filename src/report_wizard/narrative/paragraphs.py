"""Narrative sections (一、五、六): turn a section's blocks into printed paragraphs, numbering them by role.

Clerk text is inserted verbatim (never compiled as a template); one block may hold several paragraphs
separated by newlines. Library phrases are expanded by phrases.py with the report's values.

Block roles and how they print (any other role, including "", prints its paragraphs as they are):
- 一 overview: "intro" as is; a point role (proactive, on_request, management, platforms, supervision):
  the first block of each point gets the heading 「（一）主动公开。」 (numbered in order of appearance;
  only 「（一）」 when the text already starts with the point's label); later blocks of that point as is.
- 五 problems: "review" and "measures_intro" as is; "problems_intro" opens a paragraph and every following
  "problem" is appended to it as 「一是……。二是……。」; each "measure" is its own paragraph 「一是……」,
  numbered separately. Numbering a clerk typed (一是、（一）、1. …) is replaced, not doubled.
- 六 other: "fee", "work_points", "proposals", "other" as is.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from report_wizard.core import form
from report_wizard.core.model import Block, Report
from report_wizard.core.numerals import chinese_numeral

if TYPE_CHECKING:  # the library (Jinja2 sandbox) loads only when a phrase is used: clerk text needs none of it
    from report_wizard.narrative.phrases import Library, Phrase

ROLE_INTRO = "intro"
ROLE_REVIEW = "review"
ROLE_PROBLEMS_INTRO = "problems_intro"
ROLE_PROBLEM = "problem"
ROLE_MEASURES_INTRO = "measures_intro"
ROLE_MEASURE = "measure"
OVERVIEW_POINT_LABEL = dict(form.OVERVIEW_POINTS)

# Leading numbering a clerk may have typed: 一是 / 第一， / （一） / (1) / 一、 / 1. / 1、 (not 1.5).
_ORDINAL = re.compile(
    r"^(?:[一二三四五六七八九十百]+是|第[一二三四五六七八九十百]+(?=[，,、：:])|[（(](?:[一二三四五六七八九十]+|\d+)[）)]"
    r"|[一二三四五六七八九十百]+、|\d+[.．、](?!\d))[\s，,、：:]*"
)
_SENTENCE_END = re.compile(r"[。！？；!?;…][”’」』）)]?$")
_INTRO_END = "：:。，,；;！？!?"


def strip_ordinal(text: str) -> str:
    """Text without the numbering it starts with: 「二是加强培训」 → 「加强培训」."""
    return _ORDINAL.sub("", text.strip(), count=1)


def numbered(text: str, n: int) -> str:
    """「一是……」 numbering (十一是 beyond ten), replacing any numbering the text already has."""
    return f"{chinese_numeral(n)}是{strip_ordinal(text)}"


def _lib(library: Library | None) -> Library:
    from report_wizard.narrative import phrases

    return library if library is not None else phrases.library()


def block_paragraphs(
    block: Block, report: Report, library: Library | None = None, context: dict[str, Any] | None = None
) -> list[str]:
    """A block's paragraphs before numbering: clerk lines verbatim, or the expanded phrase (``context``: the
    report's phrase values, when the caller has them already)."""
    if block.phrase:
        from report_wizard.narrative.phrases import report_context

        return _lib(library).expand(block.phrase, context or report_context(report), block.params)
    return [line.strip() for line in block.text.splitlines() if line.strip()]


def phrase_text(block: Block, report: Report, library: Library | None = None) -> str:
    """A block as it would print, without numbering (for previews in the picker)."""
    return "\n".join(block_paragraphs(block, report, library))


def section_paragraphs(report: Report, section: str, library: Library | None = None) -> list[str]:
    """The printed paragraphs of a narrative section, in order, numbered by role."""
    out: list[str] = []
    open_problems: str | None = None  # the paragraph problems are being appended to
    n_problem = n_measure = n_point = 0
    headed: set[str] = set()
    context: dict[str, Any] | None = None  # computed once, at the first library block
    for block in report.narrative.get(section, []):
        if block.phrase and context is None:
            from report_wizard.narrative.phrases import report_context

            context = report_context(report)
        paras = block_paragraphs(block, report, library, context)
        if block.role == ROLE_PROBLEM:
            body = "".join(strip_ordinal(p) for p in paras)
            if body:
                n_problem += 1
                body = body if _SENTENCE_END.search(body) else body + "。"
                open_problems = (open_problems or "") + numbered(body, n_problem)
            continue
        if open_problems is not None:
            out.append(open_problems)
            open_problems = None
        if not paras:
            continue
        if block.role == ROLE_PROBLEMS_INTRO:
            out.extend(paras[:-1])
            last = paras[-1]
            open_problems = last if last[-1] in _INTRO_END else last + "："
            continue
        if block.role == ROLE_MEASURE:
            n_measure += 1
            paras = [numbered(paras[0], n_measure), *paras[1:]]
        elif section == "overview" and block.role in OVERVIEW_POINT_LABEL and block.role not in headed:
            headed.add(block.role)
            n_point += 1
            label = OVERVIEW_POINT_LABEL[block.role]
            body = strip_ordinal(paras[0])
            head = f"（{chinese_numeral(n_point)}）" + ("" if body.startswith(label) else f"{label}。")
            paras = [head + body, *paras[1:]]
        out.extend(paras)
    if open_problems is not None:
        out.append(open_problems)
    return out


def section_text(report: Report, section: str) -> str:
    """A section as one string (for checks that read the text)."""
    return "\n".join(section_paragraphs(report, section))


# ---------------------------------------------------------------- pickers for the interview
def section_options(section: str, role: str, kind: str, library: Library | None = None) -> list[Phrase]:
    """Phrases of one role (e.g. problems_intro, measures_intro, review, intro) fitting the agency kind."""
    return _lib(library).options(section, role, kind)


def problems_catalogue(kind: str, library: Library | None = None) -> list[Phrase]:
    return _lib(library).options("problems", ROLE_PROBLEM, kind)


def measures_for(problem_id: str, library: Library | None = None) -> list[Phrase]:
    """The improvement measures linked to a problem, in the problem's order."""
    lib = _lib(library)
    return [lib.get(m) for m in lib.get(problem_id).measures]


def overview_options(point: str, kind: str, library: Library | None = None) -> list[Phrase]:
    return _lib(library).options("overview", point, kind)


def other_options(kind: str, library: Library | None = None) -> list[Phrase]:
    return _lib(library).options("other", None, kind)


def _blocks(items: list[Phrase]) -> list[Block]:
    return [Block(phrase=p.id, role=p.role) for p in items]


def suggest_section(report: Report, section: str, library: Library | None = None) -> list[Block]:
    """A sensible default set of blocks for a new session: the phrases marked ``suggest`` for its kind.

    Parameters are left to their defaults (the picker can show them via Library.effective_params).
    """
    lib = _lib(library)
    kind = report.meta.agency_kind

    def suggested(role: str) -> list[Phrase]:
        return [p for p in lib.options(section, role, kind) if p.suggest]

    if section == "overview":
        return _blocks([p for role in (ROLE_INTRO, *OVERVIEW_POINT_LABEL) for p in suggested(role)])
    if section == "problems":
        problems = suggested(ROLE_PROBLEM)
        measures: list[Phrase] = []
        for problem in problems:
            fitting = [m for m in measures_for(problem.id, lib) if m.fits(kind) and m not in measures]
            measures.extend(fitting[:1])
        return _blocks([*suggested(ROLE_PROBLEMS_INTRO), *problems, *suggested(ROLE_MEASURES_INTRO), *measures])
    if section == "other":
        return _blocks([p for p in lib.options(section, None, kind) if p.suggest])
    raise ValueError(f"not a narrative section: {section!r}")


# ---------------------------------------------------------------- S-COPY
# Copying is measured as the share of this year's characters that lie inside some run of COPY_NGRAM
# characters also found in last year's text (whitespace removed, digits folded to 0 so that a text
# copied with only the year or counts changed still counts as copied). Unlike difflib.SequenceMatcher
# this is insensitive to reordered paragraphs; 10 characters is long enough that shared vocabulary
# such as 「政府信息公开申请」 (8) alone does not count as copying.
COPY_NGRAM = 10
COPY_THRESHOLD = 0.5
COPY_MIN_CHARS = 40  # shorter sections (a one-line fee sentence) are expected to repeat
_FOLD_DIGITS = str.maketrans("123456789１２３４５６７８９０", "0" * 19)


def _normalise(text: str) -> str:
    return re.sub(r"\s+", "", text).translate(_FOLD_DIGITS)


def copy_ratio(this_text: str, last_text: str, n: int = COPY_NGRAM) -> float:
    """Share (0..1) of this year's text that also appears in last year's, by n-character runs."""
    this, last = _normalise(this_text), _normalise(last_text)
    if not this:
        return 0.0
    if len(this) < n:
        return 1.0 if this in last else 0.0
    grams = {last[i : i + n] for i in range(len(last) - n + 1)}
    covered = bytearray(len(this))
    for i in range(len(this) - n + 1):
        if this[i : i + n] in grams:
            covered[i : i + n] = b"\x01" * n
    return sum(covered) / len(this)


def s_copy_findings(
    report: Report, previous_report: Report, threshold: float = COPY_THRESHOLD, min_chars: int = COPY_MIN_CHARS
) -> list[tuple[str, float]]:
    """(section id, ratio) for each narrative section copied above ``threshold`` from last year's report."""
    found = []
    for section in form.NARRATIVE_SECTIONS:
        this = section_text(report, section)
        if len(_normalise(this)) < min_chars:
            continue
        ratio = copy_ratio(this, section_text(previous_report, section))
        if ratio > threshold:
            found.append((section, ratio))
    return found
