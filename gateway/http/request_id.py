"""Give every request an id and send it back as ``X-Request-Id`` on every response.

A caller's own id is kept when it is short and plain (letters, digits, ``.``, ``_``, ``-``);
otherwise a new one is made: 32 hex digits, a random half drawn once per process (again in a
forked child) and a counter, so no request asks the operating system for randomness. The front
door (:mod:`gateway.http.front_door`) gives each request its id: handlers read it from
``request.state.request_id``, everything logged meanwhile from :data:`current_request_id`.
"""

from __future__ import annotations

import itertools
import os
import re
import secrets
from contextvars import ContextVar

__all__ = ["current_request_id", "request_id_of"]

current_request_id: ContextVar[str | None] = ContextVar("current_request_id", default=None)

_VALID = re.compile(r"^[A-Za-z0-9._-]{1,64}$")
_PROCESS = secrets.token_hex(8)
_COUNTER = itertools.count(secrets.randbelow(2**32))


def _new_process() -> None:
    global _PROCESS, _COUNTER
    _PROCESS, _COUNTER = secrets.token_hex(8), itertools.count(secrets.randbelow(2**32))


os.register_at_fork(after_in_child=_new_process)  # a forked worker never repeats its parent's


def request_id_of(given: bytes | None) -> str:
    """The caller's id (its ``X-Request-Id`` header's value, None when not sent) when it is
    valid, else a new one."""
    if given is not None:
        text = given.decode("latin-1")
        if _VALID.match(text):
            return text
    return f"{_PROCESS}{next(_COUNTER) & 0xFFFFFFFFFFFFFFFF:016x}"
