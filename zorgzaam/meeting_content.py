"""What the analysis steps of a meeting show: the chosen sectors' figures, maps and findings.

The same functions feed the big screen (pages/bijeenkomst.py) and the minutes
(zorgzaam.reports.minutes), so the verslag holds what the werkgroep saw. Every figure comes
from the engine and the formatter the analysis pages use: hidden values stay "x", missing "-".
No Streamlit here.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import pandas as pd
import shapely

from .catalogue import Indicator
from .comparisons import with_references
from .engine import available_periods, compute
from .environment import amenities_in_sectors, amenity_counts, category_label
from .formatting import format_figure, period_caption
from .keyfigures import SMALL_SECTOR_THRESHOLD, small_sector_flags
from .store import Store

# The Wie woont er? step's indicators when the facilitator chose none.
DEFAULT_INDICATORS = ("pct_80plus", "pct_alone_75plus", "pct_single_person_hh", "pct_tenants",
                      "pct_increased_reimbursement_20_64")
# The Wat is er? step: access and settlement per sector.
ACCESS_INDICATORS = ("pct_no_basket_1200m", "pct_80plus_no_basket_1200m", "pct_no_bus_400m",
                     "pct_80plus_no_bus_400m", "pct_in_kern", "pct_in_lint", "pct_in_verspreid")
SMALL_MARK = "*"
NOT_IN_ATTENTION = ("Valt niet op: niet in het hoogste derde van de gemeente voor zowel % 80-plussers als "
                    "afstand tot het basispakket.")


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
    small: tuple[str, ...]      # chosen sectors with few inhabitants (or a hidden count)
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


def indicators_with_data(store: Store, municipality: str | None, indicators: Sequence[str],
                         period: str | None) -> list[str]:
    """The usable ``indicators`` with a value (status ok) for at least one sector of the municipality in
    ``period``: the map of any other would be all grey."""
    codes = usable_indicators(store, indicators)
    if not codes or not municipality:
        return []
    result = compute(store, codes, level="statsec", within=("gemeente", municipality), period=period)
    found = set(result.loc[result["status"] == "ok", "indicator"])
    return [c for c in codes if c in found]


def map_indicator(store: Store, municipality: str | None, indicators: Sequence[str],
                  period: str | None) -> str | None:
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


def sector_figures(store: Store, municipality: str | None, sectors: Sequence[str], indicators: Sequence[str],
                   period: str | None = None, small_threshold: int = SMALL_SECTOR_THRESHOLD) -> FigureTable:
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
        for r in refs]
    areas += [(f"{names.get(c, c)} ({c}){' ' + SMALL_MARK if c in small else ''}",
               per_sector[per_sector["area_code"] == c]) for c in shown]
    rows = []
    for label, frame in areas:
        by_code = frame.drop_duplicates("indicator").set_index("indicator")
        row = {"Gebied": label}
        for code in ["pop_total", *(c for c in codes if c != "pop_total")]:
            ind: Indicator = catalogue.indicator(code)
            row[ind.label] = format_figure(ind, by_code.loc[code], period) if code in by_code.index else "-"
        rows.append(row)
    return FigureTable(pd.DataFrame(rows), period, small, tuple(codes))


def indicator_map(store: Store, municipality: str, sectors: Sequence[str], indicator: str, period: str | None,
                  *, source: str, page: str = "A4", dpi: int = 110, on: date | None = None) -> bytes | None:
    """The municipality's sectors coloured by one indicator, the chosen sectors outlined (PNG)."""
    from .reports.map_image import indicator_map_png

    codes = store.sectors_within("gemeente", [municipality])
    geo = store.geometries("statsec", codes, display=False)
    if geo.empty:
        return None
    ind = store.catalogue().indicator(indicator)
    result = compute(store, list(dict.fromkeys(["pop_total", indicator])), level="statsec",
                     within=("gemeente", municipality), period=period)
    rows = result[result["indicator"] == indicator].drop_duplicates("area_code").set_index("area_code")
    flags = small_sector_flags(result, SMALL_SECTOR_THRESHOLD)
    small = [c for c in codes if bool(flags.get(c, False))]
    used = rows.loc[rows["status"] != "ontbrekend", "period"] if "period" in rows else []
    name = store.find_area(municipality, "gemeente")
    label = f"gemeente {name['name'].iloc[0]}" if not name.empty else municipality
    return indicator_map_png(geo, rows["value"], ind, source=source, period=period_caption(used, period),
                             view_label=label,
                             statuses=rows["status"], small=small, highlight=list(sectors), page=page, dpi=dpi, on=on)


