"""Sector profiles for the werkgroep's reflectie- en terugkoppelingsdocument: PDF (A4) and HTML.

``build_profiles`` gathers the data (pure data, no layout): per sector its map, its key
figures beside the municipality, the care zone and Flanders, the signals raised by the
app's default rule, its access figures, the Wie-vs-wat sentence for the page's default
wie/wat, and the werkgroep's notes. For a municipality a first section covers the
municipality as a whole (with the summary questions of the Wie woont er? and Wie vs wat
pages), then one section per sector.

``profile_pdf`` lays it out with reportlab (A4 portrait, DejaVu Sans from matplotlib's
bundled fonts so "…", "–", "≥", "ë" print) and ``profile_html`` as one self-contained
page (CSS inline, maps as base64 PNG ``data:`` URIs, no external request).

Every number comes from the same engine call and formatter the pages use
(``zorgzaam.engine.compute``, ``zorgzaam.formatting.format_indicator``): a hidden value
stays "x", a missing one "-", never 0.
"""

from __future__ import annotations

import base64
import html
import io
import os
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd
import shapely

from ..access import DEFAULTS, lack_phrase
from ..bouwstenen import BOUWSTENEN
from ..catalogue import Catalogue
from ..comparisons import REFERENCE_LEVELS, Reference, references
from ..engine import available_periods, compute, latest_period
from ..environment import amenities_in_sectors, amenity_counts, category_label
from ..sources import dataset_rows, source_text
from ..formatting import format_date, format_figure, format_number
from ..keyfigures import SMALL_SECTOR_THRESHOLD, population_text, small_sector_flags
from ..mismatch import MISMATCH_QUESTIONS, attention_list, attention_sentence, gap_sentence, mismatch_summary
from ..profiles import profile_indicators
from ..signals import (SignalRule, SignalStates, evaluate, import_hint, no_data_sentence, sector_signal_lines,
                       signal_indicators, signal_states, summarise, view_signal_lines)
from ..store import Store
from ..summary import QUESTIONS, composition_standouts, question_text, signal_standouts
from ..whowhat import DEFAULT_NEED, NEEDS, sector_mismatch
from .map_image import profile_map_png

ACCESS_THEME = "voorzieningen en bereikbaarheid"
DEFAULT_MEASURE = "basket"  # the Wie vs wat page's default "wat"
SIGNAL_MARK = "●"
SMALL_TEXT = "weinig inwoners: voorzichtig interpreteren"
SIGNAL_NOTE = ("Een signaal is een vraag om te verkennen met wie de buurt kent, geen oordeel over een buurt.")
MISSING_NOTE = ("x = verborgen door de bron (te klein) of niet op te tellen · - = geen gegevens · "
                "≈ = onvolledig: berekend over de gekende sectoren, met het aandeel dat ze dekken · "
                "(jaar) = laatste jaar met cijfers, ouder dan de gevraagde periode · "
                "nvt = niet van toepassing (noemer 0); nooit 0.")
VALUES_NOTE = ("Bij aantallen staat het totaal van het gebied; bij percentages en verhoudingen het gemiddelde van "
               "het gebied (een verhouding van totalen).")


class ProfileError(ValueError):
    """A profile that cannot be built; the message is one Dutch sentence."""


# --------------------------------------------------------------------------- the data


@dataclass(frozen=True)
class FigureRow:
    indicator: str
    label: str
    theme: str
    unit: str
    value: str  # the area's value, formatted ("12,5 %", "x", "-")
    status: str
    count: str  # "teller / noemer" ("123 / 1.456"), "" for counts and missing values
    references: tuple[str, ...]  # formatted, in the order of ProfileSection.reference_labels
    signal: bool = False  # raises a signal in this area (default rule)


@dataclass(frozen=True)
class SignalLine:
    signal: str  # "Eenzaamheid"
    text: str  # "% alleenwonend 75-plussers 48,2 % (gemiddelde eerstelijnszone X: 38,6 %); …"


@dataclass(frozen=True)
class NoteLine:
    question: str  # "2.2 Zijn er cijfers …"
    prefill: str  # what the page fills in (standouts, mismatch answer); "" when none
    note: str  # the werkgroep's note; "" when none


@dataclass
class ProfileSection:
    level: str  # "statsec" or "gemeente"
    code: str
    name: str
    title: str  # "Sector Ter Heide (13091A03-)" / "Gemeente Heidebeek (13091)"
    context: str  # "gemeente Heidebeek · eerstelijnszone Heidekempen"
    population_text: str
    small: bool
    value_label: str  # column header of the area's own values
    reference_labels: tuple[str, ...]
    figures: list[FigureRow]
    access: list[FigureRow]
    amenities: list[tuple[str, int]]  # (category label, number inside the area)
    signals: list[SignalLine]
    signal_rule: str
    mismatch_heading: str
    mismatch: list[str]
    notes: list[NoteLine]
    team_notes: list[tuple[str, str]] = field(default_factory=list)  # (bouwsteen, note)
    map_png: bytes | None = None
    map_caption: str = ""
    sectors: list[tuple[str, str]] = field(default_factory=list)  # municipality: (code, name) of its sectors


@dataclass
class ProfileDocument:
    title: str
    subtitle: str
    period: str
    created: date
    source: str  # the source line: "demo — fictief"
    sources: list[str]  # one line per dataset: title, source, period
    is_demo: bool
    team: str | None
    sections: list[ProfileSection]
    omitted: str = ""  # the indicators left out for lack of data, said once

    @property
    def source_line(self) -> str:
        return f"Bron: {self.source} · periode {self.period} · zorgzaam"


# --------------------------------------------------------------------------- building


def _present_indicators(store: Store, catalogue: Catalogue) -> list[str]:
    """The profile's indicators with data in the store (as ``profiles.sector_profile`` chooses them)."""
    present = store.variables()
    return [c for c in profile_indicators(catalogue) if catalogue.has_data(c, present)]


