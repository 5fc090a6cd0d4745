"""Key figures of an area beside its references, ready to show (Dutch text, no Streamlit)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .catalogue import BUILTIN, Catalogue, Indicator
from .comparisons import Reference
from .formatting import STATUS_LABEL, format_figure, format_number, period_note

__all__ = [
    "SMALL_SECTOR_THRESHOLD",
    "START_KEY_FIGURES",
    "KeyFigure",
    "catalogue_label",
    "count_text",
    "help_text",
    "key_figures",
    "population_text",
    "small_sector_flags",
]

START_KEY_FIGURES: tuple[str, ...] = (
    "pop_total",
    "n_households",
    "pct_65plus",
    "pct_80plus",
    "pct_alone_75plus",
    "pct_single_person_hh",
    "mantelzorgratio",
    "pct_tenants",
)

# Below this many inhabitants a sector's percentages rest on very few people.
SMALL_SECTOR_THRESHOLD = 100


def small_sector_flags(sectors: pd.DataFrame, threshold: int) -> pd.Series:
    """Per area_code: whether a sector has fewer inhabitants than ``threshold`` or a hidden number.

    ``sectors`` is an engine result with ``pop_total`` rows (each from its own latest period). A sector
    without population data is not flagged: unknown is not small.
    """
    pop = sectors[sectors["indicator"] == "pop_total"].drop_duplicates("area_code").set_index("area_code")
    if threshold <= 0 or pop.empty:
        return pd.Series(False, index=pop.index, dtype=bool)
    small = pop["status"].eq("ok") & pd.to_numeric(pop["value"], errors="coerce").lt(threshold)
    return (small | pop["status"].isin(["verborgen"])).astype(bool)


def population_text(row, period: str | None) -> str:
    """A sector's inhabitants in words: '2.930 inwoners (2025)' (the year when older than ``period``),
    'aantal inwoners verborgen (x)' or 'aantal inwoners: geen gegevens tot en met …'. ``row`` is the
    engine row of pop_total (a mapping), or None."""
    status = row["status"] if row is not None else "ontbrekend"
    if status == "ok":
        return f"{format_number(row['value'])} inwoners" + period_note(row.get("period"), period)
    if status == "verborgen":
        return "aantal inwoners verborgen (x)" + period_note(row.get("period"), period)
    return "aantal inwoners: geen gegevens" + (f" tot en met {period}" if period else "")


@dataclass(frozen=True)
class KeyFigure:
    code: str
    label: str
    value_text: str
    status: str
    count_text: str  # "1.234 van 8.000 inwoners", or ""
    references: tuple[tuple[str, str], ...]  # (reference label, formatted value)
    help_text: str


def count_text(ind: Indicator, numerator: float, denominator: float, status: str) -> str:
    if status != "ok" or ind.is_count:
        return ""
    if ind.unit == "%":
        return f"{format_number(numerator)} van {format_number(denominator)} {ind.denominator_kind}"
    num_label = " + ".join(catalogue_label(c) for c in ind.numerator)
    den_label = " + ".join(catalogue_label(c) for c in ind.denominator)
    return f"{format_number(numerator)} {num_label} t.o.v. {format_number(denominator)} {den_label}"


def catalogue_label(base_code: str, catalogue: Catalogue = BUILTIN) -> str:
    base = catalogue.base_counts.get(base_code)
    return base.label.lower() if base else base_code


def help_text(ind: Indicator, period: str, source: str) -> str:
    lines = [
        ind.definition,
        "",
        f"**Formule:** {ind.formula}",
        f"**Eenheid:** {ind.unit}",
    ]
    if ind.denominator_kind:
        lines.append(f"**Noemer:** {ind.denominator_kind}")
    lines += [f"**Periode:** {period}", f"**Bron:** {source}"]
    if ind.notes:
        lines += ["", ind.notes]
    return "  \n".join(lines)


def key_figures(
    result: pd.DataFrame,
    refs: list[Reference],
    source: str,
    catalogue: Catalogue = BUILTIN,
) -> list[KeyFigure]:
    """Cards for every indicator in ``result`` (rows with a ``role`` column from with_references)."""
    cards = []
    asked = str(result["period"].max()) if not result.empty else None
    for code, rows in result.groupby("indicator", sort=False):
        ind = catalogue.indicator(code)
        own = rows[rows["role"] == "gebied"].iloc[0]
        ref_texts = []
        for ref in refs:
            hit = rows[(rows["area_level"] == ref.level) & (rows["area_code"] == ref.code)]
            if hit.empty:
                continue
            r = hit.iloc[0]
            label = ref.total_label if ind.is_count else ref.label
            ref_texts.append((label, format_figure(ind, r, asked)))
        status = own["status"]
        value_text = format_figure(ind, own, asked, with_coverage=False)
        if ind.is_count and status == "ok":
            # the label names the unit; keeps the card narrow
            value_text = format_number(own["value"]) + period_note(own["period"], asked)
        # A missing value shows its symbol ("-", "x") large and its reason on the line below, so a
        # narrow card never cuts the reason off.
        reason = STATUS_LABEL.get(status, status) if status != "ok" else ""
        cards.append(
            KeyFigure(
                code=code,
                label=ind.label,
                value_text=value_text,
                status=status,
                count_text=reason or count_text(ind, own["numerator"], own["denominator"], status),
                references=tuple(ref_texts),
                help_text=help_text(ind, str(own["period"]), source),
            )
        )
    return cards
