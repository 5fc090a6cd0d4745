"""The summary questions of the quantitative analysis, with the sectors that stand out filled in.

The questions are the source's own ("Samenvatting en tussentijdse conclusies",
indicators.md §3). The werkgroep's notes are kept in the store per area and
period and feed the summary table of a later report.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import pandas as pd

from .catalogue import BUILTIN, Catalogue
from .formatting import format_indicator
from .signals import MAX_LABELS, SignalStates, import_hint, join_and, no_data_sentence

__all__ = [
    "COMPOSITION_INDICATORS",
    "NOTHING_STANDS_OUT",
    "QUESTIONS",
    "StandOut",
    "SummaryQuestion",
    "composition_standouts",
    "question_text",
    "signal_standouts",
    "standouts_text",
]


@dataclass(frozen=True)
class SummaryQuestion:
    key: str
    number: str
    text: str
    signals: tuple[str, ...]  # empty: a question about composition, not signals


QUESTIONS: tuple[SummaryQuestion, ...] = (
    SummaryQuestion("wie", "2.1", "Wie leeft er in je buurt(en)?", ()),
    SummaryQuestion(
        "eenzaamheid",
        "2.2",
        "Zijn er cijfers die wijzen op een signaal van verhoogd risico op eenzaamheid en sociaal isolement?",
        ("eenzaamheid", "sociaal_isolement"),
    ),
    SummaryQuestion(
        "zorgnood",
        "2.3",
        "Zijn er cijfers die wijzen op een signaal van een verhoogde (onbeantwoorde) zorg- en ondersteuningsnood?",
        ("zorgnood", "onbeantwoorde_zorgnood"),
    ),
    SummaryQuestion(
        "kansen", "2.4", "Zijn er ook bepaalde kansen die zich voordoen aan de hand van de cijfers?", ("kans",)
    ),
)

# Indicators that describe who lives where (question 2.1).
COMPOSITION_INDICATORS: tuple[str, ...] = (
    "pct_age_0_9",
    "pct_80plus",
    "pct_single_person_hh",
    "pct_single_parent_hh",
    "pct_tenants",
    "pct_non_belgian_origin",
)


@dataclass(frozen=True)
class StandOut:
    area_code: str
    area_name: str
    text: str  # "% alleenwonend 75-plussers, % eenpersoonshuishoudens"
    weight: int  # how many indicators; for ordering


def signal_standouts(
    question: SummaryQuestion,
    summary: pd.DataFrame,
    view_codes: Sequence[str],
    small_codes: Sequence[str] = (),
    limit: int = 6,
    max_labels: int = 4,
) -> list[StandOut]:
    """Sectors of the view where the question's signals are raised, most indicators first.

    Each sector names at most ``max_labels`` indicators ("+ 3 andere"), so the list stays readable.
    """
    part = summary[summary["signal"].isin(question.signals) & summary["area_code"].isin(list(view_codes))]
    out = []
    for (code, name), rows in part.groupby(["area_code", "area_name"], sort=False):
        labels = list(dict.fromkeys(label for labels in rows["labels"] for label in labels))
        flag = " (weinig inwoners: voorzichtig interpreteren)" if code in set(small_codes) else ""
        text = ", ".join(labels[:max_labels])
        if len(labels) > max_labels:
            text += f" (+ {len(labels) - max_labels} andere)"
        out.append(StandOut(code, name, text + flag, len(labels)))
    out.sort(key=lambda s: (-s.weight, s.area_name))
    return out[:limit]


def composition_standouts(
    sectors: pd.DataFrame,
    zone_values: pd.Series,
    view_codes: Sequence[str],
    small_codes: Sequence[str] = (),
    zone_label: str = "eerstelijnszone",
    catalogue: Catalogue = BUILTIN,
    per_indicator: int = 2,
) -> list[StandOut]:
    """For question 2.1: per composition indicator the sectors with the highest value (small sectors skipped)."""
    out = []
    small = set(small_codes)
    view = set(view_codes)
    for code in COMPOSITION_INDICATORS:
        ind = catalogue.indicators.get(code)
        if ind is None:
            continue
        part = sectors[
            (sectors["indicator"] == code)
            & (sectors["status"] == "ok")
            & sectors["area_code"].isin(view)
            & ~sectors["area_code"].isin(small)
        ]
        top = part.sort_values("value", ascending=False).head(per_indicator)
        if top.empty:
            continue
        zone = zone_values.get(code)
        zone_text = f" ({zone_label}: {format_indicator(ind, zone)})" if zone is not None and pd.notna(zone) else ""
        names = ", ".join(f"{r.area_name} {format_indicator(ind, r.value)}" for r in top.itertuples())
        out.append(StandOut(code, ind.label, f"Hoogste {ind.label}: {names}{zone_text}", len(top)))
    return out


NOTHING_STANDS_OUT = "Geen sectoren vallen op volgens de huidige regel."


def standouts_text(items: Sequence[StandOut], with_codes: bool = True, markdown: bool = True) -> str:
    """Markdown bullet list (``markdown=False``: plain lines); the composition items carry their own sentence."""
    if not items:
        return NOTHING_STANDS_OUT
    lines = []
    for item in items:
        if item.text.startswith("Hoogste "):
            lines.append(f"- {item.text}" if markdown else item.text)
        else:
            code = f" ({item.area_code})" if with_codes else ""
            lines.append(
                f"- **{item.area_name}**{code}: {item.text}" if markdown else f"{item.area_name}{code}: {item.text}"
            )
    return "\n".join(lines)


def question_text(
    question: SummaryQuestion,
    items: Sequence[StandOut],
    states: SignalStates | None = None,
    view_codes: Sequence[str] = (),
    *,
    with_codes: bool = True,
    markdown: bool = True,
    catalogue: Catalogue = BUILTIN,
) -> str:
    """What the app fills in beside a summary question: its standouts, "no sector stands out" only when the
    sectors have data for the question's signals, and otherwise "Geen gegevens" with what to import.

    ``items``: ``signal_standouts`` or ``composition_standouts`` of the question; ``states``:
    ``signals.signal_states`` over (at least) ``view_codes``. Without ``states`` the standouts alone.
    """
    if states is None:
        return standouts_text(items, with_codes, markdown)
    codes = list(view_codes)
    if not question.signals:
        if items:
            return standouts_text(items, with_codes, markdown)
        hint = (
            import_hint(
                [c for c in COMPOSITION_INDICATORS if c in catalogue.indicators], set(states.variables or ()), catalogue
            )
            if states.variables is not None
            else ""
        )
        return no_data_sentence(hint or "de cijfers zijn verborgen of onbekend, of de sectoren hebben weinig inwoners")
    with_data = states.with_data(codes, question.signals)
    if not with_data:
        return no_data_sentence(states.reason(None, question.signals))
    text = standouts_text(items, with_codes, markdown)
    lacking = [c for c in codes if c not in set(with_data)]
    if lacking:
        names = states.frame.drop_duplicates("area_code").set_index("area_code")["area_name"]
        shown = [str(names.get(c, c)) for c in lacking[:MAX_LABELS]]
        more = f" (+ {len(lacking) - MAX_LABELS} andere)" if len(lacking) > MAX_LABELS else ""
        note = (
            f"Geen gegevens voor {len(lacking)} van de {len(codes)} sectoren: "
            f"{join_and(shown) if not more else ', '.join(shown)}{more}."
        )
        text += "\n" + (f"- {note}" if markdown and items else note)
    return text
