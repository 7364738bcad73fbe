"""``population(period)`` on every area: registered people and houses from DOPA statistics."""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Annotated

import strawberry

from gateway.connectors.dopa_stat import CONNECTOR, bangkok_today, period_of, yymm_for
from gateway.errors import BadUserInput
from gateway.loaders.population import AreaPopulation, make_houses_loader, make_population_loader
from gateway.schema.context import Info

__all__ = ["Population", "PopulationFields", "PopulationPeriod", "parse_period"]

_PERIOD = re.compile(r"^(\d{4})-(\d{2})$", re.ASCII)


def parse_period(period: str, today: dt.date | None = None) -> str:
    """The DOPA month of a Gregorian ``YYYY-MM``; BAD_USER_INPUT when malformed or out of range.

    Out of range: a month outside 01-12, a year two Buddhist-era digits cannot hold, or a
    month after the current one.
    """
    match = _PERIOD.match(period)
    if match is None:
        raise BadUserInput("period must be a Gregorian month such as 2025-09", argument="period")
    year, month = int(match[1]), int(match[2])
    now = today or bangkok_today()
    try:
        yymm = yymm_for(year, month)
    except ValueError:
        yymm = None
    if yymm is None or (year, month) > (now.year, now.month):
        raise BadUserInput(f"period {period} is out of range", argument="period")
    return yymm


@strawberry.type(description="A month of DOPA statistics.")
class PopulationPeriod:
    """One DOPA month in the agency's and the two calendars' forms."""

    yymm: str = strawberry.field(
        description="DOPA's own form: the Buddhist-era year's last two digits and the month."
    )
    gregorian: str = strawberry.field(description="The Gregorian month, YYYY-MM.")
    buddhist_era: str = strawberry.field(description="The Buddhist-era month, YYYY-MM.")


@strawberry.type(description="People and houses registered in an area in one month (DOPA).")
class Population:
    """An area's registration figures; houses are fetched only when asked for."""

    male: int = strawberry.field(description="Registered men.")
    female: int = strawberry.field(description="Registered women.")
    total: int = strawberry.field(description="Registered people.")
    period: PopulationPeriod = strawberry.field(description="The month of the figures.")
    as_of: dt.datetime = strawberry.field(description="When the agency gave these figures.")
    source: str = strawberry.field(description="The connector the figures came from.")
    stale: bool = strawberry.field(
        description="True when the agency failed and these are its last figures, past their TTL."
    )
    area_code: strawberry.Private[str]

    @classmethod
    def of(cls, found: AreaPopulation) -> Population:
        """The graph object of loaded figures."""
        period = period_of(found.yymm)
        return cls(
            male=found.headcount.male,
            female=found.headcount.female,
            total=found.headcount.total,
            period=PopulationPeriod(
                yymm=period.yymm, gregorian=period.gregorian, buddhist_era=period.buddhist_era
            ),
            as_of=found.as_of,
            source=CONNECTOR,
            stale=found.stale,
            area_code=found.code,
        )

    @strawberry.field(description="Registered houses in the same month; null when unknown.")
    async def houses(self, info: Info) -> int | None:
        loader = info.context.loaders.get(make_houses_loader)
        return await loader.load((self.area_code, self.period.yymm))


@strawberry.type
class PopulationFields:
    """The ``population`` field of Province, District and Subdistrict.

    A strawberry type only so that the areas inherit its field; it is never in the schema.
    """

    if TYPE_CHECKING:
        code: strawberry.ID  # the area's, as Area declares it

    @strawberry.field(
        description="People and houses registered here (DOPA statistics); null when the "
        "agency has no figures for the month or fails (an error then says why)."
    )
    async def population(
        self,
        info: Info,
        period: Annotated[
            str | None,
            strawberry.argument(
                description="Gregorian month YYYY-MM; the newest month DOPA has when omitted."
            ),
        ] = None,
    ) -> Population | None:
        yymm = None if period is None else parse_period(period)
        found = await info.context.loaders.get(make_population_loader).load((self.code, yymm))
        return None if found is None else Population.of(found)
