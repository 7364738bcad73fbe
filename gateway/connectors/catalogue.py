"""The agency systems the gateway can reach: one connector each, named as the sandbox names them."""

from __future__ import annotations

__all__ = ["AGENCIES", "CONNECTOR_NAMES"]

AGENCIES: dict[str, str] = {
    "cap_alerts": "Disaster alerts, CAP 1.2 (DDPM / TMD)",
    "ckan": "Open data portal data.go.th (CKAN)",
    "citizeninfo": "Government service points and ratings (CITIZENinfo)",
    "complaints_1567": "Complaint centre 1567 / Damrongdhama",
    "dla_documents": "Official documents register (DLA)",
    "dopa_idcard": "ID-card status, CheckCardByLaser (DOPA)",
    "dopa_stat": "Population statistics (DOPA)",
    "infogoth": "Citizen's manual procedures (info.go.th)",
    "landsmaps": "Land parcels, LandsMaps (Department of Lands)",
    "mea": "Metropolitan Electricity Authority: outages, EV chargers",
    "mwa": "Metropolitan Waterworks Authority: outages",
    "pea": "Provincial Electricity Authority: outages, EV chargers",
    "pwa": "Provincial Waterworks Authority: branches, outages",
}
CONNECTOR_NAMES: tuple[str, ...] = tuple(sorted(AGENCIES))
