"""Every registry root field, asked over HTTP the way a client asks it."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import httpx
import pytest

Body = dict[str, Any]


async def gql(client: httpx.AsyncClient, query: str, **variables: object) -> Body:
    """POST one query; the answer's JSON body."""
    payload: Body = {"query": query}
    if variables:
        payload["variables"] = variables
    response = await client.post("/graphql", json=payload)
    assert response.status_code == 200, response.text
    body: Body = response.json()
    return body


def _codes(body: Body) -> list[str]:
    return [error["extensions"]["code"] for error in body.get("errors", [])]


async def test_the_acceptance_query(client: httpx.AsyncClient) -> None:
    body = await gql(
        client,
        '{ subdistrict(code:"840503"){ nameTh district { nameTh province { nameEn } } } }',
    )
    assert body == {
        "data": {
            "subdistrict": {
                "nameTh": "เกาะเต่า",
                "district": {"nameTh": "เกาะพะงัน", "province": {"nameEn": "Surat Thani"}},
            }
        }
    }


async def test_resolve_code_of_an_abolished_khwaeng(client: httpx.AsyncClient) -> None:
    body = await gql(
        client,
        """{ resolveCode(code:"104701"){ code known abolishedOn area { status nameTh }
             successors { area { code nameTh } certainty basis inForceOn source }
             current { area { code } certainty path } } }""",
    )
    found = body["data"]["resolveCode"]
    assert (found["code"], found["known"], found["area"]) == (
        "104701",
        True,
        {"status": "ABOLISHED", "nameTh": "บางนา"},
    )
    assert found["abolishedOn"] is not None
    assert [(s["area"]["code"], s["certainty"]) for s in found["successors"]] == [
        ("104702", "CONFIRMED"),
        ("104703", "CONFIRMED"),
    ]
    assert {s["area"]["nameTh"] for s in found["successors"]} == {"บางนาเหนือ", "บางนาใต้"}
    assert all(s["basis"] == "NOTICE" and s["source"] for s in found["successors"])
    assert [c["path"] for c in found["current"]] == [["104701", "104702"], ["104701", "104703"]]


@pytest.mark.parametrize(
    ("code", "known", "current"),
    [("840503", True, [["840503"]]), ("530306", True, [["530306", "530407"]]), ("99", False, [])],
)
async def test_resolve_code(
    client: httpx.AsyncClient, code: str, known: bool, current: list[list[str]]
) -> None:
    body = await gql(
        client, "query($c: ID!){ resolveCode(code:$c){ known current { path } } }", c=code
    )
    found = body["data"]["resolveCode"]
    assert (found["known"], [c["path"] for c in found["current"]]) == (known, current)


@pytest.mark.parametrize(
    ("code", "typename", "name"),
    [
        ("84", "Province", "สุราษฎร์ธานี"),
        ("8405", "District", "เกาะพะงัน"),
        ("840503", "Subdistrict", "เกาะเต่า"),
        ("84050300", "Subdistrict", "เกาะเต่า"),  # DOPA's 8-digit form
    ],
)
async def test_area_of_each_level(
    client: httpx.AsyncClient, code: str, typename: str, name: str
) -> None:
    body = await gql(client, "query($c: ID!){ area(code:$c){ __typename code nameTh } }", c=code)
    assert body["data"]["area"] == {"__typename": typename, "code": code[:6], "nameTh": name}


@pytest.mark.parametrize("code", ["99", "9999", "999999"])
async def test_area_of_an_unknown_code_is_null(client: httpx.AsyncClient, code: str) -> None:
    body = await gql(client, "query($c: ID!){ area(code:$c){ code } }", c=code)
    assert body == {"data": {"area": None}}


async def test_an_abolished_area_shows_its_status(client: httpx.AsyncClient) -> None:
    body = await gql(
        client,
        '{ area(code:"104701"){ __typename status abolishedOn nameTh parent { code } } '
        ' now: area(code:"104702"){ status abolishedOn } }',
    )
    old, now = body["data"]["area"], body["data"]["now"]
    assert (old["__typename"], old["status"], old["nameTh"]) == (
        "Subdistrict",
        "ABOLISHED",
        "บางนา",
    )
    assert old["abolishedOn"] == "2022-04-22"
    assert old["parent"] == {"code": "1047"}
    assert now == {"status": "ACTIVE", "abolishedOn": None}


async def test_areas_answer_in_the_order_asked_with_null_for_unknown(
    client: httpx.AsyncClient,
) -> None:
    body = await gql(
        client,
        'query { areas(codes:["840503", "99", "10", "8405", "999999", "50"]){ code } }',
    )
    found = body["data"]["areas"]
    assert [a and a["code"] for a in found] == ["840503", None, "10", "8405", None, "50"]


