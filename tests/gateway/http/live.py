"""A gateway served for real by uvicorn in the test's own event loop (so that the test can drive
its poller directly, which ``tests/live_server.py``'s thread does not allow), and a
graphql-transport-ws client.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import uvicorn
from starlette.applications import Starlette

from gateway.http.subscriptions import PROTOCOL

WAIT = 30.0  # seconds a test waits for a message before failing instead of hanging


@contextlib.asynccontextmanager
async def served(app: Starlette) -> AsyncIterator[str]:
    """Run the app's lifespan and serve it on a free port; yields the ``ws://`` URL of /graphql."""
    async with app.router.lifespan_context(app):
        config = uvicorn.Config(app, lifespan="off", log_level="warning", access_log=False)
        server = uvicorn.Server(config)
        listener = socket.socket()
        listener.bind(("127.0.0.1", 0))
        serving = asyncio.create_task(server.serve(sockets=[listener]))
        try:
            while not server.started:
                assert not serving.done(), "the gateway did not start under uvicorn"
                await asyncio.sleep(0.01)
            yield f"ws://127.0.0.1:{listener.getsockname()[1]}/graphql"
        finally:
            server.should_exit = True
            await serving
            listener.close()


class GraphQLSocket:
    """One client connection: send protocol messages, read them back in order."""

    def __init__(self, websocket: aiohttp.ClientWebSocketResponse) -> None:
        self.websocket = websocket

    async def send(self, message: dict[str, Any]) -> None:
        """Send one message as JSON text."""
        await self.websocket.send_str(json.dumps(message))

    async def receive(self) -> dict[str, Any]:
        """The next message; fails on a close instead."""
        frame = await self.websocket.receive(timeout=WAIT)
        assert frame.type is aiohttp.WSMsgType.TEXT, (frame.type, frame.data, frame.extra)
        message: dict[str, Any] = json.loads(frame.data)
        return message

    async def closed_with(self) -> int | None:
        """Read until the server closes; its close code."""
        while True:
            frame = await self.websocket.receive(timeout=WAIT)
            if frame.type in (aiohttp.WSMsgType.CLOSE, aiohttp.WSMsgType.CLOSED):
                return self.websocket.close_code

    async def init(self, payload: dict[str, Any] | None = None) -> None:
        """connection_init, and expect connection_ack."""
        await self.send({"type": "connection_init", **({"payload": payload} if payload else {})})
        assert (await self.receive())["type"] == "connection_ack"

    async def subscribe(
        self, operation_id: str, query: str, variables: dict[str, Any] | None = None
    ) -> None:
        """Start an operation, then ping and wait for pong: the server has taken it when it comes."""
        payload = {"query": query, **({"variables": variables} if variables else {})}
        await self.send({"id": operation_id, "type": "subscribe", "payload": payload})
        await self.send({"type": "ping"})

    async def taken(self) -> list[dict[str, Any]]:
        """The messages before the pong that follows :meth:`subscribe`."""
        found = []
        while (message := await self.receive())["type"] != "pong":
            found.append(message)
        return found


@contextlib.asynccontextmanager
async def connected(
    url: str, *, protocols: tuple[str, ...] = (PROTOCOL,), headers: dict[str, str] | None = None
) -> AsyncIterator[GraphQLSocket]:
    """A client connection to ``url``, the upgrade request carrying ``headers``."""
    async with (
        aiohttp.ClientSession() as session,
        session.ws_connect(url, protocols=protocols, headers=headers) as ws,
    ):
        yield GraphQLSocket(ws)
