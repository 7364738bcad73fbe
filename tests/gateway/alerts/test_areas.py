"""CAP areas onto registry codes: geocodes, then exact names; unknown names stay unmapped."""

from __future__ import annotations

import pytest

from central_codes.snapshot import Snapshot
from gateway.alerts.areas import AreaMapper
from gateway.connectors.cap_alerts import CapArea


@pytest.fixture(scope="module")
def mapper(snapshot: Snapshot) -> AreaMapper:
    """A mapper over the geothai registry."""
    return AreaMapper(snapshot)


@pytest.mark.parametrize(
    ("area", "codes"),
    [
        (CapArea("x", (("ISO3166-2", "TH-84"),)), ("84",)),
        (CapArea("x", (("ISO3166-2", "TH-10"),)), ("10",)),
        (CapArea("x", (("DOPA", "8405"),)), ("8405",)),
        (CapArea("x", (("DOPA", "840503"),)), ("840503",)),
        (CapArea("x", (("DOPA", "84"), ("DOPA", "8405"))), ("84", "8405")),
        (CapArea("สุราษฎร์ธานี"), ("84",)),
        (CapArea("Surat Thani"), ("84",)),
        (CapArea("จังหวัดเชียงใหม่"), ("50",)),
        (CapArea("กทม"), ("10",)),
        (CapArea("สุราษฎร์ธานี", (("DOPA", "5001"),)), ("5001",)),  # the geocode wins
        (CapArea("เชียงใหม่", (("DOPA", "999999"),)), ("50",)),  # an unknown code: the name
        (CapArea("x", (("FIPS", "TH26"),)), ()),
        (CapArea("ทะเลอันดามันตอนบน"), ()),
        (CapArea("สุราษฎร์"), ()),  # only the beginning of a name: not a match
    ],
)
def test_areas_map_onto_codes(mapper: AreaMapper, area: CapArea, codes: tuple[str, ...]) -> None:
    mapped = mapper.map(area)
    assert mapped.codes == codes
    assert mapped.mapped is bool(codes)
