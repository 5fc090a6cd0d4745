"""What the analysis steps of a meeting show: the chosen sectors' figures and the summary questions' prefills.

The same functions feed the big screen (pages/bijeenkomst.py) and the minutes
(zorgzaam.reports.minutes), so the verslag holds what the werkgroep saw. Every figure comes
from the engine and the formatter the analysis pages use: hidden values stay "x", missing "-".
The maps (PNG) are ``zorgzaam.reports.meeting_maps``; the findings per sector (the samenvattende
tabel's words) ``zorgzaam.reports.summary_table.findings``. No Streamlit here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from .analysis import AnalysisChoice, analyse
from .catalogue import Indicator
from .comparisons import with_references
from .engine import available_periods, compute
from .formatting import format_figure
from .keyfigures import SMALL_SECTOR_THRESHOLD, small_sector_flags
from .signals import signal_indicators
from .store import Store
from .summary import COMPOSITION_INDICATORS, QUESTIONS

__all__ = [
    "ACCESS_INDICATORS",
    "DEFAULT_INDICATORS",
    "NOT_IN_ATTENTION",
    "SMALL_MARK",
    "FigureTable",
    "amenity_table",
    "indicators_with_data",
    "latest_common_period",
    "map_indicator",
    "municipality_sectors",
    "sector_figures",
    "shown_sectors",
    "step_source",
    "summary_prefills",
    "usable_indicators",
]

# The Wie woont er? step's indicators when the facilitator chose none.
DEFAULT_INDICATORS = (
    "pct_80plus",
    "pct_alone_75plus",
    "pct_single_person_hh",
    "pct_tenants",
    "pct_increased_reimbursement_20_64",
)
# The Wat is er? step: access and settlement per sector.
ACCESS_INDICATORS = (
    "pct_no_basket_1200m",
    "pct_80plus_no_basket_1200m",
    "pct_no_bus_400m",
    "pct_80plus_no_bus_400m",
    "pct_in_kern",
    "pct_in_lint",
    "pct_in_verspreid",
)
SMALL_MARK = "*"
NOT_IN_ATTENTION = (
    "Valt niet op: niet in het hoogste derde van de gemeente voor zowel % 80-plussers als afstand tot het basispakket."
)


def step_source(store: Store, kind: str, indicators: Sequence[str] = (), period: str | None = None) -> str:
    """The source line of an analysis step's figures: only the datasets it shows (``zorgzaam.sources``).

    ``kind`` "wie": the ``indicators`` on its map or in its table (at ``period``); "wat": the amenities and the
    access computation with the layers it read; "wie_vs_wat": the default need and access.
    """
    from .sources import source_text
    from .whowhat import DEFAULT_NEED

    if kind == "wie":
        return source_text(store, list(indicators), ("sectoren",), period=period)
    if kind == "wat":
        return source_text(store, list(ACCESS_INDICATORS), ("sectoren", "voorzieningen"))
    return source_text(store, [DEFAULT_NEED, "pct_no_basket_1200m"], ("sectoren",))


@dataclass(frozen=True)
class FigureTable:
    """Formatted figures: a column per indicator (inhabitants first); one row per reference area (the
    municipality, the care zone, Flanders), then one per chosen sector."""

    table: pd.DataFrame
    period: str | None
    small: tuple[str, ...]  # chosen sectors with few inhabitants (or a hidden count)
    indicators: tuple[str, ...]  # the indicators shown (with figures for this period)

    @property
    def empty(self) -> bool:
        return self.table.empty


def municipality_sectors(store: Store, municipality: str | None) -> pd.DataFrame:
    """code, name of the municipality's sectors (code order)."""
    if not municipality:
        return pd.DataFrame(columns=["code", "name"])
    codes = store.sectors_within("gemeente", [municipality])
    areas = store.areas("statsec")
    return areas[areas["code"].isin(codes)][["code", "name"]].sort_values("code").reset_index(drop=True)


def shown_sectors(store: Store, municipality: str | None, sectors: Sequence[str]) -> list[str]:
    """The chosen sectors that exist in the store (the whole municipality when none were chosen)."""
    known = municipality_sectors(store, municipality)
    if sectors:
        return [c for c in sectors if c in set(known["code"])]
    return list(known["code"])


def usable_indicators(store: Store, codes: Sequence[str]) -> list[str]:
    """The indicators of ``codes`` that the store has figures for (catalogue order kept as given)."""
    catalogue = store.catalogue()
    out = []
    for code in codes:
        try:
            ind = catalogue.indicator(code)
        except KeyError:
            continue
        if available_periods(store, [ind], catalogue):
            out.append(code)
    return out


def indicators_with_data(
    store: Store, municipality: str | None, indicators: Sequence[str], period: str | None
) -> list[str]:
    """The usable ``indicators`` with a value (status ok) for at least one sector of the municipality in
    ``period``: the map of any other would be all grey."""
    codes = usable_indicators(store, indicators)
    if not codes or not municipality:
        return []
    result = compute(store, codes, level="statsec", within=("gemeente", municipality), period=period)
    found = set(result.loc[result["status"] == "ok", "indicator"])
    return [c for c in codes if c in found]


def map_indicator(store: Store, municipality: str | None, indicators: Sequence[str], period: str | None) -> str | None:
    """The indicator a meeting's map opens on: the first of ``indicators`` with figures for the municipality's
    sectors in ``period`` (else the first usable one; None without any)."""
    with_data = indicators_with_data(store, municipality, indicators, period)
    if with_data:
        return with_data[0]
    usable = usable_indicators(store, indicators)
    return usable[0] if usable else None


