"""The paragraph library in the interview (sections 一、五、六): picks, the clerk's own text, edits and order.

Effects build a library section's blocks in flow order: the mode answer starts it afresh, picks append
phrase blocks, 「自己写」 answers append the clerk's text verbatim, edits replace, add or set parameters,
and (五) the order answer reorders and drops. Each block has a key (its phrase id, or own:…/added:… for
clerk text) so a later answer names a block however earlier answers change. The working state lives in
facts.scratch for one replay only. The library itself (Jinja2) is loaded only when a library question is asked.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from report_wizard.core import form
from report_wizard.core.model import Block, derive_report
from report_wizard.core.numerals import chinese_numeral, format_number
from report_wizard.interview.facts import Facts, Target
from report_wizard.interview.parse import DROPPED, ParseError
from report_wizard.narrative.paragraphs import (
    ROLE_MEASURE,
    ROLE_MEASURES_INTRO,
    ROLE_PROBLEM,
    ROLE_PROBLEMS_INTRO,
    section_paragraphs,
)

if TYPE_CHECKING:
    from report_wizard.narrative.phrases import Library, Phrase

Choices = list[tuple[str, str]]
Rule = Callable[[Facts, dict[str, str]], Any]  # a WHEN or DEFAULTS rule: (facts, bindings) -> value
OWN = "own"  # the 「自己写」 choice of a pick list
DONE = "done"  # the edit question's 「不用改了」
PARAM = "param:"  # edit target: a parameter of the section's phrases
ADD = "add"  # edit targets add, add:problem, add:measure: a paragraph of the clerk's own
DELETE_WORDS = frozenset({"删去", "删除", "删掉", "去掉"})
POINT_LABEL = dict(form.OVERVIEW_POINTS)
ROLE_NAMES = {
    "intro": "开头",
    **POINT_LABEL,
    "review": "上年措施落实",
    ROLE_PROBLEMS_INTRO: "问题导语",
    ROLE_PROBLEM: "问题",
    ROLE_MEASURES_INTRO: "措施导语",
    ROLE_MEASURE: "措施",
    "fee": "信息处理费",
    "work_points": "工作要点",
    "proposals": "建议提案",
    "other": "其他",
}
_OWN_LABELS = {"intro": "自己写开头", "other": "自己写一段"}
_ADD_CHOICES: dict[str, Choices] = {
    "overview": [(ADD, "自己补充一段（放在最后）")],
    "problems": [
        (f"{ADD}:{ROLE_PROBLEM}", "自己补充一个问题"),
        (f"{ADD}:{ROLE_MEASURE}", "自己补充一条改进措施"),
        (ADD, "自己补充一段其他文字（放在最后）"),
    ],
    "other": [(ADD, "自己补充一段（放在最后）")],
}
_ADD_PROMPTS = {
    ADD: "请输入要补充的一段文字（可以直接粘贴）。",
    f"{ADD}:{ROLE_PROBLEM}": "请输入要补充的问题（不用写“一是”“二是”，编号会自动加上）。",
    f"{ADD}:{ROLE_MEASURE}": "请输入要补充的改进措施（不用写编号，会自动加上）。",
}
_ORDER_ROLES = (ROLE_PROBLEM, ROLE_MEASURE)


@dataclass
class _State:
    keys: list[str] = field(default_factory=list)  # one per block of session.narrative[section]
    own: set[str] = field(default_factory=set)  # parts whose 「自己写」 was chosen (intro, a point, other)
    targets: dict[str, str] = field(default_factory=dict)  # edit number -> what it edits


def _lib() -> Library:
    from report_wizard.narrative.phrases import library

    return library()


def _state(facts: Facts, section: str) -> _State:
    state: _State = facts.scratch.setdefault("library", {}).setdefault(section, _State())
    return state


def _blocks(facts: Facts, section: str) -> list[Block]:
    return list(facts.session.narrative.get(section, []))


def _store(facts: Facts, section: str, blocks: list[Block], keys: list[str]) -> None:
    # Always new lists: the engine's undo snapshots share the old ones.
    facts.session.narrative[section] = blocks
    _state(facts, section).keys = keys


def start(facts: Facts, section: str) -> None:
    """The mode answer 「用段落库」: the section starts empty, its picks follow."""
    facts.scratch.setdefault("library", {})[section] = _State()
    facts.session.narrative[section] = []


def finish(facts: Facts) -> None:
    facts.scratch.pop("library", None)
    facts.scratch.pop("shared_params", None)
    facts.scratch.pop("library_context", None)


def _context(facts: Facts) -> dict[str, Any]:
    """The report's values for phrases, once per replay (the tables come before the narrative sections)."""
    from report_wizard.narrative.phrases import report_context

    if "library_context" not in facts.scratch:
        facts.scratch["library_context"] = report_context(derive_report(facts.session))
    context: dict[str, Any] = facts.scratch["library_context"]
    return context


