"""Where a view's figures come from: only the datasets behind what it shows, each by its own name and file.

A caption names the datasets of the indicators (or map layers) the view shows, never every import in the
store: a population map does not cite the pharmacy lists. Each dataset is named by its own source and file
with its own periods ("Statbel (OPENDATA_SECTOREN_2025.txt), 2025"), never by the layout its file came in:
the figures importer records "Provincies in Cijfers" for any table in the Swing layout, also a werkgroep's
own file (a Fluvius upload), so such a dataset is "eigen bestand upload_elektriciteit_verbruik.xlsx".
A dataset without a period gets none (never "nan").
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING

import pandas as pd

from .catalogue import Indicator

if TYPE_CHECKING:
    from .store import Store

__all__ = [
    "ACCESS_DATASET",
    "ACCESS_LAYERS",
    "FIGURES_PREFIX",
    "LAYER_KEYS",
    "LAYOUT_SOURCES",
    "OWN_FILE",
    "UNKNOWN",
    "all_sources",
    "dataset_label",
    "dataset_rows",
    "file_label",
    "format_periods",
    "is_own_file",
    "layer_sources",
    "source_text",
    "view_sources",
]

UNKNOWN = "onbekend"
OWN_FILE = "eigen bestand"

#: What the figures importer writes as source for a table in the Provincies in Cijfers (Swing) layout: the
#: layout, not who made the file.
LAYOUT_SOURCES = frozenset({"Provincies in Cijfers", "Provincies in Cijfers / Swing"})
#: Dataset ids of figures tables (zorgzaam.importers.figures.KIND).
FIGURES_PREFIX = "cijfers-"
#: The derived access dataset (zorgzaam.access.ACCESS_DATASET): computed from the spatial layers.
ACCESS_DATASET = "bereikbaarheid"

#: The map layers of "Wat is er?" (zorgzaam.layers.LAYERS keys) → (kind, layer, category) in ``Store.layer_datasets``.
LAYER_KEYS: dict[str, tuple[str, str, str | None]] = {
    "sectoren": ("areas", "statsec", None),
    "kernen": ("features", "nederzetting", "kern"),
    "linten": ("features", "nederzetting", "lint"),
    "verspreid": ("features", "nederzetting", "verspreid"),
    "inwoners": ("grid", "inwoners", None),
    "walkability": ("grid", "walkability", None),
    "voorzieningenniveau": ("grid", "voorzieningenniveau", None),
    "voorzieningen": ("features", "voorziening", None),
    "bushaltes": ("stops", "bushaltes", None),
}
#: The layers an access computation reads (its figures come from them).
ACCESS_LAYERS: tuple[str, ...] = ("inwoners", "voorzieningen", "bushaltes", "kernen", "linten", "verspreid")


def _text(value: object) -> str | None:
    """A stored text, or None for NULL, NaN, "" and a literal "nan"."""
    if value is None or (isinstance(value, float) and value != value) or value is pd.NA:
        return None
    text = str(value).strip()
    return text if text and text.lower() not in ("nan", "none", "<na>") else None


def file_label(file_name: object) -> str | None:
    """The file names of a dataset without their sheet ("data.xlsx [Blad1]" → "data.xlsx")."""
    text = _text(file_name)
    if text is None:
        return None
    names = [re.sub(r"\s*\[[^\]]*\]\s*$", "", part).strip() for part in text.split(", ")]
    return ", ".join(dict.fromkeys(n for n in names if n)) or None


def is_own_file(dataset_id: str, source: object, file_name: object = None) -> bool:
    """Whether a dataset is the werkgroep's own file rather than a publisher's: its source says so, or it is a
    figures table whose recorded source is only the layout (a Swing JSON export does come from PinC)."""
    src = _text(source)
    if src is None or src.lower().startswith(OWN_FILE):
        return True
    if str(dataset_id).startswith(FIGURES_PREFIX) and src in LAYOUT_SOURCES:
        files = file_label(file_name) or ""
        return not (files and all(f.lower().endswith(".json") for f in files.split(", ")))
    return False


def dataset_label(dataset_id: str, source: object, file_name: object = None) -> str:
    """A dataset by its own source and file: "Statbel (bevolking.txt)", "eigen bestand upload.xlsx"."""
    src, files = _text(source), file_label(file_name)
    if is_own_file(dataset_id, source, file_name):
        return f"{OWN_FILE} {files}" if files else OWN_FILE
    if files and files not in src:
        return f"{src} ({files})"
    return src


def format_periods(periods: Iterable[object]) -> str:
    """ "2025"; "2019–2023" for consecutive years; else "2013, 2016". Empty when there is none."""
    values = sorted({p for p in (_text(x) for x in periods) if p is not None})
    if (
        len(values) > 2
        and all(v.isdigit() for v in values)
        and [int(v) for v in values] == list(range(int(values[0]), int(values[-1]) + 1))
    ):
        return f"{values[0]}–{values[-1]}"
    return ", ".join(values)


def _entry(label: str, periods: str) -> str:
    return f"{label}, {periods}" if periods else label


def _merge(rows: list[tuple[str, list[str]]]) -> list[str]:
    """(label, periods) rows → one text per label (periods united), in first-seen order."""
    merged: dict[str, list[str]] = {}
    for label, periods in rows:
        merged.setdefault(label, []).extend(periods)
    return [_entry(label, format_periods(periods)) for label, periods in merged.items()]


def _datasets(store: Store) -> pd.DataFrame:
    return store.datasets().drop_duplicates("dataset_id").set_index("dataset_id")


def _label_of(datasets: pd.DataFrame, dataset_id: str) -> str:
    if dataset_id not in datasets.index:
        return UNKNOWN
    row = datasets.loc[dataset_id]
    return dataset_label(dataset_id, row["source"], row.get("file_name"))


def _own_period(datasets: pd.DataFrame, dataset_id: str) -> list[str]:
    if dataset_id not in datasets.index:
        return []
    label = _text(datasets.at[dataset_id, "period_label"])
    return [label] if label else []


def _indicator_codes(indicators: Iterable[str | Indicator]) -> list[str]:
    return [i.code if isinstance(i, Indicator) else str(i) for i in indicators]


def _variables(store: Store, indicators: list[str]) -> list[str]:
    from .engine import needed_variables

    catalogue = store.catalogue()
    known = [catalogue.indicator(c) for c in indicators if c in catalogue.indicators]
    return needed_variables(known, catalogue)


def _layer_rows(
    table: pd.DataFrame, layers: Iterable[str], categories: Iterable[str] | None, datasets: pd.DataFrame
) -> list[tuple[str, list[str]]]:
    """``table``: ``Store.layer_datasets()``."""
    wanted = [LAYER_KEYS[k] for k in layers if k in LAYER_KEYS]
    if not wanted:
        return []
    chosen = set(categories) if categories is not None else None
    rows: list[tuple[str, list[str]]] = []
    for kind, layer, category in wanted:
        mine = table[(table["kind"] == kind) & (table["layer"] == layer)]
        if category is not None:
            mine = mine[mine["category"] == category]
        elif kind == "features" and layer == "voorziening" and chosen is not None:
            mine = mine[mine["category"].isin(chosen)]
        for dataset_id in dict.fromkeys(mine["dataset_id"]):
            rows.append((_label_of(datasets, dataset_id), _own_period(datasets, dataset_id)))
    return rows


def view_sources(
    store: Store,
    indicators: Iterable[str | Indicator] = (),
    layers: Iterable[str] = (),
    *,
    period: str | None = None,
    categories: Iterable[str] | None = None,
    variables: Iterable[str] = (),
) -> list[str]:
    """The sources of what a view shows, one text per dataset: its own name and file, its own periods.

    ``indicators``: codes (or Indicators) shown; their base counts' datasets are named with the periods they
    hold for them — with ``period``, the latest up to it (what a view of that period shows). A derived access
    result adds the layers it was computed from. ``layers``: map layers shown (keys of ``LAYER_KEYS``;
    ``categories`` narrows the amenities), each dataset with its own period label. ``variables``: stored
    variables shown as they are (the bevolkingskubus).
    """
    datasets = _datasets(store)
    rows: list[tuple[str, list[str]]] = []
    codes = _indicator_codes(indicators)
    layer_keys = list(layers)
    wanted = list(dict.fromkeys((_variables(store, codes) if codes else []) + list(variables)))
    if wanted:
        held = store.variable_datasets(wanted)
        if period is not None:
            held = held[held["period"].astype(str) <= str(period)]
        for dataset_id, part in held.groupby("dataset_id", sort=False):
            periods = list(part["period"].astype(str))
            rows.append((_label_of(datasets, dataset_id), [max(periods)] if period is not None else periods))
            if dataset_id == ACCESS_DATASET:
                layer_keys += [k for k in ACCESS_LAYERS if k not in layer_keys]
    if any(k in LAYER_KEYS for k in layer_keys):
        rows += _layer_rows(store.layer_datasets(), layer_keys, categories, datasets)
    return _merge(rows)


def source_text(
    store: Store,
    indicators: Iterable[str | Indicator] = (),
    layers: Iterable[str] = (),
    *,
    period: str | None = None,
    categories: Iterable[str] | None = None,
    variables: Iterable[str] = (),
) -> str:
    """``view_sources`` as one caption text ("Statbel (…), 2025; eigen bestand …, 2021"); "onbekend" if none."""
    return (
        "; ".join(view_sources(store, indicators, layers, period=period, categories=categories, variables=variables))
        or UNKNOWN
    )


def all_sources(store: Store) -> list[str]:
    """Every dataset of the store by its own name and file, with its period label (for a list of all sources)."""
    datasets = _datasets(store)
    return _merge([(_label_of(datasets, d), _own_period(datasets, d)) for d in datasets.index])


def dataset_rows(store: Store) -> list[str]:
    """One line per dataset: "title — source (file) · period" (no period when it has none)."""
    datasets = _datasets(store)
    out = []
    for dataset_id, row in datasets.iterrows():
        period = _text(row["period_label"])
        out.append(
            f"{_text(row['title']) or dataset_id} — {_label_of(datasets, dataset_id)}"
            + (f" · {period}" if period else "")
        )
    return out


def layer_sources(store: Store) -> dict[str, str]:
    """Per map layer key, the sources of the datasets that wrote it (each with its own period)."""
    datasets, table = _datasets(store), store.layer_datasets()
    out = {}
    for key in LAYER_KEYS:
        text = "; ".join(_merge(_layer_rows(table, [key], None, datasets)))
        if text:
            out[key] = text
    return out
