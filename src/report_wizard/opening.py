"""The session use cases both front ends share: start a new session, open one (lock, read-only, last year's
session for carried-over defaults and the cross-year checks), save it, confirm its default zeros.

Above the interview and the store, below the TUI and the command line; never imports Textual.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from report_wizard.core.errors import SessionFileError, SessionLockedError, WizardError
from report_wizard.core.model import QuestionId, Session
from report_wizard.store import (
    SessionExistsError,
    SessionLock,
    create_session_file,
    is_writable,
    load_session,
    new_session,
    save_session,
    session_path,
)

if TYPE_CHECKING:  # the interview (~50 ms of imports) is loaded when a session is opened, not by `check`
    from report_wizard.interview import Interview

# Answer id under which the review screen records the confirmed default-zero sections (a list of ids).
DEFAULTS_CONFIRMED = QuestionId("review.defaults_confirmed")


class OpenSession:
    """Owns the lock while a session is on screen; ``save`` writes the interview's session atomically."""

    def __init__(self, path: Path, interview: Interview, lock: SessionLock | None, read_only: bool = False) -> None:
        self.path = path
        self.interview = interview
        self.lock = lock  # None: a read-only session in a folder where no lock file can be made
        self.read_only = read_only
        self.unsaved: WizardError | None = None  # why the last save failed; None once a save succeeds
        self.resumed = False  # an interview ran on it before (not a report just made in the 新建 form)

    @classmethod
    def open(cls, path: Path) -> OpenSession:
        """Lock, load and start the interview; raises WizardError (locked, unreadable) with nothing held.

        A file that cannot be saved (read-only, or on a read-only disk) opens read-only: it can be read and
        exported, and what is changed can be saved elsewhere.
        """
        return cls.start(Path(path), None)

    @classmethod
    def start(cls, path: Path, session: Session | None) -> OpenSession:
        """As ``open``, with the session already in memory (``None``: load it from ``path`` once locked)."""
        read_only = not is_writable(path)
        lock: SessionLock | None = SessionLock(path)
        try:
            lock.acquire()  # type: ignore[union-attr]
        except SessionLockedError:
            raise
        except SessionFileError:
            if not read_only:
                raise
            lock = None  # no lock file on a read-only disk; nothing will be written here anyway
        try:
            if session is None:
                session = load_session(path)
            resumed = bool(session.meta.resume_at)  # set by every interview that ran; read before this one sets it
            from report_wizard.interview import Interview

            interview = Interview(session, previous=previous_year(session, path.parent))
        except BaseException:
            if lock is not None:
                lock.release()
            raise
        opened = cls(path, interview, lock, read_only)
        opened.resumed = resumed
        return opened

    @property
    def session(self) -> Session:
        return self.interview.session

    def unconfirmed_defaults(self) -> list[str]:
        """Table sections still at default zero that the clerk has not confirmed at review."""
        confirmed = self._confirmed()
        return [s for s in self.interview.default_sections() if s not in confirmed]

    def confirm_defaults(self) -> None:
        """Record once that the defaulted sections are really zero, then save."""
        self.confirm_defaults_in_memory()
        self.save()

    def confirm_defaults_in_memory(self) -> None:
        """Record that the defaulted sections are really zero (the caller saves).

        Stored first among the answers: the engine treats the last answer as the one to undo.
        """
        answers = self.session.answers
        confirmed = sorted(set(self.interview.default_sections()) | set(self._confirmed()))
        rest = {k: v for k, v in answers.items() if k != DEFAULTS_CONFIRMED}
        answers.clear()
        answers.update({DEFAULTS_CONFIRMED: confirmed, **rest})

    def _confirmed(self) -> list[str]:
        value = self.session.answers.get(DEFAULTS_CONFIRMED, [])
        return [str(v) for v in value] if isinstance(value, list) else []

    def save(self) -> None:
        """Write the session; on failure remember why (the screens show 「未保存」) and raise WizardError."""
        try:
            if self.read_only:
                raise WizardError(f"「{self.path.name}」是只读文件，修改没有保存到它。退出时可以另存到其他文件夹。")
            save_session(self.interview.session, self.path)
        except WizardError as error:
            self.unsaved = error
            raise
        self.unsaved = None

    def save_elsewhere(self, folder: Path) -> Path:
        """Save a copy into another folder (the disk of the session is full or read-only); returns its path.

        The copy gets the usual file name there and never replaces an existing file.
        """
        target = session_path(self.session.meta.agency, self.session.meta.year, Path(folder).expanduser())
        try:
            create_session_file(self.interview.session, target)  # exclusive: never over someone's file
        except SessionExistsError:
            raise WizardError(f"「{target}」已经存在，请换一个文件夹。") from None
        return target

    def close(self) -> None:
        if self.lock is not None:
            self.lock.release()


