"""Golden files: the rendered txt/md/html of the example session and of a non-zero session, one readable file
each under tests/__snapshots__/test_golden/, so that any change to the output shows as a diff.

After an intended change of the output: ``python -m pytest tests/test_golden.py --snapshot-update``, then
read the diff of the golden files before committing them.
"""

from __future__ import annotations

import pytest
from syrupy.extensions.single_file import SingleFileSnapshotExtension, WriteMode

from helpers import COUNTY_ANSWERS, county_report
from report_wizard import store
from report_wizard.core import paths
from report_wizard.core.model import Report, derive_report
from report_wizard.output.render import FORMATS, render_report


class _Text(SingleFileSnapshotExtension):
    _write_mode = WriteMode.TEXT


class TxtSnapshot(_Text):
    _file_extension = "txt"


class MarkdownSnapshot(_Text):
    _file_extension = "md"


class HtmlSnapshot(_Text):
    _file_extension = "html"


EXTENSIONS = {"txt": TxtSnapshot, "md": MarkdownSnapshot, "html": HtmlSnapshot}


def example_report() -> Report:
    return derive_report(store.load_session(paths.example_session()))


def test_the_formats_have_golden_files() -> None:
    assert set(EXTENSIONS) == set(FORMATS)


@pytest.mark.parametrize("fmt", FORMATS)
def test_example(snapshot, fmt: str) -> None:
    assert render_report(example_report(), fmt) == snapshot(extension_class=EXTENSIONS[fmt])


@pytest.mark.parametrize("fmt", FORMATS)
def test_county_department(snapshot, fmt: str) -> None:
    assert render_report(county_report(), fmt) == snapshot(extension_class=EXTENSIONS[fmt])


# ---------------------------------------------------------------- the conversation itself
# The county report again, typed by a clerk who slips: help, a wrong choice number, a year in Chinese
# numerals, undo, an implausible number rejected, a negative count, an amount in 元, an unknown outcome
# number, a short table-四 row, undo; then section 一 typed in and 五、六 from the library.
SLIPS = [
    *["?", "文峰区教育局", "9", "3", "文峰区人民政府", "二〇二三年", "2023", ""],
    *["是", "abc", "3", "撤销", "3", "1", "12", "50000000", "2", "45", "-7", "7", "2", "12500元"],
    *COUNTY_ANSWERS[13:23],
    *["1 2 3 4 6 7 8", COUNTY_ANSWERS[23]],
    *COUNTY_ANSWERS[24:-3],
    *["1 0 0", "2 1 0 1", "撤销", "2 1 0 1"],
    *COUNTY_ANSWERS[-2:],
    *["2", "本年度，我局认真贯彻落实《中华人民共和国政府信息公开条例》。", "主动公开、依申请公开等工作有序开展。", ""],
    *[""] * 8,
]


def test_plain_conversation_with_slips(snapshot, tmp_path) -> None:
    import io

    from report_wizard.cli.plain import run_plain

    out = io.StringIO()
    path = tmp_path / "文峰区教育局-2023.toml"
    code = run_plain(path, store.new_session("未命名", 2024), io.StringIO("".join(f"{t}\n" for t in SLIPS)), out)
    assert code == 0
    assert "问题已经全部答完了。" in out.getvalue()
    assert out.getvalue() == snapshot(extension_class=TxtSnapshot)
