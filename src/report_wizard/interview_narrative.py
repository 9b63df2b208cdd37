"""Narrative sections (一、五、六) in the interview: the clerk's own paragraphs, typed one at a time.

Kept apart so a paragraph library can replace it: prompts name only the expansion "more_paragraphs" and
the effect "paragraph"; answers are stored as "<section>.paragraph.<n>" and an empty answer ends a section.
"""

from __future__ import annotations

from typing import Any

from . import form
from .model import Block, Session

NARRATIVE_CONTEXT: dict[str, str] = {"overview_points": "、".join(label for _, label in form.OVERVIEW_POINTS)}


def paragraph_qid(section: str, n: int) -> str:
    return f"{section}.paragraph.{n}"


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


def _more_keys(facts: Any, b: dict[str, str], section: str) -> list[str]:
    written = len(paragraph_texts(facts.session, section))
    return [str(n) for n in range(2, written + 2)] if written else []


def _is_more_key(key: str) -> bool:
    return key.isdigit() and int(key) >= 2


# name -> (variable, keys, domain for validation, accepts) — see interview_rules.Each
NARRATIVE_EACH = {"more_paragraphs": ("n", _more_keys, lambda b: ("2", "3"), _is_more_key)}


def foreign_blocks(session: Session) -> dict[str, list[Block]]:
    """Blocks that were not typed here (an imported report, the example, the paragraph library)."""
    return {s: list(blocks) for s, blocks in session.narrative.items() if blocks and not paragraph_texts(session, s)}


def rebuild(session: Session, section: str, foreign: dict[str, list[Block]]) -> None:
    """Set the section's blocks from the paragraphs typed; with none typed, back to what came from elsewhere.

    So an empty first answer (「先不写」) never wipes text the clerk did not type here.
    """
    texts = paragraph_texts(session, section)
    if texts:
        session.narrative[section] = [Block(text=text) for text in texts]
    elif section in foreign:
        session.narrative[section] = list(foreign[section])
    else:
        session.narrative.pop(section, None)


def paragraph_effect(facts: Any, section: str, cells: tuple[str, ...], value: Any, defaulted: bool) -> None:
    rebuild(facts.session, section, facts.foreign_narrative)
