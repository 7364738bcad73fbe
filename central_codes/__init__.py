"""The central standard administrative code registry (รหัสกลางมาตรฐานการปกครอง).

Models, loading, history, crosswalks and search over DOPA's area codes. Nothing in this
package knows about GraphQL or HTTP: the gateway reads it through :class:`Snapshot`.
"""

from __future__ import annotations
