"""JSON Schema of the data files people edit: prompts/<section>.toml, prompts/limits.toml and
templates/phrases/*.toml, generated from the loaders' pydantic models and the names the registries know.

An editor that reads the ``#:schema`` line at the top of each file (Taplo, Even Better TOML) then offers
the field names and rule names, explains each field in Chinese and marks a misspelt name as it is typed.
The program never reads the schema files: they are documentation, kept current by tests/test_data_schemas.py.

    python -m report_wizard.interview.schema           rewrite schemas/*.schema.json
    python -m report_wizard.interview.schema --check   exit 1 when one is out of date
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from pydantic import ConfigDict, Field, RootModel, create_model

from report_wizard.core import form, paths
from report_wizard.interview.effects import EFFECTS
from report_wizard.interview.questions import LIMITS_FILE, RULE_FIELDS, SECTION_ORDER, _SectionFile, load_limits
from report_wizard.narrative.phrases import ALL_KINDS, KIND_GROUPS, ROLES_BY_SECTION, _LibraryFile
from report_wizard.narrative.schema import definition, model_schema, restrict

SCHEMA_DIR = paths.CHECKOUT_ROOT / "schemas"
REGENERATE = "python -m report_wizard.interview.schema"
PROMPTS_SCHEMA = "prompts.schema.json"
LIMITS_SCHEMA = "limits.schema.json"
PHRASES_SCHEMA = "phrases.schema.json"


def prompts_schema(limit_names: Iterable[str]) -> dict[str, Any]:
    """prompts/<section>.toml; ``limit_names``: the limit sets a question's plausible_max may name."""
    schema = model_schema(
        _SectionFile,
        "题目文件 prompts/<部分>.toml",
        "报告一个部分的题目，按提问顺序排列。程序启动时检查每个文件，有错会一次列出全部错误。",
    )
    restrict(schema["properties"]["section"], SECTION_ORDER)
    question = definition(schema, "Question")
    question["description"] = "一道题（[[question]]），或用 each/loop 对每个键各问一遍的一组题。"
    fields = question["properties"]
    # "" is what an absent field means, so writing it is allowed too.
    for name, registry in RULE_FIELDS:
        restrict(fields[name], ["", *sorted(registry)])
    restrict(fields["effect"], ["", *sorted(EFFECTS)])
    restrict(fields["plausible_max"], ["", *sorted(limit_names)])
    return schema


def limits_schema() -> dict[str, Any]:
    """prompts/limits.toml: limit sets, each a positive number for every agency kind."""
    fields: dict[str, Any] = {
        kind: (float, Field(gt=0, description=f"{label}：回答超过这个数时，先请填报人确认。"))
        for kind, label in form.AGENCY_KINDS
    }
    limit_set = create_model("LimitSet", __config__=ConfigDict(extra="forbid"), **fields)
    schema = model_schema(
        RootModel[dict[str, limit_set]],
        "合理范围 prompts/limits.toml",
        "每个限值组是一个表（[名称]），由题目的 plausible_max 引用，每种机关类型写一个正数。",
    )
    definition(schema, "LimitSet")["description"] = "一个限值组：每种机关类型一个正数，一种也不能少。"
    return schema


def phrases_schema() -> dict[str, Any]:
    """templates/phrases/*.toml: [[phrase]] entries and [param.NAME] specs."""
    schema = model_schema(
        _LibraryFile,
        "段落库文件 templates/phrases/*.toml",
        "段落库：[[phrase]] 是填报人可选用的段落，[param.名称] 是段落可声明的参数。所有文件合成一个段落库。",
    )
    _strip_underscores(schema)
    entry = definition(schema, "PhraseEntry")
    entry["description"] = "一个段落（[[phrase]]）：适用的部分、作用和机关类型，以及它的文字。"
    fields = entry["properties"]
    restrict(fields["section"], ROLES_BY_SECTION)
    restrict(fields["role"], dict.fromkeys(role for roles in ROLES_BY_SECTION.values() for role in roles))
    restrict(fields["kinds"], [*(k for k, _ in form.AGENCY_KINDS if k in ALL_KINDS), *KIND_GROUPS])
    # Which roles a section has: an editor that knows if/then marks a role of another section.
    entry["allOf"] = [
        {
            "if": {"properties": {"section": {"const": section}}, "required": ["section"]},
            "then": {"properties": {"role": {"enum": list(roles)}}},
        }
        for section, roles in ROLES_BY_SECTION.items()
    ]
    definition(schema, "ParamSpec")["description"] = "段落可声明的一个参数：向填报人要什么、什么类型、默认值。"
    return schema


def _strip_underscores(schema: dict[str, Any]) -> None:
    """Private model names (``_PhraseEntry``) as schema names without the underscore, references too."""
    renames = {name: name.lstrip("_") for name in schema.get("$defs", {}) if name.startswith("_")}
    schema["$defs"] = {renames.get(name, name): body for name, body in schema["$defs"].items()}

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/$defs/"):
                node["$ref"] = "#/$defs/" + renames.get(ref.removeprefix("#/$defs/"), ref.removeprefix("#/$defs/"))
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(schema)


def schemas() -> dict[str, dict[str, Any]]:
    """Every schema file's name and content, from the shipped limit sets."""
    limit_names = load_limits(paths.prompts_dir() / LIMITS_FILE)
    return {
        PROMPTS_SCHEMA: prompts_schema(limit_names),
        LIMITS_SCHEMA: limits_schema(),
        PHRASES_SCHEMA: phrases_schema(),
    }


def dumps(schema: dict[str, Any]) -> str:
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"


def stale(folder: Path = SCHEMA_DIR) -> list[str]:
    """The schema files in ``folder`` that are missing or differ from what the models give now."""
    return [name for name, schema in schemas().items() if _text(folder / name) != dumps(schema)]


def write(folder: Path = SCHEMA_DIR) -> list[str]:
    """Rewrite the schema files that changed; returns their names."""
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for name, schema in schemas().items():
        text = dumps(schema)
        if _text(folder / name) != text:
            (folder / name).write_text(text, encoding="utf-8")
            written.append(name)
    return written


def _text(path: Path) -> str | None:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None


def main(argv: list[str] | None = None, out: Callable[[str], None] = print) -> int:
    parser = argparse.ArgumentParser(prog=REGENERATE, description="生成 schemas/ 中数据文件的 JSON Schema")
    parser.add_argument("--check", action="store_true", help="只检查，有过期的文件时返回 1")
    parser.add_argument("folder", nargs="?", type=Path, default=SCHEMA_DIR)
    args = parser.parse_args(argv)
    if args.check:
        old = stale(args.folder)
        for name in old:
            out(f"{args.folder / name} 已过期，请运行 {REGENERATE}")
        return 1 if old else 0
    for name in write(args.folder):
        out(f"已更新 {args.folder / name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