def _omitted_text(catalogue: Catalogue, shown: list[str]) -> str:
    """One sentence for the indicators the profile leaves out because the store has no data for them."""
    left_out = [c for c in profile_indicators(catalogue) if c not in set(shown)]
    if not left_out:
        return ""
    return (f"{len(left_out)} indicatoren staan niet in dit profiel: de databank heeft er geen gegevens voor "
            "(importeer ze via Gegevens).")


def _source_texts(store: Store, indicators: list[str], period: str) -> tuple[str, list[str], bool]:
    """The footer's line (the datasets of the profile's figures, amenities and maps, each with its own period),
    one line per dataset for the list of sources, and whether it is the demo."""
    datasets = store.datasets()
    if datasets.empty:
        return "onbekend", [], False
    line = source_text(store, indicators, ("sectoren", "voorzieningen"), period=period)
    return line, dataset_rows(store), bool(datasets["is_demo"].any()) if "is_demo" in datasets else False


def _count_text(ind, numerator, denominator, status: str) -> str:
    if status != "ok" or ind.is_count:
        return ""
    return f"{format_number(numerator)} / {format_number(denominator)}"


def _markdown_bold(text: str) -> str:
    return text.replace("**", "")


Lookup = dict[tuple[str, str, str], dict]

_MISSING_ROW = {"value": np.nan, "status": "ontbrekend", "numerator": np.nan, "denominator": np.nan}


def _lookup(result: pd.DataFrame) -> Lookup:
    """(level, code, indicator) -> the engine row (value, status, period, approx, coverage …)."""
    return {(r["area_level"], r["area_code"], r["indicator"]): r for r in result.to_dict("records")}


def _figure_rows(lookup: Lookup, level: str, code: str, refs: list[Reference], codes: list[str],
                 catalogue: Catalogue, raised: set[str], period: str) -> list[FigureRow]:
    rows = []
    for ind_code in codes:
        ind = catalogue.indicator(ind_code)
        own = lookup.get((level, code, ind_code), _MISSING_ROW)
        status = own["status"]
        ref_texts = tuple(format_figure(ind, lookup.get((r.level, r.code, ind_code), _MISSING_ROW), period)
                          for r in refs)
        rows.append(FigureRow(ind_code, ind.label, ind.theme, ind.unit, format_figure(ind, own, period), status,
                              _count_text(ind, own["numerator"], own["denominator"], status), ref_texts,
                              ind_code in raised))
    return rows


def _sector_references(store: Store, parents: pd.DataFrame, codes: list[str]) -> dict[str, list[Reference]]:
    """``comparisons.references`` for many sectors at once (one query per level, not three per sector)."""
    levels = REFERENCE_LEVELS["statsec"]
    names = {lv: store.areas(lv).set_index("code")["name"].to_dict() for lv in levels if lv in parents}
    out = {}
    for code in codes:
        refs = []
        for lv in levels:
            parent = parents.at[code, lv] if lv in parents and code in parents.index else None
            if isinstance(parent, str) and parent in names.get(lv, {}):
                refs.append(Reference(lv, parent, names[lv][parent]))
        out[code] = refs
    return out


def _signal_lines(evaluation: pd.DataFrame, states: SignalStates, code: str, rule: SignalRule, zone_label: str,
                  catalogue: Catalogue) -> list[SignalLine]:
    """Every signal of one sector (raised, geen signaal, geen gegevens), worded as on the Signalen tab."""
    return [SignalLine(label, text)
            for label, text in sector_signal_lines(evaluation, states, code, rule, zone_label, catalogue)]


def _neighbours(geo: pd.DataFrame, focus: list) -> pd.DataFrame:
    """The sectors around a (group of) sector(s): those touching its envelope widened by half its size."""
    union = shapely.union_all(np.array(focus, dtype=object))
    minx, miny, maxx, maxy = union.bounds
    margin = max(600.0, 0.5 * max(maxx - minx, maxy - miny))
    window = shapely.box(minx - margin, miny - margin, maxx + margin, maxy + margin)
    keep = shapely.intersects(np.array(list(geo["geometry"]), dtype=object), window)
    return geo[keep]


