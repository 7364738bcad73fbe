"""Who may ask what, and how often: principals, API keys, bearer tokens, the access check."""

from __future__ import annotations

from gateway.access.admission import OPEN_PATHS, AccessGate, Admission
from gateway.access.authentication import API_KEY_HEADER, Authenticator, TokenVerifier
from gateway.access.keys import ApiKey, KeyStore
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
    "AccessGate",
    "Admission",
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
