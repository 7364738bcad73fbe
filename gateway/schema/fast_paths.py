"""Direct resolvers for plain fields, and the list of fields whose answers never change in a release.

Strawberry wraps every resolver to convert arguments and build its ``Info``; a field that is
a plain attribute, or a method of its object that takes no arguments, needs none of that. On
the whole-country tree (about 36,000 fields) the wrapper costs more than the answer itself.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from graphql import GraphQLField, GraphQLInterfaceType, GraphQLObjectType, GraphQLSchema
from strawberry.types.field import StrawberryField

__all__ = ["REGISTRY_MODULES", "registry_fields", "speed_up"]

# Fields declared in these modules answer from the registry snapshot alone: the same
# question gets the same answer for the whole of a release. Any other field (agency data)
# is not registry-only, so a field added elsewhere is never cached by mistake.
REGISTRY_MODULES = frozenset(
    {
        "gateway.schema.areas",
        "gateway.schema.pagination",
        "gateway.schema.registry_query",
        "gateway.schema.registry_types",
    }
)

Resolver = Callable[..., Any]


def speed_up(schema: GraphQLSchema) -> int:
    """Give plain fields a direct resolver; returns how many fields were changed."""
    changed = 0
    for field in _fields(schema):
        definition = field.extensions.get("strawberry-definition")
        fast = _direct(definition) if isinstance(definition, StrawberryField) else None
        if fast is not None:
            field.resolve = fast
            changed += 1
    return changed


def registry_fields(schema: GraphQLSchema) -> frozenset[tuple[str, str]]:
    """``(type name, field name)`` of every field declared in a registry module."""
    found = set()
    for type_ in schema.type_map.values():
        if not isinstance(type_, GraphQLObjectType | GraphQLInterfaceType):
            continue
        for name, field in type_.fields.items():
            definition = field.extensions.get("strawberry-definition")
            origin = getattr(definition, "origin", None)
            if getattr(origin, "__module__", None) in REGISTRY_MODULES:
                found.add((type_.name, name))
    return frozenset(found)


def _fields(schema: GraphQLSchema) -> list[GraphQLField]:
    return [
        field
        for type_ in schema.type_map.values()
        if isinstance(type_, GraphQLObjectType) and not type_.name.startswith("__")
        for field in type_.fields.values()
    ]


def _direct(definition: StrawberryField) -> Resolver | None:
    if definition.permission_classes or definition.extensions or definition.is_async:
        return None
    if definition.base_resolver is None:
        return _attribute(definition.python_name)
    resolver = definition.base_resolver
    used = {p.name for key, p in resolver.reserved_parameters.items() if p is not None}
    if resolver.arguments or used != {"self"}:
        return None
    function = resolver.wrapped_func
    return _method(function) if callable(function) else None


def _attribute(name: str) -> Resolver:
    def resolve(source: Any, _info: Any) -> Any:
        return getattr(source, name)

    return resolve


def _method(function: Callable[[Any], Any]) -> Resolver:
    def resolve(source: Any, _info: Any) -> Any:
        return function(source)

    return resolve
