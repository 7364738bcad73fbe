"""The floor: a bare graphql-core schema over plain dicts, and a Starlette app serving it.

It does what any GraphQL server must and nothing more: parse and validate a document once,
execute it per request with graphql-core's ``execute``, dump JSON with the gateway's encoder.
No request ids, no content negotiation, no caching of answers.
"""

from __future__ import annotations

from typing import Any

import orjson
from graphql import (
    DocumentNode,
    ExecutionResult,
    GraphQLArgument,
    GraphQLField,
    GraphQLID,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLSchema,
    GraphQLString,
    parse,
    validate,
)
from graphql import execute as graphql_execute
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from central_codes.snapshot import Snapshot
from gateway.http.responses import dump

__all__ = ["FloorData", "FloorServer", "floor_app", "floor_schema"]

Area = dict[str, Any]


class FloorData:
    """Every active area of a snapshot as a dict keyed by its GraphQL field names."""

    def __init__(self, snapshot: Snapshot) -> None:
        self.provinces: list[Area] = []
        self.by_code: dict[str, Area] = {}
        for province in snapshot.provinces:
            node = self._add(province.code, province.name_th, province.name_en, districts=[])
            self.provinces.append(node)
            for district in snapshot.children(province.code):
                self._district(snapshot, node, district.code, district.name_th, district.name_en)

    def _district(
        self, snapshot: Snapshot, province: Area, code: str, name_th: str, name_en: str | None
    ) -> None:
        node = self._add(code, name_th, name_en, province=province, subdistricts=[])
        province["districts"].append(node)
        for sub in snapshot.children(code):
            node["subdistricts"].append(
                self._add(
                    sub.code,
                    sub.name_th,
                    sub.name_en,
                    postalCodes=list(sub.postal_codes),
                    district=node,
                    province=province,
                )
            )

    def _add(self, code: str, name_th: str, name_en: str | None, **more: Any) -> Area:
        node: Area = {"code": code, "nameTh": name_th, "nameEn": name_en, **more}
        self.by_code[code] = node
        return node

    def find(self, code: str, digits: int) -> Area | None:
        """The area with ``code`` when it has ``digits`` digits, else None."""
        return self.by_code.get(code) if len(code) == digits else None


def _list_of(kind: GraphQLOutputType) -> GraphQLNonNull[GraphQLList[Any]]:
    return GraphQLNonNull(GraphQLList(GraphQLNonNull(kind)))


def _named() -> dict[str, GraphQLField]:
    return {
        "code": GraphQLField(GraphQLNonNull(GraphQLID)),
        "nameTh": GraphQLField(GraphQLNonNull(GraphQLString)),
        "nameEn": GraphQLField(GraphQLString),
    }


def floor_schema(data: FloorData) -> GraphQLSchema:
    """Province, District, Subdistrict and a Query root, resolved from ``data`` by dict lookups."""
    province: GraphQLObjectType = GraphQLObjectType(
        "Province", lambda: {**_named(), "districts": GraphQLField(_list_of(district))}
    )
    district: GraphQLObjectType = GraphQLObjectType(
        "District",
        lambda: {
            **_named(),
            "province": GraphQLField(GraphQLNonNull(province)),
            "subdistricts": GraphQLField(_list_of(subdistrict)),
        },
    )
    subdistrict = GraphQLObjectType(
        "Subdistrict",
        {
            **_named(),
            "postalCodes": GraphQLField(_list_of(GraphQLString)),
            "district": GraphQLField(GraphQLNonNull(district)),
            "province": GraphQLField(GraphQLNonNull(province)),
        },
    )
    return GraphQLSchema(GraphQLObjectType("Query", _roots(data, province, district, subdistrict)))


def _roots(data: FloorData, *levels: GraphQLObjectType) -> dict[str, GraphQLField]:
    province, district, subdistrict = levels
    code = {"code": GraphQLArgument(GraphQLNonNull(GraphQLID))}
    return {
        "provinces": GraphQLField(_list_of(province), resolve=lambda _r, _i: data.provinces),
        "province": GraphQLField(province, code, lambda _r, _i, code: data.find(code, 2)),
        "district": GraphQLField(district, code, lambda _r, _i, code: data.find(code, 4)),
        "subdistrict": GraphQLField(subdistrict, code, lambda _r, _i, code: data.find(code, 6)),
    }


class FloorServer:
    """Parses and validates each distinct document once, executes it per call."""

    def __init__(self, schema: GraphQLSchema) -> None:
        self.schema = schema
        self._documents: dict[str, DocumentNode] = {}

    def document(self, query: str) -> DocumentNode:
        """The parsed document of ``query``; raises ValueError when it is not valid."""
        document = self._documents.get(query)
        if document is None:
            document = parse(query)
            errors = validate(self.schema, document)
            if errors:
                raise ValueError(errors[0].message)
            self._documents[query] = document
        return document

    def answer(self, query: str, variables: dict[str, Any] | None = None) -> bytes:
        """The JSON answer to ``query``: execute, then dump."""
        result = graphql_execute(self.schema, self.document(query), variable_values=variables)
        assert isinstance(result, ExecutionResult)  # every resolver here is synchronous
        if result.errors:
            return dump(result.formatted)
        return dump({"data": result.data})

    async def endpoint(self, request: Request) -> Response:
        """``POST /graphql`` with a JSON body."""
        params = orjson.loads(await request.body())
        try:
            body = self.answer(params["query"], params.get("variables"))
        except (ValueError, KeyError) as problem:
            return Response(dump({"errors": [{"message": str(problem)}]}), 400)
        return Response(body, media_type="application/json")


async def _ready(_request: Request) -> Response:
    return Response(b"ok")


def floor_app(snapshot: Snapshot) -> Starlette:
    """The floor as an ASGI app over one snapshot."""
    server = FloorServer(floor_schema(FloorData(snapshot)))
    return Starlette(
        routes=[
            Route("/graphql", server.endpoint, methods=["POST"]),
            Route("/readyz", _ready, methods=["GET"]),
        ]
    )
