"""A care zone analysed: sector values, zone references, signals, standouts, the default Wie vs wat and the notes.

The pages, the meeting steps and the take-home documents all read one ``ZoneAnalysis``, built by ``analyse``
from a frozen ``AnalysisChoice`` (which zone or municipality, which sectors, which period, the signal rule and the
small-sector threshold). So every surface says the same about a sector:

* ``results``: the engine rows of every sector of the care zone, each figure from its own latest period up to
  the asked one; ``zone_rows`` the zone's own rows ('onvolledig' with ``approx`` where hidden values block the
  sum); the catalogue is the store's, the indicators those with data;
* ``population`` and ``small`` (``keyfigures.small_sector_flags``: from the population's own period);
* ``evaluation``, ``summary`` and ``states``: the signal rule of ``zorgzaam.signals`` and its three outcomes
  (signaal, geen signaal, geen gegevens) per sector and signal; every sentence about them is worded there;
* the standouts of the summary questions (``zorgzaam.summary``);
* ``mismatch``: the default Wie vs wat (``whowhat.DEFAULT_NEED`` against the basic basket) for every sector of
  the zone, or ``mismatch_gap`` saying why there is none;
* ``notes``: the werkgroep's notes on the summary questions for the zone, its municipalities and sectors.

No Streamlit here. The object holds no store: it can be cached and pickled.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

import pandas as pd

from .access import DEFAULTS, lack_phrase
from .catalogue import Catalogue
from .engine import EngineError, compute
from .keyfigures import SMALL_SECTOR_THRESHOLD, small_sector_flags
from .mismatch import MISMATCH_QUESTIONS, attention_list, gap_sentence, mismatch_summary
from .signals import (
    EVALUATION_COLUMNS,
    SignalRule,
    SignalStates,
    evaluate,
    import_hint,
    no_data_sentence,
    sector_signal_lines,
    sector_signal_summary,
    signal_indicators,
    signal_states,
    summarise,
    view_signal_lines,
)
from .store import Store
from .summary import (
    COMPOSITION_INDICATORS,
    QUESTIONS,
    StandOut,
    SummaryQuestion,
    composition_standouts,
    question_text,
    signal_standouts,
)
from .whowhat import DEFAULT_NEED, FRAME_COLUMNS, NEEDS, NeedOption, sector_mismatch

#: The "wat" of the default Wie vs wat: living within reach of the basic basket.
DEFAULT_MEASURE = "basket"
NO_ACCESS_REASON = "er is nog geen bereikbaarheid per woonplaats berekend (pagina Gegevens)"

_QUESTION_NUMBERS = {q.key: q.number for q in QUESTIONS} | {k: k for k in MISMATCH_QUESTIONS}


@dataclass(frozen=True)
class AnalysisChoice:
    """What to analyse, as a page, a meeting or a document chose it.

    ``elz``: the care zone (default: the zone of ``municipality``, else of the first of ``sectors``, else the only
    zone in the store). ``municipality`` limits the view (and the thirds of the Wie vs wat) to its sectors;
    ``sectors`` to those sectors. ``period``: figures up to this period (default: the latest in the store).
    Frozen and hashable, so it can key a cache.
    """

    elz: str | None = None
    municipality: str | None = None
    sectors: tuple[str, ...] | None = None
    period: str | None = None
    rule: SignalRule = SignalRule()
    small_threshold: int = SMALL_SECTOR_THRESHOLD

    def __post_init__(self) -> None:
        if self.sectors is not None:
            object.__setattr__(self, "sectors", tuple(dict.fromkeys(str(c) for c in self.sectors)))
        if self.period is not None:
            object.__setattr__(self, "period", str(self.period))
        object.__setattr__(self, "small_threshold", int(self.small_threshold))


@dataclass(frozen=True, eq=False)
class ZoneAnalysis:
    """One care zone analysed for an ``AnalysisChoice`` (see the module's docstring). Build it with ``analyse``."""

    choice: AnalysisChoice
    catalogue: Catalogue
    variables: frozenset[str]
    elz_code: str
    elz_name: str
    municipality_name: str | None
    sectors: pd.DataFrame  # code, name, gemeente_code, gemeente: the sectors in view (code order)
    zone_sectors: pd.DataFrame  # the same for every sector of the care zone
    period: str
    access_period: str | None  # the period of the access counts (None: no access in the store)
    signal_codes: tuple[str, ...]  # the signal indicators with data, catalogue order
    results: pd.DataFrame  # engine rows of every sector of the zone
    zone_rows: pd.DataFrame  # engine rows of the care zone itself
    population: pd.Series  # code -> inhabitants (NaN when hidden or unknown)
    small: pd.Series  # code -> fewer inhabitants than the threshold, or a hidden count
    evaluation: pd.DataFrame  # signals.evaluate over every sector of the zone
    summary: pd.DataFrame  # signals.summarise of the evaluation
    states: SignalStates  # per sector of the zone and signal: signaal, geen signaal or geen gegevens
    mismatch: pd.DataFrame | None  # whowhat.sector_mismatch of the default need, every sector of the zone
    mismatch_gap: str  # why there is no mismatch at all ("" when there is)
    notes: pd.DataFrame = field(default_factory=pd.DataFrame)  # area_level, area_code, period, question, notes, number

    # --- the choice, in words --------------------------------------------------------------------------

    @property
    def rule(self) -> SignalRule:
        return self.choice.rule

    @property
    def small_threshold(self) -> int:
        return self.choice.small_threshold

    @property
    def municipality(self) -> str | None:
        return self.choice.municipality

    @property
    def zone_label(self) -> str:
        """The reference every sector is compared with: "gemiddelde eerstelijnszone Heidekempen"."""
        return f"gemiddelde eerstelijnszone {self.elz_name}"

    @property
    def view_label(self) -> str:
        """ "gemeente Heidebeek" or "eerstelijnszone Heidekempen"."""
        if self.municipality:
            return f"gemeente {self.municipality_name or self.municipality}"
        return f"eerstelijnszone {self.elz_name}"

    @property
    def view_codes(self) -> list[str]:
        """The sectors in view (the chosen ones, else the municipality's, else the zone's), code order."""
        return list(self.sectors["code"])

    @property
    def scope_codes(self) -> list[str]:
        """The sectors the thirds of the Wie vs wat are taken over: the municipality's, else the zone's."""
        zone = self.zone_sectors
        if self.municipality:
            return list(zone.loc[zone["gemeente_code"] == self.municipality, "code"])
        return list(zone["code"])

    @property
    def need(self) -> NeedOption:
        return NEEDS[DEFAULT_NEED]

    @property
    def lack_phrase(self) -> str:
        """ "verder dan 1,2 km van het basispakket" (the default "wat")."""
        return lack_phrase(DEFAULT_MEASURE, DEFAULTS)

    # --- figures ---------------------------------------------------------------------------------------

    @cached_property
    def zone_values(self) -> pd.Series:
        """The care zone's value per indicator (NaN unless 'ok': an incomplete total never enters a signal)."""
        rows = self.zone_rows.drop_duplicates("indicator").set_index("indicator")
        return rows["value"].where(rows["status"] == "ok")

    def small_codes(self, codes: Sequence[str] | None = None) -> list[str]:
        """The sectors of ``codes`` (default: those in view) with few inhabitants or a hidden count, sorted."""
        codes = self.view_codes if codes is None else codes
        return sorted(c for c in codes if bool(self.small.get(c, False)))

    # --- signals ---------------------------------------------------------------------------------------

    @cached_property
    def _raised(self) -> dict[str, pd.DataFrame]:
        ev = self.evaluation
        hits = ev[ev["raised"].astype(bool)] if len(ev) else ev
        return {c: rows for c, rows in hits.groupby("area_code", sort=False)} if len(hits) else {}

    def raised(self, code: str) -> pd.DataFrame:
        """The evaluation rows of a sector whose signal is raised."""
        return self._raised.get(code, self.evaluation.iloc[0:0])

    def raised_indicators(self, code: str) -> set[str]:
        return set(self.raised(code)["indicator"])

    def signal_lines(self, code: str) -> list[tuple[str, str]]:
        """Per signal (label, text) for one sector: ``signals.sector_signal_lines``."""
        return sector_signal_lines(self.evaluation, self.states, code, self.rule, self.zone_label, self.catalogue)

    def signal_summary(self, code: str) -> str:
        """One cell for a sector: ``signals.sector_signal_summary``."""
        return sector_signal_summary(self.states, code)

    def view_signal_lines(self, codes: Sequence[str] | None = None) -> list[tuple[str, str]]:
        """Per signal (label, text) for a group of sectors: ``signals.view_signal_lines``."""
        return view_signal_lines(self.summary, self.states, self.view_codes if codes is None else list(codes))

    # --- the summary questions -------------------------------------------------------------------------

    def standouts(self, question: SummaryQuestion, codes: Sequence[str] | None = None) -> list[StandOut]:
        """The sectors of ``codes`` (default: in view) that stand out for a summary question."""
        codes = self.view_codes if codes is None else list(codes)
        small = self.small_codes(codes)
        if question.signals:
            return signal_standouts(question, self.summary, codes, small)
        return composition_standouts(
            self.results, self.zone_values, codes, small, zone_label=self.zone_label, catalogue=self.catalogue
        )

    def question_text(
        self, question: SummaryQuestion, codes: Sequence[str] | None = None, *, markdown: bool = True
    ) -> str:
        """What the app fills in beside a summary question (``summary.question_text``)."""
        codes = self.view_codes if codes is None else list(codes)
        return question_text(
            question, self.standouts(question, codes), self.states, codes, markdown=markdown, catalogue=self.catalogue
        )

    def question_texts(self, codes: Sequence[str] | None = None, *, markdown: bool = True) -> dict[str, str]:
        """``question_text`` of every summary question, by question key ("wie", "eenzaamheid" …)."""
        return {q.key: self.question_text(q, codes, markdown=markdown) for q in QUESTIONS}

    # --- the default Wie vs wat ------------------------------------------------------------------------

    def attention(self, scope: Sequence[str] | None = None) -> pd.DataFrame:
        """``mismatch.attention_list``: the sectors in the top third of ``scope`` (default ``scope_codes``) for
        both the need and the lack of access; empty without a mismatch."""
        data = self.mismatch_rows(scope)
        return attention_list(data, self.need.group_label, "woont " + self.lack_phrase)

    def mismatch_rows(self, scope: Sequence[str] | None = None) -> pd.DataFrame:
        """The rows of ``mismatch`` for the sectors of ``scope`` (default ``scope_codes``)."""
        if self.mismatch is None:
            return pd.DataFrame(columns=FRAME_COLUMNS)
        codes = self.scope_codes if scope is None else list(scope)
        return self.mismatch[self.mismatch["statsec"].isin(codes)].reset_index(drop=True)

    def mismatch_sentences(self, scope: Sequence[str] | None = None) -> dict[str, str]:
        """Sector code -> its Wie vs wat sentence: the attention sentence when it is in the top third of ``scope``
        for both, why it cannot be told (hidden, no data), or the reason there is no mismatch at all. A sector
        that does not stand out has no entry."""
        codes = self.scope_codes if scope is None else list(scope)
        if self.mismatch is None:
            return {c: self.mismatch_gap for c in codes}
        data = self.mismatch_rows(codes)
        gaps = {
            r.statsec: gap_sentence(self.need.label, r.need_status, r.lack_share) for r in data.itertuples(index=False)
        }
        attention = self.attention(codes)
        return {c: t for c, t in gaps.items() if t} | dict(zip(attention["statsec"], attention["sentence"]))

    def mismatch_answers(self, scope: Sequence[str] | None = None, view_label: str | None = None) -> dict[str, str]:
        """The answers to questions 8.1 and 8.2 for ``scope`` (``mismatch.mismatch_summary``)."""
        if self.mismatch is None:
            return {"8.1": self.mismatch_gap, "8.2": self.mismatch_gap}
        need, phrase = self.need, self.lack_phrase
        data = self.mismatch_rows(scope)
        return mismatch_summary(
            self.attention(scope),
            view_label or self.view_label,
            need_label=need.label.replace("% ", "aandeel ").lower(),
            lack_label=f"aandeel {need.group_label} dat {phrase} woont",
            group_label=need.group_label,
            data=data,
            no_data_reason=import_hint([need.indicator], set(self.variables), self.catalogue),
        )

    # --- the werkgroep's notes -------------------------------------------------------------------------

    def notes_of(self, level: str, code: str, period: str | None = None) -> dict[str, str]:
        """Question key -> the werkgroep's note for one area (of this zone) and period (default: the analysis')."""
        notes = self.notes
        if notes.empty:
            return {}
        part = notes[
            (notes["area_level"] == level) & (notes["area_code"] == code) & (notes["period"] == (period or self.period))
        ]
        return dict(zip(part["question"], part["notes"]))


# --------------------------------------------------------------------------- building


def _area_name(store: Store, level: str, code: str) -> str:
    found = store.find_area(code, level)
    return str(found["name"].iloc[0]) if not found.empty else code


def _scope(store: Store, choice: AnalysisChoice) -> tuple[str, pd.DataFrame, pd.DataFrame]:
    """(care-zone code, sectors in view, every sector of the zone); Dutch ``EngineError`` for unknown areas."""
    municipality, sector_codes, elz = choice.municipality, choice.sectors, choice.elz
    if municipality is not None and store.find_area(municipality, "gemeente").empty:
        raise EngineError(f"Gemeente '{municipality}' bestaat niet in de databank.")
    if elz is None and municipality is not None:
        elz = store.parent_of("gemeente", municipality, "elz")
    if elz is None and sector_codes:
        elz = store.parent_of("statsec", sector_codes[0], "elz")
    if elz is None:
        zones = store.areas("elz")
        if len(zones) != 1:
            raise EngineError("Kies een eerstelijnszone of een gemeente om te analyseren.")
        elz = str(zones["code"].iloc[0])
    zone = store.areas("statsec", within=("elz", elz))[["code", "name"]]
    if zone.empty:
        raise EngineError(f"Er zijn geen statistische sectoren in eerstelijnszone '{elz}'.")
    parents = store.parents("statsec", list(zone["code"]))
    gemeente_codes = parents.set_index("code")["gemeente"] if "gemeente" in parents else pd.Series(dtype=object)
    names = store.areas("gemeente").set_index("code")["name"]
    zone = zone.assign(gemeente_code=zone["code"].map(gemeente_codes))
    zone["gemeente"] = zone["gemeente_code"].map(names).fillna("")
    zone = zone.sort_values("code").reset_index(drop=True)
    selected = zone
    if municipality is not None:
        selected = selected[selected["gemeente_code"] == municipality]
    if sector_codes is not None:
        unknown = [c for c in sector_codes if c not in set(zone["code"])]
        if unknown:
            raise EngineError(f"Sector '{unknown[0]}' ligt niet in eerstelijnszone '{elz}'.")
        selected = selected[selected["code"].isin(sector_codes)]
    return elz, selected.reset_index(drop=True), zone


def _notes(store: Store, elz: str, zone: pd.DataFrame, periods: list[str]) -> pd.DataFrame:
    """The werkgroep's notes of ``periods`` written for the care zone, one of its municipalities or sectors."""
    municipalities = sorted(set(zone["gemeente_code"].dropna()))
    frame = store.summary_notes_in_zone(periods, elz, municipalities, list(zone["code"]))
    frame["number"] = frame["question"].map(_QUESTION_NUMBERS).fillna(frame["question"])
    return frame


def analyse(store: Store, choice: AnalysisChoice = AnalysisChoice(), indicators: Sequence[str] = ()) -> ZoneAnalysis:
    """The care zone of ``choice`` analysed (see ``ZoneAnalysis``).

    ``indicators``: further indicators the caller shows (computed in the same engine pass as the signal and
    composition indicators). Raises ``EngineError`` (Dutch) for an unknown municipality or sector.
    """
    catalogue = store.catalogue()
    variables = store.variables()
    elz, selected, zone = _scope(store, choice)
    period = choice.period
    if period is None:  # the latest period of any figure: each indicator then from its own latest year
        periods = store.periods()
        if not periods:
            raise EngineError("Er zijn nog geen cijfers in de databank.")
        period = periods[-1]
    access_periods = store.periods(["acc_pop"]) if catalogue.has_data("pct_no_basket_1200m", variables) else []
    access_period = (period if period in access_periods else access_periods[-1]) if access_periods else None

    def with_data(code: str) -> bool:
        return code in catalogue.indicators and catalogue.has_data(code, variables)

    signal_codes = [i.code for i in signal_indicators(catalogue) if catalogue.has_data(i.code, variables)]
    codes = list(
        dict.fromkeys(
            ["pop_total", *signal_codes, *filter(with_data, COMPOSITION_INDICATORS), *filter(with_data, indicators)]
        )
    )
    results = compute(store, codes, level="statsec", within=("elz", elz), period=period, catalogue=catalogue)
    zone_rows = compute(store, codes, areas=[("elz", elz)], period=period, catalogue=catalogue)
    by_indicator = zone_rows.drop_duplicates("indicator").set_index("indicator")
    zone_values = by_indicator["value"].where(by_indicator["status"] == "ok")
    pop = results[results["indicator"] == "pop_total"].drop_duplicates("area_code").set_index("area_code")
    population = pop["value"].where(pop["status"] == "ok").astype(float)
    small = small_sector_flags(results, choice.small_threshold)

    evaluation = (
        evaluate(results[results["indicator"].isin(signal_codes)], zone_values, choice.rule, catalogue)
        if signal_codes
        else pd.DataFrame(columns=EVALUATION_COLUMNS)
    )
    states = signal_states(evaluation, list(zone["code"]), catalogue, variables)
    # Sectors without any evaluated row still carry their name (for "geen gegevens voor …").
    frame = states.frame.assign(area_name=states.frame["area_code"].map(dict(zip(zone["code"], zone["name"]))))
    states = SignalStates(frame, states.variables, states.catalogue)

    mismatch, gap = _mismatch(
        store, catalogue, variables, elz, zone, results, population, period, access_period, choice.small_threshold
    )
    notes = _notes(store, elz, zone, list(dict.fromkeys(p for p in (period, access_period) if p)))
    return ZoneAnalysis(
        choice=choice,
        catalogue=catalogue,
        variables=frozenset(variables),
        elz_code=elz,
        elz_name=_area_name(store, "elz", elz),
        municipality_name=_area_name(store, "gemeente", choice.municipality) if choice.municipality else None,
        sectors=selected,
        zone_sectors=zone,
        period=str(period),
        access_period=access_period,
        signal_codes=tuple(signal_codes),
        results=results,
        zone_rows=zone_rows,
        population=population,
        small=small,
        evaluation=evaluation,
        summary=summarise(evaluation, catalogue),
        states=states,
        mismatch=mismatch,
        mismatch_gap=gap,
        notes=notes,
    )


def _mismatch(
    store: Store,
    catalogue: Catalogue,
    variables: set[str],
    elz: str,
    zone: pd.DataFrame,
    results: pd.DataFrame,
    population: pd.Series,
    period: str,
    access_period: str | None,
    small_threshold: int,
) -> tuple[pd.DataFrame | None, str]:
    """The default Wie vs wat for every sector of the zone (the need from the access counts' period), or None and
    why: the need is not in the store (what to import), or no access per place was computed."""
    need = NEEDS[DEFAULT_NEED]
    if not catalogue.has_data(need.indicator, variables):
        return None, no_data_sentence(import_hint([need.indicator], variables, catalogue))
    names = zone.set_index("code")["name"]
    places = store.place_access(list(names.index))
    if places.empty:
        return None, no_data_sentence(NO_ACCESS_REASON)
    need_rows = results
    if access_period is not None and access_period != period:
        need_rows = compute(
            store, [need.indicator], level="statsec", within=("elz", elz), period=access_period, catalogue=catalogue
        )
    return sector_mismatch(need_rows, places, names, need, DEFAULT_MEASURE, DEFAULTS, small_threshold, population), ""


__all__ = ["AnalysisChoice", "DEFAULT_MEASURE", "NO_ACCESS_REASON", "ZoneAnalysis", "analyse"]
