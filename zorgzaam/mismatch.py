"""Who versus what: the need of residents beside their lack of access, per statistical sector.

Pure pandas. Both variables are cut into thirds within the view (the sectors passed
in), combined in a 3 × 3 bivariate map, and the sectors in the top third of both
become an attention list with a plain Dutch sentence each. The source treats such a
mismatch as "een signaal om te verkennen", never as a verdict.

Input frame of ``attention_list`` (one row per sector of the view):

* ``statsec`` (text code), ``name``;
* ``need_value``: the need indicator (e.g. % 80-plussers), NaN/NA when hidden or unknown;
* ``lack_share``: the share of the group without access, 0–1 (e.g. 80-plussers farther
  than 1,2 km from a bakker), NaN/NA when unknown;
* ``group_count``: people in the group (e.g. 80-plussers), NA when hidden ("x");
* optional ``group_lacking``: people in the group without access (an estimate;
  default ``group_count × lack_share``);
* optional ``small`` (bool): a sector with few residents (default False).
"""

from __future__ import annotations

import html
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .classify import MISSING_COLOUR, MISSING_LABEL, to_float_array
from .formatting import format_number, unit_suffix
from .signals import no_data_sentence

__all__ = [
    "ATTENTION_COLUMNS",
    "BIVARIATE_COLOURS",
    "CLASS_NAMES",
    "MISMATCH_QUESTIONS",
    "ClassRange",
    "attention_list",
    "attention_sentence",
    "bivariate_classes",
    "bivariate_colour",
    "bivariate_legend",
    "bivariate_legend_html",
    "format_share",
    "gap_sentence",
    "mismatch_summary",
    "round_people",
    "tertile_classes",
]

RGB = tuple[int, int, int]

MISMATCH_QUESTIONS: dict[str, str] = {
    "8.1": "De buurtbewoners en de omgeving: (mis)match tussen wie en wat in de buurt?",
    "8.2": "Welke potentieel kwetsbare buurten zijn er in de gemeente door de woonomgeving?",
}

# Joshua Stevens' blue-pink bivariate scheme, [need_class][lack_class]: need runs from
# grey to pink, lack of access from grey to blue-green; both high is the dark blue corner.
BIVARIATE_COLOURS: tuple[tuple[RGB, RGB, RGB], ...] = (
    ((232, 232, 232), (172, 228, 228), (90, 200, 200)),
    ((223, 176, 214), (165, 173, 211), (86, 152, 185)),
    ((190, 100, 172), (140, 98, 170), (59, 73, 148)),
)
NEED_AXIS = "meer nood →"
LACK_AXIS = "minder toegang →"
CLASS_NAMES: tuple[str, str, str] = ("laag", "midden", "hoog")
SMALL_NOTE = "Weinig inwoners: voorzichtig interpreteren."
SIGNAL_NOTE = "Het gaat om signalen om te verkennen, niet om een oordeel over de buurt."


@dataclass(frozen=True)
class ClassRange:
    low: float  # smallest value in the class
    high: float  # largest value in the class
    count: int  # sectors in the class


Bounds = tuple["ClassRange | None", "ClassRange | None", "ClassRange | None"]


def tertile_classes(values: Any) -> tuple[pd.Series, Bounds]:
    """Class 0 (low), 1 (middle) or 2 (high) per value within the given values, NA when missing.

    A value's class is the third in which its mid-rank percentile (r − ½) / n falls, with
    r the average rank of equal values and n the number of known values: [0, ⅓) low,
    [⅓, ⅔) middle, [⅔, 1] high. So equal values always share a class; n distinct values
    give thirds as equal as possible (7 values: 2, 3, 2); one value, or all values equal,
    land in the middle; two distinct values in low and high. A tie covering more than a
    third may leave a class empty.

    ``bounds``: per class the smallest and largest value and the count (None when empty);
    no value lies between two classes, so these are the cut points a legend needs.
    """
    array = to_float_array(values)
    known = ~np.isnan(array)
    classes = np.full(array.shape, np.nan)
    n = int(known.sum())
    if n:
        # Rounding keeps floating-point noise (0.1 + 0.2 vs 0.3) from splitting a tie.
        ranks = pd.Series(np.round(array[known], 9)).rank(method="average").to_numpy()
        classes[known] = np.minimum(np.floor(3.0 * (ranks - 0.5) / n), 2.0)
    index = values.index if isinstance(values, pd.Series) else None
    series = pd.Series(classes, index=index).astype("Int64")
    bounds = []
    for c in range(3):
        members = array[known & (classes == c)]
        bounds.append(
            ClassRange(float(members.min()), float(members.max()), int(members.size)) if members.size else None
        )
    return series, (bounds[0], bounds[1], bounds[2])


