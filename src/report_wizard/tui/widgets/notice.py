"""Notices in a line above the footer, instead of Textual's toasts.

Why: a toast is a layer over the screen, and where it overlaps the border of a widget underneath, a partial
redraw blanks the double-width characters on that column (Textual issue #6357: 「无法  开」「那个  口」). A
line of its own is never drawn over, so a Chinese notice always shows in full. The app still records each
notice as Textual does (App._notifications), only the toast is not shown.
"""

from __future__ import annotations

from textual.timer import Timer
from textual.widgets import Static

from report_wizard.tui.wrap import wrap

SEVERITY_CLASS = {"information": "-information", "warning": "-warning", "error": "-error"}
DEFAULT_TIMEOUT = 8.0


class NoticeBar(Static):
    """The latest notice: its title and message, wrapped by Chinese rules; hides itself after a while."""

    DEFAULT_CSS = """
    NoticeBar {
        height: auto;
        max-height: 4;
        padding: 0 1;
        display: none;
        background: $boost;
        border-top: hkey $primary 40%;
    }
    NoticeBar.-shown {
        display: block;
    }
    NoticeBar.-warning {
        border-top: hkey $warning;
        color: $text-warning;
    }
    NoticeBar.-error {
        border-top: hkey $error;
        color: $text-error;
    }
    """

    def __init__(self) -> None:
        super().__init__("", markup=False, id="notice")
        self.text = ""
        self._timer: Timer | None = None

    def on_mount(self) -> None:
        pending = getattr(self.app, "pending_notice", None)  # said before any screen could show it
        if pending is not None:
            self.app.pending_notice = None  # type: ignore[attr-defined]
            self.announce(*pending)

    def announce(
        self, message: str, title: str = "", severity: str = "information", timeout: float | None = None
    ) -> None:
        self.text = f"{title}：{message}" if title else message
        for css in SEVERITY_CLASS.values():
            self.remove_class(css)
        self.add_class(SEVERITY_CLASS.get(severity, "-information"), "-shown")
        self.update("\n".join(wrap(self.text, max((self.app.size.width or 80) - 2, 20))))
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(timeout or DEFAULT_TIMEOUT, self.clear_notice)

    def clear_notice(self) -> None:
        self.remove_class("-shown")
        self.text = ""
        self.update("")
