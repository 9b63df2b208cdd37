"""The 新建 form: agency name, kind, year and superior body; returns a new Session or None."""

from __future__ import annotations

import unicodedata
from datetime import date
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static

from report_wizard.core import form
from report_wizard.core.errors import WizardError
from report_wizard.core.model import Session
from report_wizard.store import new_session
from report_wizard.tui.widgets import follow_app_blink


def reporting_year(today: date | None = None) -> int:
    """The year a report is written for: last year, or this year from October on (as the CLI does)."""
    today = today or date.today()
    return today.year if today.month >= 10 else today.year - 1


class NewSessionDialog(ModalScreen[Session | None]):
    """Ask the basics of a new report; the interview asks everything else."""

    CSS_PATH = "new_session.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [Binding("escape", "cancel", "取消")]

    def __init__(self, year: int | None = None) -> None:
        super().__init__()
        self.default_year = year or reporting_year()

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
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
        if not agency:
            self._error("请填写机关名称。", "#agency")
            return
        if not year_text.isdigit():
            self._error("报告年度应为四位数字，如 2024。", "#year")
            return
        kind = self.query_one("#kind", Select).value
        superior = self.query_one("#superior", Input).value.strip()
        try:
            session = new_session(agency, int(year_text), str(kind), superior)
        except WizardError as error:
            self._error(str(error), None)
            return
        # What the form said is answered: the interview does not ask it again.
        given = {"basics.agency": agency, "basics.agency_kind": str(kind), "basics.year": int(year_text)}
        session.answers.update(given)
        if superior:
            session.answers["basics.superior"] = superior
        self.dismiss(session)

    def _error(self, message: str, focus: str | None) -> None:
        self.query_one("#error", Static).update(message)
        if focus:
            self.query_one(focus).focus()

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
