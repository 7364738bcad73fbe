"""DOPA area codes: their shape, their level and their parent."""

from __future__ import annotations

import enum

__all__ = ["InvalidAreaCode", "Level", "level_of", "parent_code", "validate_code"]


class Level(enum.Enum):
    """The level of an area, told by the length of its DOPA code."""

    PROVINCE = 2
    DISTRICT = 4
    SUBDISTRICT = 6

    @property
    def word(self) -> str:
        """The lower-case English word for the level ("province", ...)."""
        return self.name.lower()


class InvalidAreaCode(ValueError):
    """A code that is not 2, 4 or 6 ASCII digits."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code

    def __str__(self) -> str:
        return f"{self.code[:20]!r} is not a DOPA area code (2, 4 or 6 digits)"


_BY_LENGTH = {level.value: level for level in Level}


def validate_code(code: str) -> str:
    """Return ``code`` unchanged when it is well formed, else raise :class:`InvalidAreaCode`.

    DOPA's own files pad codes to 8 digits with zeros (``84050300``); such a code is
    accepted and shortened to its level.
    """
    if len(code) == 8 and code.isascii() and code.isdigit():
        code = _strip_padding(code)
    if len(code) not in _BY_LENGTH or not (code.isascii() and code.isdigit()):
        raise InvalidAreaCode(code)
    return code


def _strip_padding(code: str) -> str:
    for length in (2, 4, 6):
        if code[length:] == "0" * (8 - length):
            return code[:length]
    return code


def level_of(code: str) -> Level:
    """The level of a well-formed code."""
    return _BY_LENGTH[len(validate_code(code))]


def parent_code(code: str) -> str | None:
    """The code of the area one level up, or None for a province."""
    code = validate_code(code)
    return None if len(code) == 2 else code[:-2]
