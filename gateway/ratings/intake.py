"""What a rating must be before we accept it. Pure: :func:`validate` turns raw input into a
:class:`RatingDraft` or raises BAD_USER_INPUT naming the argument.

Whether the point exists is asked separately (:mod:`gateway.ratings.points`): it needs the
agency or the service-point index, and a repeat of a stored rating does not need it at all.
"""

from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass

from gateway import idempotency
from gateway.errors import BadUserInput

__all__ = ["COMMENT_LIMIT", "RatingDraft", "point_id", "validate"]

COMMENT_LIMIT = 2000  # CITIZENinfo's own limit: a longer comment could never be delivered
SCORES = range(1, 6)


@dataclass(frozen=True, slots=True)
class RatingDraft:
    """A valid rating, not yet stored."""

    point_id: str
    score: int
    comment: str
    idempotency_key: str

    def fingerprint(self) -> str:
        """A digest of the content, to tell a repeat from a reused key."""
        return idempotency.fingerprint(asdict(self))


def point_id(value: str) -> str:
    """A service point's id in its canonical form (CITIZENinfo's ids are UUIDs)."""
    try:
        return str(uuid.UUID(value.strip()))
    except ValueError:
        raise BadUserInput(
            "servicePointId is not a service point id (a UUID)", argument="servicePointId"
        ) from None


def validate(*, point: str, score: int, comment: str | None, idempotency_key: str) -> RatingDraft:
    """The rating to store, or BAD_USER_INPUT naming what is wrong."""
    key = idempotency.idempotency_key(idempotency_key)
    if score not in SCORES:
        raise BadUserInput("score must be a whole number from 1 to 5", argument="score")
    text = (comment or "").strip()
    if len(text) > COMMENT_LIMIT:
        raise BadUserInput(
            f"comment must be at most {COMMENT_LIMIT} characters", argument="comment"
        )
    return RatingDraft(point_id(point), score, text, key)
