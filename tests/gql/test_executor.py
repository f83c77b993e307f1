"""The execution shortcuts (gql/executor.py) answer exactly as strawberry's own path.

The API's schema is run beside a reference schema built from the same types and
extensions by plain ``strawberry.Schema`` (strawberry's wrappers, graphql-core's
executor), on the same real embedded store, and every answer, error included, must
be the same.
"""

from __future__ import annotations

import asyncio
import gc
import json
from pathlib import Path
from typing import Any

import pytest
import strawberry
from graphql import GraphQLObjectType
from shegong.gql.context import Context
from shegong.gql.cost import MeasureMemo, measure, operation_of
from shegong.gql.executor import PlainFieldExecutor
from shegong.gql.extensions import extensions
from shegong.gql.later import Later
from shegong.gql.mutations import Mutation
from shegong.gql.pagination import encode_cursor
from shegong.gql.plain_fields import info_free, plain_fields
from shegong.gql.queries import Query
from shegong.gql.review import ReviewMutations, ReviewQueries
from shegong.gql.schema import ShegongSchema, build_schema
from shegong.gql.settings import ApiSettings
from shegong.gql.types_nodes import Article, Event, Organisation, Person, Place, Policy
from shegong.graph import GraphStore
from strawberry.extensions import SchemaExtension
from strawberry.tools import merge_types

from tests import stores
from tests.gql.graph_data import ART1, G, graph_batch

SETTINGS = ApiSettings()


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Any:
    graph: GraphStore = stores.open_embedded(Path(tmp_path_factory.mktemp("executor")))
    graph.upsert(graph_batch())
    yield graph
    graph.close()


def _reference() -> strawberry.Schema:
    """The API's types and extensions on strawberry's own execution path."""
    return strawberry.Schema(
        query=merge_types("Query", (Query, ReviewQueries)),
        mutation=merge_types("Mutation", (Mutation, ReviewMutations)),
        types=[Organisation, Person, Place, Policy, Event, Article],
        extensions=extensions(SETTINGS),
    )


def _run(schema: strawberry.Schema, store: GraphStore, query: str, **variables: Any) -> Any:
    async def go() -> Any:
        context = Context(store=store, settings=SETTINGS)
        return await schema.execute(query, variables or None, context_value=context)

    result = asyncio.run(go())
    errors = [(e.message, e.path) for e in result.errors or []]
    # as JSON text: the keys in the order the query asks for them
    return json.dumps(result.data, ensure_ascii=False), errors


ENTITY = """query ($id: ID!, $first: Int, $after: String) { entity(id: $id) {
  __typename id name kind aliases label firstSeen lastSeen degree
  ... on Place { level adcode latitude longitude parent { id name } }
  relations(first: $first, after: $after) { totalCount pageInfo { hasNextPage endCursor }
    edges { cursor node { id type sourceId targetId properties confidence curated
      retracted reviewed editor note evidenceCount firstSeen lastSeen
      source { __typename id name ... on Entity { kind } } target { id name }
      propertyList { key value }
      evidence(first: 2) { totalCount nodes { articleId sentence start end rule
        confidence sentenceStart article { id title source date url sources } } } } } } } }"""

QUERIES: list[tuple[str, dict[str, Any]]] = [
    (ENTITY, {"id": G.shanghai_assoc.id}),
    (ENTITY, {"id": G.ministry.id, "first": 1}),
    (ENTITY, {"id": G.ministry.id, "first": 2, "after": encode_cursor(0)}),
    (ENTITY, {"id": G.pudong.id}),
    (ENTITY, {"id": "org-does-not-exist"}),
    # errors raised in resolvers, with their paths
    (ENTITY, {"id": G.ministry.id, "after": "not-a-cursor"}),
    (ENTITY, {"id": G.ministry.id, "first": -1}),
    (
        """query ($a: ID!, $b: ID!, $types: [RelationType!], $d: Direction) {
          a: entity(id: $a) { relations(types: $types, direction: $d) {
            nodes { type source { id } } } }
          b: entity(id: $b) { relations(types: [GUIDED_BY], direction: OUT, first: 3) {
            edges { node { id } } } } }""",
        {
            "a": G.shanghai_assoc.id,
            "b": G.ministry.id,
            "types": ["GUIDED_BY", "HOLDS_POSITION"],
            "d": "IN",
        },
    ),
    (
        """query ($id: ID!) { article(id: $id) { id title text date author sources urls files
          entities(labels: [PERSON], first: 5) { totalCount nodes { id name } } } }""",
        {"id": ART1.to_node().id},
    ),
    (
        """{ search(text: "社会工作", first: 3) { totalCount edges { cursor node { id name
          degree } } } stats(top: 2) { nodes relations } }""",
        {},
    ),
    (
        """query ($id: ID!) { node(id: $id) { id ... on Article { title } } }""",
        {"id": ART1.to_node().id},
    ),
    ("""{ __type(name: "Relation") { name fields { name type { name kind } } } }""", {}),
]


