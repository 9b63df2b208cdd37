"""Narrative sections (一、五、六) in the interview: each starts with 「怎么写？」 — the paragraph library, the
clerk's own paragraphs typed one at a time, or nothing yet (text from elsewhere is kept).

Own paragraphs are stored as "<section>.paragraph.<n>" and an empty answer ends them; library questions are
in interview_library. This module names the rules the prompts use (NARRATIVE_* below, merged into the
engine's registries) and the ``live`` values of a question that depend on the paragraphs so far.
"""

from __future__ import annotations

from typing import Any

from report_wizard.core import form
from report_wizard.core.model import Block, QuestionId, Report, Session
from report_wizard.interview import library as lib
from report_wizard.interview.facts import Facts, Target
from report_wizard.interview.library import Rule
from report_wizard.narrative.paragraphs import section_paragraphs

MODES = ("library", "own", "skip")
LIBRARY, OWN, SKIP = MODES
NARRATIVE_CONTEXT: dict[str, str] = {
    "overview_points": "、".join(label for _, label in form.OVERVIEW_POINTS),
    # live values (see ``live``); empty where a question is not about them
    "point_name": "",
    "point_number": "",
    "edit_prompt": "",
    "edit_empty": "不改了",  # what an empty edit answer means (「不补充了」 for an addition)
    "section_text": "",
}


def paragraph_qid(section: str, n: int) -> QuestionId:
    return QuestionId(f"{section}.paragraph.{n}")


def mode_qid(section: str) -> QuestionId:
    return QuestionId(f"{section}.mode")


def own_start_qid(section: str) -> QuestionId:
    """Not a question: the section's text when the clerk switched to 自己写, the start of its first paragraph."""
    return QuestionId(f"{section}.own_start")


def keep_text_for_own(session: Session, report: Report, qid: str, mode: Any) -> None:
    """Switching a section to 自己写 starts from its current text instead of dropping it: its paragraphs as
    ``report`` prints them now become what the first paragraph question offers and edits."""
    section = qid.removesuffix(".mode")
    if qid != mode_qid(section) or section not in form.NARRATIVE_SECTIONS:
        return
    if mode != OWN or session.answers.get(mode_qid(section)) == OWN or paragraph_texts(session, section):
        return
    if printed := section_paragraphs(report, section):  # rendered only when the switch happens
        session.answers[own_start_qid(section)] = "\n".join(printed)


def paragraph_texts(session: Session, section: str) -> list[str]:
    """The section's paragraphs as answered: answers 1, 2, … up to the first empty or missing one."""
    texts: list[str] = []
    n = 1
    while isinstance(text := session.answers.get(paragraph_qid(section, n)), str) and text.strip():
        texts.append(text.strip())
        n += 1
    return texts


def paragraph_count(session: Session, section: str, b: dict[str, str]) -> int:
    """How many paragraphs come before the one asked (for 「已写 N 段」)."""
    return int(b.get("n", "1")) - 1


def _mode(facts: Facts, section: str) -> str | None:
    value = facts.answer(mode_qid(section))
    return value if value in MODES else None


def _made_here(session: Session, section: str) -> bool:
    """Whether the section's blocks came from this interview (typed paragraphs, or the library)."""
    mode = session.answers.get(mode_qid(section))
    if mode == SKIP:
        return False
    return mode in ("", LIBRARY) or bool(paragraph_texts(session, section))


def foreign_blocks(session: Session) -> dict[str, list[Block]]:
    """Blocks that were not made here (an imported report, the example)."""
    return {s: list(blocks) for s, blocks in session.narrative.items() if blocks and not _made_here(session, s)}


def rebuild(session: Session, section: str, foreign: dict[str, list[Block]]) -> None:
    """Set the section's blocks from the paragraphs typed; with none typed, back to what came from elsewhere.

    So an empty first answer (「先不写」) never wipes text the clerk did not type here.
    """
    texts = paragraph_texts(session, section)
    if texts:  # a pasted text of several paragraphs (one per line) becomes several paragraphs
        session.narrative[section] = [Block(text=part) for text in texts for part in split_paragraphs(text)]
    elif section in foreign:
        session.narrative[section] = list(foreign[section])
    else:
        session.narrative.pop(section, None)


