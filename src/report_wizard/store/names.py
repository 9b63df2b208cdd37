"""Session file names: ``<agency>-<year>.toml``, one path component, unique per agency and year."""

from __future__ import annotations

import hashlib
import os
import re
import unicodedata
from pathlib import Path

SUFFIX = ".toml"
BACKUP_SUFFIX = ".toml.bak"
LOCK_SUFFIX = ".toml.lock"
UNNAMED = "未命名"
MAX_NAME_BYTES = 120  # of the agency part; leaves room for "-2023.toml.lock" and temp names within 255

# ---------------------------------------------------------------- file names
_FORBIDDEN = re.compile(r'[\\/:*?"<>|]')
# Between a changed name and its hash. A name that needs no change never holds "__" (runs of "_" are
# collapsed), so a hashed file name can never be the file name of another, unchanged agency name.
_HASH_SEPARATOR = "__"
_HASH_CHARS = 6


def _sanitised(name: str) -> str:
    # Control, format (zero-width, bidi overrides), unassigned and space characters become "_".
    name = "".join("_" if unicodedata.category(ch)[0] in "CZ" else ch for ch in name)
    name = _FORBIDDEN.sub("_", name)
    name = re.sub(r"\.{2,}", ".", name)
    return re.sub(r"_{2,}", "_", name).strip("._- ")


def _truncated(name: str, limit: int) -> str:
    encoded = name.encode("utf-8", "surrogatepass")
    if len(encoded) <= limit:
        return name
    return encoded[:limit].decode(errors="ignore").rstrip("._- ")


def _safe_agency(agency: str) -> str:
    """The agency as one safe file-name part; unique per agency (a changed name carries a hash of the original)."""
    original = unicodedata.normalize("NFC", agency)
    name = _sanitised(original)
    if not original or (name == original and len(name.encode()) <= MAX_NAME_BYTES):
        return name or UNNAMED  # today's names stay exactly as they were: existing sessions keep their paths
    # "甲/乙" and "甲_乙" both sanitise to "甲_乙": a short stable hash of the original tells them apart.
    digest = hashlib.sha256(original.encode("utf-8", "surrogatepass")).hexdigest()[:_HASH_CHARS]
    room = MAX_NAME_BYTES - len(_HASH_SEPARATOR) - _HASH_CHARS
    return f"{_truncated(name, room) or UNNAMED}{_HASH_SEPARATOR}{digest}"


def session_filename(agency: str, year: int) -> str:
    """``<agency>-<year>.toml``, with the agency made safe as a single file name."""
    return f"{_safe_agency(agency)}-{int(year)}{SUFFIX}"


def session_path(agency: str, year: int, folder: Path) -> Path:
    """Where the session of ``agency`` for ``year`` lives in ``folder``.

    A session saved before names carried a hash keeps its old name: if the file under the old, unhashed name
    exists, belongs to this very agency and the new name is still free, that file is the session.
    """
    folder = Path(folder)
    path = folder / session_filename(agency, year)
    assert path.parent == folder  # a sanitised name is always one path component
    legacy = folder / _legacy_filename(agency, year)
    if legacy != path and not os.path.lexists(path) and os.path.isfile(legacy) and _belongs_to(legacy, agency):
        return legacy
    return path


def _legacy_filename(agency: str, year: int) -> str:
    """The file name before names carried a hash (sanitised only, so two agencies could share it)."""
    name = _truncated(_sanitised(unicodedata.normalize("NFC", agency)), MAX_NAME_BYTES)
    return f"{name or UNNAMED}-{int(year)}{SUFFIX}"


def _belongs_to(path: Path, agency: str) -> bool:
    from report_wizard.store.listing import _info  # listing reads files, which name them: import when needed

    info = _info(path)
    return not info.error and unicodedata.normalize("NFC", info.agency) == unicodedata.normalize("NFC", agency)


def _sidecar(path: Path, suffix: str) -> Path:
    return path.with_name(path.name.removesuffix(SUFFIX) + suffix)


def _real(path: Path) -> Path:
    """The file a (possibly symlinked) path stands for; saves, backups and locks go there."""
    return Path(os.path.realpath(path))
