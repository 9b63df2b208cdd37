"""The one module that knows where prompts/, templates/ and sessions/ live.

In an installed wheel the folders are inside the package (hatch force-include); in a checkout or an
editable install they sit at the repository root, so the package is tried first, then the root.
"""

from __future__ import annotations

import os
from functools import cache
from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent.parent  # report_wizard/, this file being in report_wizard/core/
CHECKOUT_ROOT = PACKAGE_DIR.parent.parent
EXAMPLE_SESSION_NAME = "example-xidajie-2023.toml"


def _data_dir(name: str) -> Path:
    for candidate in (PACKAGE_DIR / name, CHECKOUT_ROOT / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"找不到程序自带的 {name} 文件夹（安装可能不完整）")


@cache
def prompts_dir() -> Path:
    return _data_dir("prompts")


@cache
def templates_dir() -> Path:
    return _data_dir("templates")


def phrases_dir() -> Path:
    return templates_dir() / "phrases"


@cache
def builtin_sessions_dir() -> Path:
    """Where the shipped example session lives (read-only use: the app opens copies of it)."""
    return _data_dir("sessions")


def example_session() -> Path:
    return builtin_sessions_dir() / EXAMPLE_SESSION_NAME


def sessions_dir() -> Path:
    """Where the clerk's sessions are saved: $REPORT_WIZARD_SESSIONS, else ./sessions."""
    return Path(os.environ.get("REPORT_WIZARD_SESSIONS") or "sessions").resolve()
