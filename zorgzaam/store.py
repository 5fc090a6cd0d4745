"""The one module that talks to DuckDB: schema, migrations, connections, queries.

One DuckDB database per process (a file allows a single writer process), and a
cursor per thread on top of it: Streamlit serves each session from its own
thread and a DuckDB cursor must never be shared across threads. Every query
with values takes them as parameters.
"""

from __future__ import annotations

import contextlib
import os
import random
import threading
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path

import duckdb
import pandas as pd
import shapely

from .areas import LEVEL_CODES, finer_levels
from .catalogue import BUILTIN, USER_PREFIX, BaseCount, Catalogue, Indicator

DEFAULT_DB = Path(__file__).resolve().parent.parent / "data" / "zorgzaam.duckdb"

STATUSES = ("ok", "verborgen", "ontbrekend", "nvt")


class StoreError(RuntimeError):
    """A problem with the database, worded for the user (Dutch)."""


class PollCapacityError(StoreError):
    """A poll round has as many participants as it accepts."""


def default_path() -> Path:
    """The werkgroep's own database: imported data, team scores, polls."""
    return Path(os.environ.get("ZORGZAAM_DB") or DEFAULT_DB)


def demo_path() -> Path:
    """The fictional demo's database, a separate file so demo and real figures never mix
    ($ZORGZAAM_DEMO_DB, or beside the own database: zorgzaam.demo.duckdb)."""
    if os.environ.get("ZORGZAAM_DEMO_DB"):
        return Path(os.environ["ZORGZAAM_DEMO_DB"])
    own = default_path()
    return own.with_name(f"{own.stem}.demo{own.suffix}")


# --- schema -----------------------------------------------------------------

# Migration 4's columns of place_access, frozen with it (a later category needs a new migration).
_V4_CATEGORIES = (
    "voedingswinkel", "supermarkt", "bakker", "slager", "huisarts", "apotheek", "school", "post", "bank",
    "lokaal_dienstencentrum", "woonzorgcentrum", "zitbank", "openbaar_toilet", "groen",
)
_V4_DISTANCES = ("dist_food", "dist_basket", "dist_bus_0", "dist_bus_1", "dist_bus_2", "dist_bus_4", "dist_belbus")
PLACE_ACCESS_COLUMNS: tuple[str, ...] = (
    ("x", "y", "statsec", "residents", "settlement")
    + tuple(f"dist_{c}" for c in _V4_CATEGORIES)
    + tuple(f"n400_{c}" for c in _V4_CATEGORIES)
    + tuple(f"n1200_{c}" for c in _V4_CATEGORIES)
    + _V4_DISTANCES
)


def _place_access_ddl() -> str:
    # Distances in metres as FLOAT (4 bytes; a centimetre is noise at this scale), counts INTEGER.
    # No primary key: at 1.4 million rows its index would cost more than the table (see observations);
    # the rows come from grid_cells, whose key is (dataset_id, layer, x, y).
    typed = {"x": "DOUBLE NOT NULL", "y": "DOUBLE NOT NULL", "statsec": "VARCHAR",
             "residents": "DOUBLE NOT NULL", "settlement": "VARCHAR NOT NULL"}
    cols = ["dataset_id VARCHAR NOT NULL"] + [
        f"{c} {typed.get(c) or ('INTEGER NOT NULL' if c.startswith(('n400_', 'n1200_')) else 'FLOAT')}"
        for c in PLACE_ACCESS_COLUMNS
    ]
    return "CREATE TABLE place_access (\n    " + ",\n    ".join(cols) + "\n)"