def choice_details(facts: Facts, keys: list[str]) -> tuple[str, ...]:
    """The whole text of each library choice as it would print now ("" for 「自己写」 and other non-phrases),
    so the clerk reads the paragraph, not only its short title, before choosing it."""
    from report_wizard.narrative.phrases import report_context

    lib, context = _lib(), report_context(derive_report(facts.session))
    return tuple("".join(lib.expand(key, context)) if key in lib.phrases else "" for key in keys)


def _text(facts: Facts, block: Block) -> str:
    """A block as it prints, without numbering."""
    if not block.phrase:
        return block.text
    return "\n".join(_lib().expand(block.phrase, _context(facts), block.params))


class _Later:
    """A text value computed only when the question is shown (str.format calls __format__)."""

    def __init__(self, make: Any) -> None:
        self._make = make

    def __format__(self, spec: str) -> str:
        return format(self._make(), spec)


def _preview(text: str, limit: int = 22) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit] + "…"


_KIND_PREFIX = re.compile(r"^(?:街道/乡镇|部门|政府|开篇)：")


def title(phrase: Phrase) -> str:
    """A phrase's title as a choice: the lists are already for the agency's kind, so no 「街道/乡镇：」 before it."""
    return _KIND_PREFIX.sub("", phrase.title)


def block_label(block: Block) -> str:
    """A block as a choice: 「问题：宣传不够，群众关注度不高」, 「（二）申请数量及办理结果…」, or the start
    of the clerk's own text in quotes."""
    body = title(_lib().get(block.phrase)) if block.phrase else f"「{_preview(block.text)}」"
    if block.role in POINT_LABEL:
        return f"（{chinese_numeral(list(POINT_LABEL).index(block.role) + 1)}）{body}"
    return f"{ROLE_NAMES.get(block.role, '段落')}：{body}"


# ---------------------------------------------------------------- picks for 一 and 六
def _part(section: str, b: dict[str, str]) -> str:
    """What a pick or own-text question is about: the intro or a point of 一, or 六 as a whole."""
    return b.get("point") or ("intro" if section == "overview" else section)


def part_options(section: str, part: str, kind: str) -> list[Phrase]:
    if section == "other":
        return _lib().options("other", None, kind)
    return _lib().options("overview", part, kind)


def pick_choices(facts: Facts, section: str, b: dict[str, str]) -> Choices:
    part = _part(section, b)
    options = [(p.id, title(p)) for p in part_options(section, part, facts.kind)]
    return [*options, (OWN, _OWN_LABELS.get(part, "自己写这一方面"))]


def suggested(section: str, part: str = "") -> Rule:
    def rule(facts: Facts, b: dict[str, str]) -> list[str] | None:
        ids = [p.id for p in part_options(section, part or _part(section, b), facts.kind) if p.suggest]
        return ids or None

    return rule


def one_of_each_alternative(facts: Facts, b: dict[str, str], value: list[str]) -> None:
    """Refuse two paragraphs that say the same thing two ways (e.g. both sentences with table 三's numbers)."""
    lib = _lib()
    seen: dict[str, Phrase] = {}
    for key in value:
        phrase = lib.phrases.get(key)
        if phrase is None or not phrase.alternative:
            continue
        if phrase.alternative in seen:
            first = seen[phrase.alternative]
            raise ParseError(f"「{title(first)}」和「{title(phrase)}」是同一内容的两种写法，只能选其中一个。")
        seen[phrase.alternative] = phrase


