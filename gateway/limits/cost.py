"""The estimated cost of an operation: how many fields it would resolve, agency fields weighted.

Each field costs its weight once per object it is resolved on: a field inside a list is
counted once per expected element. Expected list sizes come from the registry snapshot as
averages (77 provinces; districts per province and subdistricts per district as the release's
totals divided): averages, not maxima, because their product is then exactly the size of the
whole tree (``provinces { districts { subdistricts } } }`` counts 7,436 subdistricts), where
maxima would multiply Bangkok's 50 districts by the largest district's subdistricts. A field
with a ``first`` argument counts ``first`` elements (at most the list's known size), or gives
that page size to the list inside it when it answers a connection; a ``first`` given by a
variable counts the largest page. Other lists count
:data:`DEFAULT_LIST_SIZE`. A registry field weighs 1; a field that asks an agency (or the
database) weighs ``agency_weight``; the fields inside an agency's answer weigh 1 again.
Fragments on several types of one abstract field are all counted.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLCompositeType,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    ListValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
    get_named_type,
)

if TYPE_CHECKING:
    from central_codes.snapshot import Snapshot

__all__ = ["DEFAULT_LIST_SIZE", "LARGEST_PAGE", "CostModel", "ListSizes"]

DEFAULT_LIST_SIZE = 10
# the largest ``first`` any field accepts (gateway.schema.pagination.MAX_PAGE; a test keeps
# them equal): not imported, since this module is imported while the schema is being built
LARGEST_PAGE = 500
_AREA_TYPES = ("Area", "Province", "District", "Subdistrict")


@dataclass(frozen=True, slots=True)
class ListSizes:
    """Expected length of list fields, by ``(type name, field name)``."""

    sizes: Mapping[tuple[str, str], float] = field(default_factory=dict)

    @classmethod
    def of(cls, snapshot: Snapshot) -> ListSizes:
        """Averages over one registry release's active areas."""
        provinces = len(snapshot.provinces) or 1
        districts = sum(len(snapshot.children(p.code)) for p in snapshot.provinces) or 1
        subdistricts = sum(len(s) for s in snapshot.subdistricts_by_province.values())
        sizes = {
            ("Query", "provinces"): float(provinces),
            ("Province", "districts"): districts / provinces,
            ("Province", "subdistricts"): subdistricts / provinces,
            ("District", "subdistricts"): subdistricts / districts,
        }
        sizes |= {(area, "ancestors"): 2.0 for area in _AREA_TYPES}
        return cls(sizes)

    def size(self, parent: str, name: str) -> float | None:
        """The expected length, or None when unknown."""
        return self.sizes.get((parent, name))


class CostModel:
    """Estimates operations' cost over one schema; see the module's docstring for the rules."""

    def __init__(
        self,
        schema: GraphQLSchema,
        registry_fields: frozenset[tuple[str, str]],
        *,
        agency_weight: int = 10,
    ) -> None:
        self._schema = schema
        self._agency = _agency_fields(schema, registry_fields)
        self._agency_weight = agency_weight

    def cost(self, document: DocumentNode, sizes: ListSizes) -> int:
        """The highest estimated cost among the document's operations (validated first)."""
        walk = _Walk(self, document, sizes)
        costs = [
            walk.selections(op.selection_set, self._schema.get_root_type(op.operation))
            for op in document.definitions
            if isinstance(op, OperationDefinitionNode)
        ]
        return round(max(costs, default=0.0))

    def weight(self, parent: str, name: str) -> int:
        """What one resolution of the field costs."""
        return self._agency_weight if (parent, name) in self._agency else 1


