"""The 新建 form: agency name, kind, year and superior body — or last year's report to start from; returns the
new session's path or None."""

from __future__ import annotations

import unicodedata
from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static

from report_wizard.core import form
from report_wizard.core.errors import WizardError
from report_wizard.interview.questions import default_report_year
from report_wizard.opening import start_from_last, start_new_session
from report_wizard.store import SessionExistsError
from report_wizard.tui.widgets import follow_app_blink


class NewSessionDialog(ModalScreen[Path | None]):
    """Ask the basics of a new report and create its file in ``folder``; the interview asks everything else."""

    CSS_PATH = "new_session.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "取消")]
    # Below 30 rows the fields lose their borders (one line each), so the whole form shows at 80x24 unscrolled.
    VERTICAL_BREAKPOINTS: ClassVar[list[tuple[int, str]] | None] = [(0, "-short"), (30, "-tall")]

    def __init__(self, folder: Path, year: int | None = None) -> None:
        super().__init__()
        self.folder = folder
        self.default_year = year or default_report_year()

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):  # at 80×24 the form is taller than the screen: it scrolls (tcss), not focusable
            yield Static("新建年度报告", id="title")
            yield Label("机关名称")
            yield Input(placeholder="如：西大街街道", id="agency")
            yield Label("机关类型")
            yield Select(
                [(label, kind) for kind, label in form.AGENCY_KINDS], value="subdistrict", allow_blank=False, id="kind"
            )
            yield Label("报告年度")
            yield Input(str(self.default_year), id="year")
            yield Label("上级机关（可不填）")
            yield Input(placeholder="如：文峰区人民政府", id="superior")
            yield Label("从上年报告开始（可不填：上年的会话或已发布的报告文件）")
            yield Input(placeholder="如：报告/2023年年报.pdf", id="from")
            yield Static("", id="error")
            with Horizontal(id="buttons"):
                yield Button("开始填写", id="start", variant="primary")
                yield Button("取消", id="cancel")

    def on_mount(self) -> None:
        follow_app_blink(self)

    @on(Input.Submitted)
    def _next_field(self, event: Input.Submitted) -> None:
        """Enter moves on to the next field (so the kind is seen before it is taken); in the last one it starts."""
        event.stop()
        following = {"agency": "#kind", "year": "#superior"}.get(event.input.id or "")
        if following:
            self.query_one(following).focus()
        else:
            self._start()

    @on(Button.Pressed, "#start")
    def _start(self) -> None:
        agency = self.query_one("#agency", Input).value.strip()
        year_text = unicodedata.normalize("NFKC", self.query_one("#year", Input).value).strip().removesuffix("年")
        last = self.query_one("#from", Input).value.strip()
        if not agency and not last:
            self._error("请填写机关名称（或在最后一栏给出上年的报告）。", "#agency")
            return
        if not year_text.isdigit():
            self._error("报告年度应为四位数字，如 2024。", "#year")
            return
        if last:  # the same use case as `new --from`: agency and kind come from last year's report
            try:
                # the year field left at its default: the year after last year's report
                year = None if year_text == str(self.default_year) else int(year_text)
                path = start_from_last(self.folder, Path(last).expanduser(), year=year)
            except SessionExistsError as error:
                self._error(f"「{error.path.name}」已存在：请关闭这个窗口，在列表中打开它继续填写。", "#from")
                return
            except WizardError as error:
                self._error(str(error), "#from")
                return
            self.dismiss(path)
            return
        kind = str(self.query_one("#kind", Select).value)
        superior = self.query_one("#superior", Input).value.strip()
        try:  # the one use case the command line uses too: what the form says is answered, created exclusively
            path = start_new_session(self.folder, agency=agency, year=int(year_text), kind=kind, superior=superior)
        except SessionExistsError as error:
            self._error(f"「{error.path.name}」已存在：请关闭这个窗口，在列表中打开它继续填写。", "#agency")
            return
        except WizardError as error:
            self._error(str(error), "#agency")
            return
        self.dismiss(path)

    def _error(self, message: str, focus: str | None) -> None:
        self.query_one("#error", Static).update(message)
        if focus:
            self.query_one(focus).focus()

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
