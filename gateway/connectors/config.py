"""How each agency connector is configured: :class:`ConnectorSettings`, read from a mapping.

Keys have the form ``GATEWAY_CONNECTOR_<NAME>_<FIELD>``, e.g. ``GATEWAY_CONNECTOR_DOPA_STAT_URL``
or ``GATEWAY_CONNECTOR_DOPA_STAT_TIMEOUT_SECONDS``. :func:`connector_settings` is pure: the
settings module hands it the environment. A connector without a URL is "not configured".
"""

from __future__ import annotations

import dataclasses
import math
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, fields
from typing import Any

from gateway.setting_error import SettingError

__all__ = ["CONNECTOR_PREFIX", "ConnectorSettings", "connector_settings", "environment_key"]

CONNECTOR_PREFIX = "GATEWAY_CONNECTOR_"
_NAME = re.compile(r"^[a-z][a-z0-9_]*$")
# the environment spells base_url as URL; every other field is its own name in capitals
_FIELD_KEYS = {"base_url": "URL"}


@dataclass(frozen=True)
class ConnectorSettings:
    """Timeouts, retries, bulkhead, cache and breaker limits of one agency connector."""

    name: str
    base_url: str | None = None
    timeout_seconds: float = 10.0  # one attempt, connect to last byte
    connect_timeout_seconds: float = 3.0
    retries: int = 2  # extra attempts for idempotent reads
    backoff_seconds: float = 0.2  # first backoff ceiling; doubles per attempt (full jitter)
    retry_after_max_seconds: float = 10.0  # a longer Retry-After is not waited for
    concurrency: int = 10  # requests in flight to this agency at once
    max_body_bytes: int = 20_000_000  # a longer answer is refused, not held in memory
    cache_ttl_seconds: float = 300.0
    stale_ttl_seconds: float = 3600.0  # how long past its TTL a value may stand in for a failure
    breaker_failures: int = 5  # consecutive failures that open the circuit
    breaker_cooldown_seconds: float = 30.0
    credentials: str | None = dataclasses.field(default=None, metadata={"secret": True})

    def __post_init__(self) -> None:
        if not _NAME.match(self.name):
            raise SettingError("name", f"{self.name!r} is not a connector name ([a-z][a-z0-9_]*)")
        for f in fields(self):
            problem = _problem(f.name, getattr(self, f.name))
            if problem:
                raise SettingError(environment_key(self.name, f.name), problem)

    def __repr__(self) -> str:
        shown = ", ".join(f"{f.name}={self._shown(f.name)}" for f in fields(self))
        return f"ConnectorSettings({shown})"

    __str__ = __repr__

    def _shown(self, field_name: str) -> str:
        value = getattr(self, field_name)
        if field_name == "credentials" and value is not None:
            return "'***'"
        return repr(value)

    @property
    def configured(self) -> bool:
        """True when the connector has a URL to call."""
        return self.base_url is not None


def environment_key(name: str, field_name: str) -> str:
    """The environment variable of one field of one connector."""
    suffix = _FIELD_KEYS.get(field_name, field_name.upper())
    return f"{CONNECTOR_PREFIX}{name.upper()}_{suffix}"


def connector_settings(
    names: Iterable[str], environ: Mapping[str, str]
) -> dict[str, ConnectorSettings]:
    """Settings for each named connector from ``GATEWAY_CONNECTOR_*`` keys; defaults elsewhere.

    A key for an unknown connector or an unknown field, or a value that cannot be read, raises
    :class:`~gateway.settings.SettingError` naming the key.
    """
    wanted = sorted(set(names), key=len, reverse=True)  # longest first: DOPA_STAT before DOPA
    for name in wanted:
        if not _NAME.match(name):
            raise SettingError(f"{CONNECTOR_PREFIX}{name.upper()}", "is not a connector name")
    values: dict[str, dict[str, Any]] = {name: {} for name in wanted}
    for key, raw in environ.items():
        if key.startswith(CONNECTOR_PREFIX):
            name, field_name = _split(key, wanted)
            values[name][field_name] = _convert(key, field_name, raw)
    return {name: ConnectorSettings(name=name, **values[name]) for name in sorted(values)}


def _split(key: str, names: list[str]) -> tuple[str, str]:
    rest = key[len(CONNECTOR_PREFIX) :]
    for name in names:
        prefix = f"{name.upper()}_"
        if rest.startswith(prefix):
            return name, _field_for(key, rest[len(prefix) :])
    raise SettingError(key, f"names no known connector (known: {', '.join(sorted(names))})")


def _field_for(key: str, suffix: str) -> str:
    by_key = {_FIELD_KEYS.get(f.name, f.name.upper()): f.name for f in fields(ConnectorSettings)}
    by_key.pop("NAME")
    if suffix not in by_key:
        raise SettingError(key, f"is not a connector setting (known: {', '.join(sorted(by_key))})")
    return by_key[suffix]


def _convert(key: str, field_name: str, raw: str) -> Any:
    kind = _KINDS[field_name]
    text = raw.strip()
    if kind is str:
        value: Any = text or None
    else:
        try:
            value = kind(text)
        except ValueError:
            raise SettingError(key, f"{raw!r} is not a valid {kind.__name__}") from None
    problem = _problem(field_name, value)
    if problem:
        raise SettingError(key, problem)
    return value


_KINDS: dict[str, type] = {
    f.name: {"float": float, "int": int}.get(str(f.type), str)
    for f in fields(ConnectorSettings)
    if f.name != "name"
}


def _problem(field_name: str, value: Any) -> str | None:
    if field_name == "base_url":
        ok = value is None or str(value).startswith(("http://", "https://"))
        return None if ok else f"{value!r} is not an http:// or https:// URL"
    if _KINDS.get(field_name) is float and not math.isfinite(value):
        return f"must be a finite number, not {value!r}"
    if field_name in (
        "timeout_seconds",
        "connect_timeout_seconds",
        "concurrency",
        "max_body_bytes",
    ):
        return None if value > 0 else f"must be greater than 0, not {value!r}"
    if field_name == "breaker_failures":
        return None if value >= 1 else f"must be at least 1, not {value!r}"
    if _KINDS.get(field_name) in (int, float) and value < 0:
        return f"must not be negative, not {value!r}"
    return None
