"""The partner's catalogue: read from CSV, best rated first, indexed by subdistrict and point."""

from __future__ import annotations

from pathlib import Path

import pytest

from partner_subgraph.catalogue import CatalogueError, OtopCategory, read_catalogue

HEADER = "subdistrict_code,name_th,name_en,category,stars,registered_at\n"
POINT = "76de19cd-67f3-5c2a-a514-ee703e422779"
GOOD_ROW = f"840503,ผ้าบาติก,Batik,TEXTILE,3,{POINT}\n"


def test_the_shipped_catalogue_is_ranked_and_indexed() -> None:
    catalogue = read_catalogue()
    stars = [p.stars for p in catalogue.products]
    assert stars == sorted(stars, reverse=True)
    assert [p.name_en for p in catalogue.of_subdistrict("840503")] == [
        "Ko Tao cold-pressed coconut oil",
        "Coral-pattern batik",
    ]
    assert sum(len(p) for p in catalogue.by_subdistrict.values()) == len(catalogue.products)
    assert catalogue.of_subdistrict("100101") == ()
    ko_pha_ngan = catalogue.registered_at(POINT)  # the district office of Ko Pha-ngan
    assert {p.subdistrict_code[:4] for p in ko_pha_ngan} == {"8405"}
    assert sum(len(p) for p in catalogue.by_point.values()) == len(catalogue.products)


def test_a_good_row_is_read(tmp_path: Path) -> None:
    path = tmp_path / "products.csv"
    path.write_text(HEADER + GOOD_ROW, encoding="utf-8")
    [product] = read_catalogue(path).products
    assert (product.subdistrict_code, product.category, product.stars) == (
        "840503",
        OtopCategory.TEXTILE,
        3,
    )
    assert product.registered_at == POINT


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        (f"84053,ผ้า,Cloth,TEXTILE,3,{POINT}", "not 6 digits"),
        (f"840503,ผ้า,Cloth,TEXTILE,6,{POINT}", "not 1 to 5"),
        (f"840503,ผ้า,Cloth,TEXTILE,many,{POINT}", "invalid literal"),
        (f"840503,ผ้า,Cloth,FURNITURE,3,{POINT}", "'FURNITURE' is not a valid OtopCategory"),
        ("840503,ผ้า,Cloth,TEXTILE,3,district-office", "badly formed hexadecimal UUID"),
        ("840503,ผ้า,Cloth,TEXTILE,3", "no registered_at"),
    ],
)
def test_a_bad_row_is_named_by_its_line(tmp_path: Path, row: str, reason: str) -> None:
    path = tmp_path / "products.csv"
    path.write_text(HEADER + GOOD_ROW + row + "\n", encoding="utf-8")
    with pytest.raises(CatalogueError, match=f"^line 3: .*{reason}"):
        read_catalogue(path)
