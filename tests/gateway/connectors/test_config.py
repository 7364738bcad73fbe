"""Connector settings from GATEWAY_CONNECTOR_<NAME>_<FIELD> keys."""

from __future__ import annotations

import pytest

from gateway.connectors import ConnectorSettings, connector_settings
from gateway.settings import SettingError

NAMES = ["dopa", "dopa_stat", "landsmaps"]


def test_defaults_when_nothing_is_set() -> None:
    found = connector_settings(NAMES, {"PATH": "/usr/bin"})
    assert sorted(found) == NAMES
    assert found["dopa_stat"] == ConnectorSettings(name="dopa_stat")
    assert found["dopa_stat"].base_url is None
    assert not found["dopa_stat"].configured


def test_values_are_read_per_connector() -> None:
    environ = {
        "GATEWAY_CONNECTOR_DOPA_STAT_URL": "https://stat.bora.dopa.go.th/",
        "GATEWAY_CONNECTOR_DOPA_STAT_TIMEOUT_SECONDS": "4.5",
        "GATEWAY_CONNECTOR_DOPA_STAT_RETRIES": "0",
        "GATEWAY_CONNECTOR_DOPA_URL": "https://idcard.bora.dopa.go.th",
        "GATEWAY_CONNECTOR_LANDSMAPS_CREDENTIALS": "consumer-secret",
        "GATEWAY_CONNECTOR_LANDSMAPS_CONCURRENCY": " 3 ",
    }
    found = connector_settings(NAMES, environ)
    assert found["dopa_stat"].base_url == "https://stat.bora.dopa.go.th/"
    assert found["dopa_stat"].timeout_seconds == 4.5
    assert found["dopa_stat"].retries == 0
    assert found["dopa"].base_url == "https://idcard.bora.dopa.go.th"
    assert found["dopa"].retries == ConnectorSettings.retries
    assert found["landsmaps"].credentials == "consumer-secret"
    assert found["landsmaps"].concurrency == 3


@pytest.mark.parametrize(
    ("key", "value", "problem"),
    [
        ("GATEWAY_CONNECTOR_DOPA_TIMEOUT_SECONDS", "soon", "'soon' is not a valid float"),
        ("GATEWAY_CONNECTOR_DOPA_TIMEOUT_SECONDS", "0", "must be greater than 0"),
        ("GATEWAY_CONNECTOR_DOPA_RETRIES", "2.5", "'2.5' is not a valid int"),
        ("GATEWAY_CONNECTOR_DOPA_RETRIES", "-1", "must not be negative"),
        ("GATEWAY_CONNECTOR_DOPA_CACHE_TTL_SECONDS", "-5", "must not be negative"),
        ("GATEWAY_CONNECTOR_DOPA_CONCURRENCY", "0", "must be greater than 0"),
        ("GATEWAY_CONNECTOR_DOPA_BREAKER_FAILURES", "0", "must be at least 1"),
        ("GATEWAY_CONNECTOR_DOPA_STALE_TTL_SECONDS", "nan", "must be a finite number"),
        ("GATEWAY_CONNECTOR_DOPA_URL", "stat.bora.dopa.go.th", "is not an http:// or https:// URL"),
        ("GATEWAY_CONNECTOR_DOPA_TIMEOUT", "5", "is not a connector setting"),
        ("GATEWAY_CONNECTOR_DOPA_BASE_URL", "http://x", "is not a connector setting"),
        ("GATEWAY_CONNECTOR_GISTDA_URL", "http://x", "names no known connector"),
    ],
)
def test_a_bad_key_or_value_names_the_key(key: str, value: str, problem: str) -> None:
    with pytest.raises(SettingError) as caught:
        connector_settings(NAMES, {key: value})
    assert caught.value.key == key
    assert problem in caught.value.problem
    assert str(caught.value).startswith(f"{key}: ")


def test_credentials_are_masked() -> None:
    settings = ConnectorSettings(name="landsmaps", credentials="consumer-secret")
    for shown in (repr(settings), str(settings), f"{settings}"):
        assert "consumer-secret" not in shown
        assert "credentials='***'" in shown
    assert "credentials=None" in repr(ConnectorSettings(name="landsmaps"))


def test_direct_construction_is_checked_too() -> None:
    with pytest.raises(SettingError) as caught:
        ConnectorSettings(name="dopa", concurrency=0)
    assert caught.value.key == "GATEWAY_CONNECTOR_DOPA_CONCURRENCY"
    with pytest.raises(SettingError, match="is not a connector name"):
        ConnectorSettings(name="DOPA-stat")
