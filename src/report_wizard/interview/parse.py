"""Understand what a clerk types: 是/否/有/没有, full-width digits, "3件", Chinese numerals, 万元, lists of choices.

Every parser returns a value or raises ParseError, whose message is a short Chinese explanation.
"""

from __future__ import annotations

import re
import unicodedata
from decimal import ROUND_HALF_UP, Decimal

from report_wizard.core.model import MAX_AMOUNT, MAX_COUNT, Number


class ParseError(ValueError):
    """The input was not understood; ``str(error)`` says why, in Chinese."""


YES = frozenset({"是", "是的", "有", "有的", "对", "对的", "y", "yes", "好", "好的", "确定", "要", "需要", "ok"})
NO = frozenset({"否", "无", "没有", "没", "不", "不是", "没有的", "没有了", "n", "no", "不要", "不需要", "无此"})
_TRAILING = "。.!！~～"
_COUNT_UNITS = ("件", "个", "项", "次", "份", "条", "起", "宗", "年")
_SEPARATORS = re.compile(r"[\s,，、;；/|]+|和|及")
_ARABIC = re.compile(r"[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?")
_CHINESE = re.compile(r"[零〇一二两三四五六七八九十百千万亿点]+")
ALL_WORDS = frozenset({"全部", "全选", "都有", "都是", "所有"})


def normalize(text: str) -> str:
    """Full-width to half-width, trimmed, trailing full stops dropped (not for free text: it would change it)."""
    return unicodedata.normalize("NFKC", text).strip().rstrip(_TRAILING).strip()


def parse_yesno(text: str) -> bool:
    s = normalize(text).lower()
    if s in YES:
        return True
    if s in NO or s == "0":
        return False
    if _ARABIC.fullmatch(s) or _CHINESE.fullmatch(s):
        raise ParseError("请先回答“是”或“否”（也可以输入序号 1 或 2）；具体数字在下一步再填。")
    raise ParseError(f"没看懂“{text.strip()}”。请回答“是”或“否”（也可以说“有”或“没有”）。")


def _chinese_number(s: str) -> Number:
    import cn2an  # lazily: it is slow to import and most answers are digits

    canonical = s.replace("两", "二").replace("〇", "零")
    try:  # strict: slips such as 「十万零」 are refused rather than guessed
        value = cn2an.cn2an(canonical, "strict")
    except (ValueError, KeyError, IndexError):
        raise ParseError(f"没看懂“{s}”这个数字，请用阿拉伯数字输入，例如 12。") from None
    return int(value) if float(value).is_integer() else float(value)


def parse_number(
    text: str, *, integer: bool, units: tuple[str, ...] = _COUNT_UNITS, places: int = 4, maximum: Number = MAX_COUNT
) -> Number:
    """A number ≥ 0: "3", "３", "3件", "3 件", "三", "一百零五", "无" (= 0).

    Digits are read as a Decimal, so a long count stays exact (never 99999999999999999 → 1e17) and an
    amount is rounded once, to ``places`` decimals; anything above ``maximum`` is refused as a slip.
    """
    s = normalize(text)
    for unit in units:
        if s.endswith(unit) and len(s) > len(unit):
            s = s[: -len(unit)].strip()
            break
    if s.lower() in NO or s == "零":
        return 0
    if _ARABIC.fullmatch(s):
        value: Decimal = Decimal(s.replace(",", ""))
    elif s.startswith(("-", "负")) and (_ARABIC.fullmatch(s[1:]) or _CHINESE.fullmatch(s[1:])):
        raise ParseError("不能是负数；没有就填 0。")
    elif _CHINESE.fullmatch(s):
        value = Decimal(str(_chinese_number(s)))
    elif not s:
        raise ParseError("请输入一个数字；没有就填 0。")
    else:
        what = "件数，例如 3" if integer else "数字，例如 1.5"
        raise ParseError(f"没看懂“{text.strip()}”。请输入{what}；没有就填 0 或“无”。")
    if value < 0:
        raise ParseError("不能是负数；没有就填 0。")
    if value > maximum:
        raise ParseError(f"这个数字太大了（最多 {maximum:,}），请检查是不是多打了数字。")
    if integer:
        if value != value.to_integral_value():
            raise ParseError(f"件数应是整数，不能有小数（输入的是 {text.strip()}）。")
        return int(value)
    value = value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    return int(value) if value == value.to_integral_value() else float(value)


def parse_count(text: str) -> int:
    return int(parse_number(text, integer=True))


WAN_YUAN, YUAN = "万元", "元"
MONEY_UNITS = (WAN_YUAN, YUAN)
_YUAN_WORDS = ("元", "块钱", "块")
_WAN_WORDS = ("万元", "万")


