"""Field-level authorization, declared on the schema with our ``@restricted(scopes:)`` directive.

A field declared with ``strawberry.field(directives=[Restricted(scopes=[["partner"]])])`` may be
read only by a caller holding every scope of one of the listed sets (read as federation's
``@requiresScopes``: the outer list is "or", each inner list "and"). A caller without them gets
null for that field and a ``FORBIDDEN`` error at its path; the rest of the answer stands, so
such a field is nullable (a test holds every restricted field to it).

Why not federation's own ``@requiresScopes``: it composes into a supergraph as a ``SECURITY``
feature, and a router that does not enforce it (Apollo Gateway, the open-source router without
an enterprise licence) refuses to serve such a supergraph at all. The subgraph enforces the
scopes itself, whatever router sits in front (routers forward the caller's credentials), so
its own directive, printed in both SDLs, documents the rule without shutting those routers out.

Only the restricted fields are wrapped, once, when the schema is built: the check costs one set
comparison each time one of them is resolved and nothing on any other field (a few fields
out of hundreds; a hook on every field would cost the whole-country tree about 3x). No
restricted field is declared in a registry module, so none of them is ever in an answer the
response cache keeps; a test holds the two lists apart.

README.md's table "Who may read what" lists every restricted field; a test walks the live
schema against it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import strawberry
from graphql import GraphQLObjectType, GraphQLResolveInfo, GraphQLSchema, default_field_resolver
from strawberry.schema_directive import Location

from gateway.access.principal import ANONYMOUS, Principal
from gateway.errors import Forbidden

__all__ = [
    "Requirement",
    "Restricted",
    "guard_restricted_fields",
    "may_read",
    "restricted_fields",
]

Requirement = tuple[frozenset[str], ...]
"""Sets of scopes, any one of which opens a field."""

Resolver = Callable[..., Any]


@strawberry.schema_directive(
    locations=[Location.FIELD_DEFINITION],
    description="Only callers holding every scope of one of the lists may read this field; "
    "others get null and a FORBIDDEN error.",
)
class Restricted:
    """The directive declaring a restricted field."""

    scopes: list[list[str]]  # any one list, held whole, opens the field


def restricted_fields(schema: GraphQLSchema) -> dict[tuple[str, str], Requirement]:
    """``(type name, field name)`` of every field declared with ``@restricted``."""
    found: dict[tuple[str, str], Requirement] = {}
    for type_ in schema.type_map.values():
        if not isinstance(type_, GraphQLObjectType) or type_.name.startswith("__"):
            continue
        for name, field in type_.fields.items():
            definition = field.extensions.get("strawberry-definition")
            for directive in getattr(definition, "directives", None) or ():
                if isinstance(directive, Restricted):
                    found[(type_.name, name)] = tuple(frozenset(s) for s in directive.scopes)
    return found


def may_read(principal: Principal, requirement: Requirement) -> bool:
    """True when the principal holds every scope of at least one of the sets."""
    return any(principal.allows(scopes) for scopes in requirement)


def guard_restricted_fields(schema: GraphQLSchema) -> int:
    """Wrap each restricted field's resolver in its scope check; returns how many."""
    restricted = restricted_fields(schema)
    for (type_name, name), requirement in restricted.items():
        type_ = schema.type_map[type_name]
        assert isinstance(type_, GraphQLObjectType)
        field = type_.fields[name]
        field.resolve = _guarded(field.resolve or default_field_resolver, requirement)
    return len(restricted)


def _guarded(resolve: Resolver, requirement: Requirement) -> Resolver:
    needed = " or ".join(" and ".join(sorted(s)) for s in requirement)

    def guarded(source: Any, info: GraphQLResolveInfo, **arguments: Any) -> Any:
        principal = getattr(info.context, "principal", ANONYMOUS)
        if not may_read(principal, requirement):
            coordinate = f"{info.parent_type.name}.{info.field_name}"
            raise Forbidden(f"{coordinate} needs the {needed} scope", requiredScopes=needed)
        return resolve(source, info, **arguments)

    return guarded
