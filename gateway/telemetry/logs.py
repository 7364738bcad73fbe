"""The process's log lines: readable text by default, one JSON object a line when asked.

Every line logged while a request is handled carries its request id (``-`` outside one).
Access lines keep the path without its query string and drop the client's address: a GET
query can hold personal data, and an address is personal data itself.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

import orjson

from gateway.http.request_id import current_request_id

__all__ = ["JsonFormatter", "RequestContext", "configure_logging"]

TEXT_FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s]: %(message)s"
_ACCESS_LOGGER = "uvicorn.access"


class RequestContext(logging.Filter):
    """Puts the current request's id on every record; strips access lines of personal data."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Always keeps the record."""
        record.request_id = current_request_id.get() or "-"
        if (
            record.name == _ACCESS_LOGGER
            and isinstance(record.args, tuple)
            and len(record.args) == 5
        ):
            _client, method, path, version, status = record.args
            record.args = ("-", method, str(path).split("?", 1)[0], version, status)
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message, request_id (and exception)."""

    def format(self, record: logging.LogRecord) -> str:
        """The record as a JSON line."""
        line: dict[str, Any] = {
            "time": dt.datetime.fromtimestamp(record.created, dt.UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", "-"),
        }
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return orjson.dumps(line).decode()


def configure_logging(level: str, *, json: bool) -> None:
    """Send every logger's lines (the server's too) to standard error, in the chosen format."""
    handler = logging.StreamHandler()
    handler.addFilter(RequestContext())
    handler.setFormatter(JsonFormatter() if json else logging.Formatter(TEXT_FORMAT))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level.upper())
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logging.getLogger(name).handlers[:] = []
        logging.getLogger(name).propagate = True
    logging.getLogger("alembic").setLevel(logging.WARNING)  # one line per migration step is noise
