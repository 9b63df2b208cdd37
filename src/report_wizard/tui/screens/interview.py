"""The interview: conversation log, the answer widget for the question's kind, sections and live checks."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Container, Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Header, Static

from report_wizard.checks import Finding
from report_wizard.core.errors import WizardError
from report_wizard.interview import Ask, CheckView, Reply, SectionState
from report_wizard.opening import OpenSession
from report_wizard.tui.commands import InterviewCommands
from report_wizard.tui.screens.dialogs import HelpDialog
from report_wizard.tui.widgets.answer import AnswerBox
from report_wizard.tui.widgets.chat import ASSISTANT, CLERK, ERROR, NOTICE, Bubble, ChatLog
from report_wizard.tui.widgets.checks import CheckPanel
from report_wizard.tui.widgets.footer import KeyFooter
from report_wizard.tui.widgets.notice import NoticeBar
from report_wizard.tui.widgets.sections import LEGEND, STATE_LOOK, SectionList


class InterviewScreen(Screen[None]):
    """One open session. Every accepted answer is saved before the screen changes."""

    @dataclass
    class Leave(Message):
        """The clerk asked to go back to the home screen (Esc)."""

        screen: InterviewScreen

        @property
        def control(self) -> InterviewScreen:
            return self.screen

    @dataclass
    class Closed(Message):
        """The screen is gone: its session can be closed (lock released)."""

        screen: InterviewScreen
        opened: OpenSession

        @property
        def control(self) -> InterviewScreen:
            return self.screen

    CSS_PATH = "interview.tcss"
    COMMANDS: ClassVar[set] = {InterviewCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1", "help", "帮助"),
        Binding("f2", "side", "章节与检查"),
        Binding("f5", "review", "预览与导出"),
        # Over the answer box's own F6 (select the line); not in the footer, which is full at 80 columns.
        Binding("f6", "grid", "表格", show=False, priority=True),
        Binding("ctrl+z", "undo", "撤销", priority=True),
        Binding("escape", "back", "返回"),
    ]

    def __init__(self, opened: OpenSession) -> None:
        super().__init__()
        self.opened = opened
        self.interview = opened.interview
        questions = self.interview.questions
        self.sections = [(s, questions.section_title(s)) for s in questions.sections]
        self.titles = dict(self.sections)
        self.ask: Ask | None = None
        self.finished_once = False

    def compose(self) -> ComposeResult:
        yield Header()
        with Horizontal(id="main"):
            with Vertical(id="talk"):
                yield Static(id="status")
                yield ChatLog(id="log")
            with Vertical(id="side"):
                yield Static(LEGEND, classes="side-title", id="sections-title")
                yield SectionList(self.sections, id="sections")
                yield Static("检查", classes="side-title", id="checks-title")
                yield CheckPanel(id="checks")
        with Container(id="answer-slot"):
            # One box for the whole interview: it is never swapped, so no typed key is lost between questions.
            yield AnswerBox(self.interview.current(), id="answer-box")
        yield NoticeBar()
        yield KeyFooter()

    def on_mount(self) -> None:
        meta = self.interview.session.meta
        self.sub_title = f"{meta.agency} {meta.year}年"
        turns = self.interview.transcript()
        log = self.query_one(ChatLog)
        # A report just made in the 新建 form (or on the command line) has answers already, but is not resumed.
        resumed = "继续上次的填写。已经回答的内容都在下面，点击任何一条可以修改。"
        greeting = (
            "您好！我会一个一个地提问，您回答后按回车。直接回车表示采用回答框里写明的回答。"
            "F1 查看说明，Ctrl+Z 撤销上一个回答，每个回答都会自动保存。"
        )
        history = [(resumed if self.opened.resumed else greeting, NOTICE, "")]
        for turn in turns:
            history += [
                (turn.question, ASSISTANT, turn.question_id),
                (turn.answer or "（空）", CLERK, turn.question_id),
            ]
        log.say_many(history)
        if self.opened.read_only:
            log.say(
                "这个会话文件是只读的（没有写入权限，或在只读的磁盘上）：可以查看和导出，"
                "修改不会保存到它；退出时可以另存到其他文件夹。",
                NOTICE,
            )
        self.show_current()

    # ------------------------------------------------------------ showing
    @property
    def box(self) -> AnswerBox:
        return self.query_one(AnswerBox)

    def show_current(self, *, moved: bool = False) -> None:
        """Ask the engine's current question (or say that all are answered) and refresh the panels.

        ``moved``: the clerk chose to go elsewhere (edit, jump, undo): what was typed is not for this question.
        """
        self.ask = ask = self.interview.current()
        log = self.query_one(ChatLog)
        if ask is None:
            log.say("所有问题都已回答。按 F5 预览与导出；要修改，可在“各部分”或检查结果中选择。", NOTICE)
        else:
            text = ask.text if not ask.current_answer else f"{ask.text}\n（现在的回答：{ask.current_answer}）"
            log.say(text, ASSISTANT, ask.id)
        self.box.show(ask, clear=moved)
        if not self.has_class("-side"):
            self.box.focus_input()  # after a jump from the panels, typing goes to the answer
        self.refresh_panels()

    def refresh_panels(self) -> None:
        states = self.interview.section_states()
        current = self.ask.section if self.ask else ""
        self.query_one(SectionList).show(states, current)
        checks = self.query_one(CheckPanel)
        view = self.interview.checks()
        checks.show(view)
        # On #side, not the screen: a class on the screen restyles every bubble of the conversation.
        side, errors = self.query_one("#side"), view.errors > 0
        if side.has_class("-errors") != errors:
            side.set_class(errors, "-errors")
        self.query_one("#checks-title", Static).update(f"检查：{view.summary}")
        self._states = states
        self.refresh_status()

    def refresh_status(self) -> None:
        if not self.is_mounted:
            return
        current = self.ask.section if self.ask else ""
        states = getattr(self, "_states", None) or self.interview.section_states()
        self.query_one("#status", Static).update(self._status(states, current, self.interview.checks()))

    def _status(self, states: dict[str, SectionState], current: str, view: CheckView) -> Content:
        parts: list[str | tuple[str, str]] = []
        if self.opened.unsaved is not None:
            parts.append(("⚠ 未保存  ", "bold $text-error"))
        elif self.opened.read_only:
            parts.append(("只读  ", "bold $text-warning"))
        if self.ask is not None:
            # Sections, not questions: the number of questions grows as gates open, so 「已答 6/16」 jumped.
            meta = self.interview.session.meta
            done, total = meta.sections_done, meta.sections_total
            mark, style = STATE_LOOK[states[current]] if current in states else ("·", "$text-muted")
            parts += [(f"{mark} ", style), (self.titles.get(current, ""), "bold"), f"  完成 {done}/{total} 部分  "]
        else:
            parts += [("✓ 全部问题已回答  ", "$text-success")]
        style = "$text-error" if view.errors else "$text-warning" if view.to_fix else "$text-success"
        folded = "（F2 查看）" if view.to_fix and self.has_class("-narrow") else ""  # the panel folds at 80x24
        parts.append((f"检查：{view.summary}{folded}", style if view.to_fix or not view.pending else "$text-muted"))
        return Content.assemble(*parts)

    # ------------------------------------------------------------ answering
    @on(AnswerBox.Answered)
    def _answered(self, event: AnswerBox.Answered) -> None:
        """An answer to the question showing now: answers typed ahead arrive here one by one, in order."""
        event.stop()
        ask = self.ask
        reply = self.interview.answer(event.text)
        if reply.ok:
            self.save()  # before anything is drawn: a kill after this loses nothing confirmed
        shown = _shown_answer(ask, event.text)
        if shown:
            self.query_one(ChatLog).say(shown, CLERK, reply.question_id if reply.ok else "")
        if reply.needs_confirmation:  # the confirmation is the next question, asked in the same box
            self.show_current()
            return
        self.after_reply(reply)

    def after_reply(self, reply: Reply, *, moved: bool = False) -> None:
        log = self.query_one(ChatLog)
        log.say(reply.message, NOTICE if reply.ok else ERROR)
        if reply.ok or self.interview.current() != self.ask:
            self.show_current(moved=moved)
            if self.ask is None and not self.finished_once:
                self.finished_once = True
                self.action_review()
            return
        # Not understood: the same question again, with the input ready.
        if self.ask is not None:
            log.say(self.ask.text, ASSISTANT)
        self.refresh_panels()
        self._focus_answer()

    def save(self) -> None:
        """Save now; a failure is said in the conversation and the status line shows 「未保存」 until a save
        works (every later answer tries again, and quitting retries and asks)."""
        was_unsaved = self.opened.unsaved is not None
        try:
            self.opened.save()
        except WizardError as error:
            if not was_unsaved:  # said once; the status line keeps showing it
                self.query_one(ChatLog).say(f"{error}\n这个回答还没有保存到磁盘。接下来每个回答都会再试着保存。", ERROR)
                self.notify(str(error), title="保存失败", severity="error", timeout=10)
        else:
            if was_unsaved:
                self.query_one(ChatLog).say("已经重新保存成功，之前的回答都在文件里了。", NOTICE)
        self.refresh_status()

    def _focus_answer(self) -> None:
        self.box.focus_input()

    # ------------------------------------------------------------ navigation
    def open_section(self, section: str) -> None:
        self.interview.goto_section(section)
        self.save()  # the place to resume from
        self._hide_side()
        self.query_one(ChatLog).say(f"转到「{self.titles.get(section, section)}」。", NOTICE)
        self.show_current(moved=True)

    def edit(self, question_id: str) -> None:
        """Open an earlier question to change its answer; later answers are kept."""
        try:
            self.interview.goto(question_id)
        except KeyError as error:
            self.notify(str(error.args[0]), severity="warning")
            return
        self.save()
        self.query_one(ChatLog).say("修改之前的回答（直接回车保留原来的回答）：", NOTICE)
        self.show_current(moved=True)

    @on(Bubble.Edit)
    def _bubble_edit(self, event: Bubble.Edit) -> None:
        self.edit(event.question_id)

    @on(SectionList.Chosen)
    def _section_chosen(self, event: SectionList.Chosen) -> None:
        self.open_section(event.section)

    @on(CheckPanel.Jump)
    def _jump(self, event: CheckPanel.Jump) -> None:
        self.jump_to(event.finding)

    def jump_to(self, finding: Finding | str | None) -> None:
        """Go to the question whose answer fixes ``finding``, or to a section (its id, from the review's 转到)."""
        if finding is None:
            return
        if isinstance(finding, str):
            self.open_section(finding)
            return
        question = self.interview.question_for(finding)
        if question is None:
            self.notify("这一项需要在报告文字中修改，没有对应的问题。", severity="warning")
            return
        self.interview.goto(question)
        self.save()
        self._hide_side()
        self.query_one(ChatLog).say(f"为修正“{finding.message}”，转到这个问题：", NOTICE)
        self.show_current(moved=True)

    def action_undo(self) -> None:
        reply = self.interview.undo()
        if reply is None:
            self.notify("没有可以撤销的回答。")
            return
        self.save()
        self.after_reply(reply, moved=True)

    def action_help(self) -> None:
        if self.ask is None:
            self.app.push_screen(HelpDialog("说明", "所有问题都已回答。按 F5 预览与导出，或选择任意部分修改。"))
            return
        text = self._help_text(self.ask)
        typed = [int(n) for n in self.box.area.text.replace("、", " ").split() if n.isdigit()]
        for n in typed:  # the whole paragraphs of the library choices typed so far
            if self.ask.details and 1 <= n <= len(self.ask.details) and self.ask.details[n - 1]:
                text += f"\n\n{n}. {self.ask.choices[n - 1][1]}：\n{self.ask.details[n - 1]}"
        self.app.push_screen(HelpDialog(self.ask.text, text))

    @staticmethod
    def _help_text(ask: Ask) -> str:
        from report_wizard.core import form

        text = ask.help
        if ask.cells:
            names = [form.cell_name(c) for c in ask.cells[:8]]
            more = f" 等 {len(ask.cells)} 项" if len(ask.cells) > 8 else ""
            text += "\n\n这个回答填入：" + "、".join(names) + more
        if ask.enter:
            text += f"\n\n{ask.enter}"
        return text

    def action_side(self) -> None:
        if self.has_class("-narrow"):
            if self.has_class("-side"):
                self._hide_side()
                return
            self.add_class("-side")
        self.query_one(SectionList).focus()

    def _hide_side(self) -> None:
        if self.has_class("-side"):
            self.remove_class("-side")
            self._focus_answer()

    def action_back(self) -> None:
        if self.has_class("-side"):
            self._hide_side()
            return
        self.post_message(self.Leave(self))  # the app decides: save first, then home

    def action_review(self) -> None:
        from report_wizard.tui.screens.review import ReviewScreen

        self.app.push_screen(ReviewScreen(self.opened), self.jump_to)

    def action_grid(self, table: str = "") -> None:
        """The grid editor of tables 二–四, at the table of the section being asked (else 三)."""
        from report_wizard.interview.grid import TABLE_OF_SECTION
        from report_wizard.tui.screens.grid import GridScreen

        table = table or TABLE_OF_SECTION.get(self.ask.section if self.ask else "", "t3")
        self.app.push_screen(GridScreen(self.opened, table), lambda _: self.show_current(moved=True))

    def on_resize(self) -> None:
        self.call_after_refresh(self.refresh_status)  # after the breakpoint classes (-narrow) are set

    def on_screen_resume(self) -> None:
        self.refresh_panels()
        self._focus_answer()

    def on_unmount(self) -> None:
        # The screen's own queue is closing: the message goes straight to the app, which releases the lock.
        self.app.post_message(self.Closed(self, self.opened))


def _shown_answer(ask: Ask | None, text: str) -> str:
    """The clerk's bubble: what they typed, a choice number with its label (「1 是，没有打错」), or what a bare
    Enter did (「（直接回车：0）」)."""
    typed = text.strip()
    if not typed:
        return f"（{ask.enter}）" if ask is not None and ask.enter else ""
    if ask is not None and ask.kind in ("yesno", "choice") and typed.isdigit() and 1 <= int(typed) <= len(ask.choices):
        return f"{typed}  {ask.choices[int(typed) - 1][1]}"
    return typed
