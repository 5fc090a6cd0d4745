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
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd
import shapely

from ..access import DEFAULTS, lack_phrase
from ..analysis import DEFAULT_MEASURE, AnalysisChoice, ZoneAnalysis, analyse
from ..bouwstenen import BOUWSTENEN
from ..catalogue import Catalogue
from ..comparisons import REFERENCE_LEVELS, Reference, references
from ..engine import available_periods, compute, latest_period
from ..environment import amenities_in_sectors, amenity_counts, category_label
from ..sources import dataset_rows, source_text
from ..formatting import format_date, format_figure, format_number
from ..keyfigures import SMALL_SECTOR_THRESHOLD, population_text, small_sector_flags
from ..mismatch import MISMATCH_QUESTIONS, attention_sentence, gap_sentence
from ..profiles import profile_indicators
from ..signals import EVALUATION_COLUMNS, SignalRule, sector_signal_lines, signal_states
from ..store import Store
from ..summary import QUESTIONS
from ..whowhat import DEFAULT_NEED, NEEDS, NeedOption
from .map_image import profile_map_png
from .pdf_frame import a4_pdf, register_fonts
from .pdf_frame import pdf_text as _x

ACCESS_THEME = "voorzieningen en bereikbaarheid"
SIGNAL_MARK = "●"
SMALL_TEXT = "weinig inwoners: voorzichtig interpreteren"
SIGNAL_NOTE = "Een signaal is een vraag om te verkennen met wie de buurt kent, geen oordeel over een buurt."
MISSING_NOTE = (
    "x = verborgen door de bron (te klein) of niet op te tellen · - = geen gegevens · "
    "≈ = onvolledig: berekend over de gekende sectoren, met het aandeel dat ze dekken · "
    "(jaar) = laatste jaar met cijfers, ouder dan de gevraagde periode · "
    "nvt = niet van toepassing (noemer 0); nooit 0."
)
VALUES_NOTE = (
    "Bij aantallen staat het totaal van het gebied; bij percentages en verhoudingen het gemiddelde van "
    "het gebied (een verhouding van totalen)."
)


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
    return (
        f"{len(left_out)} indicatoren staan niet in dit profiel: de databank heeft er geen gegevens voor "
        "(importeer ze via Gegevens)."
    )


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


