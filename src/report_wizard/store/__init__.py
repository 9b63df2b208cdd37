"""Session files on disk: names, loading and saving (atomic, with a backup), listing, locks, messages.
May import core only. Every failure a clerk can meet is a WizardError with one Chinese message."""

from report_wizard.store.files import (
    MAX_FILE_BYTES,
    SessionExistsError,
    atomic_write_bytes,
    atomic_write_export,
    atomic_write_text,
    copy_example,
    create_session_file,
    is_writable,
    load_session,
    new_session,
    save_session,
    session_document,
)
from report_wizard.store.listing import SessionInfo, list_sessions
from report_wizard.store.locks import SessionLock
from report_wizard.store.names import BACKUP_SUFFIX, LOCK_SUFFIX, SUFFIX, session_filename, session_path

__all__ = [
    "BACKUP_SUFFIX",
    "LOCK_SUFFIX",
    "MAX_FILE_BYTES",
    "SUFFIX",
    "SessionExistsError",
    "SessionInfo",
    "SessionLock",
    "atomic_write_bytes",
    "atomic_write_export",
    "atomic_write_text",
    "copy_example",
    "create_session_file",
    "is_writable",
    "list_sessions",
    "load_session",
    "new_session",
    "save_session",
    "session_document",
    "session_filename",
    "session_path",
]