def bivariate_colour(need_class: Any, lack_class: Any) -> RGB:
    """The palette colour of a cell, grey (``MISSING_COLOUR``) when either class is missing."""
    if need_class is None or lack_class is None or pd.isna(need_class) or pd.isna(lack_class):
        return MISSING_COLOUR
    return BIVARIATE_COLOURS[int(need_class)][int(lack_class)]


def bivariate_classes(need: pd.Series, lack: pd.Series) -> pd.DataFrame:
    """Columns ``need_class``, ``lack_class`` (Int64 0–2, tertiles within the given values),
    ``cell`` (Int64 3 × need_class + lack_class, 0–8; NA when either is missing) and
    ``colour`` ([r, g, b] from ``BIVARIATE_COLOURS``, grey when missing); index of ``need``."""
    lack = pd.Series(lack.to_numpy(), index=need.index)
    need_class, _ = tertile_classes(need)
    lack_class, _ = tertile_classes(lack)
    frame = pd.DataFrame({"need_class": need_class, "lack_class": lack_class}, index=need.index)
    frame["cell"] = (3 * frame["need_class"] + frame["lack_class"]).astype("Int64")
    frame["colour"] = [list(bivariate_colour(n, k)) for n, k in zip(frame["need_class"], frame["lack_class"])]
    return frame


def _range_label(bound: ClassRange | None, unit: str, decimals: int, scale: float) -> str:
    if bound is None:
        return "geen sectoren"
    suffix = unit_suffix(unit)
    low, high = format_number(bound.low * scale, decimals), format_number(bound.high * scale, decimals)
    return f"{low}{suffix}" if low == high else f"{low} – {high}{suffix}"


def bivariate_legend(
    need_bounds: Bounds,
    lack_bounds: Bounds,
    need_label: str,
    lack_label: str,
    need_unit: str = "%",
    lack_unit: str = "%",
    need_decimals: int = 1,
    lack_decimals: int = 0,
    lack_scale: float = 100.0,
) -> dict[str, Any]:
    """Data for a 3 × 3 legend grid.

    Keys: ``rows`` (three rows, high need first, each three cells with ``need_class``,
    ``lack_class``, ``colour`` and ``hex``, lack rising to the right), ``need_title``,
    ``lack_title``, ``need_axis``, ``lack_axis``, ``need_labels`` and ``lack_labels``
    (class 0, 1, 2 as Dutch ranges; ``lack_scale`` turns a 0–1 share into %), and
    ``missing`` (colour and label).
    """
    rows = [
        [
            {
                "need_class": n,
                "lack_class": k,
                "colour": BIVARIATE_COLOURS[n][k],
                "hex": "#{:02x}{:02x}{:02x}".format(*BIVARIATE_COLOURS[n][k]),
            }
            for k in range(3)
        ]
        for n in (2, 1, 0)
    ]
    return {
        "rows": rows,
        "need_title": need_label,
        "lack_title": lack_label,
        "need_axis": NEED_AXIS,
        "lack_axis": LACK_AXIS,
        "need_labels": [_range_label(b, need_unit, need_decimals, 1.0) for b in need_bounds],
        "lack_labels": [_range_label(b, lack_unit, lack_decimals, lack_scale) for b in lack_bounds],
        "missing": {"colour": MISSING_COLOUR, "label": MISSING_LABEL},
    }


def bivariate_legend_html(*args: Any, **kwargs: Any) -> str:
    """The legend of ``bivariate_legend`` (same arguments) as a small HTML grid."""
    legend = bivariate_legend(*args, **kwargs)
    esc = html.escape
    cells = "".join(
        f"<div title='{esc(CLASS_NAMES[c['need_class']])} / {esc(CLASS_NAMES[c['lack_class']])}' "
        f"style='width:30px;height:30px;background:{c['hex']}'></div>"
        for row in legend["rows"]
        for c in row
    )
    grid = f"<div style='display:grid;grid-template-columns:repeat(3,30px);gap:2px'>{cells}</div>"
    need_axis = (
        "<div style='writing-mode:vertical-rl;transform:rotate(180deg);font-size:0.85em;"
        f"text-align:center'>{esc(legend['need_axis'])}</div>"
    )
    lack_axis = f"<div style='font-size:0.85em;margin:2px 0 0 22px'>{esc(legend['lack_axis'])}</div>"

    def ranges(title: str, labels: Sequence[str]) -> str:
        parts = " · ".join(
            f"<span style='white-space:nowrap'>{CLASS_NAMES[i]} {esc(label)}</span>" for i, label in enumerate(labels)
        )
        return f"<div style='margin-top:4px'><b>{esc(title)}</b>: {parts}</div>"

    grey = "#{:02x}{:02x}{:02x}".format(*legend["missing"]["colour"])
    missing = (
        f"<div style='display:flex;align-items:center;gap:6px;margin-top:4px'><span style='width:16px;"
        f"height:16px;background:{grey};border:1px solid #555'></span>{esc(legend['missing']['label'])}</div>"
    )
    return (
        "<div class='zz-bivariate' style='font-size:0.9em;line-height:1.25'>"
        f"<div style='display:flex;align-items:center;gap:6px'>{need_axis}{grid}</div>{lack_axis}"
        f"{ranges('↑ ' + legend['need_title'], legend['need_labels'])}"
        f"{ranges('→ ' + legend['lack_title'], legend['lack_labels'])}{missing}</div>"
    )


