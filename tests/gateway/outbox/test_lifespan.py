"""The app's lifespan runs the outbox worker: a committed message is delivered while it serves."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any

from central_codes.database import session_factory
from gateway.app import Resources, create_app
from gateway.outbox import OutboxMessage, enqueue
from gateway.settings import Settings


async def test_the_running_app_delivers_committed_messages(database_url: str) -> None:
    sent: list[str] = []

    async def deliver(message: OutboxMessage) -> Mapping[str, Any]:
        sent.append(message.idempotency_key)
        return {}

    app = create_app(Settings(database_url=database_url, outbox_poll_seconds=0.05))
    async with app.router.lifespan_context(app):
        resources: Resources = app.state.resources
        assert resources.outbox is not None
        resources.outbox.register("probe", deliver)
        async with session_factory(resources.engine)() as session, session.begin():
            enqueue(session, "probe", "p1", {})
        for _ in range(200):
            if sent:
                break
            await asyncio.sleep(0.02)
    assert sent == ["p1"]