MIGRATIONS: tuple[tuple[int, str, tuple[str, ...]], ...] = (
    (
        1,
        "gebieden, catalogus en waarnemingen",
        (
            """CREATE TABLE datasets (
                dataset_id VARCHAR PRIMARY KEY,
                title VARCHAR NOT NULL,
                source VARCHAR NOT NULL,
                period_label VARCHAR,
                is_demo BOOLEAN NOT NULL DEFAULT FALSE,
                file_name VARCHAR,
                imported_at TIMESTAMP NOT NULL
            )""",
            """CREATE TABLE areas (
                level VARCHAR NOT NULL,
                code VARCHAR NOT NULL,
                name VARCHAR NOT NULL,
                area_ha DOUBLE,
                geom_lambert BLOB,
                geom_display BLOB,
                dataset_id VARCHAR,
                PRIMARY KEY (level, code)
            )""",
            """CREATE TABLE area_parents (
                level VARCHAR NOT NULL,
                code VARCHAR NOT NULL,
                parent_level VARCHAR NOT NULL,
                parent_code VARCHAR NOT NULL,
                dataset_id VARCHAR,
                PRIMARY KEY (level, code, parent_level)
            )""",
            """CREATE TABLE base_counts (
                code VARCHAR PRIMARY KEY,
                label VARCHAR NOT NULL,
                unit VARCHAR NOT NULL,
                sum_of VARCHAR[]
            )""",
            """CREATE TABLE indicators (
                code VARCHAR PRIMARY KEY,
                label VARCHAR NOT NULL,
                theme VARCHAR NOT NULL,
                definition VARCHAR NOT NULL,
                formula VARCHAR NOT NULL,
                numerator VARCHAR[] NOT NULL,
                denominator VARCHAR[] NOT NULL,
                multiplier DOUBLE NOT NULL,
                unit VARCHAR NOT NULL,
                denominator_kind VARCHAR NOT NULL,
                source VARCHAR NOT NULL,
                signals VARCHAR[] NOT NULL,
                direction VARCHAR NOT NULL,
                decimals INTEGER NOT NULL,
                is_builtin BOOLEAN NOT NULL
            )""",
            # variable = a base-count code or an indicator code (a stored
            # indicator value, used when its base counts are not available).
            """CREATE TABLE observations (
                area_level VARCHAR NOT NULL,
                area_code VARCHAR NOT NULL,
                variable VARCHAR NOT NULL,
                period VARCHAR NOT NULL,
                value DOUBLE,
                status VARCHAR NOT NULL CHECK (status IN ('ok', 'verborgen', 'ontbrekend', 'nvt')),
                dataset_id VARCHAR NOT NULL
            )""",
        ),
    ),
    (
        2,
        "ruimtelijke lagen: kernen en linten, voorzieningen, haltes, hectarecellen",
        (
            # Points, lines and polygons: settlement type, amenities, green ...
            """CREATE TABLE features (
                layer VARCHAR NOT NULL,
                feature_id VARCHAR NOT NULL,
                category VARCHAR NOT NULL,
                name VARCHAR,
                properties JSON,
                geom_lambert BLOB NOT NULL,
                geom_display BLOB NOT NULL,
                dataset_id VARCHAR NOT NULL,
                PRIMARY KEY (dataset_id, layer, feature_id)
            )""",
            """CREATE TABLE stops (
                stop_id VARCHAR NOT NULL,
                name VARCHAR NOT NULL,
                departures_per_hour DOUBLE,
                is_belbus BOOLEAN NOT NULL DEFAULT FALSE,
                x DOUBLE NOT NULL,
                y DOUBLE NOT NULL,
                lon DOUBLE NOT NULL,
                lat DOUBLE NOT NULL,
                dataset_id VARCHAR NOT NULL,
                PRIMARY KEY (dataset_id, stop_id)
            )""",
            # Hectare cells: x, y is the Lambert 72 cell centre.
            """CREATE TABLE grid_cells (
                layer VARCHAR NOT NULL,
                x DOUBLE NOT NULL,
                y DOUBLE NOT NULL,
                value DOUBLE,
                statsec VARCHAR,
                dataset_id VARCHAR NOT NULL,
                PRIMARY KEY (dataset_id, layer, x, y)
            )""",
        ),
    ),
    (
        3,
        "notities van de werkgroep bij de samenvattende vragen",
        (
            # What the werkgroep writes during a meeting; never part of a dataset,
            # so re-importing figures leaves it alone.
            """CREATE TABLE summary_notes (
                area_level VARCHAR NOT NULL,
                area_code VARCHAR NOT NULL,
                period VARCHAR NOT NULL,
                question VARCHAR NOT NULL,
                notes VARCHAR NOT NULL,
                updated_at TIMESTAMP NOT NULL,
                PRIMARY KEY (area_level, area_code, period, question)
            )""",
        ),
    ),
    (
        4,
        "bereikbaarheid per woonplaats (hectarecel)",
        (_place_access_ddl(),),
    ),
    (
        5,
        "omhullende rechthoek van elk kaartobject (snel lezen per gemeente)",
        (
            "ALTER TABLE features ADD COLUMN minx DOUBLE",
            "ALTER TABLE features ADD COLUMN miny DOUBLE",
            "ALTER TABLE features ADD COLUMN maxx DOUBLE",
            "ALTER TABLE features ADD COLUMN maxy DOUBLE",
            lambda con: _backfill_feature_bounds(con),
        ),
    ),
    (
        6,
        "peilingen: sessies, vragen, antwoorden",
        (
            # A live poll during a werkgroep meeting (zorgzaam.polls). Only a SHA-256 of the
            # facilitator's token is kept; the join code is what participants type.
            # No foreign keys: DuckDB refuses updates of referenced rows; polls.py keeps the links.
            """CREATE TABLE poll_sessions (
                session_id VARCHAR PRIMARY KEY,
                title VARCHAR NOT NULL,
                join_code VARCHAR NOT NULL UNIQUE,
                token_hash VARCHAR NOT NULL,
                state VARCHAR NOT NULL CHECK (state IN ('open', 'closed')),
                results_visible BOOLEAN NOT NULL DEFAULT FALSE,
                current_round INTEGER NOT NULL DEFAULT 1,
                created_at TIMESTAMP NOT NULL
            )""",
            # kind: 'scale' (1-5), 'choice' (options: JSON list of texts) or 'word' (max 40 characters).
            """CREATE TABLE poll_questions (
                session_id VARCHAR NOT NULL,
                question_id INTEGER NOT NULL,
                position INTEGER NOT NULL,
                kind VARCHAR NOT NULL CHECK (kind IN ('scale', 'choice', 'word')),
                text VARCHAR NOT NULL,
                options JSON,
                bouwsteen VARCHAR,
                PRIMARY KEY (session_id, question_id)
            )""",
            # One answer per participant per question per round: a second answer replaces the first.
            """CREATE TABLE poll_answers (
                session_id VARCHAR NOT NULL,
                round INTEGER NOT NULL,
                question_id INTEGER NOT NULL,
                participant_id VARCHAR NOT NULL,
                display_name VARCHAR,
                value VARCHAR NOT NULL,
                answered_at TIMESTAMP NOT NULL,
                PRIMARY KEY (session_id, round, question_id, participant_id)
            )""",
        ),
    ),
    (
        7,
        "werkgroep: zelfevaluatie per team en datum, reflectienotities, acties per bouwsteen",
        (
            # One row per bouwsteen per assessment; score NULL = niet gescoord. source: 'zijbalk'
            # (the team scored itself) or 'peiling' (taken over from a poll round, which is kept).
            """CREATE TABLE team_scores (
                team VARCHAR NOT NULL,
                assessed_on DATE NOT NULL,
                bouwsteen VARCHAR NOT NULL,
                score INTEGER CHECK (score BETWEEN 1 AND 5),
                source VARCHAR NOT NULL,
                poll_session_id VARCHAR,
                poll_round INTEGER,
                saved_at TIMESTAMP NOT NULL,
                PRIMARY KEY (team, assessed_on, bouwsteen)
            )""",
            """CREATE TABLE bouwsteen_notes (
                team VARCHAR NOT NULL,
                bouwsteen VARCHAR NOT NULL,
                notes VARCHAR NOT NULL,
                saved_at TIMESTAMP NOT NULL,
                PRIMARY KEY (team, bouwsteen)
            )""",
            # Action ids come from a sequence so a deleted id is never given to a new action (a page
            # still open elsewhere would otherwise edit the wrong one), also when two are added at once.
            "CREATE SEQUENCE team_action_ids START 1",
            # place_kind: 'gemeentebreed', 'sector' (sector code) or 'punt' (lon, lat in EPSG:4326).
            """CREATE TABLE team_actions (
                team VARCHAR NOT NULL,
                action_id INTEGER NOT NULL,
                title VARCHAR NOT NULL,
                bouwstenen JSON NOT NULL,
                status VARCHAR NOT NULL CHECK (status IN ('lopend', 'gepland', 'gemist')),
                partners JSON NOT NULL,
                participation VARCHAR,
                place_kind VARCHAR NOT NULL CHECK (place_kind IN ('gemeentebreed', 'sector', 'punt')),
                sector VARCHAR,
                lon DOUBLE,
                lat DOUBLE,
                notes VARCHAR NOT NULL,
                created_at TIMESTAMP NOT NULL,
                updated_at TIMESTAMP NOT NULL,
                PRIMARY KEY (team, action_id)
            )""",
        ),
    ),
    (
        8,
        "koppeling van onbekende kolommen aan de catalogus, onthouden voor een volgende import",
        (
            # target_kind: 'base' (a base count), 'indicator' (a stored indicator value) or 'skip'.
            """CREATE TABLE column_mappings (
                column_name VARCHAR PRIMARY KEY,
                target_kind VARCHAR NOT NULL CHECK (target_kind IN ('base', 'indicator', 'skip')),
                target_code VARCHAR,
                saved_at TIMESTAMP NOT NULL
            )""",
        ),
    ),
    (
        9,
        "omzettingstabel van sectorcodes 2025 naar 2024",
        (
            # Each 2025 sector lies in exactly one 2024 sector (the reform split sectors), so counts on
            # 2025 codes sum exactly to 2024 codes; the other way round cannot be done.
            """CREATE TABLE sector_crosswalk (
                code_2025 VARCHAR PRIMARY KEY,
                code_2024 VARCHAR NOT NULL,
                dataset_id VARCHAR NOT NULL
            )""",
        ),
    ),
    (
        10,
        "eigen indicatoren, onthouden koppeling van OSM-tags",
        (
            # The werkgroep's own OSM tag → category choices; category NULL = not imported.
            """CREATE TABLE amenity_tag_mappings (
                tag VARCHAR PRIMARY KEY,
                category VARCHAR,
                saved_at TIMESTAMP NOT NULL
            )""",
            # User base counts (an extra indicator's count) survive sync_catalogue.
            "ALTER TABLE base_counts ADD COLUMN is_builtin BOOLEAN DEFAULT TRUE",
            # column_mappings gets the kind 'extra' (a CHECK cannot be altered: the table is rebuilt)
            # with the extra indicator's label, unit, denominator (a base count) and multiplier.
            """CREATE TABLE column_mappings_v10 (
                column_name VARCHAR PRIMARY KEY,
                target_kind VARCHAR NOT NULL CHECK (target_kind IN ('base', 'indicator', 'skip', 'extra')),
                target_code VARCHAR,
                saved_at TIMESTAMP NOT NULL,
                label VARCHAR,
                unit VARCHAR,
                denominator VARCHAR,
                multiplier DOUBLE
            )""",
            "INSERT INTO column_mappings_v10 (column_name, target_kind, target_code, saved_at)"
            " SELECT column_name, target_kind, target_code, saved_at FROM column_mappings",
            "DROP TABLE column_mappings",
            "ALTER TABLE column_mappings_v10 RENAME TO column_mappings",
        ),
    ),
    (
        11,
        "bijeenkomsten van de werkgroep: agenda, stappen, notities; peilingvragen per stap",
        (
            # A poll question may belong to one step of a meeting; participants then see (and may
            # answer) only the questions of the session's current step. NULL: a plain poll.
            "ALTER TABLE poll_questions ADD COLUMN step INTEGER",
            "ALTER TABLE poll_sessions ADD COLUMN current_step INTEGER",
            # A meeting (zorgzaam.meetings). agenda: JSON list of {kind, title, minutes}; sectors and
            # indicators: JSON lists of codes. The facilitator's token is the one of the meeting's poll
            # session (only its SHA-256 here, as there). state: gepland → bezig → afgerond.
            """CREATE TABLE meetings (
                meeting_id VARCHAR PRIMARY KEY,
                team VARCHAR NOT NULL,
                title VARCHAR NOT NULL,
                meeting_date DATE NOT NULL,
                template VARCHAR,
                municipality VARCHAR,
                sectors JSON NOT NULL,
                indicators JSON NOT NULL,
                agenda JSON NOT NULL,
                state VARCHAR NOT NULL CHECK (state IN ('gepland', 'bezig', 'afgerond')),
                token_hash VARCHAR,
                poll_session_id VARCHAR,
                current_step INTEGER,
                step_started_at TIMESTAMP,
                started_at TIMESTAMP,
                finished_at TIMESTAMP,
                next_meeting DATE,
                created_at TIMESTAMP NOT NULL,
                updated_at TIMESTAMP NOT NULL
            )""",
            # Each visit of a step (a step may be visited twice): the minutes report the time spent.
            """CREATE TABLE meeting_step_visits (
                meeting_id VARCHAR NOT NULL,
                step INTEGER NOT NULL,
                started_at TIMESTAMP NOT NULL,
                ended_at TIMESTAMP,
                PRIMARY KEY (meeting_id, step, started_at)
            )""",
            # The note-taker's text per step and field ('notities', a summary question's number, 'afspraken' …).
            """CREATE TABLE meeting_notes (
                meeting_id VARCHAR NOT NULL,
                step INTEGER NOT NULL,
                field VARCHAR NOT NULL,
                notes VARCHAR NOT NULL,
                updated_at TIMESTAMP NOT NULL,
                PRIMARY KEY (meeting_id, step, field)
            )""",
            # The facilitator's grouping of the definition keywords (normalised keyword → domain).
            """CREATE TABLE meeting_keywords (
                meeting_id VARCHAR NOT NULL,
                step INTEGER NOT NULL,
                keyword VARCHAR NOT NULL,
                domain VARCHAR NOT NULL,
                PRIMARY KEY (meeting_id, step, keyword)
            )""",
        ),
    ),
    (
        12,
        "soort van een eigen indicator (telling, verhouding, score) en zijn tweede kolom",
        (
            # extra_kind: 'count' | 'ratio' | 'score' (NULL: a count, as before); other_column: the
            # denominator column of a ratio or the weight column of a score.
            "ALTER TABLE column_mappings ADD COLUMN extra_kind VARCHAR",
            "ALTER TABLE column_mappings ADD COLUMN other_column VARCHAR",
        ),
    ),
)

SCHEMA_VERSION = MIGRATIONS[-1][0]

# Longest note kept (a meeting's notes, not a document).
MAX_NOTE_CHARS = 20_000


def _checked_note(notes: str | None, hint: str) -> str:
    """A note as kept (stripped), or StoreError in Dutch when it is too long; ``hint`` says what to do instead."""
    text = (notes or "").strip()
    if len(text) > MAX_NOTE_CHARS:
        raise StoreError(f"Deze notitie is te lang ({len(text):,} tekens; maximum {MAX_NOTE_CHARS:,}). ".replace(",", ".")
                         + hint)
    return text

# Tables whose rows belong to one dataset (replaced or deleted together).
_DATASET_TABLES = ("areas", "area_parents", "observations", "features", "stops", "grid_cells", "place_access",
                   "sector_crosswalk", "datasets")


def feature_bounds(geom_lambert) -> pd.DataFrame:
    """minx, miny, maxx, maxy (Lambert) of WKB geometries, so a view reads only what lies near it."""
    geoms = shapely.from_wkb([bytes(g) for g in geom_lambert])
    bounds = shapely.bounds(geoms).reshape(-1, 4)
    return pd.DataFrame(bounds, columns=["minx", "miny", "maxx", "maxy"])


def _backfill_feature_bounds(con: duckdb.DuckDBPyConnection) -> None:
    rows = con.execute("SELECT dataset_id, layer, feature_id, geom_lambert FROM features").fetchdf()
    if rows.empty:
        return
    frame = pd.concat([rows[["dataset_id", "layer", "feature_id"]], feature_bounds(rows["geom_lambert"])], axis=1)
    con.register("bounds_in", frame)
    try:
        con.execute(
            "UPDATE features SET minx = b.minx, miny = b.miny, maxx = b.maxx, maxy = b.maxy FROM bounds_in b"
            " WHERE features.dataset_id = b.dataset_id AND features.layer = b.layer"
            " AND features.feature_id = b.feature_id"
        )
    finally:
        con.unregister("bounds_in")


