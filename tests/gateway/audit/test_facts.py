"""What a record may say about a request: root fields and area codes, never personal data."""

from __future__ import annotations

from typing import Any

import pytest
from graphql import parse

from gateway.audit.facts import facts_of

PID = "1101700230708"


@pytest.mark.parametrize(
    ("query", "operation", "variables", "roots", "codes"),
    [
        ('{ subdistrict(code: "840503") { nameTh } }', None, None, ("subdistrict",), ("840503",)),
        (
            '{ areas(codes: ["10", "1001"]) { code } provinces { code } }',
            None,
            None,
            ("areas", "provinces"),
            ("10", "1001"),
        ),
        (
            "query Q($c: ID!) { district(code: $c) { nameTh } }",
            "Q",
            {"c": "8405"},
            ("district",),
            ("8405",),
        ),
        (
            'query A { province(code: "10") { code } } query B { registry { version } }',
            "B",
            None,
            ("registry",),
            (),
        ),
        ("{ ... on Query { provinces { code } } }", None, None, ("provinces",), ()),
        # a PID, names, a deed number and a contact are not area codes, whatever their shape
        (
            f'{{ checkIdCard(pid: "{PID}", firstName: "A", lastName: "B", birthDate: "25300101",'
            ' laser: "JT0000000000") { status } }',
            None,
            None,
            ("checkIdCard",),
            (),
        ),
        (
            'query L($d: String!) { landParcel(provinceCode: "10", dolDistrictCode: "01",'
            " deedNo: $d) { deedNo } }",
            "L",
            {"d": "1234"},
            ("landParcel",),
            ("10",),
        ),
        (
            "mutation F($input: FileComplaintInput!) { fileComplaint(input: $input) { replayed } }",
            "F",
            {"input": {"areaCode": "840503", "contact": {"name": "A", "phone": "0812345678"}}},
            ("fileComplaint",),
            ("840503",),
        ),
        ('{ subdistrict(code: "not a code") { code } }', None, None, ("subdistrict",), ()),
    ],
)
def test_facts(
    query: str,
    operation: str | None,
    variables: dict[str, Any] | None,
    roots: tuple[str, ...],
    codes: tuple[str, ...],
) -> None:
    facts = facts_of(parse(query), operation)
    assert facts.root_fields == roots
    assert facts.area_codes(variables) == codes