async def test_provinces(client: httpx.AsyncClient) -> None:
    body = await gql(client, "{ provinces { code nameTh nameEn isoCode level status } }")
    provinces = body["data"]["provinces"]
    assert len(provinces) == 77
    codes = [p["code"] for p in provinces]
    assert codes == sorted(codes)
    bangkok = provinces[0]
    assert (bangkok["code"], bangkok["nameTh"], bangkok["isoCode"]) == (
        "10",
        "กรุงเทพมหานคร",
        "TH-10",
    )
    assert all(p["isoCode"] == f"TH-{p['code']}" for p in provinces)
    assert {(p["level"], p["status"]) for p in provinces} == {("PROVINCE", "ACTIVE")}


@pytest.mark.parametrize(
    ("field", "code", "found"),
    [
        ("province", "84", True),
        ("province", "8405", False),
        ("province", "840503", False),
        ("district", "8405", True),
        ("district", "84", False),
        ("district", "840503", False),
        ("subdistrict", "840503", True),
        ("subdistrict", "84", False),
        ("subdistrict", "8405", False),
        ("province", "99", False),
    ],
)
async def test_typed_lookups_answer_only_their_own_level(
    client: httpx.AsyncClient, field: str, code: str, found: bool
) -> None:
    body = await gql(client, f"query($c: ID!){{ {field}(code:$c){{ code }} }}", c=code)
    assert body == {"data": {field: {"code": code} if found else None}}


@pytest.mark.parametrize("field", ["area", "province", "district", "subdistrict"])
@pytest.mark.parametrize("bad", ["x1", "123", "1234567", "๘๔", ""])
async def test_a_malformed_code_is_bad_area_code_and_the_rest_is_answered(
    client: httpx.AsyncClient, field: str, bad: str
) -> None:
    body = await gql(
        client,
        f'query($c: ID!){{ bad: {field}(code:$c){{ code }} good: area(code:"50"){{ nameEn }} }}',
        c=bad,
    )
    assert _codes(body) == ["BAD_AREA_CODE"]
    assert body["errors"][0]["path"] == ["bad"]
    assert body["data"] == {"bad": None, "good": {"nameEn": "Chiang Mai"}}


@pytest.mark.parametrize(
    "query",
    [
        '{ resolveCode(code:"123"){ known } registry { provinces } }',
        '{ areas(codes:["10", "123"]){ code } registry { provinces } }',
    ],
)
async def test_a_malformed_code_in_a_non_null_field_nulls_the_whole_answer(
    client: httpx.AsyncClient, query: str
) -> None:
    # resolveCode: CodeResolution! and areas: [Area]! are non-null by contract, so GraphQL
    # carries the error up to `data` itself
    body = await gql(client, query)
    assert _codes(body) == ["BAD_AREA_CODE"]
    assert "data" in body
    assert body["data"] is None


@pytest.mark.parametrize(
    ("query", "level", "first", "codes"),
    [
        ("จ. เชียงใหม่", None, 10, ["50"]),
        ("เขตบางนา", None, 1, ["1047"]),
        ("กทม", None, 10, ["10"]),
        ("เกาะเต่า พะงัน", None, 10, ["840503"]),
        ("Ko Pha-ngan", "DISTRICT", 10, ["8405"]),
        ("Ko Pha-ngan", "SUBDISTRICT", 10, ["840501"]),
        ("ตลาด", "SUBDISTRICT", 3, ["110401", "220101", "300122"]),
    ],
)
async def test_search_areas(
    client: httpx.AsyncClient, query: str, level: str | None, first: int, codes: list[str]
) -> None:
    body = await gql(
        client,
        "query($q: String!, $l: AreaLevel, $f: Int!){ searchAreas(query:$q, level:$l, first:$f)"
        "{ area { code level } matchedName score } }",
        q=query,
        l=level,
        f=first,
    )
    found = body["data"]["searchAreas"]
    assert [m["area"]["code"] for m in found] == codes
    if level:
        assert {m["area"]["level"] for m in found} == {level}


async def test_search_areas_reports_the_matched_name_and_score(client: httpx.AsyncClient) -> None:
    body = await gql(client, '{ searchAreas(query:"Ko Pha-ngan", first:1){ matchedName score } }')
    assert body["data"]["searchAreas"] == [{"matchedName": "Ko Pha-ngan", "score": 1.0}]


