"""The Streamlit side of data access: one Store per process, cached results."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import streamlit as st

from ..comparisons import Reference, with_references
from ..engine import compute
from ..store import Store, default_path


def get_store() -> Store:
    """The app's store; builds the fictional demo zone on the very first start."""
    return _open_store(str(default_path()))


@st.cache_resource(show_spinner="De databank wordt geopend …")
def _open_store(path: str) -> Store:
    store = Store.open(path)
    if store.is_empty():
        from ..demo import install_demo

        install_demo(store)
    return store


def data_version(store: Store) -> str:
    """Changes whenever a dataset is written, so cached results follow imports."""
    row = store.cursor().execute("SELECT count(*), max(imported_at) FROM datasets").fetchall()[0]
    return f"{row[0]}|{row[1]}"


@st.cache_data(max_entries=256, show_spinner=False)
def cached_compute(
    _store: Store, version: str, indicators: tuple[str, ...], areas: tuple[tuple[str, str], ...] | None = None,
    level: str | None = None, within: tuple[str, str] | None = None, period: str | None = None,
) -> pd.DataFrame:
    return compute(_store, list(indicators), areas=list(areas) if areas else None, level=level, within=within,
                   period=period)


@st.cache_data(max_entries=256, show_spinner=False)
def cached_with_references(
    _store: Store, version: str, indicators: tuple[str, ...], level: str, code: str, period: str | None = None
) -> tuple[pd.DataFrame, list[Reference]]:
    return with_references(_store, list(indicators), level, code, period)


def areas_of(store: Store, level: str, within: tuple[str, str] | None = None) -> pd.DataFrame:
    return _cached_areas(store, data_version(store), level, within)


@st.cache_data(max_entries=64, show_spinner=False)
def _cached_areas(_store: Store, version: str, level: str, within: tuple[str, str] | None) -> pd.DataFrame:
    return _store.areas(level, within=within)


def compute_for(store: Store, indicators: Sequence[str], **kwargs) -> pd.DataFrame:
    kwargs = {k: (tuple(v) if isinstance(v, list) else v) for k, v in kwargs.items()}
    if kwargs.get("areas") is not None:
        kwargs["areas"] = tuple(tuple(a) for a in kwargs["areas"])
    return cached_compute(store, data_version(store), tuple(indicators), **kwargs)


@st.cache_data(max_entries=128, show_spinner=False)
def cached_profile(_store: Store, version: str, sector: str, period: str | None):
    from ..profiles import sector_profile

    return sector_profile(_store, sector, period)


@st.cache_data(max_entries=128, show_spinner=False)
def cached_trend(_store: Store, version: str, level: str, code: str, indicator: str) -> pd.DataFrame:
    from ..profiles import trend

    return trend(_store, level, code, indicator)


@st.cache_data(max_entries=64, show_spinner=False)
def cached_cube(_store: Store, version: str, codes: tuple[str, ...], period: str, level: str) -> pd.DataFrame:
    from ..cube import population_cube

    return population_cube(_store, list(codes), period, level)


@st.cache_data(max_entries=16, show_spinner=False)
def cached_has_cube(_store: Store, version: str, period: str) -> bool:
    from ..cube import has_cube

    return has_cube(_store, period)
