"""Consistency checks (FORMAT.md's rules): pure functions from a Report to Findings, by family.
May import core and narrative; never the interview, the store, output or the front ends."""

from report_wizard.checks.engine import RULES, TITLE_SECTION, Finding, Level, has_errors, run_checks

__all__ = ["RULES", "TITLE_SECTION", "Finding", "Level", "has_errors", "run_checks"]
