"""Numbers as a report prints them: counts and 万元 amounts, and Chinese numerals for 一是/二是 numbering."""

from __future__ import annotations

from report_wizard.core.model import Number

_CN_DIGITS = "零一二三四五六七八九"
_CN_UNITS = ("", "十", "百", "千")


def chinese_numeral(n: int) -> str:
    """0..9999 in Chinese numerals: 1 → 一, 10 → 十, 11 → 十一, 20 → 二十, 101 → 一百零一, 110 → 一百一十."""
    if isinstance(n, bool) or not isinstance(n, int) or not 0 <= n <= 9999:
        raise ValueError(f"chinese_numeral: {n!r} is outside 0..9999")
    if n == 0:
        return "零"
    digits = [int(d) for d in str(n)]
    out: list[str] = []
    pending_zero = False
    for position, digit in zip(range(len(digits) - 1, -1, -1), digits, strict=True):
        if digit == 0:
            pending_zero = bool(out)
            continue
        if pending_zero:
            out.append("零")
            pending_zero = False
        out.append(_CN_DIGITS[digit] + _CN_UNITS[position])
    text = "".join(out)
    return text[1:] if 10 <= n <= 19 else text  # 十一, not 一十一


def format_number(value: Number) -> str:
    """A count or amount as printed: 3 → "3", 12.50 → "12.5", 2.0 → "2"."""
    if isinstance(value, bool):
        raise TypeError("a yes/no is not a number")
    if isinstance(value, int):
        return str(value)
    text = f"{round(value, 4):.4f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text
