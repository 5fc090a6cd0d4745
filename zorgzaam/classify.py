"""Classes and colours for a choropleth of an indicator per statistical sector.

Pure domain code (no Streamlit, no pydeck): ``classify`` turns the indicator
values of the sectors into classes, colours and a Dutch legend.

Three methods (``METHODS``):

* ``kwantielen`` -- class edges at quantiles of the known values (numpy's default
  linear interpolation); equal edges collapse and a class that would hold no
  sector is merged into the next one, so every class shown holds at least one
  sector. Fewer classes than asked is normal for few or tied values.
* ``gelijke_intervallen`` -- equal-width classes from the minimum to the maximum;
  classes may be empty (count 0), the legend keeps them. All values equal: one class.
* ``afwijking_elz`` -- five fixed classes by the relative deviation from the
  care-zone value (``reference``): ratio edges 0.8, 0.9, 1.1 and 1.25. A boundary
  value belongs to the outer class, so the outer classes are exactly the app's
  default signal rule (``signals.SignalRule``: at least 1.25 × the care-zone
  value, or at most the value / 1.25 = 0.8 × where lower signals; up to a
  relative 1e-9 for floating-point noise). ``n_classes`` is ignored; empty
  classes stay in the legend (count 0) so it does not change between indicators.
  A missing, zero or negative reference raises ``ValueError`` with a Dutch
  sentence (a relative deviation from 0 means nothing; no absolute fallback);
  the page should then show one of the other methods.

Palettes: ColorBrewer YlGnBu (sequential, as many colours as classes actually
shown) and PuOr (diverging: purple lower, light neutral within 10 %, orange
higher); missing is grey (189, 189, 189), distinct from every class colour.

Class membership (sequential methods): lower edge inclusive, upper edge exclusive,
the last class closed, so the maximum is in the top class. Values outside the
edges (only when ``class_of`` is given other values) go to the nearest end class.

Missing values (NaN, ``pd.NA``, ``None``, non-numeric or infinite) are hidden or
unknown, never 0: class -1, colour ``MISSING_COLOUR``, counted only in the extra
legend entry ``MISSING_LABEL`` (present only when something is missing).

Labels: Dutch number format with ``decimals`` decimals; when two adjacent edges
would print the same, all labels of the legend get one or two decimals more.
A short unit ("%", "inwoners", ...) is repeated in every class label
("10,2 – 12,3 %"); a long unit that starts with "per " ("per 100 inwoners 20-64
jaar") is kept out of the class labels and belongs in the legend title once
(``Classification.unit_label`` / ``Classification.title``).
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise
from typing import Any

import numpy as np
import pandas as pd

from .formatting import format_number, unit_suffix

__all__ = [
    "DEVIATION_RATIOS",
    "MAX_CLASSES",
    "METHODS",
    "MISSING_COLOUR",
    "MISSING_LABEL",
    "Classification",
    "LegendEntry",
    "classify",
    "sequential_palette",
    "to_float_array",
]

METHODS: dict[str, str] = {
    "kwantielen": "Kwantielen (evenveel sectoren per klasse)",
    "gelijke_intervallen": "Gelijke intervallen",
    "afwijking_elz": "Afwijking t.o.v. eerstelijnszone",
}

RGB = tuple[int, int, int]

MISSING_COLOUR: RGB = (189, 189, 189)  # grey for hidden / missing sectors, shown with "x"
MISSING_LABEL = "x of - : verborgen of geen gegevens"

MAX_CLASSES = 9
# Ratio to the care-zone value at the edges of the five afwijking_elz classes.
DEVIATION_RATIOS: tuple[float, ...] = (0.8, 0.9, 1.1, 1.25)
# Relative tolerance at class edges, so 11,0 against 10,0 is "10–25 % hoger"
# despite 1.1 * 10 == 11.000000000000002 in floating point (also for computed
# equal-interval edges).
_RATIO_TOLERANCE = 1e-9
# Extra decimals allowed when rounding would print two adjacent edges the same.
_EXTRA_DECIMALS = 2

# ColorBrewer YlGnBu (sequential, colour-blind safe, print and projector friendly),
# light to dark, by number of classes. 1 and 2 classes take colours of the 3-class scheme.
_YLGNBU: dict[int, tuple[RGB, ...]] = {
    1: ((65, 182, 196),),
    2: ((237, 248, 177), (44, 127, 184)),
    3: ((237, 248, 177), (127, 205, 187), (44, 127, 184)),
    4: ((255, 255, 204), (161, 218, 180), (65, 182, 196), (34, 94, 168)),
    5: ((255, 255, 204), (161, 218, 180), (65, 182, 196), (44, 127, 184), (37, 52, 148)),
    6: ((255, 255, 204), (199, 233, 180), (127, 205, 187), (65, 182, 196), (44, 127, 184), (37, 52, 148)),
    7: (
        (255, 255, 204),
        (199, 233, 180),
        (127, 205, 187),
        (65, 182, 196),
        (29, 145, 192),
        (34, 94, 168),
        (12, 44, 132),
    ),
    8: (
        (255, 255, 217),
        (237, 248, 177),
        (199, 233, 180),
        (127, 205, 187),
        (65, 182, 196),
        (29, 145, 192),
        (34, 94, 168),
        (12, 44, 132),
    ),
    9: (
        (255, 255, 217),
        (237, 248, 177),
        (199, 233, 180),
        (127, 205, 187),
        (65, 182, 196),
        (29, 145, 192),
        (34, 94, 168),
        (37, 52, 148),
        (8, 29, 88),
    ),
}

# ColorBrewer PuOr, 5 classes (diverging, colour-blind safe): purple = lower than
# the care zone, light neutral = within 10 %, orange = higher.
_PUOR_5: tuple[RGB, ...] = (
    (94, 60, 153),
    (178, 171, 210),
    (247, 247, 247),
    (253, 184, 99),
    (230, 97, 1),
)

_DEVIATION_TEXT: tuple[str, ...] = (
    "≥ 20 % lager dan de eerstelijnszone",
    "10–20 % lager dan de eerstelijnszone",
    "binnen 10 % van de eerstelijnszone",
    "10–25 % hoger dan de eerstelijnszone",
    "≥ 25 % hoger dan de eerstelijnszone",
)


def sequential_palette(n_classes: int) -> tuple[RGB, ...]:
    """ColorBrewer YlGnBu with ``n_classes`` colours (1 to 9), light to dark."""
    if n_classes not in _YLGNBU:
        raise ValueError(f"Kies tussen 1 en {MAX_CLASSES} klassen (gevraagd: {n_classes}).")
    return _YLGNBU[n_classes]


def to_float_array(values: Any) -> np.ndarray:
    """Values as float64, every missing or non-numeric or infinite value as NaN."""
    if isinstance(values, pd.Series):
        series = values
    elif np.ndim(values) == 0:
        series = pd.Series([values], dtype=object)
    else:
        series = pd.Series(values)
    numbers = pd.to_numeric(series, errors="coerce")
    array = numbers.to_numpy(dtype="float64", na_value=np.nan)
    array = np.array(array, dtype="float64", copy=True)
    array[~np.isfinite(array)] = np.nan
    return array


@dataclass(frozen=True)
class LegendEntry:
    colour: RGB
    label: str  # Dutch, formatted bounds (with the unit when it is short), e.g. "12,3 – 15,6 %"
    count: int  # number of sectors in this class


@dataclass(frozen=True)
class Classification:
    method: str
    bounds: tuple[float, ...]  # k+1 ascending edges; afwijking_elz: -inf, 0.8r, 0.9r, 1.1r, 1.25r, inf
    colours: tuple[RGB, ...]  # k colours, class 0 first
    entries: tuple[LegendEntry, ...]  # k class entries, then one MISSING_LABEL entry if anything is missing
    reference: float | None  # the care-zone value (as given; required for afwijking_elz)
    unit: str = "%"
    unit_label: str = "%"  # the unit for the legend title ("" for verhouding)
    unit_in_labels: bool = True  # False: class labels are bare numbers, the unit is in the title
    label_decimals: int = 1  # decimals actually used in the labels (may exceed the requested ones)

    @property
    def n_classes(self) -> int:
        return len(self.colours)

    @property
    def class_entries(self) -> tuple[LegendEntry, ...]:
        return self.entries[: self.n_classes]

    @property
    def missing_entry(self) -> LegendEntry | None:
        return self.entries[self.n_classes] if len(self.entries) > self.n_classes else None

    @property
    def method_label(self) -> str:
        return METHODS[self.method]

    def title(self, name: str) -> str:
        """Legend title: the indicator name with the unit once, e.g. 'Afhankelijkheid (per 100 inwoners 20-64 jaar)'."""
        return f"{name} ({self.unit_label})" if self.unit_label else name

    def class_of(self, values: Any) -> np.ndarray:
        """Class index per value (0 = lowest class), -1 for a missing value."""
        array = to_float_array(values)
        result = np.full(array.shape, -1, dtype=int)
        known = ~np.isnan(array)
        if self.n_classes == 0 or not known.any():
            return result
        if self.method == "afwijking_elz":
            assert self.reference is not None
            ratio = array[known] / self.reference
            low_a, low_b, high_a, high_b = DEVIATION_RATIOS
            tol = _RATIO_TOLERANCE
            result[known] = np.select(
                [ratio <= low_a + tol, ratio <= low_b + tol, ratio < high_a - tol, ratio < high_b - tol],
                [0, 1, 2, 3],
                default=4,
            )
            return result
        result[known] = _sequential_index(self.bounds, array[known])
        return result

    def colour_of(self, values: Any) -> list[list[int]]:
        """RGB per value (pydeck-ready lists), MISSING_COLOUR for a missing value."""
        return [list(self.colours[i]) if i >= 0 else list(MISSING_COLOUR) for i in self.class_of(values)]


def _sequential_index(edges: Any, values: np.ndarray) -> np.ndarray:
    """Class per value: lower edge inclusive (with a relative tolerance of 1e-9, so a
    value equal to a computed edge up to floating-point noise is in the upper class),
    last class closed, values outside the edges in the nearest end class."""
    inner = np.asarray(edges[1:-1], dtype="float64")
    inner = inner - _RATIO_TOLERANCE * np.maximum(np.abs(inner), 1.0)
    return np.searchsorted(inner, values, side="right")


def _label_decimals(edges: list[float], decimals: int) -> int:
    """The fewest decimals (decimals … decimals+2) that print adjacent edges differently."""
    finite = [e for e in dict.fromkeys(edges) if np.isfinite(e)]  # a one-value class has two equal edges
    for candidate in range(decimals, decimals + _EXTRA_DECIMALS + 1):
        texts = [format_number(e, candidate) for e in finite]
        if all(a != b for a, b in pairwise(texts)):
            return candidate
    return decimals + _EXTRA_DECIMALS


def _unit_parts(unit: str) -> tuple[str, str, bool]:
    """(suffix in class labels, unit for the legend title, whether labels carry the unit)."""
    suffix = unit_suffix(unit)
    unit_label = suffix.strip()
    if unit.startswith("per "):
        return "", unit_label, False
    return suffix, unit_label, True


def _quantile_edges(known: np.ndarray, n_classes: int) -> list[float]:
    edges = np.unique(np.quantile(known, np.linspace(0.0, 1.0, n_classes + 1)))
    edges_list = [float(e) for e in edges]
    if len(edges_list) == 1:
        return [edges_list[0], edges_list[0]]
    # Merge a class that holds no value into the next one (drop its upper edge;
    # the last class into the previous one). Interpolated quantiles leave such
    # gaps when there are few distinct values.
    while len(edges_list) > 2:
        counts = np.bincount(_sequential_index(edges_list, known), minlength=len(edges_list) - 1)
        empty = [i for i, count in enumerate(counts) if count == 0]
        if not empty:
            break
        i = empty[0]
        del edges_list[i + 1 if i + 1 < len(edges_list) - 1 else i]
    return edges_list


def _equal_edges(known: np.ndarray, n_classes: int) -> list[float]:
    low, high = float(known.min()), float(known.max())
    if low == high:
        return [low, high]
    edges = [float(e) for e in np.linspace(low, high, n_classes + 1)]
    edges[0], edges[-1] = low, high
    return edges


def _optional_float(value: Any) -> float | None:
    """A finite float, or None for a missing or unusable value."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if np.isfinite(number) else None


