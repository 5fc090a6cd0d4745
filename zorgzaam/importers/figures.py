"""Figures per area: Provincies in Cijfers / Swing tables and Statbel's population per sector.

Layouts (dataformats.md §2.1, §3.2–3.3):
* **Swing upload**: ``period | geolevel | geoitem | <variable> …`` (also ``PERIODE | GEBIEDSNIVEAU |
  GEBIED``); a ``TE VERWIJDEREN …`` name column is ignored;
* **Swing export / selection-table JSON**: an area column (``Geo``) holding ``Naam (CODE)`` or a
  code, a period column (``Perioden``) or ``<label>|<year>`` headers, one column per variable;
* **Statbel** ``OPENDATA_SECTOREN_*``: ``CD_REFNIS | CD_SECTOR | TOTAL`` (or ``POPULATION``), pipe
  separated, decimal commas; the fiscal income per sector (``TF_PSNL_INC_TAX_SECTOR``) and per
  municipality (``TF_PSNL_INC_TAX_MUNTY``: ``CD_YEAR | CD_MUNTY_REFNIS`` or ``CD_REFNIS``, "*" or "C" for a
  suppressed cell), cars per sector (``TF_CAR_HH_SECTOR``).

**Published totals.** A file of municipalities may also hold provinces and regions (PinC's 20001
Vlaams-Brabant, 2000 or Statbel's 02000 Vlaams Gewest): each row gets the level at which the store knows
its code (``_reference_levels``), and a table by name the level its name has (``names.match_coarser``).
A value stored for an area wins over the sum of its sectors in the engine; an empty cell of such an area
is not stored (it would hide that sum).

**Unknown sectors.** Rows of the pseudo-sector ``NNNNNZZZZ`` ("sector onbekend") are no sector. For an
additive count (a catalogue count, an extra count or ratio; never a score or an indicator's own value),
the municipality ``NNNNN`` gets its total stored: the sum of its sectors plus its unknown-sector row,
but only when the file gives every sector the store has in that municipality with a known value and
the unknown row is known (``_unknown_sector_totals``); else nothing extra, and the engine shows the
partial sum.

Values: numbers with a decimal point or comma. Missing-value codes (Swing): -99996 and "-" or ""
(leeg) → ontbrekend; -99997 and "x" (verborgen by the supplier) → verborgen; -99998 and "nvt" → nvt;
-99999 and "?" → ontbrekend. A hidden value stays missing, never 0. Any other text in a number
column refuses the whole file.

A column becomes a catalogue variable through a **mapping**: a column named like a catalogue code
maps itself; others need the werkgroep's choice (``ColumnTarget``), which the store remembers.
Unmapped columns are listed in the preview and not imported. An **extra** target keeps a column the
catalogue does not know as an own indicator with its own label and unit, of a kind
(``catalogue.extra_definition``): a count (summed), the ratio of two columns (both stored as counts), or a
score / percentage / average per area (weighted by a weight column, or stored per area only; never
summed).

A **plain table** (``PLAIN``, ``recognise_plain``) has a column of sector or NIS codes, recognised by its
values (the column that meets most of the store's areas), and columns of numbers; text columns are left
out, and the period is given or read from a column's name (``population_2025``).

Every figures file whose codes hardly meet the store's areas is refused (``core.require_known_codes``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..areas import LEVEL_BY_CODE, SECTOR_CODE_RE, normalise_sector_code
from ..catalogue import BUILTIN, EXTRA_KINDS, BaseCount, Indicator, extra_definition
from ..formatting import format_number
from ..store import Store
from .core import ImportPlan, Preview, check_vintage, known_codes, require_known_codes
from .errors import ImportProblem
from .names import MIN_SHARE as NAME_MIN_SHARE
from .names import (
    COARSE_LEVELS,
    NameMatch,
    coarse_areas,
    level_from_header,
    match_coarser,
    match_names,
    store_areas_for_names,
)
from .sectors import is_split_code
from .vintages import absorbed_sectors, to_2024

__all__ = [
    "BY_NAME",
    "GEOLEVELS",
    "KIND",
    "MISSING_CODES",
    "NOT_ADDITIVE_TEXT",
    "PLAIN",
    "STATBEL_CARS",
    "STATBEL_INCOME",
    "ColumnTarget",
    "LongTable",
    "auto_mapping",
    "catalogue_targets",
    "looks_not_additive",
    "parse_values",
    "plain_code_column",
    "plain_name_column",
    "plan_figures",
    "recognise",
    "recognise_plain",
    "remember_mapping",
    "remembered_mapping",
    "title_year",
    "to_long",
    "year_in_name",
]

KIND = "cijfers"

MISSING_CODES = {
    "-99996": "ontbrekend",
    "": "ontbrekend",
    "-": "ontbrekend",
    # A Stad in Cijfers / Swing export shows a small count it hides as "." (e.g. Lillo in the Antwerp export).
    "-99997": "verborgen",
    "x": "verborgen",
    "X": "verborgen",
    ".": "verborgen",
    # Statbel's fiscal files hide sectors with too few returns as "C" (older .txt) or "*".
    "C": "verborgen",
    "*": "verborgen",
    "-99998": "nvt",
    "nvt": "nvt",
    "-99999": "ontbrekend",
    "?": "ontbrekend",
}

# Swing geolevels → (store level, sector division when it is a sector level).
GEOLEVELS = {
    # Plain "statsec" meant the division current when the file was made (2020–2024 before 2025):
    # its vintage is read from the codes, not from the name.
    "statsec": ("statsec", None),
    "statsec2025": ("statsec", "2025"),
    "statsec2024": ("statsec", "2024"),
    "statsec2020": ("statsec", "2024"),
    "statsec2019": ("statsec", "2024"),
    "deelgemeente": ("deelgemeente", None),
    "deelgemeente2024": ("deelgemeente", None),
    "ggw7": ("wijk", None),
    "wijk": ("wijk", None),
    "gemeente": ("gemeente", None),
    "gemeente2024": ("gemeente", None),
    "gemeente2018": ("gemeente", None),
    "elz": ("elz", None),
    "provincie": ("provincie", None),
    "gewest": ("gewest", None),
}
_NAME_CODE = re.compile(r"^(?P<name>.*?)\s*\((?P<code>[0-9A-Za-z_-]{4,12})\)\s*$")


@dataclass(frozen=True)
class ColumnTarget:
    """What a column becomes: a catalogue base count or indicator (stored value), skipped, or an
    **extra** indicator with its own label and unit (``name``, ``unit``) of a kind (``measure``,
    ``catalogue.EXTRA_KINDS``):

    * ``count``: an additive count stored as the user base count ``code`` (``user_<slug>``), optionally
      divided by a catalogue base count (``denominator``) × ``multiplier``;
    * ``ratio``: this column over the column ``other_column`` × ``multiplier``, both stored as counts;
    * ``score``: a score, percentage or average per area, weighted by the column ``other_column`` when
      given (stored as score × weight and weight), else stored as the indicator's value per area only.

    ``code`` is the user count of a count and the indicator (``eigen_<slug>``) of the other kinds
    (``catalogue.extra_definition``). Build one with ``extra()``."""

    kind: str  # "base" | "indicator" | "skip" | "extra"
    code: str | None = None
    name: str | None = None
    unit: str | None = None
    denominator: str | None = None
    multiplier: float | None = None
    measure: str = "count"  # an extra target's kind: "count" | "ratio" | "score"
    other_column: str | None = None  # a ratio's denominator column, a score's weight column

    @classmethod
    def extra(
        cls,
        name: str,
        unit: str,
        denominator: str | None = None,
        multiplier: float = 1.0,
        *,
        measure: str = "count",
        other_column: str | None = None,
    ) -> ColumnTarget:
        """An extra indicator; raises ImportProblem (Dutch) for a missing name or unit or an invalid choice."""
        other_column = str(other_column).strip() if other_column and str(other_column).strip() else None
        try:
            bases, ind = extra_definition(
                name, unit, measure, denominator=denominator, multiplier=multiplier, other_column=other_column
            )
        except ValueError as exc:
            raise ImportProblem(str(exc)) from exc
        if measure == "count":
            return cls(
                "extra",
                bases[0].code,
                bases[0].label,
                bases[0].unit,
                denominator,
                float(multiplier) if denominator else 1.0,
            )
        return cls(
            "extra",
            ind.code,
            " ".join(str(name).split()),
            " ".join(str(unit).split()),
            None,
            float(multiplier or 1.0) if measure == "ratio" else 1.0,
            measure,
            other_column,
        )

    def indicator(
        self, source: str = "eigen bestand", column: str | None = None
    ) -> tuple[tuple[BaseCount, ...], Indicator]:
        """The user base counts and the indicator of an extra target."""
        return extra_definition(
            self.name or "",
            self.unit or "",
            self.measure or "count",
            denominator=self.denominator,
            multiplier=self.multiplier or 1.0,
            other_column=self.other_column,
            source=source,
            column=column,
        )

    def writes(self, column: str) -> list[tuple[tuple[str, ...], str]]:
        """What the column becomes: (source columns, variable) pairs, the value being the product of
        the columns (score × weight)."""
        if self.kind == "skip":
            return []
        if self.kind != "extra" or self.measure == "count":
            return [((column,), str(self.code))]
        bases, ind = self.indicator(column=column)
        if self.measure == "ratio":
            return [((column,), bases[0].code), ((str(self.other_column),), bases[1].code)]
        if self.other_column:
            return [((column, self.other_column), bases[0].code), ((self.other_column,), bases[1].code)]
        return [((column,), ind.code)]

    def label(self) -> str:
        if self.kind == "skip":
            return "niet importeren"
        if self.kind == "extra":
            text = f"eigen indicator: {self.name} ({self.unit})"
            if self.measure == "ratio":
                return f"{text}, gedeeld door de kolom '{self.other_column}'"
            if self.measure == "score":
                return text + (
                    f", gemiddelde gewogen met de kolom '{self.other_column}'"
                    if self.other_column
                    else ", alleen per sector"
                )
            return text
        if self.kind == "base":
            base = BUILTIN.base_counts.get(self.code)
            return f"telling: {base.label if base else self.code}"
        ind = BUILTIN.indicators.get(self.code)
        return f"indicator: {ind.label if ind else self.code}"


#: Column names that suggest a value that does not add up over areas (a share, a mean, a score).
_NOT_ADDITIVE = re.compile(
    r"(^|[_\s])(pct|perc|percentage|percent|procent|aandeel|gem|gemiddeld\w*|mediaan|score|index|ratio|"
    r"verhouding|per\d*|dichtheid)([_\s]|$)|%",
    re.IGNORECASE,
)

NOT_ADDITIVE_TEXT = (
    "Een percentage, gemiddelde of score telt niet op over sectoren heen: kies dan als soort een "
    "score (met een gewichtkolom, zoals het aantal inwoners, voor een gewogen gemiddelde) of een "
    "verhouding van de teller en de noemer."
)


def looks_not_additive(column: str) -> bool:
    """Whether a column's name suggests a share, mean or score (not an additive count)."""
    return bool(_NOT_ADDITIVE.search(str(column)))