def split_paragraphs(text: str) -> list[str]:
    """The paragraphs of a typed or pasted text: one per non-empty line (Word and WPS copy a paragraph as a line)."""
    return [line.strip() for line in text.splitlines() if line.strip()] or [text]


def paragraph_effect(facts: Facts, section: str, cells: tuple[str, ...], value: Any, defaulted: bool) -> None:
    rebuild(facts.session, section, facts.foreign_narrative)


def _mode_effect(facts: Facts, t: Target, value: str, defaulted: bool) -> None:
    facts.scratch.setdefault("narrative_built", set()).add(t.section)
    if value == LIBRARY:
        lib.start(facts, t.section)
    elif value == OWN:  # the paragraphs typed so far, else what came from elsewhere
        rebuild(facts.session, t.section, facts.foreign_narrative)
    elif t.section in facts.foreign_narrative:  # 先不写: text from elsewhere stays, typed answers are kept aside
        facts.session.narrative[t.section] = list(facts.foreign_narrative[t.section])
    else:
        facts.session.narrative.pop(t.section, None)


def finish_narrative(facts: Facts) -> None:
    """After a replay: a section whose mode is not answered keeps paragraphs typed earlier, or text from elsewhere."""
    built = facts.scratch.pop("narrative_built", set())
    for section in form.NARRATIVE_SECTIONS:
        if section not in built:
            rebuild(facts.session, section, facts.foreign_narrative)
    lib.finish(facts)


def _mode_default(section: str) -> Rule:
    def rule(facts: Facts, b: dict[str, str]) -> str | None:
        if paragraph_texts(facts.session, section):
            return OWN  # typed before the library existed
        return SKIP if section in facts.foreign_narrative else None

    return rule


def _own_start_default(section: str) -> Rule:
    """Enter on the first own paragraph keeps the text the section had when 自己写 was chosen."""
    return lambda facts, b: facts.answer(own_start_qid(section)) or None


def _in_mode(section: str, mode: str) -> Rule:
    return lambda facts, b: _mode(facts, section) == mode


# ---------------------------------------------------------------- expansions
def _more_keys(facts: Facts, b: dict[str, str], section: str) -> list[str]:
    written = len(paragraph_texts(facts.session, section))
    return [str(n) for n in range(2, written + 2)] if written else []


def _is_more_key(key: str) -> bool:
    return key.isdigit() and int(key) >= 2


def _edit_keys(facts: Facts, b: dict[str, str], section: str) -> list[str]:
    """Edit 1, and one more after each edit that was not 「不用改了」."""
    n = 1
    while facts.answer(f"{section}.edit.{n}") not in (None, lib.DONE):
        n += 1
    return [str(i) for i in range(1, n + 1)]


_POINTS = tuple(p for p, _ in form.OVERVIEW_POINTS)

# name -> (variable, keys, domain for validation, accepts) — see interview_rules.Each
NARRATIVE_EACH = {
    "more_paragraphs": ("n", _more_keys, lambda b: ("2", "3"), _is_more_key),
    "overview_points": ("point", lambda facts, b, section: list(_POINTS), lambda b: _POINTS, None),
    "edits": ("n", _edit_keys, lambda b: ("1", "2"), lambda key: key.isdigit() and int(key) >= 1),
}

