"""The grid editor (issue 12): tables 二, 三 and 四 as a grid. Arrows move, typing a number edits the cell,
Enter confirms (saved like an answer, Ctrl+Z undoes), a block pasted from Word/WPS/Excel fills the table.

It displays; interview.grid decides what a paste means and which answers an edit is.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.coordinate import Coordinate
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Header, Static

from report_wizard.core import form
from report_wizard.core.errors import WizardError
from report_wizard.interview.grid import GRIDS, T2_NOTE, Grid, parse_block, parse_cell
from report_wizard.interview.parse import ParseError
from report_wizard.interview.rows import remainder
from report_wizard.interview.values import fmt
from report_wizard.opening import OpenSession
from report_wizard.tui.widgets.footer import KeyFooter
from report_wizard.tui.wrap import wrap

TABLE_ORDER = ("t2", "t3", "t4")
_EDIT_KEYS = frozenset("0123456789.")
_MOVES = {
    "up": "cursor_up",
    "down": "cursor_down",
    "left": "cursor_left",
    "right": "cursor_right",
    "pageup": "page_up",
    "pagedown": "page_down",
}
LABEL_WIDTH = 18  # the label column: row names are long; the whole name shows on the line below the grid


class GridTable(DataTable[Text]):
    """A DataTable that takes digits as an edit of the cell under the cursor, and a pasted block."""

    class Typed(Message):
        """The edit buffer changed (``text``), or Enter confirmed it (``confirm``)."""

        def __init__(self, text: str, confirm: bool = False) -> None:
            super().__init__()
            self.text = text
            self.confirm = confirm

    class Pasted(Message):
        def __init__(self, text: str) -> None:
            super().__init__()
            self.text = text

    buffer = ""

    async def _on_key(self, event: events.Key) -> None:
        char = event.character or ""
        if char and unicode_digit(char) in _EDIT_KEYS:
            self.buffer += unicode_digit(char)
        elif event.key == "backspace" and self.buffer:
            self.buffer = self.buffer[:-1]
        elif event.key == "enter" and self.buffer:
            event.stop()
            event.prevent_default()
            self.post_message(self.Typed(self.buffer, confirm=True))
            return
        elif event.key == "escape" and self.buffer:
            self.buffer = ""
        elif event.key in _MOVES:
            # Moved here, not by the bindings: those run once the key has bubbled up to the app, after digits
            # typed ahead have already reached this widget, and an edit would land in the cell left behind.
            event.stop()
            event.prevent_default()
            if self.buffer:
                self.buffer = ""  # moving away drops an unconfirmed edit, as in a spreadsheet
                self.post_message(self.Typed(""))
            getattr(self, f"action_{_MOVES[event.key]}")()
            return
        else:
            return
        event.stop()
        event.prevent_default()
        self.post_message(self.Typed(self.buffer))

    def _on_paste(self, event: events.Paste) -> None:
        event.stop()
        self.post_message(self.Pasted(event.text))


def unicode_digit(char: str) -> str:
    """Full-width digits typed with a Chinese input method count as digits."""
    if "０" <= char <= "９":
        return chr(ord(char) - ord("０") + ord("0"))
    return "." if char == "。" else char


class GridScreen(Screen[None]):
    """One table as a grid; [ and ] switch between tables 二, 三 and 四."""

    CSS_PATH = "grid.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "返回"),
        Binding("ctrl+z", "undo", "撤销", priority=True),
        Binding("left_square_bracket", "switch(-1)", "上一表"),
        Binding("right_square_bracket", "switch(1)", "下一表"),
    ]

    def __init__(self, opened: OpenSession, table: str = "t3") -> None:
        super().__init__()
        self.opened = opened
        self.interview = opened.interview
        self.table = table if table in GRIDS else "t3"
        self._message = ""

    @property
    def grid(self) -> Grid:
        return GRIDS[self.table]

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="grid-title")
        yield GridTable(id="grid", cursor_type="cell", zebra_stripes=True)
        yield Static(id="grid-cell")
        yield Static(id="grid-remainder")
        yield Static(id="grid-message")
        yield KeyFooter()

    def on_mount(self) -> None:
        meta = self.interview.session.meta
        self.sub_title = f"表格编辑 · {meta.agency} {meta.year}年"
        self.rebuild()
        self.say(
            "方向键移动，输入数字后按回车确认（每次修改都自动保存，Ctrl+Z 撤销）；"
            "从 Word、WPS 或 Excel 复制整张表（不含表头也可以）后粘贴，一次填满。[ ] 切换表二、表三、表四。"
        )
        self.query_one(GridTable).focus()

    # ------------------------------------------------------------ showing
    def rebuild(self) -> None:
        """Draw the table anew (a table switched to): its columns and rows, then the values."""
        table = self.query_one(GridTable)
        table.clear(columns=True)
        table.fixed_columns = 1
        table.add_column("", width=LABEL_WIDTH, key="label")
        for n, name in enumerate(self.grid.columns):
            table.add_column(name, key=str(n))
        for r, row in enumerate(self.grid.rows):
            width = len(self.grid.columns)
            label = Text(_short(row.label), style="bold" if row.computed else "")
            table.add_row(label, *[Text("") for _ in range(width)], key=str(r))
        self._shown: dict[tuple[int, int], Text] = {}
        table.move_cursor(row=0, column=1, animate=False)
        self.refresh_values()

    def refresh_values(self) -> None:
        """The values now, computed totals dim, cells of a broken rule marked; only changed cells are redrawn."""
        table = self.query_one(GridTable)
        grid, report = self.grid, self.interview.report()
        errors, warnings = set(), set()
        for finding in self.interview.findings():
            (errors if finding.level == "error" else warnings).update(finding.cells)
        for r, row in enumerate(grid.rows):
            cells = [*row.cells, row.total] if grid.has_total else list(row.cells)
            for c, cell in enumerate(cells, 1):
                if cell is None:
                    text = Text("—", style="dim", justify="center")
                else:
                    style = "dim" if cell in form.TOTAL_CELLS else ""
                    if cell in errors:
                        style = "bold white on red"
                    elif cell in warnings:
                        style = "bold black on yellow"
                    text = Text(fmt(report.value(cell)), style=style, justify="right")
                if self._shown.get((r, c)) != text:
                    self._shown[(r, c)] = text
                    table.update_cell_at(Coordinate(r, c), text, update_width=True)
        title = f"{grid.title}（{TABLE_ORDER.index(self.table) + 1}/3）"
        self.query_one("#grid-title", Static).update(title)
        if self.table == "t3":
            left = [
                f"{form.T3_COLUMN_LABEL[c]} {fmt(d)}"
                for c in form.T3_PART_COLUMNS
                if (d := remainder(report.values, c))
            ]
            text = "一+二−（七）−四：" + ("、".join(left) + "（应都为 0）" if left else "各栏都为 0，勾稽关系相符")
            self.query_one("#grid-remainder", Static).update(Text(text, style="bold red" if left else "green"))
        else:
            note = T2_NOTE if self.table == "t2" else "总计由程序计算。"
            self.query_one("#grid-remainder", Static).update("\n".join(wrap(note, max(self.size.width - 2, 20))))
        self.show_cell()

    def current_cell(self) -> str | None:
        coordinate = self.query_one(GridTable).cursor_coordinate
        if coordinate.column == 0 or coordinate.row >= len(self.grid.rows):
            return None
        row = self.grid.rows[coordinate.row]
        cells = [*row.cells, row.total] if self.grid.has_total else list(row.cells)
        return cells[coordinate.column - 1] if coordinate.column - 1 < len(cells) else None

    def show_cell(self, buffer: str = "") -> None:
        cell = self.current_cell()
        if cell is None:
            row = self.grid.rows[min(self.query_one(GridTable).cursor_coordinate.row, len(self.grid.rows) - 1)]
            text = row.label
        else:
            value = fmt(self.interview.report().value(cell))
            text = f"{form.cell_name(cell)}：{value}"
            if buffer:
                text += f" → {buffer}▏（回车确认，Esc 取消）"
            elif cell in form.TOTAL_CELLS:
                text += "（合计，由程序计算）"
        self.query_one("#grid-cell", Static).update("\n".join(wrap(text, max(self.size.width - 2, 20))))

    def say(self, message: str) -> None:
        self._message = message
        self.query_one("#grid-message", Static).update("\n".join(wrap(message, max(self.size.width - 2, 20))))

    def on_resize(self) -> None:
        if self._message:
            self.call_after_refresh(self.say, self._message)

    def on_data_table_cell_highlighted(self, event: DataTable.CellHighlighted) -> None:
        self.show_cell(self.query_one(GridTable).buffer)

    # ------------------------------------------------------------ editing
    def on_grid_table_typed(self, event: GridTable.Typed) -> None:
        event.stop()
        if not event.confirm:
            self.show_cell(event.text)
            return
        table = self.query_one(GridTable)
        table.buffer = ""
        cell = self.current_cell()
        if cell is None:
            self.say("这一格不能填写。")
        elif cell in form.TOTAL_CELLS:
            self.say(f"{form.cell_name(cell)} 是合计，由程序计算，不能填写；请修改它上面或左边的各格。")
        else:
            try:
                value = parse_cell(cell, event.text)
            except ParseError as error:
                self.say(f"{error} 没有记录。")
            else:
                self.apply({cell: value})
        self.show_cell()

    def on_grid_table_pasted(self, event: GridTable.Pasted) -> None:
        event.stop()
        try:
            values = parse_block(self.grid, event.text)
        except ParseError as error:
            self.say(f"粘贴的内容不能填入{self.grid.title.split()[0]}：{error}")
            return
        self.apply(values)

    def apply(self, values: dict[str, int | float]) -> None:
        reply = self.interview.set_cells(values)
        if reply.ok:
            self.save()
            self.refresh_values()
        self.say(reply.message)

    def save(self) -> None:
        try:
            self.opened.save()
        except WizardError as error:
            self.notify(f"{error}\n这次修改还没有保存到磁盘，下次修改时会再试。", title="保存失败", severity="error")

    def action_undo(self) -> None:
        reply = self.interview.undo()
        if reply is None:
            self.say("没有可以撤销的修改。")
            return
        self.save()
        self.refresh_values()
        self.say(reply.message)

    def action_switch(self, step: int) -> None:
        self.table = TABLE_ORDER[(TABLE_ORDER.index(self.table) + step) % len(TABLE_ORDER)]
        self.query_one(GridTable).buffer = ""
        self.rebuild()

    def action_back(self) -> None:
        self.dismiss(None)


def _short(label: str) -> str:
    """A row label cut to the label column (the whole label shows below the grid)."""
    width, out = 0, ""
    for ch in label:
        w = 2 if ord(ch) > 0x2E7F else 1
        if width + w > LABEL_WIDTH - 1:
            return out + "…"
        out, width = out + ch, width + w
    return out