def latest_common_period(store: Store, codes: Sequence[str]) -> str | None:
    catalogue = store.catalogue()
    periods = [p for c in codes for p in available_periods(store, [catalogue.indicator(c)], catalogue)]
    return max(periods) if periods else None


def sector_figures(
    store: Store,
    municipality: str | None,
    sectors: Sequence[str],
    indicators: Sequence[str],
    period: str | None = None,
    small_threshold: int = SMALL_SECTOR_THRESHOLD,
) -> FigureTable:
    """The chosen sectors beside their municipality, care zone and Flanders, for each indicator with figures."""
    codes = usable_indicators(store, indicators)
    shown = shown_sectors(store, municipality, sectors)
    if not codes or not shown or not municipality:
        return FigureTable(pd.DataFrame(), None, (), tuple(codes))
    catalogue = store.catalogue()
    period = period or latest_common_period(store, codes)
    wanted = list(dict.fromkeys(["pop_total", *codes]))
    per_sector = compute(store, wanted, areas=[("statsec", c) for c in shown], period=period)
    refs_result, refs = with_references(store, wanted, "gemeente", municipality, period)
    names = dict(zip(*municipality_sectors(store, municipality)[["code", "name"]].T.to_numpy()))
    flags = small_sector_flags(per_sector, small_threshold)
    small = tuple(c for c in shown if bool(flags.get(c, False)))
    own = refs_result[refs_result["role"] == "gebied"]
    found = store.find_area(municipality, "gemeente")
    municipality_name = found["name"].iloc[0] if not found.empty else municipality
    # The references first: with a whole municipality's sectors below, they stay in view.
    areas: list[tuple[str, pd.DataFrame]] = [(f"gemeente {municipality_name}", own)] + [
        (r.label, refs_result[(refs_result["area_level"] == r.level) & (refs_result["area_code"] == r.code)])
        for r in refs
    ]
    areas += [
        (f"{names.get(c, c)} ({c}){' ' + SMALL_MARK if c in small else ''}", per_sector[per_sector["area_code"] == c])
        for c in shown
    ]
    rows = []
    for label, frame in areas:
        by_code = frame.drop_duplicates("indicator").set_index("indicator")
        row = {"Gebied": label}
        for code in ["pop_total", *(c for c in codes if c != "pop_total")]:
            ind: Indicator = catalogue.indicator(code)
            row[ind.label] = format_figure(ind, by_code.loc[code], period) if code in by_code.index else "-"
        rows.append(row)
    return FigureTable(pd.DataFrame(rows), period, small, tuple(codes))


def amenity_table(counts: pd.DataFrame, names: dict[str, str]) -> pd.DataFrame:
    """The counts per chosen sector as formatted text: one row per category, a column per sector."""
    if counts.empty:
        return pd.DataFrame()
    table = counts.T.astype(int).astype(str)
    table.columns = [f"{names.get(c, c)} ({c})" for c in counts.index]
    return table.rename_axis("Voorziening").reset_index()


def summary_prefills(store: Store, municipality: str, sectors: Sequence[str]) -> dict[str, str]:
    """What the analysis pages fill in beside the summary questions, for the chosen sectors (Markdown):
    2.1 the highest composition figures, 2.2–2.4 the sectors where the app's default signal rule raises the
    question's signals, 8.1 and 8.2 the Wie vs wat answers (or why there are none). Empty when the municipality
    has no care zone. All of it read from the zone analysed (``zorgzaam.analysis``)."""
    elz = store.parent_of("gemeente", municipality, "elz")
    view = shown_sectors(store, municipality, sectors)
    if not elz or not view:
        return {}
    catalogue = store.catalogue()
    codes = list(dict.fromkeys([*(i.code for i in signal_indicators(catalogue)), *COMPOSITION_INDICATORS, "pop_total"]))
    period = latest_common_period(store, usable_indicators(store, codes))
    a = analyse(
        store,
        AnalysisChoice(elz=elz, municipality=municipality, sectors=tuple(view) if sectors else None, period=period),
    )
    out = {q.number: a.question_text(q, view) for q in QUESTIONS}
    # The thirds are those of the whole municipality (as on the Wie vs wat page); only the chosen sectors are named.
    if not sectors or a.mismatch is None:
        out.update(a.mismatch_answers())
        return out
    need = a.need
    chosen = a.attention()
    chosen = chosen[chosen["statsec"].isin(view)]
    chosen_data = a.mismatch_rows(view)
    if not (chosen_data["need_value"].notna() & chosen_data["lack_share"].notna()).any():
        out.update(a.mismatch_answers(view))  # "Geen gegevens: …" for the chosen sectors
    elif chosen.empty:
        out["8.1"] = (
            f"Geen van de gekozen sectoren hoort in {a.view_label} bij het hoogste derde voor zowel "
            f"{need.label} als het aandeel {need.group_label} dat {a.lack_phrase} woont."
        )
    else:
        out["8.1"] = "\n".join(f"- {sentence}" for sentence in chosen["sentence"])
        out["8.2"] = (
            "Signalen om te verkennen (het hoogste derde van de gemeente voor beide): "
            + ", ".join(str(n) for n in chosen["name"])
            + "."
        )
    return out