@pytest.mark.parametrize(
    ("first", "query"), [(0, "บาง"), (101, "บาง"), (-1, "บาง"), (10, "ก" * 201)]
)
async def test_search_areas_limits(client: httpx.AsyncClient, first: int, query: str) -> None:
    body = await gql(
        client,
        "query($q: String!, $f: Int!){ searchAreas(query:$q, first:$f){ score } }",
        q=query,
        f=first,
    )
    assert _codes(body) == ["BAD_USER_INPUT"]
    assert body["data"] is None


@pytest.mark.parametrize(
    ("address", "codes"),
    [
        ({"subdistrict": "ต.ตลาด", "district": "อ.เมือง", "province": "สุราษฎร์ธานี"}, ["840101"]),
        ({"subdistrict": "วังทอง", "province": "จ.พิษณุโลก"}, ["650801"]),
        ({"subdistrict": "วังทอง", "postalCode": "65130"}, ["650801"]),
        (
            {"subdistrict": "แขวงบางนา", "district": "เขตบางนา", "province": "กทม"},
            ["104702", "104703"],
        ),
        ({"subdistrict": "ไม่มีที่นี่"}, []),
    ],
)
async def test_match_address(
    client: httpx.AsyncClient, address: dict[str, str], codes: list[str]
) -> None:
    body = await gql(
        client,
        "query($s: String!, $d: String, $p: String, $z: String){ matchAddress(subdistrict:$s,"
        " district:$d, province:$p, postalCode:$z){ code } }",
        s=address["subdistrict"],
        d=address.get("district"),
        p=address.get("province"),
        z=address.get("postalCode"),
    )
    assert [a["code"] for a in body["data"]["matchAddress"]] == codes


async def test_match_address_several_candidates(client: httpx.AsyncClient) -> None:
    body = await gql(client, '{ matchAddress(subdistrict:"วังทอง"){ code province { nameTh } } }')
    found = body["data"]["matchAddress"]
    assert len(found) == 9
    assert {"code": "650801", "province": {"nameTh": "พิษณุโลก"}} in found


async def test_match_address_refuses_a_long_part(client: httpx.AsyncClient) -> None:
    body = await gql(
        client, "query($s: String!){ matchAddress(subdistrict:$s){ code } }", s="ก" * 201
    )
    assert _codes(body) == ["BAD_USER_INPUT"]


async def test_areas_by_postal_code(client: httpx.AsyncClient) -> None:
    body = await gql(client, '{ areasByPostalCode(postalCode:"84360"){ code nameTh postalCodes } }')
    assert body["data"]["areasByPostalCode"] == [
        {"code": "840503", "nameTh": "เกาะเต่า", "postalCodes": ["84360"]}
    ]


async def test_areas_by_an_unused_postal_code_is_empty(client: httpx.AsyncClient) -> None:
    body = await gql(client, '{ areasByPostalCode(postalCode:"00000"){ code } }')
    assert body == {"data": {"areasByPostalCode": []}}


@pytest.mark.parametrize("postal", ["8436", "843600", "8436x", "๘๔๓๖๐", "84360\n", " 84360", ""])
async def test_areas_by_postal_code_wants_five_digits(
    client: httpx.AsyncClient, postal: str
) -> None:
    body = await gql(
        client, "query($z: String!){ areasByPostalCode(postalCode:$z){ code } }", z=postal
    )
    assert _codes(body) == ["BAD_USER_INPUT"]
    assert body["errors"][0]["extensions"]["argument"] == "postalCode"


async def test_registry(client: httpx.AsyncClient) -> None:
    body = await gql(
        client,
        "{ registry { version source sourceVersion loadedAt provinces districts subdistricts"
        " abolished attribution } }",
    )
    info = body["data"]["registry"]
    assert (info["provinces"], info["districts"], info["subdistricts"], info["abolished"]) == (
        77,
        928,
        7436,
        1583,
    )
    assert info["source"] == "geothai"
    assert re.fullmatch(r"\d{4}\.\d{2}\.\d{2}\.\d+", info["version"]), info["version"]
    assert info["sourceVersion"]
    assert dt.datetime.fromisoformat(info["loadedAt"]).tzinfo is not None
    assert "CC BY 4.0" in info["attribution"]


async def test_parent_and_ancestors_nearest_first(client: httpx.AsyncClient) -> None:
    body = await gql(
        client,
        '{ area(code:"840503"){ parent { __typename code } ancestors { __typename code } } '
        ' top: area(code:"84"){ parent { code } ancestors { code } } }',
    )
    area, top = body["data"]["area"], body["data"]["top"]
    assert area["parent"] == {"__typename": "District", "code": "8405"}
    assert area["ancestors"] == [
        {"__typename": "District", "code": "8405"},
        {"__typename": "Province", "code": "84"},
    ]
    assert top == {"parent": None, "ancestors": []}