def migrate(con: duckdb.DuckDBPyConnection, target: int = SCHEMA_VERSION) -> int:
    """Bring the schema up to ``target``; returns the version found before."""
    con.execute("CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR)")
    rows = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchall()
    found = int(rows[0][0]) if rows else 0
    if found > SCHEMA_VERSION:
        raise StoreError(
            f"Deze databank heeft schemaversie {found}, nieuwer dan deze versie van zorgzaam "
            f"({SCHEMA_VERSION}). Werk zorgzaam bij of gebruik een andere databank."
        )
    for version, _title, statements in MIGRATIONS:
        if found < version <= target:
            con.execute("BEGIN TRANSACTION")
            try:
                for step in statements:
                    if callable(step):
                        step(con)
                    else:
                        con.execute(step)
                con.execute(
                    "INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", [str(version)]
                )
                con.execute("COMMIT")
            except Exception:
                con.execute("ROLLBACK")
                raise
    return found


# --- connections --------------------------------------------------------------

_databases: dict[str, duckdb.DuckDBPyConnection] = {}
_databases_lock = threading.Lock()


def _database(path: Path, read_only: bool) -> duckdb.DuckDBPyConnection:
    key = f"{path.resolve()}|{'ro' if read_only else 'rw'}"
    with _databases_lock:
        con = _databases.get(key)
        if con is None:
            if not read_only:
                path.parent.mkdir(parents=True, exist_ok=True)
            try:
                con = duckdb.connect(str(path), read_only=read_only)
            except duckdb.IOException as exc:
                if "lock" in str(exc).lower():
                    raise StoreError(
                        f"De databank {path} is in gebruik door een ander programma (draait de app?). "
                        "Sluit dat eerst of gebruik een kopie met --db."
                    ) from exc
                raise StoreError(f"De databank {path} kan niet geopend worden: {exc}") from exc
            if not read_only:
                migrate(con)
            _databases[key] = con
        return con


def close_all() -> None:
    """Close every database this process opened (tests, CLI exit)."""
    with _databases_lock:
        for con in _databases.values():
            con.close()
        _databases.clear()


