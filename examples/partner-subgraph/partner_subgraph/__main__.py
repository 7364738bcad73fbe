"""``python -m partner_subgraph [--host H] [--port P] [--csv FILE]``: serve the subgraph."""

from __future__ import annotations

import argparse
from pathlib import Path

import uvicorn

from partner_subgraph.catalogue import DEFAULT_CSV, read_catalogue
from partner_subgraph.service import create_app


def main(argv: list[str] | None = None) -> None:
    """Serve the partner subgraph at ``http://HOST:PORT/graphql`` until interrupted."""
    parser = argparse.ArgumentParser(prog="python -m partner_subgraph", description=main.__doc__)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=4001)
    parser.add_argument("--csv", type=Path, default=DEFAULT_CSV, help="the products file")
    options = parser.parse_args(argv)
    app = create_app(read_catalogue(options.csv))
    uvicorn.run(app, host=options.host, port=options.port, log_level="info")


if __name__ == "__main__":
    main()
