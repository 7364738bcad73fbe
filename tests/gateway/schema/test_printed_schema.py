"""The committed schema.graphql is the live schema, and schema.federation.graphql the subgraph
SDL routers compose, so every API change shows in review."""

from __future__ import annotations

from pathlib import Path

from gateway.schema import build_schema

PRINTED = Path(__file__).parents[3] / "schema.graphql"
SUBGRAPH = Path(__file__).parents[3] / "schema.federation.graphql"


def test_schema_graphql_matches_the_live_schema() -> None:
    live = build_schema().as_str() + "\n"
    assert PRINTED.read_text(encoding="utf-8") == live, (
        "schema.graphql is out of date: run `moi-gateway schema > schema.graphql` and review the diff"
    )


def test_schema_federation_graphql_matches_the_subgraph_sdl() -> None:
    live = build_schema().subgraph_sdl() + "\n"
    assert SUBGRAPH.read_text(encoding="utf-8") == live, (
        "schema.federation.graphql is out of date: run "
        "`moi-gateway schema --federation > schema.federation.graphql` and review the diff"
    )


def test_every_field_and_type_is_documented() -> None:
    schema = build_schema()._schema
    missing = []
    for name, type_ in schema.type_map.items():
        if name.startswith("__") or name in ("String", "Boolean", "Int", "Float", "ID"):
            continue
        if not type_.description:
            missing.append(name)
        for field_name, field in getattr(type_, "fields", {}).items():
            if not field.description:
                missing.append(f"{name}.{field_name}")
    assert missing == []
