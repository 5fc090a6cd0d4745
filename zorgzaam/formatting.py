"""Dutch (Belgian) number formatting and the symbols for missing values."""

from __future__ import annotations

import math

from .catalogue import Indicator

__all__ = [
    "MISSING_SYMBOL",
    "STATUS_LABEL",
    "format_approx",
    "format_coverage",
    "format_date",
    "format_figure",
    "format_indicator",
    "format_number",
    "format_value",
    "period_caption",
    "period_note",
    "unit_suffix",
]

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
    "onvolledig": "onvolledig: bevat verborgen of ontbrekende sectoren",
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


def _present(value) -> bool:
    return value is not None and not (isinstance(value, float) and math.isnan(value))


def _get(row, key: str, default=None):
    """A field of an engine result row: a mapping, a Series or a namedtuple."""
    if hasattr(row, "get"):
        value = row.get(key, default)
    else:
        value = getattr(row, key, default)
    return default if value is None or (isinstance(value, float) and math.isnan(value)) else value


def format_coverage(coverage: float | None, coverage_of: str | None) -> str:
    """0.9993, 'aangiften' -> '99,9 % van de aangiften'."""
    if not _present(coverage) or not coverage_of:
        return ""
    share = math.floor(float(coverage) * 1000) / 10  # never round a partial up to 100 %
    return f"{format_number(share, 1)} % van de {coverage_of}"


def format_approx(
    indicator: Indicator,
    approx: float | None,
    coverage: float | None = None,
    coverage_of: str | None = None,
    with_coverage: bool = True,
) -> str:
    """An incomplete total over its known part: '≈ 41.863 euro · 99,9 % van de aangiften'."""
    text = "≈ " + format_number(approx, indicator.decimals) + unit_suffix(indicator.unit)
    cover = format_coverage(coverage, coverage_of) if with_coverage else ""
    return f"{text} · {cover}" if cover else text


def period_note(period, asked: str | None) -> str:
    """' (2023)' when a figure comes from another period than the one asked for, else ''."""
    if not asked or period is None or str(period) in ("", "nan", "None") or str(period) == str(asked):
        return ""
    return f" ({period})"


def period_caption(periods, asked: str | None) -> str:
    """The period line of a view: 'periode 2025', or 'cijfers van 2023 (laatste jaar tot en met 2025)',
    or 'cijfers van 2022–2023 (elk zijn laatste jaar tot en met 2025)' when areas differ."""
    used = sorted({str(p) for p in periods if p is not None and str(p) not in ("", "nan", "None")})
    if not used or used == [str(asked)] or asked is None:
        return f"periode {asked if asked is not None else (used[-1] if used else '-')}"
    if len(used) == 1:
        return f"cijfers van {used[0]} (laatste jaar tot en met {asked})"
    return f"cijfers van {used[0]}–{used[-1]} (elk zijn laatste jaar tot en met {asked})"


def format_figure(indicator: Indicator, row, asked_period: str | None = None, with_coverage: bool = True) -> str:
    """One engine result row as text: the value, '≈ …' for an incomplete total (with its coverage),
    or the missing symbol; the row's own year in brackets when it differs from ``asked_period``."""
    status = _get(row, "status", "ontbrekend")
    approx = _get(row, "approx")
    if status == "onvolledig" and approx is not None:
        text = format_approx(indicator, approx, _get(row, "coverage"), _get(row, "coverage_of"), with_coverage)
    else:
        text = format_indicator(indicator, _get(row, "value"), status)
    if status in ("ontbrekend",):
        return text  # no data up to the period asked: no year to show
    return text + period_note(_get(row, "period"), asked_period)


MONTHS = (
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
)


def format_date(day) -> str:
    """date(2026, 12, 2) -> '2 december 2026'."""
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"
