"""Page frame helpers: the error guard, the demo notice, the source line."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING

import streamlit as st
from streamlit.runtime.scriptrunner_utils.exceptions import ScriptControlException

from ..engine import EngineError
from ..store import Store, StoreError

if TYPE_CHECKING:
    from .state import AreaChoice

log = logging.getLogger("zorgzaam")


@contextlib.contextmanager
def page_guard() -> Iterator[None]:
    """Show a Dutch sentence instead of a traceback; log the details for the maintainer."""
    try:
        yield
    except ScriptControlException:
        raise  # st.stop() and st.rerun() are control flow, not errors
    except (StoreError, EngineError) as exc:
        st.error(str(exc))
    except Exception:  # noqa: BLE001 - the last line of defence for the UI
        log.exception("Onverwachte fout op een pagina")
        st.error(
            "Er ging iets mis bij het tonen van deze pagina. Je gegevens zijn niet gewijzigd. "
            "Probeer opnieuw of kies een ander gebied; blijft het gebeuren, meld het dan aan de beheerder."
        )


def page_start(title: str, scoring_expanded: bool = False) -> tuple[Store, "AreaChoice"]:
    """Every page's opening: the store, the area picker, the demo notice, the team's
    self-assessment in the sidebar and the title.

    Stops the page with a Dutch hint while no care zone and municipality can be chosen.
    """
    from .data import get_store
    from .state import area_picker
    from .team_sidebar import team_sidebar

    source_picker()
    store = get_store()
    choice = area_picker(store)
    demo_notice(store)
    team_sidebar(store, expanded=scoring_expanded)
    st.title(title)
    if choice is None:
        st.info("Kies links een eerstelijnszone en een gemeente om te beginnen.")
        st.stop()
    return store, choice


def source_picker() -> None:
    """Choose between the imported data and the demo (only shown once something was imported)."""
    from .data import SOURCE_KEY, SOURCES, own_store, source_choice

    if not own_store().has_own_data():
        return
    st.session_state[SOURCE_KEY] = source_choice()  # the URL's choice on a first run; keeps it across pages
    choice = st.sidebar.segmented_control(
        "Gegevens",
        list(SOURCES),
        format_func=SOURCES.get,
        key=SOURCE_KEY,
        required=True,
        help="Eigen gegevens: wat jullie importeerden (pagina Gegevens). Demo: de fictieve eerstelijnszone "
        "Heidekempen, om de app te leren kennen. De twee worden nooit gemengd.",
    )
    st.query_params[SOURCE_KEY] = choice


def demo_notice(store: Store) -> None:
    if store.has_demo():
        st.sidebar.info(
            "**Demo:** de eerstelijnszone Heidekempen, haar gemeenten, sectoren en cijfers zijn **fictief**.",
            icon=":material/science:",
        )


def source_line(
    store: Store,
    indicators: Iterable[str] = (),
    layers: Iterable[str] = (),
    *,
    period: str | None = None,
    categories: Iterable[str] | None = None,
    variables: Iterable[str] = (),
) -> str:
    """Who the figures of a view come from, in words for its caption: only the datasets of the ``indicators``
    (codes) and map ``layers`` it shows, each by its own name and file and period (``zorgzaam.sources``).
    ``variables``: stored variables shown as they are. Without any of these: every dataset of the store."""
    from .data import data_version

    return _cached_source_line(
        store,
        data_version(store),
        tuple(indicators),
        tuple(layers),
        None if period is None else str(period),
        None if categories is None else tuple(sorted(categories)),
        tuple(variables),
    )


@st.cache_data(max_entries=128, show_spinner=False)
def _cached_source_line(
    _store: Store,
    version: str,
    indicators: tuple[str, ...],
    layers: tuple[str, ...],
    period: str | None,
    categories: tuple[str, ...] | None,
    variables: tuple[str, ...],
) -> str:
    from ..sources import UNKNOWN, all_sources, source_text

    if not indicators and not layers and not variables:
        return "; ".join(all_sources(_store)) or UNKNOWN
    return source_text(_store, indicators, layers, period=period, categories=categories, variables=variables)
