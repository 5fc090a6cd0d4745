"""What is in and around a sector: settlement type of its residents, amenities inside or near it.

Pure functions on DataFrames in Belgian Lambert 72 (EPSG:31370): distances in
metres, straight line. Used by the "Wat is er?" page and the reports.

Every count of amenities goes through ``sector_amenities``: the amenities of all
imported lists with each place once (``access.distinct_amenity_points``, the same
rule as access), so a pharmacy in both the AFMPS list and OpenStreetMap counts once.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import shapely

from .access import AMENITY_CATEGORIES, CATEGORY_LABELS, DUPLICATE_MARGIN_M, SETTLEMENT_CLASSES, distinct_amenity_points

if TYPE_CHECKING:
    from .store import Store

__all__ = [
    "SETTLEMENT_LABELS",
    "amenities_in_sectors",
    "amenities_near",
    "amenity_counts",
    "category_label",
    "locate_amenities",
    "sector_amenities",
    "settlement_shares",
]

SETTLEMENT_LABELS = {
    "kern": "kern",
    "lint": "lint",
    "verspreid": "verspreide bebouwing",
    "elders": "elders (buiten kern, lint of verspreide bebouwing)",
}


def settlement_shares(places: pd.DataFrame, codes: list[str] | None = None) -> pd.DataFrame:
    """Residents per sector by settlement class: ``<class>`` counts and ``pct_<class>`` shares.

    ``places`` has statsec, residents, settlement (one row per inhabited place).
    A sector without places gets missing shares, never 0 %.
    """
    table = places.pivot_table(
        index="statsec", columns="settlement", values="residents", aggfunc="sum", fill_value=0.0, observed=True
    )
    table = table.reindex(columns=list(SETTLEMENT_CLASSES), fill_value=0.0)
    if codes is not None:
        table = table.reindex(list(codes))
    table.columns.name = None
    total = table[list(SETTLEMENT_CLASSES)].sum(axis=1, min_count=1)
    table["residents"] = total
    for cls in SETTLEMENT_CLASSES:
        table[f"pct_{cls}"] = (table[cls] / total.where(total > 0) * 100).astype(float)
    table.index.name = "statsec"
    return table


def locate_amenities(amenities: pd.DataFrame, sectors: pd.DataFrame) -> pd.Series:
    """The sector each amenity lies in (None outside every sector).

    ``sectors`` has ``code`` and ``geometry`` (shapely, Lambert 72).
    """
    if amenities.empty or sectors.empty:
        return pd.Series([None] * len(amenities), index=amenities.index, dtype="object")
    geoms = np.asarray(sectors["geometry"], dtype=object)
    tree = shapely.STRtree(geoms)
    points = shapely.points(amenities["x"].to_numpy(float), amenities["y"].to_numpy(float))
    point_idx, sector_idx = tree.query(points, predicate="within")
    out = np.full(len(amenities), None, dtype=object)
    codes = sectors["code"].to_numpy(object)
    # A point on a shared border is "within" neither; a point inside is within exactly one.
    out[point_idx] = codes[sector_idx]
    return pd.Series(out, index=amenities.index, dtype="object")


def sector_amenities(features: pd.DataFrame, sectors: pd.DataFrame) -> pd.DataFrame:
    """The distinct amenities among ``features`` (each place once, as access counts them) as points with the
    ``statsec`` they lie in (None outside every sector): feature_id, category, name, x, y, statsec.

    ``sectors`` has ``code`` and ``geometry`` (shapely, Lambert 72).
    """
    points = distinct_amenity_points(features)
    points["statsec"] = locate_amenities(points, sectors).to_numpy()
    return points


def amenities_in_sectors(store: Store, sectors: pd.DataFrame, margin: float = 0.0) -> pd.DataFrame:
    """``sector_amenities`` of the store's amenities in and within ``margin`` metres around ``sectors``.

    Read a little wider (``DUPLICATE_MARGIN_M``) so that a point's twin from another list just across the
    edge is still recognised.
    """
    geoms = [g for g in sectors["geometry"] if g is not None and not g.is_empty]
    if not geoms:
        return sector_amenities(pd.DataFrame({"layer": [], "category": []}), sectors)
    minx, miny, maxx, maxy = shapely.total_bounds(np.array(geoms, dtype=object))
    reach = margin + DUPLICATE_MARGIN_M
    features = store.features(layer="voorziening", bbox=(minx - reach, miny - reach, maxx + reach, maxy + reach))
    points = sector_amenities(features, sectors)
    inside = points["x"].between(minx - margin, maxx + margin) & points["y"].between(miny - margin, maxy + margin)
    return points[inside.to_numpy()].reset_index(drop=True)


def amenity_counts(amenities: pd.DataFrame, sector_of: pd.Series, codes: list[str]) -> pd.DataFrame:
    """Number of amenities of each category inside each sector (0 where none: a real zero)."""
    frame = pd.DataFrame({"statsec": sector_of, "category": amenities["category"]}).dropna()
    table = pd.crosstab(frame["statsec"], frame["category"]) if len(frame) else pd.DataFrame()
    cats = [c for c in AMENITY_CATEGORIES if c in table.columns] + [
        c for c in table.columns if c not in AMENITY_CATEGORIES
    ]
    table = table.reindex(index=list(codes), columns=cats, fill_value=0).fillna(0).astype(int)
    table.index.name = "statsec"
    table.columns.name = None
    return table


def amenities_near(amenities: pd.DataFrame, sector_geometry: shapely.Geometry, radius: float) -> pd.DataFrame:
    """Amenities inside the sector or within ``radius`` metres of its border.

    Adds ``distance_m`` (0 inside) and ``inside``; sorted by category (basket first) and distance.
    """
    if amenities.empty or sector_geometry is None or sector_geometry.is_empty:
        return amenities.assign(distance_m=pd.Series(dtype=float), inside=pd.Series(dtype=bool)).iloc[0:0]
    points = shapely.points(amenities["x"].to_numpy(float), amenities["y"].to_numpy(float))
    distance = shapely.distance(sector_geometry, points)
    keep = distance <= radius
    out = amenities.loc[keep].copy()
    out["distance_m"] = distance[keep]
    out["inside"] = out["distance_m"] <= 0
    order = {c: i for i, c in enumerate(AMENITY_CATEGORIES)}
    out["_order"] = out["category"].map(order).fillna(len(order))
    out = out.sort_values(["_order", "distance_m", "name"], na_position="last").drop(columns="_order")
    return out.reset_index(drop=True)


def category_label(category: str) -> str:
    return CATEGORY_LABELS.get(category, category.replace("_", " "))
