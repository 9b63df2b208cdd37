"""Plain text wrapped by Chinese line-breaking rules (tui/wrap.py), for panels whose text is not a chat bubble."""

from __future__ import annotations

from rich.cells import cell_len
from textual.content import Content
from textual.geometry import Size
from textual.widgets import Static

from report_wizard.tui.wrap import wrap


class WrappedText(Static):
    """A Static whose text never starts a line with closing punctuation or cuts a number from its unit
    (Textual breaks at spaces and anywhere in Chinese)."""

    def __init__(self, text: str = "", **kwargs: object) -> None:
        super().__init__(text, markup=False, **kwargs)  # type: ignore[arg-type]
        self.text = text

    def update(self, content: object = "", **kwargs: object) -> None:  # type: ignore[override]
        self.text = str(content)
        super().update(self.text, **kwargs)  # type: ignore[arg-type]
        self.refresh(layout=True)

    def get_content_width(self, container: Size, viewport: Size) -> int:
        natural = max((cell_len(line) for line in self.text.split("\n")), default=0)
        return min(natural, container.width)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(wrap(self.text, width))

    def render(self) -> Content:
        return Content("\n".join(wrap(self.text, self.content_size.width or 80)))
