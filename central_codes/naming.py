"""How people write area names, and the one form we compare them in.

People type level words ("อำเภอ", "เขต", "ตำบล", "แขวง", "Amphoe", "District"), short forms
with a dot ("จ.", "อ.", "ต."), the capital district as "เมือง" / "Mueang", and Bangkok as
"กทม". :func:`normalize` removes what does not tell two names apart.
"""

from __future__ import annotations

import re
import unicodedata

from central_codes.codes import Level

__all__ = ["PROVINCE_ALIASES", "is_capital_word", "level_hint", "normalize"]

_THAI_LEVEL_WORDS = re.compile(r"^(?:จังหวัด|กิ่งอำเภอ|อำเภอ|ตำบล|เขต|แขวง)")
_SHORT_FORMS = re.compile(r"^\s*(?:จ|อ|ต)\s*\.\s*")
_ENGLISH_LEVEL_WORDS = re.compile(
    r"^(?:changwat|amphoe|amphur|khet|tambon|khwaeng)\s+|"
    r"\s+(?:province|district|subdistrict|sub-district)$"
)
_MARKS = re.compile(r"[\s.'’\-_,()]")

_LEVEL_WORDS = (
    (re.compile(r"^\s*(?:จังหวัด|จ\s*\.|changwat\s)|\sprovince\s*$", re.I), Level.PROVINCE),
    (
        re.compile(
            r"^\s*(?:กิ่งอำเภอ|อำเภอ|อ\s*\.|เขต|amphoe\s|amphur\s|khet\s)|\sdistrict\s*$", re.I
        ),
        Level.DISTRICT,
    ),
    (
        re.compile(r"^\s*(?:ตำบล|ต\s*\.|แขวง|tambon\s|khwaeng\s)|\ssub-?district\s*$", re.I),
        Level.SUBDISTRICT,
    ),
)

# Names that are not the registry's but that everyone understands.
PROVINCE_ALIASES: dict[str, str] = {
    "กทม": "10",
    "กรุงเทพ": "10",
    "bkk": "10",
    "krungthep": "10",
    "อยุธยา": "14",
    "ayutthaya": "14",
    "ayuthaya": "14",
    "โคราช": "30",
    "korat": "30",
}

_CAPITAL_WORDS = frozenset({"เมือง", "mueang", "muang", "meuang"})


def normalize(text: str) -> str:
    """Put a name or a query into the form names are compared in.

    >>> normalize("อ. เกาะพะงัน")
    'เกาะพะงัน'
    >>> normalize("Ko Pha-ngan District")
    'kophangan'
    """
    text = unicodedata.normalize("NFC", text).strip().lower()
    text = _SHORT_FORMS.sub("", text)
    text = _ENGLISH_LEVEL_WORDS.sub("", text)
    text = _MARKS.sub("", text)
    text = _THAI_LEVEL_WORDS.sub("", text)
    return text.replace("ฯ", "")


def level_hint(text: str) -> Level | None:
    """The level a query names by its level word or short form ("อ.", "แขวง", "Province").

    >>> level_hint("จ. เชียงใหม่")
    <Level.PROVINCE: 2>
    """
    for pattern, level in _LEVEL_WORDS:
        if pattern.search(text):
            return level
    return None


def is_capital_word(normalized: str) -> bool:
    """True for "เมือง" / "Mueang": what people write for a province's capital district."""
    return normalized in _CAPITAL_WORDS