def catalogue_targets() -> dict[str, ColumnTarget]:
    """Every code a column may map to."""
    out = {c: ColumnTarget("base", c) for c in BUILTIN.base_counts}
    out.update({c: ColumnTarget("indicator", c) for c in BUILTIN.indicators})
    return out


def parse_values(column: pd.Series, name: str) -> tuple[np.ndarray, np.ndarray]:
    """(values as float with NaN for missing, statuses) of one column; text that is no number is refused."""
    text = column.map(lambda v: "" if v is None or (isinstance(v, float) and np.isnan(v)) else str(v).strip())
    status = text.map(MISSING_CODES).fillna("ok")
    numeric_text = text.where(status == "ok", "")
    # "1.234,5" → 1234.5; "45,6" → 45.6; "1234.5" stays.
    normalised = numeric_text.map(lambda t: t.replace(".", "").replace(",", ".") if "," in t else t).str.replace(
        " ", "", regex=False
    )
    values = pd.to_numeric(normalised.replace("", np.nan), errors="coerce")
    bad = (status == "ok") & values.isna()
    if bad.any():
        rows = list(bad[bad].index[:5])
        examples = ", ".join(f"'{text[i]}'" for i in rows)
        raise ImportProblem(
            f"In kolom '{name}' staat tekst waar een getal hoort: {examples}. Alleen getallen en "
            "de codes voor ontbrekende waarden (x, ., -, nvt, ?, -99996 … -99999) mogen; verbeter het "
            "bestand of kies het originele bestand van de bron."
        )
    values = np.array(values, dtype=float)  # a writable copy
    # A Swing sentinel written as a number (-99997.0) is a status, not a value.
    for code, state in (("-99996", "ontbrekend"), ("-99997", "verborgen"), ("-99998", "nvt"), ("-99999", "ontbrekend")):
        hit = values == float(code)
        status = status.mask(hit, state)
        values[hit] = np.nan
    values[(status != "ok").to_numpy()] = np.nan
    return values, status.to_numpy()


def _area_code(raw: str, level: str) -> tuple[str, str | None]:
    """(code, name) from a cell holding a code or "Naam (CODE)"."""
    text = str(raw).strip()
    found = _NAME_CODE.match(text)
    name = None
    if found:
        name, text = found.group("name"), found.group("code")
    if level == "statsec":
        text = normalise_sector_code(text)
    if text.endswith(".0") and text[:-2].isdigit():
        text = text[:-2]
    return text, name