def _check_reference(reference: Any) -> float:
    value = _optional_float(reference) if reference is not None and reference is not pd.NA else None
    if value is None:
        raise ValueError(
            "De afwijking t.o.v. de eerstelijnszone kan niet berekend worden: "
            "de waarde van de eerstelijnszone ontbreekt."
        )
    if value <= 0:
        raise ValueError(
            "De afwijking t.o.v. de eerstelijnszone kan niet berekend worden: de waarde van de "
            f"eerstelijnszone is {format_number(value, 1)} en een afwijking in procent daarvan zegt niets."
        )
    return value


def classify(
    values: Any,
    method: str = "kwantielen",
    n_classes: int = 5,
    reference: float | None = None,
    unit: str = "%",
    decimals: int = 1,
) -> Classification:
    """Classes, colours and a Dutch legend for the indicator values of the sectors.

    Raises ValueError (one Dutch sentence) for an unknown method, a number of
    classes outside 1..9, or an unusable care-zone value for afwijking_elz.
    """
    if method not in METHODS:
        raise ValueError(f"Onbekende indeling '{method}'; kies uit: {', '.join(METHODS.values())}.")
    if isinstance(n_classes, bool) or not isinstance(n_classes, (int, np.integer)) or not 1 <= n_classes <= MAX_CLASSES:
        raise ValueError(f"Kies tussen 1 en {MAX_CLASSES} klassen (gevraagd: {n_classes}).")
    decimals = max(0, int(decimals))
    array = to_float_array(values)
    missing = int(np.isnan(array).sum())
    known = array[~np.isnan(array)]
    suffix, unit_label, unit_in_labels = _unit_parts(unit)

    ref_value: float | None
    if method == "afwijking_elz":
        ref_value = _check_reference(reference)
        edges = [-np.inf] + [ratio * ref_value for ratio in DEVIATION_RATIOS] + [np.inf]
        colours = _PUOR_5
    else:
        ref_value = None if reference is None or reference is pd.NA else _optional_float(reference)
        if known.size == 0:
            edges = []
        elif method == "kwantielen":
            edges = _quantile_edges(known, int(n_classes))
        else:
            edges = _equal_edges(known, int(n_classes))
        colours = sequential_palette(len(edges) - 1) if edges else ()

    used = _label_decimals(edges, decimals)

    def fmt(value: float) -> str:
        return format_number(value, used)

    labels: list[str]
    if method == "afwijking_elz":
        b = edges
        ranges = (
            f"≤ {fmt(b[1])}{suffix}",
            f"{fmt(b[1])} – {fmt(b[2])}{suffix}",
            f"{fmt(b[2])} – {fmt(b[3])}{suffix}",
            f"{fmt(b[3])} – {fmt(b[4])}{suffix}",
            f"≥ {fmt(b[4])}{suffix}",
        )
        labels = [f"{text} ({bound})" for text, bound in zip(_DEVIATION_TEXT, ranges, strict=True)]
    elif len(edges) == 2 and edges[0] == edges[1]:
        labels = [f"{fmt(edges[0])}{suffix}"]
    else:
        labels = [f"{fmt(lo)} – {fmt(hi)}{suffix}" for lo, hi in pairwise(edges)]

    partial = Classification(
        method=method,
        bounds=tuple(float(e) for e in edges),
        colours=tuple(colours),
        entries=(),
        reference=ref_value,
        unit=unit,
        unit_label=unit_label,
        unit_in_labels=unit_in_labels,
        label_decimals=used,
    )
    classes = partial.class_of(known)
    counts = np.bincount(classes, minlength=len(colours)) if known.size else np.zeros(len(colours), dtype=int)
    entries = [
        LegendEntry(colour=colour, label=label, count=int(count))
        for colour, label, count in zip(colours, labels, counts, strict=True)
    ]
    if missing:
        entries.append(LegendEntry(colour=MISSING_COLOUR, label=MISSING_LABEL, count=missing))
    return Classification(
        method=method,
        bounds=partial.bounds,
        colours=partial.colours,
        entries=tuple(entries),
        reference=ref_value,
        unit=unit,
        unit_label=unit_label,
        unit_in_labels=unit_in_labels,
        label_decimals=used,
    )
