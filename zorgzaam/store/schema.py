"""The schema: the migrations that build it, in order, and ``migrate`` that applies them."""

from __future__ import annotations


import duckdb
import pandas as pd
import shapely

from .errors import StoreError

STATUSES = ("ok", "verborgen", "ontbrekend", "nvt")


# Migration 4's columns of place_access, frozen with it (a later category needs a new migration).
_V4_CATEGORIES = (
    "voedingswinkel",
    "supermarkt",
    "bakker",
    "slager",
    "huisarts",
    "apotheek",
    "school",
    "post",
    "bank",
    "lokaal_dienstencentrum",
    "woonzorgcentrum",
    "zitbank",
    "openbaar_toilet",
    "groen",
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
    typed = {
        "x": "DOUBLE NOT NULL",
        "y": "DOUBLE NOT NULL",
        "statsec": "VARCHAR",
        "residents": "DOUBLE NOT NULL",
        "settlement": "VARCHAR NOT NULL",
    }
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
    (
        13,
        "de cijfers van elke indicator voor elk gebied en elke periode, eenmaal per gegevensversie",
        (
            # engine.refresh_results writes every indicator for every area per asked period (each figure
            # from its latest period up to asked_period: the engine's compute); meta 'results_version'
            # says for which data version. Pages read it instead of computing.
            """CREATE TABLE indicator_results (
                asked_period VARCHAR NOT NULL,
                indicator VARCHAR NOT NULL,
                area_level VARCHAR NOT NULL,
                area_code VARCHAR NOT NULL,
                area_name VARCHAR,
                period VARCHAR,
                numerator DOUBLE,
                denominator DOUBLE,
                value DOUBLE,
                status VARCHAR NOT NULL,
                approx DOUBLE,
                coverage DOUBLE,
                coverage_of VARCHAR
            )""",
        ),
    ),
)

SCHEMA_VERSION = MIGRATIONS[-1][0]

# Tables whose rows belong to one dataset (replaced or deleted together).
_DATASET_TABLES = (
    "areas",
    "area_parents",
    "observations",
    "features",
    "stops",
    "grid_cells",
    "place_access",
    "sector_crosswalk",
    "datasets",
)


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
                con.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", [str(version)])
                con.execute("COMMIT")
            except Exception:
                con.execute("ROLLBACK")
                raise
    return found