def _guess_level(codes: pd.Series) -> str | None:
    sample = codes.dropna().astype(str).head(200).map(lambda c: _area_code(c, "statsec")[0])
    if not len(sample):
        return None
    # NIS codes of municipalities; provinces (20001) and the regions (2000, 02000) may stand among them.
    checks = [
        ("statsec", lambda c: bool(SECTOR_CODE_RE.match(c))),
        ("gemeente", lambda c: bool(re.fullmatch(r"\d{5}|[234]000", c))),
        ("elz", lambda c: bool(re.fullmatch(r"elz\d+", c, re.IGNORECASE))),
        ("wijk", lambda c: bool(re.fullmatch(r"\d{5}[A-Z][0-9A-Z]{1,3}", c))),
    ]
    for level, check in checks:
        if sample.map(check).mean() > 0.95:
            return level
    return None


#: The level of a table whose area column holds names only, until they are matched (``names``).
BY_NAME = "naam"


def _match_table_names(
    names: pd.Series, header: str | None, store: Store
) -> tuple[NameMatch | None, dict[str, tuple[str, str]], int]:
    """The names matched at the level most of them have, the rest matched as a municipality, province
    or region (``names.match_coarser``), and the number of distinct names."""
    unique = list(dict.fromkeys(str(n).strip() for n in names if n is not None and n == n and str(n).strip()))
    found = match_names(unique, store_areas_for_names(store), level_from_header(header))
    left = [n for n in unique if found is None or (n not in found.codes and n not in found.ambiguous)]
    coarse = match_coarser(left, coarse_areas(store), found.level if found else None) if left else {}
    return found, coarse, len(unique)


def _codes_from_names(table: "LongTable", store: Store) -> tuple[list[str], list[str]]:
    """Replace the names of a codeless export by area codes (and each row's level); (notes, warnings) for
    the preview."""
    found, coarse, n_names = _match_table_names(table.codes, table.area_header, store)
    if found is None and not coarse:
        raise ImportProblem(
            f"In de kolom '{table.area_header}' staan geen gebiedscodes (zoals 11001A00- of 11001) en de namen "
            "passen niet bij de gebieden in de databank. Importeer eerst de gebieden met hun namen (bv. de wijken "
            "ggw7 van Provincies in Cijfers), exporteer de tabel met codes, of gebruik het uploadformaat "
            "period | geolevel | geoitem."
        )
    level = found.level if found else min((lv for lv, _ in coarse.values()), key=lambda lv: LEVEL_BY_CODE[lv].rank)
    keys = {n: (found.level, c) for n, c in found.codes.items()} if found else {}
    keys.update(coarse)
    rows = table.codes.map(lambda n: keys.get(str(n).strip()) if n is not None and n == n else None)
    unmatched = [
        n
        for n in dict.fromkeys(str(v).strip() for v in table.codes if v is not None and v == v and str(v).strip())
        if n not in keys and (found is None or n not in found.ambiguous)
    ]
    table.level = level
    table.codes = rows.map(lambda k: k[1] if k else None)
    table.levels = rows.map(lambda k: k[0] if k else level)
    matched = len(found.codes) if found else 0
    notes = [
        f"Gebieden herkend op hun naam ({level}): {format_number(matched)} van "
        f"{format_number(n_names)}. Controleer het voorbeeld: de namen van de bron en van de databank verschillen "
        "soms ('Amandus - Atheneum' is 'Amandus & Atheneum (Antwerpen)')."
    ]
    if coarse:
        notes.append(
            "Ook herkend: "
            + ", ".join(f"{n} ({lv} {c})" for n, (lv, c) in list(coarse.items())[:10])
            + (" …" if len(coarse) > 10 else "")
            + ". Een cijfer van een gebied zelf gaat voor op de som "
            "van zijn sectoren."
        )
    warnings = []
    if unmatched:
        warnings.append(
            f"Niet herkend, niet geïmporteerd: {', '.join(unmatched[:20])}" + (" …" if len(unmatched) > 20 else "")
        )
    if found is not None and found.ambiguous:
        warnings.append(
            "Past bij meer dan één gebied, niet geïmporteerd: "
            + "; ".join(f"{n} ({', '.join(c)})" for n, c in list(found.ambiguous.items())[:10])
        )
    return notes, warnings


@dataclass
class LongTable:
    """A figures table brought to one layout: area level, code, period, and variable columns."""

    level: str
    vintage: str | None
    codes: pd.Series
    periods: pd.Series
    columns: dict[str, pd.Series]  # source column name → raw cells
    layout: str
    area_header: str | None = None  # the area column's header (its level when codes are names)
    column_periods: dict[str, str] = field(default_factory=dict)  # a plain table: the year in a column's name
    text_columns: list[str] = field(default_factory=list)  # a plain table: columns that hold no numbers
    levels: pd.Series | None = None  # each row's level when a table mixes them (names of several levels)
    title_period: str | None = None  # a plain table: the year its title rows name
    title_note: str | None = None  # where that year comes from, for the preview


#: A plain table: a column of sector or NIS codes and columns of numbers, without a period column.
PLAIN = "gewone-tabel"
_YEAR_IN_NAME = re.compile(r"(?<![0-9A-Za-z])((?:19[7-9]|20[0-4])[0-9])(?![0-9A-Za-z])")  # not 'pre1945Housing'
_CODE_HINT = re.compile(r"sector|statsec|nis|refnis|code|gemeente|geo|gebied|id$", re.IGNORECASE)


def year_in_name(column: str) -> str | None:
    """The year a column's name holds ('population_2025' → '2025'), the last one when there are several."""
    found = _YEAR_IN_NAME.findall(str(column))
    return found[-1] if found else None


def plain_code_column(frame: pd.DataFrame, store: Store | None = None) -> tuple[str, str] | None:
    """(column, level) of the area codes of a plain table: a column whose values are sector codes or
    NIS codes of municipalities, preferring the one whose values match most of the store's areas."""
    candidates: list[tuple[float, int, str, str]] = []
    known = {lvl: known_codes(store, lvl) for lvl in ("statsec", "gemeente")} if store is not None else {}
    for position, col in enumerate(frame.columns):
        values = frame[col].dropna().astype(str).str.strip()
        values = values[values != ""]
        if not len(values):
            continue
        level = _guess_level(values)
        if level not in ("statsec", "gemeente"):
            continue
        if level == "gemeente" and position > 0 and not _CODE_HINT.search(str(col)):
            continue  # five-digit numbers in a value column are no NIS codes
        codes = values.head(2000).map(lambda c: _area_code(c, level)[0])
        share = float(codes.isin(known.get(level, set())).mean()) if known.get(level) else 0.0
        candidates.append((share, -position, str(col), level))
    if not candidates:
        return None
    _share, _pos, col, level = max(candidates)
    return next(c for c in frame.columns if str(c) == col), level


