"""Cached registry answers never outlive their release: a new release is answered at once."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

import httpx

from central_codes.loading import load_registry
from central_codes.records import RegistryData
from gateway.app import create_app
from gateway.settings import Settings

QUERY = '{ registry { version } subdistrict(code:"840503"){ nameEn } }'


async def _ask(client: httpx.AsyncClient) -> bytes:
    response = await client.post("/graphql", json={"query": QUERY})
    assert response.status_code == 200
    return response.content


def _renamed(data: RegistryData, code: str, name_en: str) -> RegistryData:
    areas = tuple(
        dataclasses.replace(a, name_en=name_en) if a.code == code else a for a in data.areas
    )
    return dataclasses.replace(data, areas=areas)


async def test_a_new_release_is_answered_not_the_cached_one(
    settings_factory: Callable[..., Settings], geothai_data: RegistryData
) -> None:
    app = create_app(settings_factory(registry_poll_seconds=3600.0))
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://gateway") as client:
            first = await _ask(client)
            assert await _ask(client) == first  # the same release, the same answer
            before = httpx.Response(200, content=first).json()["data"]
            assert before["subdistrict"] == {"nameEn": "Ko Tao"}

            loaded = await load_registry(
                app.state.resources.engine, _renamed(geothai_data, "840503", "Koh Tao")
            )
            assert loaded.created
            assert await app.state.resources.registry.refresh()

            after = httpx.Response(200, content=await _ask(client)).json()["data"]
    assert after == {
        "registry": {"version": loaded.release.version},
        "subdistrict": {"nameEn": "Koh Tao"},
    }
    assert after["registry"]["version"] != before["registry"]["version"]