def parse_money(text: str, unit: str = WAN_YUAN) -> Number:
    """An amount in ``unit`` (万元 or 元), whichever unit is typed: in 万元 "1.5", "1.5万元", "15000元" (= 1.5);
    in 元 "3940", "3940元", "0.394万元" (= 3940). Refused input says 金额, never 件数."""
    s = normalize(text)
    typed = unit
    for words, name in ((_WAN_WORDS, WAN_YUAN), (_YUAN_WORDS, YUAN)):
        word = next((w for w in words if s.endswith(w) and len(s) > len(w)), None)
        if word:
            s, typed = s[: -len(word)].strip(), name
            break
    maximum = MAX_AMOUNT if typed == WAN_YUAN else MAX_AMOUNT * 10000
    try:  # read exactly (no rounding yet): rounding in the typed unit, then again in the question's, is twice
        value = parse_number(s, integer=False, units=(), places=12, maximum=maximum)
    except ParseError as error:
        if "负数" in str(error) or "太大" in str(error):
            raise
        example = "1.5" if unit == WAN_YUAN else "3940"
        raise ParseError(
            f"没看懂“{text.strip()}”。请输入金额（单位：{unit}），例如 {example}；"
            f"写成「{example}{unit}」也可以；没有就填 0。"
        ) from None
    exact = Decimal(str(value))
    if typed != unit:
        exact = exact / 10000 if typed == YUAN else exact * 10000
    # Rounded once, in the question's unit: 万元 to 4 places (one 元), 元 to 2 (one 分).
    rounded = float(exact.quantize(Decimal(1).scaleb(-(4 if unit == WAN_YUAN else 2)), rounding=ROUND_HALF_UP))
    return int(rounded) if rounded.is_integer() else rounded


def _match_choice(token: str, choices: list[tuple[str, str]]) -> str | None:
    if _ARABIC.fullmatch(token) or _CHINESE.fullmatch(token):
        try:
            index = parse_count(token)
        except ParseError:
            return None
        return choices[index - 1][0] if 1 <= index <= len(choices) else None
    lowered = token.lower()
    for key, label in choices:  # the token is normalized: compare with the label normalized too (（，→ (,)
        if lowered in (key.lower(), label.lower(), normalize(label).lower()):
            return key
    found = [key for key, label in choices if len(token) >= 2 and token in normalize(label)]
    return found[0] if len(found) == 1 else None


def _choice_help(choices: list[tuple[str, str]]) -> str:
    return f"请输入序号 1–{len(choices)}（或选项的名称）"


def parse_choice(text: str, choices: list[tuple[str, str]]) -> str:
    token = normalize(text)
    key = _match_choice(token, choices)
    if key is None:
        raise ParseError(f"没看懂“{text.strip()}”。{_choice_help(choices)}。")
    return key


def parse_multichoice(
    text: str, choices: list[tuple[str, str]], *, allow_empty: bool, keep_order: bool = False
) -> list[str]:
    """Several choices: "1 2", "1、3", "12" (when there are fewer than ten), names, "全部"; "无" = none.

    In the order of the choices, or with ``keep_order`` in the order typed (paragraphs: 「5 1」 puts 5 first).
    """
    s = normalize(text)
    if s in ALL_WORDS:
        return [k for k, _ in choices]
    if s.lower() in NO:
        if allow_empty:
            return []
        raise ParseError(f"这里至少要选一项。{_choice_help(choices)}，多个用空格分开。")
    chosen: dict[str, None] = {}  # ordered as typed, each once
    for token in (t for t in _SEPARATORS.split(s) if t):
        key = _match_choice(token, choices)
        if key is None and token.isdigit() and len(choices) < 10 and all(d != "0" for d in token):
            keys = [_match_choice(d, choices) for d in token]
            if all(keys):
                chosen.update(dict.fromkeys(k for k in keys if k))
                continue
        if key is None:
            raise ParseError(f"没看懂“{token}”。{_choice_help(choices)}，多个用空格分开。")
        chosen[key] = None
    if not chosen and not allow_empty:
        raise ParseError(f"这里至少要选一项。{_choice_help(choices)}，多个用空格分开。")
    return list(chosen) if keep_order else [k for k, _ in choices if k in chosen]


def parse_counts_row(text: str, labels: list[str]) -> list[int]:
    """One count per label, in order, separated by spaces or commas; "无" or "0" alone = all zero."""
    s = normalize(text)
    if s.lower() in NO or s in ("0", "零"):
        return [0] * len(labels)
    tokens = [t for t in re.split(r"[\s,，、;；/|]+", s) if t]
    if len(tokens) != len(labels):
        raise ParseError(
            f"需要 {len(labels)} 个数（依次为 {'、'.join(labels)}），用空格分开；收到了 {len(tokens)} 个。"
        )
    return [parse_count(t) for t in tokens]


DROPPED = "-"  # an order answer marks the choices left out with this prefix


def parse_order(text: str, choices: list[tuple[str, str]]) -> list[str]:
    """A new order of the choices by number ("2 1 3", "213" when fewer than ten); those left out are dropped.

    Returns every key once: the kept ones in the order typed, then the dropped ones prefixed with DROPPED,
    so that the answer still says what it was given against.
    """
    s = normalize(text)
    tokens = [t for t in _SEPARATORS.split(s) if t]
    if len(tokens) == 1 and tokens[0].isdigit() and len(choices) < 10 and len(tokens[0]) > 1 and "0" not in tokens[0]:
        tokens = list(tokens[0])
    hint = f"请按新的顺序输入序号 1–{len(choices)}，用空格分开，例如 2 1 3；不写的序号表示删去"
    if not tokens:
        raise ParseError(f"{hint}。")
    kept: list[str] = []
    for token in tokens:
        key = _match_choice(token, choices)
        if key is None:
            raise ParseError(f"没看懂“{token}”。{hint}。")
        if key in kept:
            raise ParseError(f"“{token}”写了两次，每一项只能写一次。")
        kept.append(key)
    return kept + [DROPPED + k for k, _ in choices if k not in kept]