def _figure_rows(
    lookup: Lookup,
    level: str,
    code: str,
    refs: list[Reference],
    codes: list[str],
    catalogue: Catalogue,
    raised: set[str],
    period: str,
) -> list[FigureRow]:
    rows = []
    for ind_code in codes:
        ind = catalogue.indicator(ind_code)
        own = lookup.get((level, code, ind_code), _MISSING_ROW)
        status = own["status"]
        ref_texts = tuple(
            format_figure(ind, lookup.get((r.level, r.code, ind_code), _MISSING_ROW), period) for r in refs
        )
        rows.append(
            FigureRow(
                ind_code,
                ind.label,
                ind.theme,
                ind.unit,
                format_figure(ind, own, period),
                status,
                _count_text(ind, own["numerator"], own["denominator"], status),
                ref_texts,
                ind_code in raised,
            )
        )
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
            raise ProfileError(
                f"Er zijn geen statistische sectoren van gemeente {found['name'].iloc[0]} in de databank."
            )
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

    # Each care zone analysed once (zorgzaam.analysis): every sector's figures, signals and Wie vs wat against
    # its own zone, as on the pages; one engine call for every reference area.
    analyses: dict[str, ZoneAnalysis] = {}
    for z in zones:
        choice = AnalysisChoice(elz=z, municipality=municipality if municipality else None, period=period, rule=rule)
        analyses[z] = analyse(store, choice, indicators)
    frames = [a.results for a in analyses.values()]
    zone_sectors = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    computed = set(zone_sectors["area_code"]) if len(zone_sectors) else set()
    missing = [c for c in codes if c not in computed]
    if missing:  # sectors without a care zone
        extra = compute(store, indicators, areas=[("statsec", c) for c in missing], period=period, catalogue=catalogue)
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
    ref_result = (
        compute(store, indicators, areas=list(ref_areas), period=period, catalogue=catalogue)
        if ref_areas
        else pd.DataFrame(columns=zone_sectors.columns)
    )
    result = _lookup(pd.concat([zone_sectors, ref_result], ignore_index=True))

    names = dict(zip(zone_sectors["area_code"], zone_sectors["area_name"]))
    small_flags = pd.concat(
        [a.small for a in analyses.values()]
        + (
            [small_sector_flags(zone_sectors[zone_sectors["area_code"].isin(missing)], SMALL_SECTOR_THRESHOLD)]
            if missing
            else []
        )
    )

    def is_small(code: str) -> bool:
        return bool(small_flags.get(code, False))

    def analysis_of(code: str) -> ZoneAnalysis | None:
        return analyses.get(elz_of.get(code))

    # Geometry (Lambert) of every sector of the zones, for the maps and the amenities inside.
    all_codes = sorted(set(zone_sectors["area_code"]))
    raw = store.geometries("statsec", all_codes, display=False)
    geo = pd.DataFrame(
        {
            "code": raw["code"],
            "name": raw["name"],
            "geometry": list(shapely.from_wkb(raw["geometry"])) if len(raw) else [],
        }
    )
    geo = geo[np.array([g is not None and not g.is_empty for g in geo["geometry"]], dtype=bool)].reset_index(drop=True)
    amenities_in = _amenities_in(store, geo, codes)

    sections: list[ProfileSection] = []
    if municipality:
        sections.append(
            _municipality_section(
                store,
                analysis_of(codes[0]),
                municipality,
                codes,
                period,
                result,
                refs_of[("gemeente", municipality)],
                indicators,
                catalogue,
                geo,
                map_source,
                with_maps,
                today,
            )
        )
    for code in codes:
        sections.append(
            _sector_section(
                store,
                analysis_of(code),
                code,
                names.get(code, code),
                period,
                result,
                refs_of[("statsec", code)],
                indicators,
                catalogue,
                rule,
                result.get(("statsec", code, "pop_total")),
                is_small(code),
                amenities_in.get(code, []),
                geo,
                map_source,
                with_maps,
                today,
                with_municipality_notes=not municipality,
                gemeente=gemeente_of.get(code),
            )
        )
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
    return ProfileDocument(
        title,
        subtitle,
        period,
        today,
        source,
        source_rows,
        is_demo,
        team,
        sections,
        _omitted_text(catalogue, indicators),
    )


def _amenities_in(store: Store, geo: pd.DataFrame, codes: list[str]) -> dict[str, list[tuple[str, int]]]:
    part = geo[geo["code"].isin(codes)]
    if part.empty:
        return {}
    points = amenities_in_sectors(store, part)  # each place once, as access counts
    if points.empty:
        return {}
    counts = amenity_counts(points, points["statsec"], codes)
    return {code: [(category_label(c), int(n)) for c, n in row.items() if n > 0] for code, row in counts.iterrows()}


def _map(
    geo: pd.DataFrame, highlight: list[str], title: str, source: str, period: str, label: str, today: date
) -> bytes | None:
    focus = list(geo.loc[geo["code"].isin(highlight), "geometry"])
    if not focus:
        return None
    return profile_map_png(
        _neighbours(geo, focus), highlight, title=title, source=source, period=period, highlight_label=label, on=today
    )


def _wie_vs_wat() -> tuple[NeedOption, str]:
    """The Wie vs wat page's defaults: the need, and the phrase of the lack of access to the basic basket."""
    return NEEDS[DEFAULT_NEED], lack_phrase(DEFAULT_MEASURE, DEFAULTS)


