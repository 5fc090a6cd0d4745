"""Key figures of an area beside its references, ready to show (Dutch text, no Streamlit)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from .catalogue import BUILTIN, Catalogue, Indicator
from .comparisons import Reference
from .formatting import STATUS_LABEL, format_indicator, format_number

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
            ref_texts.append((label, format_indicator(ind, r["value"], r["status"])))
        status = own["status"]
        value_text = format_indicator(ind, own["value"], status)
        if ind.is_count and status == "ok":
            value_text = format_number(own["value"])  # the label names the unit; keeps the card narrow
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
