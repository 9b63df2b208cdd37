"""S-CITE: the format basis cited. S-TYPO: a word or phrase typed twice in a row (审核审核, a whole clause
pasted twice), a stray space inside a number (「受理申请 1 2 件」) and hand-numbered points that skip or repeat
(「一是…；三是…」), in the narrative sections.

Only the narrative: a published page's preamble holds breadcrumbs (首页>政府信息公开>政府信息公开年报) and
its flattened tables hold digits separated by spaces on purpose, neither of them typing.
"""

from __future__ import annotations

import re

from report_wizard.checks.findings import Finding, warn
from report_wizard.core import form
from report_wizard.core.model import Report
from report_wizard.narrative.paragraphs import section_text

_SPACE = re.compile(r"[ \t\u3000\xa0]+")
# A unit of two or more characters (Chinese, digits, Latin) written twice running; reduplicated single
# characters (常常, 认认真真) are ordinary Chinese and not matched.
_DOUBLED = re.compile(r"([\u4e00-\u9fff0-9A-Za-z]{2,40}?)\1")
_CJK = re.compile(r"[\u4e00-\u9fff]")
# Counted words a report really repeats: 一个一个, 一项一项, 逐一逐一 are style, not typing.
_STYLE = re.compile(r"^一[个件项条步次批段]$")
_SPLIT_NUMBER = re.compile(r"(?<![\d.:：/\-])\d+[ \u3000\xa0]+\d+(?=[件起宗例条个项万元%％])")


# 「一是…；二是…；三是…」: a list the text numbers by hand. Not anchored to a clause start: flattened pages run
# 「…平台建设方面一是开展…」 together; a word such as 统一是 only starts a list again, which names nothing.
_POINT = re.compile(r"([一二三四五六七八九十])是")
_NUMERALS = "一二三四五六七八九十"


def _numbering_slips(text: str) -> list[tuple[str, str, int]]:
    """Hand-numbered points that skip or repeat (09's 「一是…；三是…；三是…」): (expected, found, where).
    A 「一是」 starts a new list (the problems, then the measures); one slip is named per list."""
    slips: list[tuple[str, str, int]] = []
    last, slipped = 0, False
    for match in _POINT.finditer(text):
        n = _NUMERALS.index(match.group(1)) + 1
        if n == 1:
            last, slipped = 1, False
            continue
        if last and n != last + 1 and not slipped:
            slips.append((_NUMERALS[last], match.group(1), match.start()))
            slipped = True
        last = n
    return slips


def _context(text: str, start: int, end: int) -> str:
    return text[max(0, start - 8) : min(len(text), end + 8)]


def typo_checks(report: Report, out: list[Finding]) -> None:
    for section in form.NARRATIVE_SECTIONS:
        raw = section_text(report, section)
        if not raw:
            continue
        heading = form.SECTION_BY_ID[section].heading
        text = _SPACE.sub("", raw)
        for match in _DOUBLED.finditer(text):
            unit = match.group(1)
            if len(_CJK.findall(unit)) < 2 or _STYLE.match(unit):
                continue
            said = _context(text, match.start(), match.end())
            message = f"{heading} 中「{unit}」连写了两遍（…{said}…），可能是多打了一遍。"
            out.append(warn("S-TYPO", section, message))
        for expected, found, at in _numbering_slips(text):
            said = _context(text, at, at + 2)
            message = f"{heading} 中逐条编号的「{expected}是」处写成了「{found}是」（…{said}…），编号跳过或重复了。"
            out.append(warn("S-TYPO", section, message))
        for match in _SPLIT_NUMBER.finditer(raw):
            said = _context(raw, match.start(), match.end())
            message = f"{heading} 中的数字「{match.group()}」中间有空格（…{said}…），请确认是一个数还是两个数。"
            out.append(warn("S-TYPO", section, message))


# The 2019 notice, by number or by its title; the 2021 one by number or by the title of the format it issued.
_NOTICE_2019 = (
    re.compile(r"国办公开办函[〔\[(（【]?2019[〕\])）】]?60号"),
    re.compile(r"关于政府信息公开工作年度报告有关事项的通知"),
)
_NOTICE_2021 = re.compile(r"国办公开办函[〔\[(（【]?2021[〕\])）】]?30号|政府信息公开工作年度报告格式")


def citation_checks(report: Report, out: list[Finding]) -> None:
    """S-CITE: from the 2021 reports on, the basis is 国办公开办函〔2021〕30号, not the 2019 notice it replaced."""
    if report.year < 2021:
        return
    preamble = report.imported.texts.get("preamble", "") if report.imported is not None else ""
    text = _SPACE.sub("", preamble + "".join(section_text(report, s) for s in form.NARRATIVE_SECTIONS))
    old = _NOTICE_2019[0].search(text) or _NOTICE_2019[1].search(text)  # its number, if it is given
    if old and not _NOTICE_2021.search(text):
        message = (
            f"{report.year} 年度的报告依据的是「{old.group()}」（2019 年的通知），应依据{form.FORMAT_BASIS}"
            "及其印发的年度报告格式。"
        )
        out.append(warn("S-CITE", "overview", message))
