"""schemas/*.schema.json: generated from the loaders' models, current, and every shipped data file validates.

The schemas are documentation for the people who edit prompts/ and templates/phrases/ (an editor reads the
``#:schema`` line at the top of each file); these tests keep them true to the loaders.
"""

from __future__ import annotations

import json
import re
import tomllib
from pathlib import Path
from typing import Any, get_args

import pytest
from jsonschema import Draft202012Validator

from helpers import ROOT
from report_wizard.core import form, paths
from report_wizard.interview import schema as data_schema
from report_wizard.interview.effects import EFFECTS
from report_wizard.interview.questions import LIMITS_FILE, RULE_FIELDS, SECTION_ORDER, Kind, load_limits
from report_wizard.narrative.phrases import ALL_KINDS, KIND_GROUPS, ROLES_BY_SECTION

SCHEMAS = ROOT / "schemas"
PROMPT_FILES = sorted((ROOT / "prompts").glob("*.toml"))
PHRASE_FILES = sorted((ROOT / "templates" / "phrases").glob("*.toml"))


def schema_of(path: Path) -> str:
    if path.parent.name == "phrases":
        return data_schema.PHRASES_SCHEMA
    return data_schema.LIMITS_SCHEMA if path.name == LIMITS_FILE else data_schema.PROMPTS_SCHEMA


def validator(name: str) -> Draft202012Validator:
    return Draft202012Validator(json.loads((SCHEMAS / name).read_text(encoding="utf-8")))


def schema_errors(name: str, data: dict[str, Any]) -> list[str]:
    return [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in validator(name).iter_errors(data)]


def read(path: Path) -> dict[str, Any]:
    return tomllib.loads(path.read_text(encoding="utf-8"))


# ---------------------------------------------------------------- the files are current
def test_schema_files_are_current() -> None:
    stale = data_schema.stale(SCHEMAS)
    assert not stale, f"schemas/ 中 {'、'.join(stale)} 已过期（模型或规则名变了）：请运行 {data_schema.REGENERATE}"


def test_schema_folder_holds_exactly_the_generated_files() -> None:
    assert sorted(p.name for p in SCHEMAS.glob("*")) == sorted(data_schema.schemas())


def test_the_generator_rewrites_a_stale_file_and_check_says_how(tmp_path: Path) -> None:
    said: list[str] = []
    assert data_schema.main([str(tmp_path)], out=said.append) == 0
    assert len(said) == 3
    (tmp_path / data_schema.PROMPTS_SCHEMA).write_text("{}\n", encoding="utf-8")
    said.clear()
    assert data_schema.main(["--check", str(tmp_path)], out=said.append) == 1
    assert said == [f"{tmp_path / data_schema.PROMPTS_SCHEMA} 已过期，请运行 {data_schema.REGENERATE}"]
    assert data_schema.main([str(tmp_path)], out=said.append) == 0
    assert data_schema.main(["--check", str(tmp_path)], out=said.append) == 0


@pytest.mark.parametrize("name", sorted(data_schema.schemas()))
def test_each_schema_is_a_valid_json_schema(name: str) -> None:
    Draft202012Validator.check_schema(json.loads((SCHEMAS / name).read_text(encoding="utf-8")))


