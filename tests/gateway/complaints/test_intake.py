"""Complaint validation and routing to the province's Damrongdhama centre."""

from __future__ import annotations

from typing import Any

import pytest

from central_codes.snapshot import Snapshot
from gateway.complaints import Category, Contact, centre_for
from gateway.complaints.intake import validate
from gateway.errors import BadAreaCode, BadUserInput

GOOD: dict[str, Any] = {
    "category": Category.LAND,
    "subject": "ถนนชำรุด",
    "detail": "ถนนหน้าบ้านชำรุดมานานหลายเดือน",
    "area_code": "840503",
    "contact": Contact("สมหญิง", "081-234-5678", None),
    "idempotency_key": "client-0001",
}


def test_a_valid_complaint(snapshot: Snapshot) -> None:
    draft = validate(snapshot, **GOOD)
    assert draft.contact.phone == "0812345678"
    assert draft.area_code == "840503"
    assert "081" not in repr(draft.contact)


@pytest.mark.parametrize(
    ("change", "argument"),
    [
        ({"subject": " "}, "subject"),
        ({"subject": "ก" * 201}, "subject"),
        ({"detail": ""}, "detail"),
        ({"detail": "ก" * 5001}, "detail"),
        ({"area_code": "999999"}, "areaCode"),  # well-formed, not in the registry
        ({"area_code": "104701"}, "areaCode"),  # abolished
        ({"contact": Contact("สมหญิง", None, None)}, "contact"),
        ({"contact": Contact(" ", "0812345678", None)}, "contact.name"),
        ({"contact": Contact("ก", "12345", None)}, "contact.phone"),
        ({"contact": Contact("ก", None, "not-an-address")}, "contact.email"),
        ({"idempotency_key": "short"}, "idempotencyKey"),
        ({"idempotency_key": "has spaces in it"}, "idempotencyKey"),
    ],
)
def test_invalid_complaints_name_the_argument(
    snapshot: Snapshot, change: dict[str, Any], argument: str
) -> None:
    with pytest.raises(BadUserInput) as caught:
        validate(snapshot, **(GOOD | change))
    assert caught.value.extensions == {"argument": argument}


def test_a_malformed_area_code_is_bad_area_code(snapshot: Snapshot) -> None:
    with pytest.raises(BadAreaCode):
        validate(snapshot, **(GOOD | {"area_code": "84x"}))


@pytest.mark.parametrize(
    ("code", "province", "name"),
    [
        ("840503", "84", "ศูนย์ดำรงธรรมจังหวัดสุราษฎร์ธานี"),
        ("84", "84", "ศูนย์ดำรงธรรมจังหวัดสุราษฎร์ธานี"),
        ("1038", "10", "ศูนย์ดำรงธรรมกรุงเทพมหานคร"),
        ("500101", "50", "ศูนย์ดำรงธรรมจังหวัดเชียงใหม่"),
    ],
)
def test_routing_by_area_code(snapshot: Snapshot, code: str, province: str, name: str) -> None:
    centre = centre_for(snapshot, code)
    assert (centre.province_code, centre.name) == (province, name)


def test_the_fingerprint_tells_a_repeat_from_another_complaint(snapshot: Snapshot) -> None:
    one = validate(snapshot, **GOOD)
    assert one.fingerprint() == validate(snapshot, **GOOD).fingerprint()
    assert one.fingerprint() != validate(snapshot, **(GOOD | {"subject": "x"})).fingerprint()