def build_profiles(
    store: Store,
    sector_codes: Sequence[str] | None = None,
    municipality: str | None = None,
    period: str | None = None,
    team: str | None = None,
    rule: SignalRule | None = None,
    with_maps: bool = True,
    today: date | None = None,
) -> ProfileDocument:
    """The data of a profile document for the given sectors, or a municipality and all its sectors.

    Raises ``ProfileError`` (Dutch) for unknown areas or when nothing is chosen.
    """
    catalogue = store.catalogue()
    rule = rule or SignalRule()
    today = today or date.today()
    if municipality:
        found = store.find_area(municipality, "gemeente")
        if found.empty:
            raise ProfileError(f"Gemeente '{municipality}' bestaat niet in de databank.")
        codes = store.sectors_within("gemeente", [municipality])
        if not codes:
            raise ProfileError(f"Er zijn geen statistische sectoren van gemeente {found['name'].iloc[0]} in de "
                               "databank.")
    elif sector_codes:
        codes = list(dict.fromkeys(str(c) for c in sector_codes))
        known = set(store.areas("statsec").query("code in @codes")["code"])
        unknown = [c for c in codes if c not in known]
        if unknown:
            raise ProfileError(f"Sector '{unknown[0]}' bestaat niet in de databank.")
    else:
        raise ProfileError("Kies minstens één statistische sector of een gemeente voor het profiel.")

    indicators = _present_indicators(store, catalogue)
    if not indicators:
        raise ProfileError("Er zijn nog geen cijfers in de databank.")
    if period is None:
        period = latest_period(store, [catalogue.indicator(c) for c in indicators], catalogue)
    else:
        period = str(period)
        known = available_periods(store, [catalogue.indicator(c) for c in indicators], catalogue)
        if period not in known:
            raise ProfileError(f"Er zijn geen cijfers voor periode {period}; beschikbaar: {', '.join(known) or '-'}.")
    source, source_rows, is_demo = _source_texts(store, indicators, period)
    map_source = source_text(store, layers=("sectoren",))  # the maps draw the sectors only

    parents = store.parents("statsec", codes).set_index("code")
    gemeente_of = parents["gemeente"].to_dict() if "gemeente" in parents else {}
    elz_of = parents["elz"].to_dict() if "elz" in parents else {}
    zones = sorted({z for z in (elz_of.get(c) for c in codes) if isinstance(z, str)})

    # One engine call per care zone for all its sectors (signals, ranking, mismatch need every sector of
    # the zone), one for every reference area.
    zone_frames = [compute(store, indicators, level="statsec", within=("elz", z), period=period, catalogue=catalogue)
                   for z in zones]
    zone_sectors = pd.concat(zone_frames, ignore_index=True) if zone_frames else pd.DataFrame()
    computed = set(zone_sectors["area_code"]) if len(zone_sectors) else set()
    missing = [c for c in codes if c not in computed]
    if missing:  # sectors without a care zone
        extra = compute(store, indicators, areas=[("statsec", c) for c in missing], period=period,
                        catalogue=catalogue)
        zone_sectors = pd.concat([zone_sectors, extra], ignore_index=True)
    ref_areas: dict[tuple[str, str], None] = {}
    refs_of: dict[tuple[str, str], list[Reference]] = {}
    area_keys = [("statsec", c) for c in codes] + ([("gemeente", municipality)] if municipality else [])
    sector_refs = _sector_references(store, parents, codes)
    for key in area_keys:
        refs_of[key] = sector_refs[key[1]] if key[0] == "statsec" else references(store, *key)
        for r in refs_of[key]:
            ref_areas[(r.level, r.code)] = None
    if municipality:
        ref_areas[("gemeente", municipality)] = None
    ref_result = compute(store, indicators, areas=list(ref_areas), period=period, catalogue=catalogue) \
        if ref_areas else pd.DataFrame(columns=zone_sectors.columns)
    result = _lookup(pd.concat([zone_sectors, ref_result], ignore_index=True))

    pop = zone_sectors[zone_sectors["indicator"] == "pop_total"].set_index("area_code")
    population = pop["value"].where(pop["status"] == "ok") if len(pop) else pd.Series(dtype=float)
    names = dict(zip(zone_sectors["area_code"], zone_sectors["area_name"]))

    small_flags = small_sector_flags(zone_sectors, SMALL_SECTOR_THRESHOLD) if len(zone_sectors) else pd.Series(
        dtype=bool)

    def is_small(code: str) -> bool:
        return bool(small_flags.get(code, False))

    # Signals: the default rule of the Signalen tab, against each sector's care zone.
    signal_codes = {i.code for i in signal_indicators(catalogue)} & set(indicators)
    evaluations, zone_values_of = [], {}
    for z in zones:
        zone_rows = ref_result[(ref_result["area_level"] == "elz") & (ref_result["area_code"] == z)]
        by_indicator = zone_rows.set_index("indicator")
        zone_values = by_indicator["value"].where(by_indicator["status"] == "ok")
        zone_values_of[z] = zone_values
        in_zone = zone_sectors[zone_sectors["area_code"].isin(store.sectors_within("elz", [z]))]
        evaluations.append(evaluate(in_zone[in_zone["indicator"].isin(signal_codes)], zone_values, rule, catalogue))
    evaluation = pd.concat(evaluations, ignore_index=True) if evaluations else pd.DataFrame(
        columns=["area_code", "area_name", "indicator", "signal", "value", "reference", "threshold", "raised"])
    summary = summarise(evaluation, catalogue)
    raised_rows = {code: rows for code, rows in evaluation[evaluation["raised"].astype(bool)].groupby("area_code")}
    variables = store.variables()
    states = signal_states(evaluation, list(dict.fromkeys([*codes, *zone_sectors["area_code"]])), catalogue,
                           variables)
    zone_names = {z: store.find_area(z, "elz")["name"].iloc[0] for z in zones}

    # Geometry (Lambert) of every sector of the zones, for the maps and the amenities inside.
    all_codes = sorted(set(zone_sectors["area_code"]))
    raw = store.geometries("statsec", all_codes, display=False)
    geo = pd.DataFrame({"code": raw["code"], "name": raw["name"],
                        "geometry": list(shapely.from_wkb(raw["geometry"])) if len(raw) else []})
    geo = geo[np.array([g is not None and not g.is_empty for g in geo["geometry"]], dtype=bool)].reset_index(drop=True)
    amenities_in = _amenities_in(store, geo, codes)

    # Wie vs wat with the page's defaults: % 80-plussers against the basic basket within 1,2 km.
    need = NEEDS[DEFAULT_NEED]
    phrase = lack_phrase(DEFAULT_MEASURE, DEFAULTS)
    mismatch_data = _mismatch_frame(store, zones, zone_sectors, names, need, population)

    sections: list[ProfileSection] = []
    if municipality:
        sections.append(_municipality_section(
            store, municipality, codes, period, result, refs_of[("gemeente", municipality)], indicators, catalogue,
            summary, zone_sectors, zone_values_of, zone_names, is_small, mismatch_data, need, phrase, geo, map_source,
            with_maps, today, states=states, mismatch_gap=_mismatch_gap(catalogue, variables, need, mismatch_data)))
    for code in codes:
        sections.append(_sector_section(
            store, code, names.get(code, code), period, result, refs_of[("statsec", code)], indicators, catalogue,
            raised_rows, rule, zone_names.get(elz_of.get(code), ""), result.get(("statsec", code, "pop_total")),
            is_small(code),
            amenities_in.get(code, []), mismatch_data, need, phrase, geo, map_source, with_maps, today,
            with_municipality_notes=not municipality, gemeente=gemeente_of.get(code), states=states,
            signal_rows=evaluation, mismatch_gap=_mismatch_gap(catalogue, variables, need, mismatch_data)))
    if team and sections:
        from ..werkgroep import notes as team_notes_of

        notes = team_notes_of(store, team)
        sections[0].team_notes = [(f"{b.number}. {b.name}", notes[b.code]) for b in BOUWSTENEN if notes.get(b.code)]

    if municipality:
        name = store.find_area(municipality, "gemeente")["name"].iloc[0]
        title = f"Profiel van gemeente {name} en haar {len(codes)} statistische sectoren"
    elif len(codes) == 1:
        title = f"Profiel van sector {names.get(codes[0], codes[0])} ({codes[0]})"
    else:
        title = f"Profiel van {len(codes)} statistische sectoren"
    subtitle = f"Periode {period} · gemaakt op {format_date(today)}" + (f" · {team}" if team else "")
    if is_demo:
        subtitle += " · demo: alle gebieden en cijfers zijn fictief"
    return ProfileDocument(title, subtitle, period, today, source, source_rows, is_demo, team, sections,
                           _omitted_text(catalogue, indicators))


