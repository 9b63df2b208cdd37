"""The rules of the house, enforced where CI runs them: layers import downward only (import-linter), the
domain is strictly typed (mypy with the pydantic plugin), and the code is lint- and format-clean (ruff).

Each runs as the developer would run it, from pyproject.toml's own configuration.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from helpers import ROOT

BIN = Path(sys.executable).parent


def run(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, timeout=300)


def tool(name: str) -> str:
    path = BIN / name
    if not path.exists():  # installed elsewhere on PATH
        found = shutil.which(name)
        if found is None:
            pytest.fail(f"{name} is not installed: pip install -e '.[test]'")
        return found
    return str(path)


def test_layers_import_downward_only() -> None:
    result = run(tool("lint-imports"), "--no-cache")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "BROKEN" not in result.stdout and result.stdout.count("KEPT") == 3


def test_the_domain_is_strictly_typed() -> None:
    result = run(sys.executable, "-m", "mypy", "--no-error-summary")
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_check_is_clean() -> None:
    result = run(tool("ruff"), "check", "src", "tests", "bench")
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format_is_clean() -> None:
    result = run(tool("ruff"), "format", "--check", "src", "tests", "bench")
    assert result.returncode == 0, result.stdout + result.stderr


def test_test_modules_share_code_only_through_helpers() -> None:
    """A test module importing another runs the other's module-level code and hides where a helper lives."""
    offenders = []
    for path in sorted((ROOT / "tests").glob("*.py")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            stripped = line.strip()
            if stripped.startswith(("from test_", "import test_", "from conftest ", "import conftest")):
                offenders.append(f"{path.name}:{number}: {stripped}")
    assert not offenders, "import shared test code from tests/helpers.py:\n" + "\n".join(offenders)


def test_ids_and_states_are_types_not_bare_strings() -> None:
    """Cell ids and question ids are NewTypes the checker tells apart from other strings; a section's state is
    an enum whose values are ids, with the Chinese word only as its label."""
    from report_wizard.core.form import CellId, t3_cell
    from report_wizard.core.model import QuestionId, Session
    from report_wizard.interview import SectionState

    assert CellId.__supertype__ is str and QuestionId.__supertype__ is str
    for field in ("cells", "sources", "declared"):
        assert Session.model_fields[field].annotation.__args__[0] is CellId, field
    assert Session.model_fields["answers"].annotation.__args__[0] is QuestionId
    assert t3_cell.__annotations__["return"] in ("CellId", CellId)
    assert [s.value for s in SectionState] == ["not_started", "in_progress", "done", "problem"]
    assert [s.label for s in SectionState] == ["未开始", "进行中", "已完成", "有问题"]
    assert all(s.value.isascii() for s in SectionState)
