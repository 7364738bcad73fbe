"""Field-level authorization: the schema's ``@restricted`` fields against README's table, and a
denied field null with FORBIDDEN while the rest of the answer stands."""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import httpx
import pytest
from graphql import GraphQLNonNull, GraphQLObjectType
from starlette.applications import Starlette

from gateway.access import Tier
from gateway.access.fields import restricted_fields
from gateway.app import create_app
from gateway.schema import build_schema
from gateway.schema.fast_paths import registry_fields
from gateway.settings import Mode, Settings
from sandbox.agencies.dopa_idcard import birthday_for, laser_for
from tests.conftest import key_headers
from tests.gateway.connectors.test_dopa_idcard import card_on_file
from tests.gateway.schema.test_complaints import complaint

README = Path(__file__).parents[3] / "README.md"
ROW = re.compile(r"^\| `(\w+)\.(\w+)` \| ([^|]+?) \|$", re.MULTILINE)
SCHEMA = build_schema()._schema


def _table() -> dict[tuple[str, str], str]:
    """README's "Who may read what": ``(type, field)`` to its scopes as written."""
    text = README.read_text("utf-8")
    section = text.split("## Who may read what", 1)[1].split("\n## ", 1)[0]
    return {(t, f): scopes.replace("`", "") for t, f, scopes in ROW.findall(section)}


def _declared(requirement: tuple[frozenset[str], ...]) -> str:
    return " or ".join(" and ".join(sorted(s)) for s in requirement)


def test_every_field_of_the_schema_is_restricted_exactly_as_the_table_says() -> None:
    table = _table()
    assert table, "README.md lost its table of restricted fields"
    declared = restricted_fields(SCHEMA)
    for type_ in SCHEMA.type_map.values():
        if not isinstance(type_, GraphQLObjectType) or type_.name.startswith("__"):
            continue
        for name in type_.fields:
            coordinate = (type_.name, name)
            found = _declared(declared[coordinate]) if coordinate in declared else None
            assert found == table.get(coordinate), f"{type_.name}.{name}: schema and README"
    assert set(table) <= set(declared), "README lists a field the schema does not restrict"


def test_the_issue_s_fields_are_restricted() -> None:
    table = _table()
    assert table[("Query", "checkIdCard")] == "partner"
    assert table[("Complaint", "contact")] == "partner"
    assert table[("Query", "connectors")] == "internal"


def test_a_restricted_field_can_be_nulled_and_is_never_cached_as_registry() -> None:
    cached = registry_fields(SCHEMA)
    for type_name, name in restricted_fields(SCHEMA):
        type_ = SCHEMA.type_map[type_name]
        assert isinstance(type_, GraphQLObjectType)
        assert not isinstance(type_.fields[name].type, GraphQLNonNull), f"{type_name}.{name}"
        assert (type_name, name) not in cached


async def _post(client: httpx.AsyncClient, query: str, **variables: Any) -> dict[str, Any]:
    answer = await client.post("/graphql", json={"query": query, "variables": variables})
    assert answer.status_code == 200
    body: dict[str, Any] = answer.json()
    return body


CONNECTORS = '{ province(code: "84") { nameEn } connectors { name baseUrl } }'


async def test_connectors_are_internal_and_the_rest_of_the_answer_stands(
    client: httpx.AsyncClient, partner_client: httpx.AsyncClient, internal_client: httpx.AsyncClient
) -> None:
    shown = await _post(internal_client, CONNECTORS)
    assert "errors" not in shown
    assert len(shown["data"]["connectors"]) > 10
    for caller in (client, partner_client, client):  # asked again: nothing served from a cache
        denied = await _post(caller, CONNECTORS)
        assert denied["data"] == {"province": {"nameEn": "Surat Thani"}, "connectors": None}
        (error,) = denied["errors"]
        assert error["path"] == ["connectors"]
        assert error["extensions"]["code"] == "FORBIDDEN"


CHECK = """query ($pid: String!, $laser: String!, $born: String!) {
  province(code: "10") { nameEn }
  checkIdCard(pid: $pid, firstName: "สมชาย", lastName: "ใจดี", birthDate: $born, laser: $laser) {
    status
  }
}"""