def plain_name_column(frame: pd.DataFrame, store: Store | None) -> str | None:
    """The column of area names of a table without codes (Statbel's "Tabel C.1", a workbook of
    municipalities): of its first three text columns, the one whose names best match the store's areas
    (municipalities, provinces, the region and finer areas), when at least ``names.MIN_SHARE`` do."""
    if store is None:
        return None
    best: tuple[float, str | None] = (0.0, None)
    tried = 0
    for col in frame.columns:
        values = frame[col].dropna()
        values = values[values.map(lambda v: str(v).strip() != "")]
        if not len(values) or _holds_numbers(frame[col]):
            continue
        found, coarse, n_names = _match_table_names(values, str(col), store)
        share = ((len(found.codes) if found else 0) + len(coarse)) / n_names if n_names else 0.0
        if share > best[0]:
            best = (share, col)
        tried += 1
        if tried == 3:
            break
    return best[1] if best[0] >= NAME_MIN_SHARE else None


def _is_empty(column: pd.Series) -> bool:
    return bool(column.map(lambda v: v is None or v != v or str(v).strip() == "").all())


def _holds_numbers(column: pd.Series) -> bool:
    try:
        parse_values(column, "")
    except ImportProblem:
        return False
    return True


def recognise_plain(frame: pd.DataFrame, store: Store | None = None) -> tuple[str, str] | None:
    """(code column, level) when ``frame`` is a plain table: a column of area codes (or, lacking one, of
    area names: level ``BY_NAME``) and at least one column of numbers, and none of the Swing upload's key
    columns (an empty upload template is no table)."""
    if set(_columns_by_lower(frame)) & {"period", "geolevel", "geoitem", "periode", "gebiedsniveau"}:
        return None
    found = plain_code_column(frame, store)
    if found is None:
        if not any(not _is_empty(frame[c]) and _holds_numbers(frame[c]) for c in frame.columns):
            return None
        name_column = plain_name_column(frame, store)
        found = (name_column, BY_NAME) if name_column is not None else None
    if found is None:
        return None
    if not any(c != found[0] and not _is_empty(frame[c]) and _holds_numbers(frame[c]) for c in frame.columns):
        return None
    return found


def _plain_table(frame: pd.DataFrame, column: str, level: str, period: str | None) -> LongTable:
    """A plain table: the code column, every other column that holds numbers (text columns are left out),
    the period given or the year in each column's name."""
    variables, text_columns = {}, []
    for col in frame.columns:
        if col == column or not str(col).strip() or str(col).lower().startswith("unnamed") or _is_empty(frame[col]):
            continue
        if not _holds_numbers(frame[col]):
            text_columns.append(str(col))
            continue
        variables[col] = frame[col]
    if not variables:
        raise ImportProblem(
            f"In de tabel met de gebiedscodes in de kolom '{column}' staat geen enkele kolom met "
            "getallen. Voeg de cijfers toe als kolommen (één kolom per variabele)."
        )
    periods = {str(c): y for c in variables if (y := year_in_name(str(c)))}
    title_period, title_note = title_year(frame.attrs.get("titles") or [])
    return LongTable(
        level,
        None,
        frame[column],
        pd.Series(period, index=frame.index, dtype=object),
        variables,
        PLAIN,
        str(column),
        column_periods=periods,
        text_columns=text_columns,
        title_period=title_period,
        title_note=title_note,
    )


_ASSESSMENT_YEAR = re.compile(r"aanslagjaar\s*((?:19|20)\d{2})", re.IGNORECASE)
_INCOME_YEAR = re.compile(r"inkomens?(?:jaar)?\s*((?:19|20)\d{2})", re.IGNORECASE)


def title_year(titles: list[str]) -> tuple[str | None, str | None]:
    """(year, preview note) from a sheet's title rows: "inkomensjaar 2023" → 2023, "aanslagjaar 2024" →
    the income year 2023 (Statbel's fiscal tables), else the last year a title names."""
    text = " ".join(str(t) for t in titles)
    if found := _INCOME_YEAR.search(text):
        year = found.group(1)
        return year, f"Periode uit de titel: {year} ('{found.group(0)}')."
    if found := _ASSESSMENT_YEAR.search(text):
        year = str(int(found.group(1)) - 1)
        return year, f"Periode uit de titel: {year} ('{found.group(0)}' gaat over de inkomens van {year})."
    years = _YEAR_IN_NAME.findall(text)
    if years:
        return years[-1], f"Periode uit de titel: {years[-1]}."
    return None, None


def _columns_by_lower(frame: pd.DataFrame) -> dict[str, str]:
    return {str(c).strip().lower(): c for c in frame.columns}


_UPLOAD_KEYS = {"period", "geolevel", "geoitem", "periode", "gebiedsniveau", "gebied", ""}


#: Statbel's fiscal income per sector (TF_PSNL_INC_TAX_SECTOR) and cars per sector (TF_CAR_HH_SECTOR):
#: file column → catalogue count; the column names changed between releases (dataformats.md §2.3–2.4).
STATBEL_INCOME = {"ms_nbr_non_zero_inc": "tax_returns", "ms_tot_net_taxable_inc": "net_taxable_income"}
STATBEL_CARS = {"total_huish": "hh_statbel", "ms_tot_hh": "hh_statbel", "total_wagens": "cars", "ms_tot_cars": "cars"}


def recognise(frame: pd.DataFrame) -> str | None:
    cols = _columns_by_lower(frame)
    sector_col = {"cd_sector", "cd_refnis_sector"} & set(cols)
    if "cd_year" in cols and sector_col and set(STATBEL_INCOME) <= set(cols):
        return "statbel-inkomen"
    if "cd_year" in cols and sector_col and len({STATBEL_CARS[c] for c in set(STATBEL_CARS) & set(cols)}) == 2:
        return "statbel-wagens"
    if (
        "cd_year" in cols
        and not sector_col
        and {"cd_munty_refnis", "cd_refnis"} & set(cols)
        and set(STATBEL_INCOME) <= set(cols)
    ):
        return "statbel-inkomen-gemeente"
    if {"period", "geolevel", "geoitem"} <= set(cols) or {"periode", "gebiedsniveau", "gebied"} <= set(cols):
        # An empty upload template (PinC's naam_onderwerp_001 … columns without a value) is no figures table.
        values = [
            c for k, c in cols.items() if k not in _UPLOAD_KEYS and not k.startswith(("te verwijderen", "unnamed"))
        ]
        if values and frame[values].map(lambda v: v is None or v != v or str(v).strip() == "").all().all():
            return None
        return "swing-upload"
    if {"cd_sector", "cd_refnis"} <= set(cols) and ({"total"} & set(cols) or {"population"} & set(cols)):
        return "statbel-bevolking"
    if "geo" in cols or any("|" in str(c) for c in frame.columns):
        return "swing-export"
    return None


