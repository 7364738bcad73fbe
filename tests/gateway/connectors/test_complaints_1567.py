"""The 1567 connector's mappings: receipts, refusals and a complaint's history."""

from __future__ import annotations

from typing import Any

import pytest

from gateway.connectors.complaints_1567 import (
    AgencyEvent,
    AgencyReceipt,
    Refused,
    map_complaint,
    map_receipt,
)

RECEIPT = {"trackingNumber": "1567-2568-000001", "status": "RECEIVED", "receivedAt": "x"}


@pytest.mark.parametrize(
    ("status", "payload", "expected"),
    [
        (201, RECEIPT, AgencyReceipt("1567-2568-000001", "RECEIVED", "x")),
        (
            422,
            {"error": {"code": "VALIDATION_FAILED", "message": "m", "fields": ["areaCode"]}},
            Refused(422, "VALIDATION_FAILED", "m", ("areaCode",)),
        ),
        (409, {"error": {"code": "CONFLICT", "message": "m"}}, Refused(409, "CONFLICT", "m", ())),
    ],
)
def test_map_receipt(status: int, payload: dict[str, Any], expected: object) -> None:
    assert map_receipt(status, payload) == expected


@pytest.mark.parametrize(
    ("status", "payload"),
    [(201, {}), (201, {**RECEIPT, "trackingNumber": ""}), (422, {"fields": []})],
)
def test_map_receipt_refuses_other_shapes(status: int, payload: dict[str, Any]) -> None:
    with pytest.raises((LookupError, ValueError)):
        map_receipt(status, payload)


def test_map_complaint_keeps_the_history_in_order() -> None:
    events = [
        {"status": "RECEIVED", "statusText": "รับเรื่องแล้ว", "at": "a", "note": "n"},
        {"status": "FORWARDED", "statusText": "ส่งต่อ", "at": "b", "note": ""},
    ]
    found = map_complaint(
        {"trackingNumber": "1567-2568-000001", "status": "FORWARDED", "history": events}
    )
    assert found.history == (
        AgencyEvent("RECEIVED", "รับเรื่องแล้ว", "a", "n"),
        AgencyEvent("FORWARDED", "ส่งต่อ", "b", ""),
    )
    with pytest.raises(TypeError):
        map_complaint({"trackingNumber": "t", "status": "s", "history": {}})