def _sector_section(
    store,
    a: ZoneAnalysis | None,
    code,
    name,
    period,
    result,
    refs,
    indicators,
    catalogue,
    rule,
    population,
    small,
    amenities,
    geo,
    source,
    with_maps,
    today,
    with_municipality_notes,
    gemeente,
) -> ProfileSection:
    zone_label = a.zone_label if a is not None else "eerstelijnszone"
    raised = a.raised_indicators(code) if a is not None else set()
    rows = _figure_rows(result, "statsec", code, refs, indicators, catalogue, raised, period)
    context = " · ".join(
        r.label if r.level != "elz" else f"eerstelijnszone {r.name}" for r in refs if r.level in ("gemeente", "elz")
    )
    pop_text = population_text(population, period)
    need, phrase = _wie_vs_wat()
    mismatch = []
    heading = f"Wie vs wat: {need.label} tegenover het basispakket ({phrase})"
    if a is not None and a.mismatch is not None:
        row = a.mismatch[a.mismatch["statsec"] == code]
        if not row.empty:
            r = row.iloc[0]
            gap = gap_sentence(need.label, r["need_status"], r["lack_share"])
            # A hidden need keeps the sentence that says so ("niet gepubliceerd"); no data is said as such.
            mismatch.append(
                gap
                if gap and r["need_status"] in ("ontbrekend", "nvt")
                else attention_sentence(
                    name, need.group_label, r["group_count"], r["lack_share"], "woont " + phrase, bool(r["small"])
                )
            )
    elif a is not None and a.mismatch_gap:
        mismatch.append(a.mismatch_gap)
    notes = []
    if with_municipality_notes and gemeente:
        gem_notes = _notes_of(store, a, "gemeente", gemeente, period)
        gem_name = store.find_area(gemeente, "gemeente")["name"].iloc[0]
        notes += _note_lines(gem_notes, f" (gemeente {gem_name})", {})
    notes += _note_lines(_notes_of(store, a, "statsec", code, period), "", {})
    if a is not None:
        signals = a.signal_lines(code)
    else:  # a sector without a care zone: nothing to compare with
        variables = store.variables()
        signals = sector_signal_lines(
            pd.DataFrame(columns=EVALUATION_COLUMNS),
            signal_states(pd.DataFrame(columns=EVALUATION_COLUMNS), [code], catalogue, variables),
            code,
            rule,
            zone_label,
            catalogue,
        )
    map_png = _map(geo, [code], f"{name} ({code})", source, period, "deze sector", today) if with_maps else None
    return ProfileSection(
        level="statsec",
        code=code,
        name=name,
        title=f"Sector {name} ({code})",
        context=context,
        population_text=pop_text + (f" · ⚠ {SMALL_TEXT}" if small else ""),
        small=small,
        value_label="Sector",
        reference_labels=tuple(r.label for r in refs),
        figures=[f for f in rows if f.theme != ACCESS_THEME],
        access=[f for f in rows if f.theme == ACCESS_THEME],
        amenities=amenities,
        signals=[SignalLine(label, text) for label, text in signals],
        signal_rule=_markdown_bold(rule.describe(zone_label)),
        mismatch_heading=heading,
        mismatch=mismatch,
        notes=notes,
        map_png=map_png,
        map_caption=f"Sector {name} (dikke rand) tussen de omliggende sectoren · noorden boven · periode {period}",
    )


def _notes_of(store: Store, a: ZoneAnalysis | None, level: str, code: str, period: str) -> dict[str, str]:
    """The werkgroep's notes for one area: from the analysis of its zone, else from the store."""
    return a.notes_of(level, code, period) if a is not None else store.summary_notes(level, code, period)


def _note_lines(
    notes: dict[str, str], suffix: str, prefills: dict[str, str], all_questions: bool = False
) -> list[NoteLine]:
    questions = [(q.key, f"{q.number} {q.text}") for q in QUESTIONS] + [
        (k, f"{k} {t}") for k, t in MISMATCH_QUESTIONS.items()
    ]
    out = []
    for key, text in questions:
        note = notes.get(key, "")
        if note or all_questions:
            out.append(NoteLine(text + suffix, prefills.get(key, ""), note))
    return out


