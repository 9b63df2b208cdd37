"""Review: the rendered report, the findings, the default-zero sections to confirm once, and export."""

from __future__ import annotations

from pathlib import Path
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Header, Input, Static

from report_wizard.checks import Finding
from report_wizard.core.errors import WizardError
from report_wizard.opening import OpenSession
from report_wizard.tui.commands import GridCommands, ReviewCommands
from report_wizard.tui.export import default_export_folder, export_report, shown_path
from report_wizard.tui.preview import preview_content
from report_wizard.tui.screens.dialogs import YesNoDialog
from report_wizard.tui.widgets import follow_app_blink
from report_wizard.tui.widgets.checks import CheckPanel
from report_wizard.tui.widgets.footer import KeyFooter
from report_wizard.tui.widgets.notice import NoticeBar
from report_wizard.tui.widgets.text import WrappedText

# Short labels: beside the preview the panel is 38 cells, and the four buttons sit in two rows of two.
FORMAT_LABELS = {"txt": "纯文本", "md": "Markdown", "html": "网页", "docx": "Word 文档"}
EXPORT_FORMATS = tuple(FORMAT_LABELS)  # = render.EXPORT_FORMATS (a test checks); render itself loads lazily


class ReviewScreen(Screen[Finding | str | None]):
    """Shows what will be exported; choosing a finding goes back to the question that fixes it, 转到 (palette)
    to a section: the screen is dismissed with the finding or the section id."""

    CSS_PATH = "review.tcss"
    COMMANDS: ClassVar[set] = {ReviewCommands, GridCommands}
    # The preview needs 76 cells for its tables beside a 38-cell panel; below that the two are stacked, so text
    # is never wrapped wider than what shows (a 78-cell preview beside the panel at 100 columns was cut).
    HORIZONTAL_BREAKPOINTS: ClassVar[list[tuple[int, str]] | None] = [(0, "-narrow"), (118, "-wide")]
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "返回问答"),
        Binding("ctrl+e", "export('all')", "全部导出"),
        Binding("ctrl+d", "confirm_defaults", "确认为零"),
        Binding("f6", "grid", "表格", show=False),  # in the command palette: 表格编辑
        # The preview scrolls from anywhere: at 80x24 the focus sits in the side panel.
        Binding("pagedown", "scroll_preview(1)", "下翻", show=False, priority=True),
        Binding("pageup", "scroll_preview(-1)", "上翻", show=False, priority=True),
    ]

    def __init__(self, opened: OpenSession) -> None:
        super().__init__()
        self.opened = opened
        self.interview = opened.interview
        questions = opened.interview.questions
        self.sections = [(s, questions.section_title(s)) for s in questions.sections]

    def open_section(self, section: str) -> None:
        self.dismiss(section)

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="body"):
            with VerticalScroll(id="side"):
                yield WrappedText(id="verdict")
                yield CheckPanel(id="findings")
                yield WrappedText(id="suggested")
                yield WrappedText(id="defaults")
                yield Button("确认这些部分都为 0 (Ctrl+D)", id="confirm", variant="warning")
                yield Static("导出到文件夹：", classes="label")
                yield Input(shown_path(default_export_folder(self.opened.path)), id="folder")
                with Horizontal(id="formats"):
                    for fmt in EXPORT_FORMATS:
                        yield Button(FORMAT_LABELS[fmt], id=f"export-{fmt}", classes="export")
                yield Button("全部导出 (Ctrl+E)", id="export-all", variant="primary")
                yield Static(id="written")
            with VerticalScroll(id="preview"):
                yield Static(id="report", markup=False)
        yield NoticeBar()
        yield KeyFooter()

    def action_scroll_preview(self, direction: int) -> None:
        # Narrow terminals stack the panels and scroll them together in #body.
        target = self.query_one("#body" if self.has_class("-narrow") else "#preview")
        target.scroll_page_down(animate=False) if direction > 0 else target.scroll_page_up(animate=False)

    def on_mount(self) -> None:
        meta = self.interview.session.meta
        self.sub_title = f"预览与导出 · {meta.agency} {meta.year}年"
        follow_app_blink(self)
        self.refresh_review()
        # Errors first: the panel opens at its top with the findings focused; exporting is a choice (Ctrl+E or
        # the buttons), never what a reflex Enter after the last answer does.
        self.query_one("#side").scroll_home(animate=False)
        panel = self.query_one("#findings", CheckPanel)
        (panel if panel.entries else self.query_one("#preview")).focus()

    def on_screen_resume(self) -> None:
        self.refresh_review()

    def refresh_review(self) -> None:
        report = self.interview.report()
        from report_wizard.output.render import draft_mark  # Jinja2 loads when the review opens, not at start-up

        findings = self.interview.findings()
        self.query_one("#report", Static).update(preview_content(report, findings, draft_mark(findings)))
        view = self.interview.checks()
        panel = self.query_one("#findings", CheckPanel)
        panel.show(view)
        lines = []
        if view.errors:
            lines.append(f"还有{view.errors}个错误需要修正。选择一项可回到对应的问题；现在导出的是草稿。")
        if view.pending:
            lines.append(f"还有{len(view.pending)}项待填写（有问题还没回答），回答后才能确定报告是否正确。")
        if not lines:
            lines.append(
                f"没有错误，有{view.warnings}条提醒，请再看一眼。" if view.to_fix else "检查通过，没有发现问题。"
            )
        if self.opened.unsaved is not None:
            lines.insert(0, f"⚠ 还有回答没有保存到磁盘：{self.opened.unsaved}")
        self.query_one("#verdict", WrappedText).update("\n".join(lines))
        has_errors = any(f.level == "error" for f in findings)
        self.set_class(has_errors, "-errors")
        self.set_class(not findings, "-clean")
        self._show_suggested()
        self._show_defaults()

    def _show_suggested(self) -> None:
        sections = self.interview.suggested_sections()
        titles = self.interview.questions.section_title
        names = "、".join(f"「{titles(s)}」" for s in sections)
        text = f"{names}用的是段落库推荐的内容（一直直接回车），请读一遍，按本单位实际修改。" if sections else ""
        suggested = self.query_one("#suggested", WrappedText)
        suggested.update(text)
        suggested.display = bool(sections)

    def _show_defaults(self) -> None:
        pending = self.opened.unconfirmed_defaults()
        titles = self.interview.questions.section_title
        defaults = self.query_one("#defaults", WrappedText)
        if pending:
            names = "、".join(f"「{titles(s)}」" for s in pending)
            defaults.update(f"以下部分没有填写任何数字：\n{names}\n导出时全部按 0 报告，请确认一次。")
        elif self.interview.default_sections():
            defaults.update("默认为 0 的部分已经确认。")
        else:
            defaults.update("每个表格都已填写。")
        self.set_class(bool(pending), "-pending")

    # ------------------------------------------------------------ actions
    def action_grid(self, table: str = "t3") -> None:
        from report_wizard.tui.screens.grid import GridScreen

        self.app.push_screen(GridScreen(self.opened, table))  # on return, on_screen_resume redraws the review

    def action_back(self) -> None:
        self.dismiss(None)

    @on(Button.Pressed, "#confirm")
    def action_confirm_defaults(self) -> None:
        if not self.opened.unconfirmed_defaults():  # the key still answers: silence looked like a broken key
            self.notify("没有需要确认的部分：每个表格都已填写，或已经确认过。", title="确认为零")
            return
        try:
            self.opened.confirm_defaults()
        except WizardError as error:
            self.notify(str(error), title="保存失败", severity="error")
            return
        self._show_defaults()
        self.notify("已确认：这些部分按 0 报告。", title="已保存")

    @on(Button.Pressed, ".export")
    def _export_one(self, event: Button.Pressed) -> None:
        self.action_export((event.button.id or "").removeprefix("export-"))

    @on(Button.Pressed, "#export-all")
    def _export_all(self) -> None:
        self.action_export("all")

    @on(Input.Submitted, "#folder")
    def _folder_submitted(self) -> None:
        self.action_export("all")

    def action_export(self, which: str) -> None:
        formats = EXPORT_FORMATS if which == "all" else (which,)
        pending = self.opened.unconfirmed_defaults()
        if pending:
            titles = "、".join(f"「{self.interview.questions.section_title(s)}」" for s in pending)
            question = f"{titles}没有填写任何数字，导出时全部按 0 报告。确认无误吗？"
            self.app.push_screen(
                YesNoDialog(question, yes="确认并导出", no="先不导出"),
                lambda yes: self._confirmed_export(bool(yes), formats),
            )
            return
        self._write(formats)

    def _confirmed_export(self, yes: bool, formats: tuple[str, ...]) -> None:
        if not yes:
            return
        self.action_confirm_defaults()
        if not self.opened.unconfirmed_defaults():
            self._write(formats)

    def _write(self, formats: tuple[str, ...]) -> None:
        folder_text = self.query_one("#folder", Input).value.strip()
        folder = Path(folder_text).expanduser() if folder_text else default_export_folder(self.opened.path)
        try:
            written = export_report(self.interview.report(), folder, formats, self.interview.findings())
        except WizardError as error:
            self.query_one("#written", Static).update(str(error))
            self.notify(str(error), title="导出失败", severity="error", timeout=10)
            return
        errors = sum(f.level == "error" for f in self.interview.findings())
        draft = f"（报告还有{errors}处错误，文件顶部已标明“草稿”）" if errors else ""
        lines = "\n".join(str(p.resolve()) for p in written)
        self.query_one("#written", Static).update(f"已导出{draft}：\n{lines}")
        self.notify(lines, title=f"已导出 {len(written)} 个文件{draft}", timeout=8)

    @on(CheckPanel.Jump)
    def _jump(self, event: CheckPanel.Jump) -> None:
        event.stop()
        self.dismiss(event.finding)