@pytest.mark.parametrize(("query", "variables"), QUERIES)
def test_executor_answers_as_strawberry_does(
    store: GraphStore, query: str, variables: dict[str, Any]
) -> None:
    ours = _run(build_schema(SETTINGS), store, query, **variables)
    reference = _run(_reference(), store, query, **variables)
    assert ours == reference
    assert ours[0] != "null" or ours[1]  # the cases answer something


def test_a_request_leaves_no_reference_cycles(store: GraphStore) -> None:
    # what a request made is freed when it ends, not left for the garbage collector
    schema = build_schema(SETTINGS)

    async def go() -> set[str]:
        variables = {"id": G.shanghai_assoc.id}
        await schema.execute(ENTITY, variables, context_value=Context(store, SETTINGS))
        gc.collect()
        gc.set_debug(gc.DEBUG_SAVEALL)
        try:
            result = await schema.execute(ENTITY, variables, context_value=Context(store, SETTINGS))
            assert result.data and not result.errors
            del result
            gc.collect()
            return {type(o).__name__ for o in gc.garbage}
        finally:
            gc.set_debug(0)
            gc.garbage.clear()

    left = asyncio.run(go())
    assert not {"Context", "Loaders", "DataLoader", "Node", "Relation", "Evidence"} & left
    assert not any(name.endswith("Executor") for name in left), left


def test_executor_knows_the_plain_fields() -> None:
    plain = plain_fields(build_schema(SETTINGS)._schema)
    leaves = {name for name, field in plain["Relation"].items() if field.coerce is not None}
    objects = {name for name, field in plain["Relation"].items() if field.coerce is None}
    assert {"id", "type", "confidence", "evidenceCount", "properties"} <= leaves
    # plain object fields (an interface here) are completed by the executor too
    assert objects == {"source", "target"}
    assert {"edges", "nodes", "pageInfo"} <= set(plain["EvidenceConnection"])
    # fields with resolvers or arguments take the usual path
    assert not {"evidence", "changes", "propertyList"} & set(plain["Relation"])
    assert "degree" not in plain["Organisation"] and "relations" not in plain["Organisation"]


@strawberry.type
class _Odd:
    count: int  # holds a value its type cannot serialise
    label: str | None
    must: str


@strawberry.type
class _OddQuery:
    @strawberry.field
    def odd(self) -> _Odd:
        return _Odd(count="many", label=None, must=None)  # type: ignore[arg-type]

    @strawberry.field
    def odds(self) -> list[_Odd | None]:
        return [_Odd(count=1, label="a", must="b"), None]


def test_executor_reports_bad_values_as_graphql_core_does() -> None:
    query = "{ odd { count label must } odds { count label must } }"
    ours = ShegongSchema(query=_OddQuery).execute_sync(query)
    reference = strawberry.Schema(query=_OddQuery).execute_sync(query)
    assert json.dumps(ours.data) == json.dumps(reference.data)
    assert [(e.message, e.path) for e in ours.errors or []] == [
        (e.message, e.path) for e in reference.errors or []
    ]
    assert ours.errors  # Int cannot represent "many"; a non-null field is null


@strawberry.interface
class _Shape:
    name: str

    @classmethod
    @info_free
    def resolve_type(cls, obj: Any, info: Any, abstract_type: Any) -> str:
        return str(obj.__strawberry_definition__.name)


@strawberry.type
class _Square(_Shape):
    side: int


@strawberry.type
class _Circle(_Shape):
    radius: float


@strawberry.type
class _Holder:
    """Plain object fields (no resolvers) holding every kind of value the executor
    completes itself or leaves to graphql-core."""

    must: _Odd  # holds None
    maybe: _Odd | None
    items: list[_Odd]  # holds a None among objects
    loose: list[_Odd | None]
    shape: _Shape | None  # a value of the wrong class, or a good one
    shapes: list[_Shape]
    names: list[str]  # leaves in a list, one not a string
    later: _Odd | None  # an awaitable

    @strawberry.field
    def deep(self, fail: bool = False) -> _Odd | None:
        if fail:
            raise ValueError("deep failed")
        return _Odd(count=3, label="deep", must="m")


def _holder(index: int) -> _Holder:
    good = _Odd(count=index, label="x", must="y")

    async def later() -> _Odd:
        return _Odd(count=10 + index, label="later", must="z")

    return _Holder(
        must=None if index == 1 else good,  # type: ignore[arg-type]
        maybe=None if index else good,
        items=[good, None] if index == 2 else [good],  # type: ignore[list-item]
        loose=[None, good, _Odd(count="bad", label=None, must="q")],  # type: ignore[arg-type]
        shape=good if index == 3 else _Circle(name="c", radius=1.5),  # type: ignore[arg-type]
        shapes=[_Square(name="s", side=index), _Circle(name="c", radius=0.5)],
        names=["a", 1] if index == 2 else ["a", "b"],  # type: ignore[list-item]
        later=Later(later),  # type: ignore[arg-type]
    )