def _municipality_section(
    store,
    a: ZoneAnalysis | None,
    code,
    sector_codes,
    period,
    result,
    refs,
    indicators,
    catalogue,
    geo,
    source,
    with_maps,
    today,
) -> ProfileSection:
    name = store.find_area(code, "gemeente")["name"].iloc[0]
    view_label = f"gemeente {name}"
    zone_ref = next((r for r in refs if r.level == "elz"), None)
    rows = _figure_rows(result, "gemeente", code, refs, indicators, catalogue, set(), period)
    small_codes = a.small_codes(sector_codes) if a is not None else []
    prefills = a.question_texts(sector_codes, markdown=False) if a is not None else {}
    need, phrase = _wie_vs_wat()
    mismatch, heading = [], f"Wie vs wat in {view_label}: {need.label} tegenover het basispakket ({phrase})"
    if a is not None:
        answers = a.mismatch_answers(sector_codes, view_label)
        prefills.update(answers)
        data = a.mismatch_rows(sector_codes)
        mismatch = list(a.attention(sector_codes)["sentence"]) if a.mismatch is not None else []
        if data.empty or not (data["need_value"].notna() & data["lack_share"].notna()).any():
            mismatch = [answers["8.1"]]  # "Geen gegevens: …", not "no sector stands out"
    notes = _note_lines(_notes_of(store, a, "gemeente", code, period), "", prefills, all_questions=True)
    total = next((f for f in rows if f.indicator == "pop_total"), None)
    signals = [SignalLine(label, text) for label, text in a.view_signal_lines(sector_codes)] if a is not None else []
    map_png = (
        _map(
            geo,
            list(sector_codes),
            f"Gemeente {name}: {len(sector_codes)} statistische sectoren",
            source,
            period,
            f"sectoren van gemeente {name}",
            today,
        )
        if with_maps
        else None
    )
    sector_names = dict(zip(a.zone_sectors["code"], a.zone_sectors["name"])) if a is not None else {}
    return ProfileSection(
        level="gemeente",
        code=code,
        name=name,
        title=f"Gemeente {name} ({code})",
        context=f"eerstelijnszone {zone_ref.name}" if zone_ref else "",
        population_text=(
            f"{total.value} · {len(sector_codes)} statistische sectoren, waarvan {len(small_codes)} met "
            f"weinig inwoners (minder dan {format_number(SMALL_SECTOR_THRESHOLD)} of verborgen)"
        )
        if total
        else f"{len(sector_codes)} statistische sectoren",
        small=False,
        value_label=f"gemeente {name}",
        reference_labels=tuple(r.label for r in refs),
        figures=[f for f in rows if f.theme != ACCESS_THEME],
        access=[f for f in rows if f.theme == ACCESS_THEME],
        amenities=[],
        signals=signals,
        signal_rule="",
        mismatch_heading=heading,
        mismatch=mismatch,
        notes=notes,
        map_png=map_png,
        map_caption=f"De sectoren van gemeente {name} tussen de omliggende sectoren · noorden boven",
        sectors=[(c, str(sector_names.get(c, c))) for c in sector_codes],
    )


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
    head = (
        "<tr><th class='l'>Indicator</th>"
        f"<th>{_e(section.value_label)}</th><th>Teller / noemer</th>"
        + "".join(f"<th>{_e(label)}</th>" for label in section.reference_labels)
        + "</tr>"
    )
    body, theme = [], None
    for r in rows:
        if r.theme != theme:
            theme = r.theme
            body.append(
                f"<tr class='theme'><td colspan='{3 + len(section.reference_labels)}'>"
                f"{_e(theme.capitalize())}</td></tr>"
            )
        mark = f" <span class='sig'>{SIGNAL_MARK}</span>" if r.signal else ""
        body.append(
            f"<tr><td class='l'>{_e(r.label)}</td><td>{_e(r.value)}{mark}</td><td>{_e(r.count)}</td>"
            + "".join(f"<td>{_e(t)}</td>" for t in r.references)
            + "</tr>"
        )
    return f"<table><thead>{head}</thead><tbody>{''.join(body)}</tbody></table>"


