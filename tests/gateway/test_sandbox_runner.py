"""``moi-gateway sandbox``: stable ports, and the settings that point a gateway at them."""

from __future__ import annotations

from central_codes.snapshot import Snapshot
from gateway.sandbox_runner import environment_lines, fixed_ports
from gateway.settings import Settings
from sandbox.data import SandboxData
from sandbox.server import Sandbox


def test_ports_are_stable_and_one_per_agency(snapshot: Snapshot) -> None:
    sandbox = Sandbox(SandboxData(snapshot))
    ports = fixed_ports(sandbox, 9100)
    names = sorted(a.name for a in sandbox.agencies)
    assert list(ports) == names
    assert list(ports.values()) == list(range(9100, 9100 + len(names)))


def test_printed_lines_configure_a_gateway() -> None:
    lines = environment_lines(
        {"mwa": "http://127.0.0.1:9110", "dopa_stat": "http://127.0.0.1:9106"}
    )
    assert lines == [
        "GATEWAY_CONNECTOR_DOPA_STAT_URL=http://127.0.0.1:9106",
        "GATEWAY_CONNECTOR_MWA_URL=http://127.0.0.1:9110",
    ]
    environ = dict(line.split("=", 1) for line in lines)
    settings = Settings.from_env(environ)
    assert settings.connectors["mwa"].base_url == "http://127.0.0.1:9110"