def _amenities_in(store: Store, geo: pd.DataFrame, codes: list[str]) -> dict[str, list[tuple[str, int]]]:
    part = geo[geo["code"].isin(codes)]
    if part.empty:
        return {}
    points = amenities_in_sectors(store, part)  # each place once, as access counts
    if points.empty:
        return {}
    counts = amenity_counts(points, points["statsec"], codes)
    return {code: [(category_label(c), int(n)) for c, n in row.items() if n > 0] for code, row in counts.iterrows()}


def _mismatch_frame(store: Store, zones: list[str], zone_sectors: pd.DataFrame, names: dict, need,
                    population: pd.Series) -> pd.DataFrame | None:
    if need.indicator not in set(zone_sectors["indicator"]):
        return None
    frames = []
    for z in zones:
        zone_codes = store.sectors_within("elz", [z])
        places = store.place_access(zone_codes)
        if places.empty:
            continue
        zone_names = pd.Series({c: names.get(c, c) for c in zone_codes})
        results = zone_sectors[zone_sectors["area_code"].isin(zone_codes)]
        frames.append(sector_mismatch(results, places, zone_names, need, DEFAULT_MEASURE, DEFAULTS,
                                      SMALL_SECTOR_THRESHOLD, population))
    return pd.concat(frames, ignore_index=True) if frames else None


def _map(geo: pd.DataFrame, highlight: list[str], title: str, source: str, period: str, label: str,
         today: date) -> bytes | None:
    focus = list(geo.loc[geo["code"].isin(highlight), "geometry"])
    if not focus:
        return None
    return profile_map_png(_neighbours(geo, focus), highlight, title=title, source=source, period=period,
                           highlight_label=label, on=today)


def _sector_section(store, code, name, period, result, refs, indicators, catalogue, evaluation, rule, zone_name,
                    population, small, amenities, mismatch_data, need, phrase, geo, source, with_maps, today,
                    with_municipality_notes, gemeente, states=None, signal_rows=None, mismatch_gap="") -> ProfileSection:
    zone_label = f"gemiddelde eerstelijnszone {zone_name}" if zone_name else "eerstelijnszone"
    raised = set(evaluation[code]["indicator"]) if code in evaluation else set()
    rows = _figure_rows(result, "statsec", code, refs, indicators, catalogue, raised, period)
    context = " · ".join(r.label if r.level != "elz" else f"eerstelijnszone {r.name}" for r in refs
                         if r.level in ("gemeente", "elz"))
    pop_text = population_text(population, period)
    mismatch = []
    heading = f"Wie vs wat: {need.label} tegenover het basispakket ({phrase})"
    if mismatch_data is not None:
        row = mismatch_data[mismatch_data["statsec"] == code]
        if not row.empty:
            r = row.iloc[0]
            gap = gap_sentence(need.label, r["need_status"], r["lack_share"])
            # A hidden need keeps the sentence that says so ("niet gepubliceerd"); no data is said as such.
            mismatch.append(gap if gap and r["need_status"] in ("ontbrekend", "nvt") else
                            attention_sentence(name, need.group_label, r["group_count"], r["lack_share"],
                                               "woont " + phrase, bool(r["small"])))
    elif mismatch_gap:
        mismatch.append(mismatch_gap)
    notes = []
    sector_notes = store.summary_notes("statsec", code, period)
    if with_municipality_notes and gemeente:
        gem_notes = store.summary_notes("gemeente", gemeente, period)
        gem_name = store.find_area(gemeente, "gemeente")["name"].iloc[0]
        notes += _note_lines(gem_notes, f" (gemeente {gem_name})", {})
    notes += _note_lines(sector_notes, "", {})
    map_png = _map(geo, [code], f"{name} ({code})", source, period, "deze sector", today) if with_maps else None
    return ProfileSection(
        level="statsec", code=code, name=name, title=f"Sector {name} ({code})", context=context,
        population_text=pop_text + (f" · ⚠ {SMALL_TEXT}" if small else ""), small=small, value_label="Sector",
        reference_labels=tuple(r.label for r in refs),
        figures=[f for f in rows if f.theme != ACCESS_THEME], access=[f for f in rows if f.theme == ACCESS_THEME],
        amenities=amenities,
        signals=_signal_lines(signal_rows, states, code, rule, zone_label, catalogue) if states is not None else [],
        signal_rule=_markdown_bold(rule.describe(zone_label)), mismatch_heading=heading, mismatch=mismatch,
        notes=notes, map_png=map_png,
        map_caption=f"Sector {name} (dikke rand) tussen de omliggende sectoren · noorden boven · periode {period}",
    )


def _note_lines(notes: dict[str, str], suffix: str, prefills: dict[str, str], all_questions: bool = False
                ) -> list[NoteLine]:
    questions = [(q.key, f"{q.number} {q.text}") for q in QUESTIONS] + \
        [(k, f"{k} {t}") for k, t in MISMATCH_QUESTIONS.items()]
    out = []
    for key, text in questions:
        note = notes.get(key, "")
        if note or all_questions:
            out.append(NoteLine(text + suffix, prefills.get(key, ""), note))
    return out


