"""Content negotiation for GraphQL over HTTP: which media type the answer is written in."""

from __future__ import annotations

__all__ = ["GRAPHQL_RESPONSE_JSON", "JSON", "choose_media_type", "wants_html"]

GRAPHQL_RESPONSE_JSON = "application/graphql-response+json"
JSON = "application/json"
# how well a range names one of our media types: exact GraphQL, exact JSON, then wildcards
_RANKS = {GRAPHQL_RESPONSE_JSON: 2, JSON: 1, "application/*": 0, "*/*": 0}


def _ranges(accept: str) -> list[tuple[str, float]]:
    found = []
    for part in accept.split(","):
        media, *params = (p.strip() for p in part.split(";"))
        quality = 1.0
        for param in params:
            key, _, value = param.partition("=")
            if key.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if media:
            found.append((media.lower(), quality))
    return found


def choose_media_type(accept: str | None) -> str | None:
    """The media type to answer in, or None when the client accepts neither of ours.

    No Accept header, ``*/*`` and ``application/*`` mean ``application/json``, as the spec
    asks for clients that may predate ``application/graphql-response+json``. Among ranges of
    equal quality an exact match beats a wildcard, and the GraphQL media type beats plain JSON.
    """
    if not accept or not accept.strip():
        return JSON
    best: tuple[float, int, str] | None = None
    for media, quality in _ranges(accept):
        rank = _RANKS.get(media)
        if quality <= 0 or rank is None:
            continue
        candidate = (quality, rank, GRAPHQL_RESPONSE_JSON if rank == 2 else JSON)
        best = candidate if best is None or candidate > best else best
    return None if best is None else best[2]


def wants_html(accept: str | None) -> bool:
    """True when a browser asks for a page (GraphiQL) rather than for data."""
    return bool(accept) and "text/html" in (accept or "").lower()