class _Walk:
    """One document's costs, each fragment on each type computed once."""

    def __init__(self, model: CostModel, document: DocumentNode, sizes: ListSizes) -> None:
        self._model, self._sizes = model, sizes
        self._fragments = {
            d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
        }
        self._known: dict[tuple[str, float | None], float] = {}

    def selections(
        self,
        node: SelectionSetNode | None,
        parent: GraphQLCompositeType | None,
        page: float | None = None,
    ) -> float:
        """The cost of this selection set on one object of type ``parent``.

        ``page`` is the page size a paged field (a connection) gives the lists inside it.
        """
        total = 0.0
        for selection in node.selections if node and parent else ():
            if isinstance(selection, FieldNode):
                total += self._field(selection, parent, page)  # type: ignore[arg-type]
            elif isinstance(selection, InlineFragmentNode):
                on = self._on(selection, parent)
                total += self.selections(selection.selection_set, on, page)
            elif isinstance(selection, FragmentSpreadNode):
                total += self._fragment(selection.name.value, page)
        return total

    def _field(self, node: FieldNode, parent: GraphQLCompositeType, page: float | None) -> float:
        name = node.name.value
        definition = getattr(parent, "fields", {}).get(name)
        if definition is None:  # __typename, or a field only some members of a union have
            return 1.0
        count, inner_page = self._count(node, parent.name, definition.type, page)
        inner = self.selections(node.selection_set, _composite(definition.type), inner_page)
        return self._model.weight(parent.name, name) + count * inner

    def _count(
        self, node: FieldNode, parent: str, kind: GraphQLOutputType, page: float | None
    ) -> tuple[float, float | None]:
        """How many elements the field is counted for, and the page it passes inside."""
        known = self._sizes.size(parent, node.name.value)
        asked = _page(node)
        if asked is not None:
            asked = asked if known is None else min(asked, known)
            return (asked, None) if _is_list(kind) else (1.0, asked)
        if not _is_list(kind):
            return 1.0, page
        if page is not None:
            return page, None
        if known is not None:
            return known, None
        listed = _listed_argument(node)
        return float(listed if listed is not None else DEFAULT_LIST_SIZE), None

    def _fragment(self, name: str, page: float | None) -> float:
        fragment = self._fragments.get(name)
        if fragment is None:
            return 0.0
        key = (name, page)
        if key not in self._known:
            self._known[key] = 0.0  # validation has rejected cycles; this only stops recursion
            on = self._on(fragment, None)
            self._known[key] = self.selections(fragment.selection_set, on, page)
        return self._known[key]

    def _on(
        self, node: InlineFragmentNode | FragmentDefinitionNode, parent: GraphQLCompositeType | None
    ) -> GraphQLCompositeType | None:
        if node.type_condition is None:
            return parent
        named = self._model._schema.get_type(node.type_condition.name.value)
        return named if isinstance(named, GraphQLObjectType | GraphQLInterfaceType) else parent


def _page(node: FieldNode) -> float | None:
    for argument in node.arguments:
        if argument.name.value != "first":
            continue
        if isinstance(argument.value, IntValueNode):
            return float(argument.value.value)
        if isinstance(argument.value, VariableNode):
            return float(LARGEST_PAGE)
    return None


def _listed_argument(node: FieldNode) -> int | None:
    lists = [a.value for a in node.arguments if isinstance(a.value, ListValueNode)]
    return len(lists[0].values) if lists else None


def _is_list(kind: GraphQLOutputType) -> bool:
    if isinstance(kind, GraphQLNonNull):
        kind = kind.of_type
    return isinstance(kind, GraphQLList)


def _composite(kind: GraphQLOutputType) -> GraphQLCompositeType | None:
    named = get_named_type(kind)
    return named if hasattr(named, "fields") or hasattr(named, "types") else None  # type: ignore[return-value]


def _agency_fields(
    schema: GraphQLSchema, registry_fields: frozenset[tuple[str, str]]
) -> frozenset[tuple[str, str]]:
    """Fields outside the registry on types that hold registry fields: where agencies are asked."""
    registry_types = {parent for parent, _ in registry_fields}
    return frozenset(
        (type_.name, name)
        for type_ in schema.type_map.values()
        if isinstance(type_, GraphQLObjectType | GraphQLInterfaceType)
        and type_.name in registry_types
        for name in type_.fields
        if (type_.name, name) not in registry_fields and not name.startswith("__")
    )
