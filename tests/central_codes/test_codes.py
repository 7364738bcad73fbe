"""DOPA area codes: which are well formed, their level and their parent."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from central_codes.codes import InvalidAreaCode, Level, level_of, parent_code, validate_code


@pytest.mark.parametrize(
    ("code", "valid"),
    [
        ("84", "84"),
        ("8405", "8405"),
        ("840503", "840503"),
        ("00", "00"),
        # DOPA pads its codes to 8 digits
        ("84050300", "840503"),
        ("84050000", "8405"),
        ("84000000", "84"),
    ],
)
def test_validate_code_accepts(code: str, valid: str) -> None:
    assert validate_code(code) == valid


@pytest.mark.parametrize(
    "code",
    [
        "",
        "8",
        "123",
        "12345",
        "1234567",
        "84050301",  # 8 digits that are not padding
        "123456789",
        "x1",
        "8a",
        "84 ",
        " 84",
        "84-05",
        "๘๔",  # Thai digits
        "๘๔๐๕๐๓",
        "８４",  # full-width digits
        "٨٤",  # Arabic-Indic digits
    ],
)
def test_validate_code_rejects(code: str) -> None:
    with pytest.raises(InvalidAreaCode) as raised:
        validate_code(code)
    assert raised.value.code == code
    assert "is not a DOPA area code" in str(raised.value)


def test_an_invalid_code_is_a_value_error_and_its_message_is_short() -> None:
    error = InvalidAreaCode("9" * 1000)
    assert isinstance(error, ValueError)
    assert len(str(error)) < 80


@pytest.mark.parametrize(
    ("code", "level"),
    [
        ("84", Level.PROVINCE),
        ("8405", Level.DISTRICT),
        ("840503", Level.SUBDISTRICT),
        ("84050300", Level.SUBDISTRICT),
        ("84000000", Level.PROVINCE),
    ],
)
def test_level_of(code: str, level: Level) -> None:
    assert level_of(code) is level


@pytest.mark.parametrize(
    ("code", "parent"),
    [
        ("84", None),
        ("8405", "84"),
        ("840503", "8405"),
        ("84050300", "8405"),
        ("84050000", "84"),
    ],
)
def test_parent_code(code: str, parent: str | None) -> None:
    assert parent_code(code) == parent


@pytest.mark.parametrize("function", [level_of, parent_code])
@pytest.mark.parametrize("code", ["123", "๘๔", "1234567", ""])
def test_level_and_parent_of_a_malformed_code_raise(
    function: Callable[[str], object], code: str
) -> None:
    with pytest.raises(InvalidAreaCode):
        function(code)


def test_level_words() -> None:
    assert [level.word for level in Level] == ["province", "district", "subdistrict"]
