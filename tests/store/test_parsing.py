"""Numbers and names as Kazakhstan's statistics write them (aimaq.store.parsing)."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from aimaq.store.parsing import NotANumber, is_missing, name_keys, parse_number, plain_key, unit_key


def _group(digits: str, sep: str) -> str:
    head = len(digits) % 3 or 3
    parts = [digits[:head]] + [digits[i : i + 3] for i in range(head, len(digits), 3)]
    return sep.join(parts)


@given(
    whole=st.integers(min_value=0, max_value=10**12),
    frac=st.integers(min_value=0, max_value=999),
    negative=st.booleans(),
    style=st.sampled_from(["ru_space", "ru_nbsp", "en_comma", "de_dot", "plain_dot", "plain_comma"]),
)
def test_parse_number_reads_every_common_style(whole: int, frac: int, negative: bool, style: str) -> None:
    digits = str(whole)
    frac_text = f"{frac:03d}"
    grouped = {
        "ru_space": (_group(digits, " "), ","),
        "ru_nbsp": (_group(digits, "\u00a0"), ","),
        "en_comma": (_group(digits, ","), "."),
        "de_dot": (_group(digits, "."), ","),
        "plain_dot": (digits, "."),
        "plain_comma": (digits, ","),
    }[style]
    text = ("−" if negative else "") + grouped[0] + grouped[1] + frac_text
    expected = (-1 if negative else 1) * float(f"{whole}.{frac_text}")
    assert parse_number(text) == pytest.approx(expected, rel=1e-12, abs=1e-12)


@given(st.floats(allow_nan=False, allow_infinity=False, width=64))
def test_parse_number_round_trips_python_floats(x: float) -> None:
    assert parse_number(repr(x)) == x
    assert parse_number(x) == x


@given(st.integers(min_value=1000, max_value=10**15), st.sampled_from([",", "."]))
def test_repeated_separator_groups_thousands(n: int, sep: str) -> None:
    text = _group(str(n), sep)
    if text.count(sep) >= 2:
        assert parse_number(text) == float(n)


@pytest.mark.parametrize("cell", ["", "  ", "-", "…", "...", "x", "х", None, float("nan")])
def test_missing_markers_are_none(cell: object) -> None:
    assert is_missing(cell)
    assert parse_number(cell) is None


@pytest.mark.parametrize(
    ("cell", "hint"),
    [
        ("12,5 %", "write 12,5 (without units or signs)"),
        ("1,2,3", "write a number such as 12,5 or 12.5"),
        ("abc", "write a number such as 12,5 or 12.5"),
        ("2,370.4.5", "write a number such as 12,5 or 12.5"),
        ("1.234,5,6", "write a number such as 12,5 or 12.5"),
        ("1e400", "1e400 is too large to be a number"),
    ],
)
def test_non_numbers_are_refused_with_a_hint(cell: str, hint: str) -> None:
    with pytest.raises(NotANumber) as err:
        parse_number(cell)
    assert str(err.value) == hint


def test_single_comma_is_a_decimal_comma() -> None:
    # Kazakh and Russian write a decimal comma; "1,234" is 1.234, never 1234 (docs/store.md).
    assert parse_number("1,234") == 1.234
    assert parse_number("2,370.4") == 2370.4
    assert parse_number("1e3") == 1000.0
    assert math.isclose(parse_number("0,1") or 0, 0.1)


def test_booleans_are_not_numbers() -> None:
    with pytest.raises(NotANumber):
        parse_number(True)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Восточно-Казахстанская область", "восточно казахстанская обл."),
        ("г. Алматы", "Алматы қ."),
        ("Алматы қаласы", "город Алматы"),
        ("Ақтөбе облысы", "Ақтөбе обл"),
        ("Семёновка", "Семеновка"),
        ("  East   Kazakhstan  Region ", "east kazakhstan region"),
    ],
)
def test_name_keys_meet(a: str, b: str) -> None:
    assert name_keys(a)[0] == name_keys(b)[0]


def test_region_and_city_keep_apart_in_the_strict_key() -> None:
    assert name_keys("Алматы облысы")[0] != name_keys("Алматы қаласы")[0]
    assert name_keys("Алматы облысы")[1] == name_keys("Алматы қаласы")[1] == "алматы"


def test_kazakh_letters_fold_in_the_folded_key_only() -> None:
    assert name_keys("Ақтөбе")[1] == "ақтөбе"
    assert name_keys("Ақтөбе")[2] == name_keys("Актобе")[2] == "актобе"


def test_plain_key_and_unit_key() -> None:
    assert plain_key("Внутренние  затраты, на НИОКР") == "внутренние затраты на ниокр"
    assert unit_key("млн тенге") == unit_key("mln_kzt") == unit_key("Млн. тенге")
    assert unit_key("%") == unit_key("pct") == unit_key("процент")
    assert unit_key("%") != unit_key("mln_kzt")
    assert unit_key(None) == ""
