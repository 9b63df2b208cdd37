"""Narrative sections (一、五、六): turn a section's blocks into the paragraphs the report prints.

Clerk text is inserted verbatim (never compiled as a template); one block may hold several
paragraphs separated by newlines.
"""

from __future__ import annotations

from .model import Block, Report


def block_paragraphs(block: Block, report: Report) -> list[str]:
    if block.phrase:
        raise NotImplementedError("paragraph library not built yet")
    return [line.strip() for line in block.text.splitlines() if line.strip()]


def section_paragraphs(report: Report, section: str) -> list[str]:
    """The printed paragraphs of a narrative section, in order."""
    paragraphs: list[str] = []
    for block in report.narrative.get(section, []):
        paragraphs.extend(block_paragraphs(block, report))
    return paragraphs


def section_text(report: Report, section: str) -> str:
    """A section as one string (for checks that read the text)."""
    return "\n".join(section_paragraphs(report, section))
