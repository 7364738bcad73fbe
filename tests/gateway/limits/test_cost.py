"""The cost estimate over the real schema and the geothai registry's list sizes."""

from __future__ import annotations

import pytest
from graphql import parse

from central_codes.snapshot import Snapshot
from gateway.limits import CostModel, ListSizes
from gateway.limits.cost import LARGEST_PAGE
from gateway.schema import build_schema
from gateway.schema.fast_paths import registry_fields
from gateway.schema.pagination import MAX_PAGE

TREE = "{ provinces { districts { subdistricts { code nameTh nameEn postalCodes } } } }"


@pytest.fixture(scope="module")
def model() -> CostModel:
    schema = build_schema()._schema
    return CostModel(schema, registry_fields(schema))


def test_list_sizes_are_the_release_averages(snapshot: Snapshot) -> None:
    sizes = ListSizes.of(snapshot)
    provinces = sizes.size("Query", "provinces")
    per_province = sizes.size("Province", "districts")
    per_district = sizes.size("District", "subdistricts")
    assert provinces == 77
    assert per_province is not None
    assert per_district is not None
    assert round(provinces * per_province) == 928
    assert round(provinces * per_province * per_district) == 7436


@pytest.mark.parametrize(
    ("query", "cost"),
    [
        # one each of provinces and districts lists, 928 subdistrict lists, 4 x 7,436 leaves
        (TREE, 1 + 77 + 928 + 4 * 7436),
        ('{ subdistrict(code: "840503") { code district { nameTh } } }', 4),
        # an agency field weighs 10, what is inside its answer 1
        ("{ provinces { districts { population { total } } } }", 1 + 77 + 928 * (10 + 1)),
        # a page of 5 in each of 77 provinces: the connection and its edges list once,
        # then 5 edges with their node and code
        ("{ provinces { subdistricts(first: 5) { edges { node { code } } } } }", 1 + 77 * 12),
        # a page larger than the province's average counts the average
        ('{ province(code: "10") { subdistricts(first: 500) { nodes { code } } } }', 2 + 97),
        ('{ areas(codes: ["10", "11", "12"]) { code } }', 1 + 3),
        ("{ ...F } fragment F on Query { provinces { code } }", 1 + 77),
    ],
)
def test_estimated_costs(model: CostModel, snapshot: Snapshot, query: str, cost: int) -> None:
    assert model.cost(parse(query), ListSizes.of(snapshot)) == pytest.approx(cost, abs=1)


def test_the_costliest_operation_of_a_document_counts(model: CostModel, snapshot: Snapshot) -> None:
    document = parse(f"query Cheap {{ registry {{ version }} }} query Tree {TREE}")
    assert model.cost(document, ListSizes.of(snapshot)) == model.cost(
        parse(TREE), ListSizes.of(snapshot)
    )


def test_the_largest_page_is_the_schemas() -> None:
    assert LARGEST_PAGE == MAX_PAGE
