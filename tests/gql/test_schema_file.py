"""schema.graphql at the repo root is the printed schema."""

from __future__ import annotations

from pathlib import Path

from shegong.gql import schema_sdl

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
