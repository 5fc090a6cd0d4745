"""The Streamlit side of data access: one Store per process, cached results."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import streamlit as st

from ..comparisons import Reference, with_references
from ..engine import compute, refresh_results
from ..store import Store, default_path, demo_path

# Which data the app shows: "eigen" (imported) or "demo" (fictional); in the session and the URL.
SOURCE_KEY = "bron"
SOURCES = {"eigen": "Eigen gegevens", "demo": "Demo (fictief)"}


def own_store() -> Store:
    """The werkgroep's own database (imports go here; never the demo's file)."""
    return _open_store(str(default_path()))


def demo_store() -> Store:
    """The demo's database, built on first use. An own database that holds the demo (as the
    tests and older installs have it) is used as it is."""
    own = own_store()
    if own.has_demo():
        return own
    return _open_demo(str(demo_path()))


def source_choice() -> str:
    """ "eigen" when there is imported data and the user did not pick the demo, else "demo"."""
    if not own_store().has_own_data():
        return "demo"
    wanted = st.session_state.get(SOURCE_KEY) or st.query_params.get(SOURCE_KEY)
    return wanted if wanted in SOURCES else "eigen"


def get_store() -> Store:
    """The store the pages read: the imported data, or the demo; its figures computed for this data version."""
    store = demo_store() if source_choice() == "demo" else own_store()
    if not store.read_only and not store.results_fresh():
        # After an import from elsewhere (the CLI, another server): once, then every page looks figures up.
        with st.spinner("De cijfers worden klaargezet voor alle gebieden …"):
            refresh_results(store)
    return store


def stores() -> list[Store]:
    """Every store the app may show (own first), each once."""
    out = [own_store()]
    if out[0].has_own_data() or not out[0].has_demo():
        out.append(demo_store())
    return list({s.path: s for s in out}.values())


@st.cache_resource(show_spinner="De databank wordt geopend …")
def _open_store(path: str) -> Store:
    return Store.open(path)


@st.cache_resource(show_spinner="De demo wordt klaargezet (eenmalig, ongeveer een minuut) …")
def _open_demo(path: str) -> Store:
    store = Store.open(path)
    if store.is_empty():
        from ..demo import install_demo

        install_demo(store)
    return store


def data_version(store: Store) -> str:
    """Changes whenever a dataset is written, so cached results follow imports (and differ per store)."""
    # The catalogue version changes when an extra indicator is (re)defined without a new import.
    return f"{store.path}|{store.data_version()}"


@st.cache_data(max_entries=256, show_spinner=False)
def cached_compute(
    _store: Store,
    version: str,
    indicators: tuple[str, ...],
    areas: tuple[tuple[str, str], ...] | None = None,
    level: str | None = None,
    within: tuple[str, str] | None = None,
    period: str | None = None,
) -> pd.DataFrame:
    return compute(
        _store, list(indicators), areas=list(areas) if areas else None, level=level, within=within, period=period
    )


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


def stored_variables(store: Store) -> frozenset[str]:
    """Every variable with an observation in the store (cached per data version)."""
    return _cached_variables(store, data_version(store))


@st.cache_data(max_entries=16, show_spinner=False)
def _cached_variables(_store: Store, version: str) -> frozenset[str]:
    return frozenset(_store.variables())


def busiest_areas(store: Store, level: str, within: tuple[str, str] | None = None) -> list[str]:
    """Areas of ``level`` ordered by their number of sectors with a map (most first)."""
    return _cached_busiest(store, data_version(store), level, within)


@st.cache_data(max_entries=64, show_spinner=False)
def _cached_busiest(_store: Store, version: str, level: str, within: tuple[str, str] | None) -> list[str]:
    return _store.areas_by_mapped_sectors(level, within)


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
