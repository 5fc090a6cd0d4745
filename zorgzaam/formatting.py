"""Dutch (Belgian) number formatting and the symbols for missing values."""

from __future__ import annotations

import math

from .catalogue import Indicator

# How a missing value is shown, by status (style.md: never 0).
MISSING_SYMBOL = {
    "verborgen": "x",
    "onvolledig": "x",
    "ontbrekend": "-",
    "nvt": "nvt",
}

STATUS_LABEL = {
    "ok": "",
    "verborgen": "verborgen (te klein om te tonen)",
    "onvolledig": "niet op te tellen: bevat verborgen waarden",
    "ontbrekend": "geen gegevens",
    "nvt": "niet van toepassing (noemer is 0)",
}


def format_number(value: float | int | None, decimals: int = 0) -> str:
    """1234.5 -> '1.234,5' (thousands point, decimal comma)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "-"
    text = f"{value:,.{decimals}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def unit_suffix(unit: str) -> str:
    if unit == "%":
        return " %"
    if unit == "verhouding":
        return ""
    return f" {unit}"


def format_value(value: float | None, status: str, unit: str, decimals: int) -> str:
    """A value with its unit, or the symbol for why it is missing."""
    if status != "ok" or value is None or (isinstance(value, float) and math.isnan(value)):
        return MISSING_SYMBOL.get(status, "-")
    return format_number(value, decimals) + unit_suffix(unit)


def format_indicator(indicator: Indicator, value: float | None, status: str = "ok") -> str:
    return format_value(value, status, indicator.unit, indicator.decimals)



MONTHS = ("januari", "februari", "maart", "april", "mei", "juni", "juli", "augustus", "september", "oktober",
          "november", "december")


def format_date(day) -> str:
    """date(2026, 12, 2) -> '2 december 2026'."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"
