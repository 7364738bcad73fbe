"""Run GraphQL documents: parse and validate once per document text, execute, cache what may be.

A registry-only operation (every field it selects is declared in a registry module) gives
the same answer for the whole of a release, so its serialized answer is kept, keyed by the
release; any other operation is executed every time.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import AsyncIterator, Hashable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from graphql import (
    DocumentNode,
    ExecutionResult,
    FieldNode,
    GraphQLError,
    GraphQLSchema,
    OperationDefinitionNode,
    OperationType,
    TypeInfo,
    TypeInfoVisitor,
    Visitor,
    execute,
    parse,
    subscribe,
    validate,
    visit,
)
from graphql.pyutils import is_awaitable

from gateway.limits import CostModel, ListSizes, OperationLimits, shape_errors, too_complex
from gateway.limits.shape import count_tokens

if TYPE_CHECKING:
    from central_codes.snapshot import Snapshot

__all__ = ["Executor", "LruCache", "PreparedDocument"]

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")
MAX_QUERY_CHARS = 100_000
_INTROSPECTION = frozenset({"__schema", "__type", "_service"})


class LruCache(Generic[K, V]):
    """A small least-recently-used map."""

    def __init__(self, size: int) -> None:
        self._size = size
        self._items: OrderedDict[K, V] = OrderedDict()

    def get(self, key: K) -> V | None:
        """The value, marked as recently used, or None."""
        value = self._items.get(key)
        if value is not None:
            self._items.move_to_end(key)
        return value

    def put(self, key: K, value: V) -> None:
        """Keep ``value``, dropping the least recently used item when full."""
        if self._size <= 0:
            return
        self._items[key] = value
        self._items.move_to_end(key)
        if len(self._items) > self._size:
            self._items.popitem(last=False)

    def __len__(self) -> int:
        return len(self._items)


@dataclass(frozen=True, slots=True)
class PreparedDocument:
    """A parsed and validated document, or the errors that stopped it.

    ``document`` is None only when parsing failed; a document that failed validation is kept
    so that the HTTP layer can still tell which kind of operation it asked for.
    """

    document: DocumentNode | None
    errors: tuple[GraphQLError, ...]
    registry_only: bool = False
    introspects: bool = False  # asks for the schema: __schema, __type or federation's _service
    # the cost check's verdict by registry release (list sizes come from the release)
    verdicts: dict[int, tuple[GraphQLError, ...]] = field(default_factory=dict, compare=False)
    # the document's operations, found once: every request asks for the one it names
    operations: tuple[OperationDefinitionNode, ...] = field(init=False, compare=False)

    def __post_init__(self) -> None:
        definitions = self.document.definitions if self.document is not None else ()
        found = tuple(d for d in definitions if isinstance(d, OperationDefinitionNode))
        object.__setattr__(self, "operations", found)  # frozen: set once, here

    def operation(self, name: str | None) -> OperationDefinitionNode | None:
        """The operation ``name`` picks (the only one when name is None), or None."""
        operations = self.operations
        if name is None:
            return operations[0] if len(operations) == 1 else None
        return next((o for o in operations if o.name and o.name.value == name), None)


def stamped(error: GraphQLError, code: str) -> GraphQLError:
    """The same error carrying ``extensions.code``."""
    error.extensions = {**(error.extensions or {}), "code": code}
    return error


class Executor:
    """Parses, validates and executes documents against one schema."""

    def __init__(
        self,
        schema: GraphQLSchema,
        registry_fields: frozenset[tuple[str, str]],
        *,
        document_cache_size: int = 1000,
        response_cache_size: int = 1000,
        limits: OperationLimits | None = None,
    ) -> None:
        self.schema = schema
        self._registry_fields = registry_fields
        self.limits = limits or OperationLimits()
        self._costs = CostModel(schema, registry_fields)
        self._sizes: tuple[int, ListSizes] | None = None
        self._documents: LruCache[str, PreparedDocument] = LruCache(document_cache_size)
        self.responses: LruCache[Hashable, bytes] = LruCache(response_cache_size)

    def prepare(self, query: str) -> PreparedDocument:
        """Parse and validate ``query``, once per distinct text."""
        prepared = self._documents.get(query)
        if prepared is None:
            prepared = self._prepare(query)
            self._documents.put(query, prepared)
        return prepared

    def _prepare(self, query: str) -> PreparedDocument:
        if len(query) > MAX_QUERY_CHARS:
            error = GraphQLError(f"The document is longer than {MAX_QUERY_CHARS} characters.")
            return PreparedDocument(None, (stamped(error, "GRAPHQL_PARSE_FAILED"),))
        try:
            document = parse(query, max_tokens=self.limits.max_tokens)
        except GraphQLError as error:
            return PreparedDocument(None, (self._parse_error(error, query),))
        refused = shape_errors(document, self.limits)
        if refused:
            return PreparedDocument(document, refused)
        errors = validate(self.schema, document)
        if errors:
            return PreparedDocument(
                document, tuple(stamped(e, "GRAPHQL_VALIDATION_FAILED") for e in errors)
            )
        registry_only, introspects = self._survey(document)
        return PreparedDocument(document, (), registry_only, introspects)

    def _parse_error(self, error: GraphQLError, query: str) -> GraphQLError:
        if "Parsing aborted" not in error.message:
            return stamped(error, "GRAPHQL_PARSE_FAILED")
        return too_complex("tokens", self.limits.max_tokens, count_tokens(query))

    def over_cost(self, prepared: PreparedDocument, snapshot: Snapshot) -> tuple[GraphQLError, ...]:
        """The error refusing a valid document that would cost too much, once per release."""
        release = snapshot.release.id
        verdict = prepared.verdicts.get(release)
        if verdict is None:
            assert prepared.document is not None
            cost = self._costs.cost(prepared.document, self._list_sizes(snapshot))
            maximum = self.limits.max_cost
            verdict = (too_complex("cost", maximum, cost),) if cost > maximum else ()
            prepared.verdicts.clear()  # a verdict of an older release is not needed again
            prepared.verdicts[release] = verdict
        return verdict

    def _list_sizes(self, snapshot: Snapshot) -> ListSizes:
        if self._sizes is None or self._sizes[0] != snapshot.release.id:
            self._sizes = (snapshot.release.id, ListSizes.of(snapshot))
        return self._sizes[1]

    def _survey(self, document: DocumentNode) -> tuple[bool, bool]:
        """Whether the document is registry-only, and whether it asks for the schema."""
        type_info = TypeInfo(self.schema)
        outside = _Outside(type_info, self._registry_fields)
        visit(document, TypeInfoVisitor(type_info, outside))
        operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
        queries_only = all(o.operation is OperationType.QUERY for o in operations)
        return queries_only and not outside.found, outside.introspects

    async def execute(
        self,
        prepared: PreparedDocument,
        operation_name: str | None,
        variables: dict[str, Any] | None,
        context: Any,
    ) -> ExecutionResult:
        """Execute a prepared document; variable errors come back stamped BAD_USER_INPUT."""
        assert prepared.document is not None
        assert not prepared.errors, "a document that failed validation is never executed"
        result = execute(
            self.schema,
            prepared.document,
            context_value=context,
            variable_values=variables,
            operation_name=operation_name,
        )
        if is_awaitable(result):
            result = await result  # type: ignore[misc]
        assert isinstance(result, ExecutionResult)
        return _stamp_request_errors(result)

    async def subscribe(
        self,
        prepared: PreparedDocument,
        operation_name: str | None,
        variables: dict[str, Any] | None,
        context: Any,
    ) -> AsyncIterator[ExecutionResult] | ExecutionResult:
        """Start a prepared subscription: its results, or the errors that stopped it."""
        assert prepared.document is not None
        assert not prepared.errors, "a document that failed validation is never executed"
        stream = await subscribe(
            self.schema,
            prepared.document,
            context_value=context,
            variable_values=variables,
            operation_name=operation_name,
        )
        return _stamp_request_errors(stream) if isinstance(stream, ExecutionResult) else stream


def _stamp_request_errors(result: ExecutionResult) -> ExecutionResult:
    if result.data is None and result.errors:
        # errors without a path are request errors: variables that do not coerce
        # (their original_error is the scalar's complaint, not a fault of ours)
        for error in result.errors:
            if error.path is None:
                stamped(error, "BAD_USER_INPUT")
    return result


class _Outside(Visitor):
    """Notes whether a document selects any field outside the registry, or the schema itself."""

    def __init__(self, type_info: TypeInfo, allowed: frozenset[tuple[str, str]]) -> None:
        super().__init__()
        self._type_info = type_info
        self._allowed = allowed
        self.found = False
        self.introspects = False

    def enter_field(self, node: FieldNode, *_args: Any) -> None:
        name = node.name.value
        parent = self._type_info.get_parent_type()
        if name in _INTROSPECTION:
            self.introspects = True
        if name.startswith("__") or parent is None:
            return
        if (parent.name, name) not in self._allowed:
            self.found = True
