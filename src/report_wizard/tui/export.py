"""Write the rendered report into a folder the clerk chose, one file per format (txt/md/html/docx), each atomically."""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from pathlib import Path

from report_wizard.checks import Finding
from report_wizard.core.errors import WizardError
from report_wizard.core.model import Report
from report_wizard.store import atomic_write_export, atomic_write_text

_FORBIDDEN = re.compile(r'[\\/:*?"<>|\x00-\x1f]')


def shown_path(path: Path) -> str:
    """A folder as the clerk reads it: relative to the working folder when inside it, else absolute."""
    path = Path(path).resolve()
    try:
        return str(path.relative_to(Path.cwd().resolve())) or "."
    except ValueError:
        return str(path)


EXPORTS = "exports"


def default_export_folder(session_path: Path) -> Path:
    """Where reports go unless the clerk says otherwise: exports/ beside sessions/ (never among the session's
    .toml, .bak and .lock files); for a session folder not called sessions, exports/ inside it."""
    folder = Path(session_path).resolve().parent
    return (folder.parent if folder.name == "sessions" else folder) / EXPORTS


def export_name(report: Report, fmt: str) -> str:
    """``<agency><year>年政府信息公开工作年度报告.<ext>``, safe as one file name."""
    agency = _FORBIDDEN.sub("_", report.meta.agency).strip(" .") or "未命名"
    return f"{agency}{report.meta.year}年政府信息公开工作年度报告.{fmt}"


MANIFEST = ".report-wizard-exports.json"  # in the export folder: what this program wrote there, by hash


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _manifest(folder: Path) -> dict[str, str]:
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return {str(k): str(v) for k, v in data.items()} if isinstance(data, dict) else {}


def _ours(path: Path, manifest: dict[str, str]) -> bool:
    """Whether the file at ``path`` is exactly what an earlier export wrote (so replacing it loses nothing)."""
    try:
        return manifest.get(path.name) == _digest(path.read_bytes())
    except OSError:
        return False


def _free_name(folder: Path, name: str, manifest: dict[str, str]) -> Path:
    """``name`` if it is free or holds our own earlier export; else 「… (2).txt」, 「… (3).txt」 …"""
    stem, dot, ext = name.rpartition(".")
    for n in range(1, 1000):
        candidate = folder / (name if n == 1 else f"{stem} ({n}){dot}{ext}")
        if not candidate.exists() or _ours(candidate, manifest):
            return candidate
    raise WizardError(f"「{folder}」中同名的文件太多，请换一个文件夹。")


def export_report(
    report: Report, folder: Path, formats: tuple[str, ...], findings: Sequence[Finding] | None = None
) -> list[Path]:
    """Render and write each format (temp file + os.replace); raises WizardError with a Chinese message.

    A file already there is replaced only if it is exactly what an earlier export wrote (a report the clerk
    edited in Word and saved under the same name is someone's file): otherwise the new one gets 「(2)」.
    ``findings`` are the interview's (last year's report included): with an error, every file is marked 草稿.
    """
    from report_wizard.output.render import render_report  # Jinja2 loads when exporting, not when the app starts

    folder = Path(folder).expanduser()
    if folder.exists() and not folder.is_dir():
        raise WizardError(f"「{folder}」不是文件夹，请换一个文件夹再试。")
    manifest = _manifest(folder)
    written = []
    for fmt in formats:
        path = _free_name(folder, export_name(report, fmt), manifest)
        if fmt == "docx":
            from report_wizard.output.docx import render_docx  # python-docx loads only for a Word export

            data = render_docx(report, findings)
        else:
            data = render_report(report, fmt, findings).encode("utf-8")
        atomic_write_export(path, data)
        manifest[path.name] = _digest(data)
        written.append(path)
    try:  # only a record: if it cannot be written, the next export just picks new names
        atomic_write_text(folder / MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1))
    except WizardError:
        pass
    return written