def to_long(frame: pd.DataFrame, layout: str, file_names: list[str]) -> LongTable:
    cols = _columns_by_lower(frame)
    if layout == "swing-upload":
        period_col = cols.get("period") or cols["periode"]
        level_col = cols.get("geolevel") or cols["gebiedsniveau"]
        item_col = cols.get("geoitem") or cols["gebied"]
        geolevels = frame[level_col].dropna().astype(str).str.strip().str.lower().unique()
        if len(geolevels) != 1:
            raise ImportProblem(
                f"Dit bestand mengt gebiedsniveaus ({', '.join(geolevels[:5])}). Importeer één "
                "niveau per bestand (bv. alleen statsec of alleen gemeente)."
            )
        if geolevels[0] not in GEOLEVELS:
            raise ImportProblem(
                f"Het gebiedsniveau '{geolevels[0]}' kent zorgzaam niet. Bruikbaar: {', '.join(sorted(GEOLEVELS))}."
            )
        level, vintage = GEOLEVELS[geolevels[0]]
        skip = {period_col, level_col, item_col, "Unnamed: 0", ""}
        variables = {
            c: frame[c]
            for c in frame.columns
            if c not in skip and not str(c).upper().startswith("TE VERWIJDEREN") and str(c).strip()
        }
        return LongTable(level, vintage, frame[item_col], frame[period_col], variables, layout)
    if layout in ("statbel-inkomen", "statbel-wagens"):
        wanted = STATBEL_INCOME if layout == "statbel-inkomen" else STATBEL_CARS
        sector_col = cols.get("cd_sector") or cols["cd_refnis_sector"]
        variables = {code: frame[cols[c]] for c, code in wanted.items() if c in cols}
        if layout == "statbel-inkomen":
            # Statbel leaves the total of a sector with too few returns empty (the .txt wrote "C"): hidden.
            variables = {
                code: col.map(lambda v: "C" if v is None or str(v).strip() in ("", "nan") else v)
                for code, col in variables.items()
            }
        # These files still use the 2020–2024 sectors (dataformats.md §2.3); a 2025 split code says otherwise.
        vintage = _vintage_from_codes(frame[sector_col]) or "2024"
        return LongTable("statsec", vintage, frame[sector_col], frame[cols["cd_year"]], variables, layout)
    if layout == "statbel-inkomen-gemeente":
        # TF_PSNL_INC_TAX_MUNTY: "*" (or "C") marks a suppressed cell, an empty one is not given.
        code_col = cols.get("cd_munty_refnis") or cols["cd_refnis"]
        variables = {code: frame[cols[c]] for c, code in STATBEL_INCOME.items()}
        return LongTable("gemeente", None, frame[code_col], frame[cols["cd_year"]], variables, layout)
    if layout == "statbel-bevolking":
        total = cols.get("total") or cols["population"]
        year = next((m.group(1) for n in file_names if (m := re.search(r"SECTOREN_(20\d{2})", n, re.I))), None)
        if year is None:
            raise ImportProblem(
                "Uit de bestandsnaam blijkt niet over welk jaar dit bevolkingsbestand gaat (zoals "
                "OPENDATA_SECTOREN_2024.txt). Geef het bestand zijn originele naam terug."
            )
        vintage = None
        if re.search(r"_NEW", " ".join(file_names), re.I):
            vintage = "2025"
        elif re.search(r"_OLD", " ".join(file_names), re.I) or year < "2025":
            vintage = "2024"
        return LongTable(
            "statsec",
            vintage,
            frame[cols["cd_sector"]],
            pd.Series(year, index=frame.index),
            {"pop_total": frame[total]},
            layout,
        )
    # Swing export: an area column, a period column or "<label>|<year>" headers.
    area_col = cols.get("geo") or frame.columns[0]
    period_col = cols.get("perioden") or cols.get("periode") or cols.get("period")
    # No codes: names only (Stad in Cijfers), matched to the store's areas in plan_figures.
    level = _guess_level(frame[area_col]) or BY_NAME
    variables: dict[str, pd.Series] = {}
    periods_per_column: dict[str, str] = {}
    for col in frame.columns:
        if col in (area_col, period_col):
            continue
        label, _, year = str(col).rpartition("|")
        if label and re.fullmatch(r"\d{4}", year.strip()):
            variables[col] = frame[col]
            periods_per_column[col] = year.strip()
        else:
            variables[col] = frame[col]
    if period_col is None and len(periods_per_column) != len(variables):
        raise ImportProblem(
            "Dit bestand zegt niet over welke periode de cijfers gaan (geen kolom Perioden en "
            "geen '|jaar' in de kolomnamen). Exporteer de tabel met de periode erbij."
        )
    if period_col is not None:
        return LongTable(level, None, frame[area_col], frame[period_col], variables, layout, str(area_col))
    # Wide by year: one long block per period.
    blocks = []
    for col, year in periods_per_column.items():
        blocks.append(
            pd.DataFrame(
                {"area": frame[area_col], "period": year, "column": str(col).rpartition("|")[0], "cell": frame[col]}
            )
        )
    long = pd.concat(blocks, ignore_index=True)
    wide = long.pivot_table(
        index=["area", "period"], columns="column", values="cell", aggfunc="first", dropna=False
    ).reset_index()
    return LongTable(
        level,
        None,
        wide["area"],
        wide["period"],
        {c: wide[c] for c in wide.columns if c not in ("area", "period")},
        layout,
        str(area_col),
    )


def _vintage_from_codes(codes: pd.Series) -> str | None:
    """2025 when the codes include sectors split by the 2025 reform (…K, …L); else unknown."""
    clean = codes.dropna().astype(str).map(lambda c: _area_code(c, "statsec")[0])
    split = is_split_code(clean)
    return "2025" if split.any() else None


def auto_mapping(columns: list[str], remembered: dict[str, ColumnTarget] | None = None) -> dict[str, ColumnTarget]:
    """Columns named like a catalogue code map themselves; remembered choices apply to the rest."""
    targets = catalogue_targets()
    out: dict[str, ColumnTarget] = {}
    for col in columns:
        key = str(col).strip()
        if remembered and key in remembered:
            out[col] = remembered[key]
        elif key in targets:
            out[col] = targets[key]
    return out


#: Statbel writes the regions' REFNIS codes with five digits (02000), PinC with four (2000).
_REGION_REFNIS = {"02000": "2000", "03000": "3000", "04000": "4000"}


