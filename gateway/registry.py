"""The registry as the graph sees it: the current snapshot with its search and node views."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from functools import cached_property

from central_codes.matching import AddressMatcher
from central_codes.search import SearchIndex
from central_codes.snapshot import RegistryService, Snapshot
from gateway.schema.nodes import AreaNodes

__all__ = ["Registry", "RegistryView"]


@dataclass(frozen=True, eq=False)
class RegistryView:
    """One release with the indexes built over it, each built on first use."""

    snapshot: Snapshot

    def prepare(self) -> None:
        """Build every index and graph object now, so no request pays for building them."""
        self.nodes.build_all()
        _ = self.snapshot.locations  # the points MWA's outages are asked by
        self.search.search("กรุงเทพ")  # builds the name index
        self.matcher.match("")  # builds the subdistrict-name index

    @cached_property
    def nodes(self) -> AreaNodes:
        """Graph objects of this release."""
        return AreaNodes(self.snapshot)

    @cached_property
    def search(self) -> SearchIndex:
        """Name search over this release."""
        return SearchIndex(self.snapshot)

    @cached_property
    def matcher(self) -> AddressMatcher:
        """Address matching over this release."""
        return AddressMatcher(self.snapshot)


class Registry:
    """Hands out the view of the current release; a new release gives a new view, whole."""

    def __init__(self, service: RegistryService) -> None:
        self.service = service
        self._view: RegistryView | None = None

    async def refresh(self) -> bool:
        """Read a new release if there is one, and prepare its view before serving it."""
        if not await self.service.refresh():
            return False
        view = RegistryView(self.service.snapshot)
        await asyncio.to_thread(view.prepare)
        self._view = view
        return True

    def current(self) -> RegistryView:
        """The view of the snapshot being served now."""
        snapshot = self.service.snapshot
        view = self._view
        if view is None or view.snapshot is not snapshot:
            view = self._view = RegistryView(snapshot)
        return view
