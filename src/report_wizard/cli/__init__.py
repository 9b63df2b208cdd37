"""The command line (``report-wizard …``) and the plain line-by-line interview.
May import every layer; imports the TUI only when it opens it."""

from report_wizard.cli.main import main

__all__ = ["main"]
