"""The agency-backed fields every area carries, gathered from their domain modules.

Each domain (population, utilities, disaster alerts, ...) writes a mixin class of strawberry
fields in its own module, decorated with ``@strawberry.type`` (strawberry ignores the fields of
an undecorated base); this class inherits them all, and Province, District and Subdistrict
inherit this class. Fields declared outside the registry modules are never put in
the registry response cache (see ``fast_paths.REGISTRY_MODULES``).
"""

from __future__ import annotations

from gateway.schema.alerts import AlertFields
from gateway.schema.population import PopulationFields
from gateway.schema.service_points import ServicePointFields
from gateway.schema.utilities import UtilityFields

__all__ = ["AgencyFields"]


class AgencyFields(AlertFields, PopulationFields, UtilityFields, ServicePointFields):
    """Agency data reached through an area; a domain adds its mixin to the bases."""
