"""Content negotiation for GraphQL over HTTP: which media type the answer is written in."""

from __future__ import annotations

__all__ = ["GRAPHQL_RESPONSE_JSON", "JSON", "choose_media_type", "wants_html"]

GRAPHQL_RESPONSE_JSON = "application/graphql-response+json"
JSON = "application/json"


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

    No Accept header means ``application/json`` (older clients); ``*/*`` and
    ``application/*`` get ``application/graphql-response+json``.
    """
    if not accept or not accept.strip():
        return JSON
    best: tuple[float, int, str] | None = None
    for media, quality in _ranges(accept):
        if quality <= 0:
            continue
        for rank, ours in enumerate((GRAPHQL_RESPONSE_JSON, JSON)):
            if media in (ours, "*/*", "application/*"):
                candidate = (quality, -rank, ours)
                best = candidate if best is None or candidate > best else best
    return None if best is None else best[2]


def wants_html(accept: str | None) -> bool:
    """True when a browser asks for a page (GraphiQL) rather than for data."""
    return bool(accept) and "text/html" in (accept or "").lower()
