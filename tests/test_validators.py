from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from ketenregie.core.validators import (
    bsn_is_valid,
    normalise_postcode,
    validate_bag_address_id,
    validate_bag_object_id,
    validate_bsn,
    validate_kvk_number,
)


@pytest.mark.parametrize("bsn", ["999993653", "111222333", "123456782"])
def test_it_accepts_bsns_that_pass_the_eleven_test(bsn: str) -> None:
    validate_bsn(bsn)


@pytest.mark.parametrize(
    ("bsn", "code"),
    [
        ("123456789", "bsn_checksum"),
        ("12345678", "bsn_length"),
        ("1234567890", "bsn_length"),
        ("12345678a", "bsn_not_digits"),
        ("", "bsn_not_digits"),
        ("000000000", "bsn_checksum"),
    ],
)
def test_it_says_what_is_wrong_with_a_bsn(bsn: str, code: str) -> None:
    with pytest.raises(ValidationError) as error:
        validate_bsn(bsn)
    assert error.value.code == code


@given(st.text(alphabet="0123456789", min_size=8, max_size=8))
def test_changing_one_digit_of_a_valid_bsn_breaks_the_eleven_test(prefix: str) -> None:
    candidates = [prefix + str(d) for d in range(10) if bsn_is_valid(prefix + str(d))]
    for bsn in candidates:
        for position in range(9):
            for digit in "0123456789":
                if digit != bsn[position]:
                    changed = bsn[:position] + digit + bsn[position + 1 :]
                    assert not bsn_is_valid(changed)


@pytest.mark.parametrize(
    ("raw", "expected"), [("3077 aw", "3077AW"), ("3077AW", "3077AW"), (" 1011ab ", "1011AB")]
)
def test_it_normalises_postcodes(raw: str, expected: str) -> None:
    assert normalise_postcode(raw) == expected


@pytest.mark.parametrize("postcode", ["0123AB", "3077A", "30777AW", "3077SS", "3077 SA", "AB3077"])
def test_it_rejects_postcodes_that_are_not_issued(postcode: str) -> None:
    with pytest.raises(ValidationError):
        normalise_postcode(postcode)


def test_bag_ids_must_name_the_right_object_type() -> None:
    validate_bag_object_id("0599010000208579")
    validate_bag_address_id("0599200000219678")
    with pytest.raises(ValidationError) as error:
        validate_bag_object_id("0599200000219678")
    assert error.value.code == "bag_object_type"
    with pytest.raises(ValidationError) as error:
        validate_bag_address_id("0599010000208579")
    assert error.value.code == "bag_object_type"


@pytest.mark.parametrize(
    "value", ["059901000020857", "05990100002085790", "0000010000208579", "05990100002085x9"]
)
def test_it_rejects_malformed_bag_ids(value: str) -> None:
    with pytest.raises(ValidationError):
        validate_bag_object_id(value)


@pytest.mark.parametrize(
    ("value", "ok"), [("24123456", True), ("2412345", False), ("2412345a", False), ("00000000", False)]
)
def test_kvk_numbers_have_eight_digits(value: str, ok: bool) -> None:
    if ok:
        validate_kvk_number(value)
    else:
        with pytest.raises(ValidationError):
            validate_kvk_number(value)
