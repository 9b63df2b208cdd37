"""``report-wizard check``: the reviewer's check of sessions and published reports, one by one and in batch.

Each input (a session, a published report read in memory by the importer, or a folder of them) gets a verdict
— 通过, 有错误, 不完整 (a table or a section missing) or 无法读取 — with its findings and the rules that could
not run for want of cells. Text output lists them and ends with one summary line per report when there are
several; ``--format json`` gives everything, ``--format csv`` the summary lines.
"""

from __future__ import annotations

import csv
import html
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from report_wizard.cli.main import EXIT_FINDINGS, EXIT_INCOMPLETE, EXIT_OK, EXIT_UNREADABLE, _guard
from report_wizard.core.errors import WizardError

if TYPE_CHECKING:
    from report_wizard.checks import Finding, Unchecked
    from report_wizard.core.model import Report

UNREADABLE = "无法读取"
EXIT_BY_VERDICT = {"通过": EXIT_OK, "有错误": EXIT_FINDINGS, "不完整": EXIT_INCOMPLETE, UNREADABLE: EXIT_UNREADABLE}
# A batch exits with its most serious verdict: a file not read at all, then errors found, then a report
# that could not be judged whole.
SEVERITY = (EXIT_UNREADABLE, EXIT_FINDINGS, EXIT_INCOMPLETE, EXIT_OK)


@dataclass
class Checked:
    path: Path
    verdict: str
    report: Report | None = None
    findings: list[Finding] = field(default_factory=list)
    unchecked: list[Unchecked] = field(default_factory=list)
    unreadable: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    error: str = ""

    @property
    def errors(self) -> int:
        """Errors in what was read (a missing table is in ``unreadable``, not counted again here)."""
        from report_wizard.checks.coverage import INCOMPLETE_RULES

        return sum(1 for f in self.findings if f.level == "error" and f.rule not in INCOMPLETE_RULES)

    @property
    def warnings(self) -> int:
        return sum(1 for f in self.findings if f.level == "warning")


def expand(paths: list[Path]) -> list[Path | tuple[Path, str]]:
    """Folders become the files in them that ``check`` reads (sorted; hidden files, backups and locks left
    out); a folder with none of them becomes (folder, why)."""
    out: list[Path | tuple[Path, str]] = []
    for path in paths:
        if not path.is_dir():
            out.append(path)
            continue
        from report_wizard.opening import readable_suffixes  # the importer's formats: loaded for folders only

        suffixes = readable_suffixes()
        try:
            found = sorted(
                p
                for p in path.iterdir()
                if p.suffix.lower() in suffixes and not p.name.startswith((".", "~$")) and p.is_file()
            )
        except OSError as exc:
            out.append((path, f"无法打开文件夹（{exc.strerror or type(exc).__name__}）。"))
            continue
        if not found:
            names = "、".join(suffixes)
            out.append((path, f"文件夹中没有可以检查的文件（会话文件或已发布的报告：{names}）。"))
        out.extend(found)
    return out


def _squeezed(name: str) -> str:
    return "".join(name.split())


def same_agency(a: str, b: str) -> bool:
    """The same agency, allowing the name with or without its city (洪泽区人民政府 / 淮安市洪泽区人民政府)."""
    from report_wizard.core.model import UNRECOGNISED_AGENCY

    if UNRECOGNISED_AGENCY in (a, b):
        return True  # a title without the agency's name: nothing to compare
    a, b = _squeezed(a), _squeezed(b)
    short, long = sorted((a, b), key=len)
    return a == b or (len(short) >= 4 and long.endswith(short))


def read_one(path: Path) -> Checked:
    """The report read (not yet checked), or the reason it cannot be."""
    from report_wizard.core.model import derive_report
    from report_wizard.opening import read_any

    try:
        report = _guard(lambda: derive_report(read_any(path)))
    except WizardError as error:
        return Checked(path, UNREADABLE, error=str(error))
    return Checked(path, "", report=report)


def check_one(result: Checked, previous: Report | None, named: bool) -> None:
    """Run every rule on ``result.report`` (read by read_one), against ``previous`` if it is last year's
    report of the same agency; ``named``: given with --previous (a refusal is then said, with the reason)."""
    from report_wizard.checks import run_checks, unchecked, unreadable, verdict

    report = result.report
    assert report is not None
    if previous is not None and not same_agency(previous.meta.agency, report.meta.agency):
        result.notes.append(
            f"上一年度的报告是「{previous.meta.agency}」的，不是「{report.meta.agency}」的：没有做跨年度检查。"
        )
        previous = None
    elif previous is not None and not named:
        result.notes.append(f"与同一批中的 {previous.meta.year} 年度报告做了跨年度检查。")
    try:
        findings = _guard(lambda: run_checks(report, previous))
    except WizardError as error:
        result.verdict, result.error = UNREADABLE, str(error)
        return
    result.findings = findings
    result.verdict = verdict(findings)
    result.unchecked = unchecked(report, previous is not None)
    result.unreadable = unreadable(report)


