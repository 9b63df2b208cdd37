"""The text reader: a small grammar of the sentences a report writes about its figures (issue 15, item 4).

A sentence is cut into clauses (at ，。；…, never at 及 inside a word such as 涉及); each clause yields claims:
- **count**: a number with its subject — 「受理政府信息公开申请21件」 (requests), 「3件予以公开」 (the subject
  after the number), 「行政复议案件2件」, 「现行有效行政规范性文件393件」 (table 二);
- **sum**: one number for outcome rows named together — 「予以公开及部分公开42件」 is 予以公开 + 部分公开;
- **none / some**: a negation or an affirmation without a number — 「未发生政府信息公开行政复议」; a negated
  clause about how cases *ended* (「未发生…被行政复议纠错」) says nothing about whether there were cases;
- **all_done**: every request finished, in any wording (均已办结, 办结率100%), but not 「均在法定期限内答复」;
- **scope**: whether a request count is only this year's new ones (新收) or may fold in the carried-over ones
  (共收到 often does); requests still in hand or postponed (正在办理, 按序时进度办理, 结转下年度, 延期至下一年)
  are the 结转下年度 row, not the finished ones.
A sentence then may state a **partition**: a whole and the parts it splits into — 「受理21件，其中18件…答复，2件
正在办理」: finished + still in hand must make the whole (18 + 2 ≠ 21 is wrong whatever the table says).

Only parsing lives here (sentence → claims); text.py compares the claims with the tables.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

# ---------------------------------------------------------------- words
SENTENCE = re.compile(r"[^。！!？?\n]+")
CLAUSE = re.compile(r"[^，,。；;！!？?\n]+")
COUNT = re.compile(r"([0-9０-９]+|[零〇一二两三四五六七八九十百千]+)(?:件|起|宗|例)(?!事)")
# Topics a number can be about, most specific first; a match masks its span for the later ones.
TOPICS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(pattern))
    for name, pattern in (
        # table 二's first block, named with what happened to the documents (not 「主动公开…规范性文件」)
        ("t2_in_force", r"现行有效的?(?:行政)?规范性文件"),
        ("t2_issued", r"(?:制发|出台|印发)的?(?:行政)?规范性文件"),
        ("t2_abolished", r"废止的?(?:行政)?规范性文件"),
        ("lawsuit_after_review", r"复议后(?:提起)?(?:行政)?(?:诉讼|起诉)"),
        ("lawsuit_direct", r"直接(?:提起)?(?:行政)?(?:诉讼|起诉)|未经复议"),
        ("review", r"复议(?!后)"),
        ("lawsuit", r"诉讼|起诉"),
        # still in hand, or postponed to next year: the 结转下年度 row
        (
            "carried_forward",
            r"结转(?:至|到|入)?(?:下一?|\d{4})年度?|转入下一?年度?|延期至下一?年度?|顺延至(?:下一?|\d{4})年度?"
            r"|正在办理|按序时进度办理|尚在办理|仍在办理|尚未办结|办理中",
        ),
        ("carried_over", r"(?:上一?|\d{4})年度?结转|结转上一?年度?"),
        ("partly_disclosed", r"部分公开"),
        ("denied", r"不予公开"),
        ("disclosed", r"予以公开|同意公开"),
        ("unable", r"无法提供"),
        ("not_processed", r"不予处理"),
        ("fee_unpaid", r"逾期未(?:按收费通知要求)?缴|未缴(?:纳)?(?:费|处理费)"),
        ("no_correction", r"不补正"),
        ("other", r"其他处理"),
        # finished: 办结, 办理完毕, and the answers given (「18件依法依规办理答复」, 「共办理718件」)
        ("finished", r"办结|办理完毕|办理完成|(?<!未)答复|^(?:共|累计|全年)办理$"),
        ("requests", r"新收|(?<!的)申请(?!人|公开)"),  # "…的申请" is a subset (by subject, by outcome)
    )
)
GENERIC = ("finished", "requests")
OUTCOME_GROUPS = frozenset({"disclosed", "partly_disclosed", "denied", "unable", "not_processed", "other"})
REVIEW_TOPICS = ("review", "lawsuit", "lawsuit_direct", "lawsuit_after_review")
# Words that make a count a breakdown (by applicant, channel, result) or a comparison: not checked.
_BREAKDOWN = re.compile(
    r"自然人|法人|企业|科研机构|公益组织|法律服务机构|其他组织|网上|网络|线上|线下|当面|现场|信函|邮寄|邮件|传真|"
    r"电话|书面|口头|维持|纠正|审结|其他结果|同比|较上年|增加|减少|增长|下降"
)
# "3件予以公开、2件…": a trailing topic ends at the next item; 及 inside 涉及/危及/普及 or 及时 does not end it.
_ITEM_BREAK = re.compile(r"[、和与（(0-9０-９]|(?<![涉危普])及(?!时)")
_NEW_ONLY = re.compile(r"新收|新增|本年新")
# 「共受理申请749件（含上年结转36件）」: the count is new and carried over together, nothing else
_WITH_CARRIED = re.compile(r"(?:含|包括|包含)(?:了)?(?:上一?年度?|\d{4}年度?)结转")
_RECEIVED = re.compile(r"收到|接到|受理|接收|新收")
_EACH = re.compile(r"均|都|各")
_NONE = re.compile(
    r"(?:未|没有)(?:新收|发生|收到|接到|受理|接收|出现|产生|有|涉及|被)|均无|均未|[：:]无$"
    r"|无(?=(?:政府信息公开|依申请公开|信息公开|相关)?的?(?:行政复议|行政诉讼|复议|诉讼|申请))"
)
_SOME = re.compile(r"(?:发生|提起|被申请|收到|受理|涉及|引发)[^，。；]{0,12}?(?:行政复议|行政诉讼|复议(?!后)|诉讼)")
_HYPOTHETICAL = re.compile(r"如|若|防止|避免|减少|杜绝|预防|防范|确保|降低|以免")
_ALL_DONE = re.compile(
    r"(?<![未尚没])(?:均|全部|都)(?:已经?)?(?:按时|按期|依法|及时|在法定期限内)*"
    r"(?:办结|办理完毕|办理完成|处理完毕|处理完成|答复完毕|答复)"
    r"|已全部(?:按时|按期|依法)?(?:办结|办理完毕|办理完成|答复)|办结率(?:达到?|为)?100(?:%|％)"
)
# 「均在法定期限内答复」 says the answers given were on time, not that every request was finished.
_ON_TIME_ANSWER = re.compile(r"^[^已]*(?:按时|按期|及时|在法定期限内)(?:依法)?答复$")  # 均已按时答复: done
# 「未发生…被行政复议纠错或行政诉讼败诉」 denies an outcome of the cases, not that there were any.
_OUTCOME = re.compile(r"纠错|纠正|败诉|撤销|确认违法|认定违法")
_JOINED = re.compile(r"(?:予以公开|部分公开|不予公开|无法提供|不予处理|其他处理)(?:及|和|与|、|以及)")

Kind = Literal["count", "sum", "none", "some", "all_done"]
# For requests: "new" only this year's new ones; "all" new and carried over together; "" either.
Scope = Literal["", "new", "all"]


@dataclass(frozen=True)
class Claim:
    """One thing a clause says about a figure of the tables."""

    kind: Kind
    topics: tuple[str, ...] = ()  # count: one topic each claim; sum: the rows added up
    value: int | None = None
    scope: Scope = ""
    clause: str = ""


@dataclass(frozen=True)
class Partition:
    """「受理21件，其中18件…答复，2件正在办理」: the whole (with any carried-over count named with it) and its
    finished and still-in-hand parts, which must add up to it."""

    whole: Claim
    carried: Claim | None
    finished: Claim
    pending: Claim
    sentence: str

    @property
    def stated(self) -> int:
        return (self.whole.value or 0) + (self.carried.value or 0 if self.carried else 0)

    @property
    def parts(self) -> int:
        return (self.finished.value or 0) + (self.pending.value or 0)


def number(text: str) -> int | None:
    """「21」 or 「二十一」 -> 21 (None when the Chinese numeral does not parse)."""
    if text.isdigit():
        return int(text)
    import cn2an  # slow to import; only needed when a report writes numbers in Chinese

    try:
        return int(cn2an.cn2an(text, "smart"))
    except (ValueError, KeyError):
        return None


def topics(text: str) -> list[str]:
    found: list[str] = []
    for name, pattern in TOPICS:
        if pattern.search(text):
            found.append(name)
            text = pattern.sub("□", text)
    return found


def _counts(clause: str) -> list[Claim]:
    claims: list[Claim] = []
    matches = list(COUNT.finditer(clause))
    with_carried = bool(_WITH_CARRIED.search(clause))
    new_only = bool(_NEW_ONLY.search(clause)) and not with_carried
    for i, match in enumerate(matches):
        # A count belongs to the words just before it, else (as in "3件予以公开") just after it.
        lead = clause[matches[i - 1].end() if i else 0 : match.start()]
        trail = _ITEM_BREAK.split(clause[match.end() :], maxsplit=1)[0]
        if _BREAKDOWN.search(lead):
            continue
        named = topics(lead) or ([] if _BREAKDOWN.search(trail) else topics(trail))
        specific = [t for t in named if t not in GENERIC]
        stated = number(match.group(1))
        if stated is None:
            continue
        each = bool(_EACH.search(lead))
        if len(specific) > 1 and set(specific) <= OUTCOME_GROUPS and _JOINED.search(lead) and not each:
            claims.append(Claim("sum", tuple(specific), stated, clause=clause))  # 予以公开及部分公开42件
            continue
        if len(specific) > 1 and not each:
            continue  # several topics, one number: ambiguous
        for topic in specific or named[:1]:
            scope: Scope = ("all" if with_carried else "new" if new_only else "") if topic == "requests" else ""
            claims.append(Claim("count", (topic,), stated, scope, clause))
    return claims


def _statements(clause: str) -> list[Claim]:
    """What a clause without a number says: none / some requests or cases, or every request finished."""
    claims: list[Claim] = []
    if _NONE.search(clause):
        named = [t for t in topics(clause) if t in REVIEW_TOPICS]
        if named and _OUTCOME.search(clause):
            named = []  # how cases ended (none 纠错, none lost), not whether there were cases
        elif not named and re.search(r"申请(?!人)", clause):
            named = ["requests"]
        for topic in named:
            # 「依申请公开：无」 means nothing to handle at all; 「未收到申请」 speaks of new ones
            scope: Scope = ("new" if _RECEIVED.search(clause) else "all") if topic == "requests" else ""
            claims.append(Claim("none", (topic,), 0, scope, clause))
    elif (some := _SOME.search(clause)) and not _HYPOTHETICAL.search(clause):
        claims += [Claim("some", (t,), clause=clause) for t in topics(some.group()) if t != "requests"]
    done = _ALL_DONE.search(clause)
    if done and not _ON_TIME_ANSWER.search(done.group()):
        claims.append(Claim("all_done", ("carried_forward",), 0, clause=clause))
    return claims


def parse_clause(clause: str) -> list[Claim]:
    """The claims of one clause (no ，。；), spaces already removed."""
    if COUNT.search(clause):
        return _counts(clause)
    return _statements(clause)


# Other matters a report says were all finished: 「共承办人大代表建议5件、政协提案3件，均已按期办结并答复」.
_OTHER_MATTERS = re.compile(r"建议|提案|信访|投诉|来信|来电|热线|咨询|留言|诉求|工单")


def parse_sentence(sentence: str) -> tuple[list[Claim], Partition | None]:
    """The claims of a sentence, clause by clause, and the partition it states if any."""
    claims = [c for clause in CLAUSE.findall(sentence) for c in parse_clause(clause)]
    if _OTHER_MATTERS.search(sentence) and not re.search(r"申请(?!人)", sentence):
        claims = [c for c in claims if c.kind != "all_done"]  # 「均已办结」 of those, not of the requests
    return claims, _partition(claims, sentence)


def _partition(claims: list[Claim], sentence: str) -> Partition | None:
    counts = [c for c in claims if c.kind == "count"]
    for i, whole in enumerate(counts):
        if whole.topics != ("requests",):
            continue
        rest = counts[i + 1 :]
        carried = next((c for c in rest if c.topics == ("carried_over",)), None)
        finished = next((c for c in rest if c.topics == ("finished",)), None)
        pending = next((c for c in rest if c.topics == ("carried_forward",)), None)
        # only this year's new ones, and the carried-over ones not named: the parts may include them
        if finished is None or pending is None or (whole.scope == "new" and carried is None):
            return None
        return Partition(whole, carried, finished, pending, sentence)
    return None
