"""What an analysis page shows, chosen once: a frozen, validated choice object per page.

A page builds its choice from its widgets and the URL (in ``zorgzaam.ui``) and hands that one object to each
section, instead of a dozen positional arguments (after CHIME's ``Parameters``). A value that does not fit fails
where the choice is made, not deep inside a section. No Streamlit here; frozen and hashable, so a choice can key a
cache.

* ``View``: the sectors on screen (one municipality or the whole care zone) with the zone and municipality chosen;
* ``WieChoice`` ("Wie woont er?"): the view, the indicator, the period, the map's classification, the small-sector
  threshold and the selected sector; ``analysis_choice(rule)`` gives the ``analysis.AnalysisChoice`` of its zone;
* ``WieVsWatChoice`` ("Wie vs wat"): the view, the need (wie), the access measure and its radii (wat), the
  threshold, the period and the selected sector;
* ``WatChoice`` ("Wat is er?"): the view, the map layers switched on, the walkability rescale, the amenity categories
  and the selected sector.
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import TypeVar

from .access import AccessSettings, bus_column, lack_phrase, measure_codes
from .analysis import AnalysisChoice
from .catalogue import Indicator
from .classify import METHODS
from .keyfigures import SMALL_SECTOR_THRESHOLD
from .layers import LAYERS, SETTLEMENT_KEYS
from .signals import SignalRule
from .whowhat import NEEDS, NeedOption

__all__ = ["VIEW_LEVELS", "View", "WatChoice", "WieChoice", "WieVsWatChoice"]

#: The levels a page can show the sectors of.
VIEW_LEVELS = ("gemeente", "elz")

_C = TypeVar("_C", bound="_Selectable")


def _text(value: object, what: str, *, optional: bool = False) -> None:
    """Codes are text (a NIS code as a number loses its leading zero); an empty code is no code."""
    if value is None and optional:
        return
    if not isinstance(value, str):
        raise TypeError(f"{what} moet tekst zijn, niet {type(value).__name__} ({value!r}).")
    if not value:
        raise ValueError(f"{what} is leeg.")


def _threshold(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"De drempel voor kleine sectoren moet een geheel getal zijn, niet {value!r}.")
    if value < 0:
        raise ValueError(f"De drempel voor kleine sectoren kan niet negatief zijn ({value}).")
    return int(value)


@dataclass(frozen=True)
class View:
    """The sectors on screen: those of the chosen municipality (``level`` "gemeente") or of its whole care zone
    ("elz"). The other one is kept: the headline compares with the municipality, the signals with the zone."""

    level: str
    elz_code: str
    elz_name: str
    gemeente_code: str
    gemeente_name: str

    def __post_init__(self) -> None:
        if self.level not in VIEW_LEVELS:
            raise ValueError(f"Onbekend bereik '{self.level}': kies uit {', '.join(VIEW_LEVELS)}.")
        _text(self.elz_code, "De code van de eerstelijnszone")
        _text(self.gemeente_code, "De code van de gemeente")
        _text(self.elz_name, "De naam van de eerstelijnszone")
        _text(self.gemeente_name, "De naam van de gemeente")

    @property
    def code(self) -> str:
        return self.gemeente_code if self.level == "gemeente" else self.elz_code

    @property
    def name(self) -> str:
        return self.gemeente_name if self.level == "gemeente" else self.elz_name

    @property
    def label(self) -> str:
        """ "gemeente Heidebeek" or "eerstelijnszone Heidekempen"."""
        return f"gemeente {self.name}" if self.level == "gemeente" else f"eerstelijnszone {self.name}"

    @property
    def municipality(self) -> str | None:
        """The municipality the view is limited to (None: the whole care zone)."""
        return self.gemeente_code if self.level == "gemeente" else None

    @property
    def zone_label(self) -> str:
        """The reference every sector is compared with: "gemiddelde eerstelijnszone Heidekempen"."""
        return f"gemiddelde eerstelijnszone {self.elz_name}"

    def zone(self) -> View:
        """The same choice, showing the whole care zone."""
        return replace(self, level="elz")


class _Selectable:
    """A page choice whose selected sector comes last: it is read once the page knows the sectors on screen."""

    def select(self: _C, sector: str | None) -> _C:
        """The same choice with ``sector`` selected (None: none), validated again."""
        return replace(self, selected=sector)


def _common(choice) -> None:
    if not isinstance(choice.view, View):
        raise TypeError(f"Het bereik moet een View zijn, niet {type(choice.view).__name__}.")
    _text(choice.period, "De periode", optional=True)
    _text(choice.selected, "De gekozen sector", optional=True)
    object.__setattr__(choice, "small_threshold", _threshold(choice.small_threshold))


@dataclass(frozen=True)
class WieChoice(_Selectable):
    """What "Wie woont er?" shows. ``period``: figures up to it (None: the indicator has no figures yet);
    ``method``: the map's classification (``classify.METHODS``); ``selected``: the sector whose profile shows."""

    view: View
    indicator: Indicator
    period: str | None
    method: str = "kwantielen"
    small_threshold: int = SMALL_SECTOR_THRESHOLD
    selected: str | None = None

    def __post_init__(self) -> None:
        _common(self)
        if not isinstance(self.indicator, Indicator):
            raise TypeError(f"De indicator moet een Indicator zijn, niet {type(self.indicator).__name__}.")
        if self.method not in METHODS:
            raise ValueError(f"Onbekende indeling '{self.method}': kies uit {', '.join(METHODS)}.")

    def analysis_choice(self, rule: SignalRule = SignalRule()) -> AnalysisChoice:
        """The zone analysis behind the signals and the summary questions, for this view and signal rule."""
        return AnalysisChoice(
            elz=self.view.elz_code,
            municipality=self.view.municipality,
            period=self.period,
            rule=rule,
            small_threshold=self.small_threshold,
        )


