"""What an audit record may say about a request: root fields and area codes, nothing else.

Redaction is by allowlist: of a request's document and variables, only the root fields'
names and values that have the shape of an area code (2, 4 or 6 digits) in arguments named
for area codes are kept. ``checkIdCard``'s arguments, a complaint's contact, free text, the
document itself and every credential never reach the record (the document is kept as its
SHA-256 hash, the caller as its principal id).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from graphql import (
    DocumentNode,
    FieldNode,
    InlineFragmentNode,
    ListValueNode,
    ObjectValueNode,
    OperationDefinitionNode,
    StringValueNode,
    ValueNode,
    VariableNode,
    Visitor,
    visit,
)

__all__ = ["DocumentFacts", "facts_of"]

AREA_ARGUMENTS = frozenset({"code", "codes", "areaCode", "provinceCode"})
_AREA_CODE = re.compile(r"\d{2}(?:\d{2}){0,2}")


@dataclass(frozen=True, slots=True)
class DocumentFacts:
    """Per document and operation: root fields, literal area codes, variables holding codes."""

    root_fields: tuple[str, ...]
    codes: tuple[str, ...]
    code_variables: tuple[str, ...]
    input_variables: tuple[str, ...]  # input objects: only their area-code fields are read

    @property
    def reads_variables(self) -> bool:
        """True when the request's variables may add area codes."""
        return bool(self.code_variables or self.input_variables)

    def area_codes(self, variables: Mapping[str, Any] | None) -> tuple[str, ...]:
        """The literal codes and those the request's variables give, each once, sorted."""
        given, found = variables or {}, set(self.codes)
        for name in self.code_variables:
            found.update(_codes_in(given.get(name)))
        for name in self.input_variables:
            found.update(_codes_in_input(given.get(name)))
        return tuple(sorted(found))


def facts_of(document: DocumentNode, operation_name: str | None) -> DocumentFacts:
    """The facts of the operation ``operation_name`` picks (every operation when it is None)."""
    operations = [
        d
        for d in document.definitions
        if isinstance(d, OperationDefinitionNode)
        and (operation_name is None or (d.name and d.name.value == operation_name))
    ]
    roots = tuple(dict.fromkeys(name for op in operations for name in _roots(op)))
    collector = _AreaArguments()
    for operation in operations:
        visit(operation, collector)
    return DocumentFacts(
        roots,
        tuple(sorted(collector.codes)),
        tuple(sorted(collector.variables)),
        tuple(sorted(collector.inputs - collector.variables)),
    )


def _roots(operation: OperationDefinitionNode) -> Iterator[str]:
    pending = list(operation.selection_set.selections)
    while pending:
        selection = pending.pop(0)
        if isinstance(selection, FieldNode):
            yield selection.name.value
        elif isinstance(selection, InlineFragmentNode):
            pending.extend(selection.selection_set.selections)


class _AreaArguments(Visitor):
    """Collects area-code literals and the variables given to area-code arguments."""

    def __init__(self) -> None:
        super().__init__()
        self.codes: set[str] = set()
        self.variables: set[str] = set()
        self.inputs: set[str] = set()

    def enter_argument(self, node: Any, *_args: Any) -> None:
        self._value(node.name.value, node.value)

    def _value(self, name: str, value: ValueNode) -> None:
        if isinstance(value, ObjectValueNode):
            for field in value.fields:
                self._value(field.name.value, field.value)
        elif name in AREA_ARGUMENTS:
            self._area(value)
        elif isinstance(value, VariableNode):
            self.inputs.add(value.name.value)  # maybe an input object: its areaCode is read

    def _area(self, value: ValueNode) -> None:
        if isinstance(value, VariableNode):
            self.variables.add(value.name.value)
        elif isinstance(value, ListValueNode):
            for item in value.values:
                self._area(item)
        elif isinstance(value, StringValueNode) and _AREA_CODE.fullmatch(value.value):
            self.codes.add(value.value)


def _codes_in(value: Any) -> Iterator[str]:
    if isinstance(value, str) and _AREA_CODE.fullmatch(value):
        yield value
    elif isinstance(value, list):
        for item in value:
            yield from _codes_in(item)


def _codes_in_input(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for key in AREA_ARGUMENTS & value.keys():
            yield from _codes_in(value[key])