def round_people(value: float) -> int:
    """Whole people, halves up (an estimate of 0,5 person is 1, not 0 as banker's rounding gives)."""
    return int(math.floor(float(value) + 0.5))


def _known(value: Any) -> float | None:
    number = to_float_array(value)
    return None if np.isnan(number[0]) else float(number[0])


def format_share(share: float, decimals: int = 0) -> str:
    """A 0–1 share as a Dutch percentage: 0.6 -> '60 %'."""
    return f"{format_number(share * 100.0, decimals)} %"


def attention_sentence(
    sector_name: str,
    group_label: str,
    group_count: Any,
    share_lacking: Any,
    lack_phrase: str,
    small: bool = False,
    pct_decimals: int = 0,
) -> str:
    """One plain Dutch sentence for a sector, e.g. "In Heidebeek-Centrum wonen 140 inwoners
    van 80+; 60 % van hen woont verder dan 1,2 km van een bakker."

    ``group_label`` is plural ("inwoners van 80+"); ``lack_phrase`` starts with a verb in the
    singular ("woont verder dan ..."). A hidden count is said to be unpublished, never 0.
    """
    count = _known(group_count)
    share = _known(share_lacking)
    if count is None:
        text = f"In {sector_name} is het aantal {group_label} niet gepubliceerd (te klein om te tonen)"
        if share is not None:
            text += f"; {format_share(share, pct_decimals)} van hen {lack_phrase}"
    else:
        people = round_people(count)
        text = f"In {sector_name} {'woont' if people == 1 else 'wonen'} {format_number(people)} {group_label}"
        if share is not None:
            text += f"; {format_share(share, pct_decimals)} van hen {lack_phrase}"
        else:
            text += "; hoeveel van hen geen toegang heeft, is niet bekend"
    text += "."
    if small:
        text += f" {SMALL_NOTE}"
    return text


ATTENTION_COLUMNS: tuple[str, ...] = (
    "statsec",
    "name",
    "need_value",
    "lack_share",
    "group_count",
    "group_lacking",
    "small",
    "need_class",
    "lack_class",
    "sentence",
)


def attention_list(frame: pd.DataFrame, group_label: str, lack_phrase: str, pct_decimals: int = 0) -> pd.DataFrame:
    """Sectors in the top third of the view for both need and lack of access (cell 2–2),
    most people without access first (hidden counts last, then by share and name).

    Returns ``ATTENTION_COLUMNS``; ``group_count`` and ``group_lacking`` rounded to whole
    people (Int64, NA when hidden); ``sentence`` from ``attention_sentence``.
    """
    data = frame.reset_index(drop=True)
    classes = bivariate_classes(data["need_value"], data["lack_share"])
    count = pd.Series(to_float_array(data["group_count"]))
    share = pd.Series(to_float_array(data["lack_share"]))
    lacking = pd.Series(to_float_array(data["group_lacking"])) if "group_lacking" in data.columns else count * share
    small = data["small"].fillna(False).astype(bool) if "small" in data.columns else pd.Series(False, index=data.index)

    def people(values: pd.Series) -> pd.Series:
        return pd.Series([pd.NA if pd.isna(v) else round_people(v) for v in values], dtype="Int64")

    out = pd.DataFrame(
        {
            "statsec": data["statsec"].astype(str),
            "name": data["name"].astype(str),
            "need_value": to_float_array(data["need_value"]),
            "lack_share": share,
            "group_count": people(count),
            "group_lacking": people(lacking),
            "small": small.to_numpy(),
            "need_class": classes["need_class"].to_numpy(),
            "lack_class": classes["lack_class"].to_numpy(),
        }
    )
    out = out[(out["need_class"] == 2).fillna(False) & (out["lack_class"] == 2).fillna(False)]
    out = out.assign(_hidden=out["group_lacking"].isna(), _lacking=out["group_lacking"].astype("Float64").fillna(0))
    out = out.sort_values(["_hidden", "_lacking", "lack_share", "name"], ascending=[True, False, False, True])
    out = out.drop(columns=["_hidden", "_lacking"]).reset_index(drop=True)
    out["sentence"] = [
        attention_sentence(r.name, group_label, r.group_count, r.lack_share, lack_phrase, bool(r.small), pct_decimals)
        for r in out.itertuples(index=False)
    ]
    return out[list(ATTENTION_COLUMNS)]


