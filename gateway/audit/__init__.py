"""The audit trail, modelled on X-Road's message log: one record per request, chained by hash.

Each record says who asked (principal and tier), what (operation name, the document's hash,
its root fields, the area codes it named), which connectors were called and how they answered,
the HTTP status and the duration; personal data never enters it (see
:mod:`gateway.audit.facts`). Records are sealed with the hash of the one before
(:mod:`gateway.audit.record` defines the bytes) and written in batches off the request path
(:mod:`gateway.audit.writer`); :func:`verify_trail` names the first broken link.
"""

from __future__ import annotations

from gateway.audit.models import AuditBase, AuditRow
from gateway.audit.record import GENESIS, AuditRecord, canonical_bytes
from gateway.audit.verify import BrokenLink, Verification, verify_trail
from gateway.audit.writer import AuditEntry, AuditTrail

__all__ = [
    "GENESIS",
    "AuditBase",
    "AuditEntry",
    "AuditRecord",
    "AuditRow",
    "AuditTrail",
    "BrokenLink",
    "Verification",
    "canonical_bytes",
    "verify_trail",
]