def amenities_map(store: Store, municipality: str, sectors: Sequence[str], *, source: str, page: str = "A4",
                  dpi: int = 110) -> tuple[bytes | None, pd.DataFrame]:
    """The municipality's sectors with the amenities (chosen sectors outlined) as a PNG, and the number of
    amenities per category in each chosen sector (code → category label → count)."""
    from .reports import map_image

    codes = store.sectors_within("gemeente", [municipality])
    raw = store.geometries("statsec", codes, display=False)
    if raw.empty:
        return None, pd.DataFrame()
    geo = raw.assign(geometry=list(shapely.from_wkb([bytes(g) for g in raw["geometry"]])))
    points = amenities_in_sectors(store, geo[["code", "geometry"]])  # each place once, as access counts
    counts = pd.DataFrame()
    chosen = [c for c in sectors if c in set(geo["code"])] or list(geo["code"])
    if not points.empty:
        counts = amenity_counts(points, points["statsec"], chosen)
        counts.columns = [category_label(c) for c in counts.columns]
    layers = map_image.amenity_points(points) if not points.empty else []
    name = store.find_area(municipality, "gemeente")
    label = f"gemeente {name['name'].iloc[0]}" if not name.empty else municipality
    png = map_image.sector_map_png(
        raw, title="Wat is er? Voorzieningen per statistische sector", subtitle=label, source=source,
        legend=map_image.highlight_legend("gekozen sector") if sectors else [], legend_title="Legende",
        highlight=list(sectors), points=layers, page=page, dpi=dpi)
    return png, counts


def amenity_table(counts: pd.DataFrame, names: dict[str, str]) -> pd.DataFrame:
    """The counts per chosen sector as formatted text: one row per category, a column per sector."""
    if counts.empty:
        return pd.DataFrame()
    table = counts.T.astype(int).astype(str)
    table.columns = [f"{names.get(c, c)} ({c})" for c in counts.index]
    return table.rename_axis("Voorziening").reset_index()


def findings(store: Store, municipality: str, sectors: Sequence[str]) -> pd.DataFrame:
    """Per chosen sector the signals, the spatial findings and the Wie-vs-wat sentence (the samenvattende
    tabel's words), as formatted text."""
    from .reports.summary_table import summary_rows

    rows = summary_rows(store, municipality=municipality)
    if sectors:
        rows = rows[rows["code"].isin(list(sectors))]
    return pd.DataFrame({
        "Sector": [f"{n} ({c}){' ' + SMALL_MARK if s else ''}" for n, c, s in zip(rows["name"], rows["code"],
                                                                                  rows["small"])],
        "Signalen": rows["signals"].to_list(),
        "Wat is er": rows["spatial"].to_list(),
        # Only sectors in the top third for both need and lack of access get a sentence.
        "Wie vs wat": [text if isinstance(text, str) and text.strip() else NOT_IN_ATTENTION
                       for text in rows["mismatch"]],
    })


def mismatch_map(store: Store, municipality: str, sectors: Sequence[str], *, source: str, page: str = "A4",
                 dpi: int = 110) -> bytes | None:
    """The Wie vs wat map of the municipality as the page opens it (% 80-plussers against living farther
    than 1,2 km from the basic basket), the chosen sectors outlined; None without access figures or map."""
    from .access import DEFAULTS, lack_phrase
    from .reports.map_image import mismatch_map_png
    from .whowhat import DEFAULT_NEED, NEEDS, sector_mismatch

    codes = sorted(store.sectors_within("gemeente", [municipality]))
    geo = store.geometries("statsec", codes, display=False)
    places = store.place_access(codes)
    if geo.empty or places.empty:
        return None
    need, measure = NEEDS[DEFAULT_NEED], "basket"
    period = latest_common_period(store, [need.indicator])
    results = compute(store, ["pop_total", need.indicator], level="statsec", within=("gemeente", municipality),
                      period=period)
    pop = results[results["indicator"] == "pop_total"].set_index("area_code")
    population = pop["value"].where(pop["status"] == "ok")
    names = municipality_sectors(store, municipality).set_index("code")["name"]
    data = sector_mismatch(results, places, names, need, measure, DEFAULTS, SMALL_SECTOR_THRESHOLD, population)
    found = store.find_area(municipality, "gemeente")
    label = f"gemeente {found['name'].iloc[0]}" if not found.empty else municipality
    return mismatch_map_png(geo, data, need, f"{need.group_label} die {lack_phrase(measure, DEFAULTS)} wonen",
                            period=period or "-", view_label=label, source=source, highlight=list(sectors),
                            page=page, dpi=dpi, title="Wie vs wat: 80-plussers en het basispakket")


