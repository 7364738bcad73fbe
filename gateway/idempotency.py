"""Requests a client may send twice: one stored row per idempotency key.

A client names each submission (a complaint, a rating) with its own key. The first request
stores the row; a repeat with the same content answers that row; the same key with different
content is BAD_USER_INPUT. :func:`store_once` holds this rule for every such table, including
two requests with one key at the same moment (the table's unique key decides, the loser reads
the winner's row).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Awaitable, Callable, Mapping
from typing import Any, TypeVar

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from gateway.errors import BadUserInput

__all__ = ["check_repeat", "fingerprint", "idempotency_key", "store_once"]

T = TypeVar("T")
_KEY = re.compile(r"[A-Za-z0-9._:-]{8,100}")


def idempotency_key(value: str) -> str:
    """The client's key, trimmed; BAD_USER_INPUT unless 8 to 100 of A-Z a-z 0-9 . _ : -."""
    key = value.strip()
    if not _KEY.fullmatch(key):
        raise BadUserInput(
            "idempotencyKey must be 8 to 100 letters, digits or . _ : -",
            argument="idempotencyKey",
        )
    return key


def fingerprint(content: Mapping[str, Any]) -> str:
    """A digest of a submission's content, to tell a repeat from a reused key."""
    return hashlib.sha256(json.dumps(content, sort_keys=True).encode()).hexdigest()


def check_repeat(stored: str, given: str, what: str) -> None:
    """BAD_USER_INPUT when a key already stored ``what`` with another fingerprint."""
    if stored != given:
        raise BadUserInput(
            f"idempotencyKey was already used for a different {what}", argument="idempotencyKey"
        )


async def store_once(
    sessions: async_sessionmaker[AsyncSession],
    repeat: Callable[[], Awaitable[T | None]],
    write: Callable[[AsyncSession], Awaitable[None]],
) -> T | None:
    """Commit ``write`` unless the key is stored already; then what ``repeat`` finds.

    ``repeat`` looks the key up (and raises for different content); ``write`` adds the rows in
    one transaction. None means this call stored them.
    """
    known = await repeat()
    if known is not None:
        return known
    try:
        async with sessions() as session, session.begin():
            await write(session)
    except IntegrityError:  # the same key, stored at the same moment by another request
        again = await repeat()
        if again is None:
            raise
        return again
    return None