# ---------------------------------------------------------------- every shipped file validates
@pytest.mark.parametrize("path", PROMPT_FILES + PHRASE_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_shipped_data_file_validates_against_its_schema(path: Path) -> None:
    assert schema_errors(schema_of(path), read(path)) == []


@pytest.mark.parametrize("path", PROMPT_FILES + PHRASE_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_shipped_data_file_points_to_its_schema_on_its_first_line(path: Path) -> None:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    match = re.fullmatch(r"#:schema (\S+)", first)  # the Taplo / Even Better TOML header directive
    assert match, f"{path.name} 的第一行应为 #:schema <相对路径>，而不是 {first!r}"
    target = (path.parent / match.group(1)).resolve()
    assert target == (SCHEMAS / schema_of(path)).resolve()


def test_the_shipped_files_cover_every_section() -> None:
    assert {p.stem for p in PROMPT_FILES} == {*SECTION_ORDER, Path(LIMITS_FILE).stem}
    assert PHRASE_FILES


# ---------------------------------------------------------------- what the schemas know
def _properties(name: str, definition: str | None) -> dict[str, Any]:
    schema = json.loads((SCHEMAS / name).read_text(encoding="utf-8"))
    node = schema if definition is None else schema["$defs"][definition]
    return node["properties"]


def test_the_prompts_schema_lists_the_registry_names_and_the_limit_sets() -> None:
    fields = _properties(data_schema.PROMPTS_SCHEMA, "Question")
    for name, registry in RULE_FIELDS:
        assert fields[name]["enum"] == ["", *sorted(registry)], name
    assert fields["effect"]["enum"] == ["", *sorted(EFFECTS)]
    assert fields["kind"]["enum"] == list(get_args(Kind))
    limits = load_limits(paths.prompts_dir() / LIMITS_FILE)
    assert fields["plausible_max"]["enum"] == ["", *sorted(limits)]
    assert "section" not in fields  # the loader sets it from the file name
    assert _properties(data_schema.PROMPTS_SCHEMA, None)["section"]["enum"] == list(SECTION_ORDER)


def test_the_phrases_schema_lists_sections_roles_and_kinds() -> None:
    fields = _properties(data_schema.PHRASES_SCHEMA, "PhraseEntry")
    assert fields["section"]["enum"] == list(ROLES_BY_SECTION)
    assert set(fields["role"]["enum"]) == {r for roles in ROLES_BY_SECTION.values() for r in roles}
    assert set(fields["kinds"]["items"]["enum"]) == set(ALL_KINDS) | set(KIND_GROUPS)
    assert "name" not in _properties(data_schema.PHRASES_SCHEMA, "ParamSpec")  # the table name is the name


def test_the_limits_schema_asks_every_agency_kind() -> None:
    fields = _properties(data_schema.LIMITS_SCHEMA, "LimitSet")
    assert list(fields) == [k for k, _ in form.AGENCY_KINDS]


def _descriptions(schema: dict[str, Any]) -> list[tuple[str, str]]:
    """(property name, description) for every field of the file and of each model in it."""
    models = [schema, *schema.get("$defs", {}).values()]
    return [(name, prop.get("description", "")) for m in models for name, prop in m.get("properties", {}).items()]


@pytest.mark.parametrize("name", sorted(data_schema.schemas()))
def test_every_field_is_described_in_chinese(name: str) -> None:
    schema = json.loads((SCHEMAS / name).read_text(encoding="utf-8"))
    described = _descriptions(schema)
    assert described
    undescribed = [field for field, text in described if not re.search(r"[\u4e00-\u9fff]", text)]
    assert undescribed == []
    assert re.search(r"[\u4e00-\u9fff]", schema["description"])
    for definition in schema.get("$defs", {}).values():
        assert re.search(r"[\u4e00-\u9fff]", definition.get("description", "")), definition


# ---------------------------------------------------------------- the schemas refuse what the loaders refuse
def _question(data: dict[str, Any], **change: Any) -> dict[str, Any]:
    data["question"][0].update(change)
    return data


@pytest.mark.parametrize(
    ("file", "change", "where"),
    [
        ("requests.toml", lambda d: _question(d, when="has_new_requets"), "question/0/when"),
        ("requests.toml", lambda d: _question(d, effect="cell"), "question/0/effect"),
        ("requests.toml", lambda d: _question(d, kind="table"), "question/0/kind"),
        ("requests.toml", lambda d: _question(d, plausible_max="request"), "question/0/plausible_max"),
        ("requests.toml", lambda d: _question(d, hlep="帮助"), "question/0"),
        ("requests.toml", lambda d: {**d, "section": "request"}, "section"),
        ("limits.toml", lambda d: {**d, "decisions": {**d["decisions"], "provincial": 0}}, "decisions/provincial"),
        ("limits.toml", lambda d: {**d, "fees": {k: v for k, v in d["fees"].items() if k != "subdistrict"}}, "fees"),
    ],
)
def test_the_prompts_schemas_refuse_a_mistake(file: str, change: Any, where: str) -> None:
    path = ROOT / "prompts" / file
    errors = schema_errors(schema_of(path), change(read(path)))
    assert any(e.startswith(f"{where}:") for e in errors), errors


@pytest.mark.parametrize(
    ("change", "where"),
    [
        ({"role": "reveiw"}, "phrase/0/role"),
        ({"role": "fee"}, "phrase/0/role"),  # a role of another section
        ({"section": "problem"}, "phrase/0/section"),
        ({"kinds": ["subdistrict", "village"]}, "phrase/0/kinds/1"),
        ({"titel": "x"}, "phrase/0"),
    ],
)
def test_the_phrases_schema_refuses_a_mistake(change: dict[str, Any], where: str) -> None:
    data = read(ROOT / "templates" / "phrases" / "problems.toml")
    data["phrase"][0].update(change)
    errors = schema_errors(data_schema.PHRASES_SCHEMA, data)
    assert any(e.startswith(f"{where}:") for e in errors), errors
