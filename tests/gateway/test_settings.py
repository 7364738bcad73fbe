"""Settings: read from ``GATEWAY_*`` variables, each one documented in README.md, secrets masked."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest

from gateway.connectors.catalogue import CONNECTOR_NAMES
from gateway.connectors.config import ConnectorSettings, environment_key
from gateway.settings import Mode, SettingError, Settings

README = Path(__file__).parents[2] / "README.md"
ROW = re.compile(r"^\|\s*`(GATEWAY_[A-Z0-9_]+)`\s*\|\s*([^|]*?)\s*\|", re.MULTILINE)


def _documented() -> dict[str, str]:
    """README's settings table: variable name to its default as written."""
    return {name: default.strip("`") for name, default in ROW.findall(README.read_text("utf-8"))}


def _variables() -> dict[str, dataclasses.Field[object]]:
    return {
        f"GATEWAY_{f.name.upper()}": f
        for f in dataclasses.fields(Settings)
        if "environment" not in f.metadata  # read from variables of their own, tested below
    }


def test_every_setting_is_documented_in_the_readme() -> None:
    undocumented = sorted(set(_variables()) - set(_documented()))
    assert undocumented == [], "add these to README.md's settings table"


def test_the_readme_documents_only_real_settings() -> None:
    # a documented variable the gateway does not know would make it refuse to start
    assert sorted(set(_documented()) - set(_variables())) == []


@pytest.mark.parametrize(("variable", "written"), sorted(_documented().items()))
def test_the_documented_default_is_the_real_default(variable: str, written: str) -> None:
    field = _variables()[variable]
    environ = {} if written == "none" else {variable: written}
    assert getattr(Settings.from_env(environ), field.name) == field.default


def test_variables_are_read_and_typed() -> None:
    environ = {
        "GATEWAY_PORT": "9000",
        "GATEWAY_GRAPHIQL": "off",
        "GATEWAY_MODE": "Production",
        "GATEWAY_REGISTRY_POLL_SECONDS": "2.5",
        "GATEWAY_REDIS_URL": "",
        "HOME": "/root",  # other variables are none of our business
    }
    settings = Settings.from_env(environ)
    assert (settings.port, settings.graphiql, settings.mode) == (9000, False, Mode.PRODUCTION)
    assert settings.registry_poll_seconds == 2.5
    assert settings.redis_url is None
    assert settings.production


def test_overrides_win_over_the_environment_unless_none() -> None:
    environ = {"GATEWAY_PORT": "9000", "GATEWAY_HOST": "0.0.0.0"}
    settings = Settings.from_env(environ, port=9001, host=None)
    assert (settings.port, settings.host) == (9001, "0.0.0.0")


@pytest.mark.parametrize("variable", ["GATEWAY_PROT", "GATEWAY_DATABASE", "GATEWAY_"])
def test_an_unknown_gateway_variable_is_an_error_naming_it(variable: str) -> None:
    with pytest.raises(SettingError) as raised:
        Settings.from_env({"GATEWAY_PORT": "8000", variable: "1"})
    assert raised.value.key == variable
    assert str(raised.value).startswith(f"{variable}: ")


@pytest.mark.parametrize(
    ("variable", "raw"),
    [
        ("GATEWAY_PORT", "eighty"),
        ("GATEWAY_WORKERS", "2.5"),
        ("GATEWAY_MAX_BODY_BYTES", "1MB"),
        ("GATEWAY_GRAPHIQL", "maybe"),
        ("GATEWAY_LOAD_REGISTRY_IF_EMPTY", "2"),
        ("GATEWAY_REGISTRY_POLL_SECONDS", "soon"),
        ("GATEWAY_MODE", "staging"),
    ],
)
def test_a_bad_value_is_an_error_naming_the_variable(variable: str, raw: str) -> None:
    with pytest.raises(SettingError) as raised:
        Settings.from_env({variable: raw})
    assert raised.value.key == variable
    assert variable in str(raised.value)
    assert repr(raw) in str(raised.value)


def test_passwords_in_urls_are_masked() -> None:
    settings = Settings(database_url="postgresql://gateway:s3cr%40t@db.internal:5432/moi")
    shown = settings.masked()
    assert shown["database_url"] == "postgresql://gateway:***@db.internal:5432/moi"
    assert not any("s3cr" in value for value in shown.values())


def test_secret_settings_are_masked_whole() -> None:
    shown = Settings(redis_url="redis://:hunter2@cache.internal:6379/0").masked()
    assert shown["redis_url"] == "***"


@pytest.mark.parametrize(
    "url", ["sqlite:///var/moi-gateway.sqlite3", "postgresql://gateway@db.internal/moi"]
)
def test_urls_without_a_password_are_shown_as_they_are(url: str) -> None:
    assert Settings(database_url=url).masked()["database_url"] == url


def test_masked_shows_every_setting_as_text() -> None:
    shown = Settings(mode=Mode.PRODUCTION, port=8443).masked()
    assert set(shown) == {f.name for f in dataclasses.fields(Settings)}
    assert (shown["mode"], shown["port"], shown["graphiql"]) == ("production", "8443", "True")


def test_every_connector_setting_is_documented_in_the_readme() -> None:
    text = README.read_text("utf-8")
    for f in dataclasses.fields(ConnectorSettings):
        if f.name != "name":
            suffix = environment_key("x", f.name).removeprefix("GATEWAY_CONNECTOR_X_")
            assert f"`GATEWAY_CONNECTOR_<NAME>_{suffix}`" in text, f.name
    for name in CONNECTOR_NAMES:
        assert f"`{name}`" in text, name


def test_connector_variables_reach_the_connector_settings() -> None:
    settings = Settings.from_env(
        {"GATEWAY_CONNECTOR_DOPA_STAT_URL": "http://dopa", "GATEWAY_CONNECTOR_MEA_RETRIES": "0"}
    )
    assert settings.connectors["dopa_stat"].base_url == "http://dopa"
    assert settings.connectors["mea"].retries == 0
    assert settings.any_connector_configured
    assert not Settings().any_connector_configured


def test_a_connector_variable_naming_no_connector_is_an_error_naming_it() -> None:
    with pytest.raises(SettingError) as raised:
        Settings.from_env({"GATEWAY_CONNECTOR_NOPE_URL": "http://x"})
    assert raised.value.key == "GATEWAY_CONNECTOR_NOPE_URL"


def test_trusted_documents_need_their_manifest() -> None:
    with pytest.raises(SettingError) as raised:
        Settings.from_env({"GATEWAY_TRUSTED_DOCUMENTS": "true"})
    assert raised.value.key == "GATEWAY_TRUSTED_DOCUMENTS"
