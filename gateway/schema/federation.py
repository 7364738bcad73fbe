"""The graph as an Apollo Federation v2 subgraph: entity lookup and the subgraph SDL.

Strawberry's federation schema adds ``Query._entities`` and ``Query._service``; this subclass
checks each representation a router sends (a bad one fails only its own entry, with a stable
code), resolves the rest through each entity's ``resolve_reference`` (which uses the
request's loaders, so many representations make one batch), documents the fields federation
adds, and prints the SDL a router composes: our types with their ``@key`` and ``@link``,
without the ``_entities`` / ``_service`` plumbing that every router adds for itself (as
Apollo's own subgraph libraries print it).
"""

from __future__ import annotations

from typing import Any, Final, Literal

import strawberry.federation
from graphql import (
    DocumentNode,
    GraphQLObjectType,
    ObjectTypeDefinitionNode,
    TypeDefinitionNode,
    parse,
    print_ast,
)
from strawberry.federation.schema import FederationAny
from strawberry.federation.schema_directives import Key
from strawberry.types.base import StrawberryObjectDefinition
from strawberry.types.info import Info

from gateway.errors import BadUserInput

__all__ = ["FEDERATION_VERSION", "FederatedSchema"]

FEDERATION_VERSION: Final[Literal["2.7"]] = (
    "2.7"  # has @requiresScopes (2.5); every maintained router reads it
)

_PLUMBING_TYPES = frozenset({"_Any", "_Entity", "_Service"})
_PLUMBING_FIELDS = frozenset({"_entities", "_service"})
_DESCRIPTIONS = {
    ("Query", "_entities"): "Federation: the entities a router names by their keys, in order; "
    "null where none has the key.",
    ("Query", "_service"): "Federation: this subgraph's SDL, for a router to compose.",
    ("_Service", "sdl"): "The subgraph's schema, with its @key and @link directives.",
}
_TYPE_DESCRIPTIONS = {
    "_Any": "Federation: an entity representation, `__typename` and the key's fields.",
    "_Entity": "Federation: every type a router can look up by key.",
    "_Service": "Federation: what this subgraph tells a router about itself.",
    "_FieldSet": "Federation: the fields of a key, as written in `@key(fields:)`.",
    "link__Import": "Federation: a name `@link` imports from a specification.",
    "link__Purpose": "Federation: what a `@link`ed specification is for.",
}


class FederatedSchema(strawberry.federation.Schema):
    """The public schema, served as a federation subgraph."""

    def __init__(self, **options: Any) -> None:
        super().__init__(federation_version=FEDERATION_VERSION, **options)
        self._entity_keys = _entity_keys(self)
        _document_plumbing(self, options.get("query"))
        self._subgraph_sdl = _without_plumbing(parse(self.as_str()))
        service = self._schema.type_map["_Service"]
        assert isinstance(service, GraphQLObjectType)
        service.fields["sdl"].resolve = lambda _source, _info: self._subgraph_sdl

    def subgraph_sdl(self) -> str:
        """The SDL a router composes (``_service { sdl }``)."""
        return self._subgraph_sdl

    def entities_resolver(
        self, info: Info, representations: list[FederationAny]
    ) -> list[FederationAny]:
        """One answer per representation, in order: an entity, null, or that entry's error."""
        return [self._entity(info, r) for r in representations]

    def _entity(self, info: Info, representation: object) -> Any:
        try:
            origin, key = self._reference(representation)
        except BadUserInput as error:
            return error
        try:
            return origin.resolve_reference(info=info, **key)
        except Exception as error:  # an entry's failure is that entry's error, not the call's
            return error

    def _reference(self, representation: object) -> tuple[Any, dict[str, Any]]:
        if not isinstance(representation, dict):
            raise BadUserInput("a representation is an object with `__typename`")
        type_name = representation.get("__typename")
        if type_name not in self._entity_keys:
            known = ", ".join(sorted(self._entity_keys))
            raise BadUserInput(f"`__typename` must name an entity type: {known}")
        origin, fields = self._entity_keys[type_name]
        key = {_python_name(origin, f): representation.get(f) for f in fields}
        if not all(isinstance(value, str) for value in key.values()):
            wanted = " and ".join(f"`{f}`" for f in fields)
            raise BadUserInput(f"a {type_name} representation needs {wanted} as a string")
        return origin, key


def _entity_keys(schema: FederatedSchema) -> dict[str, tuple[Any, tuple[str, ...]]]:
    """Each entity type's class and the fields of its key (one flat key per type)."""
    found: dict[str, tuple[Any, tuple[str, ...]]] = {}
    for type_name, converted in schema.schema_converter.type_map.items():
        definition = converted.definition
        if not isinstance(definition, StrawberryObjectDefinition):
            continue
        keys = [d for d in definition.directives or () if isinstance(d, Key)]
        if keys:
            found[type_name] = (definition.origin, tuple(str(keys[0].fields).split()))
    return found


def _python_name(origin: Any, graphql_name: str) -> str:
    definition: StrawberryObjectDefinition = origin.__strawberry_definition__
    field = next(f for f in definition.fields if f.name == graphql_name)
    return field.python_name


def _without_plumbing(document: DocumentNode) -> str:
    """The document without federation's own types and root fields."""
    kept = []
    for node in document.definitions:
        if isinstance(node, TypeDefinitionNode) and node.name.value in _PLUMBING_TYPES:
            continue
        if isinstance(node, ObjectTypeDefinitionNode) and node.name.value == "Query":
            fields = tuple(f for f in node.fields or () if f.name.value not in _PLUMBING_FIELDS)
            node = ObjectTypeDefinitionNode(
                name=node.name,
                description=node.description,
                interfaces=node.interfaces,
                directives=node.directives,
                fields=fields,
            )
        kept.append(node)
    return print_ast(DocumentNode(definitions=tuple(kept)))


def _document_plumbing(schema: FederatedSchema, query: Any) -> None:
    """Describe the types and fields federation adds, as every other one is described.

    Federation merges its fields into a new ``Query`` type, which loses our description.
    """
    type_map = schema._schema.type_map
    if query is not None:
        type_map["Query"].description = query.__strawberry_definition__.description
    for name, description in _TYPE_DESCRIPTIONS.items():
        if name in type_map:
            type_map[name].description = description
    for (type_name, field_name), description in _DESCRIPTIONS.items():
        type_ = type_map.get(type_name)
        if isinstance(type_, GraphQLObjectType) and field_name in type_.fields:
            type_.fields[field_name].description = description