def pick_effect(facts: Facts, t: Target, value: list[str], defaulted: bool) -> None:
    part = _part(t.section, t.bindings)
    state, lib = _state(facts, t.section), _lib()
    blocks, keys = _blocks(facts, t.section), list(state.keys)
    shared = facts.scratch.get("shared_params", {})
    for key in value:
        if key == OWN:
            state.own.add(part)
            continue
        phrase = lib.get(key)
        given = {name: shared[name] for name in phrase.params if name in shared}  # e.g. the website, asked in 一
        blocks.append(Block(phrase=key, role=phrase.role, params=given))
        keys.append(key)
    _store(facts, t.section, blocks, keys)


def names_a_website(section: str) -> Rule:
    """The section's picked paragraphs print the website: ask for it once instead of guessing the superior's."""
    return lambda facts, b: "website" in param_values(facts, section)


def website_default(section: str) -> Rule:
    return lambda facts, b: param_values(facts, section).get("website")


def website_effect(facts: Facts, t: Target, value: str, defaulted: bool) -> None:
    """The website for every paragraph that names it, here and in later sections (六's proposals sentence)."""
    value = value.strip()
    if value:
        facts.scratch.setdefault("shared_params", {})["website"] = value
        set_param(facts, t.section, "website", value)


def wants_own(section: str, part: str = "") -> Rule:
    def rule(facts: Facts, b: dict[str, str]) -> bool:
        return (part or _part(section, b)) in _state(facts, section).own

    return rule


def own_effect(facts: Facts, t: Target, value: str, defaulted: bool) -> None:
    part = _part(t.section, t.bindings)
    role = part if t.section == "overview" else "other"
    state = _state(facts, t.section)
    _store(facts, t.section, [*_blocks(facts, t.section), Block(text=value, role=role)], [*state.keys, f"own:{part}"])


def point_context(b: dict[str, str]) -> dict[str, Any]:
    point = b["point"]
    number = [p for p, _ in form.OVERVIEW_POINTS].index(point) + 1
    return {"point_name": POINT_LABEL[point], "point_number": chinese_numeral(number)}


# ---------------------------------------------------------------- 五: problems, linked measures, order
def _first(role: str, kind: str) -> Phrase | None:
    options = _lib().options("problems", role, kind)
    return next((p for p in options if p.suggest), options[0] if options else None)


def _append_intro_and(facts: Facts, section: str, intro_role: str, ids: list[str], role: str) -> None:
    state = _state(facts, section)
    blocks, keys = _blocks(facts, section), list(state.keys)
    intro = _first(intro_role, facts.kind)
    if intro is not None:
        blocks.append(Block(phrase=intro.id, role=intro_role))
        keys.append(intro.id)
    blocks += [Block(phrase=i, role=role) for i in ids]
    _store(facts, section, blocks, keys + ids)


def problem_choices(facts: Facts, section: str, b: dict[str, str]) -> Choices:
    return [(p.id, title(p)) for p in _lib().options("problems", ROLE_PROBLEM, facts.kind)]


def problems_default(facts: Facts, b: dict[str, str]) -> list[str] | None:
    """The suggested problems that suit the agency kind, so that Enter alone still gives a complete section."""
    return [p.id for p in _lib().options("problems", ROLE_PROBLEM, facts.kind) if p.suggest] or None


def problems_effect(facts: Facts, t: Target, value: list[str], defaulted: bool) -> None:
    _append_intro_and(facts, t.section, ROLE_PROBLEMS_INTRO, value, ROLE_PROBLEM)


def _picked_problems(facts: Facts) -> list[Phrase]:
    lib = _lib()
    blocks = facts.session.narrative.get("problems", [])
    return [lib.get(b.phrase) for b in blocks if b.role == ROLE_PROBLEM and b.phrase]


def _linked(facts: Facts) -> list[list[Phrase]]:
    """The measures linked to each picked problem that suit the agency kind."""
    lib = _lib()
    return [[m for m in map(lib.get, p.measures) if m.fits(facts.kind)] for p in _picked_problems(facts)]


def measure_choices(facts: Facts, section: str, b: dict[str, str]) -> Choices:
    seen: dict[str, str] = {}
    for measures in _linked(facts):
        seen.update((m.id, title(m)) for m in measures if m.id not in seen)
    return list(seen.items())