def _reference_levels(codes: pd.Series, level: str, store: Store) -> tuple[pd.Series, pd.Series]:
    """(levels, codes) per row of a table of municipalities, provinces or regions: a code the store knows at
    another of these levels than ``level`` (the province 20001, the region 2000 or 02000 among municipalities)
    gets that level; any other code keeps ``level``."""
    known = {lv: known_codes(store, lv) for lv in COARSE_LEVELS}

    def one(code: object) -> tuple[str, object]:
        if code is None or code != code or code in known[level]:
            return level, code
        for lv in COARSE_LEVELS:
            candidate = _REGION_REFNIS.get(str(code), code) if lv == "gewest" else code
            if candidate in known[lv]:
                return lv, candidate
        return level, code

    pairs = codes.map(one)
    return pairs.map(lambda p: p[0]), pairs.map(lambda p: p[1])


def _unknown_sector_totals(
    observations: pd.DataFrame | None, unknown: list[pd.DataFrame], store: Store
) -> tuple[pd.DataFrame | None, int, set[str]]:
    """Municipal totals that count the rows of unknown sectors (``NNNNNZZZZ``): for each municipality,
    additive variable and period with such a row, the sum of its sectors plus that row, only when every
    sector the store has in the municipality is in ``observations`` with a known value (ok, or nvt adding
    nothing) and the unknown row is known. Returns (rows at level gemeente, the unknown rows counted, the
    municipalities left without a total)."""
    if not unknown or observations is None:
        return None, 0, set()
    rows = pd.concat(unknown, ignore_index=True)
    keys = ["municipality", "variable", "period"]
    members = store.sectors_by_parent("gemeente", sorted(set(rows["municipality"])))
    link = pd.DataFrame(
        [(m, s) for m, sectors in members.items() for s in sectors], columns=["municipality", "area_code"]
    )
    sectors = observations.loc[
        observations["area_level"] == "statsec", ["area_code", "variable", "period", "value", "status"]
    ]
    grid = rows[keys].drop_duplicates().merge(link, on="municipality")
    joined = grid.merge(sectors, on=["area_code", "variable", "period"], how="left")
    joined["known"] = joined["status"].isin(["ok", "nvt"])
    joined["part"] = joined["value"].where(joined["status"] == "ok", 0.0)
    summed = joined.groupby(keys, sort=False).agg(known=("known", "all"), total=("part", "sum")).reset_index()
    own = rows.assign(
        known_row=rows["status"].isin(["ok", "nvt"]), part=rows["value"].where(rows["status"] == "ok", 0.0)
    )
    own = (
        own.groupby(keys, sort=False)
        .agg(n=("part", "size"), known_row=("known_row", "all"), part=("part", "sum"))
        .reset_index()
    )
    both = own.merge(summed, on=keys, how="left")
    good = both["known"].fillna(False).astype(bool) & both["known_row"] & (both["n"] == 1)
    done = both[good]
    refused = set(both.loc[~good, "municipality"])
    if done.empty:
        return None, 0, refused
    totals = pd.DataFrame(
        {
            "area_level": "gemeente",
            "area_code": done["municipality"].to_numpy(),
            "variable": done["variable"].to_numpy(),
            "period": done["period"].to_numpy(),
            "value": (done["total"] + done["part"]).to_numpy(),
            "status": "ok",
        }
    )
    counted = len(done[["municipality", "period"]].drop_duplicates())
    return totals, counted, refused