def summary_prefills(store: Store, municipality: str, sectors: Sequence[str]) -> dict[str, str]:
    """What the analysis pages fill in beside the summary questions, for the chosen sectors (Markdown):
    2.1 the highest composition figures, 2.2–2.4 the sectors where the app's default signal rule raises the
    question's signals, 8.1 and 8.2 the Wie vs wat answers. Empty when the municipality has no care zone."""
    from .access import DEFAULTS, lack_phrase
    from .mismatch import attention_list, mismatch_summary
    from .signals import SignalRule, evaluate, import_hint, signal_indicators, signal_states, summarise
    from .summary import COMPOSITION_INDICATORS, QUESTIONS, composition_standouts, question_text, signal_standouts
    from .whowhat import DEFAULT_NEED, NEEDS, sector_mismatch

    elz = store.parent_of("gemeente", municipality, "elz")
    view = shown_sectors(store, municipality, sectors)
    if not elz or not view:
        return {}
    # The page's order (catalogue order): the standouts list a sector's indicators in it.
    signal_order = [i.code for i in signal_indicators()]
    signal_codes = set(signal_order)
    codes = list(dict.fromkeys([*signal_order, *COMPOSITION_INDICATORS, "pop_total"]))
    period = latest_common_period(store, [c for c in codes if c in set(usable_indicators(store, codes))])
    zone_sectors = compute(store, codes, level="statsec", within=("elz", elz), period=period)
    zone = compute(store, codes, areas=[("elz", elz)], period=period).set_index("indicator")
    zone_values = zone["value"].where(zone["status"] == "ok")
    pop = zone_sectors[zone_sectors["indicator"] == "pop_total"].set_index("area_code")
    small = sorted(c for c in view if not (pop["status"].get(c) == "ok"
                                           and pop["value"].get(c, 0) >= SMALL_SECTOR_THRESHOLD))
    evaluation = evaluate(zone_sectors[zone_sectors["indicator"].isin(signal_codes)], zone_values, SignalRule())
    summary = summarise(evaluation)
    variables = store.variables()
    states = signal_states(evaluation, view, store.catalogue(), variables)
    zone_name = store.find_area(elz, "elz")
    zone_label = f"gemiddelde eerstelijnszone {zone_name['name'].iloc[0]}" if not zone_name.empty else "eerstelijnszone"
    out = {}
    for q in QUESTIONS:
        items = (signal_standouts(q, summary, view, small) if q.signals else
                 composition_standouts(zone_sectors, zone_values, view, small, zone_label=zone_label,
                                       catalogue=store.catalogue()))
        out[q.number] = question_text(q, items, states, view)
    # The thirds are those of the whole municipality (as on the Wie vs wat page); only the chosen sectors are named.
    names = municipality_sectors(store, municipality).set_index("code")["name"]
    places = store.place_access(list(names.index))
    need = NEEDS[DEFAULT_NEED]
    if not places.empty:
        phrase = lack_phrase("basket", DEFAULTS)
        population = pop["value"].where(pop["status"] == "ok")
        data = sector_mismatch(zone_sectors, places, names, need, "basket", DEFAULTS, SMALL_SECTOR_THRESHOLD,
                               population)
        attention = attention_list(data, need.group_label, "woont " + phrase)
        found = store.find_area(municipality, "gemeente")
        view_label = f"gemeente {found['name'].iloc[0]}" if not found.empty else municipality
        if not sectors:
            out.update(mismatch_summary(attention, view_label, need_label=need.label.replace("% ", "aandeel ").lower(),
                                        lack_label=f"aandeel {need.group_label} dat {phrase} woont",
                                        group_label=need.group_label, data=data,
                                        no_data_reason=import_hint([need.indicator], variables, store.catalogue())))
            return out
        chosen = attention[attention["statsec"].isin(view)]
        chosen_data = data[data["statsec"].isin(view)]
        if not (chosen_data["need_value"].notna() & chosen_data["lack_share"].notna()).any():
            out.update(mismatch_summary(attention.iloc[0:0], view_label, need.label, need.group_label,
                                        need.group_label, data=chosen_data,
                                        no_data_reason=import_hint([need.indicator], variables, store.catalogue())))
        elif chosen.empty:
            out["8.1"] = (f"Geen van de gekozen sectoren hoort in {view_label} bij het hoogste derde voor zowel "
                          f"{need.label} als het aandeel {need.group_label} dat {phrase} woont.")
        else:
            out["8.1"] = "\n".join(f"- {sentence}" for sentence in chosen["sentence"])
            out["8.2"] = ("Signalen om te verkennen (het hoogste derde van de gemeente voor beide): "
                          + ", ".join(str(n) for n in chosen["name"]) + ".")
    return out
