"""What a rating must be: the validation table, and the fingerprint that tells repeats apart."""

from __future__ import annotations

from typing import Any

import pytest

from gateway.errors import BadUserInput
from gateway.ratings.intake import COMMENT_LIMIT, RatingDraft, validate

POINT = "0B7A4B53-3BD4-5C4D-9D0C-6B1F3F6E2A11"


def rating(**change: Any) -> dict[str, Any]:
    values = {"point": POINT, "score": 4, "comment": "ดี", "idempotency_key": "key-00000001"}
    return values | change


def test_a_valid_rating_is_normalised() -> None:
    draft = validate(**rating(point=f"  {POINT} ", comment="  บริการดี\nรวดเร็ว  "))
    assert draft == RatingDraft(POINT.lower(), 4, "บริการดี\nรวดเร็ว", "key-00000001")


@pytest.mark.parametrize(
    ("change", "kept"),
    [
        ({"score": 1}, 1),
        ({"score": 5}, 5),
        ({"comment": None}, ""),
        ({"comment": "x" * COMMENT_LIMIT}, "x" * COMMENT_LIMIT),
        ({"idempotency_key": "a.b_c:d-e"}, "a.b_c:d-e"),
        ({"idempotency_key": "k" * 100}, "k" * 100),
    ],
)
def test_the_edges_are_accepted(change: dict[str, Any], kept: object) -> None:
    draft = validate(**rating(**change))
    (name,) = change
    assert getattr(draft, {"point": "point_id"}.get(name, name)) == kept


@pytest.mark.parametrize(
    ("change", "argument"),
    [
        ({"score": 0}, "score"),
        ({"score": 6}, "score"),
        ({"score": -3}, "score"),
        ({"comment": "x" * (COMMENT_LIMIT + 1)}, "comment"),
        ({"idempotency_key": ""}, "idempotencyKey"),
        ({"idempotency_key": "short"}, "idempotencyKey"),
        ({"idempotency_key": "k" * 101}, "idempotencyKey"),
        ({"idempotency_key": "has spaces in it"}, "idempotencyKey"),
        ({"point": ""}, "servicePointId"),
        ({"point": "not-a-point"}, "servicePointId"),
        ({"point": POINT[:-1]}, "servicePointId"),
    ],
)
def test_invalid_ratings_name_the_argument(change: dict[str, Any], argument: str) -> None:
    with pytest.raises(BadUserInput) as raised:
        validate(**rating(**change))
    assert raised.value.as_extensions() == {"code": "BAD_USER_INPUT", "argument": argument}


def test_the_fingerprint_changes_with_the_content_only() -> None:
    draft = validate(**rating())
    assert validate(**rating(point=POINT.lower())).fingerprint() == draft.fingerprint()
    for change in ({"score": 5}, {"comment": "แย่"}, {"point": POINT.replace("B", "C")}):
        assert validate(**rating(**change)).fingerprint() != draft.fingerprint()
