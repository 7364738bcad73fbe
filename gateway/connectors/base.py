"""The runtime every agency connector stands on: :class:`ConnectorRuntime`.

One call to :meth:`ConnectorRuntime.fetch` goes through::

    cache (a fresh hit answers) -> single-flight (identical calls share one request)
      -> cache claim (another instance refreshing the key: wait for its answer instead)
      -> circuit breaker (open: CircuitOpen, or the stale value if one is held)
      -> bulkhead (at most ``concurrency`` requests in flight) -> timeout -> aiohttp
      -> retries with backoff and full jitter (idempotent requests only; Retry-After honoured)
      -> firewall check -> ``parse`` (a mapping failure is UpstreamBadResponse) -> cache set

Every failure is one of the gateway's :class:`~gateway.errors.UpstreamError` classes.
"""

from __future__ import annotations

import asyncio
import math
import random
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, Generic, TypeVar, cast

import aiohttp
from opentelemetry.trace import NoOpTracer, SpanKind, Status, StatusCode, Tracer

from gateway.connectors.breaker import CircuitBreaker
from gateway.connectors.cache import Cache, CacheEntry, MemoryCache
from gateway.connectors.config import ConnectorSettings
from gateway.connectors.errors import (
    MAPPING_ERRORS,
    error_for_status,
    parse_retry_after,
    upstream_errors,
)
from gateway.connectors.messages import (
    Fetched,
    Freshness,
    UpstreamRequest,
    UpstreamResponse,
    blocked_error,
)
from gateway.connectors.metrics import ConnectorMetrics, ConnectorStatus, outcome_of
from gateway.connectors.retry import retry_delay
from gateway.connectors.singleflight import SingleFlight
from gateway.errors import (
    CircuitOpen,
    DeadlineExceeded,
    UpstreamBadResponse,
    UpstreamError,
    UpstreamUnavailable,
)
from gateway.request_scope import current_scope

__all__ = ["ConnectorRuntime", "Reauthorize"]

T = TypeVar("T")
_CLAIM_POLL_SECONDS = 0.02  # how often an instance waiting on another's refresh looks again
Reauthorize = Callable[[UpstreamRequest], Awaitable[UpstreamRequest | None]]
_OUTCOMES = {Freshness.FRESH: "ok", Freshness.CACHED: "cache_hit", Freshness.STALE: "stale"}


@dataclass(frozen=True, slots=True)
class _Call(Generic[T]):
    request: UpstreamRequest
    parse: Callable[[UpstreamResponse], T]
    key: str | None
    ttl: float
    on_unauthorized: Reauthorize | None