async def _idcard_requests(internal_client: httpx.AsyncClient) -> int:
    connectors = (await _post(internal_client, "{ connectors { name baseUrl } }"))["data"]
    url = next(c["baseUrl"] for c in connectors["connectors"] if c["name"] == "dopa_idcard")
    async with httpx.AsyncClient(base_url=url) as admin:
        count: int = (await admin.get("/__admin/requests/dopa_idcard")).json()["count"]
    return count


async def test_an_id_card_check_needs_partner_scope_and_never_reaches_dopa_without_it(
    client: httpx.AsyncClient,
    partner_client: httpx.AsyncClient,
    internal_client: httpx.AsyncClient,
    gateway_app: Starlette,
) -> None:
    sandbox = gateway_app.state.resources.agencies.sandbox
    pid = card_on_file(sandbox)
    born = birthday_for(sandbox.data, pid)
    person = {"pid": pid, "laser": laser_for(sandbox.data, pid)}
    person["born"] = f"{int(born[:4]) - 543:04d}-{born[4:6]}-{born[6:]}"
    before = await _idcard_requests(internal_client)
    denied = await _post(client, CHECK, **person)
    assert denied["data"] == {"province": {"nameEn": "Bangkok"}, "checkIdCard": None}
    assert [e["extensions"]["code"] for e in denied["errors"]] == ["FORBIDDEN"]
    assert await _idcard_requests(internal_client) == before
    allowed = await _post(partner_client, CHECK, **person)
    assert allowed["data"]["checkIdCard"] == {"status": "NORMAL"}
    assert await _idcard_requests(internal_client) == before + 1


FILE = """mutation ($input: FileComplaintInput!) {
  fileComplaint(input: $input) { trackingNumber complaint { contact { name } } }
}"""
SHOW = """query ($n: String!) {
  complaint(trackingNumber: $n) { subject contact { name phone email } }
}"""


async def test_a_complainants_contact_is_for_partners_only(
    client: httpx.AsyncClient, partner_client: httpx.AsyncClient
) -> None:
    filed = await _post(client, FILE, input=complaint())
    assert filed["data"]["fileComplaint"]["complaint"]["contact"] is None
    assert filed["errors"][0]["path"] == ["fileComplaint", "complaint", "contact"]
    number = filed["data"]["fileComplaint"]["trackingNumber"]
    anonymous = await _post(client, SHOW, n=number)
    assert anonymous["data"]["complaint"] == {"subject": "ไฟถนนดับ", "contact": None}
    assert anonymous["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    partner = await _post(partner_client, SHOW, n=number)
    assert partner == {
        "data": {
            "complaint": {
                "subject": "ไฟถนนดับ",
                "contact": {"name": "สมหญิง ใจดี", "phone": None, "email": "somying@example.org"},
            }
        }
    }


@pytest.fixture(scope="module")
async def production(settings_factory: Callable[..., Settings]) -> AsyncIterator[Starlette]:
    app = create_app(settings_factory(mode=Mode.PRODUCTION))
    async with app.router.lifespan_context(app):
        yield app


@pytest.mark.parametrize(
    "query",
    [
        "{ __schema { queryType { name } } }",
        '{ __type(name: "Query") { name } }',
        "{ _service { sdl } }",
    ],
)
async def test_production_shows_the_schema_only_to_known_callers(
    production: Starlette, query: str
) -> None:
    transport = httpx.ASGITransport(app=production)
    async with httpx.AsyncClient(transport=transport, base_url="http://gateway") as client:
        anonymous = await client.post("/graphql", json={"query": query})
        partner = await client.post(
            "/graphql", json={"query": query}, headers=await key_headers(production, Tier.PARTNER)
        )
        typename = await client.post("/graphql", json={"query": "{ __typename }"})
    assert anonymous.json()["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    assert "data" not in anonymous.json()
    assert "errors" not in partner.json()
    assert typename.json() == {"data": {"__typename": "Query"}}


async def test_development_shows_the_schema_to_everyone(client: httpx.AsyncClient) -> None:
    answer = await _post(client, "{ __schema { queryType { name } } }")
    assert answer == {"data": {"__schema": {"queryType": {"name": "Query"}}}}
