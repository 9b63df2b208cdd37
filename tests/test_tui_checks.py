"""Pilot: non-zero table 三 through the TUI, a wrong count flagged live in the check panel, then fixed."""

from __future__ import annotations

from pathlib import Path

from helpers import BASICS, PROACTIVE, answer, interview_screen, make_app, new_file
from report_wizard.core import form
from report_wizard.store import load_session
from report_wizard.tui.widgets.chat import Bubble
from report_wizard.tui.widgets.checks import CheckPanel

# 新收 12 (自然人 10, 商业企业 2), 上年结转 1 (自然人); 自然人: 予以公开 6, 无法提供/不掌握 3, 结转 2;
# 商业企业: both 予以公开.
REQUESTS = ["是", "1 2", "10", "2", "是", "1", "1", "1 4 7", "1", "6", "3", "", "1"]


def t3(values: dict, row: str, column: str) -> int:
    return values[form.t3_cell(row, column)]


async def test_wrong_count_is_flagged_with_numbers_and_clears_when_fixed(tmp_path: Path) -> None:
    path = new_file(tmp_path, **BASICS, **PROACTIVE)
    app = make_app(tmp_path, path)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = interview_screen(app)
        panel = screen.query_one(CheckPanel)
        for text in REQUESTS:
            await answer(pilot, text)
        assert screen.ask is not None and screen.ask.section == "review_litigation"
        values = load_session(path).cells
        assert t3(values, "new_requests", "natural_person") == 10 and t3(values, "new_requests", "commercial") == 2
        assert t3(values, "carried_over", "natural_person") == 1
        assert t3(values, "carried_forward", "natural_person") == 2
        assert not [f for f in panel.findings if f.level == "error"]

        # Edit an earlier count by clicking its answer in the conversation: 自然人 10 → 12.
        bubble = next(
            b for b in screen.query(Bubble) if b.question_id == "requests.new.natural_person" and b.has_class("-clerk")
        )
        bubble.scroll_visible(animate=False)
        await pilot.pause()
        await pilot.click(bubble)
        await pilot.pause()
        assert screen.ask is not None and screen.ask.id == "requests.new.natural_person"
        await answer(pilot, "12")
        # Two requests are not classified yet and the question that does it comes next: 待填写, not an error.
        assert panel.findings == ()
        pending = panel.view.pending[0]  # then the S-EMPTY ones of sections not reached yet
        assert pending.rule == "T3-BAL" and {f.rule for f in panel.view.pending[1:]} == {"S-EMPTY"}
        assert "新收 12 + 上年结转 1 = 13" in pending.message and "相差 2 件" in pending.message
        assert not screen.query_one("#side").has_class("-errors")
        prompt = str(panel.get_option_at_index(0).prompt)
        assert "T3-BAL" in prompt and "待填写" in prompt and "错误" not in prompt
        assert "待填写" in str(screen.query_one("#status").content)
        assert screen.ask is not None and screen.ask.id == "requests.rest.natural_person"
        assert load_session(path).cells[form.t3_cell("new_requests", "natural_person")] == 12  # saved

        # Choose the finding in the panel: it opens the question that fixes it; Enter carries the 2 over.
        panel.focus()
        panel.highlighted = 0
        await pilot.press("enter")
        await pilot.pause()
        assert screen.ask is not None and screen.ask.section == "requests"
        assert "2" in screen.ask.text  # the remainder is shown
        await answer(pilot, "")
        assert not [f for f in panel.findings if f.level == "error"]
        assert not screen.query_one("#side").has_class("-errors")
        values = load_session(path).cells
        assert t3(values, "carried_forward", "natural_person") == 4


async def test_palette_lists_every_section_and_finds_answers(tmp_path: Path) -> None:
    path = new_file(tmp_path, **BASICS, **PROACTIVE)
    app = make_app(tmp_path, path)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        screen = interview_screen(app)
        await pilot.press("ctrl+p")
        await pilot.pause()
        from textual.command import CommandList

        listed = app.screen.query_one(CommandList)
        prompts = [str(listed.get_option_at_index(i).prompt) for i in range(listed.option_count)]
        for heading in ("一、总体情况", "三、收到和处理政府信息公开申请情况", "六、其他需要报告的事项"):
            assert any(f"转到：{heading}" in p for p in prompts), prompts
        await pilot.press(*"转到六")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is screen
        assert screen.ask is not None and screen.ask.section == "other"
