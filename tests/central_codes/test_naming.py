"""How names are written: the one form they are compared in, and the level a query names."""

from __future__ import annotations

import pytest

from central_codes.codes import Level
from central_codes.naming import is_capital_word, level_hint, normalize


@pytest.mark.parametrize(
    ("written", "compared"),
    [
        # Thai short forms, with and without a space after the dot
        ("อ.เกาะพะงัน", "เกาะพะงัน"),
        ("อ. เกาะพะงัน", "เกาะพะงัน"),
        ("อ .เกาะพะงัน", "เกาะพะงัน"),
        ("จ.เชียงใหม่", "เชียงใหม่"),
        ("จ. เชียงใหม่", "เชียงใหม่"),
        ("ต.ตลาด", "ตลาด"),
        ("ต. ตลาด", "ตลาด"),
        # Thai level words
        ("จังหวัดเชียงใหม่", "เชียงใหม่"),
        ("อำเภอเกาะพะงัน", "เกาะพะงัน"),
        ("กิ่งอำเภอเกาะพะงัน", "เกาะพะงัน"),
        ("ตำบลตลาด", "ตลาด"),
        ("เขตบางนา", "บางนา"),
        ("แขวงบางนา", "บางนา"),
        ("กรุงเทพฯ", "กรุงเทพ"),
        # English level words, before and after the name
        ("Changwat Chiang Mai", "chiangmai"),
        ("Chiang Mai Province", "chiangmai"),
        ("Amphoe Ko Pha-ngan", "kophangan"),
        ("Amphur Mueang", "mueang"),
        ("Ko Pha-ngan District", "kophangan"),
        ("Khet Bang Na", "bangna"),
        ("Bang Na District", "bangna"),
        ("Tambon Talat", "talat"),
        ("Khwaeng Bang Na", "bangna"),
        ("Talat Subdistrict", "talat"),
        ("Talat Sub-district", "talat"),
        # hyphens, spaces, case and punctuation
        ("Ko Pha-ngan", "kophangan"),
        ("KO PHA NGAN", "kophangan"),
        ("kophangan", "kophangan"),
        ("  Ko  Tao  ", "kotao"),
        ("Ko_Tao", "kotao"),
        ("(Ko Tao)", "kotao"),
        ("Ko’Tao", "kotao"),
        # a level word inside a name is part of the name
        ("Mueang Chiang Mai", "mueangchiangmai"),
        ("เมืองเชียงใหม่", "เมืองเชียงใหม่"),
        # nothing but a short form leaves nothing to compare
        ("อ.", ""),
        ("   ", ""),
    ],
)
def test_normalize(written: str, compared: str) -> None:
    assert normalize(written) == compared


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        # a tone mark typed before the vowel below it: NFC puts the vowel first
        ("\u0e2d\u0e48\u0e39\u0e17\u0e2d\u0e07", "อู่ทอง"),
        # a Latin letter and its combining accent
        ("Cafe\u0301", "Caf\u00e9"),
    ],
)
def test_normalize_compares_canonically_equivalent_text_equal(typed: str, stored: str) -> None:
    assert typed != stored
    assert normalize(typed) == normalize(stored)


@pytest.mark.parametrize(
    ("query", "level"),
    [
        ("จ.เชียงใหม่", Level.PROVINCE),
        ("จ. เชียงใหม่", Level.PROVINCE),
        ("จังหวัดเชียงใหม่", Level.PROVINCE),
        ("Changwat Chiang Mai", Level.PROVINCE),
        ("Chiang Mai Province", Level.PROVINCE),
        ("chiang mai PROVINCE", Level.PROVINCE),
        ("อ.เมือง", Level.DISTRICT),
        ("อ. เมือง", Level.DISTRICT),
        ("อำเภอเกาะพะงัน", Level.DISTRICT),
        ("กิ่งอำเภอเกาะพะงัน", Level.DISTRICT),
        ("เขตบางนา", Level.DISTRICT),
        ("Amphoe Ko Pha-ngan", Level.DISTRICT),
        ("Amphur Mueang", Level.DISTRICT),
        ("Khet Bang Na", Level.DISTRICT),
        ("Ko Pha-ngan District", Level.DISTRICT),
        ("ต.ตลาด", Level.SUBDISTRICT),
        ("ต. ตลาด", Level.SUBDISTRICT),
        ("ตำบลตลาด", Level.SUBDISTRICT),
        ("แขวงบางนา", Level.SUBDISTRICT),
        ("Tambon Talat", Level.SUBDISTRICT),
        ("Khwaeng Bang Na", Level.SUBDISTRICT),
        ("Talat Subdistrict", Level.SUBDISTRICT),
        ("Talat Sub-district", Level.SUBDISTRICT),
        ("เชียงใหม่", None),
        ("Bangkok", None),
        ("Mueang Chiang Mai", None),
        ("Khet", None),
        ("", None),
    ],
)
def test_level_hint(query: str, level: Level | None) -> None:
    assert level_hint(query) is level


@pytest.mark.parametrize(
    ("word", "capital"),
    [("เมือง", True), ("mueang", True), ("muang", True), ("เมืองยาง", False), ("bangkok", False)],
)
def test_is_capital_word(word: str, capital: bool) -> None:
    assert is_capital_word(word) is capital
