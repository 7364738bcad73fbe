"""Every setting of the gateway, read once from the environment (``GATEWAY_`` prefix).

No other module reads ``os.environ``: :func:`Settings.from_env` is called by the command line
and the result is passed down through constructors. Each field is documented in README.md; a
test fails when one is not.
"""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Mapping
from dataclasses import dataclass, fields
from typing import Any

from gateway.connectors.catalogue import CONNECTOR_NAMES
from gateway.connectors.config import CONNECTOR_PREFIX, ConnectorSettings, connector_settings
from gateway.setting_error import SettingError

__all__ = ["LogFormat", "Mode", "SandboxMode", "SettingError", "Settings"]

PREFIX = "GATEWAY_"


class Mode(enum.Enum):
    """Development shows GraphiQL and detailed limits; production hides what strangers need not see."""

    DEVELOPMENT = "development"
    PRODUCTION = "production"


class SandboxMode(enum.Enum):
    """When ``serve`` starts the sandbox agencies in-process and points connectors at them."""

    AUTO = "auto"  # when no connector has a URL configured
    ALWAYS = "always"
    NEVER = "never"


class LogFormat(enum.Enum):
    """How log lines are written: readable text, or one JSON object per line."""

    TEXT = "text"
    JSON = "json"


def _secret(default: str | None = None) -> Any:
    return dataclasses.field(default=default, metadata={"secret": True})


@dataclass(frozen=True)
class Settings:
    """The gateway's configuration. Build with :meth:`from_env`, or directly in tests."""

    database_url: str = "sqlite:///var/moi-gateway.sqlite3"
    redis_url: str | None = _secret()
    redis_prefix: str = "moi-gateway:"
    mode: Mode = Mode.DEVELOPMENT
    host: str = "127.0.0.1"
    port: int = 8000
    workers: int = 1
    log_level: str = "info"
    log_format: LogFormat = LogFormat.TEXT
    otlp_endpoint: str | None = None
    shutdown_grace_seconds: float = 30.0
    load_registry_if_empty: bool = True
    registry_poll_seconds: float = 30.0
    alerts_poll_seconds: float = 60.0
    service_points_refresh_seconds: float = 3600.0
    outbox_poll_seconds: float = 1.0
    outbox_backoff_seconds: float = 1.0
    outbox_backoff_max_seconds: float = 300.0
    outbox_lease_seconds: float = 60.0
    outbox_flush_seconds: float = 5.0
    document_cache_size: int = 1000
    response_cache_size: int = 1000
    max_body_bytes: int = 1_000_000
    max_depth: int = 15
    max_aliases: int = 50
    max_tokens: int = 5000
    max_cost: int = 50_000
    request_deadline_seconds: float = 30.0
    persisted_max_age_seconds: int = 60
    trusted_documents: bool = False
    trusted_documents_manifest: str | None = None
    subscriptions_per_connection: int = 20
    subscription_init_seconds: float = 10.0
    graphiql: bool = True
    sandbox: SandboxMode = SandboxMode.AUTO
    api_key_cache_seconds: float = 10.0
    rate_limit_public: int = 60
    rate_limit_partner: int = 600
    rate_limit_internal: int = 6000
    jwt_issuer: str | None = None
    jwt_audience: str = "moi-gateway"
    jwt_key: str | None = _secret()
    jwt_jwks_url: str | None = None
    jwt_jwks_cache_seconds: float = 300.0
    jwt_algorithms: str = "RS256"
    jwt_scopes_claim: str = "scope"
    # read from GATEWAY_CONNECTOR_<NAME>_<FIELD>; documented in README's connector table
    connectors: Mapping[str, ConnectorSettings] = dataclasses.field(
        default_factory=lambda: connector_settings(CONNECTOR_NAMES, {}),
        metadata={"environment": "GATEWAY_CONNECTOR_<NAME>_<FIELD>"},
    )

    def __post_init__(self) -> None:
        self._check_tokens()
        if self.trusted_documents and not self.trusted_documents_manifest:
            raise SettingError(
                "GATEWAY_TRUSTED_DOCUMENTS", "needs GATEWAY_TRUSTED_DOCUMENTS_MANIFEST"
            )

    def _check_tokens(self) -> None:
        """Token settings that cannot work together fail at start, naming the variable."""
        if self.jwt_key and self.jwt_jwks_url:
            raise SettingError("GATEWAY_JWT_KEY", "set it or GATEWAY_JWT_JWKS_URL, not both")
        if not self.jwt_issuer and (self.jwt_key or self.jwt_jwks_url):
            raise SettingError("GATEWAY_JWT_ISSUER", "is needed to accept tokens; it is not set")
        if self.jwt_issuer and not (self.jwt_key or self.jwt_jwks_url):
            raise SettingError(
                "GATEWAY_JWT_ISSUER", "needs GATEWAY_JWT_KEY or GATEWAY_JWT_JWKS_URL"
            )
        if not self.jwt_algorithm_list or "none" in (a.lower() for a in self.jwt_algorithm_list):
            raise SettingError("GATEWAY_JWT_ALGORITHMS", "name signing algorithms, never `none`")

    @classmethod
    def from_env(cls, environ: Mapping[str, str], **overrides: Any) -> Settings:
        """Read ``GATEWAY_*`` variables; unknown ``GATEWAY_`` names are an error, not a typo to ignore."""
        known = {f"{PREFIX}{f.name.upper()}": f for f in fields(cls) if _flat(f)}
        unknown = sorted(
            k
            for k in environ
            if k.startswith(PREFIX) and k not in known and not k.startswith(CONNECTOR_PREFIX)
        )
        if unknown:
            raise SettingError(unknown[0], "is not a setting of the gateway (see README.md)")
        values = {
            f.name: _convert(key, environ[key], f.type)
            for key, f in known.items()
            if key in environ
        }
        values["connectors"] = connector_settings(CONNECTOR_NAMES, environ)
        return cls(**{**values, **{k: v for k, v in overrides.items() if v is not None}})

    def masked(self) -> dict[str, str]:
        """Every setting as text for logs, with secrets and passwords in URLs masked."""
        shown: dict[str, str] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name == "connectors":
                shown[f.name] = _configured(value)
                continue
            text = value.value if isinstance(value, enum.Enum) else str(value)
            if value is not None and (f.metadata.get("secret") or "password" in f.name):
                text = "***"
            elif isinstance(value, str) and "://" in value:
                text = _mask_url(value)
            shown[f.name] = text
        return shown

    @property
    def any_connector_configured(self) -> bool:
        """True when at least one agency URL is set."""
        return any(c.base_url for c in self.connectors.values())

    @property
    def jwt_algorithm_list(self) -> tuple[str, ...]:
        """The accepted token algorithms, from the comma-separated setting."""
        return tuple(a.strip() for a in self.jwt_algorithms.split(",") if a.strip())

    @property
    def production(self) -> bool:
        """True in production mode."""
        return self.mode is Mode.PRODUCTION


