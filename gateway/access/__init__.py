"""Who may ask what, and how often: principals, API keys, bearer tokens, the access middleware."""

from __future__ import annotations

from gateway.access.authentication import API_KEY_HEADER, Authenticator, TokenVerifier
from gateway.access.keys import ApiKey, KeyStore
from gateway.access.middleware import OPEN_PATHS, AccessMiddleware
from gateway.access.models import AccessBase, ApiKeyRow
from gateway.access.principal import (
    ANONYMOUS,
    INTERNAL_SCOPE,
    PARTNER_SCOPE,
    Principal,
    Tier,
    principal_of,
    tier_scopes,
)

__all__ = [
    "ANONYMOUS",
    "API_KEY_HEADER",
    "INTERNAL_SCOPE",
    "OPEN_PATHS",
    "PARTNER_SCOPE",
    "AccessBase",
    "AccessMiddleware",
    "ApiKey",
    "ApiKeyRow",
    "Authenticator",
    "KeyStore",
    "Principal",
    "Tier",
    "TokenVerifier",
    "principal_of",
    "tier_scopes",
]