def plan_figures(
    frame: pd.DataFrame,
    file_names: list[str],
    store: Store,
    mapping: dict[str, ColumnTarget] | None = None,
    layout: str | None = None,
    period: str | None = None,
) -> ImportPlan:
    """An import plan for a figures table; ``mapping`` adds the werkgroep's choices for unknown columns.

    A plain table (``PLAIN``: a column of sector or NIS codes and columns of numbers) takes the period
    ``period``, else the year in each column's name (``population_2025`` → 2025), else the year its title
    rows name (``title_year``); a mapped column without any is not written and the plan says so
    (``ImportPlan.asks_period``). A plain table by name (no code column) is matched to the store's areas
    of every level (``_codes_from_names``)."""
    layout = layout or recognise(frame)
    if layout is None and recognise_plain(frame, store) is not None:
        layout = PLAIN
    if layout is None:
        raise ImportProblem(
            "Dit is geen tabel die zorgzaam herkent: er is geen kolom met gebieden (geoitem, Geo, "
            "CD_SECTOR, of een kolom met sectorcodes of NIS-codes) gevonden. Gebruik het uploadformaat "
            "period | geolevel | geoitem | … van Provincies in Cijfers, of een Statbel-bestand."
        )
    period = str(period).strip() if period is not None and str(period).strip() else None
    if period is not None and not re.fullmatch(r"(19|20)\d{2}", period):
        raise ImportProblem(f"'{period}' is geen jaar. Geef de periode als jaartal, zoals 2025.")
    if layout == PLAIN:
        found = plain_code_column(frame, store)
        if found is None and (name_column := plain_name_column(frame, store)) is not None:
            found = (name_column, BY_NAME)
        if found is None:
            raise ImportProblem(
                "In deze tabel staat geen kolom met sectorcodes (zoals 23003A001) of NIS-codes "
                "(zoals 23003), en geen kolom met namen van gebieden uit de databank."
            )
        table = _plain_table(frame, found[0], found[1], period)
    else:
        table = to_long(frame, layout, file_names)
    name_notes: list[str] = []
    name_warnings: list[str] = []
    if table.level == BY_NAME:
        name_notes, name_warnings = _codes_from_names(table, store)
    if table.level == "statsec" and table.vintage is None:
        table.vintage = _vintage_from_codes(table.codes)
    convert = table.level == "statsec" and table.vintage == "2025" and store.sector_vintage() == "2024"
    if table.level == "statsec" and not convert:
        check_vintage(store, table.vintage)
    chosen = auto_mapping(list(table.columns), remembered_mapping(store))
    chosen.update({c: t for c, t in (mapping or {}).items() if c in table.columns})
    mapped = {c: t for c, t in chosen.items() if c in table.columns and t.kind != "skip"}
    # A ratio's denominator or a score's weight column is part of its target, not a column on its own.
    partners = {t.other_column for t in mapped.values() if t.kind == "extra" and t.other_column}
    unmapped = [c for c in table.columns if c not in chosen and str(c) not in partners]
    warnings = []
    lacking_partner = [
        c
        for c, t in mapped.items()
        if t.kind == "extra" and t.other_column and t.other_column not in map(str, table.columns)
    ]
    for col in lacking_partner:
        warnings.append(
            f"De kolom '{col}' wordt niet geïmporteerd: de kolom '{mapped[col].other_column}' die erbij "
            "hoort (noemer of gewicht) staat niet in dit bestand."
        )
        del mapped[col]
    lacking_period: list[str] = []
    if layout == PLAIN:
        # Without a given period: a column's own year, else the latest year in any column's name, else the title's.
        proposal = max(table.column_periods.values(), default=None) or table.title_period
        lacking_period = [c for c in mapped if period is None and proposal is None]
        for col in lacking_period:
            del mapped[col]
    codes_names = table.codes.map(
        lambda v: _area_code(v, table.level) if v is not None and v == v and str(v).strip() else (None, None)
    )
    codes = codes_names.map(lambda cn: cn[0])
    if table.levels is not None:
        levels = table.levels
    elif table.level in COARSE_LEVELS:
        levels, codes = _reference_levels(codes, table.level, store)
    else:
        levels = pd.Series(table.level, index=codes.index, dtype=object)
    periods = table.periods.map(lambda p: None if p is None or str(p).strip() == "" else str(p).split(".")[0].strip())
    keep = codes.notna() & (periods.notna() if layout != PLAIN else True)
    unknown = pd.Series(False, index=codes.index)
    if table.level == "statsec":
        unknown = keep & codes.fillna("").str.endswith("ZZZZ")
        keep &= ~unknown
    by_name = {str(c): c for c in table.columns}
    pieces, unknown_pieces, suppressed, used_periods = [], [], 0, set()
    for col, target in mapped.items():
        col_periods = periods[keep].to_numpy()
        unknown_periods = periods[unknown].to_numpy()
        if layout == PLAIN:
            col_periods = np.full(int(keep.sum()), period or table.column_periods.get(str(col), proposal), dtype=object)
            unknown_periods = np.full(int(unknown.sum()), col_periods[0] if len(col_periods) else period, dtype=object)
        used_periods |= set(col_periods)
        # Only an additive count adds up over sectors: never a score or an indicator's own value.
        additive = target.kind == "base" or (target.kind == "extra" and target.measure in ("count", "ratio"))
        for sources, variable in target.writes(str(col)):
            if additive and len(sources) == 1 and unknown.any():
                z_values, z_status = parse_values(
                    table.columns[by_name[sources[0]]][unknown].reset_index(drop=True), sources[0]
                )
                unknown_pieces.append(
                    pd.DataFrame(
                        {
                            "municipality": codes[unknown].str[:5].to_numpy(),
                            "variable": variable,
                            "period": unknown_periods,
                            "value": z_values,
                            "status": z_status,
                        }
                    )
                )
            parsed = [parse_values(table.columns[by_name[c]][keep].reset_index(drop=True), c) for c in sources]
            values, status = parsed[0]
            for more_values, more_status in parsed[1:]:  # score × weight: missing when either is
                status = np.where(status != "ok", status, more_status)
                values = np.where(status == "ok", values * more_values, np.nan)
            if sources[0] == str(col):
                suppressed += int((status == "verborgen").sum())
            pieces.append(
                pd.DataFrame(
                    {
                        "area_level": levels[keep].to_numpy(),
                        "area_code": codes[keep].to_numpy(),
                        "variable": variable,
                        "period": col_periods,
                        "value": values,
                        "status": status,
                    }
                )
            )
    observations = pd.concat(pieces, ignore_index=True) if pieces else None
    if observations is not None:
        # An empty cell of a municipality, province … says nothing; stored, it would hide the sum of its sectors.
        observations = observations[
            ~observations["area_level"].isin(COARSE_LEVELS) | (observations["status"] != "ontbrekend")
        ].reset_index(drop=True)
    conversion_note = None
    if convert:
        crosswalk = store.sector_crosswalk()
        if not crosswalk:
            raise ImportProblem(
                "Dit bestand gebruikt de sectorindeling 2025, de databank de indeling 2024. Importeer "
                "eerst de omzettingstabel 2025 → 2024 (Statsect2025_2024.csv); dan worden de "
                "tellingen per sector van 2024 opgeteld."
            )
        if observations is not None:
            n_before = observations["area_code"].nunique()
            observations = to_2024(observations, crosswalk)
            conversion_note = (
                f"Omgezet van sectorindeling 2025 naar 2024: {n_before} sectoren opgeteld tot "
                f"{observations['area_code'].nunique()}."
            )
            absorbed = absorbed_sectors(store, crosswalk, set(observations["area_code"]))
            if absorbed:
                conversion_note += (
                    f" {len(absorbed)} sectoren van 2024 krijgen geen cijfer: ze zijn in 2025 opgegaan "
                    f"in een buursector, die hun inwoners meetelt ({', '.join(absorbed[:10])}). "
                    "Gemeente- en zonetotalen kloppen wel."
                )
        codes = codes.map(lambda c: crosswalk.get(c, c) if c else c)
        table.vintage = "2024"
    if observations is not None:
        dupes = observations.duplicated(subset=["area_level", "area_code", "variable", "period"], keep=False)
        if dupes.any():
            first = observations[dupes].iloc[0]
            raise ImportProblem(
                f"Het gebied {first['area_code']} staat meer dan één keer in het bestand voor "
                f"{first['period']}. Elk gebied hoort één keer per periode te staan."
            )
    unknown_note = None
    if unknown.any():
        totals, counted, refused = _unknown_sector_totals(observations, unknown_pieces, store)
        if totals is not None:
            observations = pd.concat([observations, totals], ignore_index=True)
        if counted:
            unknown_note = (
                f"{format_number(counted)} rijen zonder bekende sector tellen mee in het totaal van hun "
                "gemeente"
                + (
                    f"; voor {format_number(len(refused))} "
                    f"{'gemeente' if len(refused) == 1 else 'gemeenten'} niet (of niet elk jaar), "
                    "want niet al hun sectoren staan met een bekend cijfer in het bestand (hun "
                    "totaal is dan onvolledig, ≈)"
                    if refused
                    else ""
                )
                + "."
            )
        else:
            unknown_note = f"{format_number(int(unknown.sum()))} rijen zonder bekende sector (…ZZZZ) overgeslagen" + (
                ": niet al de sectoren van hun gemeente staan met een bekend cijfer in het bestand." if refused else "."
            )
    present = {lv: known_codes(store, lv) for lv in dict.fromkeys(levels[keep])} or {table.level: set()}
    known = set().union(*present.values())
    file_keys = sorted(set(zip(levels[keep], codes[keep])))
    file_codes = sorted({c for _, c in file_keys})
    unmatched = sorted({c for lv, c in file_keys if c not in present[lv]})
    require_known_codes(file_codes, known, table.level)
    if unmapped:
        columns_are = "kolom is" if len(unmapped) == 1 else "kolommen zijn"
        become = "wordt" if len(unmapped) == 1 else "worden"
        warnings.append(
            f"{len(unmapped)} {columns_are} nog niet gekoppeld aan een telling of indicator en {become} "
            f"niet geïmporteerd: {', '.join(map(str, unmapped[:12]))}" + (" …" if len(unmapped) > 12 else "")
        )
    if lacking_period:
        warnings.append(
            f"Uit de naam van {_columns_text(lacking_period)} blijkt niet over welk jaar de cijfers gaan: "
            "geef de periode op (bv. 2025); tot dan wordt die kolom niet geïmporteerd."
        )
    if not mapped and not lacking_period:
        warnings.append("Er is nog geen enkele kolom gekoppeld: er zou niets geïmporteerd worden.")
    if known and unmatched:
        warnings.append(
            f"{len(unmatched)} gebieden uit het bestand staan niet in de databank; hun cijfers worden "
            "bewaard maar verschijnen pas als die gebieden geïmporteerd zijn."
        )
    periods_found = sorted(used_periods) if layout == PLAIN else sorted(set(periods[keep]))
    stem = re.sub(r"[^a-z0-9]+", "-", file_names[0].rsplit(".", 1)[0].lower()).strip("-") if file_names else "bestand"
    source = (
        "Statbel" if layout.startswith("statbel") else "eigen bestand" if layout == PLAIN else "Provincies in Cijfers"
    )
    by_names = table.levels is not None
    description = {
        PLAIN: (
            f"tabel met de namen van de gebieden in de kolom '{table.area_header}'"
            if by_names
            else f"tabel met de gebiedscodes in de kolom '{table.area_header}'"
        ),
        "statbel-inkomen-gemeente": "Statbel, fiscale inkomens per gemeente (TF_PSNL_INC_TAX_MUNTY)",
        "statbel-bevolking": "Statbel, bevolking per sector",
        "statbel-inkomen": "Statbel, fiscale inkomens per sector (TF_PSNL_INC_TAX_SECTOR)",
        "statbel-wagens": "Statbel, huishoudens en wagens per sector (TF_CAR_HH_SECTOR)",
    }.get(layout, "Provincies in Cijfers / Swing")
    level_note = f"Gebiedsniveau: {table.level}" + (f", sectorindeling {table.vintage}" if table.vintage else "")
    per_level = pd.Series([lv for lv, _ in file_keys], dtype=object).value_counts()
    if len(per_level) > 1:
        level_note = "Gebiedsniveaus: " + ", ".join(
            f"{lv} {format_number(int(per_level[lv]))}"
            for lv in sorted(per_level.index, key=lambda lv: LEVEL_BY_CODE[lv].rank if lv in LEVEL_BY_CODE else 9)
        )
    notes = [level_note] + name_notes + ([conversion_note] if conversion_note else [])
    if unknown_note:
        notes.append(unknown_note)
    if layout == PLAIN and period is None and not table.column_periods and table.title_note:
        notes.append(table.title_note)
    warnings += name_warnings
    if table.text_columns:
        notes.append(
            f"Kolommen met tekst, niet geïmporteerd: {', '.join(table.text_columns[:12])}"
            + (" …" if len(table.text_columns) > 12 else "")
        )
    if layout == PLAIN and period is None and table.column_periods:
        others = [str(c) for c in mapped if str(c) not in table.column_periods]
        notes.append(
            "Periode uit de kolomnaam: "
            + ", ".join(f"{c} → {y}" for c, y in table.column_periods.items())
            + (f"; voorgesteld voor {', '.join(others)}: {proposal}" if others else "")
        )
    if (~keep & ~unknown).any():
        notes.append(f"{format_number(int((~keep & ~unknown).sum()))} rijen zonder gebied of periode overgeslagen.")
    return ImportPlan(
        dataset_id=f"{KIND}-{stem}",
        title=f"Cijfers uit {file_names[0] if file_names else 'bestand'}",
        source=source,
        period_label=", ".join(periods_found),
        file_name=", ".join(file_names),
        preview=Preview(
            kind=KIND,
            description=f"Cijfers per {table.level} ({description})",
            file_names=file_names,
            rows=len(frame),
            periods=periods_found,
            variables=[
                f"{c} → {t.code}"
                + (
                    f" ({EXTRA_KINDS[t.measure]}" + (f", met '{t.other_column}')" if t.other_column else ")")
                    if t.kind == "extra" and t.measure != "count"
                    else ""
                )
                for c, t in mapped.items()
            ],
            matched=len(file_codes) - len(unmatched) if known else None,
            unmatched=unmatched if known else [],
            suppressed=suppressed,
            notes=notes,
            warnings=warnings,
        ),
        observations=observations,
        sector_vintage=table.vintage if table.level == "statsec" else None,
        unmapped_columns=[str(c) for c in unmapped],
        value_columns=[str(c) for c in table.columns],
        asks_period=layout == PLAIN,
        period_proposal=period or max(table.column_periods.values(), default=None) or table.title_period,
        lacking_period=[str(c) for c in lacking_period],
    )


