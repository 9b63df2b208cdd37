"""Shared fixtures: paths of the fixtures and a throwaway sessions folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import FIXTURES, ROOT  # noqa: F401  (re-exported for fixtures)


@pytest.fixture
def sessions_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "sessions"
    folder.mkdir()
    monkeypatch.setenv("REPORT_WIZARD_SESSIONS", str(folder))
    return folder
