"""Matching addresses written by hand to subdistrict codes."""

from __future__ import annotations

import pytest

from central_codes.matching import AddressMatcher
from central_codes.snapshot import Snapshot


@pytest.fixture(scope="module")
def matcher(snapshot: Snapshot) -> AddressMatcher:
    """One matcher over the session's snapshot."""
    return AddressMatcher(snapshot)


WANG_THONG = [
    "160904",
    "270903",
    "361403",
    "390603",
    "411110",
    "520705",
    "620114",
    "640605",
    "650801",
]


@pytest.mark.parametrize(
    ("address", "codes"),
    [
        # subdistrict, district, province, postal code
        (("ต.ตลาด", "อ.เมือง", "สุราษฎร์ธานี", None), ["840101"]),
        (("ตำบลตลาด", "อำเภอเมืองสุราษฎร์ธานี", "จังหวัดสุราษฎร์ธานี", None), ["840101"]),
        (("ตลาด", "เมือง", "จ.สุราษฎร์ธานี", None), ["840101"]),
        (("ตลาด", None, None, None), ["110401", "220101", "300122", "440101", "840101"]),
        (("วังทอง", None, None, None), WANG_THONG),
        (("วังทอง", None, "จ.พิษณุโลก", None), ["650801"]),
        (("วังทอง", "อ.วังทอง", None, None), ["650801"]),
        (("เกาะเต่า", "อ.เกาะพะงัน", "สุราษฎร์ธานี", None), ["840503"]),
        # English names
        (("Ko Tao", None, None, None), ["840503", "931003"]),
        (("Ko Tao", "Ko Pha-ngan", "Surat Thani", None), ["840503"]),
        (("Tambon Talat", "Amphoe Mueang", "Surat Thani Province", None), ["840101"]),
        (("Talat", "Mueang Surat Thani District", "Surat Thani", None), ["840101"]),
        # Bangkok: khwaeng and khet, and its everyday names
        (("แขวงบางนาเหนือ", "เขตบางนา", "กทม", None), ["104702"]),
        (("บางนาเหนือ", "บางนา", "กรุงเทพมหานคร", None), ["104702"]),
        (("Bang Na Tai", "Bang Na", "Bangkok", None), ["104703"]),
        # an abolished name stands for the areas that replaced it
        (("แขวงบางนา", "เขตบางนา", "กทม", None), ["104702", "104703"]),
        (("บางนา", "บางนา", "Bangkok", None), ["104702", "104703"]),
        (("บางนา", None, None, None), ["141505"]),  # an active Bang Na (Ayutthaya) comes first
        # nothing fits
        (("ไม่มีที่นี่", None, None, None), []),
        (("ตลาด", "อ.เมือง", "จ.เชียงใหม่", None), []),
        (("วังทอง", None, "จังหวัดที่ไม่มี", None), []),
        (("เกาะเต่า", "บางนา", None, None), []),
        (("", None, None, None), []),
    ],
)
def test_match(
    matcher: AddressMatcher,
    address: tuple[str, str | None, str | None, str | None],
    codes: list[str],
) -> None:
    assert [a.code for a in matcher.match(*address)] == codes


@pytest.mark.parametrize(
    ("subdistrict", "postal_code", "codes"),
    [
        ("วังทอง", "65130", ["650801"]),
        ("วังทอง", " 65130 ", ["650801"]),
        ("วังทอง", "", WANG_THONG),
        ("วังทอง", "84360", []),
        ("ตลาด", "84000", ["840101"]),
        ("เกาะเต่า", "84360", ["840503"]),
        ("แขวงบางนา", "10260", ["104702", "104703"]),
    ],
)
def test_postal_code_narrows_the_match(
    matcher: AddressMatcher, subdistrict: str, postal_code: str, codes: list[str]
) -> None:
    found = matcher.match(subdistrict, postal_code=postal_code)
    assert [a.code for a in found] == codes
    if postal_code.strip():
        assert all(postal_code.strip() in a.postal_codes for a in found)


def test_a_capital_word_does_not_mean_a_bangkok_khet(matcher: AddressMatcher) -> None:
    # เขตพระนคร (1001) is Bangkok's first khet, not a "เมือง"
    assert matcher.match("พระบรมมหาราชวัง", "เมือง", "กทม") == []
    assert [a.code for a in matcher.match("พระบรมมหาราชวัง", "พระนคร", "กทม")] == ["100101"]