def _flat(f: dataclasses.Field[Any]) -> bool:
    return "environment" not in f.metadata


def _configured(connectors: Mapping[str, ConnectorSettings]) -> str:
    urls = [f"{n}={_mask_url(c.base_url)}" for n, c in connectors.items() if c.base_url]
    return ", ".join(urls) or "none configured"


def _mask_url(url: str) -> str:
    scheme, _, rest = url.partition("://")
    credentials, at, host = rest.rpartition("@")
    if not at or ":" not in credentials:
        return url
    user = credentials.split(":", 1)[0]
    return f"{scheme}://{user}:***@{host}"


def _convert(key: str, raw: str, kind: Any) -> Any:
    kind = kind if isinstance(kind, str) else getattr(kind, "__name__", str(kind))
    try:
        if kind == "int":
            return int(raw)
        if kind == "float":
            return float(raw)
        if kind == "bool":
            return _boolean(raw)
        if kind == "Mode":
            return Mode(raw.strip().lower())
        if kind == "SandboxMode":
            return SandboxMode(raw.strip().lower())
        if kind == "LogFormat":
            return LogFormat(raw.strip().lower())
    except ValueError:
        raise SettingError(key, f"{raw!r} is not a valid {kind}") from None
    return raw or None if "None" in kind else raw


def _boolean(raw: str) -> bool:
    lowered = raw.strip().lower()
    if lowered in ("1", "true", "yes", "on"):
        return True
    if lowered in ("0", "false", "no", "off"):
        return False
    raise ValueError(raw)
