"""Importing the public files a municipal analyst downloads (issue #6).

``plan_sources(sources, store)`` reads the given files safely (``files``), recognises each one and
returns its ``ImportPlan``s with a preview; ``ImportPlan.apply(store)`` writes one all-or-nothing.
Area files come first (their codes are what figures are matched against).

Recognised: Statbel sector geometry and other sector polygons (``sectors``); Provincies in Cijfers
area tables and outlines (``area_tables``); Swing/PinC tables and Statbel population per sector
(``figures``); the 2025→2024 crosswalk (``vintages``); GTFS and the "Haltes De Lijn" export
(``transit``); amenities from OpenStreetMap (tag mapping) and point lists such as the AFMPS
pharmacies (``amenities``); hectare rasters (GeoTIFF: inwoners, walkability, voorzieningenniveau) as grid
cells (``rasters``); kernen, linten and verspreide bebouwing (``settlements``).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from pathlib import PurePosixPath

import pandas as pd

from ..store import Store
from . import amenities, area_tables, figures, rasters, sectors, settlements, transit, vintages
from .core import ImportPlan, Preview
from .errors import ImportProblem
from .files import Dataset, SourceFile, collect, read_delimited, read_json, read_vector, read_workbook

__all__ = ["ImportPlan", "ImportProblem", "Preview", "SourceFile", "plan_sources", "plan_dataset", "APPLY_ORDER"]

# Order of writing: area tables and the crosswalk fix the sector division, then sector geometry
# (which meets that division), then figures (matched against the areas).
APPLY_ORDER = {
    area_tables.KIND: 0,
    vintages.KIND: 0,
    sectors.KIND: 1,
    figures.KIND: 2,
    transit.KIND: 2,
    amenities.KIND: 2,
    rasters.KIND: 2,
    settlements.KIND: 2,
}


def _stem(name: str) -> str:
    return PurePosixPath(name).stem


def _plan_table(
    frame: pd.DataFrame,
    names: list[str],
    store: Store,
    mapping: dict[str, figures.ColumnTarget] | None,
    amenity_mapping: Mapping[str, str | None] | None = None,
    period: str | None = None,
) -> ImportPlan | None:
    if transit.recognise_haltes(frame):
        return transit.plan_haltes(frame, names, store)
    if amenities.recognise_points(frame) is not None:
        return amenities.plan_points(frame, names, store, mapping=amenity_mapping)
    crosswalk_columns = vintages.recognise_crosswalk(frame)
    if crosswalk_columns is not None:
        return vintages.plan_crosswalk(frame, crosswalk_columns, names, store)
    table_kind = area_tables.recognise_table(frame)
    if table_kind == "sectors-2025":
        return area_tables.plan_sector_table(frame, "2025", names, store)
    if table_kind == "sectors-2024":
        return area_tables.plan_sector_table(frame, "2024", names, store)
    if table_kind == "gemeente-elz":
        return area_tables.plan_municipality_zones(frame, names, store)
    if table_kind == "antwerp-zones":
        return area_tables.plan_antwerp_zones(frame, names, store)
    if table_kind == "names":
        return area_tables.plan_names(frame, names, store)
    if figures.recognise(frame) is not None:
        return figures.plan_figures(frame, names, store, mapping)
    if figures.recognise_plain(frame, store) is not None:
        return figures.plan_figures(frame, names, store, mapping, layout=figures.PLAIN, period=period)
    return None


def _swing_json(obj: object) -> pd.DataFrame | None:
    """The Swing selection-table JSON ``{headers: [{name, type}], rows: [[…]]}`` as a table."""
    if not isinstance(obj, dict) or not isinstance(obj.get("headers"), list) or not isinstance(obj.get("rows"), list):
        return None
    names = [h.get("name") if isinstance(h, dict) else str(h) for h in obj["headers"]]
    rows = [r for r in obj["rows"] if isinstance(r, list) and len(r) == len(names)]
    if len(rows) != len(obj["rows"]):
        raise ImportProblem(
            "Sommige rijen van dit JSON-bestand hebben niet evenveel waarden als er kolommen zijn. "
            "Download de tabel opnieuw."
        )
    return pd.DataFrame(rows, columns=names).astype(object)


def plan_dataset(
    dataset: Dataset,
    store: Store,
    mapping: dict[str, figures.ColumnTarget] | None = None,
    *,
    raster_layer: str | None = None,
    amenity_mapping: Mapping[str, str | None] | None = None,
    period: str | None = None,
) -> list[ImportPlan]:
    """The plans for one readable thing (a workbook can hold several usable sheets).

    ``period`` is the period of a plain table (a column of codes and columns of numbers); without it,
    the year in a column's name is taken (``figures.plan_figures``).

    ``amenity_mapping`` (OSM tag → category, None: not imported) is laid over the default and the
    remembered tag mapping of amenities (``amenities.plan_points``).

    ``raster_layer`` says which layer a hectare raster is (``rasters.LAYERS``) when its name does not.
    """
    name = dataset.name
    if dataset.kind == "gtfs":
        return [transit.plan_gtfs(dataset.source, [name], store)]
    if dataset.kind == "raster":
        return [rasters.plan_raster(dataset.source, [name], store, layer=raster_layer)]
    if dataset.kind == "vector":
        gdf = read_vector(dataset.source)
        if transit.recognise_haltes(gdf):
            return [transit.plan_haltes(gdf, [name], store)]
        if amenities.recognise_points(gdf) is not None:
            return [amenities.plan_points(gdf, [name], store, mapping=amenity_mapping)]
        layer = area_tables.recognise_polygons(gdf, _stem(name))
        if layer is not None:
            return [area_tables.plan_area_polygons(gdf, layer, [name], store)]
        if settlements.recognise(gdf, _stem(name)):
            return [settlements.plan_settlements(gdf, [name], store)]
        return [sectors.plan_sector_geometry(gdf, [name], store)]
    if dataset.kind == "delimited":
        plan = _plan_table(read_delimited(dataset.source), [name], store, mapping, amenity_mapping, period)
        if plan is None:
            raise ImportProblem(
                f"zorgzaam herkent de kolommen van {name} niet. Verwacht: een tabel van Provincies in "
                "Cijfers (period | geolevel | geoitem | …), een gebiedstabel (statsec, gemeente, elz), "
                "een Statbel-bestand (CD_SECTOR, TOTAL) of een tabel met een kolom sectorcodes (zoals "
                "23003A001) of NIS-codes (zoals 23003) en kolommen met cijfers."
            )
        return [plan]
    if dataset.kind == "workbook":
        plans, seen = [], []
        for sheet, frame in read_workbook(dataset.source).items():
            seen.append(sheet)
            plan = _plan_table(
                frame, [f"{name} [{sheet}]"] if sheet else [name], store, mapping, amenity_mapping, period
            )
            if plan is not None and (
                plan.observations is not None
                or plan.areas is not None
                or plan.features is not None
                or plan.unmapped_columns
                or plan.lacking_period
            ):
                plans.append(plan)
        if not plans:
            raise ImportProblem(
                f"Geen enkel werkblad van {name} is een tabel die zorgzaam herkent (werkbladen: "
                f"{', '.join(seen)}). Verwacht: period | geolevel | geoitem | … of een gebiedstabel."
            )
        return plans
    if dataset.kind == "json":
        obj = read_json(dataset.source)
        if amenities.recognise_json(obj) is not None:
            return [amenities.plan_json(obj, [name], store, mapping=amenity_mapping)]
        frame = _swing_json(obj)
        if frame is None:
            raise ImportProblem(
                f"{name} is een JSON-bestand dat zorgzaam niet kent. Verwacht: de tabel-JSON van "
                "Provincies in Cijfers (met 'headers' en 'rows'), OpenStreetMap-voorzieningen of een GeoJSON."
            )
        return [figures.plan_figures(frame, [name], store, mapping, layout="swing-export")]
    raise ImportProblem(f"{name}: dit soort bestand kan zorgzaam niet importeren.")  # pragma: no cover


def plan_sources(
    sources: Iterable[SourceFile],
    store: Store,
    mapping: dict[str, figures.ColumnTarget] | None = None,
    workdir: str | os.PathLike | None = None,
    amenity_mapping: Mapping[str, str | None] | None = None,
    period: str | None = None,
) -> list[ImportPlan]:
    """Every plan for the given files, area files first."""
    plans: list[ImportPlan] = []
    for dataset in collect(list(sources), workdir=workdir):
        plans += plan_dataset(dataset, store, mapping, amenity_mapping=amenity_mapping, period=period)
    return sorted(plans, key=lambda p: APPLY_ORDER.get(p.preview.kind, 2))
