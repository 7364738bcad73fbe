"""The service-point directory: the export read page by page, swapped whole, kept on failure."""

from __future__ import annotations

import math

import pytest

from gateway.errors import UpstreamBlocked, UpstreamUnavailable
from gateway.service_points.directory import PAGE_SIZE
from sandbox.server import Sandbox
from sandbox.service_points import service_points
from tests.gateway.service_points.conftest import DirectoryFactory


def _page_requests(sandbox: Sandbox) -> list[str]:
    return [r.query["page"] for r in sandbox.state.agency("citizeninfo").requests]


async def test_the_whole_export_is_read_in_pages(
    directory_factory: DirectoryFactory, clean_points_sandbox: Sandbox
) -> None:
    directory = await directory_factory()
    index = await directory.refresh()
    expected = service_points(clean_points_sandbox.data).points
    assert index is not None
    assert directory.require() is index
    assert {p.point_id for p in index} == {p.point_id for p in expected}
    pages = math.ceil(len(expected) / PAGE_SIZE)
    assert _page_requests(clean_points_sandbox) == [str(n) for n in range(1, pages + 1)]


async def test_another_page_size_asks_that_many_pages(
    directory_factory: DirectoryFactory, clean_points_sandbox: Sandbox
) -> None:
    directory = await directory_factory(page_size=3000)
    index = await directory.refresh()
    assert index is not None
    assert len(_page_requests(clean_points_sandbox)) == math.ceil(len(index) / 3000)


async def test_before_the_first_read_fields_get_an_upstream_error(
    directory_factory: DirectoryFactory, clean_points_sandbox: Sandbox
) -> None:
    directory = await directory_factory()
    with pytest.raises(UpstreamUnavailable, match="still being read"):
        directory.require()
    clean_points_sandbox.state.set_faults("citizeninfo", {"html_block": True})
    assert await directory.refresh() is None
    with pytest.raises(UpstreamBlocked):
        directory.require()


async def test_a_failed_refresh_keeps_the_index_and_a_good_one_swaps_it(
    directory_factory: DirectoryFactory, clean_points_sandbox: Sandbox
) -> None:
    directory = await directory_factory()
    first = await directory.refresh()
    clean_points_sandbox.state.set_faults("citizeninfo", {"down": True})
    assert await directory.refresh() is None
    assert directory.require() is first
    assert isinstance(directory.error, UpstreamUnavailable)
    clean_points_sandbox.state.set_faults("citizeninfo", {"down": False})
    second = await directory.refresh()
    assert second is not None
    assert second is not first
    assert directory.require() is second
    assert directory.error is None
