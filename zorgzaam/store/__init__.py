"""The one package that talks to DuckDB: schema, migrations, connections, queries.

One DuckDB database per process (a file allows a single writer process), and a
cursor per thread on top of it (``connection``). ``Store`` is one class assembled
from one mixin per subject, each in its own module:

- ``schema``      the migrations and ``migrate``
- ``connection``  the process-wide databases, per-thread cursors, ``close_all``
- ``datasets``    datasets, areas and their parents, observations
- ``indicators``  the catalogue in the store (built-in and the werkgroep's own)
- ``mappings``    remembered column and amenity-tag mappings
- ``spatial``     features, bus stops, hectare cells, place access
- ``polls``       live polls: sessions, questions, answers
- ``werkgroep``   team scores, bouwsteen notes, actions
- ``meetings``    meetings, step visits, notes, keywords
- ``notes``       the werkgroep's notes per summary question
- ``results``     every indicator for every area and period, once per data version (the engine writes it)
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .connection import DEFAULT_DB, Connection, close_all, default_path, demo_path
from .datasets import Datasets
from .errors import MAX_NOTE_CHARS, PollCapacityError, StoreError
from .indicators import Indicators
from .mappings import Mappings
from .meetings import Meetings
from .notes import SummaryNotes
from .polls import Polls
from .results import RESULT_TABLE_COLUMNS, Results
from .schema import MIGRATIONS, PLACE_ACCESS_COLUMNS, SCHEMA_VERSION, STATUSES, feature_bounds, migrate
from .spatial import SpatialLayers
from .werkgroep import Werkgroep

__all__ = [
    "DEFAULT_DB",
    "MAX_NOTE_CHARS",
    "MIGRATIONS",
    "PLACE_ACCESS_COLUMNS",
    "SCHEMA_VERSION",
    "STATUSES",
    "PollCapacityError",
    "RESULT_TABLE_COLUMNS",
    "Store",
    "StoreError",
    "close_all",
    "default_path",
    "demo_path",
    "feature_bounds",
    "migrate",
]


@dataclass
class Store(
    Datasets, Indicators, Mappings, SpatialLayers, Polls, Werkgroep, Meetings, SummaryNotes, Results, Connection
):
    """One database file: its reads on this thread's cursor, its writes in transactions."""

    path: Path
    read_only: bool = False
