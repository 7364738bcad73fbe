"""Build every agency's application and run them on local ports."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from aiohttp import web

from sandbox.data import SandboxData
from sandbox.faults import SandboxState

__all__ = ["AGENCIES", "Agency", "Sandbox"]


@dataclass(frozen=True, slots=True)
class Agency:
    """One agency: its name (the connector's name) and the routes of its contract."""

    name: str
    title: str
    routes: Callable[[SandboxData], Sequence[web.RouteDef]]


def _agencies() -> list[Agency]:
    # Each agency module exposes AGENCY; the list grows as modules are written.
    from sandbox.agencies import ALL

    return list(ALL)


AGENCIES: Callable[[], list[Agency]] = _agencies


class Sandbox:
    """Every agency on its own localhost port, sharing one fault and request-log state."""

    def __init__(self, data: SandboxData, agencies: Sequence[Agency] | None = None) -> None:
        self.data = data
        self.agencies = list(agencies) if agencies is not None else AGENCIES()
        self.state = SandboxState([a.name for a in self.agencies])
        self.urls: dict[str, str] = {}
        self._runners: list[web.AppRunner] = []

    def application(self, agency: Agency) -> web.Application:
        """The aiohttp application of one agency, with the admin routes and fault middleware."""
        app = web.Application(middlewares=[self.state.middleware(agency.name)])
        app.add_routes(list(agency.routes(self.data)))
        app.add_routes(self.state.admin_routes())
        return app

    async def start(
        self, host: str = "127.0.0.1", ports: dict[str, int] | None = None
    ) -> dict[str, str]:
        """Start every agency (port 0: any free port); returns each agency's base URL."""
        for agency in self.agencies:
            runner = web.AppRunner(self.application(agency), access_log=None)
            await runner.setup()
            site = web.TCPSite(runner, host, (ports or {}).get(agency.name, 0))
            await site.start()
            self._runners.append(runner)
            port = runner.addresses[0][1]
            self.urls[agency.name] = f"http://{host}:{port}"
        return dict(self.urls)

    async def stop(self) -> None:
        """Stop every agency."""
        for runner in reversed(self._runners):
            await runner.cleanup()
        self._runners.clear()
