"""Datasets, areas and observations: writing a dataset all-or-nothing, and reading areas, parents and values."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Sequence
from datetime import datetime, timezone

import duckdb
import pandas as pd

from ..areas import LEVEL_CODES, finer_levels
from .errors import StoreError
from .schema import _DATASET_TABLES


class Datasets:
    """Datasets, areas and their parents, observations."""

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
        with self._transaction() as cur:
            self.sync_catalogue(cur=cur)
            for table in _DATASET_TABLES:
                cur.execute(f"DELETE FROM {table} WHERE dataset_id = ?", [dataset_id])
            cur.execute(
                "INSERT INTO datasets VALUES (?, ?, ?, ?, ?, ?, ?)",
                [dataset_id, title, source, period_label, is_demo, file_name, datetime.now(timezone.utc)],
            )
            if areas is not None and len(areas):
                self._insert(
                    cur,
                    "areas",
                    areas,
                    dataset_id,
                    ["level", "code", "name", "area_ha", "geom_lambert", "geom_display"],
                )
            if area_parents is not None and len(area_parents):
                self._insert(
                    cur, "area_parents", area_parents, dataset_id, ["level", "code", "parent_level", "parent_code"]
                )
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

        with self._transaction() as cur:
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
                        f"{sector_vintage}. Zet de codes eerst om met een omzettingstabel, of gebruik een andere databank."
                    )
                cur.execute("INSERT OR REPLACE INTO meta VALUES ('sector_vintage', ?)", [sector_vintage])
            if areas is not None and len(areas):
                step(0.1, f"{len(areas):,} gebieden".replace(",", "."))
                self._merge_areas(cur, areas, dataset_id)
            if area_parents is not None and len(area_parents):
                step(0.3, "indeling in gemeenten en zones")
                self._insert(
                    cur, "area_parents", area_parents, dataset_id, ["level", "code", "parent_level", "parent_code"]
                )
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
                cur.execute(
                    "DELETE FROM area_parents WHERE level = ? AND code = ? AND parent_level = 'elz'", [level, code]
                )
            else:
                cur.execute(
                    "UPDATE area_parents SET parent_code = ?, dataset_id = ? WHERE level = ? AND code = ?"
                    " AND parent_level = 'elz'",
                    [zones[0], dataset_id, level, code],
                )

    @staticmethod
    def _merge_areas(cur: duckdb.DuckDBPyConnection, areas: pd.DataFrame, dataset_id: str) -> None:
        columns = ["level", "code", "name", "area_ha", "geom_lambert", "geom_display"]
        incoming = pd.DataFrame(
            {c: areas[c] if c in areas else pd.Series([None] * len(areas), dtype=object) for c in columns}
        )
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

    def record_dataset(
        self, dataset_id: str, *, title: str, source: str, period_label: str | None, cur: duckdb.DuckDBPyConnection
    ) -> None:
        """(Re)write the datasets row of a result zorgzaam derives itself (inside the caller's transaction)."""
        cur.execute("DELETE FROM datasets WHERE dataset_id = ?", [dataset_id])
        cur.execute(
            "INSERT INTO datasets VALUES (?, ?, ?, ?, FALSE, NULL, ?)",
            [dataset_id, title, source, period_label, datetime.now(timezone.utc)],
        )

    def replace_observations(
        self,
        dataset_id: str,
        frame: pd.DataFrame,
        variables: Iterable[str],
        cur: duckdb.DuckDBPyConnection | None = None,
    ) -> None:
        """Replace a dataset's observations of ``variables`` by ``frame`` (e.g. recomputed access counts)."""
        if cur is None:
            with self._transaction() as own:
                self.replace_observations(dataset_id, frame, variables, own)
            return
        cur.execute(
            "DELETE FROM observations WHERE dataset_id = ? AND variable IN (SELECT unnest(?))",
            [dataset_id, list(variables)],
        )
        if len(frame):
            self._insert_observations(cur, frame, dataset_id)

    @staticmethod
    def _insert(
        cur: duckdb.DuckDBPyConnection,
        table: str,
        frame: pd.DataFrame,
        dataset_id: str,
        columns: list[str],
        replace: bool = True,
    ) -> None:
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
            cur.execute(
                f"INSERT INTO observations ({', '.join(columns)}, dataset_id)"
                f" SELECT {', '.join(columns)}, dataset_id FROM incoming_obs"
            )
        finally:
            cur.unregister("incoming_obs")

    def delete_dataset(self, dataset_id: str) -> None:

        def work(cur):
            for table in _DATASET_TABLES:
                cur.execute(f"DELETE FROM {table} WHERE dataset_id = ?", [dataset_id])

        self._write(work)

    def sector_crosswalk(self) -> dict[str, str]:
        """2025 sector code → the 2024 sector it lies in (from an imported crosswalk)."""
        return dict(self._cursor().execute("SELECT code_2025, code_2024 FROM sector_crosswalk").fetchall())

    def sector_vintage(self) -> str | None:
        """The sector division (2024 or 2025) of the imported sectors, once a file made it known."""
        return self._scalar("SELECT value FROM meta WHERE key = 'sector_vintage'")

    def is_empty(self) -> bool:
        return self._memo("is_empty", lambda: self._scalar("SELECT count(*) FROM areas") == 0)

    def imported_at(self, dataset_id: str):
        """When ``dataset_id`` was (last) written, or None."""
        return (
            self._cursor()
            .execute("SELECT max(imported_at) FROM datasets WHERE dataset_id = ?", [dataset_id])
            .fetchall()[0][0]
        )

    def newest_import(self, except_dataset: str):
        """When the newest dataset other than ``except_dataset`` was written, or None."""
        return (
            self._cursor()
            .execute("SELECT max(imported_at) FROM datasets WHERE dataset_id <> ?", [except_dataset])
            .fetchall()[0][0]
        )

    def sector_zones(self, municipalities: list[str]) -> pd.DataFrame:
        """code, gemeente, zone (its care zone or None) of every sector in ``municipalities``."""
        return (
            self._cursor()
            .execute(
                "SELECT m.code, m.parent_code AS gemeente, z.parent_code AS zone FROM area_parents m"
                " LEFT JOIN area_parents z ON z.level = 'statsec' AND z.code = m.code AND z.parent_level = 'elz'"
                " WHERE m.level = 'statsec' AND m.parent_level = 'gemeente' AND m.parent_code IN (SELECT unnest(?))",
                [list(municipalities)],
            )
            .df()
        )

    def area_names(self, codes: list[str], levels: tuple[str, ...]) -> dict[str, str]:
        """Code → name of the areas of ``levels`` among ``codes``."""
        return dict(
            self._cursor()
            .execute(
                "SELECT code, name FROM areas WHERE level IN (SELECT unnest(?)) AND code IN (SELECT unnest(?))",
                [list(levels), list(codes)],
            )
            .fetchall()
        )

    def datasets(self) -> pd.DataFrame:
        return self._query_df("SELECT * FROM datasets ORDER BY imported_at")

    def has_demo(self) -> bool:
        return self._memo("has_demo", lambda: bool(self._scalar("SELECT count(*) FROM datasets WHERE is_demo")))

    def has_own_data(self) -> bool:
        """Any imported (not demo) dataset."""
        return self._memo("has_own", lambda: bool(self._scalar("SELECT count(*) FROM datasets WHERE NOT is_demo")))

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
                " AND t.parent_level = a.level AND t.parent_code = a.code AND list_contains(?::VARCHAR[], a.level)))"
            )
            finer = [lv for lv in finer_levels(within[0]) if lv != "statsec"] if within[0] in LEVEL_CODES else []
            params += [*within, *within, finer]
        if level is not None:
            where.append("a.level = ?")
            params.append(level)
        if where:
            sql += " WHERE " + " AND ".join(where)
        return self._query_df(sql + " ORDER BY a.level, a.code", params)

    def areas_by_mapped_sectors(self, level: str, within: tuple[str, str] | None = None) -> list[str]:
        """Codes of ``level`` with at least one mapped sector, most mapped sectors first
        (optionally only the sectors inside ``within`` = (parent level, parent code))."""
        sql = (
            "SELECT p.parent_code FROM area_parents p JOIN areas a ON a.level = 'statsec' AND a.code = p.code"
            " AND a.geom_display IS NOT NULL WHERE p.level = 'statsec' AND p.parent_level = ?"
        )
        params: list = [level]
        if within is not None:
            sql += (
                " AND p.code IN (SELECT code FROM area_parents WHERE level = 'statsec' AND parent_level = ?"
                " AND parent_code = ?)"
            )
            params += list(within)
        rows = self._cursor().execute(sql + " GROUP BY 1 ORDER BY count(*) DESC, 1", params).fetchall()
        return [r[0] for r in rows]

    def named_areas_with_municipality(self, levels: Sequence[str]) -> pd.DataFrame:
        """level, code, name, gemeente of the named areas of ``levels``: the stored municipality, or else the
        first municipality of the area's sectors (a municipality's own gemeente is left as stored: None)."""
        return self._query_df(
            "SELECT a.level, a.code, a.name, coalesce(p.parent_code, s.gemeente) AS gemeente FROM areas a"
            " LEFT JOIN area_parents p ON p.level = a.level AND p.code = a.code AND p.parent_level = 'gemeente'"
            " LEFT JOIN (SELECT w.parent_level AS level, w.parent_code AS code, min(g.parent_code) AS gemeente"
            "            FROM area_parents w JOIN area_parents g ON g.level = 'statsec' AND g.code = w.code"
            "            AND g.parent_level = 'gemeente' WHERE w.level = 'statsec' GROUP BY 1, 2) s"
            "   ON s.level = a.level AND s.code = a.code"
            " WHERE a.name IS NOT NULL AND a.level IN (SELECT unnest(?))",
            [list(levels)],
        )

    def find_area(self, code: str, level: str | None = None) -> pd.DataFrame:
        sql = "SELECT level, code, name FROM areas WHERE code = ?"
        params = [code]
        if level:
            sql += " AND level = ?"
            params.append(level)
        return self._query_df(sql, params)

    def parents(self, level: str, codes: list[str] | None = None) -> pd.DataFrame:
        """Wide table: one row per area of ``level`` with its parent code per coarser level."""
        sql = "SELECT code, parent_level, parent_code FROM area_parents WHERE level = ?"
        params: list = [level]
        if codes is not None:
            sql += " AND code IN (SELECT unnest(?))"
            params.append(list(codes))
        long = self._query_df(sql, params)
        if long.empty:
            return pd.DataFrame({"code": pd.Series(codes or [], dtype="object")})
        wide = long.pivot(index="code", columns="parent_level", values="parent_code").reset_index()
        wide.columns.name = None
        return wide

    def sectors_within(self, parent_level: str, parent_codes: list[str]) -> list[str]:
        if parent_level == "statsec":
            return list(parent_codes)
        rows = (
            self._cursor()
            .execute(
                "SELECT DISTINCT code FROM area_parents WHERE level = 'statsec' AND parent_level = ?"
                " AND parent_code IN (SELECT unnest(?)) ORDER BY code",
                [parent_level, list(parent_codes)],
            )
            .fetchall()
        )
        return [r[0] for r in rows]

    def sectors_by_parent(self, parent_level: str, parent_codes: list[str]) -> dict[str, set[str]]:
        """The sectors inside each of ``parent_codes`` (of ``parent_level``), by parent; a parent without
        sectors in the store is left out."""
        rows = (
            self._cursor()
            .execute(
                "SELECT parent_code, code FROM area_parents WHERE level = 'statsec' AND parent_level = ?"
                " AND parent_code IN (SELECT unnest(?))",
                [parent_level, list(parent_codes)],
            )
            .fetchall()
        )
        out: dict[str, set[str]] = {}
        for parent, code in rows:
            out.setdefault(parent, set()).add(code)
        return out

    def parent_of(self, level: str, code: str, parent_level: str) -> str | None:
        return self._scalar(
            "SELECT parent_code FROM area_parents WHERE level = ? AND code = ? AND parent_level = ?",
            [level, code, parent_level],
        )

    def observations(
        self, variables: list[str], periods: list[str], areas: list[tuple[str, str]] | None = None
    ) -> pd.DataFrame:
        """Observations of ``variables`` in ``periods``, for the given (level, code) areas or all."""
        sql = (
            "SELECT area_level, area_code, variable, period, value, status FROM observations"
            " WHERE variable IN (SELECT unnest(?)) AND period IN (SELECT unnest(?))"
        )
        params: list = [list(variables), list(periods)]
        if areas is not None:
            keys = pd.DataFrame(areas, columns=["area_level", "area_code"]).drop_duplicates()
            cur = self._cursor()
            cur.register("wanted_areas", keys)
            try:
                return cur.execute(
                    sql.replace(
                        "FROM observations", "FROM observations JOIN wanted_areas USING (area_level, area_code)"
                    ),
                    params,
                ).df()
            finally:
                cur.unregister("wanted_areas")
        return self._query_df(sql, params)

    def periods(self, variables: list[str] | None = None) -> list[str]:
        key = ("periods", tuple(variables or ()))
        return list(self._memo(key, lambda: tuple(self._periods(variables))))

    def _periods(self, variables: list[str] | None) -> list[str]:
        if variables:
            rows = (
                self._cursor()
                .execute(
                    "SELECT DISTINCT period FROM observations WHERE variable IN (SELECT unnest(?)) ORDER BY period",
                    [list(variables)],
                )
                .fetchall()
            )
        else:
            rows = self._cursor().execute("SELECT DISTINCT period FROM observations ORDER BY period").fetchall()
        return [r[0] for r in rows]

    def variable_periods(self, variables: list[str]) -> pd.DataFrame:
        """Each (variable, period) with at least one observation of ``variables``."""
        return (
            self._cursor()
            .execute(
                "SELECT DISTINCT variable, period FROM observations WHERE variable IN (SELECT unnest(?))",
                [list(variables)],
            )
            .df()
        )

    def variables(self) -> set[str]:
        """Every variable with at least one observation (e.g. no access counts before layers are imported)."""
        rows = self._cursor().execute("SELECT DISTINCT variable FROM observations").fetchall()
        return {r[0] for r in rows}

    def variable_datasets(self, variables: list[str]) -> pd.DataFrame:
        """Which dataset holds which of ``variables`` for which period: dataset_id, variable, period (each once)."""
        return self._query_df(
            "SELECT DISTINCT dataset_id, variable, period FROM observations"
            " WHERE variable IN (SELECT unnest(?)) ORDER BY dataset_id, variable, period",
            [list(variables)],
        )

    def level_counts(self) -> pd.DataFrame:
        return self._query_df("SELECT level, count(*) AS n FROM areas GROUP BY level")

    def geometries(self, level: str, codes: list[str] | None = None, display: bool = True) -> pd.DataFrame:
        """level, code, name and WKB geometry (display copy in EPSG:4326, or Lambert)."""
        col = "geom_display" if display else "geom_lambert"
        sql = f"SELECT level, code, name, {col} AS geometry FROM areas WHERE level = ? AND {col} IS NOT NULL"
        params: list = [level]
        if codes is not None:
            sql += " AND code IN (SELECT unnest(?))"
            params.append(list(codes))
        frame = self._query_df(sql + " ORDER BY code", params)
        # DuckDB hands BLOBs back as bytearray; shapely wants bytes.
        frame["geometry"] = [bytes(g) for g in frame["geometry"]]
        return frame