def _last_years(results: list[Checked]) -> dict[int, Report]:
    """Index of a report -> last year's report of the same agency in the same batch (exactly one, else none:
    two candidates would be a guess). By name first, so that a batch of a thousand stays linear."""
    from report_wizard.core.model import UNRECOGNISED_AGENCY as UNNAMED_AGENCY

    by_year: dict[int, list[Report]] = {}
    by_name: dict[tuple[int, str], list[Report]] = {}
    for result in results:
        if result.report is not None:
            meta = result.report.meta
            by_year.setdefault(meta.year, []).append(result.report)
            by_name.setdefault((meta.year, _squeezed(meta.agency)), []).append(result.report)
    out: dict[int, Report] = {}
    for i, result in enumerate(results):
        if result.report is None:
            continue
        meta = result.report.meta
        if meta.agency == UNNAMED_AGENCY:
            continue  # a report without its agency's name is nobody's next year
        found = by_name.get((meta.year - 1, _squeezed(meta.agency)))
        if not found:
            found = [
                r
                for r in by_year.get(meta.year - 1, [])
                if r.meta.agency != UNNAMED_AGENCY and same_agency(r.meta.agency, meta.agency)
            ]
        if len(found) == 1:
            out[i] = found[0]
    return out


def check_reports(paths: list[Path], previous_path: Path | None, fmt: str, out: TextIO) -> int:
    previous = None
    if previous_path is not None:
        last = read_one(previous_path)
        if last.report is None:
            print(f"{previous_path}: 上一年度的会话文件无法使用：{last.error}", file=out)
            return EXIT_UNREADABLE
        previous = last.report
    results: list[Checked] = []
    for item in expand(paths):
        results.append(Checked(item[0], UNREADABLE, error=item[1]) if isinstance(item, tuple) else read_one(item))
    # Several years of one agency in one batch: each is checked against its own last year (X-CARRY,
    # T2-STOCK, S-COPY); --previous, when given, is the last year of every report.
    last_years = {} if previous is not None else _last_years(results)
    for i, result in enumerate(results):
        if result.report is not None:
            check_one(result, previous if previous is not None else last_years.get(i), previous is not None)
        if fmt == "text":
            _print_text(result, out)
    if fmt == "text" and len(results) > 1:
        _print_summary(results, out)
    elif fmt == "json":
        json.dump(_as_json(results), out, ensure_ascii=False, indent=2)
        out.write("\n")
    elif fmt == "csv":
        _print_csv(results, out)
    elif fmt == "html":
        out.write(_as_html(results))
    codes = {EXIT_BY_VERDICT[r.verdict] for r in results}
    return next(code for code in SEVERITY if code in codes)


# ---------------------------------------------------------------- output
def _print_text(result: Checked, out: TextIO) -> None:
    path, report = result.path, result.report
    if report is None or result.error:
        print(f"{path}: {result.error}", file=out)
        return
    for note in result.notes:
        print(f"{path}: 说明 {note}", file=out)
    if report.unknown:
        print(f"{path}: 提醒 有 {len(report.unknown)} 个单元格原文缺失或有歧义，用到它们的检查没有做。", file=out)
    if not result.findings:
        print(f"{path}: 检查通过，没有发现问题。", file=out)
    for finding in result.findings:
        level = "错误" if finding.level == "error" else "提醒"
        print(f"{path}: {level} {finding.rule} {finding.message}", file=out)
    for item in result.unchecked:
        print(f"{path}: {item.message}", file=out)
    if result.verdict == "不完整":
        print(
            f"{path}: 结论 不完整（{'、'.join(result.unreadable)}）：已读到的部分有 {result.errors} 处错误、"
            f"{result.warnings} 条提醒。",
            file=out,
        )


def _row(result: Checked) -> list[str]:
    """One report's summary: file, agency, year, verdict, errors, warnings, what was not readable."""
    report = result.report
    if report is None or result.error:
        return [str(result.path), "", "", UNREADABLE, "", "", result.error]
    return [
        str(result.path),
        report.meta.agency,
        str(report.meta.year),
        result.verdict,
        str(result.errors),
        str(result.warnings),
        "、".join(result.unreadable),
    ]


