"""Signals per sector: which indicators stand out against the care zone, and what they may signal.

The source speaks of *signaalindicatoren*: figures only signal possible
vulnerability (or opportunity) for the werkgroep to explore, never a verdict.
A signal is raised by a rule the werkgroep can see and change:

* ``factor``: the sector's value is at least ``factor`` × the care-zone value
  (for indicators where a *lower* value signals, such as residential
  stability: at most the care-zone value ÷ ``factor``);
* ``kwintiel``: the sector is in the top fifth of the care zone's sectors
  (bottom fifth where lower signals).

Only indicators with a direction (``hoger``/``lager``) and at least one signal
take part; hidden or missing values never raise (nor silence) a signal.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .catalogue import BUILTIN, SIGNALS, Catalogue, Indicator
from .formatting import format_number

RULE_KINDS = {
    "factor": "minstens een factor × de eerstelijnszone",
    "kwintiel": "hoogste vijfde (kwintiel) van de sectoren in de eerstelijnszone",
}

EVALUATION_COLUMNS = [
    "area_code", "area_name", "indicator", "signal", "value", "reference", "threshold", "raised",
]


@dataclass(frozen=True)
class SignalRule:
    kind: str = "factor"
    factor: float = 1.25
    quantile: float = 0.8  # the top fifth

    def __post_init__(self) -> None:
        if self.kind not in RULE_KINDS:
            raise ValueError(f"Onbekende regel '{self.kind}'. Kies uit: {', '.join(RULE_KINDS)}.")
        if not self.factor > 1.0:
            raise ValueError("De factor moet groter zijn dan 1 (bijvoorbeeld 1,25).")
        if not 0.5 <= self.quantile < 1.0:
            raise ValueError("Het kwantiel moet tussen 0,5 en 1 liggen (bijvoorbeeld 0,8 voor het hoogste vijfde).")

    def describe(self, zone_label: str) -> str:
        """The rule in words, shown on screen beside the signals."""
        if self.kind == "factor":
            f = format_number(self.factor, 2).rstrip("0").rstrip(",")
            return (
                f"Een signaal gaat aan wanneer een sector minstens **{f} ×** de waarde van het {zone_label} "
                f"heeft. Bij indicatoren waar een lagere waarde het signaal geeft (zoals woonstabiliteit) "
                f"geldt: hoogstens die waarde gedeeld door {f}."
            )
        share = format_number((1 - self.quantile) * 100, 0)
        return (
            f"Een signaal gaat aan wanneer een sector bij de hoogste **{share} %** van de sectoren van de "
            f"eerstelijnszone hoort (de laagste {share} % waar een lagere waarde het signaal geeft). "
            f"Vergelijkingswaarde: {zone_label}."
        )


def signal_indicators(catalogue: Catalogue = BUILTIN) -> list[Indicator]:
    """Indicators that can raise a signal: a direction and at least one signal."""
    return [i for i in catalogue.indicators.values() if i.signals and i.direction in ("hoger", "lager")]


def thresholds(
    zone_sectors: pd.DataFrame,
    zone_values: pd.Series,
    rule: SignalRule,
    catalogue: Catalogue = BUILTIN,
) -> pd.Series:
    """The value at which each indicator raises its signal (index: indicator code).

    ``zone_sectors`` is an engine result for all sectors of the care zone,
    ``zone_values`` the care-zone value per indicator.
    """
    out = {}
    for code in zone_sectors["indicator"].unique():
        ind = catalogue.indicator(code)
        if ind.direction not in ("hoger", "lager"):
            continue
        if rule.kind == "factor":
            ref = zone_values.get(code, np.nan)
            if pd.isna(ref) or ref <= 0:
                # A multiple of 0 is 0: every sector would "stand out". No rule, no signal.
                out[code] = np.nan
                continue
            out[code] = ref * rule.factor if ind.direction == "hoger" else ref / rule.factor
        else:
            values = zone_sectors.loc[
                (zone_sectors["indicator"] == code) & (zone_sectors["status"] == "ok"), "value"
            ].astype(float)
            if values.empty:
                out[code] = np.nan
                continue
            q = rule.quantile if ind.direction == "hoger" else 1 - rule.quantile
            out[code] = float(np.quantile(values.to_numpy(), q))
    return pd.Series(out, dtype=float)


def evaluate(
    zone_sectors: pd.DataFrame,
    zone_values: pd.Series,
    rule: SignalRule,
    catalogue: Catalogue = BUILTIN,
) -> pd.DataFrame:
    """One row per (sector, signal-giving indicator, signal) with whether the rule raises it."""
    limits = thresholds(zone_sectors, zone_values, rule, catalogue)
    rows = []
    for code, limit in limits.items():
        ind = catalogue.indicator(code)
        part = zone_sectors[zone_sectors["indicator"] == code]
        values = part["value"].astype(float).where(part["status"] == "ok")
        if pd.isna(limit):
            raised = pd.Series(False, index=part.index)
        elif ind.direction == "hoger":
            raised = values >= limit
            if rule.kind == "kwintiel":
                raised &= values > values.min()  # ties at the bottom (many zeros) are not a top fifth
        else:
            raised = values <= limit
            if rule.kind == "kwintiel":
                raised &= values < values.max()
        raised = raised.fillna(False).astype(bool)
        for signal in ind.signals:
            rows.append(
                pd.DataFrame(
                    {
                        "area_code": part["area_code"].to_numpy(),
                        "area_name": part["area_name"].to_numpy(),
                        "indicator": code,
                        "signal": signal,
                        "value": values.to_numpy(),
                        "reference": float(zone_values.get(code, np.nan)),
                        "threshold": float(limit),
                        "raised": raised.to_numpy(),
                    }
                )
            )
    if not rows:
        return pd.DataFrame(columns=EVALUATION_COLUMNS)
    return pd.concat(rows, ignore_index=True)[EVALUATION_COLUMNS]


def summarise(evaluation: pd.DataFrame, catalogue: Catalogue = BUILTIN) -> pd.DataFrame:
    """Per sector and signal: how many indicators raise it and which (Dutch labels).

    Columns: area_code, area_name, signal, signal_label, n_indicators, indicators (list of codes), labels.
    """
    raised = evaluation[evaluation["raised"]]
    if raised.empty:
        return pd.DataFrame(columns=["area_code", "area_name", "signal", "signal_label", "n_indicators",
                                     "indicators", "labels"])
    grouped = raised.groupby(["area_code", "area_name", "signal"], sort=False)["indicator"].agg(list).reset_index()
    grouped["indicators"] = grouped.pop("indicator")
    grouped["n_indicators"] = grouped["indicators"].map(len)
    grouped["signal_label"] = grouped["signal"].map(SIGNALS)
    grouped["labels"] = grouped["indicators"].map(lambda codes: [catalogue.indicator(c).label for c in codes])
    order = {s: k for k, s in enumerate(SIGNALS)}
    grouped = grouped.sort_values(
        ["area_code", "signal"], key=lambda col: col.map(order) if col.name == "signal" else col
    )
    return grouped[["area_code", "area_name", "signal", "signal_label", "n_indicators", "indicators", "labels"]]


def signal_matrix(summary: pd.DataFrame, sector_codes: Sequence[str]) -> pd.DataFrame:
    """Sectors × signals: the number of indicators raising each signal (0 where none)."""
    matrix = summary.pivot_table(index="area_code", columns="signal", values="n_indicators", aggfunc="sum")
    matrix = matrix.reindex(index=list(sector_codes), columns=list(SIGNALS)).fillna(0).astype(int)
    matrix.columns.name = None
    return matrix
