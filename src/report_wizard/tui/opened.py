"""An open session: its file, the lock that keeps other windows out, and the interview over it."""

from __future__ import annotations

from pathlib import Path

from report_wizard.core.errors import SessionFileError, SessionLockedError, WizardError
from report_wizard.core.model import Session
from report_wizard.interview import Interview
from report_wizard.store import SessionLock, is_writable, load_session, save_session, session_path

# Answer id under which the review screen records the confirmed default-zero sections (a list of ids).
DEFAULTS_CONFIRMED = "review.defaults_confirmed"


class OpenSession:
    """Owns the lock while a session is on screen; ``save`` writes the interview's session atomically."""

    def __init__(self, path: Path, interview: Interview, lock: SessionLock | None, read_only: bool = False) -> None:
        self.path = path
        self.interview = interview
        self.lock = lock  # None: a read-only session in a folder where no lock file can be made
        self.read_only = read_only
        self.unsaved: WizardError | None = None  # why the last save failed; None once a save succeeds

    @classmethod
    def open(cls, path: Path) -> OpenSession:
        """Lock, load and start the interview; raises WizardError (locked, unreadable) with nothing held.

        A file that cannot be saved (read-only, or on a read-only disk) opens read-only: it can be read and
        exported, and what is changed can be saved elsewhere.
        """
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
            session = load_session(path)
            interview = Interview(session, previous=_previous_year(session, path.parent))
        except BaseException:
            if lock is not None:
                lock.release()
            raise
        return cls(path, interview, lock, read_only)

    @property
    def session(self) -> Session:
        return self.interview.session

    def unconfirmed_defaults(self) -> list[str]:
        """Table sections still at default zero that the clerk has not confirmed at review."""
        confirmed = self._confirmed()
        return [s for s in self.interview.default_sections() if s not in confirmed]

    def confirm_defaults(self) -> None:
        """Record once that the defaulted sections are really zero, then save.

        Stored first among the answers: the engine treats the last answer as the one to undo.
        """
        answers = self.session.answers
        confirmed = sorted(set(self.interview.default_sections()) | set(self._confirmed()))
        rest = {k: v for k, v in answers.items() if k != DEFAULTS_CONFIRMED}
        answers.clear()
        answers.update({DEFAULTS_CONFIRMED: confirmed, **rest})
        self.save()

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
        if target.exists() and target.resolve() != self.path.resolve():
            raise WizardError(f"「{target}」已经存在，请换一个文件夹。")
        save_session(self.interview.session, target)
        return target

    def close(self) -> None:
        if self.lock is not None:
            self.lock.release()


def _previous_year(session: Session, folder: Path) -> Session | None:
    """Last year's session of the same agency in the same folder, if there is a readable one."""
    path = session_path(session.meta.agency, session.meta.year - 1, folder)
    if not path.is_file():
        return None
    try:
        return load_session(path)
    except Exception:  # last year's file is optional help; a damaged one must not block this year
        return None
