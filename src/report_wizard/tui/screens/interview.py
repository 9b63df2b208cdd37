"""The interview: conversation log, the answer widget for the question's kind, sections and live checks."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Container, Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Header, Static

from ...checks import Finding
from ...errors import WizardError
from ...interview import Ask, Reply
from ..commands import InterviewCommands
from ..opened import OpenSession
from ..widgets.answer import ANSWER_WIDGETS, AnswerBox, answer_widget
from ..widgets.chat import ASSISTANT, CLERK, ERROR, NOTICE, Bubble, ChatLog
from ..widgets.checks import CheckPanel
from ..widgets.footer import KeyFooter
from ..widgets.sections import LEGEND, STATE_LOOK, SectionList
from .dialogs import HelpDialog, YesNoDialog


class InterviewScreen(Screen[None]):
    """One open session. Every accepted answer is saved before the screen changes."""

    CSS_PATH = "interview.tcss"
    COMMANDS: ClassVar[set] = {InterviewCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1", "help", "帮助"),
        Binding("f2", "side", "章节与检查"),
        Binding("f5", "review", "预览与导出"),
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
        self.box: AnswerBox | None = None
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
        yield Container(id="answer-slot")
        yield KeyFooter()

    def on_mount(self) -> None:
        meta = self.interview.session.meta
        self.sub_title = f"{meta.agency} {meta.year}年"
        turns = self.interview.transcript()
        log = self.query_one(ChatLog)
        if turns:
            history = [("继续上次的填写。已经回答的内容都在下面，点击任何一条可以修改。", NOTICE, "")]
            for turn in turns:
                history += [
                    (turn.question, ASSISTANT, turn.question_id),
                    (turn.answer or "（空）", CLERK, turn.question_id),
                ]
            log.say_many(history)
        else:
            log.say(
                "您好！我会一个一个地提问，您回答后按回车。直接回车表示采用括号里的默认回答。"
                "F1 查看说明，Ctrl+Z 撤销上一个回答，所有回答都会自动保存。",
                NOTICE,
            )
        self.show_current()

    # ------------------------------------------------------------ showing
    def show_current(self) -> None:
        """Ask the engine's current question (or say that all are answered) and refresh the panels."""
        self.ask = ask = self.interview.current()
        log = self.query_one(ChatLog)
        if ask is None:
            self._replace_box(None)
            log.say("所有问题都已回答。按 F5 预览与导出；要修改，可在“各部分”或检查结果中选择。", NOTICE)
        else:
            text = ask.text if not ask.current_answer else f"{ask.text}\n（现在的回答：{ask.current_answer}）"
            log.say(text, ASSISTANT, ask.id)
            if self.box is not None and type(self.box) is ANSWER_WIDGETS.get(ask.kind) and self.box.is_mounted:
                self.box.show(ask)  # same kind: reuse the box (no new focus, no footer rebuild)
                if not self.has_class("-side"):
                    self.box.focus_input()  # after a jump from the panels, typing goes to the answer
            else:
                self._replace_box(answer_widget(ask, autofocus=not self.has_class("-side")))
        self.refresh_panels()

    def _replace_box(self, box: AnswerBox | None) -> None:
        slot = self.query_one("#answer-slot")
        slot.remove_children()
        self.box = box
        if box is not None:
            slot.mount(box)

    def refresh_panels(self) -> None:
        states = self.interview.section_states()
        current = self.ask.section if self.ask else ""
        self.query_one(SectionList).show(states, current)
        checks = self.query_one(CheckPanel)
        checks.show(self.interview.findings())
        # On #side, not the screen: a class on the screen restyles every bubble of the conversation.
        side, errors = self.query_one("#side"), any(f.level == "error" for f in checks.findings)
        if side.has_class("-errors") != errors:
            side.set_class(errors, "-errors")
        self.query_one("#checks-title", Static).update(f"检查：{checks.summary}")
        self.query_one("#status", Static).update(self._status(states, current, checks))

    def _status(self, states: dict[str, str], current: str, checks: CheckPanel) -> Content:
        parts: list[str | tuple[str, str]] = []
        if self.ask is not None:
            done, total = self.ask.progress
            mark, style = STATE_LOOK.get(states.get(current, ""), ("·", "$text-muted"))
            parts += [(f"{mark} ", style), (self.titles.get(current, ""), "bold"), f"  已答 {done}/{total}  "]
        else:
            parts += [("✓ 全部问题已回答  ", "$text-success")]
        errors = sum(f.level == "error" for f in checks.findings)
        parts.append(
            (
                f"检查：{checks.summary}",
                "$text-error" if errors else "$text-success" if not checks.findings else "$text-warning",
            )
        )
        return Content.assemble(*parts)

    # ------------------------------------------------------------ answering
    @on(AnswerBox.Answered)
    def _answered(self, event: AnswerBox.Answered) -> None:
        event.stop()
        reply = self.interview.answer(event.text)
        if reply.ok:
            self.save()  # before anything is drawn: a kill after this loses nothing confirmed
        log = self.query_one(ChatLog)
        if event.shown:
            log.say(event.shown, CLERK, reply.question_id if reply.ok else "")
        if reply.needs_confirmation:
            self.refresh_panels()
            self.app.push_screen(YesNoDialog(reply.message, yes="是，没有打错", no="否，重新输入"), self._confirmed)
            return
        self.after_reply(reply)

    def _confirmed(self, yes: bool | None) -> None:
        reply = self.interview.answer("是" if yes else "否")
        if reply.ok:
            self.save()
        self.query_one(ChatLog).say("是" if yes else "否", CLERK)
        self.after_reply(reply)

    def after_reply(self, reply: Reply) -> None:
        log = self.query_one(ChatLog)
        log.say(reply.message, NOTICE if reply.ok else ERROR)
        if reply.ok or self.interview.current() != self.ask:
            self.show_current()
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
        try:
            self.opened.save()
        except WizardError as error:
            self.query_one(ChatLog).say(str(error), ERROR)
            self.notify(str(error), title="保存失败", severity="error", timeout=10)

    def _focus_answer(self) -> None:
        if self.box is not None and self.box.is_mounted:
            self.box.focus_input()

    # ------------------------------------------------------------ navigation
    def open_section(self, section: str) -> None:
        self.interview.goto_section(section)
        self.save()  # the place to resume from
        self._hide_side()
        self.query_one(ChatLog).say(f"转到「{self.titles.get(section, section)}」。", NOTICE)
        self.show_current()

    def edit(self, question_id: str) -> None:
        """Open an earlier question to change its answer; later answers are kept."""
        try:
            self.interview.goto(question_id)
        except KeyError as error:
            self.notify(str(error.args[0]), severity="warning")
            return
        self.save()
        self.query_one(ChatLog).say("修改之前的回答（直接回车保留原来的回答）：", NOTICE)
        self.show_current()

    @on(Bubble.Edit)
    def _bubble_edit(self, event: Bubble.Edit) -> None:
        self.edit(event.question_id)

    @on(SectionList.Chosen)
    def _section_chosen(self, event: SectionList.Chosen) -> None:
        self.open_section(event.section)

    @on(CheckPanel.Jump)
    def _jump(self, event: CheckPanel.Jump) -> None:
        self.jump_to(event.finding)

    def jump_to(self, finding: Finding | None) -> None:
        """Go to the question whose answer fixes ``finding``."""
        if finding is None:
            return
        question = self.interview.question_for(finding)
        if question is None:
            self.notify("这一项需要在报告文字中修改，没有对应的问题。", severity="warning")
            return
        self.interview.goto(question)
        self.save()
        self._hide_side()
        self.query_one(ChatLog).say(f"为修正“{finding.message}”，转到这个问题：", NOTICE)
        self.show_current()

    def action_undo(self) -> None:
        reply = self.interview.undo()
        if reply is None:
            self.notify("没有可以撤销的回答。")
            return
        self.save()
        self.after_reply(reply)

    def action_help(self) -> None:
        if self.ask is None:
            self.app.push_screen(HelpDialog("说明", "所有问题都已回答。按 F5 预览与导出，或选择任意部分修改。"))
            return
        self.app.push_screen(HelpDialog(self.ask.text, self._help_text(self.ask)))

    @staticmethod
    def _help_text(ask: Ask) -> str:
        from ... import form

        text = ask.help
        if ask.cells:
            names = [form.cell_name(c) for c in ask.cells[:8]]
            more = f" 等 {len(ask.cells)} 项" if len(ask.cells) > 8 else ""
            text += "\n\n这个回答填入：" + "、".join(names) + more
        if ask.default and not ask.required:
            text += f"\n\n直接回车表示：{ask.default}"
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
        leave = getattr(self.app, "leave_session", None)
        if leave is not None:
            leave()
        else:
            self.app.pop_screen()

    def action_review(self) -> None:
        from .review import ReviewScreen

        self.app.push_screen(ReviewScreen(self.opened), self.jump_to)

    def on_screen_resume(self) -> None:
        self.refresh_panels()
        self._focus_answer()

    def on_unmount(self) -> None:
        close = getattr(self.app, "close_session", None)
        if close is not None:
            close(self.opened)