# ---------------------------------------------------------------- rules named by prompts/overview|problems|other.toml
NARRATIVE_WHEN: dict[str, Any] = {
    **{f"{s}_{mode}": _in_mode(s, mode) for s in form.NARRATIVE_SECTIONS for mode in (LIBRARY, OWN)},
    **{f"{s}_edit_text": lib.edits_text(s) for s in form.NARRATIVE_SECTIONS},
    **{f"{s}_edit_number": lib.edits_number(s) for s in form.NARRATIVE_SECTIONS},
    **{f"{s}_edit_amount": lib.edits_amount(s) for s in form.NARRATIVE_SECTIONS},
    "overview_names_a_website": lambda facts, b: (
        _mode(facts, "overview") == LIBRARY and lib.names_a_website("overview")(facts, b)
    ),
    "wants_own_intro": lib.wants_own("overview", "intro"),
    "wants_own_point": lib.wants_own("overview"),
    "wants_own_other": lib.wants_own("other"),
    "problems_order": lambda facts, b: _mode(facts, "problems") == LIBRARY and lib.has_order(facts, b),
}
NARRATIVE_DEFAULTS: dict[str, Any] = {
    **{f"{s}_mode": _mode_default(s) for s in form.NARRATIVE_SECTIONS},
    **{f"{s}_edit_number": lib.number_default(s) for s in form.NARRATIVE_SECTIONS},
    **{f"{s}_own_start": _own_start_default(s) for s in form.NARRATIVE_SECTIONS},
    "suggested_intro": lib.suggested("overview", "intro"),
    "suggested_point": lib.suggested("overview"),
    "suggested_other": lib.suggested("other"),
    "overview_website": lib.website_default("overview"),
    "suggested_problems": lib.problems_default,
    "suggested_measures": lib.measures_default,
    "problems_order": lib.order_default,
}
# Choice lists that depend on the agency kind and the answers before them: computed where the question
# sits in the flow (``live``); the registry entries only give the names (no list without a session).
_LIVE_CHOICES = {
    "library_intro": lib.pick_choices,
    "library_point": lib.pick_choices,
    "library_other": lib.pick_choices,
    "library_problems": lib.problem_choices,
    "library_measures": lib.measure_choices,
    "edit_targets": lib.edit_choices,
    "order_targets": lib.order_choices,
}
NARRATIVE_CHOICES: dict[str, Any] = {name: (lambda b: []) for name in _LIVE_CHOICES}
NARRATIVE_VALIDATORS: dict[str, Any] = {"one_of_each_alternative": lib.one_of_each_alternative}


def _paragraph(facts: Facts, t: Target, value: Any, defaulted: bool) -> None:
    paragraph_effect(facts, t.section, t.cells, value, defaulted)


NARRATIVE_EFFECTS: dict[str, Any] = {
    "narrative.mode": _mode_effect,
    "narrative.pick": lib.pick_effect,
    "narrative.own": lib.own_effect,
    "narrative.problems": lib.problems_effect,
    "narrative.measures": lib.measures_effect,
    "narrative.order": lib.order_effect,
    "narrative.edit": lib.edit_effect,
    "narrative.edit_text": lib.edit_text_effect,
    "narrative.edit_number": lib.edit_number_effect,
    "narrative.website": lib.website_effect,
}
_EDIT_EFFECTS = frozenset({"narrative.edit_text", "narrative.edit_number"})


def live(facts: Facts, q: Any, b: dict[str, str]) -> tuple[list[tuple[str, str]] | None, dict[str, Any]]:
    """A question's choices (None: its static ones) and text values, as they stand where it is asked."""
    if q.section not in form.NARRATIVE_SECTIONS:
        return None, {}
    rule = _LIVE_CHOICES.get(q.choices_from)
    choices = rule(facts, q.section, b) if rule else None
    here: dict[str, Any] = {}
    if "point" in b:
        here |= lib.point_context(b)
    if q.effect == "paragraph" and "n" not in b and not facts.answered(q.id):
        start = facts.answer(own_start_qid(q.section))
        if isinstance(start, str) and start:
            here["prefill"] = start  # the text the section had, to edit rather than retype
    if q.effect in _EDIT_EFFECTS:
        here |= lib.edit_context(facts, q.section, b)
    elif q.effect == "narrative.edit":
        here |= lib.section_context(facts, q.section)
    return choices, here
