"""``rateServicePoint(input)``: a citizen's rating of a service point, stored before the answer and
forwarded to CITIZENinfo in the background; and :class:`ServicePointRating`, a point's average."""

from __future__ import annotations

import datetime as dt
import enum

import strawberry

from gateway.connectors.citizeninfo import NAME
from gateway.ratings import ACCEPTED, DELIVERED, REJECTED, RatingRecord, RatingSummary, validate
from gateway.ratings.intake import COMMENT_LIMIT
from gateway.schema.context import Info

__all__ = ["RatingMutation", "ServicePointRating"]


@strawberry.enum(description="Where a rating stands on its way to CITIZENinfo.")
class RatingStatus(enum.Enum):
    """The statuses the gateway records for a rating."""

    ACCEPTED = strawberry.enum_value(
        ACCEPTED, description="Stored by the gateway; being forwarded to CITIZENinfo."
    )
    DELIVERED = strawberry.enum_value(DELIVERED, description="CITIZENinfo has it.")
    REJECTED = strawberry.enum_value(
        REJECTED, description="CITIZENinfo refused it for good (the point is gone, say)."
    )


@strawberry.input(description="A citizen's rating of a government service point.")
class RateServicePointInput:
    """What a citizen tells CITIZENinfo after a visit."""

    service_point_id: strawberry.ID = strawberry.field(
        description="The service point's id (CITIZENinfo's pointId, a UUID)."
    )
    score: int = strawberry.field(description="A whole number from 1 (poor) to 5 (excellent).")
    comment: str | None = strawberry.field(
        default=None, description=f"What the citizen says, at most {COMMENT_LIMIT:,} characters."
    )
    idempotency_key: str = strawberry.field(
        description="The client's key for this rating (8 to 100 of A-Z a-z 0-9 . _ : -): sending "
        "it again answers the same receipt and rates nothing more."
    )


@strawberry.type(
    description="A service point's rating: CITIZENinfo's figure and ours, counted once."
)
class ServicePointRating:
    """Average and count over every rating: those CITIZENinfo holds, and those accepted here
    that its figure does not include yet."""

    average: float | None = strawberry.field(
        description="The average score from 1 to 5, to two decimals; null without ratings."
    )
    count: int = strawberry.field(description="How many ratings the average is over.")
    pending: int = strawberry.field(
        description="How many of them were accepted here and are not yet in CITIZENinfo's figure."
    )
    as_of: dt.datetime = strawberry.field(description="When CITIZENinfo gave its figure.")
    source: str = strawberry.field(description="The connector CITIZENinfo's figure came from.")

    @classmethod
    def of(cls, summary: RatingSummary) -> ServicePointRating:
        """The graph object of a summary."""
        return cls(
            average=summary.average,
            count=summary.count,
            pending=summary.pending,
            as_of=summary.as_of,
            source=NAME,
        )


@strawberry.type(description="The receipt of a rating: it is stored and will be forwarded.")
class RatingReceipt:
    """What rateServicePoint answers, after the rating is committed."""

    rating_id: strawberry.ID = strawberry.field(
        description="Our id of the rating (CITIZENinfo's clientReference)."
    )
    service_point_id: strawberry.ID = strawberry.field(description="The point rated.")
    score: int = strawberry.field(description="The score given.")
    comment: str = strawberry.field(description="The comment given ('' when none).")
    status: RatingStatus = strawberry.field(description="Where the rating stands now.")
    received_at: dt.datetime = strawberry.field(description="When the gateway accepted it.")
    rejection: str | None = strawberry.field(
        description="Why CITIZENinfo refused it, when REJECTED; null otherwise."
    )
    replayed: bool = strawberry.field(
        description="True when this idempotency key had already rated: nothing new was stored."
    )

    @strawberry.field(
        description="The point's rating now, this one included; null when CITIZENinfo fails "
        "and the gateway holds nothing recent about the point (an error then says why)."
    )
    async def point_rating(self, info: Info) -> ServicePointRating | None:
        ratings = info.context.rating_service()
        found = await ratings.summary(str(self.service_point_id), info.context.request_id)
        return None if found is None else ServicePointRating.of(found)

    @classmethod
    def of(cls, record: RatingRecord) -> RatingReceipt:
        """The receipt of a stored rating."""
        row = record.row
        return cls(
            rating_id=strawberry.ID(row.rating_id),
            service_point_id=strawberry.ID(row.point_id),
            score=row.score,
            comment=row.comment,
            status=RatingStatus(row.status),
            received_at=row.received_at,
            rejection=row.reason,
            replayed=not record.created,
        )


@strawberry.type
class RatingMutation:
    """Rating mutations, merged into Mutation."""

    @strawberry.mutation(
        description="Rate a service point: validated (score, comment, a point CITIZENinfo "
        "knows), stored and acknowledged once committed, then forwarded to CITIZENinfo in the "
        "background with retries. UPSTREAM_* errors when the point cannot be checked (the "
        "agency down and the point not read recently); nothing is stored then."
    )
    async def rate_service_point(self, info: Info, input: RateServicePointInput) -> RatingReceipt:
        draft = validate(
            point=str(input.service_point_id),
            score=input.score,
            comment=input.comment,
            idempotency_key=input.idempotency_key,
        )
        record = await info.context.rating_service().rate(draft, info.context.request_id)
        return RatingReceipt.of(record)
