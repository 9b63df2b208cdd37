"""The project's own promises: README and CI agree, the wheel carries its data, the domain has no Textual."""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from pathlib import Path

from helpers import ROOT

DOMAIN_MODULES = [
    "core.form",
    "core.model",
    "core.paths",
    "core.errors",
    "narrative.paragraphs",
    "narrative.phrases",
    "checks",
    "store",
    "output.render",
    "interview",
    "cli.plain",
]


def _readme_commands() -> list[str]:
    return re.findall(r"```sh\n(.*?)\n```", (ROOT / "README.md").read_text(encoding="utf-8"), re.S)


def test_readme_opens_with_install_and_test_commands_and_ci_runs_the_test_one() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    commands = _readme_commands()
    assert len(commands) >= 2
    assert readme.index(commands[0]) < readme.index(commands[1]) < readme.index("##")
    assert "report-wizard" in commands[0] and "pip install" in commands[0]
    assert "pytest" in commands[1] and "pip install" in commands[1]
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert commands[1] in ci.splitlines()


def test_domain_modules_do_not_import_textual() -> None:
    imports = "; ".join(f"import report_wizard.{m}" for m in DOMAIN_MODULES)
    code = f"import sys; {imports}; print('textual' in sys.modules)"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False"


def test_render_check_and_list_commands_do_not_import_textual(tmp_path: Path) -> None:
    example = ROOT / "sessions" / "example-xidajie-2023.toml"
    code = (
        "import sys, io; from report_wizard.cli import main; out = io.StringIO()\n"
        f"main(['render', {str(example)!r}], out); main(['check', {str(example)!r}], out)\n"
        f"main(['list', '--dir', {str(tmp_path)!r}], out)\n"
        "print('textual' in sys.modules, len(out.getvalue()) > 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "False True"


def test_built_wheel_contains_data_and_renders_from_it(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, "-m", "hatchling", "build", "-t", "wheel", "-d", str(tmp_path / "dist")],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    wheel = next((tmp_path / "dist").glob("report_wizard-*.whl"))
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        archive.extractall(tmp_path / "site")
    assert "report_wizard/prompts/basics.toml" in names
    assert "report_wizard/templates/report.txt.j2" in names
    assert "report_wizard/templates/docx/style.toml" in names  # the Word layout: render --format docx needs it
    assert "report_wizard/sessions/example-xidajie-2023.toml" in names
    assert any(n.startswith("report_wizard/templates/phrases/") and n.endswith(".toml") for n in names)
    # Run from the unpacked wheel alone: data must be found inside the package, not in this checkout.
    code = (
        "import report_wizard.core.paths as p, sys;"
        "assert str(p.prompts_dir()).startswith(sys.argv[1]), p.prompts_dir();"
        "from report_wizard.cli import main; sys.exit(main(['render', str(p.example_session())]))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "site")],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={"PYTHONPATH": str(tmp_path / "site"), "PATH": "", "PYTHONIOENCODING": "utf-8"},
    )
    assert result.returncode == 0, result.stderr
    assert "西大街" in result.stdout
