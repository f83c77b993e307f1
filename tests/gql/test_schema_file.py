"""schema.graphql at the repo root is the printed schema."""

from __future__ import annotations

from pathlib import Path

from shegong.gql import build_schema, schema_sdl

SCHEMA_FILE = Path(__file__).resolve().parents[2] / "schema.graphql"


def test_schema_file_matches_printed_schema() -> None:
    printed = schema_sdl()
    committed = SCHEMA_FILE.read_text(encoding="utf-8") if SCHEMA_FILE.exists() else ""
    assert committed == printed, (
        "schema.graphql is out of date with the strawberry schema; regenerate it with\n"
        "    .venv/bin/python -m shegong.gql.schema > schema.graphql\n"
        "and commit it (clients generate code from it)."
    )


def test_schema_names_every_entity_type_and_enum() -> None:
    printed = schema_sdl()
    for name in ("Organisation", "Person", "Place", "Policy", "Event"):
        assert f"type {name} implements Entity & Node" in printed or (
            f"type {name} implements Node & Entity" in printed
        ), name
    assert "enum RelationType" in printed and "ELECTED_PRESIDENT" in printed
    assert "enum EntityLabel" in printed


def test_readme_queries_are_valid() -> None:
    """The example queries in the README's API section validate against the schema."""
    from graphql import parse, validate

    readme = (SCHEMA_FILE.parent / "README.md").read_text(encoding="utf-8")
    section = readme.split("<!-- section: api -->", 1)[1].split("<!-- section:", 1)[0]
    blocks = [b.split("```", 1)[0] for b in section.split("```graphql")[1:]]
    assert blocks, "the README's API section shows no graphql example"
    schema = build_schema()._schema
    for block in blocks:
        for query in block.split("\n\n"):
            text = "\n".join(line.split("#", 1)[0] for line in query.splitlines()).strip()
            if text:
                assert validate(schema, parse(text)) == [], text
