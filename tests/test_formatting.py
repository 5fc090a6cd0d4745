"""Dutch number format and missing-value symbols."""

import math

import pytest

from zorgzaam.catalogue import BUILTIN
from zorgzaam.formatting import format_indicator, format_number, format_value


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (12.5, 1, "12,5"),
        (1234, 0, "1.234"),
        (1234567.891, 2, "1.234.567,89"),
        (0.75, 2, "0,75"),
        (-3.25, 1, "-3,2"),
        (None, 0, "-"),
        (math.nan, 1, "-"),
    ],
)
def test_format_number(value, decimals, expected):
    assert format_number(value, decimals) == expected


def test_percentages_have_one_decimal_and_a_spaced_sign():
    assert format_indicator(BUILTIN.indicator("pct_80plus"), 7.04) == "7,0 %"


def test_ratios_have_two_decimals_and_no_unit():
    assert format_indicator(BUILTIN.indicator("mantelzorgratio"), 470 / 70) == "6,71"


def test_counts_have_thousands_points_and_their_unit():
    assert format_indicator(BUILTIN.indicator("pop_total"), 12345.0) == "12.345 inwoners"


@pytest.mark.parametrize(
    ("status", "symbol"), [("verborgen", "x"), ("onvolledig", "x"), ("ontbrekend", "-"), ("nvt", "nvt")]
)
def test_missing_values_show_their_symbol_never_zero(status, symbol):
    assert format_value(None, status, "%", 1) == symbol
    assert format_value(0.0, status, "%", 1) == symbol