@strawberry.type
class _HolderQuery:
    @strawberry.field
    def holders(self) -> list[_Holder | None]:
        return [_holder(i) for i in range(4)]

    @strawberry.field
    async def later_holders(self) -> list[_Holder | None]:
        return [_holder(0), None, _holder(3)]


_HOLDER_FIELDS = """__typename must { count label must } maybe { count }
  items { count } loose { count label must }
  shape { __typename name ... on Square { side } ... on Circle { radius } }
  shapes { name ... on Square { side } } names later { label }
  deep { count } failing: deep(fail: true) { count }"""


@pytest.mark.parametrize(
    "query",
    [
        f"{{ holders {{ {_HOLDER_FIELDS} }} }}",
        f"{{ laterHolders {{ {_HOLDER_FIELDS} }} holders {{ must {{ count }} }} }}",
        "{ holders { shapes { __typename } items { must } } }",
    ],
)
def test_executor_completes_plain_objects_as_graphql_core_does(query: str) -> None:
    # nulls in non-null places, bad values, wrong types, awaitables and failing
    # resolvers below the plain object fields: the same data and errors, in order
    types = [_Square, _Circle]
    ours = asyncio.run(ShegongSchema(query=_HolderQuery, types=types).execute(query))
    reference = asyncio.run(strawberry.Schema(query=_HolderQuery, types=types).execute(query))
    assert json.dumps(ours.data) == json.dumps(reference.data)
    assert [(e.message, e.path) for e in ours.errors or []] == [
        (e.message, e.path) for e in reference.errors or []
    ]
    assert ours.errors and ours.data


def test_executor_takes_the_plain_objects_of_a_schema() -> None:
    schema = ShegongSchema(query=_HolderQuery, types=[_Square, _Circle])
    plain = plain_fields(schema._schema)["Holder"]
    assert {name for name, field in plain.items() if field.coerce is None} == {
        "must",
        "maybe",
        "items",
        "loose",
        "shape",
        "shapes",
        "names",
        "later",
    }


class _Counting(SchemaExtension):
    seen: list[str] = []

    def resolve(self, _next: Any, root: Any, info: Any, *args: Any, **kwargs: Any) -> Any:
        _Counting.seen.append(info.field_name)
        return _next(root, info, *args, **kwargs)


def test_executor_leaves_every_field_to_a_middleware() -> None:
    _Counting.seen = []
    schema = ShegongSchema(query=_OddQuery, extensions=[_Counting])
    assert issubclass(schema.execution_context_class, PlainFieldExecutor)
    result = schema.execute_sync("{ odds { count label } }")
    assert result.data == {"odds": [{"count": 1, "label": "a"}, None]}
    assert sorted(_Counting.seen) == ["count", "label", "odds"]


def test_measure_memo_keys_on_the_variables_that_count() -> None:
    schema = build_schema(SETTINGS)._schema
    from graphql import parse

    document = parse(
        """query ($a: Int, $b: Int, $id: ID!) { entity(id: $id) {
          x: relations(first: $a) { nodes { id } } y: mentions(first: $b) { nodes { id } } } }"""
    )
    operation = operation_of(document, None)
    assert operation is not None
    memo = MeasureMemo(max_entries=4)
    for variables in (
        {"a": 3, "b": 3, "id": "x"},
        {"a": 3, "b": 3, "id": "y"},  # the id does not count
        {"a": 50, "b": 3, "id": "x"},
        {"a": 3, "b": 50, "id": "x"},
        {"a": None, "b": True, "id": "x"},
        {"a": 7, "b": 9, "id": "x"},
        {"a": 7, "b": 9, "id": "x"},  # beyond max_entries: measured anew, same answer
    ):
        expected = measure(schema, document, operation, variables, SETTINGS.default_page_size)
        got = memo.measure(schema, document, operation, variables, SETTINGS.default_page_size)
        assert got == expected, variables
    assert memo.measure(
        schema, document, operation, {"a": 50, "b": 3}, SETTINGS.default_page_size
    ) != memo.measure(schema, document, operation, {"a": 3, "b": 3}, SETTINGS.default_page_size)


def test_shortened_resolvers_cover_the_entity_query() -> None:
    schema = build_schema(SETTINGS)._schema
    relation = schema.type_map["Relation"]
    assert isinstance(relation, GraphQLObjectType)
    for name in ("evidence", "source", "propertyList"):
        resolve = relation.fields[name].resolve
        assert resolve is not None and resolve.__module__ == "shegong.gql.direct_resolvers", name
