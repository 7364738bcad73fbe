"""Province.subdistricts a page at a time: every subdistrict once, in code order, stable cursors."""

from __future__ import annotations

import base64

import httpx
import pytest

from tests.gateway.schema.test_registry_query import Body, gql

PAGE = """query($c: ID!, $first: Int!, $after: String) {
  province(code: $c) {
    subdistricts(first: $first, after: $after) {
      totalCount
      edges { cursor node { code } }
      nodes { code district { code } }
      pageInfo { hasNextPage endCursor }
    }
  }
}"""


async def _page(client: httpx.AsyncClient, first: int, after: str | None) -> Body:
    body = await gql(client, PAGE, c="10", first=first, after=after)
    assert "errors" not in body, body
    page: Body = body["data"]["province"]["subdistricts"]
    return page


async def test_walking_every_page_of_bangkok_gives_each_subdistrict_once(
    client: httpx.AsyncClient,
) -> None:
    pages, after = [], None
    while True:
        page = await _page(client, 50, after)
        pages.append(page)
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert [len(p["nodes"]) for p in pages] == [50, 50, 50, 30]
    assert {p["totalCount"] for p in pages} == {180}
    walked = [n["code"] for p in pages for n in p["nodes"]]
    assert walked == sorted(walked)
    assert len(set(walked)) == 180
    assert all(
        [e["node"]["code"] for e in p["edges"]] == [n["code"] for n in p["nodes"]] for p in pages
    )
    assert pages[-1]["pageInfo"] == {
        "hasNextPage": False,
        "endCursor": pages[-1]["edges"][-1]["cursor"],
    }
    by_district = await gql(
        client, '{ province(code:"10"){ districts { subdistricts { code } } } }'
    )
    districts = by_district["data"]["province"]["districts"]
    assert len(districts) == 50
    assert set(walked) == {s["code"] for d in districts for s in d["subdistricts"]}


async def test_each_edge_cursor_starts_the_next_page_after_it(client: httpx.AsyncClient) -> None:
    whole = await _page(client, 180, None)
    tenth = whole["edges"][9]["cursor"]
    after_tenth = await _page(client, 5, tenth)
    assert [n["code"] for n in after_tenth["nodes"]] == [n["code"] for n in whole["nodes"][10:15]]
    assert after_tenth["pageInfo"]["hasNextPage"] is True


async def test_a_page_larger_than_the_list_is_the_whole_list(client: httpx.AsyncClient) -> None:
    page = await _page(client, 500, None)
    assert len(page["nodes"]) == 180
    assert page["pageInfo"]["hasNextPage"] is False


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode()


@pytest.mark.parametrize(
    "cursor",
    ["garbage", "!!!", "", _b64(b"x:100101"), _b64(b"\xff\xfe"), "ก"],
)
async def test_a_forged_cursor_is_bad_user_input(client: httpx.AsyncClient, cursor: str) -> None:
    body = await gql(client, PAGE, c="10", first=10, after=cursor)
    assert [e["extensions"]["code"] for e in body["errors"]] == ["BAD_USER_INPUT"]
    assert body["errors"][0]["extensions"]["argument"] == "after"
    assert body["errors"][0]["path"] == ["province", "subdistricts"]


@pytest.mark.parametrize("first", [0, -1, 501])
async def test_page_size_is_one_to_five_hundred(client: httpx.AsyncClient, first: int) -> None:
    body = await gql(client, PAGE, c="10", first=first)
    assert [e["extensions"]["code"] for e in body["errors"]] == ["BAD_USER_INPUT"]
    assert body["errors"][0]["extensions"]["argument"] == "first"


async def test_a_page_of_a_small_province(client: httpx.AsyncClient) -> None:
    body = await gql(
        client,
        '{ province(code:"84"){ districts { code } subdistricts(first:3){ nodes { code } } } }',
    )
    province = body["data"]["province"]
    assert province["districts"][0] == {"code": "8401"}
    assert [n["code"] for n in province["subdistricts"]["nodes"]] == ["840101", "840102", "840103"]