def measures_default(facts: Facts, b: dict[str, str]) -> list[str] | None:
    """One measure per problem: the first linked one not already taken (as suggest_section does)."""
    chosen: list[str] = []
    for measures in _linked(facts):
        chosen += [m.id for m in measures if m.id not in chosen][:1]
    order = [k for k, _ in measure_choices(facts, "problems", b)]
    return sorted(chosen, key=order.index) or None


def measures_effect(facts: Facts, t: Target, value: list[str], defaulted: bool) -> None:
    _append_intro_and(facts, t.section, ROLE_MEASURES_INTRO, value, ROLE_MEASURE)


def order_choices(facts: Facts, section: str, b: dict[str, str]) -> Choices:
    state = _state(facts, section)
    blocks = facts.session.narrative.get(section, [])
    return [(k, block_label(blk)) for k, blk in zip(state.keys, blocks, strict=True) if blk.role in _ORDER_ROLES]


def order_default(facts: Facts, b: dict[str, str]) -> list[str] | None:
    return [k for k, _ in order_choices(facts, "problems", b)] or None


def has_order(facts: Facts, b: dict[str, str]) -> bool:
    return bool(order_choices(facts, "problems", b))


def order_effect(facts: Facts, t: Target, value: list[str], defaulted: bool) -> None:
    """Problems and measures each take the typed order within their own places; those left out are dropped."""
    state = _state(facts, t.section)
    by_key = dict(zip(state.keys, _blocks(facts, t.section), strict=True))
    kept = [k for k in value if not k.startswith(DROPPED)]
    queues = {role: [k for k in kept if by_key[k].role == role] for role in _ORDER_ROLES}
    blocks, keys = [], []
    for key, block in by_key.items():
        if block.role in _ORDER_ROLES:
            if not queues[block.role]:
                continue  # one of the dropped
            key = queues[block.role].pop(0)
            block = by_key[key]
        blocks.append(block)
        keys.append(key)
    _store(facts, t.section, blocks, keys)


# ---------------------------------------------------------------- edits: a paragraph, a parameter, an addition
def param_values(facts: Facts, section: str) -> dict[str, Any]:
    """The parameters the section's phrases use, with their current values, in order of first use."""
    lib = _lib()
    out: dict[str, Any] = {}
    for block in facts.session.narrative.get(section, []):
        if not block.phrase or not (names := [n for n in lib.get(block.phrase).params if n not in out]):
            continue
        values = lib.effective_params(lib.get(block.phrase), _context(facts), block.params)
        out.update((n, values[n]) for n in names)
    return out


def _shown(value: Any) -> str:
    return format_number(value) if isinstance(value, int | float) else str(value)


def edit_choices(facts: Facts, section: str, b: dict[str, str]) -> Choices:
    state, lib = _state(facts, section), _lib()
    blocks = facts.session.narrative.get(section, [])
    out = [(k, block_label(blk)) for k, blk in zip(state.keys, blocks, strict=True)]
    for name, value in param_values(facts, section).items():
        label = lib.params[name].label.split("（")[0]
        out.append((PARAM + name, f"{label}：{_shown(value) or '（空）'}"))
    return [*out, *_ADD_CHOICES[section], (DONE, "不用改了")]


def edit_effect(facts: Facts, t: Target, value: str, defaulted: bool) -> None:
    _state(facts, t.section).targets[t.bindings["n"]] = value


def _target(facts: Facts, section: str, b: dict[str, str]) -> str:
    return _state(facts, section).targets.get(b["n"], DONE)


def _param_type(target: str) -> str:
    """ "str", "int" (a count) or "float" (an amount in 元) for a parameter target, "" for any other target."""
    return _lib().params[target.removeprefix(PARAM)].type if target.startswith(PARAM) else ""


def _numeric(target: str) -> bool:
    return _param_type(target) in ("int", "float")


def edits_text(section: str) -> Rule:
    def rule(facts: Facts, b: dict[str, str]) -> bool:
        target = _target(facts, section, b)
        return target != DONE and not _numeric(target)

    return rule


def edits_number(section: str) -> Rule:
    """A count parameter (件数, 次数) is being edited."""
    return lambda facts, b: _param_type(_target(facts, section, b)) == "int"