@dataclass(frozen=True)
class WieVsWatChoice(_Selectable):
    """What "Wie vs wat" shows: a need (wie, one of ``whowhat.NEEDS``) against living beyond reach of an access
    ``measure`` (wat, ``access.measure_codes``) with the werkgroep's radii and bus frequency."""

    view: View
    need: NeedOption
    measure: str
    settings: AccessSettings
    period: str | None
    small_threshold: int = SMALL_SECTOR_THRESHOLD
    selected: str | None = None

    def __post_init__(self) -> None:
        _common(self)
        if not isinstance(self.need, NeedOption) or NEEDS.get(self.need.code) != self.need:
            raise ValueError(f"Onbekende 'wie': {self.need!r}.")
        if self.measure not in measure_codes():
            raise ValueError(f"Onbekende bereikbaarheidsmaat '{self.measure}'.")
        if not isinstance(self.settings, AccessSettings):
            raise TypeError(f"De afstanden moeten AccessSettings zijn, niet {type(self.settings).__name__}.")
        for radius in (self.settings.walk_radius, self.settings.bus_radius):
            if not radius > 0:
                raise ValueError(f"Een afstand moet groter dan 0 zijn ({radius}).")
        bus_column(self.settings.bus_min_per_hour)  # a Dutch error for a frequency that is not computed

    @property
    def lack_text(self) -> str:
        """The wat in words: 'verder dan 1,2 km van het basispakket …'."""
        return lack_phrase(self.measure, self.settings)

    @property
    def measure_text(self) -> str:
        """Who lacks access, in words: 'inwoners van 80+ die verder dan … wonen'."""
        return f"{self.need.group_label} die {self.lack_text} wonen"


@dataclass(frozen=True)
class WatChoice(_Selectable):
    """What "Wat is er?" shows: the map layers switched on (``layer_keys``: keys of ``layers.LAYERS``), the
    walkability colours ``rescale``d to the view, the amenity ``categories`` shown and the selected sector."""

    view: View
    layer_keys: tuple[str, ...] = ()
    rescale: bool = False
    categories: tuple[str, ...] = ()
    selected: str | None = None

    def __post_init__(self) -> None:
        if not isinstance(self.view, View):
            raise TypeError(f"Het bereik moet een View zijn, niet {type(self.view).__name__}.")
        object.__setattr__(self, "layer_keys", _keys(self.layer_keys, "laag"))
        unknown = [k for k in self.layer_keys if k not in LAYERS]
        if unknown:
            raise ValueError(f"Onbekende laag: {', '.join(unknown)}.")
        object.__setattr__(self, "categories", _keys(self.categories, "soort voorziening"))
        object.__setattr__(self, "rescale", bool(self.rescale))
        _text(self.selected, "De gekozen sector", optional=True)

    @property
    def settlements(self) -> tuple[str, ...]:
        """The settlement types (kern, lint, verspreid) whose layer is switched on."""
        return tuple(c for c, key in SETTLEMENT_KEYS.items() if key in self.layer_keys)


def _keys(values: Sequence[str], what: str) -> tuple[str, ...]:
    if isinstance(values, str):
        raise TypeError(f"Geef een lijst van codes ({what}), geen losse tekst: {values!r}.")
    out = tuple(values)
    for value in out:
        _text(value, f"Een {what}")
    return out
