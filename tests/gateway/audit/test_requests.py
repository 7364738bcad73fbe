"""Every request leaves its record: through the app over HTTP, and `moi-gateway audit verify`."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner
from sqlalchemy import select, update
from starlette.applications import Starlette

from central_codes.database import create_engine
from gateway.audit import AuditRecord, AuditRow, AuditTrail
from gateway.cli import main
from tests.gateway.audit.test_trail import _entry

PID = "1101700230708"


async def _record(app: Starlette, request_id: str) -> AuditRecord:
    resources = app.state.resources
    await resources.audit.flush()
    async with resources.engine.connect() as connection:
        query = select(AuditRow.__table__).where(AuditRow.request_id == request_id)
        row = (await connection.execute(query)).mappings().one()
    return AuditRecord.from_row(row)


async def test_a_request_is_recorded_with_its_connectors_and_codes(
    gateway_app: Starlette, client: httpx.AsyncClient
) -> None:
    request_id = f"audit-{uuid.uuid4()}"
    query = 'query Koh { subdistrict(code: "840503") { nameTh population { total } } }'
    answer = await client.post(
        "/graphql", json={"query": query}, headers={"X-Request-Id": request_id}
    )
    assert answer.status_code == 200
    record = await _record(gateway_app, request_id)
    assert (record.principal, record.tier, record.status) == ("anonymous", "public", 200)
    assert (record.operation_name, record.root_fields) == ("Koh", ("subdistrict",))
    assert record.area_codes == ("840503",)
    assert record.connectors
    assert {c for c, _ in record.connectors} == {"dopa_stat"}
    assert record.intact


async def test_personal_data_never_reaches_the_record(
    gateway_app: Starlette, client: httpx.AsyncClient
) -> None:
    request_id = f"audit-{uuid.uuid4()}"
    query = (
        'query Check($pid: String!) { checkIdCard(pid: $pid, firstName: "สมชาย",'
        ' lastName: "ใจดี", birthDate: "25300101", laser: "JT1234567890") { status } }'
    )
    await client.post(
        "/graphql",
        json={"query": query, "variables": {"pid": PID}},
        headers={"X-Request-Id": request_id, "Authorization": "Bearer not-a-token"},
    )
    record = await _record(gateway_app, request_id)
    assert record.status == 401  # the forged token is refused, and still recorded
    stored = str(record.row())
    for secret in (PID, "สมชาย", "ใจดี", "JT1234567890", "not-a-token"):
        assert secret not in stored


async def test_refused_requests_are_recorded_too(
    gateway_app: Starlette, client: httpx.AsyncClient
) -> None:
    request_id = f"audit-{uuid.uuid4()}"
    answer = await client.post(
        "/graphql",
        content=b"{not json",
        headers={"X-Request-Id": request_id, "Content-Type": "application/json"},
    )
    assert answer.status_code == 400
    record = await _record(gateway_app, request_id)
    assert (record.status, record.operation_hash, record.root_fields) == (400, None, ())


def test_audit_verify_names_the_first_broken_link(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path / 'gateway.sqlite3'}"
    monkeypatch.setenv("GATEWAY_DATABASE_URL", url)
    runner = CliRunner()
    empty = runner.invoke(main, ["audit", "verify"])
    assert (empty.exit_code, empty.stdout) == (0, "ok: 0 records in 0 chains, every link intact\n")
    asyncio.run(_write_and_tamper(url))
    broken = runner.invoke(main, ["audit", "verify"])
    assert broken.exit_code == 1
    assert "(chain a, #2): its hash does not match its content" in broken.stdout


async def _write_and_tamper(url: str) -> None:
    engine = create_engine(url)
    trail = AuditTrail(engine, chain="a")
    for n in range(3):
        trail.add(_entry(n))
    await trail.flush()
    async with engine.begin() as connection:
        await connection.execute(update(AuditRow).where(AuditRow.seq == 2).values(principal="x"))
    await engine.dispose()