def _municipality_section(store, code, sector_codes, period, result, refs, indicators, catalogue, summary,
                          zone_sectors, zone_values_of, zone_names, is_small, mismatch_data, need, phrase, geo,
                          source, with_maps, today, states=None, mismatch_gap="") -> ProfileSection:
    name = store.find_area(code, "gemeente")["name"].iloc[0]
    view_label = f"gemeente {name}"
    zone_ref = next((r for r in refs if r.level == "elz"), None)
    zone_label = zone_ref.label if zone_ref else "eerstelijnszone"
    zone_values = zone_values_of.get(zone_ref.code) if zone_ref else pd.Series(dtype=float)
    rows = _figure_rows(result, "gemeente", code, refs, indicators, catalogue, set(), period)
    small_codes = sorted(c for c in sector_codes if is_small(c))
    prefills = {}
    for q in QUESTIONS:
        if q.signals:
            items = signal_standouts(q, summary, sector_codes, small_codes)
        else:
            values = zone_values if zone_values is not None else pd.Series(dtype=float)
            items = composition_standouts(zone_sectors, values, sector_codes, small_codes, zone_label=zone_label,
                                          catalogue=catalogue)
        prefills[q.key] = question_text(q, items, states, sector_codes, markdown=False)
    mismatch, heading = [], f"Wie vs wat in {view_label}: {need.label} tegenover het basispakket ({phrase})"
    if mismatch_data is not None:
        data = mismatch_data[mismatch_data["statsec"].isin(sector_codes)].reset_index(drop=True)
        attention = attention_list(data, need.group_label, "woont " + phrase)
        answers = mismatch_summary(attention, view_label, need_label=need.label.replace("% ", "aandeel ").lower(),
                                   lack_label=f"aandeel {need.group_label} dat {phrase} woont",
                                   group_label=need.group_label, data=data)
        prefills.update(answers)
        mismatch = list(attention["sentence"])
        if data.empty or not (data["need_value"].notna() & data["lack_share"].notna()).any():
            mismatch = [answers["8.1"]]  # "Geen gegevens: …", not "no sector stands out"
    elif mismatch_gap:
        prefills.update({"8.1": mismatch_gap, "8.2": mismatch_gap})
        mismatch = [mismatch_gap]
    notes = _note_lines(store.summary_notes("gemeente", code, period), "", prefills, all_questions=True)
    total = next((f for f in rows if f.indicator == "pop_total"), None)
    signals = ([SignalLine(label, text) for label, text in view_signal_lines(summary, states, sector_codes)]
               if states is not None else [])
    map_png = (_map(geo, list(sector_codes), f"Gemeente {name}: {len(sector_codes)} statistische sectoren", source,
                    period, f"sectoren van gemeente {name}", today) if with_maps else None)
    return ProfileSection(
        level="gemeente", code=code, name=name, title=f"Gemeente {name} ({code})",
        context=f"eerstelijnszone {zone_ref.name}" if zone_ref else "",
        population_text=(f"{total.value} · {len(sector_codes)} statistische sectoren, waarvan {len(small_codes)} met "
                         f"weinig inwoners (minder dan {format_number(SMALL_SECTOR_THRESHOLD)} of verborgen)")
        if total else f"{len(sector_codes)} statistische sectoren",
        small=False, value_label=f"gemeente {name}", reference_labels=tuple(r.label for r in refs),
        figures=[f for f in rows if f.theme != ACCESS_THEME], access=[f for f in rows if f.theme == ACCESS_THEME],
        amenities=[], signals=signals, signal_rule="", mismatch_heading=heading, mismatch=mismatch, notes=notes,
        map_png=map_png, map_caption=f"De sectoren van gemeente {name} tussen de omliggende sectoren · noorden boven",
        sectors=[(c, str(zone_sectors.loc[zone_sectors["area_code"] == c, "area_name"].iloc[0])
                  if (zone_sectors["area_code"] == c).any() else c) for c in sector_codes],
    )


def _mismatch_gap(catalogue: Catalogue, variables: set[str], need, mismatch_data: pd.DataFrame | None) -> str:
    """Why there is no Wie vs wat at all ("" when there is): the need is not in the store, or no access."""
    if mismatch_data is not None:
        return ""
    hint = import_hint([need.indicator], variables, catalogue)
    return no_data_sentence(hint or "er is nog geen bereikbaarheid per woonplaats berekend (pagina Gegevens)")


# --------------------------------------------------------------------------- HTML

_CSS = """
body{font-family:"DejaVu Sans",Arial,Helvetica,sans-serif;font-size:10.5pt;color:#111;margin:0 auto;max-width:190mm;
 padding:10mm;line-height:1.35}
h1{font-size:17pt;margin:0 0 2mm}h2{font-size:14pt;margin:6mm 0 2mm;border-bottom:2px solid #08306b}
h3{font-size:11.5pt;margin:4mm 0 1.5mm}.sub{color:#444;margin:0 0 3mm}.demo{color:#8a2b00;font-weight:bold}
table{border-collapse:collapse;width:100%;font-size:9pt;margin:1mm 0 2mm}
th,td{border:1px solid #bbb;padding:1px 4px;text-align:right;vertical-align:top}
th{background:#e8eef5}td.l,th.l{text-align:left}tr.theme td{background:#f4f4f4;font-weight:bold;text-align:left}
.sig{color:#b35806;font-weight:bold}.note{background:#fffbe6;border-left:3px solid #e6ab02;padding:2px 6px;
 white-space:pre-wrap}.pre{white-space:pre-wrap}.small{font-size:8.5pt;color:#444}img{width:100%;height:auto}
section{page-break-before:always}section:first-of-type{page-break-before:auto}
footer{margin-top:6mm;font-size:8.5pt;color:#444;border-top:1px solid #bbb}
@page{size:A4 portrait;margin:15mm}
"""


def _e(text: object) -> str:
    return html.escape(str(text))


def _html_table(section: ProfileSection, rows: list[FigureRow]) -> str:
    head = ("<tr><th class='l'>Indicator</th>"
            f"<th>{_e(section.value_label)}</th><th>Teller / noemer</th>"
            + "".join(f"<th>{_e(label)}</th>" for label in section.reference_labels) + "</tr>")
    body, theme = [], None
    for r in rows:
        if r.theme != theme:
            theme = r.theme
            body.append(f"<tr class='theme'><td colspan='{3 + len(section.reference_labels)}'>"
                        f"{_e(theme.capitalize())}</td></tr>")
        mark = f" <span class='sig'>{SIGNAL_MARK}</span>" if r.signal else ""
        body.append(f"<tr><td class='l'>{_e(r.label)}</td><td>{_e(r.value)}{mark}</td><td>{_e(r.count)}</td>"
                    + "".join(f"<td>{_e(t)}</td>" for t in r.references) + "</tr>")
    return f"<table><thead>{head}</thead><tbody>{''.join(body)}</tbody></table>"


