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
from .formatting import format_indicator, format_number

__all__ = [
    "EVALUATION_COLUMNS",
    "MATRIX_NOTE",
    "MAX_LABELS",
    "NOT_RAISED",
    "NOT_RAISED_SENTENCE",
    "NO_DATA",
    "NO_DATA_MARK",
    "RAISED",
    "RULE_KINDS",
    "STATE_COLUMNS",
    "SignalRule",
    "SignalStates",
    "evaluate",
    "import_hint",
    "join_and",
    "missing_counts",
    "no_data_note",
    "no_data_sentence",
    "no_data_text",
    "not_raised_text",
    "raised_details",
    "raised_text",
    "sector_signal_lines",
    "sector_signal_summary",
    "signal_count_text",
    "signal_indicators",
    "signal_matrix",
    "signal_states",
    "summarise",
    "thresholds",
    "view_signal_lines",
]

RULE_KINDS = {
    "factor": "minstens een factor × de eerstelijnszone",
    "kwintiel": "hoogste vijfde (kwintiel) van de sectoren in de eerstelijnszone",
}

EVALUATION_COLUMNS = [
    "area_code",
    "area_name",
    "indicator",
    "signal",
    "value",
    "reference",
    "threshold",
    "raised",
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


def _same_period(part: pd.DataFrame) -> pd.Series:
    """Rows of one indicator from its newest period among the zone's sectors: a sector whose latest
    figure is older is not compared with this year's zone (figures signal within one year)."""
    if "period" not in part or part.empty:
        return pd.Series(True, index=part.index)
    known = part.loc[part["status"] == "ok", "period"].astype(str)
    if known.empty:
        return pd.Series(True, index=part.index)
    return part["period"].astype(str) == known.max()


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
            part = zone_sectors[(zone_sectors["indicator"] == code) & (zone_sectors["status"] == "ok")]
            values = part.loc[_same_period(part), "value"].astype(float)
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
        values = values.where(_same_period(part))
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
        return pd.DataFrame(
            columns=["area_code", "area_name", "signal", "signal_label", "n_indicators", "indicators", "labels"]
        )
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


def signal_matrix(
    summary: pd.DataFrame, sector_codes: Sequence[str], states: SignalStates | None = None
) -> pd.DataFrame:
    """Sectors × signals: the number of indicators raising each signal (0 where none). With ``states``
    (``signal_states``): NA where the sector has no data for the signal, never 0."""
    matrix = summary.pivot_table(index="area_code", columns="signal", values="n_indicators", aggfunc="sum")
    matrix = matrix.reindex(index=list(sector_codes), columns=list(SIGNALS)).fillna(0).astype(int)
    matrix.columns.name = None
    if states is not None:
        matrix = matrix.astype("Int64").mask(states.matrix(sector_codes).isna())
    return matrix


# --- three outcomes: a signal, no signal, no data ---------------------------------------------------------
#
# Per sector and signal the rule has one of three outcomes. "Geen signaal" only when at least one of the
# signal's indicators has a value for the sector and a care-zone value to compare with, and none raises it;
# "geen gegevens" when none has: its indicators are not in the store, or hidden or unknown for the sector.
# Every sentence about these outcomes is worded here, once, and used by every page and document.

RAISED = "signaal"
NOT_RAISED = "geen signaal"
NO_DATA = "geen gegevens"
NO_DATA_MARK = "-"
NOT_RAISED_SENTENCE = "Geen signaal volgens de regel"
MATRIX_NOTE = "- = geen gegevens (de indicatoren van dit signaal ontbreken of zijn verborgen voor de sector)"
MAX_LABELS = 3

STATE_COLUMNS = [
    "area_code",
    "area_name",
    "signal",
    "state",
    "n_raised",
    "n_assessed",
    "n_indicators",
    "hidden",
    "no_reference",
]


def join_and(items: Sequence[str]) -> str:
    """'a', 'a en b', 'a, b en c'."""
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " en " + items[-1]


def _labels(codes: Sequence[str], catalogue: Catalogue, limit: int = MAX_LABELS) -> str:
    labels = [catalogue.indicator(c).label for c in codes]
    if len(labels) <= limit:
        return join_and(labels)
    return ", ".join(labels[:limit]) + f" (+ {len(labels) - limit} andere)"


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def missing_counts(code: str, variables: set[str], catalogue: Catalogue = BUILTIN) -> list[str]:
    """The base counts an indicator needs that the store has no observations for (empty: it has data)."""
    if catalogue.has_data(code, variables):
        return []
    out = []
    for c in catalogue.indicator(code).base_counts:
        count = catalogue.count(c)
        if not (c in variables or bool(count and count.sum_of and all(p in variables for p in count.sum_of))):
            out.append(c)
    return out


def import_hint(indicator_codes: Sequence[str], variables: set[str], catalogue: Catalogue = BUILTIN) -> str:
    """What to import for the indicators without data, from their missing base counts' catalogue entries:
    "importeer leeftijd en huishoudens per sector (bv. uit Provincies in Cijfers)". "" when all have data."""
    topics: list[str] = []
    sources: list[str] = []
    computed = False
    for code in indicator_codes:
        missing = missing_counts(code, variables, catalogue)
        published = [c for c in missing if c not in catalogue.computed_counts]
        computed = computed or len(published) < len(missing)
        for c in published:
            count = catalogue.count(c)
            topic = (count.topic or count.label.lower()) if count else c
            if topic not in topics:
                topics.append(topic)
        source = catalogue.indicator(code).source
        if published and source and source not in sources:
            sources.append(source)
    parts = []
    if topics:
        parts.append(
            f"importeer {join_and(topics)} per sector" + (f" (bv. uit {' of '.join(sources)})" if sources else "")
        )
    if computed:
        parts.append("bereken de bereikbaarheid (pagina Gegevens)")
    return " en ".join(parts)


def no_data_sentence(reason: str = "") -> str:
    """'Geen gegevens: <reason>.': the one way a view says it has nothing to judge by."""
    return f"Geen gegevens: {reason}." if reason else "Geen gegevens."


@dataclass(frozen=True)
class SignalStates:
    """Per sector and signal the rule's outcome: ``RAISED``, ``NOT_RAISED`` or ``NO_DATA``.

    ``frame`` (``STATE_COLUMNS``): how many indicators raise the signal, how many could be judged (a value for
    the sector and a care-zone value), how many take part in the catalogue, and the indicators in the store
    that could not be judged (``hidden``: no value for the sector; ``no_reference``: no care-zone value).
    ``variables``: the store's variables (None: every indicator counts as present).
    """

    frame: pd.DataFrame
    variables: frozenset[str] | None = None
    catalogue: Catalogue = BUILTIN

    def _row(self, code: str, signal: str):
        rows = self.frame[(self.frame["area_code"] == code) & (self.frame["signal"] == signal)]
        return rows.iloc[0] if len(rows) else None

    def state(self, code: str, signal: str) -> str:
        row = self._row(code, signal)
        return NO_DATA if row is None else str(row["state"])

    def with_data(self, codes: Sequence[str], signals: Sequence[str] = tuple(SIGNALS)) -> list[str]:
        """The sectors of ``codes`` with data for at least one of ``signals``."""
        part = self.frame[self.frame["signal"].isin(list(signals)) & (self.frame["state"] != NO_DATA)]
        found = set(part["area_code"])
        return [c for c in codes if c in found]

    def absent(self, signals: Sequence[str] = tuple(SIGNALS)) -> list[str]:
        """The indicators of ``signals`` without any data in the store."""
        if self.variables is None:
            return []
        return [
            i.code
            for i in signal_indicators(self.catalogue)
            if set(i.signals) & set(signals) and not self.catalogue.has_data(i.code, set(self.variables))
        ]

    def hint(self, signals: Sequence[str] = tuple(SIGNALS)) -> str:
        """What to import for the indicators of ``signals`` that are not in the store ("" when none)."""
        absent = self.absent(signals)
        return import_hint(absent, set(self.variables), self.catalogue) if absent else ""

    def reason(self, code: str | None, signals: Sequence[str]) -> str:
        """Why ``signals`` have no data: for one sector, or for a whole view when ``code`` is None."""
        parts = []
        if code is not None:
            hidden: list[str] = []
            no_ref: list[str] = []
            for s in signals:
                row = self._row(code, s)
                if row is not None:
                    hidden += [c for c in row["hidden"] if c not in hidden]
                    no_ref += [c for c in row["no_reference"] if c not in no_ref]
            if hidden:
                verb = "is" if len(hidden) == 1 else "zijn"
                parts.append(f"{_labels(hidden, self.catalogue)} {verb} verborgen of onbekend voor deze sector")
            if no_ref:
                parts.append(f"geen waarde voor de eerstelijnszone bij {_labels(no_ref, self.catalogue)}")
        hint = self.hint(signals)
        if code is None and not hint:
            parts.append("de cijfers zijn verborgen of onbekend voor deze sectoren")
        if hint:
            parts.append(hint)
        return "; ".join(parts)

    def matrix(self, codes: Sequence[str]) -> pd.DataFrame:
        """Sectors × signals: the number of indicators raising each signal, NA where there are no data."""
        frame = self.frame.drop_duplicates(["area_code", "signal"])
        counts = frame.pivot(index="area_code", columns="signal", values="n_raised").reindex(
            index=list(codes), columns=list(SIGNALS)
        )
        states = (
            frame.pivot(index="area_code", columns="signal", values="state")
            .reindex(index=list(codes), columns=list(SIGNALS))
            .fillna(NO_DATA)
        )
        out = counts.fillna(0).astype("Int64").mask(states == NO_DATA)
        out.columns.name = None
        out.index.name = None
        return out


def signal_states(
    evaluation: pd.DataFrame,
    sector_codes: Sequence[str],
    catalogue: Catalogue = BUILTIN,
    variables: set[str] | None = None,
) -> SignalStates:
    """The outcome per sector of ``sector_codes`` and signal, from ``evaluate``'s rows.

    ``variables`` (``Store.variables()``) tells indicators that are not in the store (and what to import for
    them) from values hidden for a sector. Hidden or missing values never raise a signal, nor make it
    "geen signaal": only judged values do.
    """
    codes = list(dict.fromkeys(sector_codes))
    per_signal = {s: [i.code for i in signal_indicators(catalogue) if s in i.signals] for s in SIGNALS}
    absent = {
        c
        for inds in per_signal.values()
        for c in inds
        if variables is not None and not catalogue.has_data(c, variables)
    }
    names = dict(zip(evaluation["area_code"], evaluation["area_name"])) if len(evaluation) else {}
    ev = (
        evaluation[evaluation["area_code"].isin(codes) & ~evaluation["indicator"].isin(absent)]
        if len(evaluation)
        else evaluation
    )
    # Per (sector, signal) at once: how many indicators raise it or could be judged, and which could not.
    keys = ["area_code", "signal"]
    n_raised: dict = {}
    n_assessed: dict = {}
    hidden: dict = {}
    no_ref: dict = {}
    if len(ev):
        value = ev["value"].astype(float).notna()
        reference = ev["reference"].astype(float).notna() | ev["threshold"].astype(float).notna()

        def distinct(mask) -> pd.Series:
            return ev[mask].drop_duplicates([*keys, "indicator"]).groupby(keys, sort=False)["indicator"]

        n_raised = distinct(ev["raised"].astype(bool)).size().to_dict()
        n_assessed = distinct(value & reference).size().to_dict()
        hidden = distinct(~value).agg(tuple).to_dict()
        no_ref = distinct(value & ~reference).agg(tuple).to_dict()
    rows = []
    for code in codes:
        for signal in SIGNALS:
            key = (code, signal)
            raised, assessed = int(n_raised.get(key, 0)), int(n_assessed.get(key, 0))
            state = RAISED if raised else NOT_RAISED if assessed else NO_DATA
            rows.append(
                (
                    code,
                    names.get(code, code),
                    signal,
                    state,
                    raised,
                    assessed,
                    len(per_signal[signal]),
                    tuple(hidden.get(key, ())),
                    tuple(no_ref.get(key, ())),
                )
            )
    return SignalStates(
        pd.DataFrame(rows, columns=STATE_COLUMNS), frozenset(variables) if variables is not None else None, catalogue
    )


def signal_count_text(value) -> str:
    """A cell of the signal matrix: the number of indicators, or "-" (geen gegevens)."""
    return NO_DATA_MARK if value is None or pd.isna(value) else str(int(value))


def raised_text(rows: pd.DataFrame, rule: SignalRule, zone_label: str, catalogue: Catalogue = BUILTIN) -> str:
    """The indicators raising one signal in one sector: "% 80-plussers 12,0 % (gemiddelde eerstelijnszone X:
    8,0 %); …" (the threshold instead of the zone value for the quintile rule)."""
    parts = []
    for r in rows.drop_duplicates("indicator").itertuples():
        ind = catalogue.indicator(r.indicator)
        limit = "drempel" if rule.kind == "kwintiel" else zone_label
        compared = r.threshold if rule.kind == "kwintiel" else r.reference
        parts.append(f"{ind.label} {format_indicator(ind, r.value)} ({limit}: {format_indicator(ind, compared)})")
    return "; ".join(parts)


def raised_details(rows: pd.DataFrame, rule: SignalRule, zone_label: str, catalogue: Catalogue = BUILTIN) -> str:
    """Every indicator raising a signal in one sector, a line each, with the signals it raises:
    "% 80-plussers 22,2 % (gemiddelde eerstelijnszone X: 8,0 %) → eenzaamheid, zorgnood" (the quintile rule
    names its threshold instead). ``rows``: the sector's evaluation rows whose signal is raised ("" when none)."""
    lines = []
    for indicator, part in rows.groupby("indicator", sort=False):
        ind = catalogue.indicator(indicator)
        r = part.iloc[0]
        if rule.kind == "kwintiel":
            compared = f"drempel hoogste vijfde: {format_indicator(ind, r['threshold'])}"
        else:
            compared = f"{zone_label}: {format_indicator(ind, r['reference'])}"
        signals = ", ".join(label.lower() for s, label in SIGNALS.items() if s in set(part["signal"]))
        lines.append(f"{ind.label} {format_indicator(ind, r['value'])} ({compared}) → {signals}")
    return "\n".join(lines)


def not_raised_text(states: SignalStates, code: str, signal: str) -> str:
    """ "geen signaal", with how many of the signal's indicators could be judged when not all."""
    row = states._row(code, signal)
    if row is not None and row["n_assessed"] < row["n_indicators"]:
        return f"{NOT_RAISED} ({row['n_assessed']} van {row['n_indicators']} indicatoren met gegevens)"
    return NOT_RAISED


def no_data_text(states: SignalStates, code: str | None, signals: Sequence[str]) -> str:
    """ "geen gegevens: <why, what to import>" (lower case, for after a signal's name)."""
    reason = states.reason(code, signals)
    return f"{NO_DATA}: {reason}" if reason else NO_DATA


def sector_signal_lines(
    evaluation: pd.DataFrame,
    states: SignalStates,
    code: str,
    rule: SignalRule,
    zone_label: str,
    catalogue: Catalogue = BUILTIN,
) -> list[tuple[str, str]]:
    """Per signal (label, text) for one sector: the indicators raising it, "geen signaal", or "geen gegevens"
    with what is missing. The Signalen tab and the profile both show these lines."""
    mine = (
        evaluation[(evaluation["area_code"] == code) & evaluation["raised"].astype(bool)]
        if len(evaluation)
        else evaluation
    )
    out = []
    for signal, label in SIGNALS.items():
        state = states.state(code, signal)
        if state == RAISED:
            out.append((label, raised_text(mine[mine["signal"] == signal], rule, zone_label, catalogue)))
        elif state == NOT_RAISED:
            out.append((label, not_raised_text(states, code, signal)))
        else:
            out.append((label, no_data_text(states, code, [signal])))
    return out


def sector_signal_summary(states: SignalStates, code: str) -> str:
    """One cell for a sector (samenvattende tabel, meeting findings): "Eenzaamheid (2), Zorgnood (1)",
    "Geen signaal volgens de regel", "Geen gegevens: importeer …", or a mix of the three."""
    by_state: dict[str, list[str]] = {RAISED: [], NOT_RAISED: [], NO_DATA: []}
    for signal in SIGNALS:
        by_state[states.state(code, signal)].append(signal)
    if not by_state[RAISED] and not by_state[NOT_RAISED]:
        return no_data_sentence(states.reason(code, by_state[NO_DATA])).rstrip(".")
    parts = []
    if by_state[RAISED]:
        frame = states.frame[states.frame["area_code"] == code].set_index("signal")["n_raised"]
        parts.append(", ".join(f"{SIGNALS[s]} ({int(frame[s])})" for s in by_state[RAISED]))
    elif by_state[NO_DATA]:
        parts.append(f"{NOT_RAISED_SENTENCE} voor {join_and([SIGNALS[s] for s in by_state[NOT_RAISED]])}")
    else:
        parts.append(NOT_RAISED_SENTENCE)
    if by_state[NO_DATA]:
        labels = join_and([SIGNALS[s] for s in by_state[NO_DATA]])
        reason = states.reason(code, by_state[NO_DATA])
        parts.append(f"{NO_DATA} voor {labels}" + (f": {reason}" if reason else ""))
    return "; ".join(parts)


def view_signal_lines(
    summary: pd.DataFrame, states: SignalStates, sector_codes: Sequence[str]
) -> list[tuple[str, str]]:
    """Per signal (label, text) for a group of sectors (a municipality): which sectors raise it, most
    indicators first, or "geen signaal", or "geen gegevens" with what to import."""
    codes = list(sector_codes)
    part = summary[summary["area_code"].isin(codes)] if len(summary) else summary
    out = []
    for signal, label in SIGNALS.items():
        with_data = states.with_data(codes, [signal])
        if not with_data:
            out.append((label, no_data_text(states, None, [signal])))
            continue
        hit = (
            part[part["signal"] == signal].sort_values(["n_indicators", "area_name"], ascending=[False, True])
            if len(part)
            else part
        )
        if len(hit):
            text = f"{len(hit)} van de {len(codes)} sectoren, de meeste indicatoren eerst: " + ", ".join(
                f"{n} ({k} indicator{'en' if k != 1 else ''})" for n, k in zip(hit["area_name"], hit["n_indicators"])
            )
        else:
            text = NOT_RAISED_SENTENCE.lower()
        if len(with_data) < len(codes):
            text += f" ({NO_DATA} voor {len(codes) - len(with_data)} van de {len(codes)} sectoren)"
        out.append((label, text))
    return out


def no_data_note(states: SignalStates, sector_codes: Sequence[str]) -> str:
    """One sentence above a signal table when data are lacking ("" when every signal has its data):
    the signals without data in any of the sectors, else the indicators not in the store, and what to import."""
    codes = list(sector_codes)
    empty = [s for s in SIGNALS if not states.with_data(codes, [s])]
    if empty:
        return (
            f"{_capital(NO_DATA)} voor {join_and([SIGNALS[s] for s in empty])}: "
            f"{states.reason(None, empty)}. Een streepje (-) is geen 0: er valt niets te beoordelen."
        )
    absent = states.absent()
    if absent:
        total = len(signal_indicators(states.catalogue))
        return (
            f"{len(absent)} van de {total} signaalindicatoren zitten niet in de databank "
            f"({_labels(absent, states.catalogue)}): {states.hint()}."
        )
    return ""
