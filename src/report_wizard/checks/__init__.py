"""Consistency checks (FORMAT.md "Rules a checker enforces"): pure functions from a Report to Findings, by family.
May import core and narrative; never the interview, the store, output or the front ends.

Tables are checked as printed (an imported report's declared totals win over computed ones); the narrative
is read through a small grammar of its sentences (grammar.py: numbers with their subject, negation, sums,
scope, a whole and its parts) into claims that text.py compares with the tables.
"""

from __future__ import annotations

from report_wizard.checks.coverage import (
    INCOMPLETE,
    Unchecked,
    Verdict,
    completeness_checks,
    cut_off,
    lower_bound_checks,
    unchecked,
    unreadable,
    verdict,
)
from report_wizard.checks.cross_year import cross_year_checks
from report_wizard.checks.findings import RULES, SECTION_ORDER, TITLE_SECTION, Finding, Level, Sheet, has_errors
from report_wizard.checks.structure import (
    blank_checks,
    label_checks,
    number_checks,
    overview_checks,
    printed_number_checks,
)
from report_wizard.checks.tables import table_checks, table_four_plausibility, table_two_checks
from report_wizard.checks.text import text_checks
from report_wizard.checks.typo import citation_checks, typo_checks
from report_wizard.core.model import Report

__all__ = [
    "INCOMPLETE",
    "RULES",
    "TITLE_SECTION",
    "Finding",
    "Level",
    "Unchecked",
    "Verdict",
    "has_errors",
    "run_checks",
    "unchecked",
    "unreadable",
    "verdict",
]


def run_checks(report: Report, previous: Report | None = None) -> list[Finding]:
    """Every finding about ``report``: errors first, then in the order of the report's sections."""
    sheet = Sheet(report)
    out: list[Finding] = []
    completeness_checks(report, out)
    table_two_checks(report, sheet, out)
    number_checks(sheet, out)
    printed_number_checks(report, out)
    table_checks(sheet, out)
    if previous is not None:
        cross_year_checks(report, sheet, previous, out)
    table_four_plausibility(sheet, out)
    blank_checks(sheet, out)
    text_checks(report, sheet, out)
    overview_checks(report, out)
    label_checks(report, out)
    typo_checks(report, out)
    citation_checks(report, out)
    absent = cut_off(report)
    if absent:  # sections the file stops before are one S-MISSING finding, not an empty section each
        out = [f for f in out if not (f.rule in ("S-EMPTY", "S-FEE") and f.section in absent)]
    if report.unknown:
        # An imported report's missing or ambiguous cells have no value: a rule that needs one is not run on
        # them (its finding would be about a 0 that nobody printed). The command line says how many there are.
        out = [f for f in out if not report.unknown.intersection(f.cells)]
        lower_bound_checks(report, sheet, out)
    out.sort(key=lambda f: (f.level != "error", SECTION_ORDER.get(f.section, len(SECTION_ORDER))))
    return out