def profile_html(doc: ProfileDocument) -> str:
    """The document as one self-contained HTML page (inline CSS, maps as data: URIs)."""
    parts = [
        f"<!DOCTYPE html><html lang='nl'><head><meta charset='utf-8'><title>{_e(doc.title)}</title>"
        f"<style>{_CSS}</style></head><body>",
        f"<h1>{_e(doc.title)}</h1><p class='sub'>{_e(doc.subtitle)}</p>",
    ]
    if doc.is_demo:
        parts.append(
            "<p class='demo'>Demo: de eerstelijnszone, de gemeenten, de sectoren en alle cijfers zijn fictief.</p>"
        )
    for s in doc.sections:
        parts.append(f"<section><h2>{_e(s.title)}</h2><p class='sub'>{_e(s.context)} · {_e(s.population_text)}</p>")
        if s.map_png:
            data = base64.b64encode(s.map_png).decode("ascii")
            parts.append(
                f"<figure><img alt='Kaart: {_e(s.title)}' src='data:image/png;base64,{data}'>"
                f"<figcaption class='small'>{_e(s.map_caption)}</figcaption></figure>"
            )
        if s.sectors:
            parts.append(
                "<h3>Statistische sectoren</h3><p class='small'>"
                + ", ".join(f"{_e(n)} ({_e(c)})" for c, n in s.sectors)
                + "</p>"
            )
        parts.append("<h3>Kerncijfers naast gemeente, eerstelijnszone en Vlaanderen</h3>")
        parts.append(_html_table(s, s.figures))
        parts.append(
            f"<p class='small'>{_e(VALUES_NOTE)} {_e(MISSING_NOTE)}"
            + (
                f" <span class='sig'>{SIGNAL_MARK}</span> = geeft een signaal volgens de regel hieronder."
                if s.level == "statsec"
                else ""
            )
            + f" {_e(doc.omitted)} {_e(doc.source_line)}.</p>"
        )
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
            parts.append(
                "<p>Voorzieningen in de sector: "
                + (_e(", ".join(f"{n} × {c}" for c, n in s.amenities)) if s.amenities else "geen")
                + ".</p>"
            )
        parts.append(f"<h3>{_e(s.mismatch_heading)}</h3>")
        parts.append(
            "<ul>" + "".join(f"<li>{_e(t)}</li>" for t in s.mismatch) + "</ul>"
            if s.mismatch
            else "<p>Geen sector valt op voor deze combinatie van wie en wat.</p>"
        )
        if s.notes or s.team_notes:
            parts.append("<h3>Samenvattende vragen en notities van de werkgroep</h3>")
            for n in s.notes:
                parts.append(f"<p><b>{_e(n.question)}</b></p>")
                if n.prefill:
                    parts.append(f"<p class='pre small'>{_e(n.prefill)}</p>")
                parts.append(
                    f"<p class='note'>{_e(n.note)}</p>" if n.note else "<p class='note'><i>(geen notitie)</i></p>"
                )
            if s.team_notes:
                parts.append(f"<h3>Reflectie per bouwsteen ({_e(doc.team or '')})</h3>")
                for b, note in s.team_notes:
                    parts.append(f"<p><b>{_e(b)}</b></p><p class='note'>{_e(note)}</p>")
        parts.append("</section>")
    parts.append(
        "<footer><b>Bronnen</b><br>"
        + "<br>".join(_e(x) for x in doc.sources)
        + f"<br>{_e(doc.source_line)} · gemaakt op {_e(format_date(doc.created))}. De cijfers geven enkel "
        "een signaal; de werkgroep beslist wat ze betekenen.</footer></body></html>"
    )
    return "".join(parts)


