"""The list of sessions in a folder, reading only what the list shows (fast for thousands of files)."""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from report_wizard.core import model
from report_wizard.core.errors import SessionFileError
from report_wizard.core.model import Session
from report_wizard.store.files import _decode, _read_bytes, _strict_meta, load_session, parse_toml
from report_wizard.store.names import SUFFIX


# ---------------------------------------------------------------- listing
@dataclass(frozen=True)
class SessionInfo:
    path: Path
    agency: str
    year: int | None
    agency_kind: str
    updated: datetime | None
    answered: int
    error: str = ""  # Chinese message when the file cannot be opened; empty when it can
    sections_done: int = 0  # as the interview last saved them (meta); 0 of 0 for a file never interviewed
    sections_total: int = 0
    errors: int = 0
    finished: bool = False

    @property
    def standing(self) -> str:
        """Where the report stands, as the interview last saved it: 有N个错误 / 已完成 / 进行中 m/M 部分 / 未开始."""
        if self.errors:
            return f"有{self.errors}个错误"
        if self.finished:
            return "已完成"
        if self.answered and self.sections_total:
            return f"进行中 {self.sections_done}/{self.sections_total} 部分"
        return "进行中" if self.answered else "未开始"


def _from_session(path: Path, session: Session) -> SessionInfo:
    m = session.meta
    return SessionInfo(
        path,
        m.agency,
        m.year,
        m.agency_kind,
        m.updated,
        len(session.answers),
        sections_done=m.sections_done,
        sections_total=m.sections_total,
        errors=m.errors,
        finished=m.finished,
    )


# The first table header that is neither [meta] nor [answers]: saved files put those two first, and they
# hold all a listing shows, so only the text before it is parsed (parsing is most of the cost of a file).
_AFTER_LISTED = re.compile(r"^[ \t]*\[(?![ \t]*(?:meta|answers)[ \t]*\])", re.MULTILINE)
_ANSWERS_HEADER = re.compile(r"^[ \t]*\[[ \t]*answers[ \t]*\]", re.MULTILINE)


def _info(path: Path) -> SessionInfo:
    """What the listing shows of one file, from its meta and answers only; anything doubtful is fully loaded."""
    head: dict[str, Any] = {}
    try:
        text = _decode(path, _read_bytes(path))
        cut = _AFTER_LISTED.search(text)
        head = parse_toml(text[: cut.start()] if cut else text)
        version = head.get("schema_version", model.SCHEMA_VERSION)
        # Answers written after the other tables (a hand-edited order) would be missed: count them in full.
        answers_later = cut is not None and "answers" not in head and _ANSWERS_HEADER.search(text, cut.start())
        current = type(version) is int and version == model.SCHEMA_VERSION
        if current and not answers_later and not _strict_meta(head):
            listed = Session.model_validate(head)  # meta, answers and stray top-level keys: cheap
            return _from_session(path, listed)
    except Exception:  # damaged, cut inside a multi-line text, older version…: the full load says what and where
        pass
    return _full_info(path, head)


def _full_info(path: Path, head: dict[str, Any]) -> SessionInfo:
    try:
        session = load_session(path)
    except SessionFileError as exc:
        raw = head.get("meta")  # show what can be shown of a file that parses but does not validate
        meta: dict[str, Any] = raw if isinstance(raw, dict) else {}
        year, agency = meta.get("year"), meta.get("agency")
        return SessionInfo(
            path=path,
            agency=agency if isinstance(agency, str) else "",
            year=year if type(year) is int else None,
            agency_kind=str(meta.get("agency_kind", "")),
            updated=meta["updated"] if isinstance(meta.get("updated"), datetime) else None,
            answered=0,
            error=str(exc),
        )
    return _from_session(path, session)


def _sort_key(info: SessionInfo) -> float:
    if info.updated is not None:
        return info.updated.timestamp()  # naive (hand-written) times count as local time
    try:
        return info.path.stat().st_mtime
    except OSError:
        return 0.0


def list_sessions(folder: Path) -> list[SessionInfo]:
    """Every session file in ``folder`` (backups, locks and temp files ignored), newest first."""
    folder = Path(folder)
    try:
        with os.scandir(folder) as entries:
            names = [e for e in entries if e.name.endswith(SUFFIX) and not e.name.startswith(".")]
            found = [(folder / e.name, _signature(e)) for e in names]
    except OSError:  # no such folder (yet), or not a folder
        return []
    infos = []
    for path, signature in found:
        if signature is None:
            continue
        cached = _LISTED.get(path)
        if cached is not None and cached[0] == signature:
            infos.append(cached[1])
            continue
        info = _info(path)
        if not info.error:  # a broken file is looked at again: its message may name a backup made since
            _LISTED[path] = (signature, info)
        infos.append(info)
    return sorted(infos, key=_sort_key, reverse=True)


# Path -> (signature, info) of sound files already listed: the home screen lists the folder again on every
# visit, and an unchanged file (same inode, size, mtime and ctime to the nanosecond) needs no second look.
_LISTED: dict[Path, tuple[tuple[int, ...], SessionInfo]] = {}


def _signature(entry: os.DirEntry[str]) -> tuple[int, ...] | None:
    """Identity and version of a regular file (links followed); None for anything else: pipes are not sessions."""
    try:
        st = entry.stat()
    except OSError:
        return None
    if not stat.S_ISREG(st.st_mode):
        return None
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns, st.st_ctime_ns)
