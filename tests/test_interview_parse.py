"""What a clerk types is understood, and what is not gets a Chinese explanation."""

from __future__ import annotations

import pytest

from report_wizard.interview.parse import (
    ParseError,
    parse_choice,
    parse_count,
    parse_counts_row,
    parse_money,
    parse_multichoice,
    parse_yesno,
)

TYPES = [("natural_person", "自然人"), ("commercial", "商业企业"), ("research", "科研机构"), ("other_org", "其他")]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("3", 3),
        ("３", 3),
        (" 3 ", 3),
        ("3件", 3),
        ("3 件", 3),
        ("１２件", 12),
        ("三", 3),
        ("十二", 12),
        ("一百零五", 105),
        ("两", 2),
        ("两百", 200),
        ("无", 0),
        ("没有", 0),
        ("否", 0),
        ("0", 0),
        ("零", 0),
        ("1,200", 1200),
        ("3。", 3),
    ],
)
def test_counts_people_type(text: str, value: int) -> None:
    assert parse_count(text) == value


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("abc", "没看懂“abc”"),
        ("-3", "负数"),
        ("负三", "负数"),
        ("3.5", "整数"),
        ("十万零", "没看懂“十万零”"),
        ("三三", "没看懂"),
        ("", "请输入一个数字"),
    ],
)
def test_bad_counts_are_explained(text: str, fragment: str) -> None:
    with pytest.raises(ParseError) as error:
        parse_count(text)
    assert fragment in str(error.value)


@pytest.mark.parametrize(
    ("text", "value"),
    [("1.5", 1.5), ("1.5万元", 1.5), ("０.５", 0.5), ("2万", 2), ("15000元", 1.5), ("无", 0), ("一点五", 1.5)],
)
def test_money_in_ten_thousands(text: str, value: float) -> None:
    assert parse_money(text) == value


def test_money_refuses_negative_and_words() -> None:
    for text in ("-1", "很多"):
        with pytest.raises(ParseError):
            parse_money(text)


@pytest.mark.parametrize("text", ["是", "有", "对", "y", "Y", "yes", " 是 ", "有的", "是。"])
def test_yes(text: str) -> None:
    assert parse_yesno(text) is True


@pytest.mark.parametrize("text", ["否", "无", "没有", "不", "没", "n", "No", "不是", "0"])
def test_no(text: str) -> None:
    assert parse_yesno(text) is False


def test_yesno_explains_numbers_and_nonsense() -> None:
    with pytest.raises(ParseError, match="具体数字在下一步"):
        parse_yesno("3")
    with pytest.raises(ParseError, match="请回答“是”或“否”"):
        parse_yesno("也许")


def test_choice_by_number_key_or_name() -> None:
    assert parse_choice("1", TYPES) == "natural_person"
    assert parse_choice("２", TYPES) == "commercial"
    assert parse_choice("三", TYPES) == "research"
    assert parse_choice("商业企业", TYPES) == "commercial"
    assert parse_choice("科研", TYPES) == "research"
    with pytest.raises(ParseError, match="1–4"):
        parse_choice("9", TYPES)


def test_multichoice_forms() -> None:
    assert parse_multichoice("1 2", TYPES, allow_empty=False) == ["natural_person", "commercial"]
    assert parse_multichoice("2、1", TYPES, allow_empty=False) == ["natural_person", "commercial"]
    assert parse_multichoice("1，3", TYPES, allow_empty=False) == ["natural_person", "research"]
    assert parse_multichoice("13", TYPES, allow_empty=False) == ["natural_person", "research"]
    assert parse_multichoice("自然人和其他", TYPES, allow_empty=False) == ["natural_person", "other_org"]
    assert parse_multichoice("全部", TYPES, allow_empty=False) == [k for k, _ in TYPES]
    assert parse_multichoice("无", TYPES, allow_empty=True) == []
    with pytest.raises(ParseError, match="至少要选一项"):
        parse_multichoice("无", TYPES, allow_empty=False)
    with pytest.raises(ParseError, match="没看懂“x”"):
        parse_multichoice("1 x", TYPES, allow_empty=False)


def test_counts_row() -> None:
    labels = ["结果维持", "结果纠正", "其他结果", "尚未审结"]
    assert parse_counts_row("1 0 0 1", labels) == [1, 0, 0, 1]
    assert parse_counts_row("1，0，２，三", labels) == [1, 0, 2, 3]
    assert parse_counts_row("无", labels) == [0, 0, 0, 0]
    with pytest.raises(ParseError, match="需要 4 个数"):
        parse_counts_row("1 2", labels)
    with pytest.raises(ParseError, match="负数"):
        parse_counts_row("1 -2 0 0", labels)
