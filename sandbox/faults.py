"""Fault injection and the request log that every sandbox agency shares.

``PUT /__admin/faults/{agency}`` with any subset of the fields of :class:`Faults` sets them,
``DELETE`` clears them, and ``GET /__admin/requests/{agency}`` returns that agency's request
log, so a test can count the calls a gateway made upstream.
"""

from __future__ import annotations

import asyncio
import random
import time
from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any

from aiohttp import web

__all__ = ["FAULT_FIELDS", "AgencyState", "Faults", "RecordedRequest", "SandboxState"]

BLOCK_PAGE = (
    "<html><head><title>Request Rejected</title></head><body>The requested URL was rejected. "
    "Please consult with your administrator.<br>Your support ID is: 1234567890</body></html>"
)


@dataclass(frozen=True, slots=True)
class Faults:
    """What an agency does wrong, per request; all off by default."""

    latency_ms: int = 0  # wait this long before answering
    error_rate: float = 0.0  # the share of requests answered with `status` (1.0: all of them)
    status: int = 503  # the status of an injected error
    retry_after: int | None = None  # seconds, sent as Retry-After with an injected error
    html_block: bool = False  # answer 200 with a firewall's HTML page instead of data
    malformed: bool = False  # answer 200 with a truncated, unparsable body
    drop: bool = False  # close the connection without answering
    down: bool = False  # refuse every request with 503, as if the service were off


FAULT_FIELDS = frozenset(f.name for f in fields(Faults))


@dataclass(frozen=True, slots=True)
class RecordedRequest:
    """One request an agency received."""

    method: str
    path: str
    query: dict[str, str]
    at: float
    request_id: str | None


@dataclass
class AgencyState:
    """One agency's faults and request log."""

    faults: Faults = field(default_factory=Faults)
    requests: list[RecordedRequest] = field(default_factory=list)
    rng: random.Random = field(default_factory=lambda: random.Random(1567))


class SandboxState:
    """The faults and logs of every agency, shared by their applications."""

    def __init__(self, agencies: list[str]) -> None:
        self.agencies = {name: AgencyState() for name in agencies}

    def agency(self, name: str) -> AgencyState:
        """The state of one agency; unknown names raise HTTPNotFound."""
        if name not in self.agencies:
            raise web.HTTPNotFound(text=f"no agency named {name!r}")
        return self.agencies[name]

    def set_faults(self, name: str, changes: dict[str, Any]) -> Faults:
        """Apply a subset of fault fields; unknown fields raise HTTPBadRequest."""
        unknown = sorted(set(changes) - FAULT_FIELDS)
        if unknown:
            raise web.HTTPBadRequest(text=f"unknown fault fields: {', '.join(unknown)}")
        state = self.agency(name)
        try:
            state.faults = replace(state.faults, **changes)
        except TypeError as error:
            raise web.HTTPBadRequest(text=str(error)) from None
        return state.faults

    def admin_routes(self) -> list[web.RouteDef]:
        """The ``/__admin`` routes, mounted on every agency's application."""
        return [
            web.put("/__admin/faults/{agency}", self._put_faults),
            web.delete("/__admin/faults/{agency}", self._delete_faults),
            web.get("/__admin/faults/{agency}", self._get_faults),
            web.get("/__admin/requests/{agency}", self._get_requests),
            web.delete("/__admin/requests/{agency}", self._delete_requests),
        ]

    async def _put_faults(self, request: web.Request) -> web.Response:
        changes = await request.json()
        if not isinstance(changes, dict):
            raise web.HTTPBadRequest(text="send a JSON object of fault fields")
        return web.json_response(asdict(self.set_faults(request.match_info["agency"], changes)))

    async def _delete_faults(self, request: web.Request) -> web.Response:
        self.agency(request.match_info["agency"]).faults = Faults()
        return web.json_response(asdict(Faults()))

    async def _get_faults(self, request: web.Request) -> web.Response:
        return web.json_response(asdict(self.agency(request.match_info["agency"]).faults))

    async def _get_requests(self, request: web.Request) -> web.Response:
        log = self.agency(request.match_info["agency"]).requests
        return web.json_response({"count": len(log), "requests": [asdict(r) for r in log]})

    async def _delete_requests(self, request: web.Request) -> web.Response:
        self.agency(request.match_info["agency"]).requests.clear()
        return web.json_response({"count": 0, "requests": []})

    def middleware(self, name: str) -> Any:
        """The middleware that logs each agency request and applies its faults."""

        @web.middleware
        async def apply(request: web.Request, handler: Any) -> web.StreamResponse:
            if request.path.startswith("/__admin/"):
                return await handler(request)  # type: ignore[no-any-return]
            state = self.agency(name)
            state.requests.append(_record(request))
            injected = await _inject(state, request)
            if injected is not None:
                return injected
            try:
                response = await handler(request)
            except web.HTTPException as answer:  # a 404 or 422 is an answer, and can be garbled too
                if not state.faults.malformed:
                    raise
                response = web.Response(
                    status=answer.status, text=answer.text, content_type=answer.content_type
                )
            if state.faults.malformed and isinstance(response, web.Response) and response.body:
                body = bytes(response.body)  # type: ignore[arg-type]
                return web.Response(
                    body=body[: max(1, len(body) // 2)],
                    status=response.status,
                    content_type=response.content_type,
                )
            return response  # type: ignore[no-any-return]

        return apply


def _record(request: web.Request) -> RecordedRequest:
    return RecordedRequest(
        method=request.method,
        path=request.path,
        query=dict(request.query),
        at=time.time(),
        request_id=request.headers.get("X-Request-Id"),
    )


async def _inject(state: AgencyState, request: web.Request) -> web.StreamResponse | None:
    faults = state.faults
    if faults.latency_ms:
        await asyncio.sleep(faults.latency_ms / 1000)
    if faults.down:
        return web.Response(status=503, text="Service Unavailable")
    if faults.drop:
        transport = request.transport
        if transport is not None:
            transport.close()  # the client sees the connection end with no answer
        return web.Response(status=500)
    if faults.html_block:
        return web.Response(text=BLOCK_PAGE, content_type="text/html")
    if faults.error_rate and state.rng.random() < faults.error_rate:
        headers = {"Retry-After": str(faults.retry_after)} if faults.retry_after is not None else {}
        return web.Response(status=faults.status, text="injected failure", headers=headers)
    return None