def _print_summary(results: list[Checked], out: TextIO) -> None:
    counts = {v: sum(1 for r in results if r.verdict == v) for v in EXIT_BY_VERDICT}
    said = "，".join(f"{v} {n}" for v, n in counts.items() if n)
    print(f"\n汇总：共 {len(results)} 份，{said}。", file=out)
    for result in results:
        path, agency, year, verdict, errors, warnings, missing = _row(result)
        if verdict == UNREADABLE:
            print(f"{path}\t{verdict}\t{missing}", file=out)
            continue
        unread = f"未能读取：{missing}" if missing else "全部读到"
        print(f"{path}\t{agency}\t{year}年\t{verdict}\t错误 {errors}\t提醒 {warnings}\t{unread}", file=out)


CSV_HEADER = ["文件", "机关", "年度", "结论", "错误", "提醒", "未能读取或无法读取的原因"]


def _print_csv(results: list[Checked], out: TextIO) -> None:
    # A UTF-8 byte order mark first: Excel, which a 政务公开办 opens the file with, reads a csv without one in
    # the system's ANSI code page (GBK) and shows the Chinese garbled.
    out.write("\ufeff")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_HEADER)
    for result in results:
        writer.writerow(_row(result))


def _as_json(results: list[Checked]) -> dict[str, object]:
    reports: list[dict[str, object]] = []
    for result in results:
        entry: dict[str, object] = {"file": str(result.path), "verdict": result.verdict}
        if result.report is None or result.error:
            entry["reason"] = result.error
            reports.append(entry)
            continue
        entry |= {
            "agency": result.report.meta.agency,
            "year": result.report.meta.year,
            "errors": result.errors,
            "warnings": result.warnings,
            "unreadable": result.unreadable,
            "notes": result.notes,
            "unchecked": [{"rules": list(u.rules), "partly": u.partly, "message": u.message} for u in result.unchecked],
            "findings": [
                {"level": f.level, "rule": f.rule, "section": f.section, "cells": list(f.cells), "message": f.message}
                for f in result.findings
            ],
        }
        reports.append(entry)
    summary = {v: sum(1 for r in results if r.verdict == v) for v in EXIT_BY_VERDICT}
    return {"reports": reports, "summary": summary}


_HTML_STYLE = """
body { font-family: "SimSun", "Songti SC", serif; margin: 2em; line-height: 1.6; }
h1 { font-size: 1.5em; text-align: center; }
h2 { font-size: 1.15em; margin-top: 1.6em; border-bottom: 1px solid #999; }
table { border-collapse: collapse; width: 100%; }
th, td { border: 1px solid #666; padding: 0.2em 0.5em; vertical-align: top; }
.错误 { font-weight: bold; }
.file { color: #555; font-size: 0.9em; }
@media print { section { break-inside: avoid-page; } body { margin: 0; } }
"""


def _as_html(results: list[Checked]) -> str:
    """A page a 政务公开办 can print: the summary table, then each report with every finding and its numbers.
    Every text from a report is escaped: it is shown, never interpreted."""
    e = html.escape
    counts = {v: sum(1 for r in results if r.verdict == v) for v in EXIT_BY_VERDICT}
    said = "，".join(f"{v} {n}" for v, n in counts.items() if n)
    lines = [
        "<!DOCTYPE html>",
        '<html lang="zh-CN"><head><meta charset="utf-8"><title>政府信息公开工作年度报告检查结果</title>',
        f"<style>{_HTML_STYLE}</style></head><body>",
        "<h1>政府信息公开工作年度报告检查结果</h1>",
        f"<p>共 {len(results)} 份：{e(said)}。</p>",
        "<table><thead><tr>" + "".join(f"<th>{e(h)}</th>" for h in CSV_HEADER) + "</tr></thead><tbody>",
    ]
    for result in results:
        lines.append("<tr>" + "".join(f"<td>{e(cell)}</td>" for cell in _row(result)) + "</tr>")
    lines.append("</tbody></table>")
    for result in results:
        report = result.report
        title = f"{report.meta.agency} {report.meta.year} 年度" if report is not None else "无法读取的文件"
        lines.append(f"<section><h2>{e(title)}：{e(result.verdict)}</h2>")
        lines.append(f'<p class="file">{e(str(result.path))}</p>')
        if result.error:
            lines.append(f"<p>{e(result.error)}</p></section>")
            continue
        items = [f'<li class="{e(_level(f.level))}">{e(_level(f.level))} {e(f.rule)}：{e(f.message)}</li>' for f in
                 result.findings]  # fmt: skip
        items += [f"<li>说明：{e(note)}</li>" for note in result.notes]
        items += [f"<li>{e(u.message)}</li>" for u in result.unchecked]
        lines.append("<ul>" + "".join(items) + "</ul>" if items else "<p>检查通过，没有发现问题。</p>")
        lines.append("</section>")
    lines.append("</body></html>")
    return "\n".join(lines) + "\n"


def _level(level: str) -> str:
    return "错误" if level == "error" else "提醒"
