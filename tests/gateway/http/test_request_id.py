"""Request ids the gateway makes: kept when the caller's is plain, else 32 hex digits of its own."""

from __future__ import annotations

import os
import re

from gateway.http.request_id import request_id_of


def test_a_plain_id_is_kept_and_any_other_replaced() -> None:
    assert request_id_of(b"order-42.retry_1") == "order-42.retry_1"
    made = request_id_of(b"no spaces <allowed>")
    assert re.fullmatch(r"[0-9a-f]{32}", made)


def test_ids_made_one_after_another_differ() -> None:
    made = [request_id_of(None) for _ in range(1000)]
    assert len(set(made)) == 1000


def test_a_forked_process_makes_ids_of_its_own() -> None:
    reader, writer = os.pipe()
    child = os.fork()
    if child == 0:  # the child writes one id and leaves at once
        os.write(writer, request_id_of(None).encode())
        os._exit(0)
    os.waitpid(child, 0)
    os.close(writer)
    theirs = os.read(reader, 64).decode()
    os.close(reader)
    ours = request_id_of(None)
    assert len(theirs) == len(ours) == 32
    assert theirs[:16] != ours[:16]  # the random half is drawn again in the child