def profile_html(doc: ProfileDocument) -> str:
    """The document as one self-contained HTML page (inline CSS, maps as data: URIs)."""
    parts = [f"<!DOCTYPE html><html lang='nl'><head><meta charset='utf-8'><title>{_e(doc.title)}</title>"
             f"<style>{_CSS}</style></head><body>",
             f"<h1>{_e(doc.title)}</h1><p class='sub'>{_e(doc.subtitle)}</p>"]
    if doc.is_demo:
        parts.append("<p class='demo'>Demo: de eerstelijnszone, de gemeenten, de sectoren en alle cijfers zijn "
                     "fictief.</p>")
    for s in doc.sections:
        parts.append(f"<section><h2>{_e(s.title)}</h2><p class='sub'>{_e(s.context)} · {_e(s.population_text)}</p>")
        if s.map_png:
            data = base64.b64encode(s.map_png).decode("ascii")
            parts.append(f"<figure><img alt='Kaart: {_e(s.title)}' src='data:image/png;base64,{data}'>"
                         f"<figcaption class='small'>{_e(s.map_caption)}</figcaption></figure>")
        if s.sectors:
            parts.append("<h3>Statistische sectoren</h3><p class='small'>"
                         + ", ".join(f"{_e(n)} ({_e(c)})" for c, n in s.sectors) + "</p>")
        parts.append("<h3>Kerncijfers naast gemeente, eerstelijnszone en Vlaanderen</h3>")
        parts.append(_html_table(s, s.figures))
        parts.append(f"<p class='small'>{_e(VALUES_NOTE)} {_e(MISSING_NOTE)}"
                     + (f" <span class='sig'>{SIGNAL_MARK}</span> = geeft een signaal volgens de regel hieronder."
                        if s.level == "statsec" else "") + f" {_e(doc.omitted)} {_e(doc.source_line)}.</p>")
        parts.append("<h3>Signalen</h3>")
        if s.signal_rule:
            parts.append(f"<p class='small'>{_e(s.signal_rule)}</p>")
        if s.signals:
            parts.append("<ul>" + "".join(f"<li><b>{_e(x.signal)}</b>: {_e(x.text)}</li>" for x in s.signals) + "</ul>")
        else:
            parts.append("<p>Geen enkele indicator valt op volgens deze regel.</p>")
        parts.append(f"<p class='small'>{_e(SIGNAL_NOTE)}</p>")
        parts.append("<h3>Voorzieningen en bereikbaarheid</h3>")
        if s.access:
            parts.append(_html_table(s, s.access))
        else:
            parts.append("<p>Er is nog geen bereikbaarheid berekend voor deze gegevens.</p>")
        if s.level == "statsec":
            parts.append("<p>Voorzieningen in de sector: " + (_e(", ".join(f"{n} × {c}" for c, n in s.amenities))
                                                              if s.amenities else "geen") + ".</p>")
        parts.append(f"<h3>{_e(s.mismatch_heading)}</h3>")
        parts.append("<ul>" + "".join(f"<li>{_e(t)}</li>" for t in s.mismatch) + "</ul>" if s.mismatch else
                     "<p>Geen sector valt op voor deze combinatie van wie en wat.</p>")
        if s.notes or s.team_notes:
            parts.append("<h3>Samenvattende vragen en notities van de werkgroep</h3>")
            for n in s.notes:
                parts.append(f"<p><b>{_e(n.question)}</b></p>")
                if n.prefill:
                    parts.append(f"<p class='pre small'>{_e(n.prefill)}</p>")
                parts.append(f"<p class='note'>{_e(n.note)}</p>" if n.note else
                             "<p class='note'><i>(geen notitie)</i></p>")
            if s.team_notes:
                parts.append(f"<h3>Reflectie per bouwsteen ({_e(doc.team or '')})</h3>")
                for b, note in s.team_notes:
                    parts.append(f"<p><b>{_e(b)}</b></p><p class='note'>{_e(note)}</p>")
        parts.append("</section>")
    parts.append("<footer><b>Bronnen</b><br>" + "<br>".join(_e(x) for x in doc.sources)
                 + f"<br>{_e(doc.source_line)} · gemaakt op {_e(format_date(doc.created))}. De cijfers geven enkel "
                 "een signaal; de werkgroep beslist wat ze betekenen.</footer></body></html>")
    return "".join(parts)


# --------------------------------------------------------------------------- PDF

_FONTS_READY = False


def register_fonts() -> tuple[str, str]:
    """Register matplotlib's bundled DejaVu Sans (regular, bold) with reportlab; returns their names."""
    global _FONTS_READY
    if not _FONTS_READY:
        import matplotlib
        from reportlab.lib.fonts import addMapping
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont

        folder = os.path.join(matplotlib.get_data_path(), "fonts", "ttf")
        pdfmetrics.registerFont(TTFont("DejaVuSans", os.path.join(folder, "DejaVuSans.ttf")))
        pdfmetrics.registerFont(TTFont("DejaVuSans-Bold", os.path.join(folder, "DejaVuSans-Bold.ttf")))
        pdfmetrics.registerFontFamily("DejaVuSans", normal="DejaVuSans", bold="DejaVuSans-Bold",
                                      italic="DejaVuSans", boldItalic="DejaVuSans-Bold")
        addMapping("DejaVuSans", 0, 0, "DejaVuSans")
        addMapping("DejaVuSans", 1, 0, "DejaVuSans-Bold")
        _FONTS_READY = True
    return "DejaVuSans", "DejaVuSans-Bold"


def _x(text: object) -> str:
    """Text for a reportlab Paragraph (its mini-markup needs &, < and > escaped; newlines become <br/>)."""
    return html.escape(str(text), quote=False).replace("\n", "<br/>")


#: The PDF footer (the source line) wraps over at most this many lines, this far apart.
FOOTER_MAX_LINES = 8
FOOTER_LEADING_MM = 3.4


