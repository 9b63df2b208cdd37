"""Small widgets shared by the screens."""

from __future__ import annotations

from textual.dom import DOMNode


def follow_app_blink(root: DOMNode) -> None:
    """Give every text field under ``root`` the app's cursor blink setting (off in snapshot tests)."""
    blink = getattr(root.app, "cursor_blink", True)
    for field in root.query("Input, TextArea"):
        field.cursor_blink = blink  # type: ignore[attr-defined]
