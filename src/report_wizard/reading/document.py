"""What a report's text says besides its tables: agency, year and kind from the title, the six sections' text
verbatim (the preamble included), and the headings as printed."""

from __future__ import annotations

import itertools
import re
from collections import Counter
from dataclasses import dataclass, field

from report_wizard.core import form
from report_wizard.reading.numbers import first_group
from report_wizard.reading.tables import find_headings

_AGENCY = r"[\u4e00-\u9fff（）()·]{2,40}?"
_SUFFIX = r"\s*政府信息公开\s*工\s*作\s*年\s*度\s*报\s*告"
_TITLE_AGENCY_FIRST = re.compile(rf"({_AGENCY})\s*(20\d\d)\s*年\s*度?\s*(?:的)?{_SUFFIX}")
_TITLE_YEAR_FIRST = re.compile(rf"(20\d\d)\s*年\s*度?\s*({_AGENCY}){_SUFFIX}")
_PERIOD_YEAR = re.compile(r"(20\d\d)\s*年\s*1\s*月\s*1\s*日")
_MUNICIPALITIES = ("北京市", "上海市", "天津市", "重庆市")


@dataclass
class Document:
    agency: str = ""
    year: int | None = None
    kind: str = ""
    title: str = ""  # the title line as printed
    headings: dict[str, str] = field(default_factory=dict)  # section id -> as printed ("" = not found)
    preamble: str = ""
    sections: dict[str, list[str]] = field(default_factory=dict)  # narrative section -> paragraphs
    notes: list[str] = field(default_factory=list)


def _title(lines: list[str]) -> tuple[str, str, int] | None:
    """(title as printed, agency, year) from the first lines, or from a 《…年度报告》 quoted in the text."""
    head = [ln.strip().lstrip("#").strip() for ln in lines[:40] if ln.strip()]
    short = [ln for ln in head[:12] if len(ln) <= 60]  # a title is a line of its own (or two), not a sentence
    candidates = short + [a + b for a, b in itertools.pairwise(short)]
    for text in candidates:
        for pattern, agency_at, year_at in ((_TITLE_YEAR_FIRST, 2, 1), (_TITLE_AGENCY_FIRST, 1, 2)):
            match = pattern.search(text)
            if match and len(match.group(agency_at)) >= 2:
                return match.group().strip(), match.group(agency_at), int(match.group(year_at))
    quoted = re.search(r"《([^《》]{4,80}?年度报告)》", "\n".join(head))
    if quoted:
        for pattern, agency_at, year_at in ((_TITLE_YEAR_FIRST, 2, 1), (_TITLE_AGENCY_FIRST, 1, 2)):
            match = pattern.search(quoted.group(1))
            if match:
                return "", match.group(agency_at), int(match.group(year_at))
    return None


_PLACE = re.compile(r"^(?:[\u4e00-\u9fff]{1,7}?(?:省|自治区|自治州|市|州|盟|县|区|旗))+")


def agency_kind(agency: str) -> str:
    """The agency kind its name tells (街道办事处 → 街道/乡镇 …): the lowest place in the name and whether the
    rest names the government or one of its offices. A county-level 市 cannot be told from a 设区的市."""
    name = re.sub(r"[（(].*?[）)]", "", agency)
    if re.search(r"(街道办事处|街道|[镇乡](人民政府)?)$", name):
        return "subdistrict"
    place_match = _PLACE.match(name)
    place = place_match.group() if place_match else ""
    rest = name[len(place) :]
    units = re.findall(r"(省|自治区|自治州|市|州|盟|县|区|旗)", place)
    provincial = bool(units) and (
        units[0] in ("省", "自治区") or (place.startswith(_MUNICIPALITIES) and len(units) == 1)
    )
    county = bool(units) and units[-1] in ("县", "区", "旗") and not re.search(r"(综合实验区|新区)$", place)
    if rest in ("", "人民政府"):
        return "provincial" if provincial else "county_government" if county else "city_government"
    return "provincial" if provincial else "county_department" if county else "city_department"


def read_document(text: str, wrapped: bool) -> Document:
    doc = Document()
    lines = text.split("\n")
    found = _title(lines)
    if found:
        doc.title, doc.agency, doc.year = found
    else:
        doc.notes.append("没有找到报告标题（机关名称和年度）。")
    if doc.year is None:
        period = _PERIOD_YEAR.search(text)
        if period:
            doc.year = int(period.group(1))
            doc.notes.append(f"年度 {doc.year} 取自统计期限。")
    if doc.agency:
        doc.kind = agency_kind(doc.agency)
    headings = find_headings(text)
    for heading in form.SECTIONS:
        match = headings.get(heading.id)
        doc.headings[heading.id] = re.sub(r"\s+", "", match.group()) if match else ""
    starts = sorted((m.start(), m.end(), s) for s, m in headings.items())
    first = starts[0][0] if starts else len(text)
    doc.preamble = _preamble(text[:first], doc.title)
    for i, (_, end, section) in enumerate(starts):
        stop = starts[i + 1][0] if i + 1 < len(starts) else len(text)
        body = text[end:stop]
        if section == "review_litigation" and "problems" not in headings:
            # The heading 五 is missing (as in a converter's output): its text follows table 四's numbers.
            group = first_group(body)
            if group is not None:
                rest = body[group[2] :]
                doc.sections["problems"] = _paragraphs(rest, wrapped)
        if section in form.NARRATIVE_SECTIONS:
            doc.sections[section] = _paragraphs(body, wrapped)
    return doc


def _preamble(text: str, title: str) -> str:
    """The text before 一、: without the title and a crawler's metadata header."""
    if "=" * 10 in text:
        text = text.rsplit("=" * 10, 1)[1].lstrip("=")
    kept: list[str] = []
    for line in text.split("\n"):
        stripped = line.strip().lstrip("#").strip()
        if not stripped:
            continue
        squeezed = re.sub(r"\s+", "", stripped)
        if (
            title
            and (squeezed in re.sub(r"\s+", "", title) or re.sub(r"\s+", "", title) in squeezed)
            and len(squeezed) < 60
        ):
            continue
        if re.fullmatch(r"[\u4e00-\u9fff]{2,20}", squeezed) and not kept:
            continue  # the agency's name on a line of its own above the title
        kept.append(stripped)
    return "\n".join(kept)


_END = "。：:；;！？!?）)”"


def _paragraphs(body: str, wrapped: bool) -> list[str]:
    """The section's paragraphs, verbatim. Lines cut at the page width (pdf) are joined again: a paragraph
    ends where a line ending a sentence stops short of the width."""
    lines = [ln.strip() for ln in body.split("\n")]
    lines = [ln.lstrip("#").strip() if ln.startswith("#") else ln for ln in lines]
    lines = [ln for ln in lines if not ln.startswith("|")]  # rows of a table that ran into the text
    long = [ln for ln in lines if len(ln) >= 15]
    # A converter's Markdown can be cut at the page width too: most long lines then end mid-sentence.
    wrapped = wrapped or (len(long) >= 4 and sum(ln[-1] not in _END for ln in long) > 0.4 * len(long))
    if not wrapped:
        return [ln for ln in lines if ln]
    widths = Counter(len(ln) for ln in lines if len(ln) >= 15)
    width = max(widths, key=lambda w: (widths[w], w)) if widths else 0
    out: list[str] = []
    current = ""
    for line in lines:
        if not line:
            continue
        current += line
        if line[-1] in _END and len(line) < width - 1:
            out.append(current)
            current = ""
    if current:
        out.append(current)
    return out
