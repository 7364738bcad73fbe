"""Name search over the geothai registry, as people type names."""

from __future__ import annotations

import pytest

from central_codes.codes import Level
from central_codes.records import Status
from central_codes.search import SearchIndex
from central_codes.snapshot import Snapshot


@pytest.fixture(scope="module")
def index(snapshot: Snapshot) -> SearchIndex:
    """One index over the session's snapshot."""
    return SearchIndex(snapshot)


def _codes(
    index: SearchIndex, query: str, level: Level | None = None, first: int = 10
) -> list[str]:
    return [m.area.code for m in index.search(query, level, first)]


@pytest.mark.parametrize(
    ("query", "first_code"),
    [
        ("เชียงใหม่", "50"),
        ("Chiang Mai", "50"),
        ("chiang mai", "50"),
        ("จังหวัดเชียงใหม่", "50"),
        ("Chiang Mai Province", "50"),
        ("กรุงเทพมหานคร", "10"),
        ("Bangkok", "10"),
        ("กทม", "10"),
        ("กรุงเทพฯ", "10"),
        ("bkk", "10"),
        ("โคราช", "30"),
        ("นครราชสีมา", "30"),
        ("เขตบางนา", "1047"),
        ("Khet Bang Na", "1047"),
        ("Bang Na District", "1047"),
        ("Ko Pha-ngan", "8405"),
        ("kophangan", "8405"),
        ("เกาะพะงัน", "8405"),
        ("อำเภอเกาะพะงัน", "8405"),
        ("เกาะเต่า", "840503"),
        ("ต.ตลาด", "110401"),
    ],
)
def test_the_best_match_comes_first(index: SearchIndex, query: str, first_code: str) -> None:
    assert _codes(index, query)[0] == first_code


def test_bangkok_abbreviation_finds_bangkok_whole(index: SearchIndex) -> None:
    [match] = index.search("กทม")
    assert (match.area.code, match.matched_name, match.score) == ("10", "กรุงเทพมหานคร", 1.0)


def test_capital_district_short_form_finds_every_capital_but_no_bangkok_khet(
    index: SearchIndex, snapshot: Snapshot
) -> None:
    capitals = {p.code + "01" for p in snapshot.provinces if p.code != "10"}
    found = index.search("อ.เมือง", first=100)
    assert len(capitals) == 76
    assert {m.area.code for m in found[: len(capitals)]} == capitals
    assert all(m.score == 1.0 for m in found[: len(capitals)])
    assert "1001" not in {m.area.code for m in found}
    assert {m.area.level for m in found} == {Level.DISTRICT}


@pytest.mark.parametrize("query", ["จ. เชียงใหม่", "จ.เชียงใหม่"])
def test_province_short_form_finds_only_the_province(index: SearchIndex, query: str) -> None:
    found = index.search(query)
    assert [m.area.code for m in found] == ["50"]
    assert found[0].score == 1.0


def test_khet_finds_the_bangkok_district_before_lookalikes(index: SearchIndex) -> None:
    found = index.search("เขตบางนา")
    assert found[0].area.code == "1047"
    assert {m.area.level for m in found} == {Level.DISTRICT}


@pytest.mark.parametrize("query", ["Ko Pha-ngan", "kophangan", "เกาะพะงัน", "KO PHA NGAN"])
def test_spellings_of_ko_pha_ngan_find_the_district_then_its_subdistrict(
    index: SearchIndex, query: str
) -> None:
    assert _codes(index, query)[:2] == ["8405", "840501"]


@pytest.mark.parametrize(
    ("query", "codes"),
    [
        ("เกาะเต่า พะงัน", ["840503"]),  # not Ko Tao in Pathio (931003)
        ("เกาะเต่า สุราษฎร์ธานี", ["840503"]),
        ("เกาะเต่า พัทลุง", ["931003"]),
        ("บางนา กทม", ["1047", "104702", "104703"]),
    ],
)
def test_several_words_read_as_a_name_and_the_areas_above_it(
    index: SearchIndex, query: str, codes: list[str]
) -> None:
    assert _codes(index, query) == codes


@pytest.mark.parametrize("query", ["", "   ", "อ.", "ต. ", "- . _"])
def test_a_query_with_nothing_to_compare_finds_nothing(index: SearchIndex, query: str) -> None:
    assert index.search(query) == []


def test_a_name_no_area_has_finds_nothing(index: SearchIndex) -> None:
    assert index.search("ไม่มีที่นี่แน่นอน") == []


@pytest.mark.parametrize("first", [1, 3, 10, 25])
def test_first_limits_the_results(index: SearchIndex, first: int) -> None:
    found = index.search("บาง", first=first)
    assert len(found) == first
    assert found == index.search("บาง", first=100)[:first]


@pytest.mark.parametrize("first", [0, -1])
def test_first_below_one_finds_nothing(index: SearchIndex, first: int) -> None:
    assert index.search("บาง", first=first) == []


@pytest.mark.parametrize("level", list(Level))
def test_level_filter_keeps_only_that_level(index: SearchIndex, level: Level) -> None:
    assert {m.area.level for m in index.search("นคร", first=100)} == set(Level)
    found = index.search("นคร", level=level, first=100)
    assert found
    assert {m.area.level for m in found} == {level}


def test_level_filter_with_names_of_every_level(index: SearchIndex) -> None:
    assert _codes(index, "ตลาด", level=Level.SUBDISTRICT, first=5) == [
        "110401",
        "220101",
        "300122",
        "440101",
        "840101",
    ]
    assert index.search("กทม", level=Level.DISTRICT) == []


def test_only_active_areas_are_found(index: SearchIndex) -> None:
    found = index.search("บางนา", first=100)
    assert "104701" not in {m.area.code for m in found}  # แขวงบางนา, abolished
    assert {m.area.status for m in found} == {Status.ACTIVE}


def test_exact_names_rank_before_beginnings_before_anywhere(index: SearchIndex) -> None:
    found = index.search("บางนา", first=100)
    scores = [m.score for m in found]
    assert scores == sorted(scores, reverse=True)
    assert set(scores) == {1.0, 0.8, 0.5}
    position = {m.area.code: i for i, m in enumerate(found)}
    # เขตบางนา (whole) < บางนาเหนือ (beginning) < เดิมบางนางบวช (inside)
    assert position["1047"] < position["104702"] < position["7202"]
    by_code = {m.area.code: m for m in found}
    assert (by_code["1047"].score, by_code["104702"].score, by_code["7202"].score) == (
        1.0,
        0.8,
        0.5,
    )


def test_equal_scores_put_larger_areas_first_then_codes(index: SearchIndex) -> None:
    found = index.search("Chiang Mai", first=100)
    keys = [(-m.score, m.area.level.value, m.area.code) for m in found]
    assert keys == sorted(keys)
    assert [m.area.code for m in found[:2]] == ["50", "450802"]


def test_matched_name_is_the_name_that_matched(index: SearchIndex) -> None:
    thai = index.search("เกาะพะงัน")[0]
    english = index.search("Ko Pha-ngan")[0]
    assert (thai.matched_name, english.matched_name) == ("เกาะพะงัน", "Ko Pha-ngan")


def test_each_area_appears_once(index: SearchIndex) -> None:
    codes = _codes(index, "Mueang", first=100)
    assert len(codes) == len(set(codes))
