"""The samenvattende tabel: per sector what stands out, as XLSX (with the figures behind it) and CSV.

Per statistical sector one row with the notable findings of

* the quantitative analysis: the signals the rule of zorgzaam.signals raises, each indicator with
  its value beside the care-zone average (as on the "Wie woont er?" page);
* the spatial analysis: the residents' settlement type (kern, lint, verspreide bebouwing) and the
  share without the basic basket within 1,2 km or a bus within 400 m (when the store has access);
* the mismatch of the default wie/wat (80-plussers far from the basic basket): the sentence of
  the "Wie vs wat" page when the sector is in the attention list;
* the werkgroep's notes on the summary questions that name the sector or its municipality.

The workbook adds the figures (value, numerator, denominator, status: a hidden value stays an empty
cell, never 0), the indicator metadata, the team's bouwstenen scores and poll results (anonymous:
counts per answer only) and a sheet about the file. No Streamlit.

Which polls: the rounds the team took over as its self-assessment (team_scores keeps the poll
session), plus any session given with its facilitator token (``polls`` demands it, as the poll
export does).
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from .. import bouwstenen, polls, werkgroep
from ..analysis import AnalysisChoice, ZoneAnalysis, analyse
from ..catalogue import SIGNALS, USER_THEME, Catalogue, Indicator
from ..demo_source import DEMO_SOURCE
from ..spreadsheet import csv_text, text_not_formulas
from ..engine import compute
from ..formatting import STATUS_LABEL, format_date, format_figure, format_indicator, format_number
from ..keyfigures import SMALL_SECTOR_THRESHOLD, START_KEY_FIGURES
from ..meeting_content import NOT_IN_ATTENTION, SMALL_MARK
from ..signals import NO_DATA, NO_DATA_MARK, SignalRule, raised_details, signal_indicators
from ..sources import dataset_label, dataset_rows
from ..store import Store
from ..summary import COMPOSITION_INDICATORS

#: Column of ``summary_rows`` → Dutch header of the Samenvatting sheet and the CSV.
SUMMARY_HEADERS: dict[str, str] = {
    "code": "Sectorcode",
    "name": "Sector",
    "gemeente": "Gemeente",
    "inwoners": "Inwoners",
    "small": "Weinig inwoners",
    "n_signal_indicators": "Aantal indicatoren met een signaal",
    "signals": "Signalen (kwantitatieve analyse)",
    "signal_details": "Wat valt op t.o.v. de eerstelijnszone",
    "spatial": "Ruimtelijke analyse",
    "mismatch": "(Mis)match wie en wat",
    "notes_sector": "Notities werkgroep over deze sector",
    "notes_municipality": "Notities werkgroep over de gemeente",
}

SHEETS: tuple[str, ...] = ("Samenvatting", "Cijfers", "Indicatoren", "Bouwstenen", "Peilingen", "Over dit bestand")

#: Indicators of the spatial analysis in the summary (when the store holds access counts).
SPATIAL_INDICATORS: tuple[str, ...] = (
    "pct_in_kern",
    "pct_in_lint",
    "pct_in_verspreid",
    "pct_no_basket_1200m",
    "pct_no_bus_400m",
    "pct_80plus_no_basket_1200m",
    "pct_80plus_no_bus_400m",
)

#: Column of ``indicator_metadata`` → Dutch header.
METADATA_HEADERS: dict[str, str] = {
    "code": "Code",
    "label": "Indicator",
    "theme": "Thema",
    "definition": "Definitie",
    "formula": "Formule",
    "unit": "Eenheid",
    "denominator": "Noemer",
    "source": "Bron",
    "period": "Periode",
}

#: Column of the figures frame → Dutch header of the Cijfers sheet.
FIGURE_HEADERS: dict[str, str] = {
    "area_code": "Sectorcode",
    "area_name": "Sector",
    "gemeente": "Gemeente",
    "indicator": "Indicatorcode",
    "label": "Indicator",
    "period": "Periode",
    "value": "Waarde",
    "unit": "Eenheid",
    "numerator": "Teller",
    "denominator": "Noemer",
    "denominator_kind": "Noemer (soort)",
    "status": "Status",
    "status_text": "Toelichting status",
    "zone_value": "Gemiddelde eerstelijnszone",
    "zone_text": "Gemiddelde eerstelijnszone (met jaar, ≈ = onvolledig)",
    "source": "Bron",
}

SMALL_TEXT = "weinig inwoners: voorzichtig interpreteren"
NOT_APPLICABLE = "ruimtelijke lagen ontbreken in de databank"


# --------------------------------------------------------------------------- scope and analysis


@dataclass(frozen=True)
class _Table:
    """The zone analysed (``zorgzaam.analysis``) and what only the table adds: the spatial figures at the
    access counts' period, and each sector's Wie vs wat sentence within the view."""

    analysis: ZoneAnalysis
    spatial: pd.DataFrame  # engine rows of SPATIAL_INDICATORS for every sector of the zone
    spatial_zone: pd.Series  # the care zone's value per spatial indicator
    mismatch: dict[str, str]  # sector code -> sentence
    mismatch_scope: str


def _area_name(store: Store, level: str, code: str) -> str:
    found = store.find_area(code, level)
    return str(found["name"].iloc[0]) if not found.empty else code


def _analyse(
    store: Store,
    municipality: str | None = None,
    sector_codes: Sequence[str] | None = None,
    period: str | None = None,
    elz: str | None = None,
    rule: SignalRule | None = None,
    small_threshold: int = SMALL_SECTOR_THRESHOLD,
) -> _Table:
    catalogue = store.catalogue()
    choice = AnalysisChoice(
        elz=elz,
        municipality=municipality,
        sectors=tuple(sector_codes) if sector_codes is not None else None,
        period=period,
        rule=rule or SignalRule(),
        small_threshold=small_threshold,
    )
    # The other key indicators of the Cijfers sheet in the same engine pass.
    a = analyse(store, choice, [c for c in key_indicators(store, catalogue) if c not in SPATIAL_INDICATORS])
    spatial, spatial_zone = pd.DataFrame(), pd.Series(dtype=float)
    mismatch: dict[str, str] = {}
    scope = ""
    if a.access_period is not None:
        variables = set(a.variables)
        codes = [c for c in SPATIAL_INDICATORS if catalogue.has_data(c, variables)]
        spatial = compute(
            store, codes, level="statsec", within=("elz", a.elz_code), period=a.access_period, catalogue=catalogue
        )
        zs = compute(store, codes, areas=[("elz", a.elz_code)], period=a.access_period, catalogue=catalogue)
        spatial_zone = zs.set_index("indicator")["value"].where(zs.set_index("indicator")["status"] == "ok")
        mismatch = a.mismatch_sentences()
        scope = (
            f"Wie: {a.need.label}; wat: {a.need.group_label} die {a.lack_phrase} wonen; "
            f"sectoren in het hoogste derde van de {a.view_label} voor beide"
        )
    return _Table(a, spatial, spatial_zone, mismatch, scope)


def _names(text: str, *names: str) -> bool:
    """Whether ``text`` names any of ``names`` as a whole word (case-insensitive)."""
    for name in names:
        if name and re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text, flags=re.IGNORECASE):
            return True
    return False


def _note_line(row) -> str:
    return f"[{row.number}, periode {row.period}] {row.notes}"


# --------------------------------------------------------------------------- the rows


def _spatial_text(t: _Table, code: str) -> str:
    a = t.analysis
    if a.access_period is None:
        return NOT_APPLICABLE
    rows = t.spatial[t.spatial["area_code"] == code].set_index("indicator")
    cat = a.catalogue

    def value(ind_code: str) -> str | None:
        if ind_code not in rows.index:
            return None
        r = rows.loc[ind_code]
        return format_indicator(cat.indicator(ind_code), r["value"], r["status"])

    parts = []
    settle = [
        (label, value(c))
        for c, label in (("pct_in_kern", "kern"), ("pct_in_lint", "lint"), ("pct_in_verspreid", "verspreide bebouwing"))
    ]
    settle = [(label, v) for label, v in settle if v is not None]
    if settle:
        parts.append("Inwoners in " + ", ".join(f"{label} {v}" for label, v in settle) + ".")
    for ind_code, phrase in (
        ("pct_no_basket_1200m", "verder dan 1,2 km van het basispakket"),
        ("pct_no_bus_400m", "verder dan 400 m van een bushalte (minstens 1 vertrek per uur)"),
        ("pct_80plus_no_basket_1200m", None),
    ):
        v = value(ind_code)
        if v is None:
            continue
        zone = t.spatial_zone.get(ind_code)
        zone_text = (
            f" ({a.zone_label}: {format_indicator(cat.indicator(ind_code), zone)})"
            if zone is not None and pd.notna(zone)
            else ""
        )
        if phrase is None:
            parts.append(f"80-plussers verder dan 1,2 km van het basispakket: {v}{zone_text} (schatting).")
        else:
            parts.append(f"{v} van de inwoners woont {phrase}{zone_text}.")
    text = " ".join(parts)
    if text and a.access_period != a.period:
        text += f" (periode {a.access_period})"
    return text


def summary_rows(
    store: Store,
    municipality: str | None = None,
    sector_codes: list[str] | None = None,
    period: str | None = None,
    team: str | None = None,
    *,
    elz: str | None = None,
    rule: SignalRule | None = None,
    small_threshold: int = SMALL_SECTOR_THRESHOLD,
) -> pd.DataFrame:
    """One row per sector (code order) with the columns of ``SUMMARY_HEADERS``.

    ``municipality`` limits the rows to its sectors (and is the view of the mismatch); without it the
    whole care zone (``elz``, or the care zone of the sectors, or the only one in the store).
    ``team`` is accepted for a uniform signature; the team's work is in the workbook's own sheets.
    """
    return _rows(_analyse(store, municipality, sector_codes, period, elz, rule, small_threshold))


def _rows(t: _Table) -> pd.DataFrame:
    a = t.analysis
    rows = []
    notes = a.notes
    sector_names = dict(zip(a.zone_sectors["code"], a.zone_sectors["name"]))
    for s in a.sectors.itertuples(index=False):
        pop = a.population.get(s.code, np.nan)
        small = bool(a.small.get(s.code, False))
        raised = a.raised(s.code)
        n = int(raised["indicator"].nunique())
        if all(a.states.state(s.code, signal) == NO_DATA for signal in SIGNALS):
            n = NO_DATA_MARK  # no indicator could be judged: not 0
        # Without access counts there is no spatial analysis, nor a Wie vs wat.
        mismatch = t.mismatch.get(s.code, "") if a.access_period is not None else NOT_APPLICABLE
        about_sector, about_town = [], []
        for note in notes.itertuples(index=False):
            if note.area_level == "statsec" and note.area_code != s.code:
                continue  # another sector's own note
            if note.area_level == "statsec" or _names(note.notes, s.code, sector_names.get(s.code, "")):
                about_sector.append(_note_line(note))
            elif (note.area_level == "gemeente" and note.area_code == s.gemeente_code) or (
                note.area_level == "elz" and _names(note.notes, s.gemeente)
            ):
                about_town.append(_note_line(note))
        rows.append(
            {
                "code": s.code,
                "name": s.name,
                "gemeente": s.gemeente,
                "inwoners": pop,
                "small": SMALL_TEXT if small else "",
                "n_signal_indicators": n,
                "signals": a.signal_summary(s.code),
                "signal_details": raised_details(raised, a.rule, a.zone_label, a.catalogue),
                "spatial": _spatial_text(t, s.code),
                "mismatch": mismatch,
                "notes_sector": "\n".join(about_sector),
                "notes_municipality": "\n".join(about_town),
            }
        )
    frame = pd.DataFrame(rows, columns=list(SUMMARY_HEADERS))
    frame["inwoners"] = pd.array([None if pd.isna(v) else int(round(v)) for v in frame["inwoners"]], dtype="Int64")
    frame["n_signal_indicators"] = frame["n_signal_indicators"].astype(object)
    return frame


# --------------------------------------------------------------------------- a meeting's findings


def findings(store: Store, municipality: str, sectors: Sequence[str]) -> pd.DataFrame:
    """Per chosen sector the signals, the spatial findings and the Wie-vs-wat sentence (the samenvattende
    tabel's words), as formatted text."""
    rows = summary_rows(store, municipality=municipality)
    if sectors:
        rows = rows[rows["code"].isin(list(sectors))]
    return pd.DataFrame(
        {
            "Sector": [
                f"{n} ({c}){' ' + SMALL_MARK if s else ''}"
                for n, c, s in zip(rows["name"], rows["code"], rows["small"])
            ],
            "Signalen": rows["signals"].to_list(),
            "Wat is er": rows["spatial"].to_list(),
            # Only sectors in the top third for both need and lack of access get a sentence.
            "Wie vs wat": [
                text if isinstance(text, str) and text.strip() else NOT_IN_ATTENTION for text in rows["mismatch"]
            ],
        }
    )


# --------------------------------------------------------------------------- figures and metadata


def key_indicators(store: Store, catalogue: Catalogue | None = None) -> list[str]:
    """The indicators of the Cijfers sheet that have data: key figures, signal and composition
    indicators, the spatial ones and the werkgroep's own."""
    catalogue = catalogue or store.catalogue()
    variables = store.variables()
    codes = [
        *START_KEY_FIGURES,
        *(i.code for i in signal_indicators(catalogue)),
        *COMPOSITION_INDICATORS,
        "avg_net_taxable_income",
        "cars_per_household",
        *SPATIAL_INDICATORS,
        *(i.code for i in catalogue.indicators.values() if i.theme == USER_THEME),
    ]
    return [c for c in dict.fromkeys(codes) if c in catalogue.indicators and catalogue.has_data(c, variables)]


def _dataset_sources(store: Store) -> dict[str, str]:
    """Variable → the datasets that hold it, each by its own name and file (e.g. "demo — fictief",
    "eigen bestand upload_elektriciteit_verbruik.xlsx"), joined with "; "."""
    labels = {
        d: dataset_label(d, r["source"], r["file_name"])
        for d, r in store.datasets().drop_duplicates("dataset_id").set_index("dataset_id").iterrows()
    }
    frame = store.variable_datasets(sorted(store.variables()))
    frame["label"] = frame["dataset_id"].map(labels).fillna("onbekend")
    return {v: "; ".join(sorted(set(rows["label"]))) for v, rows in frame.groupby("variable")}


def _indicator_source(ind: Indicator, catalogue: Catalogue, sources: dict[str, str]) -> str:
    found = []
    for code in (*ind.base_counts, ind.code):
        parts = catalogue.count(code).sum_of if catalogue.count(code) else ()
        for c in (code, *parts):
            if c in sources:
                found.extend(sources[c].split("; "))
    found = list(dict.fromkeys(found))
    if not found:
        return ind.source
    if DEMO_SOURCE in found:
        return f"{'; '.join(found)}; echte bron van deze indicator: {ind.source}"
    return "; ".join(found)


def indicator_metadata(store: Store, codes: Sequence[str], period: str | dict[str, str] | None = None) -> pd.DataFrame:
    """One row per indicator (``METADATA_HEADERS`` columns) from the store's catalogue, so the
    werkgroep's own indicators are included. ``period``: one period for all, or per code."""
    catalogue = store.catalogue()
    sources = _dataset_sources(store)
    rows = []
    for code in dict.fromkeys(codes):
        ind = catalogue.indicator(code)
        p = period.get(code, "") if isinstance(period, dict) else (period or "")
        rows.append(
            {
                "code": ind.code,
                "label": ind.label,
                "theme": ind.theme,
                "definition": ind.definition,
                "formula": ind.formula,
                "unit": ind.unit,
                "denominator": ind.denominator_kind or "(een aantal)",
                "source": _indicator_source(ind, catalogue, sources),
                "period": p,
            }
        )
    return pd.DataFrame(rows, columns=list(METADATA_HEADERS))


def _figures(store: Store, t: _Table, codes: Sequence[str]) -> tuple[pd.DataFrame, dict[str, str]]:
    """Long table of the key indicators per selected sector; and the period used per indicator."""
    a = t.analysis
    cat = a.catalogue
    spatial = [c for c in codes if c in SPATIAL_INDICATORS]
    other = [c for c in codes if c not in SPATIAL_INDICATORS]
    sources = _dataset_sources(store)
    frames, periods = [], {}
    sectors = list(a.sectors["code"])
    for group, p, results, zone_values in (
        (other, a.period, a.results, a.zone_values),
        (spatial, a.access_period, t.spatial, t.spatial_zone),
    ):
        if not group or p is None or not sectors:
            continue
        known = set(results["indicator"]) if not results.empty else set()
        missing = [c for c in group if c not in known]
        if missing:  # not part of the analysis (a caller's own list): compute them now
            extra = compute(store, missing, level="statsec", within=("elz", a.elz_code), period=p, catalogue=cat)
            zone = compute(store, missing, areas=[("elz", a.elz_code)], period=p, catalogue=cat)
            results = pd.concat([results, extra], ignore_index=True)
            zone_values = pd.concat(
                [zone_values, zone.set_index("indicator")["value"].where(zone.set_index("indicator")["status"] == "ok")]
            )
        res = results[results["indicator"].isin(group) & results["area_code"].isin(sectors)].copy()
        res["zone_value"] = res["indicator"].map(zone_values)
        # A count's care-zone total is no comparison for a sector.
        res.loc[res["indicator"].map(lambda c: cat.indicator(c).is_count), "zone_value"] = np.nan
        frames.append(res)
        for c in group:  # the years the figures really come from (each its latest up to p)
            used = sorted(set(res.loc[(res["indicator"] == c) & (res["status"] != "ontbrekend"), "period"].astype(str)))
            periods[c] = (used[0] if len(used) == 1 else f"{used[0]}–{used[-1]}") if used else f"geen gegevens t/m {p}"
    if not frames:
        return pd.DataFrame(columns=list(FIGURE_HEADERS)), periods
    res = pd.concat(frames, ignore_index=True)
    order = {c: i for i, c in enumerate(codes)}
    res = res.assign(_o=res["indicator"].map(order)).sort_values(["area_code", "_o"], kind="stable")
    town = dict(zip(a.sectors["code"], a.sectors["gemeente"]))
    inds = {c: cat.indicator(c) for c in res["indicator"].unique()}
    zone_texts = (
        {}
        if a.zone_rows.empty
        else {
            r["indicator"]: format_figure(inds[r["indicator"]], r, a.period)
            for r in a.zone_rows.to_dict("records")
            if r["indicator"] in inds
        }
    )
    for c, ind in inds.items():
        if ind.is_count:
            zone_texts[c] = ""
    ok = res["status"] == "ok"
    out = pd.DataFrame(
        {
            "area_code": res["area_code"],
            "area_name": res["area_name"],
            "gemeente": res["area_code"].map(town),
            "indicator": res["indicator"],
            "label": res["indicator"].map(lambda c: inds[c].label),
            "period": res["period"],
            "value": res["value"].where(ok).astype(float),
            "unit": res["indicator"].map(lambda c: inds[c].unit),
            "numerator": res["numerator"].where(ok).astype(float),
            "denominator": res["denominator"].astype(float),
            "denominator_kind": res["indicator"].map(lambda c: inds[c].denominator_kind),
            "status": res["status"],
            "status_text": res["status"].map(STATUS_LABEL).fillna(""),
            "zone_value": res["zone_value"].astype(float),
            "zone_text": [zone_texts.get(c, "") for c in res["indicator"]],
            "source": res["indicator"].map(lambda c: _indicator_source(inds[c], cat, sources)),
        }
    ).reset_index(drop=True)
    return out, periods


# --------------------------------------------------------------------------- bouwstenen and polls


def bouwstenen_frame(store: Store, team: str) -> pd.DataFrame:
    """The team's scores: one row per bouwsteen (cluster order of the page chart), per date a score
    column and a column with the scale text. Empty when the team has no scores."""
    history = werkgroep.assessments(store, team)
    if not history:
        return pd.DataFrame()
    order = [b for cluster in bouwstenen.CLUSTERS for b in bouwstenen.in_cluster(cluster)]
    frame = pd.DataFrame(
        {
            "Nr.": [b.number for b in order],
            "Bouwsteen": [b.name for b in order],
            "Cluster": [b.cluster_label for b in order],
        }
    )
    for a in history:
        day = format_date(a.assessed_on)
        scores = [a.scores.get(b.code) for b in order]
        frame[f"Score {day}"] = pd.array(scores, dtype="Int64")
        frame[f"Betekenis {day}"] = [bouwstenen.scale_text(s) for s in scores]
    return frame


def _team_polls(store: Store, team: str | None) -> list[tuple[str, int | None]]:
    """(session id, round) of the poll rounds the team took over as its scores."""
    if not team:
        return []
    scores = store.team_scores(werkgroep.validate_team(team))
    rows = scores.dropna(subset=["poll_session_id"])[["poll_session_id", "poll_round"]].drop_duplicates()
    return [(str(s), None if pd.isna(r) else int(r)) for s, r in zip(rows["poll_session_id"], rows["poll_round"])]


def team_poll_rounds(store: Store, team: str) -> list[polls.RoundResults]:
    """Results of the poll rounds the team took over as its scores (oldest first), e.g. for
    ``bouwstenen_image.poll_round_png``. The team holds them already, so no facilitator token is asked."""
    out = []
    for session_id, round_ in _team_polls(store, team):
        row = store.poll_session(session_id)
        if row is None:
            continue
        session = polls._load(store, row)
        out.append(polls._round_results(store, session, round_ or session.current_round))
    return out


def polls_frame(store: Store, team: str | None = None, poll_sessions: Sequence[tuple[str, str]] = ()) -> pd.DataFrame:
    """Results per poll, round and question: counts per score 1–5 (or per option / word), median.

    Anonymous: no participant, no name, only counts. Polls: those whose round the team took over as
    its scores (every round of such a poll), and ``poll_sessions`` = (session id or join code,
    facilitator token) pairs.
    """
    sessions: dict[str, polls.PollSession] = {}
    for key, token in poll_sessions:
        s = polls.facilitator_session(store, key, token)
        sessions[s.session_id] = s
    for session_id, _ in _team_polls(store, team):
        row = store.poll_session(session_id)
        if row is not None and session_id not in sessions:
            sessions[session_id] = polls._load(store, row)
    rows = []
    for s in sorted(sessions.values(), key=lambda x: x.created_at):
        for round_ in range(1, s.current_round + 1):
            res = polls._round_results(store, s, round_)
            for r in res.questions:
                q = r.question
                row = {
                    "Peiling": s.title,
                    "Datum": s.created_at.date(),
                    "Ronde": round_,
                    "Vraag nr.": q.position,
                    "Vraag": q.text,
                    "Soort": _KIND_LABELS[q.kind],
                    "Bouwsteen": bouwstenen.by_code(q.bouwsteen).name if q.bouwsteen else "",
                    "Deelnemers in de ronde": res.participants,
                    "Antwoorden": r.n,
                }
                if q.kind == "scale":
                    row.update({f"Score {v}": int(r.distribution.get(v, 0)) for v in polls.SCALE_VALUES})
                    row.update(
                        {
                            "Mediaan": r.median,
                            "Laagste": r.min,
                            "Hoogste": r.max,
                            "Meningen lopen uiteen": "ja" if r.disagreement else "nee",
                        }
                    )
                else:
                    row["Verdeling"] = " | ".join(f"{label}: {count}" for label, count in r.distribution.items())
                rows.append(row)
    columns = [
        "Peiling",
        "Datum",
        "Ronde",
        "Vraag nr.",
        "Vraag",
        "Soort",
        "Bouwsteen",
        "Deelnemers in de ronde",
        "Antwoorden",
        *(f"Score {v}" for v in polls.SCALE_VALUES),
        "Mediaan",
        "Laagste",
        "Hoogste",
        "Meningen lopen uiteen",
        "Verdeling",
    ]
    return pd.DataFrame(rows, columns=columns)


_KIND_LABELS = {"scale": "schaal 1-5", "choice": "keuze", "word": "woord"}


# --------------------------------------------------------------------------- the files


def _about(store: Store, t: _Table, team: str | None, n_polls: int) -> pd.DataFrame:
    a = t.analysis
    sources = dataset_rows(store)  # each dataset by its own name and file; no period when it has none
    area = a.view_label
    n = len(a.sectors)
    rows = [
        ("Titel", f"Samenvattende tabel — {area}"),
        ("Gebied", f"{area} (eerstelijnszone {a.elz_name}); {n} statistische sector{'en' if n != 1 else ''}"),
        ("Periode cijfers", a.period),
        ("Periode ruimtelijke analyse", a.access_period or NOT_APPLICABLE),
        ("Bronnen", "\n".join(sources) if sources else "onbekend"),
        (
            "Vergelijking",
            f"Elke sector t.o.v. het {a.zone_label} (een verhouding van totalen, geen gemiddelde "
            "van sectorpercentages).",
        ),
        ("Signaalregel", a.rule.describe(a.zone_label).replace("**", "")),
        ("(Mis)match", t.mismatch_scope or NOT_APPLICABLE),
        (
            "Weinig inwoners",
            f"Minder dan {format_number(a.small_threshold)} inwoners (of aantal verborgen): voorzichtig interpreteren.",
        ),
        (
            "Ontbrekende waarden",
            "Een waarde die de bron verbergt (te klein) blijft een lege cel met status "
            "'verborgen'; zonder gegevens: 'ontbrekend'. Nooit 0. In de teksten: x = verborgen "
            "(te klein), - = geen gegevens.",
        ),
        ("Lezen", "De cijfers geven enkel een signaal om te verkennen, geen oordeel over een buurt."),
        (
            "Notities werkgroep (eerstelijnszone)",
            "\n".join(_note_line(n) for n in a.notes.itertuples(index=False) if n.area_level == "elz") or "geen",
        ),
        ("Team", team or "geen team gekozen"),
        ("Peilingen", f"{n_polls} peiling(en); anoniem: enkel aantallen per antwoord."),
        ("Gemaakt op", format_date(date.today())),
        ("Gemaakt met", "zorgzaam"),
    ]
    if store.has_demo():
        rows.insert(
            1,
            ("Let op", f"Demo: de eerstelijnszone, haar gemeenten, sectoren en cijfers zijn fictief ({DEMO_SOURCE})."),
        )
    return pd.DataFrame(rows, columns=["Veld", "Waarde"])


def _number_format(unit: str, decimals: int) -> str:
    body = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    if unit == "%":
        return body + '" %"'
    return body


def _write_sheet(
    writer: pd.ExcelWriter,
    name: str,
    frame: pd.DataFrame,
    widths: dict[str, float] | None = None,
    wrap: Sequence[str] = (),
    top_align: bool = False,
) -> None:
    from openpyxl.styles import Alignment, Font

    frame.to_excel(writer, sheet_name=name, index=False)
    sheet = writer.sheets[name]
    text_not_formulas(sheet)  # notes, names and labels from people and files: text, never a formula
    sheet.freeze_panes = "A2"
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    widths = widths or {}
    for idx, column in enumerate(frame.columns, start=1):
        cells = sheet.iter_rows(min_row=1, min_col=idx, max_col=idx)
        letter = sheet.cell(row=1, column=idx).column_letter
        if column in widths:
            width = widths[column]
        else:
            longest = max([len(str(column))] + [len(str(v)) for v in frame[column].head(500) if v is not None])
            width = min(max(longest + 2, 8), 50)
        sheet.column_dimensions[letter].width = width
        if column in wrap:
            for (cell,) in cells:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    if top_align and not frame.empty:  # rows with wrapped text: every cell starts at the top
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                if cell.alignment.wrap_text is not True:
                    cell.alignment = Alignment(vertical="top")


def _samenvatting_frame(rows: pd.DataFrame) -> pd.DataFrame:
    return rows.rename(columns=SUMMARY_HEADERS)


def summary_xlsx(
    store: Store,
    municipality: str | None = None,
    sector_codes: list[str] | None = None,
    period: str | None = None,
    team: str | None = None,
    *,
    elz: str | None = None,
    rule: SignalRule | None = None,
    small_threshold: int = SMALL_SECTOR_THRESHOLD,
    poll_sessions: Sequence[tuple[str, str]] = (),
) -> bytes:
    """The workbook: Samenvatting, Cijfers, Indicatoren, Bouwstenen (when the team has scores),
    Peilingen (when there is a poll: see ``polls_frame``) and Over dit bestand."""
    t = _analyse(store, municipality, sector_codes, period, elz, rule, small_threshold)
    rows = _samenvatting_frame(_rows(t))
    codes = key_indicators(store, t.analysis.catalogue)
    figures, periods = _figures(store, t, codes)
    metadata = indicator_metadata(store, [c for c in codes if c in periods], periods)
    scores = bouwstenen_frame(store, team) if team else pd.DataFrame()
    poll_rows = polls_frame(store, team, poll_sessions) if (team or poll_sessions) else pd.DataFrame()
    n_polls = poll_rows["Peiling"].nunique() if not poll_rows.empty else 0
    about = _about(store, t, team, n_polls)

    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        text_cols = [
            SUMMARY_HEADERS[k]
            for k in ("signals", "signal_details", "spatial", "mismatch", "notes_sector", "notes_municipality")
        ]
        _write_sheet(
            writer,
            "Samenvatting",
            rows,
            widths={
                SUMMARY_HEADERS["code"]: 12,
                SUMMARY_HEADERS["name"]: 26,
                SUMMARY_HEADERS["gemeente"]: 14,
                SUMMARY_HEADERS["inwoners"]: 10,
                SUMMARY_HEADERS["small"]: 18,
                SUMMARY_HEADERS["n_signal_indicators"]: 12,
                SUMMARY_HEADERS["signals"]: 34,
                SUMMARY_HEADERS["signal_details"]: 70,
                SUMMARY_HEADERS["spatial"]: 60,
                SUMMARY_HEADERS["mismatch"]: 50,
                SUMMARY_HEADERS["notes_sector"]: 50,
                SUMMARY_HEADERS["notes_municipality"]: 50,
            },
            wrap=text_cols + [SUMMARY_HEADERS["small"]],
            top_align=True,
        )
        sheet = writer.sheets["Samenvatting"]
        inw = list(rows.columns).index(SUMMARY_HEADERS["inwoners"]) + 1
        for (cell,) in sheet.iter_rows(min_row=2, min_col=inw, max_col=inw):
            cell.number_format = "#,##0"
        sheet.row_dimensions[1].height = 32

        fig = figures.rename(columns=FIGURE_HEADERS)
        _write_sheet(
            writer,
            "Cijfers",
            fig,
            widths={
                FIGURE_HEADERS["label"]: 40,
                FIGURE_HEADERS["area_name"]: 26,
                FIGURE_HEADERS["status_text"]: 30,
                FIGURE_HEADERS["source"]: 40,
            },
        )
        _format_figures(writer.sheets["Cijfers"], figures, t.analysis.catalogue)

        _write_sheet(
            writer,
            "Indicatoren",
            metadata.rename(columns=METADATA_HEADERS),
            widths={
                METADATA_HEADERS["label"]: 36,
                METADATA_HEADERS["definition"]: 70,
                METADATA_HEADERS["formula"]: 40,
                METADATA_HEADERS["source"]: 40,
            },
            wrap=[METADATA_HEADERS["definition"], METADATA_HEADERS["formula"], METADATA_HEADERS["source"]],
        )
        if not scores.empty:
            _write_sheet(
                writer,
                "Bouwstenen",
                scores,
                widths={c: (40 if c.startswith("Betekenis") else 14) for c in scores.columns if c not in ("Nr.",)}
                | {"Bouwsteen": 26, "Cluster": 30, "Nr.": 6},
                wrap=[c for c in scores.columns if c.startswith("Betekenis")],
            )
        if not poll_rows.empty:
            _write_sheet(
                writer,
                "Peilingen",
                poll_rows,
                widths={"Vraag": 40, "Verdeling": 40, "Peiling": 30},
                wrap=["Vraag", "Verdeling"],
            )
            sheet = writer.sheets["Peilingen"]
            med = list(poll_rows.columns).index("Mediaan") + 1
            for (cell,) in sheet.iter_rows(min_row=2, min_col=med, max_col=med):
                cell.number_format = "0.0"
            day = list(poll_rows.columns).index("Datum") + 1
            for (cell,) in sheet.iter_rows(min_row=2, min_col=day, max_col=day):
                cell.number_format = "DD/MM/YYYY"
        _write_sheet(writer, "Over dit bestand", about, widths={"Veld": 28, "Waarde": 100}, wrap=["Waarde"])
    return buffer.getvalue()


def _format_figures(sheet, figures: pd.DataFrame, catalogue: Catalogue) -> None:
    """Number formats per row (the indicator's unit and decimals); counts without decimals."""
    cols = {name: list(figures.columns).index(name) + 1 for name in ("value", "numerator", "denominator", "zone_value")}
    for i, code in enumerate(figures["indicator"], start=2):
        ind = catalogue.indicator(code)
        fmt = _number_format(ind.unit, ind.decimals)
        sheet.cell(row=i, column=cols["value"]).number_format = fmt
        sheet.cell(row=i, column=cols["zone_value"]).number_format = fmt
        sheet.cell(row=i, column=cols["numerator"]).number_format = "#,##0"
        sheet.cell(row=i, column=cols["denominator"]).number_format = "#,##0"


def summary_csv(
    store: Store,
    municipality: str | None = None,
    sector_codes: list[str] | None = None,
    period: str | None = None,
    team: str | None = None,
    *,
    elz: str | None = None,
    rule: SignalRule | None = None,
    small_threshold: int = SMALL_SECTOR_THRESHOLD,
) -> bytes:
    """The Samenvatting sheet as CSV for Excel-nl: ';' separated, decimal comma, UTF-8 with BOM."""
    rows = _samenvatting_frame(
        summary_rows(
            store, municipality, sector_codes, period, team, elz=elz, rule=rule, small_threshold=small_threshold
        )
    )
    text = csv_text(rows).to_csv(sep=";", index=False, decimal=",", lineterminator="\r\n")
    return text.encode("utf-8-sig")


def file_stem(store: Store, municipality: str | None = None, period: str | None = None) -> str:
    """A file name without extension: samenvattende-tabel-<gebied>-<periode>."""
    area = _area_name(store, "gemeente", municipality) if municipality else "eerstelijnszone"
    slug = re.sub(r"[^a-z0-9]+", "-", area.lower()).strip("-") or "gebied"
    return f"samenvattende-tabel-{slug}" + (f"-{period}" if period else "")


__all__ = [
    "SHEETS",
    "SUMMARY_HEADERS",
    "METADATA_HEADERS",
    "FIGURE_HEADERS",
    "summary_rows",
    "indicator_metadata",
    "key_indicators",
    "findings",
    "bouwstenen_frame",
    "polls_frame",
    "team_poll_rounds",
    "summary_xlsx",
    "summary_csv",
    "file_stem",
]