# --------------------------------------------------------------------------- PDF


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
    h2 = ParagraphStyle(
        "zz-h2",
        parent=base,
        fontName=bold,
        fontSize=13.5,
        leading=17,
        spaceAfter=2,
        textColor=colors.HexColor("#08306b"),
    )
    h3 = ParagraphStyle("zz-h3", parent=base, fontName=bold, fontSize=10.5, leading=13, spaceBefore=6, spaceAfter=2)
    note_style = ParagraphStyle(
        "zz-note",
        parent=base,
        backColor=colors.HexColor("#fffbe6"),
        borderPadding=3,
        leftIndent=3,
        rightIndent=3,
        spaceBefore=2,
        spaceAfter=5,
    )
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
        header = [
            Paragraph("Indicator", head_cell),
            Paragraph(_x(section.value_label), head_cell_r),
            Paragraph("Teller / noemer", head_cell_r),
        ] + [Paragraph(_x(label), head_cell_r) for label in section.reference_labels]
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
            figures = [
                fit(t, w, sig_colour if (k == 0 and r.signal) else None)
                for k, (t, w) in enumerate(zip([value, r.count, *r.references], [rest, count_w] + [rest] * n_refs))
            ]
            data.append([Paragraph(_x(r.label), cell), *figures])
            if r.signal:
                styles.append(("TEXTCOLOR", (1, len(data) - 1), (1, len(data) - 1), colors.HexColor(sig_colour)))
        table = Table(data, colWidths=[label_w, rest, count_w] + [rest] * n_refs, repeatRows=1)
        table.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.3, colors.HexColor("#bbbbbb")),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef5")),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("FONTNAME", (1, 1), (-1, -1), regular),
                    ("FONTSIZE", (1, 1), (-1, -1), 7.6),
                    ("LEADING", (1, 1), (-1, -1), 9.2),
                    ("ALIGN", (1, 1), (-1, -1), "RIGHT"),
                    ("TOPPADDING", (0, 0), (-1, -1), 1.2),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 1.2),
                    ("LEFTPADDING", (0, 0), (-1, -1), 2.5),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 2.5),
                ]
                + styles
            )
        )
        return table

    story = [Paragraph(_x(doc.title), h1), Paragraph(_x(doc.subtitle), small)]
    if doc.is_demo:
        story.append(
            Paragraph(
                "<font color='#8a2b00'><b>Demo</b>: de eerstelijnszone, de gemeenten, de sectoren "
                "en alle cijfers zijn fictief.</font>",
                small,
            )
        )
    story.append(Spacer(1, 3 * mm))
    for k, s in enumerate(doc.sections):
        if k:
            story.append(PageBreak())
        story += [
            Paragraph(_x(s.title), h2),
            Paragraph(_x(f"{s.context} · {s.population_text}"), small),
            Spacer(1, 2 * mm),
        ]
        if s.map_png:
            img = Image(io.BytesIO(s.map_png))
            ratio = img.imageHeight / img.imageWidth
            img.drawWidth, img.drawHeight = width, width * ratio
            story += [img, Paragraph(_x(s.map_caption), small)]
        if s.sectors:
            story += [
                Paragraph("Statistische sectoren", h3),
                Paragraph(_x(", ".join(f"{n} ({c})" for c, n in s.sectors)), small),
            ]
        story += [
            Paragraph("Kerncijfers naast gemeente, eerstelijnszone en Vlaanderen", h3),
            figure_table(s, s.figures),
            Paragraph(
                _x(f"{VALUES_NOTE} {MISSING_NOTE}")
                + (
                    f" <font color='{sig_colour}'>{SIGNAL_MARK}</font> = geeft een signaal volgens de regel hieronder."
                    if s.level == "statsec"
                    else ""
                )
                + " "
                + _x(doc.omitted),
                small,
            ),
        ]
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

    return a4_pdf(
        story, header=doc.title, date_text=format_date(doc.created), footer=doc.source_line, subject=doc.subtitle
    )


__all__ = [
    "FigureRow",
    "NoteLine",
    "ProfileDocument",
    "ProfileError",
    "ProfileSection",
    "SignalLine",
    "build_profiles",
    "profile_html",
    "profile_pdf",
]
