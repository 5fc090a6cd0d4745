"""Spatial layers: features, bus stops, hectare cells and the per-place access table."""

from __future__ import annotations


import duckdb
import pandas as pd

from .schema import PLACE_ACCESS_COLUMNS, feature_bounds


class SpatialLayers:
    """Features, stops, grid cells and place access."""

    @classmethod
    def _insert_layers(
        cls,
        cur: duckdb.DuckDBPyConnection,
        dataset_id: str,
        features: pd.DataFrame | None,
        stops: pd.DataFrame | None,
        grid_cells: pd.DataFrame | None,
    ) -> None:
        """A dataset's map objects (with their bounds), bus stops and hectare cells."""
        if features is not None and len(features):
            features = features.reset_index(drop=True)
            features = pd.concat(
                [
                    features.drop(columns=["minx", "miny", "maxx", "maxy"], errors="ignore"),
                    feature_bounds(features["geom_lambert"]),
                ],
                axis=1,
            )
            cls._insert(
                cur,
                "features",
                features,
                dataset_id,
                [
                    "layer",
                    "feature_id",
                    "category",
                    "name",
                    "properties",
                    "geom_lambert",
                    "geom_display",
                    "minx",
                    "miny",
                    "maxx",
                    "maxy",
                ],
            )
        if stops is not None and len(stops):
            cls._insert(
                cur,
                "stops",
                stops,
                dataset_id,
                ["stop_id", "name", "departures_per_hour", "is_belbus", "x", "y", "lon", "lat"],
            )
        if grid_cells is not None and len(grid_cells):
            cls._insert(cur, "grid_cells", grid_cells, dataset_id, ["layer", "x", "y", "value", "statsec"])

    def replace_place_access(
        self, dataset_id: str, frame: pd.DataFrame, cur: duckdb.DuckDBPyConnection | None = None
    ) -> None:
        """Replace a dataset's per-place access rows (inside the caller's transaction when ``cur`` is given)."""
        if cur is None:
            with self._transaction() as own:
                self.replace_place_access(dataset_id, frame, own)
            return
        cur.execute("DELETE FROM place_access WHERE dataset_id = ?", [dataset_id])
        if len(frame):
            self._insert(cur, "place_access", frame, dataset_id, list(PLACE_ACCESS_COLUMNS), replace=False)

    def features(
        self,
        dataset_id: str | None = None,
        layer: str | None = None,
        bbox: tuple[float, float, float, float] | None = None,
        display: bool = False,
    ) -> pd.DataFrame:
        """Features (layer, feature_id, category, name, properties, geom_lambert as bytes, dataset_id).

        ``bbox`` (Lambert minx, miny, maxx, maxy) keeps the features whose bounds touch it;
        ``display`` adds ``geom_display`` (EPSG:4326, simplified) for maps.
        """
        cols = "layer, feature_id, category, name, properties, geom_lambert, dataset_id"
        if display:
            cols += ", geom_display"
        sql = f"SELECT {cols} FROM features WHERE (? IS NULL OR dataset_id = ?) AND (? IS NULL OR layer = ?)"
        params: list = [dataset_id, dataset_id, layer, layer]
        if bbox is not None:
            sql += " AND maxx >= ? AND minx <= ? AND maxy >= ? AND miny <= ?"
            params += [float(bbox[0]), float(bbox[2]), float(bbox[1]), float(bbox[3])]
        frame = self._query_df(sql + " ORDER BY dataset_id, layer, feature_id", params)
        for col in ("geom_lambert", "geom_display"):
            if col in frame:
                frame[col] = [bytes(g) if g is not None else None for g in frame[col]]
        return frame

    def stops(
        self, dataset_id: str | None = None, bbox: tuple[float, float, float, float] | None = None
    ) -> pd.DataFrame:
        """Bus stops (stop_id, name, departures_per_hour, is_belbus, x, y, lon, lat, dataset_id)."""
        sql = "SELECT * FROM stops WHERE (? IS NULL OR dataset_id = ?)"
        params: list = [dataset_id, dataset_id]
        if bbox is not None:
            sql += " AND x BETWEEN ? AND ? AND y BETWEEN ? AND ?"
            params += [float(bbox[0]), float(bbox[2]), float(bbox[1]), float(bbox[3])]
        return self._query_df(sql + " ORDER BY dataset_id, stop_id", params)

    def grid_cells(
        self, dataset_id: str | None = None, layer: str | None = None, statsecs: list[str] | None = None
    ) -> pd.DataFrame:
        """Hectare cells (layer, x, y, value, statsec, dataset_id); x, y is the Lambert cell centre."""
        sql = (
            "SELECT layer, x, y, value, statsec, dataset_id FROM grid_cells WHERE (? IS NULL OR dataset_id = ?)"
            " AND (? IS NULL OR layer = ?)"
        )
        params: list = [dataset_id, dataset_id, layer, layer]
        if statsecs is not None:
            sql += " AND statsec IN (SELECT unnest(?))"
            params.append(list(statsecs))
        return self._query_df(sql + " ORDER BY dataset_id, layer, statsec, x, y", params)

    def grid_datasets(self, layer: str) -> list[str]:
        """The datasets with hectare cells of ``layer`` (e.g. inwoners), in order."""
        rows = (
            self._cursor()
            .execute("SELECT DISTINCT dataset_id FROM grid_cells WHERE layer = ? ORDER BY dataset_id", [layer])
            .fetchall()
        )
        return [r[0] for r in rows]

    def place_access(self, statsecs: list[str] | None = None, dataset_id: str | None = None) -> pd.DataFrame:
        """The per-place access table (columns PLACE_ACCESS_COLUMNS), optionally for some sectors or one dataset."""
        sql = f"SELECT {', '.join(PLACE_ACCESS_COLUMNS)} FROM place_access WHERE (? IS NULL OR dataset_id = ?)"
        params: list = [dataset_id, dataset_id]
        if statsecs is not None:
            sql += " AND statsec IN (SELECT unnest(?))"
            params.append(list(statsecs))
        return self._query_df(sql + " ORDER BY statsec, x, y", params)

    def layer_datasets(self) -> pd.DataFrame:
        """Which dataset wrote which spatial layer: kind (features, grid, stops, areas), layer, category, dataset_id.

        ``features``: layer and category of the features (voorziening/apotheek, nederzetting/kern …); ``grid``:
        the hectare layer (inwoners, walkability …); ``stops``: the bus stops; ``areas``: a level with geometry.
        """
        return self._query_df(
            "SELECT DISTINCT 'features' AS kind, layer, category, dataset_id FROM features"
            " UNION ALL SELECT DISTINCT 'grid', layer, NULL, dataset_id FROM grid_cells"
            " UNION ALL SELECT DISTINCT 'stops', 'bushaltes', NULL, dataset_id FROM stops"
            " UNION ALL SELECT DISTINCT 'areas', level, NULL, dataset_id FROM areas WHERE geom_lambert IS NOT NULL"
            " ORDER BY kind, layer, category, dataset_id"
        )

    def access_input_counts(self) -> dict:
        """What the store holds for the combined access computation (cheap counts): inhabited cells,
        their residents and sectors; amenities and settlements per category; stops and those with a frequency."""
        cur = self._cursor()
        cells = cur.execute(
            "SELECT count(*), coalesce(sum(value), 0), count(DISTINCT statsec) FROM grid_cells"
            " WHERE layer = 'inwoners' AND value > 0 AND statsec IS NOT NULL"
        ).fetchall()[0]
        per_layer = {
            layer: dict(
                cur.execute(
                    "SELECT category, count(*) FROM features WHERE layer = ? GROUP BY category", [layer]
                ).fetchall()
            )
            for layer in ("voorziening", "nederzetting")
        }
        stops = cur.execute("SELECT count(*), count(departures_per_hour) FROM stops WHERE NOT is_belbus").fetchall()[0]
        return {
            "cells": int(cells[0]),
            "residents": float(cells[1]),
            "sectors": int(cells[2]),
            "amenities": per_layer["voorziening"],
            "settlements": per_layer["nederzetting"],
            "stops": int(stops[0]),
            "stops_with_frequency": int(stops[1]),
        }

    def feature_categories(self, layer: str, except_dataset: str) -> pd.DataFrame:
        """dataset_id, category of the features of ``layer`` that other datasets than ``except_dataset`` hold."""
        return (
            self._cursor()
            .execute(
                "SELECT DISTINCT dataset_id, category FROM features WHERE layer = ? AND dataset_id <> ?"
                " ORDER BY dataset_id, category",
                [layer, except_dataset],
            )
            .df()
        )

    def write_access(
        self,
        dataset_id: str,
        table: pd.DataFrame,
        observations: pd.DataFrame,
        variables,
        *,
        combined: bool,
        title: str,
        source: str,
        period_label: str,
    ) -> None:
        """Write an access result in one transaction. The combined result (``combined``) replaces every other
        access result of the store and is recorded as its own dataset."""
        with self._transaction() as cur:
            self.sync_catalogue(cur=cur)  # an older store learns the access indicators
            if combined:
                cur.execute("DELETE FROM place_access")
                cur.execute("DELETE FROM observations WHERE variable IN (SELECT unnest(?))", [list(variables)])
                self.record_dataset(dataset_id, title=title, source=source, period_label=period_label, cur=cur)
            self.replace_place_access(dataset_id, table, cur)
            self.replace_observations(dataset_id, observations, variables, cur)