def _join(items: Sequence[str], limit: int) -> str:
    """'A, B en C', capped to ``limit`` items with '(+ n andere)'."""
    shown = list(items[:limit])
    text = shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " en " + shown[-1]
    if len(items) > limit:
        text += f" (+ {len(items) - limit} andere)"
    return text


def gap_sentence(need_label: str, need_status: Any, lack_share: Any) -> str | None:
    """Why a sector can have no Wie-vs-wat finding: its need is hidden by the source, or has no data, or
    its access is unknown (no inhabited places). None when both are known: then it is in the attention
    list or it does not stand out."""
    if need_status in ("verborgen", "onvolledig"):
        return f"Niet te bepalen: {need_label} is verborgen door de bron (te klein)."
    if need_status != "ok":
        return no_data_sentence(f"{need_label} ontbreekt voor deze sector")
    if _known(lack_share) is None:
        return no_data_sentence("geen bereikbaarheid per woonplaats voor deze sector (geen bewoonde hectarecellen)")
    return None


def mismatch_summary(
    attention: pd.DataFrame,
    view_name: str,
    need_label: str,
    lack_label: str,
    group_label: str,
    limit: int = 5,
    data: pd.DataFrame | None = None,
    no_data_reason: str = "",
) -> dict[str, str]:
    """Pre-filled answers to questions 8.1 and 8.2 (``MISMATCH_QUESTIONS``) from ``attention_list``.

    ``need_label`` and ``lack_label`` read after "een hoog": "aandeel 80-plussers",
    "aandeel 80-plussers ver van een bakker". At most ``limit`` sectors are named.
    ``data``: the view's sectors (``need_value``, ``lack_share``): without a sector that has both, the
    answers say "Geen gegevens" (with ``no_data_reason``, e.g. what to import) instead of "no sector stands
    out"; sectors without both are counted in 8.1.
    """
    n = len(attention)
    scope = f"(telkens het hoogste derde binnen {view_name})"
    unknown_note = ""
    if data is not None:
        known = int(
            (
                pd.Series(to_float_array(data["need_value"])).notna()
                & pd.Series(to_float_array(data["lack_share"])).notna()
            ).sum()
        )
        if known == 0:
            sentence = no_data_sentence(
                no_data_reason
                or f"voor geen enkele sector van {view_name} zijn zowel het {need_label} als het {lack_label} bekend"
            )
            return {"8.1": sentence, "8.2": sentence}
        if known < len(data):
            unknown_note = (
                f" Voor {len(data) - known} van de {len(data)} sectoren ontbreken de cijfers of zijn ze "
                "verborgen: daar valt niets te bepalen."
            )
    if n == 0:
        return {
            "8.1": (
                f"In {view_name} valt geen statistische sector op met tegelijk een hoog {need_label} en een "
                f"hoog {lack_label} {scope}. Een mismatch binnen een sector is daarmee niet uitgesloten: "
                "bekijk ook de kaart en vraag hoe bewoners het beleven." + unknown_note
            ),
            "8.2": (
                f"Deze combinatie wijst geen statistische sector in {view_name} aan. Bekijk ook andere "
                "combinaties van wie en wat, en wat de werkgroep en de bewoners zelf opmerken."
            ),
        }
    details, names = [], []
    for r in attention.itertuples(index=False):
        if pd.isna(r.group_count):
            detail = f"aantal {group_label} niet gepubliceerd"
        elif pd.isna(r.group_lacking):
            detail = f"{format_number(r.group_count)} {group_label}"
        else:
            detail = f"{format_number(r.group_lacking)} van {format_number(r.group_count)} {group_label}"
        if r.small:
            detail += ", weinig inwoners"
        details.append(f"{r.name} ({detail})")
        names.append(f"{r.name} (weinig inwoners)" if r.small else str(r.name))
    subject = "valt 1 statistische sector" if n == 1 else f"vallen {n} statistische sectoren"
    answer_81 = (
        f"In {view_name} {subject} op met tegelijk een hoog {need_label} en een hoog {lack_label} "
        f"{scope}: {_join(details, limit)}. {SIGNAL_NOTE}{unknown_note}"
    )
    answer_82 = (
        f"Signalen om te verkennen: {_join(names, limit)}. Daar gaan binnen {view_name} een hoog "
        f"{need_label} en een hoog {lack_label} samen, een signaal dat de woonomgeving daar "
        "drempels kan opwerpen. Toets het ter plaatse en bij de bewoners: hoe beleven zij de afstand "
        "tot de voorzieningen?"
    )
    return {"8.1": answer_81, "8.2": answer_82}
