"""One small error hierarchy; every message is Chinese and meant for the clerk."""

from __future__ import annotations


class WizardError(Exception):
    """Base of every error a clerk may read. ``str(error)`` is the Chinese message."""


class SessionFileError(WizardError):
    """A session file is missing, damaged or from a newer version; the file is left untouched."""


class SessionLockedError(WizardError):
    """Another window already has this session open."""


class DataFileError(WizardError):
    """A shipped data file (prompts, phrases, templates) is invalid: a bug, caught at start-up."""