def _columns_text(columns: list) -> str:
    """'de kolom 'a'' or 'de kolommen 'a', 'b''."""
    names = ", ".join(f"'{c}'" for c in columns[:12]) + (" …" if len(columns) > 12 else "")
    return f"de kolom {names}" if len(columns) == 1 else f"de kolommen {names}"


def remembered_mapping(store: Store) -> dict[str, ColumnTarget]:
    """The werkgroep's earlier choices, by column name."""
    out = {}
    for row in store.column_mapping_rows():
        if row["target_kind"] == "extra":
            out[row["column_name"]] = ColumnTarget(
                "extra",
                row["target_code"],
                row["label"],
                row["unit"],
                row["denominator"],
                row["multiplier"],
                row.get("extra_kind") or "count",
                row.get("other_column"),
            )
        else:
            out[row["column_name"]] = ColumnTarget(row["target_kind"], row["target_code"])
    return out


def remember_mapping(store: Store, mapping: dict[str, ColumnTarget], sources: dict[str, str] | None = None) -> None:
    """Remember the choices; an extra target also writes its user base count and indicator to the
    store's catalogue (``sources``: the source to name per column, e.g. "Provincies in Cijfers")."""
    for col, target in mapping.items():
        if target.kind == "extra":
            bases, ind = target.indicator((sources or {}).get(str(col), "eigen bestand"), str(col))
            store.save_user_indicator(bases, ind)
    store.save_column_mappings(
        [
            (
                str(c),
                t.kind,
                t.code,
                t.name,
                t.unit,
                t.denominator,
                t.multiplier,
                t.measure if t.kind == "extra" else None,
                t.other_column,
            )
            for c, t in mapping.items()
        ]
    )
