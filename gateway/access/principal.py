"""Who is asking: a :class:`Principal` (anonymous, an API key's holder or a token's subject).

Tiers name the kind of caller; scopes say what it may read. A tier grants its scopes unless a
key or token says otherwise: ``partner`` reads personal data (``checkIdCard``, a complainant's
contact), ``internal`` reads what operators read (``connectors``, the audit trail).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, MutableMapping
from dataclasses import dataclass
from typing import Any

__all__ = [
    "ANONYMOUS",
    "INTERNAL_SCOPE",
    "PARTNER_SCOPE",
    "SCOPES",
    "Principal",
    "Tier",
    "principal_of",
    "tier_scopes",
]

PARTNER_SCOPE = "partner"
INTERNAL_SCOPE = "internal"
SCOPES = (PARTNER_SCOPE, INTERNAL_SCOPE)  # every scope a field may require


class Tier(enum.Enum):
    """The kind of caller: the public, a partner agency, or the ministry's own systems."""

    PUBLIC = "public"
    PARTNER = "partner"
    INTERNAL = "internal"


_TIER_SCOPES = {
    Tier.PUBLIC: frozenset[str](),
    Tier.PARTNER: frozenset({PARTNER_SCOPE}),
    Tier.INTERNAL: frozenset({PARTNER_SCOPE, INTERNAL_SCOPE}),
}


def tier_scopes(tier: Tier) -> frozenset[str]:
    """The scopes a tier grants when a key or token names none."""
    return _TIER_SCOPES[tier]


@dataclass(frozen=True, slots=True)
class Principal:
    """The caller of one request.

    ``rate_per_minute`` is the caller's own budget; None means its tier's default.
    """

    id: str
    tier: Tier
    scopes: frozenset[str]
    rate_per_minute: int | None = None

    @property
    def anonymous(self) -> bool:
        """True for a caller that sent no credential."""
        return self is ANONYMOUS

    def allows(self, scopes: Iterable[str]) -> bool:
        """True when the caller holds every one of ``scopes``."""
        return self.scopes.issuperset(scopes)


ANONYMOUS = Principal("anonymous", Tier.PUBLIC, frozenset())


def principal_of(scope: MutableMapping[str, Any]) -> Principal:
    """The principal the front door attached to an ASGI request (anonymous if none)."""
    principal = scope.get("state", {}).get("principal", ANONYMOUS)
    assert isinstance(principal, Principal)
    return principal
