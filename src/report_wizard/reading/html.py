"""A report as a web page (a government CMS page): its text, and its tables as pipe rows.

BeautifulSoup with the standard library's html.parser: it copes with the broken markup CMS pages carry and
needs no compiled parser. Cells spanning rows or columns (rowspan/colspan) are written once, where they
start: the table reader needs each row's numbers in order, and numbers never span.
"""

from __future__ import annotations

from typing import Any

_BLOCKS = {"p", "div", "br", "h1", "h2", "h3", "h4", "h5", "h6", "li", "tr", "section", "article", "title"}
_SKIP = {"script", "style", "noscript", "head", "nav", "footer"}


def html_text(markup: str) -> str:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(markup, "html.parser")
    title = soup.title.get_text(" ", strip=True) if soup.title else ""
    for tag in soup.find_all(list(_SKIP)):
        tag.decompose()
    lines: list[str] = [title] if title else []
    body = soup.body or soup
    _walk(body, lines)
    return "\n".join(line for line in (ln.strip() for ln in lines) if line)


def _walk(node: Any, lines: list[str]) -> None:
    from bs4.element import NavigableString, Tag

    buffer: list[str] = []

    def flush() -> None:
        if buffer:
            lines.append("".join(buffer))
            buffer.clear()

    for child in node.children:
        if isinstance(child, NavigableString):
            if type(child).__name__ in ("Comment", "Doctype", "Declaration", "ProcessingInstruction"):
                continue
            buffer.append(str(child).replace("\n", "").replace("\xa0", " "))
        elif isinstance(child, Tag):
            if child.name == "table":
                flush()
                for row in child.find_all("tr"):
                    cells = [c.get_text("", strip=True).replace("|", "｜") for c in row.find_all(["td", "th"])]
                    lines.append("| " + " | ".join(cells) + " |")
            elif child.name == "br":
                flush()
            elif child.name in _BLOCKS:
                flush()
                _walk(child, lines)
            else:
                _walk_inline(child, buffer)
    flush()


def _walk_inline(node: Any, buffer: list[str]) -> None:
    buffer.append(node.get_text("").replace("\n", "").replace("\xa0", " "))
