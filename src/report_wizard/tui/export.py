"""Write the rendered report into a folder the clerk chose, one file per format, each atomically."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from report_wizard.checks import Finding
from report_wizard.core.errors import WizardError
from report_wizard.core.model import Report
from report_wizard.store import atomic_write_text

_FORBIDDEN = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


def shown_path(path: Path) -> str:
    """A folder as the clerk reads it: relative to the working folder when inside it, else absolute."""
    path = Path(path).resolve()
    try:
        return str(path.relative_to(Path.cwd().resolve())) or "."
    except ValueError:
        return str(path)


def export_name(report: Report, fmt: str) -> str:
    """``<agency><year>年政府信息公开工作年度报告.<ext>``, safe as one file name."""
    agency = _FORBIDDEN.sub("_", report.meta.agency).strip(" .") or "未命名"
    return f"{agency}{report.meta.year}年政府信息公开工作年度报告.{fmt}"


def export_report(
    report: Report, folder: Path, formats: tuple[str, ...], findings: Sequence[Finding] | None = None
) -> list[Path]:
    """Render and write each format (temp file + os.replace); raises WizardError with a Chinese message.

    ``findings`` are the interview's (last year's report included): with an error, every file is marked 草稿.
    """
    from report_wizard.output.render import render_report  # Jinja2 loads when exporting, not when the app starts

    folder = Path(folder).expanduser()
    if folder.exists() and not folder.is_dir():
        raise WizardError(f"「{folder}」不是文件夹，请换一个文件夹再试。")
    written = []
    for fmt in formats:
        path = folder / export_name(report, fmt)
        atomic_write_text(path, render_report(report, fmt, findings))
        written.append(path)
    return written