def previous_year(session: Session, folder: Path) -> Session | None:
    """Last year's session: the one ``new --from`` named, else the same agency's in the same folder."""
    if session.previous:
        named = Path(session.previous).expanduser()
        named = named if named.is_absolute() else Path(folder) / named
        if named.is_file():
            try:
                return load_session(named)
            except Exception:  # as below: optional help
                pass
    path = session_path(session.meta.agency, session.meta.year - 1, folder)
    if not path.is_file():
        return None
    try:
        return load_session(path)
    except Exception:  # last year's file is optional help; a damaged one must not block this year
        return None


UNNAMED_AGENCY = "未命名机关"  # until the clerk answers the first question


def start_new_session(
    folder: Path,
    *,
    agency: str | None,
    year: int | None,
    kind: str | None,
    superior: str = "",
) -> Path:
    """Create ``<agency>-<year>.toml`` in ``folder`` exclusively and return its path.

    What the clerk already said (on the command line or in the 新建 form) is recorded as answered, so the
    interview does not ask it again; what is None is asked (with a placeholder agency and this report year
    meanwhile). Raises SessionExistsError if the file exists, WizardError for a name the file cannot hold.
    """
    from report_wizard.interview.questions import default_report_year

    session = new_session(agency or UNNAMED_AGENCY, year or default_report_year(), kind or "subdistrict", superior)
    given: dict[QuestionId, str | int | None] = {
        QuestionId("basics.agency"): agency,
        QuestionId("basics.agency_kind"): kind,
        QuestionId("basics.year"): year,
        QuestionId("basics.superior"): superior,
    }
    session.answers.update({qid: value for qid, value in given.items() if value})
    path = session_path(session.meta.agency, session.meta.year, Path(folder))
    create_session_file(session, path)
    return path


# ---------------------------------------------------------------- import, and a year started from last year's
def import_published(source: Path, output: Path | None, folder: Path) -> tuple[Path, list[str]]:
    """Read a published report into a new session file (``output``, else ``<agency>-<year>.toml`` in
    ``folder``); returns its path and the parse report. The file is created exclusively: nothing is replaced."""
    from report_wizard.reading import import_report

    result = import_report(Path(source))
    session = result.session
    target = Path(output) if output else session_path(session.meta.agency, session.meta.year, Path(folder))
    create_session_file(session, target)
    return target, result.report


def readable_suffixes() -> tuple[str, ...]:
    """The file endings ``check`` takes from a folder: session files and the published formats."""
    from report_wizard.reading.source import FORMATS

    return (".toml", *FORMATS)


def read_any(path: Path) -> Session:
    """A session file as it is, or a published report imported in memory (nothing is written: a reviewer's
    folder of downloaded reports stays as it was). Raises WizardError (Chinese) when it cannot be read."""
    path = Path(path)
    if path.suffix.lower() == ".toml":
        return load_session(path)
    from report_wizard.reading import import_report

    return import_report(path).session


def read_last_year(last: Path, folder: Path) -> tuple[Session, Path]:
    """Last year's report as a session and the session file that holds it.

    A session file is used as it is; a published report is imported and kept as ``<agency>-<year>.toml`` in
    ``folder`` (so the cross-year checks can be run against it later), unless a session of that name exists,
    which is then the basis: it is the clerk's own.
    """
    last = Path(last)
    if last.suffix.lower() == ".toml":
        return load_session(last), last.resolve()
    from report_wizard.reading import import_report

    imported = import_report(last).session
    path = session_path(imported.meta.agency, imported.meta.year, Path(folder))
    try:
        create_session_file(imported, path)
    except SessionExistsError:
        return load_session(path), path
    return imported, path


def start_from_last(folder: Path, last: Path, *, year: int | None = None) -> Path:
    """``new --from LAST``: a new session for the year after LAST's, created exclusively; returns its path."""
    from report_wizard.reading.carry import next_year_session

    previous, previous_path = read_last_year(last, Path(folder))
    session = next_year_session(previous, year or previous.meta.year + 1)
    folder = Path(folder)
    try:  # beside it: by name, so the two files can be moved together
        same_folder = previous_path.resolve().parent == folder.resolve()
    except OSError:
        same_folder = False
    session.previous = previous_path.name if same_folder else str(previous_path.resolve())
    path = session_path(session.meta.agency, session.meta.year, folder)
    create_session_file(session, path)
    return path