def edits_amount(section: str) -> Rule:
    """An amount parameter (元) is being edited: asked as money, so 「3940元」 and 「0.394万元」 are understood."""
    return lambda facts, b: _param_type(_target(facts, section, b)) == "float"


def number_default(section: str) -> Rule:
    def rule(facts: Facts, b: dict[str, str]) -> Any:
        target = _target(facts, section, b)
        return param_values(facts, section).get(target.removeprefix(PARAM)) if _numeric(target) else None

    return rule


def edit_context(facts: Facts, section: str, b: dict[str, str]) -> dict[str, Any]:
    """The question for an edit: what is being changed and what it says now (also what the answer box starts with)."""
    target = _target(facts, section, b)
    if target.startswith(PARAM):
        name = target.removeprefix(PARAM)
        label, value = _lib().params[name].label.split("（")[0], param_values(facts, section).get(name, "")
        if _param_type(target) == "float":
            return {"edit_prompt": f"「{label}」是多少元？现在是 {_shown(value)}元（填 0 则不写这一句）。"}
        if _numeric(target):
            return {"edit_prompt": f"「{label}」填多少？现在是 {_shown(value)}（填 0 则不写这一句）。"}
        return {"edit_prompt": f"请输入新的「{label}」。现在是：{value}", "prefill": value}
    if target in _ADD_PROMPTS:  # not startswith: the clerk's added paragraphs are keyed added:N
        return {"edit_prompt": _ADD_PROMPTS[target], "edit_empty": "不补充了"}
    state = _state(facts, section)
    if target not in state.keys:
        return {}
    block = facts.session.narrative[section][state.keys.index(target)]
    text = _text(facts, block)
    prompt = f"请输入修改后的这一段；输入“删去”删去这一段。现在是：「{text}」"
    return {"edit_prompt": prompt, "prefill": text}


def _insert_at(blocks: list[Block], role: str) -> int:
    """Where an added problem or measure goes: after the last of its kind (else after its intro), else at the end."""
    intro = {ROLE_PROBLEM: ROLE_PROBLEMS_INTRO, ROLE_MEASURE: ROLE_MEASURES_INTRO}.get(role)
    places = [i for i, b in enumerate(blocks) if b.role in (role, intro)] if intro else []
    return places[-1] + 1 if places else len(blocks)


def edit_text_effect(facts: Facts, t: Target, value: str, defaulted: bool) -> None:
    section, n = t.section, t.bindings["n"]
    target, value = _target(facts, section, t.bindings), value.strip()
    if not value:
        return
    if target.startswith(PARAM):
        set_param(facts, section, target.removeprefix(PARAM), value)
        return
    state = _state(facts, section)
    blocks, keys = _blocks(facts, section), list(state.keys)
    if target in _ADD_PROMPTS:  # not startswith: the clerk's added paragraphs are keyed added:N
        role = target.partition(":")[2]
        at = _insert_at(blocks, role)
        blocks.insert(at, Block(text=value, role=role))
        keys.insert(at, f"added:{n}")
    elif target in keys:
        i = keys.index(target)
        old = blocks[i]
        if value in DELETE_WORDS:
            del blocks[i], keys[i]
        elif old.phrase and value == _text(facts, old):
            return  # the text as it was: keep the library paragraph (its numbers follow the tables)
        else:
            blocks[i] = Block(text=value, role=old.role)
    _store(facts, section, blocks, keys)


def set_param(facts: Facts, section: str, name: str, value: Any) -> None:
    """A parameter's value for every phrase of the section that uses it."""
    lib, state = _lib(), _state(facts, section)
    blocks = [
        b.model_copy(update={"params": {**b.params, name: value}})
        if b.phrase and name in lib.get(b.phrase).params
        else b
        for b in _blocks(facts, section)
    ]
    _store(facts, section, blocks, list(state.keys))


def edit_number_effect(facts: Facts, t: Target, value: Any, defaulted: bool) -> None:
    set_param(facts, t.section, _target(facts, t.section, t.bindings).removeprefix(PARAM), value)


def section_context(facts: Facts, section: str) -> dict[str, Any]:
    """The section as it reads now (shown in the help of the edit question), rendered only when shown."""

    def text() -> str:
        return "\n".join(section_paragraphs(derive_report(facts.session), section)) or "（还没有内容）"

    return {"section_text": _Later(text)}
