"""The messages of ``graphql-transport-ws``, read and checked; a broken one closes with 4400."""

from __future__ import annotations

import json
from typing import Any

from gateway.http.params import GraphQLParams

__all__ = ["PROTOCOL", "Close", "read_message", "subscribe_params"]

PROTOCOL = "graphql-transport-ws"


class Close(Exception):
    """Ends the connection with one of the protocol's close codes."""

    def __init__(self, code: int, reason: str) -> None:
        super().__init__(reason)
        self.code, self.reason = code, reason


def read_message(raw: str | bytes) -> dict[str, Any]:
    """A message as JSON: an object with a string ``type``."""
    try:
        message = json.loads(raw)
    except ValueError:
        raise Close(4400, "Invalid message: not JSON") from None
    if not isinstance(message, dict) or not isinstance(message.get("type"), str):
        raise Close(4400, "Invalid message: no type")
    return message


def subscribe_params(message: dict[str, Any]) -> tuple[str, GraphQLParams]:
    """The id of a ``subscribe`` message and the operation it asks for, as HTTP would read it.

    The query may be left out when ``extensions.persistedQuery`` names a persisted document.
    """
    operation_id, payload = message.get("id"), message.get("payload")
    if not isinstance(operation_id, str) or not operation_id or not isinstance(payload, dict):
        raise Close(4400, "Invalid message: subscribe needs an id and a payload")
    query, variables = payload.get("query") or "", payload.get("variables")
    name, extensions = payload.get("operationName"), payload.get("extensions")
    if not isinstance(query, str) or not (query or extensions):
        raise Close(4400, "Invalid message: subscribe needs a query")
    for value, kind, what in ((variables, dict, "variables"), (extensions, dict, "extensions")):
        if value is not None and not isinstance(value, kind):
            raise Close(4400, f"Invalid message: {what} must be an object")
    if name is not None and not isinstance(name, str):
        raise Close(4400, "Invalid message: operationName must be a string")
    return operation_id, GraphQLParams(query, variables, name, extensions)