@dataclass
class Store:
    path: Path
    read_only: bool = False

    def __post_init__(self) -> None:
        self.path = Path(self.path)
        self._local = threading.local()
        _database(self.path, self.read_only)  # open (and migrate) now, so errors surface here

    @classmethod
    def open(cls, path: str | Path | None = None, read_only: bool = False) -> Store:
        return cls(Path(path) if path else default_path(), read_only=read_only)

    def cursor(self) -> duckdb.DuckDBPyConnection:
        """This thread's cursor on the process-wide database (reopened after close_all)."""
        db = _database(self.path, self.read_only)
        cached = getattr(self._local, "cursor", None)
        if cached is None or cached[0] is not db:
            cached = (db, db.cursor())
            self._local.cursor = cached
        return cached[1]

    @contextlib.contextmanager
    def transaction(self) -> Iterator[duckdb.DuckDBPyConnection]:
        cur = self.cursor()
        cur.execute("BEGIN TRANSACTION")
        try:
            yield cur
            cur.execute("COMMIT")
        except BaseException:
            cur.execute("ROLLBACK")
            raise

    def query_df(self, sql: str, params: Iterable | None = None) -> pd.DataFrame:
        return self.cursor().execute(sql, list(params or [])).df()

    def scalar(self, sql: str, params: Iterable | None = None):
        """The first value of the first row, or None (reads the whole result so no transaction lingers)."""
        rows = self.cursor().execute(sql, list(params or [])).fetchall()
        return rows[0][0] if rows else None

    def schema_version(self) -> int:
        rows = self.cursor().execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchall()
        return int(rows[0][0]) if rows else 0

    # --- writing ----------------------------------------------------------------

    def sync_catalogue(self, catalogue: Catalogue = BUILTIN, cur: duckdb.DuckDBPyConnection | None = None) -> None:
        """Write the built-in catalogue (replacing the built-in rows, keeping user ones)."""
        cur = cur or self.cursor()
        cur.execute("DELETE FROM base_counts WHERE is_builtin IS NOT FALSE")
        cur.executemany(
            "INSERT OR REPLACE INTO base_counts (code, label, unit, sum_of, is_builtin) VALUES (?, ?, ?, ?, TRUE)",
            [[b.code, b.label, b.unit, list(b.sum_of)]
             for b in [*catalogue.base_counts.values(), *catalogue.computed_counts.values()]
             if not b.code.startswith(USER_PREFIX)],
        )
        cur.execute("DELETE FROM indicators WHERE is_builtin")
        cur.executemany(
            "INSERT OR REPLACE INTO indicators VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, TRUE)",
            [
                [
                    i.code, i.label, i.theme, i.definition, i.formula, list(i.numerator), list(i.denominator),
                    i.multiplier, i.unit, i.denominator_kind, i.source, list(i.signals), i.direction, i.decimals,
                ]
                for i in catalogue.indicators.values()
            ],
        )

    def replace_dataset(
        self,
        dataset_id: str,
        *,
        title: str,
        source: str,
        period_label: str | None = None,
        is_demo: bool = False,
        file_name: str | None = None,
        areas: pd.DataFrame | None = None,
        area_parents: pd.DataFrame | None = None,
        observations: pd.DataFrame | None = None,
        features: pd.DataFrame | None = None,
        stops: pd.DataFrame | None = None,
        grid_cells: pd.DataFrame | None = None,
        place_access: pd.DataFrame | None = None,
    ) -> None:
        """Write one dataset all-or-nothing, replacing whatever it wrote before.

        Frames carry the table's columns except ``dataset_id``; geometry columns
        hold WKB bytes. ``place_access`` is the per-place access table (access.py),
        whose counts go with ``observations``.
        """
        with self.transaction() as cur:
            self.sync_catalogue(cur=cur)
            for table in _DATASET_TABLES:
                cur.execute(f"DELETE FROM {table} WHERE dataset_id = ?", [dataset_id])
            cur.execute(
                "INSERT INTO datasets VALUES (?, ?, ?, ?, ?, ?, ?)",
                [dataset_id, title, source, period_label, is_demo, file_name, datetime.now(timezone.utc)],
            )
            if areas is not None and len(areas):
                self._insert(cur, "areas", areas, dataset_id,
                             ["level", "code", "name", "area_ha", "geom_lambert", "geom_display"])
            if area_parents is not None and len(area_parents):
                self._insert(cur, "area_parents", area_parents, dataset_id,
                             ["level", "code", "parent_level", "parent_code"])
            if observations is not None and len(observations):
                self._insert_observations(cur, observations, dataset_id)
            self._insert_layers(cur, dataset_id, features, stops, grid_cells)
            if place_access is not None and len(place_access):
                self.replace_place_access(dataset_id, place_access, cur)

    def import_dataset(
        self,
        dataset_id: str,
        *,
        title: str,
        source: str,
        period_label: str | None = None,
        file_name: str | None = None,
        areas: pd.DataFrame | None = None,
        area_parents: pd.DataFrame | None = None,
        observations: pd.DataFrame | None = None,
        features: pd.DataFrame | None = None,
        stops: pd.DataFrame | None = None,
        grid_cells: pd.DataFrame | None = None,
        sector_crosswalk: pd.DataFrame | None = None,
        sector_vintage: str | None = None,
        progress=None,
    ) -> None:
        """Write an imported file all-or-nothing (one transaction); re-importing it replaces it.

        Unlike ``replace_dataset``, areas and their parents are **merged** into what other files
        wrote: a sector table adds names and parents to the sectors a geometry file brought, and a
        missing value (no geometry, no area) never wipes a known one. The dataset's own
        observations, features, stops and grid cells are replaced. ``progress(fraction, text)``
        is called between steps.
        """
        def step(fraction: float, text: str) -> None:
            if progress is not None:
                progress(fraction, text)

        with self.transaction() as cur:
            self.sync_catalogue(cur=cur)
            for table in ("observations", "features", "stops", "grid_cells", "sector_crosswalk", "datasets"):
                cur.execute(f"DELETE FROM {table} WHERE dataset_id = ?", [dataset_id])
            cur.execute(
                "INSERT INTO datasets VALUES (?, ?, ?, ?, FALSE, ?, ?)",
                [dataset_id, title, source, period_label, file_name, datetime.now(timezone.utc)],
            )
            if sector_vintage is not None:
                found = cur.execute("SELECT value FROM meta WHERE key = 'sector_vintage'").fetchall()
                if found and found[0][0] != sector_vintage:
                    raise StoreError(
                        f"Deze databank gebruikt de sectorindeling {found[0][0]}; dit bestand de indeling "
                        f"{sector_vintage}. Zet de codes eerst om met een omzettingstabel, of gebruik een andere databank.")
                cur.execute("INSERT OR REPLACE INTO meta VALUES ('sector_vintage', ?)", [sector_vintage])
            if areas is not None and len(areas):
                step(0.1, f"{len(areas):,} gebieden".replace(",", "."))
                self._merge_areas(cur, areas, dataset_id)
            if area_parents is not None and len(area_parents):
                step(0.3, "indeling in gemeenten en zones")
                self._insert(cur, "area_parents", area_parents, dataset_id,
                             ["level", "code", "parent_level", "parent_code"])
                self._settle_zones(cur, dataset_id)
            if (areas is not None and len(areas)) or (area_parents is not None and len(area_parents)):
                self._complete_parents(cur, dataset_id)
            if observations is not None and len(observations):
                step(0.5, f"{len(observations):,} cijfers".replace(",", "."))
                self._insert_observations(cur, observations, dataset_id)
            step(0.7, "kaartlagen")
            self._insert_layers(cur, dataset_id, features, stops, grid_cells)
            if sector_crosswalk is not None and len(sector_crosswalk):
                step(0.9, "omzettingstabel")
                self._insert(cur, "sector_crosswalk", sector_crosswalk, dataset_id, ["code_2025", "code_2024"])
            step(1.0, "bewaard")

    @classmethod
    def _insert_layers(cls, cur: duckdb.DuckDBPyConnection, dataset_id: str, features: pd.DataFrame | None,
                       stops: pd.DataFrame | None, grid_cells: pd.DataFrame | None) -> None:
        """A dataset's map objects (with their bounds), bus stops and hectare cells."""
        if features is not None and len(features):
            features = features.reset_index(drop=True)
            features = pd.concat([features.drop(columns=["minx", "miny", "maxx", "maxy"], errors="ignore"),
                                  feature_bounds(features["geom_lambert"])], axis=1)
            cls._insert(cur, "features", features, dataset_id,
                        ["layer", "feature_id", "category", "name", "properties", "geom_lambert", "geom_display",
                         "minx", "miny", "maxx", "maxy"])
        if stops is not None and len(stops):
            cls._insert(cur, "stops", stops, dataset_id,
                        ["stop_id", "name", "departures_per_hour", "is_belbus", "x", "y", "lon", "lat"])
        if grid_cells is not None and len(grid_cells):
            cls._insert(cur, "grid_cells", grid_cells, dataset_id, ["layer", "x", "y", "value", "statsec"])

    @staticmethod
    def _complete_parents(cur: duckdb.DuckDBPyConnection, dataset_id: str) -> None:
        """Add the parents that follow from two files together (sector → municipality from a geometry
        file, municipality → care zone from an area table: sector → care zone), until nothing changes.

        A sector's own stated parent always wins over a derived one (the Antwerp zones split a
        municipality by sector), so only missing (level, code, parent_level) rows are added.
        """
        for _ in range(len(LEVEL_CODES)):
            added = cur.execute(
                "INSERT INTO area_parents (level, code, parent_level, parent_code, dataset_id)"
                " SELECT DISTINCT ON (a.level, a.code, b.parent_level) a.level, a.code, b.parent_level,"
                " b.parent_code, ? FROM area_parents a"
                " JOIN area_parents b ON b.level = a.parent_level AND b.code = a.parent_code"
                " WHERE b.parent_level <> a.level AND NOT EXISTS (SELECT 1 FROM area_parents c"
                "   WHERE c.level = a.level AND c.code = a.code AND c.parent_level = b.parent_level)"
                " ORDER BY a.level, a.code, b.parent_level, b.parent_code",
                [dataset_id],
            ).fetchall()
            if not added or not added[0][0]:
                break

    @staticmethod
    def _settle_zones(cur: duckdb.DuckDBPyConnection, dataset_id: str) -> None:
        """A municipality's (or wijk's) care zone follows its sectors' care zones (the Antwerp split).

        For the areas this import touched (their own care-zone row, or a sector's care-zone row): all
        sectors in one zone → that zone; sectors in several zones → no care zone (each sector is
        compared with its own). Other rows are left alone.
        """
        rows = cur.execute(
            "SELECT p.level, p.code, list(DISTINCT z.parent_code ORDER BY z.parent_code) FROM area_parents p"
            " JOIN area_parents m ON m.level = 'statsec' AND m.parent_level = p.level AND m.parent_code = p.code"
            " JOIN area_parents z ON z.level = 'statsec' AND z.code = m.code AND z.parent_level = 'elz'"
            " WHERE p.parent_level = 'elz' AND p.level <> 'statsec'"
            " GROUP BY p.level, p.code, p.parent_code, p.dataset_id"
            " HAVING (p.dataset_id = ? OR bool_or(z.dataset_id = ?))"
            " AND (count(DISTINCT z.parent_code) > 1 OR min(z.parent_code) <> p.parent_code)",
            [dataset_id, dataset_id],
        ).fetchall()
        for level, code, zones in rows:
            if len(zones) > 1:
                cur.execute("DELETE FROM area_parents WHERE level = ? AND code = ? AND parent_level = 'elz'",
                            [level, code])
            else:
                cur.execute("UPDATE area_parents SET parent_code = ?, dataset_id = ? WHERE level = ? AND code = ?"
                            " AND parent_level = 'elz'", [zones[0], dataset_id, level, code])

    @staticmethod
    def _merge_areas(cur: duckdb.DuckDBPyConnection, areas: pd.DataFrame, dataset_id: str) -> None:
        columns = ["level", "code", "name", "area_ha", "geom_lambert", "geom_display"]
        incoming = pd.DataFrame({c: areas[c] if c in areas else pd.Series([None] * len(areas), dtype=object)
                                 for c in columns})
        incoming["area_ha"] = pd.to_numeric(incoming["area_ha"], errors="coerce").astype("float64")
        incoming["dataset_id"] = dataset_id
        cur.register("incoming_areas", incoming)
        try:
            # A name in capitals (Statbel's "AARTSELAAR-CENTRUM") never replaces one in normal case.
            cur.execute(
                "INSERT INTO areas (level, code, name, area_ha, geom_lambert, geom_display, dataset_id)"
                " SELECT level, code, coalesce(name, code), area_ha, CAST(geom_lambert AS BLOB),"
                " CAST(geom_display AS BLOB), dataset_id FROM incoming_areas"
                " ON CONFLICT (level, code) DO UPDATE SET"
                " name = CASE WHEN excluded.name = excluded.code OR (excluded.name = upper(excluded.name)"
                "   AND areas.name <> upper(areas.name)) THEN areas.name ELSE excluded.name END,"
                " area_ha = coalesce(excluded.area_ha, areas.area_ha),"
                " geom_lambert = coalesce(excluded.geom_lambert, areas.geom_lambert),"
                " geom_display = coalesce(excluded.geom_display, areas.geom_display),"
                " dataset_id = excluded.dataset_id"
            )
        finally:
            with contextlib.suppress(duckdb.Error):  # after a failed statement the transaction is aborted
                cur.unregister("incoming_areas")

    def record_dataset(self, dataset_id: str, *, title: str, source: str, period_label: str | None,
                       cur: duckdb.DuckDBPyConnection) -> None:
        """(Re)write the datasets row of a result zorgzaam derives itself (inside the caller's transaction)."""
        cur.execute("DELETE FROM datasets WHERE dataset_id = ?", [dataset_id])
        cur.execute("INSERT INTO datasets VALUES (?, ?, ?, ?, FALSE, NULL, ?)",
                    [dataset_id, title, source, period_label, datetime.now(timezone.utc)])

    def replace_place_access(self, dataset_id: str, frame: pd.DataFrame,
                             cur: duckdb.DuckDBPyConnection | None = None) -> None:
        """Replace a dataset's per-place access rows (inside the caller's transaction when ``cur`` is given)."""
        if cur is None:
            with self.transaction() as own:
                self.replace_place_access(dataset_id, frame, own)
            return
        cur.execute("DELETE FROM place_access WHERE dataset_id = ?", [dataset_id])
        if len(frame):
            self._insert(cur, "place_access", frame, dataset_id, list(PLACE_ACCESS_COLUMNS), replace=False)

    def replace_observations(self, dataset_id: str, frame: pd.DataFrame, variables: Iterable[str],
                             cur: duckdb.DuckDBPyConnection | None = None) -> None:
        """Replace a dataset's observations of ``variables`` by ``frame`` (e.g. recomputed access counts)."""
        if cur is None:
            with self.transaction() as own:
                self.replace_observations(dataset_id, frame, variables, own)
            return
        cur.execute("DELETE FROM observations WHERE dataset_id = ? AND variable IN (SELECT unnest(?))",
                    [dataset_id, list(variables)])
        if len(frame):
            self._insert_observations(cur, frame, dataset_id)

    @staticmethod
    def _insert(cur: duckdb.DuckDBPyConnection, table: str, frame: pd.DataFrame, dataset_id: str,
                columns: list[str], replace: bool = True) -> None:
        missing = [c for c in columns if c not in frame.columns]
        if missing:
            raise StoreError(f"Ontbrekende kolommen voor {table}: {', '.join(missing)}")
        incoming = frame[columns].copy()
        incoming["dataset_id"] = dataset_id
        cur.register("incoming", incoming)
        try:
            cols = ", ".join(columns + ["dataset_id"])
            verb = "INSERT OR REPLACE" if replace else "INSERT"  # OR REPLACE needs a primary key
            cur.execute(f"{verb} INTO {table} ({cols}) SELECT {cols} FROM incoming")
        finally:
            cur.unregister("incoming")

    @staticmethod
    def _insert_observations(cur: duckdb.DuckDBPyConnection, frame: pd.DataFrame, dataset_id: str) -> None:
        """Insert observations; a newer dataset's value for the same key replaces the older one.

        The table has no primary key on purpose: its index made files ten times larger and
        re-imports ten times slower, so uniqueness is kept here.
        """
        keys = ["area_level", "area_code", "variable", "period"]
        columns = keys + ["value", "status"]
        missing = [c for c in columns if c not in frame.columns]
        if missing:
            raise StoreError(f"Ontbrekende kolommen voor observations: {', '.join(missing)}")
        incoming = frame[columns]
        duplicated = incoming.duplicated(subset=keys)
        if duplicated.any():
            first = incoming[duplicated].iloc[0]
            raise StoreError(
                f"Dubbele waarde in de gegevens: {first['variable']} voor {first['area_code']} in {first['period']}."
            )
        incoming = incoming.assign(dataset_id=dataset_id)
        cur.register("incoming_obs", incoming)
        try:
            cur.execute(
                "DELETE FROM observations o USING incoming_obs i WHERE o.area_level = i.area_level"
                " AND o.area_code = i.area_code AND o.variable = i.variable AND o.period = i.period"
            )
            cur.execute(f"INSERT INTO observations ({', '.join(columns)}, dataset_id)"
                        f" SELECT {', '.join(columns)}, dataset_id FROM incoming_obs")
        finally:
            cur.unregister("incoming_obs")

    def delete_dataset(self, dataset_id: str) -> None:
        with self.transaction() as cur:
            for table in _DATASET_TABLES:
                cur.execute(f"DELETE FROM {table} WHERE dataset_id = ?", [dataset_id])

    # --- reading -----------------------------------------------------------------

    def column_mappings(self) -> list[tuple[str, str, str | None]]:
        """(column name, target kind, target code) the werkgroep chose in earlier imports."""
        return self.cursor().execute(
            "SELECT column_name, target_kind, target_code FROM column_mappings ORDER BY column_name").fetchall()

    _MAPPING_COLUMNS = ("column_name", "target_kind", "target_code", "label", "unit", "denominator", "multiplier",
                        "extra_kind", "other_column")

    def column_mapping_rows(self) -> list[dict]:
        """Every remembered column mapping with an extra indicator's label, unit, denominator and multiplier."""
        rows = self.cursor().execute(
            f"SELECT {', '.join(self._MAPPING_COLUMNS)} FROM column_mappings ORDER BY column_name").fetchall()
        return [dict(zip(self._MAPPING_COLUMNS, r)) for r in rows]

    def save_column_mappings(self, rows: list[tuple]) -> None:
        """Remember (column, kind, code) rows, optionally followed by label, unit, denominator, multiplier,
        extra kind and other column."""
        now = datetime.now(timezone.utc).replace(tzinfo=None)
        n = len(self._MAPPING_COLUMNS)
        padded = [list(r) + [None] * (n - len(r)) for r in rows]
        with self.transaction() as cur:
            cur.executemany(
                f"INSERT OR REPLACE INTO column_mappings ({', '.join(self._MAPPING_COLUMNS)}, saved_at)"
                f" VALUES ({', '.join('?' * (n + 1))})", [[*r, now] for r in padded])

    def forget_column_mappings(self, columns: Iterable[str] | None = None) -> int:
        """Forget remembered column mappings (all when ``columns`` is None); returns how many."""
        return self._forget("column_mappings", "column_name", columns)

    def _forget(self, table: str, key: str, values: Iterable[str] | None) -> int:
        """Delete remembered rows of ``table`` whose ``key`` is in ``values`` (all when None); how many.
        ``table`` and ``key`` are this module's own names, never user input."""
        where, params = "", []
        if values is not None:
            where, params = f" WHERE {key} IN (SELECT unnest(?))", [[str(v) for v in values]]
        with self.transaction() as cur:
            n = cur.execute(f"SELECT count(*) FROM {table}{where}", params).fetchall()[0][0]
            cur.execute(f"DELETE FROM {table}{where}", params)
        return int(n)

    def amenity_tag_mappings(self) -> dict[str, str | None]:
        """OSM tag → category the werkgroep chose (None: not imported)."""
        return dict(self.cursor().execute("SELECT tag, category FROM amenity_tag_mappings ORDER BY tag").fetchall())

    def save_amenity_tag_mappings(self, mapping: dict[str, str | None]) -> None:
        now = datetime.now(timezone.utc).replace(tzinfo=None)
        with self.transaction() as cur:
            cur.executemany("INSERT OR REPLACE INTO amenity_tag_mappings (tag, category, saved_at) VALUES (?, ?, ?)",
                            [[str(t), c or None, now] for t, c in mapping.items()])

    def forget_amenity_tag_mappings(self, tags: Iterable[str] | None = None) -> int:
        """Forget remembered tag mappings (all when ``tags`` is None); returns how many."""
        return self._forget("amenity_tag_mappings", "tag", tags)

    # --- the werkgroep's own indicators ------------------------------------------------

    def save_user_indicator(self, base: BaseCount | Sequence[BaseCount], indicator: Indicator) -> None:
        """Write (or replace) the user base count(s) and the indicator built on them (``is_builtin`` FALSE).
        Its kind (``catalogue.EXTRA_KINDS``) lies in its counts: none for a score given per area only, two
        for a ratio of two columns or a weighted score (``catalogue.user_kind``)."""
        bases = [base] if isinstance(base, BaseCount) else list(base)
        for b in bases:
            if not b.code.startswith(USER_PREFIX):
                raise StoreError(f"Een eigen telling heeft een code die begint met '{USER_PREFIX}' (niet '{b.code}').")
        i = indicator
        with self.transaction() as cur:
            for b in bases:
                cur.execute("INSERT OR REPLACE INTO base_counts (code, label, unit, sum_of, is_builtin)"
                            " VALUES (?, ?, ?, ?, FALSE)", [b.code, b.label, b.unit, []])
            cur.execute(
                "INSERT OR REPLACE INTO indicators VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, FALSE)",
                [i.code, i.label, i.theme, i.definition, i.formula, list(i.numerator), list(i.denominator),
                 i.multiplier, i.unit, i.denominator_kind, i.source, list(i.signals), i.direction, i.decimals])
            self._bump_catalogue(cur)

    def delete_user_indicator(self, code: str) -> None:
        """Remove a user indicator (and its base count when no other user indicator uses it)."""
        with self.transaction() as cur:
            rows = cur.execute("SELECT list_concat(numerator, denominator) FROM indicators"
                               " WHERE code = ? AND NOT is_builtin", [code]).fetchall()
            cur.execute("DELETE FROM indicators WHERE code = ? AND NOT is_builtin", [code])
            for base in (rows[0][0] if rows else []):
                used = cur.execute("SELECT count(*) FROM indicators WHERE NOT is_builtin AND list_contains("
                                   "list_concat(numerator, denominator), ?)", [base]).fetchall()[0][0]
                if not used:
                    cur.execute("DELETE FROM base_counts WHERE code = ? AND is_builtin = FALSE", [base])
            self._bump_catalogue(cur)

    @staticmethod
    def _bump_catalogue(cur: duckdb.DuckDBPyConnection) -> None:
        cur.execute("INSERT OR REPLACE INTO meta VALUES ('catalogue_version', ?)", [str(time.time_ns())])

    def catalogue(self) -> Catalogue:
        """The built-in catalogue with the werkgroep's own base counts and indicators (theme
        "eigen indicatoren"); cached per store until a user indicator is written."""
        version = self.scalar("SELECT value FROM meta WHERE key = 'catalogue_version'")
        cached = getattr(self, "_catalogue_cache", None)
        if cached is not None and cached[0] == version:
            return cached[1]
        catalogue = BUILTIN
        if version is not None and self.schema_version() >= 10:
            cur = self.cursor()
            bases = cur.execute("SELECT code, label, unit FROM base_counts WHERE is_builtin = FALSE").fetchall()
            names = ["code", "label", "theme", "definition", "formula", "numerator", "denominator", "multiplier",
                     "unit", "denominator_kind", "source", "signals", "direction", "decimals"]
            rows = cur.execute(f"SELECT {', '.join(names)} FROM indicators WHERE NOT is_builtin ORDER BY label"
                               ).fetchall()
            inds = []
            for row in rows:
                values = dict(zip(names, row))
                for key in ("numerator", "denominator", "signals"):
                    values[key] = tuple(values[key] or ())
                inds.append(Indicator(**values))
            if bases or inds:
                catalogue = Catalogue(
                    base_counts={**BUILTIN.base_counts, **{c: BaseCount(c, lab, u) for c, lab, u in bases}},
                    indicators={**BUILTIN.indicators, **{i.code: i for i in inds if i.code not in BUILTIN.indicators}},
                    computed_counts=BUILTIN.computed_counts,
                )
        self._catalogue_cache = (version, catalogue)
        return catalogue

    def sector_crosswalk(self) -> dict[str, str]:
        """2025 sector code → the 2024 sector it lies in (from an imported crosswalk)."""
        return dict(self.cursor().execute("SELECT code_2025, code_2024 FROM sector_crosswalk").fetchall())

    def sector_vintage(self) -> str | None:
        """The sector division (2024 or 2025) of the imported sectors, once a file made it known."""
        return self.scalar("SELECT value FROM meta WHERE key = 'sector_vintage'")

    def is_empty(self) -> bool:
        return self.scalar("SELECT count(*) FROM areas") == 0

    def datasets(self) -> pd.DataFrame:
        return self.query_df("SELECT * FROM datasets ORDER BY imported_at")

    def has_demo(self) -> bool:
        return bool(self.scalar("SELECT count(*) FROM datasets WHERE is_demo"))

    def has_own_data(self) -> bool:
        """Any imported (not demo) dataset."""
        return bool(self.scalar("SELECT count(*) FROM datasets WHERE NOT is_demo"))

    def areas(self, level: str | None = None, within: tuple[str, str] | None = None) -> pd.DataFrame:
        """Areas (level, code, name, area_ha), optionally inside (parent_level, parent_code).

        Inside means: the area's own parent is that one, or (for a finer level) at least one of its
        sectors lies in it — Antwerpen (no single care zone) is found under each of its zones.
        """
        sql = "SELECT a.level, a.code, a.name, a.area_ha FROM areas a"
        params: list = []
        where = []
        if within is not None:
            where.append(
                "(EXISTS (SELECT 1 FROM area_parents p WHERE p.level = a.level AND p.code = a.code"
                " AND p.parent_level = ? AND p.parent_code = ?)"
                " OR EXISTS (SELECT 1 FROM area_parents s JOIN area_parents t ON t.level = 'statsec'"
                " AND t.code = s.code WHERE s.level = 'statsec' AND s.parent_level = ? AND s.parent_code = ?"
                " AND t.parent_level = a.level AND t.parent_code = a.code AND list_contains(?::VARCHAR[], a.level)))")
            finer = [lv for lv in finer_levels(within[0]) if lv != "statsec"] if within[0] in LEVEL_CODES else []
            params += [*within, *within, finer]
        if level is not None:
            where.append("a.level = ?")
            params.append(level)
        if where:
            sql += " WHERE " + " AND ".join(where)
        return self.query_df(sql + " ORDER BY a.level, a.code", params)

    def areas_by_mapped_sectors(self, level: str, within: tuple[str, str] | None = None) -> list[str]:
        """Codes of ``level`` with at least one mapped sector, most mapped sectors first
        (optionally only the sectors inside ``within`` = (parent level, parent code))."""
        sql = ("SELECT p.parent_code FROM area_parents p JOIN areas a ON a.level = 'statsec' AND a.code = p.code"
               " AND a.geom_display IS NOT NULL WHERE p.level = 'statsec' AND p.parent_level = ?")
        params: list = [level]
        if within is not None:
            sql += (" AND p.code IN (SELECT code FROM area_parents WHERE level = 'statsec' AND parent_level = ?"
                    " AND parent_code = ?)")
            params += list(within)
        rows = self.cursor().execute(sql + " GROUP BY 1 ORDER BY count(*) DESC, 1", params).fetchall()
        return [r[0] for r in rows]

    def find_area(self, code: str, level: str | None = None) -> pd.DataFrame:
        sql = "SELECT level, code, name FROM areas WHERE code = ?"
        params = [code]
        if level:
            sql += " AND level = ?"
            params.append(level)
        return self.query_df(sql, params)

    def parents(self, level: str, codes: list[str] | None = None) -> pd.DataFrame:
        """Wide table: one row per area of ``level`` with its parent code per coarser level."""
        sql = "SELECT code, parent_level, parent_code FROM area_parents WHERE level = ?"
        params: list = [level]
        if codes is not None:
            sql += " AND code IN (SELECT unnest(?))"
            params.append(list(codes))
        long = self.query_df(sql, params)
        if long.empty:
            return pd.DataFrame({"code": pd.Series(codes or [], dtype="object")})
        wide = long.pivot(index="code", columns="parent_level", values="parent_code").reset_index()
        wide.columns.name = None
        return wide

    def sectors_within(self, parent_level: str, parent_codes: list[str]) -> list[str]:
        if parent_level == "statsec":
            return list(parent_codes)
        rows = self.cursor().execute(
            "SELECT DISTINCT code FROM area_parents WHERE level = 'statsec' AND parent_level = ?"
            " AND parent_code IN (SELECT unnest(?)) ORDER BY code",
            [parent_level, list(parent_codes)],
        ).fetchall()
        return [r[0] for r in rows]

    def sectors_by_parent(self, parent_level: str, parent_codes: list[str]) -> dict[str, set[str]]:
        """The sectors inside each of ``parent_codes`` (of ``parent_level``), by parent; a parent without
        sectors in the store is left out."""
        rows = self.cursor().execute(
            "SELECT parent_code, code FROM area_parents WHERE level = 'statsec' AND parent_level = ?"
            " AND parent_code IN (SELECT unnest(?))",
            [parent_level, list(parent_codes)],
        ).fetchall()
        out: dict[str, set[str]] = {}
        for parent, code in rows:
            out.setdefault(parent, set()).add(code)
        return out

    def parent_of(self, level: str, code: str, parent_level: str) -> str | None:
        return self.scalar(
            "SELECT parent_code FROM area_parents WHERE level = ? AND code = ? AND parent_level = ?",
            [level, code, parent_level],
        )

    def observations(self, variables: list[str], periods: list[str],
                     areas: list[tuple[str, str]] | None = None) -> pd.DataFrame:
        """Observations of ``variables`` in ``periods``, for the given (level, code) areas or all."""
        sql = ("SELECT area_level, area_code, variable, period, value, status FROM observations"
               " WHERE variable IN (SELECT unnest(?)) AND period IN (SELECT unnest(?))")
        params: list = [list(variables), list(periods)]
        if areas is not None:
            keys = pd.DataFrame(areas, columns=["area_level", "area_code"]).drop_duplicates()
            cur = self.cursor()
            cur.register("wanted_areas", keys)
            try:
                return cur.execute(
                    sql.replace("FROM observations", "FROM observations JOIN wanted_areas USING (area_level, area_code)"),
                    params,
                ).df()
            finally:
                cur.unregister("wanted_areas")
        return self.query_df(sql, params)

    def periods(self, variables: list[str] | None = None) -> list[str]:
        if variables:
            rows = self.cursor().execute(
                "SELECT DISTINCT period FROM observations WHERE variable IN (SELECT unnest(?)) ORDER BY period",
                [list(variables)],
            ).fetchall()
        else:
            rows = self.cursor().execute("SELECT DISTINCT period FROM observations ORDER BY period").fetchall()
        return [r[0] for r in rows]

    def variable_periods(self, variables: list[str]) -> pd.DataFrame:
        """Each (variable, period) with at least one observation of ``variables``."""
        return self.cursor().execute(
            "SELECT DISTINCT variable, period FROM observations WHERE variable IN (SELECT unnest(?))",
            [list(variables)],
        ).df()

    def variables(self) -> set[str]:
        """Every variable with at least one observation (e.g. no access counts before layers are imported)."""
        rows = self.cursor().execute("SELECT DISTINCT variable FROM observations").fetchall()
        return {r[0] for r in rows}

    def variable_datasets(self, variables: list[str]) -> pd.DataFrame:
        """Which dataset holds which of ``variables`` for which period: dataset_id, variable, period (each once)."""
        return self.query_df("SELECT DISTINCT dataset_id, variable, period FROM observations"
                             " WHERE variable IN (SELECT unnest(?)) ORDER BY dataset_id, variable, period",
                             [list(variables)])

    def layer_datasets(self) -> pd.DataFrame:
        """Which dataset wrote which spatial layer: kind (features, grid, stops, areas), layer, category, dataset_id.

        ``features``: layer and category of the features (voorziening/apotheek, nederzetting/kern …); ``grid``:
        the hectare layer (inwoners, walkability …); ``stops``: the bus stops; ``areas``: a level with geometry.
        """
        return self.query_df(
            "SELECT DISTINCT 'features' AS kind, layer, category, dataset_id FROM features"
            " UNION ALL SELECT DISTINCT 'grid', layer, NULL, dataset_id FROM grid_cells"
            " UNION ALL SELECT DISTINCT 'stops', 'bushaltes', NULL, dataset_id FROM stops"
            " UNION ALL SELECT DISTINCT 'areas', level, NULL, dataset_id FROM areas WHERE geom_lambert IS NOT NULL"
            " ORDER BY kind, layer, category, dataset_id")

    def level_counts(self) -> pd.DataFrame:
        return self.query_df("SELECT level, count(*) AS n FROM areas GROUP BY level")

    def indicator_rows(self) -> pd.DataFrame:
        return self.query_df("SELECT * FROM indicators ORDER BY theme, code")

    def geometries(self, level: str, codes: list[str] | None = None, display: bool = True) -> pd.DataFrame:
        """level, code, name and WKB geometry (display copy in EPSG:4326, or Lambert)."""
        col = "geom_display" if display else "geom_lambert"
        sql = f"SELECT level, code, name, {col} AS geometry FROM areas WHERE level = ? AND {col} IS NOT NULL"
        params: list = [level]
        if codes is not None:
            sql += " AND code IN (SELECT unnest(?))"
            params.append(list(codes))
        frame = self.query_df(sql + " ORDER BY code", params)
        # DuckDB hands BLOBs back as bytearray; shapely wants bytes.
        frame["geometry"] = [bytes(g) for g in frame["geometry"]]
        return frame

    # --- werkgroep notes -----------------------------------------------------------

    def save_summary_note(self, area_level: str, area_code: str, period: str, question: str, notes: str) -> None:
        """Store (or replace) the werkgroep's note for one summary question; empty text removes it."""
        text = _checked_note(notes, "Kort ze in of bewaar lange teksten in jullie verslag.")
        with self.transaction() as cur:
            cur.execute(
                "DELETE FROM summary_notes WHERE area_level = ? AND area_code = ? AND period = ? AND question = ?",
                [area_level, area_code, period, question],
            )
            if text:
                cur.execute(
                    "INSERT INTO summary_notes VALUES (?, ?, ?, ?, ?, ?)",
                    [area_level, area_code, period, question, text, datetime.now(timezone.utc).replace(tzinfo=None)],
                )

    def summary_notes(self, area_level: str, area_code: str, period: str) -> dict[str, str]:
        """The werkgroep's notes per summary question for an area and period."""
        rows = self.cursor().execute(
            "SELECT question, notes FROM summary_notes WHERE area_level = ? AND area_code = ? AND period = ?",
            [area_level, area_code, period],
        ).fetchall()
        return dict(rows)

    # --- spatial layers -------------------------------------------------------------

    def features(self, dataset_id: str | None = None, layer: str | None = None,
                 bbox: tuple[float, float, float, float] | None = None, display: bool = False) -> pd.DataFrame:
        """Features (layer, feature_id, category, name, properties, geom_lambert as bytes, dataset_id).

        ``bbox`` (Lambert minx, miny, maxx, maxy) keeps the features whose bounds touch it;
        ``display`` adds ``geom_display`` (EPSG:4326, simplified) for maps.
        """
        cols = "layer, feature_id, category, name, properties, geom_lambert, dataset_id"
        if display:
            cols += ", geom_display"
        sql = (f"SELECT {cols} FROM features WHERE (? IS NULL OR dataset_id = ?) AND (? IS NULL OR layer = ?)")
        params: list = [dataset_id, dataset_id, layer, layer]
        if bbox is not None:
            sql += " AND maxx >= ? AND minx <= ? AND maxy >= ? AND miny <= ?"
            params += [float(bbox[0]), float(bbox[2]), float(bbox[1]), float(bbox[3])]
        frame = self.query_df(sql + " ORDER BY dataset_id, layer, feature_id", params)
        for col in ("geom_lambert", "geom_display"):
            if col in frame:
                frame[col] = [bytes(g) if g is not None else None for g in frame[col]]
        return frame

    def stops(self, dataset_id: str | None = None, bbox: tuple[float, float, float, float] | None = None
              ) -> pd.DataFrame:
        """Bus stops (stop_id, name, departures_per_hour, is_belbus, x, y, lon, lat, dataset_id)."""
        sql = "SELECT * FROM stops WHERE (? IS NULL OR dataset_id = ?)"
        params: list = [dataset_id, dataset_id]
        if bbox is not None:
            sql += " AND x BETWEEN ? AND ? AND y BETWEEN ? AND ?"
            params += [float(bbox[0]), float(bbox[2]), float(bbox[1]), float(bbox[3])]
        return self.query_df(sql + " ORDER BY dataset_id, stop_id", params)

    def grid_cells(self, dataset_id: str | None = None, layer: str | None = None,
                   statsecs: list[str] | None = None) -> pd.DataFrame:
        """Hectare cells (layer, x, y, value, statsec, dataset_id); x, y is the Lambert cell centre."""
        sql = ("SELECT layer, x, y, value, statsec, dataset_id FROM grid_cells WHERE (? IS NULL OR dataset_id = ?)"
               " AND (? IS NULL OR layer = ?)")
        params: list = [dataset_id, dataset_id, layer, layer]
        if statsecs is not None:
            sql += " AND statsec IN (SELECT unnest(?))"
            params.append(list(statsecs))
        return self.query_df(sql + " ORDER BY dataset_id, layer, statsec, x, y", params)

    def place_access(self, statsecs: list[str] | None = None, dataset_id: str | None = None) -> pd.DataFrame:
        """The per-place access table (columns PLACE_ACCESS_COLUMNS), optionally for some sectors or one dataset."""
        sql = f"SELECT {', '.join(PLACE_ACCESS_COLUMNS)} FROM place_access WHERE (? IS NULL OR dataset_id = ?)"
        params: list = [dataset_id, dataset_id]
        if statsecs is not None:
            sql += " AND statsec IN (SELECT unnest(?))"
            params.append(list(statsecs))
        return self.query_df(sql + " ORDER BY statsec, x, y", params)

    # --- live polls (peilingen; validation and access checks live in zorgzaam.polls) ---------

    # A write that meets another thread's transaction is retried this often, with a short back-off.
    POLL_WRITE_ATTEMPTS = 8
    POLL_WRITE_BACKOFF_S = 0.005

    def _poll_write(self, work, retry_duplicate_key: bool = False):
        """Run ``work(cursor)`` in its own transaction; retry on a DuckDB transaction conflict.

        Many phones answer at the same moment, each from its own Streamlit thread and cursor.
        DuckDB's optimistic concurrency aborts one of two transactions that touch the same row
        (e.g. a participant's double tap, or an answer while the facilitator closes the poll);
        retrying after a few milliseconds then succeeds. A failed COMMIT has already rolled back,
        so the ROLLBACK after it may itself fail and is ignored. With ``retry_duplicate_key``, a
        duplicate key (two first answers of one participant racing) is retried too.
        """

        retryable = (duckdb.TransactionException, duckdb.ConstraintException) if retry_duplicate_key \
            else (duckdb.TransactionException,)
        for attempt in range(self.POLL_WRITE_ATTEMPTS):
            cur = self.cursor()
            cur.execute("BEGIN TRANSACTION")
            try:
                result = work(cur)
                cur.execute("COMMIT")
                return result
            except retryable as exc:
                with contextlib.suppress(duckdb.Error):
                    cur.execute("ROLLBACK")
                if attempt == self.POLL_WRITE_ATTEMPTS - 1:
                    raise StoreError(
                        "Te veel gelijktijdige antwoorden: het antwoord is niet bewaard. Probeer het opnieuw."
                    ) from exc
                time.sleep(self.POLL_WRITE_BACKOFF_S * (2 ** attempt) * (0.5 + random.random()))
            except BaseException:
                with contextlib.suppress(duckdb.Error):
                    cur.execute("ROLLBACK")
                raise
        raise AssertionError("unreachable")

    def create_poll_session(self, session_id: str, title: str, join_code: str, token_hash: str, is_open: bool,
                            questions: list[tuple]) -> bool:
        """Write a poll session with its questions (question_id, position, kind, text, options_json, bouwsteen,
        step).

        False (nothing written) when the join code is already taken, so the caller draws another.
        """
        now = datetime.now(timezone.utc).replace(tzinfo=None)

        def work(cur):
            cur.execute(
                "INSERT INTO poll_sessions (session_id, title, join_code, token_hash, state, results_visible,"
                " current_round, created_at) VALUES (?, ?, ?, ?, ?, FALSE, 1, ?)",
                [session_id, title, join_code, token_hash, "open" if is_open else "closed", now],
            )
            if questions:  # a meeting may have none (DuckDB refuses an empty executemany)
                cur.executemany(
                    "INSERT INTO poll_questions (session_id, question_id, position, kind, text, options, bouwsteen,"
                    " step) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                    [[session_id, *q] for q in questions],
                )

        try:
            self._poll_write(work)
        except duckdb.ConstraintException:
            if self.scalar("SELECT count(*) FROM poll_sessions WHERE join_code = ?", [join_code]):
                return False
            raise
        return True

    def poll_session(self, key: str) -> dict | None:
        """A poll session by session id or join code (with its token hash), or None."""
        names = ["session_id", "title", "join_code", "token_hash", "state", "results_visible", "current_round",
                 "created_at", "current_step"]
        rows = self.cursor().execute(
            f"SELECT {', '.join(names)} FROM poll_sessions WHERE session_id = ? OR join_code = ?", [key, key]
        ).fetchall()
        return dict(zip(names, rows[0])) if rows else None

    def poll_sessions(self) -> pd.DataFrame:
        """All poll sessions, newest first (no token hashes)."""
        return self.query_df(
            "SELECT session_id, title, join_code, state, results_visible, current_round, created_at,"
            " (SELECT count(*) FROM poll_answers a WHERE a.session_id = s.session_id) AS answers"
            " FROM poll_sessions s ORDER BY created_at DESC"
        )

    def poll_questions(self, session_id: str) -> list[dict]:
        """question_id, position, kind, text, options (JSON text), bouwsteen, step of a session, in order."""
        names = ["question_id", "position", "kind", "text", "options", "bouwsteen", "step"]
        rows = self.cursor().execute(  # fetchall, not .df(): a DataFrame costs milliseconds per answer
            "SELECT question_id, position, kind, text, CAST(options AS VARCHAR), bouwsteen, step"
            " FROM poll_questions WHERE session_id = ? ORDER BY position, question_id",
            [session_id],
        ).fetchall()
        return [dict(zip(names, r)) for r in rows]

    def update_poll_session(self, session_id: str, *, is_open: bool | None = None,
                            results_visible: bool | None = None, next_round: bool = False,
                            current_step: int | None | type(...) = ...) -> None:
        """Open/close a session, show/hide its results, move it to the next round, or show another step
        (``current_step``: a meeting step, or None for no step; left alone when not given)."""
        def work(cur):
            if current_step is not ...:
                cur.execute("UPDATE poll_sessions SET current_step = ? WHERE session_id = ?",
                            [current_step, session_id])
            if is_open is not None:
                cur.execute("UPDATE poll_sessions SET state = ? WHERE session_id = ?",
                            ["open" if is_open else "closed", session_id])
            if results_visible is not None:
                cur.execute("UPDATE poll_sessions SET results_visible = ? WHERE session_id = ?",
                            [bool(results_visible), session_id])
            if next_round:
                cur.execute("UPDATE poll_sessions SET current_round = current_round + 1 WHERE session_id = ?",
                            [session_id])

        self._poll_write(work)

    def record_poll_answer(self, session_id: str, question_id: int, participant_id: str,
                           display_name: str | None, value: str, max_participants: int | None = None) -> int | None:
        """Store (or replace) one answer in the session's current round, in one transaction.

        Returns the round, or None when the session is missing or closed (nothing written).
        The state is read inside the same transaction as the write. DELETE + INSERT rather than
        INSERT … ON CONFLICT DO UPDATE: the same effect at half the time (4 ms against 9 ms per answer).
        A participant new to the round is refused (PollCapacityError) once ``max_participants``
        others answered in it.
        """
        def work(cur):
            rows = cur.execute("SELECT state, current_round FROM poll_sessions WHERE session_id = ?",
                               [session_id]).fetchall()
            if not rows or rows[0][0] != "open":
                return None
            round_ = int(rows[0][1])
            if max_participants is not None:
                known, others = cur.execute(
                    "SELECT count(*) FILTER (WHERE participant_id = ?), count(DISTINCT participant_id)"
                    " FROM poll_answers WHERE session_id = ? AND round = ?",
                    [participant_id, session_id, round_]).fetchall()[0]
                if not known and others >= max_participants:
                    raise PollCapacityError(
                        f"Deze peiling is vol: er antwoordden al {max_participants} deelnemers in deze ronde.")
            key = [session_id, round_, int(question_id), participant_id]
            cur.execute("DELETE FROM poll_answers WHERE session_id = ? AND round = ? AND question_id = ?"
                        " AND participant_id = ?", key)
            cur.execute("INSERT INTO poll_answers VALUES (?, ?, ?, ?, ?, ?, ?)",
                        [*key, display_name, value, datetime.now(timezone.utc).replace(tzinfo=None)])
            return round_

        return self._poll_write(work, retry_duplicate_key=True)

    def poll_answers(self, session_id: str, round: int | None = None, participant_id: str | None = None
                     ) -> pd.DataFrame:
        """Answers of a session (all rounds, or one), optionally of one participant, oldest first."""
        names = ["round", "question_id", "participant_id", "display_name", "value", "answered_at"]
        rows = self.cursor().execute(  # fetchall, not .df(): the facilitator's view refreshes every few seconds
            f"SELECT {', '.join(names)} FROM poll_answers"
            " WHERE session_id = ? AND (? IS NULL OR round = ?) AND (? IS NULL OR participant_id = ?)"
            " ORDER BY round, answered_at, question_id, participant_id",
            [session_id, round, round, participant_id, participant_id],
        ).fetchall()
        return pd.DataFrame(rows, columns=names)

    # --- werkgroep: self-assessment, reflection notes, actions (validation in zorgzaam.werkgroep) ------

    def save_team_scores(self, team: str, assessed_on: date, scores: list[tuple[str, int | None]], source: str,
                         poll_session_id: str | None = None, poll_round: int | None = None) -> None:
        """Replace the team's assessment of that date by these (bouwsteen, score) rows, in one transaction."""
        now = datetime.now(timezone.utc).replace(tzinfo=None)
        with self.transaction() as cur:
            cur.execute("DELETE FROM team_scores WHERE team = ? AND assessed_on = ?", [team, assessed_on])
            cur.executemany(
                "INSERT INTO team_scores VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                [[team, assessed_on, code, score, source, poll_session_id, poll_round, now] for code, score in scores],
            )

    def delete_team_scores(self, team: str, assessed_on: date) -> None:
        with self.transaction() as cur:
            cur.execute("DELETE FROM team_scores WHERE team = ? AND assessed_on = ?", [team, assessed_on])

    def team_scores(self, team: str) -> pd.DataFrame:
        """Every assessment of a team: assessed_on, bouwsteen, score (nullable), source, poll ids, saved_at."""
        return self.query_df(
            "SELECT assessed_on, bouwsteen, score, source, poll_session_id, poll_round, saved_at FROM team_scores"
            " WHERE team = ? ORDER BY assessed_on, bouwsteen", [team])

    def teams(self) -> list[str]:
        """Teams with any scores, notes or actions, most recently active first."""
        rows = self.cursor().execute(
            "SELECT team, max(t) AS last FROM ("
            " SELECT team, saved_at AS t FROM team_scores UNION ALL SELECT team, saved_at FROM bouwsteen_notes"
            " UNION ALL SELECT team, updated_at FROM team_actions) GROUP BY team ORDER BY last DESC, team"
        ).fetchall()
        return [r[0] for r in rows]

    def save_bouwsteen_note(self, team: str, bouwsteen: str, notes: str) -> None:
        """Store (or replace) the team's reflection note on a bouwsteen; empty text removes it."""
        text = _checked_note(notes, "Kort ze in of bewaar lange teksten in jullie verslag.")
        with self.transaction() as cur:
            cur.execute("DELETE FROM bouwsteen_notes WHERE team = ? AND bouwsteen = ?", [team, bouwsteen])
            if text:
                cur.execute("INSERT INTO bouwsteen_notes VALUES (?, ?, ?, ?)",
                            [team, bouwsteen, text, datetime.now(timezone.utc).replace(tzinfo=None)])

    def bouwsteen_notes(self, team: str) -> dict[str, str]:
        rows = self.cursor().execute("SELECT bouwsteen, notes FROM bouwsteen_notes WHERE team = ?", [team]).fetchall()
        return dict(rows)

    _ACTION_COLUMNS = ("action_id", "title", "bouwstenen", "status", "partners", "participation", "place_kind",
                       "sector", "lon", "lat", "notes", "created_at", "updated_at")

    def save_team_action(self, team: str, action_id: int | None, row: dict) -> int:
        """Insert (action_id None: the next free id) or replace one action; returns its id.

        ``row`` holds title, bouwstenen (JSON text), status, partners (JSON text), participation,
        place_kind, sector, lon, lat, notes.
        """
        now = datetime.now(timezone.utc).replace(tzinfo=None)
        with self.transaction() as cur:
            if action_id is None:
                action_id = int(cur.execute("SELECT nextval('team_action_ids')").fetchall()[0][0])
                created = now
            else:
                found = cur.execute("SELECT created_at FROM team_actions WHERE team = ? AND action_id = ?",
                                    [team, int(action_id)]).fetchall()
                if not found:
                    raise StoreError("Deze actie bestaat niet (meer); vernieuw de pagina.")
                created = found[0][0]
                cur.execute("DELETE FROM team_actions WHERE team = ? AND action_id = ?", [team, int(action_id)])
            names = self._ACTION_COLUMNS[1:-2]
            cur.execute(
                f"INSERT INTO team_actions (team, action_id, {', '.join(names)}, created_at, updated_at)"
                f" VALUES ({', '.join('?' * (len(names) + 4))})",
                [team, int(action_id), *(row[n] for n in names), created, now],
            )
        return int(action_id)

    def delete_team_action(self, team: str, action_id: int) -> bool:
        with self.transaction() as cur:
            found = cur.execute("SELECT count(*) FROM team_actions WHERE team = ? AND action_id = ?",
                                [team, int(action_id)]).fetchall()[0][0]
            cur.execute("DELETE FROM team_actions WHERE team = ? AND action_id = ?", [team, int(action_id)])
        return bool(found)

    def team_actions(self, team: str) -> list[dict]:
        """The team's actions in id order, as dicts (JSON columns as text)."""
        names = self._ACTION_COLUMNS
        cols = ", ".join(f"CAST({n} AS VARCHAR)" if n in ("bouwstenen", "partners") else n for n in names)
        rows = self.cursor().execute(f"SELECT {cols} FROM team_actions WHERE team = ? ORDER BY action_id",
                                     [team]).fetchall()
        return [dict(zip(names, r)) for r in rows]

    # --- meetings (validation and logic in zorgzaam.meetings) ---------------------------------

    _MEETING_COLUMNS = ("meeting_id", "team", "title", "meeting_date", "template", "municipality", "sectors",
                        "indicators", "agenda", "state", "token_hash", "poll_session_id", "current_step",
                        "step_started_at", "started_at", "finished_at", "next_meeting", "created_at", "updated_at")
    _MEETING_JSON = ("sectors", "indicators", "agenda")

    def _meeting_rows(self, where: str, params: list) -> list[dict]:
        names = self._MEETING_COLUMNS
        cols = ", ".join(f"CAST({n} AS VARCHAR)" if n in self._MEETING_JSON else n for n in names)
        rows = self.cursor().execute(f"SELECT {cols} FROM meetings {where}", params).fetchall()
        return [dict(zip(names, r)) for r in rows]

    def save_meeting(self, row: dict) -> None:
        """Insert or replace a meeting (``row`` has every column; JSON columns as text)."""
        names = self._MEETING_COLUMNS
        with self.transaction() as cur:
            cur.execute("DELETE FROM meetings WHERE meeting_id = ?", [row["meeting_id"]])
            cur.execute(f"INSERT INTO meetings ({', '.join(names)}) VALUES ({', '.join('?' * len(names))})",
                        [row[n] for n in names])

    def meeting(self, meeting_id: str) -> dict | None:
        rows = self._meeting_rows("WHERE meeting_id = ?", [str(meeting_id)])
        return rows[0] if rows else None

    def meetings(self, team: str | None = None) -> list[dict]:
        """Meetings (of one team, or all), newest meeting date first."""
        if team is None:
            return self._meeting_rows("ORDER BY meeting_date DESC, created_at DESC", [])
        return self._meeting_rows("WHERE team = ? ORDER BY meeting_date DESC, created_at DESC", [team])

    def delete_meeting(self, meeting_id: str, revoke_token: str | None = None) -> None:
        """A meeting with its notes, keywords and step visits (its poll session and answers stay, closed;
        with ``revoke_token``, a hash no one holds a token for, the poll's facilitator token ends too)."""
        with self.transaction() as cur:
            cur.execute("UPDATE poll_sessions SET state = 'closed' WHERE session_id IN"
                        " (SELECT poll_session_id FROM meetings WHERE meeting_id = ?)", [meeting_id])
            if revoke_token is not None:
                cur.execute("UPDATE poll_sessions SET token_hash = ? WHERE session_id IN"
                            " (SELECT poll_session_id FROM meetings WHERE meeting_id = ?)", [revoke_token, meeting_id])
            for table in ("meeting_notes", "meeting_keywords", "meeting_step_visits", "meetings"):
                cur.execute(f"DELETE FROM {table} WHERE meeting_id = ?", [meeting_id])

    def move_meeting(self, meeting_id: str, *, state: str, current_step: int | None, poll_session_id: str | None,
                     started: bool = False, finished: bool = False, reopened: bool = False,
                     revoke_token: str | None = None) -> None:
        """Change a meeting's state and current step in one transaction: the open step visit is closed, a
        new one opened for ``current_step``, and the poll session shows that step's questions (and is
        closed when the meeting is finished). ``revoke_token`` (a hash no one holds a token for) ends the
        facilitator token: the meeting keeps none and its poll session gets this hash."""
        now = datetime.now(timezone.utc).replace(tzinfo=None)

        def work(cur):
            cur.execute("UPDATE meeting_step_visits SET ended_at = ? WHERE meeting_id = ? AND ended_at IS NULL",
                        [now, meeting_id])
            if current_step is not None:
                cur.execute("INSERT INTO meeting_step_visits VALUES (?, ?, ?, NULL)", [meeting_id, current_step, now])
            cur.execute(
                "UPDATE meetings SET state = ?, current_step = ?, step_started_at = ?, updated_at = ?,"
                " started_at = CASE WHEN ? THEN ? ELSE started_at END,"
                " finished_at = CASE WHEN ? THEN ? WHEN ? THEN NULL ELSE finished_at END WHERE meeting_id = ?",
                [state, current_step, now if current_step is not None else None, now, started, now, finished, now,
                 reopened, meeting_id])
            if poll_session_id:
                cur.execute("UPDATE poll_sessions SET current_step = ?, state = ? WHERE session_id = ?",
                            [current_step, "closed" if finished else "open", poll_session_id])
            if revoke_token is not None:
                cur.execute("UPDATE meetings SET token_hash = NULL WHERE meeting_id = ?", [meeting_id])
                if poll_session_id:
                    cur.execute("UPDATE poll_sessions SET token_hash = ? WHERE session_id = ?",
                                [revoke_token, poll_session_id])

        self._poll_write(work)

    def meeting_for_poll(self, poll_session_id: str) -> str | None:
        """The id of the meeting the poll session belongs to (None for a plain poll)."""
        return self.scalar("SELECT meeting_id FROM meetings WHERE poll_session_id = ? LIMIT 1", [poll_session_id])

    def start_meeting(self, meeting_id: str, token_hash: str, poll_session_id: str, meeting_date: date) -> bool:
        """Start a planned meeting at step 0 in one transaction; False (nothing changed) when it is no longer
        planned (another start came first)."""
        now = datetime.now(timezone.utc).replace(tzinfo=None)

        def work(cur):
            found = cur.execute("SELECT state FROM meetings WHERE meeting_id = ?", [meeting_id]).fetchall()
            if not found or found[0][0] != "gepland":
                return False
            cur.execute(
                "UPDATE meetings SET state = 'bezig', token_hash = ?, poll_session_id = ?, meeting_date = ?,"
                " current_step = 0, step_started_at = ?, started_at = ?, updated_at = ? WHERE meeting_id = ?",
                [token_hash, poll_session_id, meeting_date, now, now, now, meeting_id])
            cur.execute("INSERT INTO meeting_step_visits VALUES (?, 0, ?, NULL)", [meeting_id, now])
            cur.execute("UPDATE poll_sessions SET current_step = 0, state = 'open' WHERE session_id = ?",
                        [poll_session_id])
            return True

        return self._poll_write(work)

    def set_next_meeting(self, meeting_id: str, day: date | None) -> None:
        with self.transaction() as cur:
            cur.execute("UPDATE meetings SET next_meeting = ?, updated_at = ? WHERE meeting_id = ?",
                        [day, datetime.now(timezone.utc).replace(tzinfo=None), meeting_id])

    def meeting_step_visits(self, meeting_id: str) -> pd.DataFrame:
        """step, started_at, ended_at (NULL while the step is on screen), oldest first."""
        rows = self.cursor().execute(
            "SELECT step, started_at, ended_at FROM meeting_step_visits WHERE meeting_id = ? ORDER BY started_at",
            [meeting_id]).fetchall()
        return pd.DataFrame(rows, columns=["step", "started_at", "ended_at"])

    def save_meeting_note(self, meeting_id: str, step: int, field: str, notes: str) -> None:
        """Store (or replace) the note of a step's field; empty text removes it."""
        text = _checked_note(notes, "Kort ze in of verdeel ze over de stappen.")
        with self.transaction() as cur:
            cur.execute("DELETE FROM meeting_notes WHERE meeting_id = ? AND step = ? AND field = ?",
                        [meeting_id, int(step), field])
            if text:
                cur.execute("INSERT INTO meeting_notes VALUES (?, ?, ?, ?, ?)",
                            [meeting_id, int(step), field, text, datetime.now(timezone.utc).replace(tzinfo=None)])

    def meeting_notes(self, meeting_id: str) -> dict[tuple[int, str], str]:
        rows = self.cursor().execute("SELECT step, field, notes FROM meeting_notes WHERE meeting_id = ?",
                                     [meeting_id]).fetchall()
        return {(int(step), field): notes for step, field, notes in rows}

    def save_meeting_keywords(self, meeting_id: str, step: int, domains: dict[str, str]) -> None:
        """Replace the step's keyword → domain grouping."""
        with self.transaction() as cur:
            cur.execute("DELETE FROM meeting_keywords WHERE meeting_id = ? AND step = ?", [meeting_id, int(step)])
            if domains:
                cur.executemany("INSERT INTO meeting_keywords VALUES (?, ?, ?, ?)",
                                [[meeting_id, int(step), k, d] for k, d in domains.items()])

    def meeting_keywords(self, meeting_id: str, step: int) -> dict[str, str]:
        rows = self.cursor().execute("SELECT keyword, domain FROM meeting_keywords WHERE meeting_id = ? AND step = ?",
                                     [meeting_id, int(step)]).fetchall()
        return dict(rows)

    def file_size(self) -> int:
        return self.path.stat().st_size if self.path.exists() else 0
