"""Population and houses per area, loaded together for a whole request from DOPA statistics.

:func:`make_population_loader` is keyed by ``(area code, yymm or None)`` (None: the newest
month the agency has, found once per batch). Subdistrict keys are grouped by district, so one
call answers every tambon of a district; province and district keys make one call each per
distinct area. :func:`make_houses_loader` groups every key by province: one call answers the
houses of every tambon in it. Calls run together; the connector's bulkhead bounds how many are
in flight. A failed call fails only the keys it would have answered.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from strawberry.dataloader import DataLoader

from gateway.connectors.dopa_stat import CONNECTOR, DopaStatClient, Headcount
from gateway.connectors.messages import Fetched
from gateway.errors import UpstreamError
from gateway.schema.context import GraphContext

__all__ = [
    "AreaPopulation",
    "HousesKey",
    "PopulationKey",
    "make_houses_loader",
    "make_population_loader",
]

T = TypeVar("T")
PopulationKey = tuple[str, str | None]  # area code, DOPA month or None for the newest
HousesKey = tuple[str, str]  # area code, DOPA month
Call = tuple[str, str, str]  # action, scope code, DOPA month


@dataclass(frozen=True, slots=True)
class AreaPopulation:
    """An area's registered men and women in one month, with where the figures came from."""

    code: str
    headcount: Headcount
    yymm: str
    as_of: datetime
    stale: bool


def make_population_loader(
    context: GraphContext,
) -> DataLoader[PopulationKey, AreaPopulation | None]:
    """The request's population loader (see the module docstring)."""

    async def load(keys: list[PopulationKey]) -> Sequence[AreaPopulation | Exception | None]:
        try:
            client = DopaStatClient(context.connector(CONNECTOR), context.request_id)
        except UpstreamError as error:
            return [error] * len(keys)
        newest = await _newest(client, keys)
        months = [yymm or newest for _, yymm in keys]
        calls = [_call(code, month) for (code, _), month in zip(keys, months, strict=True)]
        answers = await _each(calls, lambda call: _population_call(client, call))
        return [
            _pick(code, month, answers[call]) if isinstance(month, str) else month
            for (code, _), month, call in zip(keys, months, calls, strict=True)
        ]

    return DataLoader(load_fn=load)


def make_houses_loader(context: GraphContext) -> DataLoader[HousesKey, int | None]:
    """The request's houses loader: one call per distinct province and month."""

    async def load(keys: list[HousesKey]) -> Sequence[int | Exception | None]:
        try:
            client = DopaStatClient(context.connector(CONNECTOR), context.request_id)
        except UpstreamError as error:
            return [error] * len(keys)
        calls = [("33", code[:2], yymm) for code, yymm in keys]
        answers = await _each(calls, lambda c: client.province_houses(c[1], c[2]))
        return [
            _houses_of(code, answers[call]) for (code, _), call in zip(keys, calls, strict=True)
        ]

    return DataLoader(load_fn=load)


async def _newest(client: DopaStatClient, keys: list[PopulationKey]) -> str | UpstreamError:
    if all(yymm is not None for _, yymm in keys):
        return ""
    try:
        return await client.newest_month()
    except UpstreamError as error:
        return error


def _call(code: str, month: str | UpstreamError) -> Call:
    if not isinstance(month, str):
        return ("", code, "")
    if len(code) == 2:
        return ("23", code, month)
    return ("24" if len(code) == 4 else "25", code[:4], month)


def _population_call(client: DopaStatClient, call: Call) -> Awaitable[Fetched[Any]]:
    action, scope, yymm = call
    if action == "23":
        return client.province(scope, yymm)
    if action == "24":
        return client.district(scope, yymm)
    return client.district_tambons(scope, yymm)


async def _each(
    calls: list[Call], run: Callable[[Call], Awaitable[Fetched[T]]]
) -> dict[Call, Fetched[T] | UpstreamError]:
    """Each distinct call once, all at once; an upstream failure is kept as the answer."""
    distinct = [call for call in dict.fromkeys(calls) if call[0]]

    async def one(call: Call) -> Fetched[T] | UpstreamError:
        try:
            return await run(call)
        except UpstreamError as error:
            return error

    return dict(zip(distinct, await asyncio.gather(*map(one, distinct)), strict=True))


def _pick(
    code: str, yymm: str, answer: Fetched[Any] | UpstreamError
) -> AreaPopulation | UpstreamError | None:
    if isinstance(answer, UpstreamError):
        return answer
    found = answer.value.get(code) if isinstance(answer.value, dict) else answer.value
    if found is None:
        return None
    return AreaPopulation(code, found, yymm, answer.as_of, answer.stale)


def _houses_of(
    code: str, answer: Fetched[dict[str, int]] | UpstreamError
) -> int | Exception | None:
    if isinstance(answer, UpstreamError):
        return answer
    found = [houses for tambon, houses in answer.value.items() if tambon.startswith(code)]
    return sum(found) if found else None
