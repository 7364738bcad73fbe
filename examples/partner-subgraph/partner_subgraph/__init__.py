"""A partner agency's GraphQL service, joined to MOI Gateway's graph through Apollo Federation.

The Community Development Department registers OTOP ("One Tambon One Product") products by the
subdistrict (tambon) that makes them. This subgraph adds ``otopProducts`` to MOI Gateway's
``Subdistrict`` entity, keyed by its DOPA ``code``, and gives each product its ``subdistrict``,
whose names a federation router fetches from MOI Gateway.

The products in ``otop_products.csv`` are made up for this example; they are not the
department's register.
"""

from __future__ import annotations

from partner_subgraph.catalogue import Catalogue, OtopProductRecord, read_catalogue
from partner_subgraph.schema import build_schema
from partner_subgraph.service import create_app

__all__ = ["Catalogue", "OtopProductRecord", "build_schema", "create_app", "read_catalogue"]