def a4_pdf(story: list, *, header: str, date_text: str, footer: str, subject: str = "", author: str = "zorgzaam"
           ) -> bytes:
    """Lay out a reportlab story on A4 portrait (20 mm margins) with, on every page, the header and date at the
    top (the header clipped with "…" where it would overlap the date) and the footer and "pagina x / y" at the
    bottom: a long footer (the sources) wraps over up to ``FOOTER_MAX_LINES`` lines and the text area makes room
    for them."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.lib.utils import simpleSplit
    from reportlab.pdfgen import canvas as rl_canvas
    from reportlab.platypus import SimpleDocTemplate

    regular, _bold = register_fonts()
    width = A4[0] - 40 * mm
    # The footer wraps beside the widest page number ("pagina 999 / 999"); the last line keeps "…" only when the
    # text would need more than FOOTER_MAX_LINES lines.
    footer_room = width - stringWidth("pagina 999 / 999", regular, 8) - 6 * mm
    footer_lines = simpleSplit(footer, regular, 8, footer_room) or [""]
    if len(footer_lines) > FOOTER_MAX_LINES:
        footer_lines = footer_lines[:FOOTER_MAX_LINES - 1] + [" ".join(footer_lines[FOOTER_MAX_LINES - 1:])]
    extra = (len(footer_lines) - 1) * FOOTER_LEADING_MM * mm

    def clip(text: str, room: float) -> str:
        if stringWidth(text, regular, 8) <= room:
            return text
        while text and stringWidth(text + "…", regular, 8) > room:
            text = text[:-1]
        return text + "…"

    class NumberedCanvas(rl_canvas.Canvas):
        """Draws header and footer after layout, so every page knows the page count."""

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages = []

        def showPage(self):  # noqa: N802 - reportlab's name
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self._decorate(total)
                super().showPage()
            super().save()

        def _decorate(self, total: int) -> None:
            w, h = A4
            page = f"pagina {self._pageNumber} / {total}"
            self.saveState()
            self.setFont(regular, 8)
            self.setFillColor(colors.HexColor("#444444"))
            self.drawString(20 * mm, h - 12 * mm, clip(header, width - stringWidth(date_text, regular, 8) - 6 * mm))
            self.drawRightString(w - 20 * mm, h - 12 * mm, date_text)
            self.setStrokeColor(colors.HexColor("#bbbbbb"))
            self.line(20 * mm, h - 13.5 * mm, w - 20 * mm, h - 13.5 * mm)
            self.line(20 * mm, 13.5 * mm + extra, w - 20 * mm, 13.5 * mm + extra)
            for k, text in enumerate(footer_lines):
                y = 9.5 * mm + extra - k * FOOTER_LEADING_MM * mm
                self.drawString(20 * mm, y, clip(text, footer_room))
            self.drawRightString(w - 20 * mm, 9.5 * mm + extra, page)
            self.restoreState()

    buffer = io.BytesIO()
    template = SimpleDocTemplate(buffer, pagesize=A4, leftMargin=20 * mm, rightMargin=20 * mm, topMargin=18 * mm,
                                 bottomMargin=18 * mm + extra, title=header, author=author, subject=subject,
                                 lang="nl-BE")
    template.build(story, canvasmaker=NumberedCanvas)
    return buffer.getvalue()


def profile_pdf(doc: ProfileDocument) -> bytes:
    """The document as an A4 portrait PDF: header (title, date) and footer (page x/y, source) on every
    page, tables that split across pages with their header repeated, each section on a new page."""
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_RIGHT
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Image, KeepTogether, PageBreak, Paragraph, Spacer, Table, TableStyle

    regular, bold = register_fonts()
    from reportlab import rl_config

    rl_config.useA85 = 0  # binary image streams: ASCII85 in pure Python made the maps the slowest part
    base = ParagraphStyle("zz", fontName=regular, fontSize=9.5, leading=12.5)
    small = ParagraphStyle("zz-small", parent=base, fontSize=8, leading=10, textColor=colors.HexColor("#333333"))
    cell = ParagraphStyle("zz-cell", parent=base, fontSize=7.6, leading=9.2)
    cell_r = ParagraphStyle("zz-cell-r", parent=cell, alignment=TA_RIGHT)
    head_cell = ParagraphStyle("zz-head", parent=cell, fontName=bold, fontSize=6.8, leading=8.2)
    head_cell_r = ParagraphStyle("zz-head-r", parent=head_cell, alignment=TA_RIGHT)
    h1 = ParagraphStyle("zz-h1", parent=base, fontName=bold, fontSize=16, leading=20, spaceAfter=3)
    h2 = ParagraphStyle("zz-h2", parent=base, fontName=bold, fontSize=13.5, leading=17, spaceAfter=2,
                        textColor=colors.HexColor("#08306b"))
    h3 = ParagraphStyle("zz-h3", parent=base, fontName=bold, fontSize=10.5, leading=13, spaceBefore=6, spaceAfter=2)
    note_style = ParagraphStyle("zz-note", parent=base, backColor=colors.HexColor("#fffbe6"), borderPadding=3,
                                leftIndent=3, rightIndent=3, spaceBefore=2, spaceAfter=5)
    sig_colour = "#b35806"
    width = A4[0] - 40 * mm

    from reportlab.pdfbase.pdfmetrics import stringWidth

    def fit(text: str, col_width: float, colour: str | None = None):
        if stringWidth(text, regular, 7.6) <= col_width - 5.5:
            return text
        body = _x(text)
        return Paragraph(f"<font color='{colour}'>{body}</font>" if colour else body, cell_r)

    def figure_table(section: ProfileSection, rows: list[FigureRow]) -> Table:
        n_refs = len(section.reference_labels)
        label_w = 52 * mm
        count_w = 20 * mm
        rest = (width - label_w - count_w) / (1 + n_refs)
        header = [Paragraph("Indicator", head_cell), Paragraph(_x(section.value_label), head_cell_r),
                  Paragraph("Teller / noemer", head_cell_r)] + \
            [Paragraph(_x(label), head_cell_r) for label in section.reference_labels]
        data, styles, theme = [header], [], None
        for r in rows:
            if r.theme != theme:
                theme = r.theme
                data.append([Paragraph(_x(theme.capitalize()), head_cell)] + [""] * (2 + n_refs))
                i = len(data) - 1
                styles += [("SPAN", (0, i), (-1, i)), ("BACKGROUND", (0, i), (-1, i), colors.HexColor("#f2f2f2"))]
            # Plain strings for the figures (far faster than a Paragraph per cell); a text wider than its
            # column ("41,6 per 100 inwoners 20-64 jaar") becomes a Paragraph, which wraps instead of overlapping.
            value = r.value + (f" {SIGNAL_MARK}" if r.signal else "")
            figures = [fit(t, w, sig_colour if (k == 0 and r.signal) else None)
                       for k, (t, w) in enumerate(zip([value, r.count, *r.references], [rest, count_w] + [rest] * n_refs))]
            data.append([Paragraph(_x(r.label), cell), *figures])
            if r.signal:
                styles.append(("TEXTCOLOR", (1, len(data) - 1), (1, len(data) - 1), colors.HexColor(sig_colour)))
        table = Table(data, colWidths=[label_w, rest, count_w] + [rest] * n_refs, repeatRows=1)
        table.setStyle(TableStyle([
            ("GRID", (0, 0), (-1, -1), 0.3, colors.HexColor("#bbbbbb")),
            ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef5")),
            ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ("FONTNAME", (1, 1), (-1, -1), regular), ("FONTSIZE", (1, 1), (-1, -1), 7.6),
            ("LEADING", (1, 1), (-1, -1), 9.2), ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
            ("TOPPADDING", (0, 0), (-1, -1), 1.2), ("BOTTOMPADDING", (0, 0), (-1, -1), 1.2),
            ("LEFTPADDING", (0, 0), (-1, -1), 2.5), ("RIGHTPADDING", (0, 0), (-1, -1), 2.5),
        ] + styles))
        return table

    story = [Paragraph(_x(doc.title), h1), Paragraph(_x(doc.subtitle), small)]
    if doc.is_demo:
        story.append(Paragraph(f"<font color='#8a2b00'><b>Demo</b>: de eerstelijnszone, de gemeenten, de sectoren "
                               "en alle cijfers zijn fictief.</font>", small))
    story.append(Spacer(1, 3 * mm))
    for k, s in enumerate(doc.sections):
        if k:
            story.append(PageBreak())
        story += [Paragraph(_x(s.title), h2), Paragraph(_x(f"{s.context} · {s.population_text}"), small),
                  Spacer(1, 2 * mm)]
        if s.map_png:
            img = Image(io.BytesIO(s.map_png))
            ratio = img.imageHeight / img.imageWidth
            img.drawWidth, img.drawHeight = width, width * ratio
            story += [img, Paragraph(_x(s.map_caption), small)]
        if s.sectors:
            story += [Paragraph("Statistische sectoren", h3),
                      Paragraph(_x(", ".join(f"{n} ({c})" for c, n in s.sectors)), small)]
        story += [Paragraph("Kerncijfers naast gemeente, eerstelijnszone en Vlaanderen", h3),
                  figure_table(s, s.figures),
                  Paragraph(_x(f"{VALUES_NOTE} {MISSING_NOTE}")
                            + (f" <font color='{sig_colour}'>{SIGNAL_MARK}</font> = geeft een signaal volgens de "
                               "regel hieronder." if s.level == "statsec" else "") + " " + _x(doc.omitted), small)]
        block = [Paragraph("Signalen", h3)]
        if s.signal_rule:
            block.append(Paragraph(_x(s.signal_rule), small))
        if s.signals:
            block += [Paragraph(f"• <b>{_x(x.signal)}</b>: {_x(x.text)}", base) for x in s.signals]
        else:
            block.append(Paragraph("Geen enkele indicator valt op volgens deze regel.", base))
        block.append(Paragraph(_x(SIGNAL_NOTE), small))
        story.append(KeepTogether(block))
        story.append(Paragraph("Voorzieningen en bereikbaarheid", h3))
        if s.access:
            story.append(figure_table(s, s.access))
        else:
            story.append(Paragraph("Er is nog geen bereikbaarheid berekend voor deze gegevens.", base))
        if s.level == "statsec":
            inside = ", ".join(f"{n} × {c}" for c, n in s.amenities) if s.amenities else "geen"
            story.append(Paragraph(f"Voorzieningen in de sector: {_x(inside)}.", base))
        story.append(Paragraph(_x(s.mismatch_heading), h3))
        if s.mismatch:
            story += [Paragraph(f"• {_x(t)}", base) for t in s.mismatch]
        else:
            story.append(Paragraph("Geen sector valt op voor deze combinatie van wie en wat.", base))
        if s.notes or s.team_notes:
            story.append(Paragraph("Samenvattende vragen en notities van de werkgroep", h3))
            for n in s.notes:
                story.append(Paragraph(f"<b>{_x(n.question)}</b>", base))
                if n.prefill:
                    story.append(Paragraph(_x(n.prefill), small))
                story.append(Paragraph(_x(n.note) if n.note else "<i>(geen notitie)</i>", note_style))
            if s.team_notes:
                story.append(Paragraph(_x(f"Reflectie per bouwsteen ({doc.team or ''})"), h3))
                for b, note in s.team_notes:
                    story += [Paragraph(f"<b>{_x(b)}</b>", base), Paragraph(_x(note), note_style)]
    story += [Spacer(1, 4 * mm), Paragraph("<b>Bronnen</b>", base)] + [Paragraph(_x(x), small) for x in doc.sources]
    story.append(Paragraph(_x("De cijfers geven enkel een signaal; de werkgroep beslist wat ze betekenen."), small))

    return a4_pdf(story, header=doc.title, date_text=format_date(doc.created), footer=doc.source_line,
                  subject=doc.subtitle)


__all__ = ["a4_pdf", "FigureRow", "NoteLine", "ProfileDocument", "ProfileError", "ProfileSection", "SignalLine",
           "build_profiles", "profile_html", "profile_pdf", "register_fonts"]