class ConnectorRuntime:
    """Timeouts, retries, breaker, bulkhead, cache and single-flight for one connector.

    The constructor only stores its dependencies; ``session`` is the process's one
    :class:`aiohttp.ClientSession`, opened and closed by the app's lifespan. ``clock`` (wall
    seconds, for cache ages and Retry-After dates), ``sleep`` and ``jitter`` are injectable.
    Each :meth:`fetch` is a span of ``tracer`` (none are recorded without one).
    """

    def __init__(
        self,
        settings: ConnectorSettings,
        session: aiohttp.ClientSession,
        *,
        cache: Cache | None = None,
        metrics: ConnectorMetrics | None = None,
        breaker: CircuitBreaker | None = None,
        clock: Callable[[], float] = time.time,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        jitter: Callable[[], float] = random.random,
        tracer: Tracer | None = None,
    ) -> None:
        self.settings = settings
        self._tracer = tracer or NoOpTracer()
        self.name = settings.name
        self._session = session
        self._cache: Cache = cache if cache is not None else MemoryCache(clock=clock)
        self.metrics = metrics if metrics is not None else ConnectorMetrics(clock=clock)
        self.breaker = breaker or CircuitBreaker(
            failures=settings.breaker_failures, cooldown_seconds=settings.breaker_cooldown_seconds
        )
        self._clock, self._sleep, self._jitter = clock, sleep, jitter
        self._flights = SingleFlight()
        self._bulkhead = asyncio.Semaphore(settings.concurrency)
        self._timeout = aiohttp.ClientTimeout(
            total=settings.timeout_seconds, connect=settings.connect_timeout_seconds
        )

    async def fetch(
        self,
        request: UpstreamRequest,
        *,
        parse: Callable[[UpstreamResponse], T],
        cache_key: str | None = None,
        ttl_seconds: float | None = None,
        on_unauthorized: Reauthorize | None = None,
    ) -> Fetched[T]:
        """Call the agency (or the cache) and return ``parse`` of its answer.

        ``cache_key`` None: neither cached nor merged with identical calls. ``ttl_seconds``
        overrides the connector's cache TTL. ``on_unauthorized`` is called once on HTTP 401
        with the rejected request and returns the request to send again (a fresh token),
        or None to give up. Inside a request (:mod:`gateway.request_scope`) the call ends
        at the request's deadline with :class:`DeadlineExceeded`, and its outcome is noted.
        """
        span_name = f"connector {self.name}"
        with self._tracer.start_as_current_span(span_name, kind=SpanKind.CLIENT) as span:
            span.set_attribute("moi.connector", self.name)
            try:
                fetched = await self._scoped(
                    self._fetch(request, parse, cache_key, ttl_seconds, on_unauthorized)
                )
            except UpstreamError as error:
                span.set_attribute("moi.outcome", outcome_of(error))
                span.set_status(Status(StatusCode.ERROR, error.code))
                raise
            span.set_attribute("moi.outcome", _OUTCOMES[fetched.freshness])
            return fetched

    async def _scoped(self, call: Awaitable[Fetched[T]]) -> Fetched[T]:
        """``call``, ended at the request's deadline when inside a request, its outcome noted."""
        scope = current_scope()
        if scope is None:
            return await call
        try:
            async with asyncio.timeout_at(scope.deadline):
                fetched = await call
        except UpstreamError as error:
            scope.note(self.name, outcome_of(error))
            raise
        except TimeoutError:
            scope.note(self.name, "deadline_exceeded")
            message = f"the request's deadline passed while {self.name} was being asked"
            raise DeadlineExceeded(message, connector=self.name) from None
        scope.note(self.name, _OUTCOMES[fetched.freshness])
        return fetched

    async def _fetch(
        self,
        request: UpstreamRequest,
        parse: Callable[[UpstreamResponse], T],
        cache_key: str | None,
        ttl_seconds: float | None,
        on_unauthorized: Reauthorize | None,
    ) -> Fetched[T]:
        if self.settings.base_url is None:
            raise UpstreamUnavailable(f"{self.name} is not configured", connector=self.name)
        ttl = self.settings.cache_ttl_seconds if ttl_seconds is None else ttl_seconds
        key = None if cache_key is None else f"{self.name}:{cache_key}"
        call = _Call(request, parse, key, ttl, on_unauthorized)
        if key is None:
            return await self._refresh(call, None)
        held = await self._cache.get(key)
        if held is not None and held.age(self._clock()) < ttl:
            self.metrics.record("cache_hit")
            return Fetched(cast(T, held.value), Freshness.CACHED, _as_of(held.stored_at))
        self.metrics.record_cache_miss()
        return await self._flights.run(key, lambda: self._refresh(call, held))

    def status(self) -> ConnectorStatus:
        """A snapshot of this connector's health."""
        return self.metrics.status(self.name, self.settings.base_url, self.breaker.state.value)

    async def _refresh(self, call: _Call[T], held: CacheEntry | None) -> Fetched[T]:
        claimed = False
        if call.key is not None:
            claimed = await self._cache.claim(call.key, seconds=self._claim_seconds)
            if not claimed:
                shared, claimed = await self._await_other(call, held)
                if shared is not None:
                    return shared
        try:
            return await self._refresh_claimed(call, held)
        finally:
            if claimed and call.key is not None:
                await self._cache.release(call.key)

    async def _await_other(
        self, call: _Call[T], held: CacheEntry | None
    ) -> tuple[Fetched[T] | None, bool]:
        """Wait while another instance refreshes the key: its answer, or our own claim.

        Gives up waiting (and calls the agency itself) when the other's claim ends without a
        fresh entry (it failed) or after the claim's longest life (it died).
        """
        assert call.key is not None
        deadline = time.monotonic() + self._claim_seconds
        while time.monotonic() < deadline:
            await asyncio.sleep(_CLAIM_POLL_SECONDS)
            entry = await self._cache.get(call.key)
            newer = entry is not None and (held is None or entry.stored_at > held.stored_at)
            if entry is not None and newer and entry.age(self._clock()) < call.ttl:
                self.metrics.record("cache_hit")
                return Fetched(
                    cast(T, entry.value), Freshness.CACHED, _as_of(entry.stored_at)
                ), False
            if await self._cache.claim(call.key, seconds=self._claim_seconds):
                return None, True
        return None, False

    @property
    def _claim_seconds(self) -> float:
        """The longest one refresh may take: every attempt timing out, and a pause between."""
        s = self.settings
        pause: float = s.backoff_seconds * 2.0**s.retries
        return (s.timeout_seconds + pause) * (s.retries + 1)

    async def _refresh_claimed(self, call: _Call[T], held: CacheEntry | None) -> Fetched[T]:
        try:
            value = await self._guarded(call)
        except UpstreamError as error:
            return self._stale_or_raise(call, held, error)
        now = self._clock()
        if call.key is not None:
            keep = call.ttl + self.settings.stale_ttl_seconds
            await self._cache.set(call.key, CacheEntry(value, now), ttl_seconds=keep)
        return Fetched(value, Freshness.FRESH, _as_of(now))

    def _stale_or_raise(
        self, call: _Call[T], held: CacheEntry | None, error: UpstreamError
    ) -> Fetched[T]:
        usable = call.ttl + self.settings.stale_ttl_seconds
        if held is None or held.age(self._clock()) >= usable:
            raise error
        self.metrics.record("stale")
        return Fetched(cast(T, held.value), Freshness.STALE, _as_of(held.stored_at), error)

    async def _guarded(self, call: _Call[T]) -> T:
        if not self.breaker.allow():
            error = CircuitOpen(
                f"{self.name} is failing; calls resume after a cool-down",
                connector=self.name,
                retryAfter=math.ceil(self.breaker.retry_after_seconds),
            )
            self.metrics.record_error(error)
            raise error
        try:
            value = await self._exchange(call)
        except UpstreamError:
            self.breaker.failed()
            raise
        except BaseException:
            self.breaker.released()
            raise
        else:
            self.breaker.succeeded()
        finally:
            self.metrics.record_circuit(self.breaker.state.value)
        return value

    async def _exchange(self, call: _Call[T]) -> T:
        request, attempt, refreshed = call.request, 0, False
        while True:
            try:
                response = await self._send(request)
            except UpstreamError as error:
                await self._pause_or_raise(request, error, attempt)
                attempt += 1
                continue
            if response.status == 401 and call.on_unauthorized is not None and not refreshed:
                refreshed = True
                renewed = await call.on_unauthorized(request)
                if renewed is not None:
                    self.metrics.record("auth_failed", latency_seconds=response.elapsed)
                    request = renewed
                    continue
            try:
                return self._read(response, request, call.parse)
            except UpstreamError as error:
                await self._pause_or_raise(request, error, attempt)
                attempt += 1

    async def _send(self, request: UpstreamRequest) -> UpstreamResponse:
        async with self._bulkhead:
            started = time.perf_counter()  # the queue for a slot is not the agency's latency
            try:
                with upstream_errors(self.name):
                    async with self._session.request(**self._arguments(request)) as answer:
                        body = await self._read_body(answer)
            except UpstreamError as error:
                self.metrics.record_error(error, latency_seconds=time.perf_counter() - started)
                raise
            elapsed = time.perf_counter() - started
        return UpstreamResponse(
            self.name, answer.status, answer.headers, body, str(answer.url), elapsed
        )

    async def _read_body(self, answer: aiohttp.ClientResponse) -> bytes:
        limit, chunks, size = self.settings.max_body_bytes, [], 0
        async for chunk in answer.content.iter_chunked(65536):
            size += len(chunk)
            if size > limit:
                raise UpstreamBadResponse(
                    f"{self.name} answered more than {limit} bytes", connector=self.name
                )
            chunks.append(chunk)
        return b"".join(chunks)

    def _arguments(self, request: UpstreamRequest) -> dict[str, Any]:
        arguments: dict[str, Any] = {
            "method": request.method,
            "url": request.url(self.settings.base_url or ""),
            "params": request.params,
            "headers": request.outgoing_headers(),
            "data": request.data,
            "timeout": self._timeout,
        }
        if request.json is not None:
            arguments["json"] = request.json
        return arguments

    def _read(
        self,
        response: UpstreamResponse,
        request: UpstreamRequest,
        parse: Callable[[UpstreamResponse], T],
    ) -> T:
        try:
            error = self._answer_error(response, request)
            if error is not None:
                raise error
            value = self._parse(response, parse)
        except UpstreamError as error:
            self.metrics.record_error(error, latency_seconds=response.elapsed)
            raise
        self.metrics.record("ok", latency_seconds=response.elapsed)
        return value

    def _answer_error(
        self, response: UpstreamResponse, request: UpstreamRequest
    ) -> UpstreamError | None:
        if response.status not in request.handled_statuses:
            retry_after = parse_retry_after(response.headers.get("Retry-After"), self._clock())
            error = error_for_status(self.name, response.status, retry_after)
            if error is not None:
                return error
        return blocked_error(response, request.expect)

    def _parse(self, response: UpstreamResponse, parse: Callable[[UpstreamResponse], T]) -> T:
        try:
            return parse(response)
        except MAPPING_ERRORS as exc:
            # the type only: values in the message could be personal data
            raise UpstreamBadResponse(
                f"{self.name} answered data we could not map ({type(exc).__name__})",
                connector=self.name,
            ) from exc

    async def _pause_or_raise(
        self, request: UpstreamRequest, error: UpstreamError, attempt: int
    ) -> None:
        delay = retry_delay(self.settings, request, error, attempt, self._jitter)
        if delay is None:
            raise error
        await self._sleep(delay)


def _as_of(stored_at: float) -> datetime:
    return datetime.fromtimestamp(stored_at, UTC)
