"""Access to amenities and buses per residential place (hectare cell), computed once and stored.

A residential place is an inhabited hectare cell of the "inwoners" grid layer,
represented by its centre. Every distance is a straight line in Lambert 72
(EPSG:31370) from that centre to the nearest amenity or stop, never a route:
a rough first look that the werkgroep checks in the field.

Nearest distances and counts within a radius come from k-d trees
(``scipy.spatial.cKDTree``): ``sparse_distance_matrix`` from the amenities' side
gives the counts and, for places with an amenity within the largest radius, the
nearest one; ``query`` the nearest for the rest and for the stops. "Within r" is
inclusive: an amenity at exactly r metres counts. Never an all-pairs loop.

From the per-place table, ``access_observations`` writes base counts per
sector (residents lacking the basic basket, a bus, ...) so the engine answers
access indicators at every level as a ratio of sums. Counts of 65+ and 80+
per place are estimates: the sector's published count spread over its
inhabited cells in proportion to their residents.
"""

from __future__ import annotations

import time
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import shapely
from scipy.spatial import cKDTree

from .catalogue import BUILTIN, SOURCE_ACCESS
from .engine import derive_counts, refresh_results
from .formatting import format_number

if TYPE_CHECKING:
    from .store import Store

__all__ = [
    "ACCESS_DATASET",
    "ACCESS_MEASURES",
    "ACCESS_TITLE",
    "ACCESS_VARIABLES",
    "AGE_GROUPS",
    "AMENITY_CATEGORIES",
    "BASKET_GROUPS",
    "BASKET_TEXT",
    "BUS_THRESHOLDS",
    "CATEGORY_LABELS",
    "COUNT_RADII",
    "DEFAULTS",
    "DUPLICATE_MARGIN_M",
    "DUPLICATE_RADIUS_M",
    "PLACE_COLUMNS",
    "SETTLEMENT_BUFFER_M",
    "SETTLEMENT_CLASSES",
    "AccessInputs",
    "AccessSettings",
    "AccessSummary",
    "access_inputs",
    "access_observations",
    "amenity_points",
    "build_access",
    "bus_column",
    "compute_and_store_access",
    "compute_place_access",
    "distinct_amenity_points",
    "format_distance",
    "has_timetable",
    "lack_phrase",
    "lacks_access",
    "measure_codes",
    "residential_places",
    "sector_access",
    "settlement_class",
    "without_duplicate_amenities",
]

# --- constants ---------------------------------------------------------------------------------

AMENITY_CATEGORIES: tuple[str, ...] = (
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

CATEGORY_LABELS: dict[str, str] = {
    "voedingswinkel": "voedingswinkel",
    "supermarkt": "supermarkt",
    "bakker": "bakker",
    "slager": "slager",
    "huisarts": "huisarts",
    "apotheek": "apotheek",
    "school": "school",
    "post": "postpunt",
    "bank": "bankkantoor",
    "lokaal_dienstencentrum": "lokaal dienstencentrum",
    "woonzorgcentrum": "woonzorgcentrum",
    "zitbank": "zitbank",
    "openbaar_toilet": "openbaar toilet",
    "groen": "groene ruimte",
}

# The basic basket: every group must lie within reach; any shop of the voeding group will do.
BASKET_GROUPS: dict[str, tuple[str, ...]] = {
    "voeding": ("voedingswinkel", "supermarkt", "bakker", "slager"),
    "huisarts": ("huisarts",),
    "apotheek": ("apotheek",),
    "school": ("school",),
}
BASKET_TEXT = "voeding, huisarts, apotheek, school"

# Departures per hour (weekday) a stop needs; 0 = any regular stop with departures (never a belbus).
BUS_THRESHOLDS: tuple[float, ...] = (0.0, 1.0, 2.0, 4.0)

# Counts within these radii are stored per place (metres).
COUNT_RADII: tuple[int, ...] = (400, 1200)

SETTLEMENT_CLASSES: tuple[str, ...] = ("kern", "lint", "verspreid", "elders")
# A hectare cell's half-diagonal is 50·√2 ≈ 71 m: a cell whose centre lies within 75 m of a ribbon
# or a scattered-housing polygon is touched by it.
SETTLEMENT_BUFFER_M = 75.0


@dataclass(frozen=True)
class AccessSettings:
    """Radii (metres) and bus frequency (departures per hour) that define "lacking access".

    ``near_radius`` is "close by" (the stored n400_* counts); ``walk_radius`` walking distance (basket,
    single categories, the stored n1200_* counts); ``bike_radius`` cycling distance.
    """

    near_radius: float = 400.0
    walk_radius: float = 1200.0
    bike_radius: float = 3750.0
    bus_min_per_hour: float = 1.0
    bus_radius: float = 400.0


DEFAULTS = AccessSettings()


def bus_column(min_per_hour: float) -> str:
    """The place-table column with the distance to a stop of at least this frequency."""
    if float(min_per_hour) not in BUS_THRESHOLDS:
        allowed = ", ".join(format_number(t) for t in BUS_THRESHOLDS)
        raise ValueError(f"Busfrequentie {min_per_hour:g} per uur wordt niet berekend; kies uit {allowed}.")
    return f"dist_bus_{float(min_per_hour):g}"


DIST_COLUMNS: tuple[str, ...] = (
    tuple(f"dist_{c}" for c in AMENITY_CATEGORIES)
    + ("dist_food", "dist_basket")
    + tuple(bus_column(t) for t in BUS_THRESHOLDS)
    + ("dist_belbus",)
)
COUNT_COLUMNS: tuple[str, ...] = tuple(f"n{r}_{c}" for r in COUNT_RADII for c in AMENITY_CATEGORIES)
# Column order of the per-place table (the store's place_access, without dataset_id).
PLACE_COLUMNS: tuple[str, ...] = (
    ("x", "y", "statsec", "residents", "settlement")
    + tuple(f"dist_{c}" for c in AMENITY_CATEGORIES)
    + tuple(f"n400_{c}" for c in AMENITY_CATEGORIES)
    + tuple(f"n1200_{c}" for c in AMENITY_CATEGORIES)
    + ("dist_food", "dist_basket")
    + tuple(bus_column(t) for t in BUS_THRESHOLDS)
    + ("dist_belbus",)
)

# --- inputs ------------------------------------------------------------------------------------


def _geoms(wkb) -> np.ndarray:
    # DuckDB hands BLOBs back as bytearray; shapely wants bytes.
    return shapely.from_wkb([bytes(g) for g in wkb])


def residential_places(grid_cells: pd.DataFrame) -> pd.DataFrame:
    """Inhabited hectare cells of the "inwoners" layer: x, y (Lambert cell centre), statsec, residents."""
    cells = grid_cells[grid_cells["layer"] == "inwoners"]
    residents = pd.to_numeric(cells["value"]).astype("float64").to_numpy(na_value=np.nan)
    keep = residents > 0
    out = pd.DataFrame(
        {
            "x": cells["x"].to_numpy(dtype="float64")[keep],
            "y": cells["y"].to_numpy(dtype="float64")[keep],
            "statsec": cells["statsec"].to_numpy(dtype=object)[keep],
            "residents": residents[keep],
        }
    )
    return out.sort_values(["statsec", "x", "y"], kind="stable", na_position="last").reset_index(drop=True)


def amenity_points(features: pd.DataFrame) -> pd.DataFrame:
    """Amenities of the "voorziening" layer as points: feature_id, category, name, x, y (Lambert).

    A polygon (groen) becomes a point inside it (``point_on_surface``), never a centroid outside it.
    """
    rows = features[(features["layer"] == "voorziening") & features["category"].isin(AMENITY_CATEGORIES)]
    if rows.empty:
        return pd.DataFrame(
            {
                "feature_id": pd.Series(dtype=object),
                "category": pd.Series(dtype=object),
                "name": pd.Series(dtype=object),
                "x": pd.Series(dtype="float64"),
                "y": pd.Series(dtype="float64"),
            }
        )
    points = shapely.point_on_surface(_geoms(rows["geom_lambert"]))
    return pd.DataFrame(
        {
            "feature_id": rows["feature_id"].to_numpy(dtype=object),
            "category": rows["category"].to_numpy(dtype=object),
            "name": rows["name"].to_numpy(dtype=object),
            "x": shapely.get_x(points),
            "y": shapely.get_y(points),
        }
    )


def settlement_class(places: pd.DataFrame, features: pd.DataFrame | None, chunk: int = 250_000) -> pd.Series:
    """Per place "kern" | "lint" | "verspreid" | "elders", first rule that holds.

    kern: the cell centre lies inside (or on the edge of) a kern polygon; lint: within 75 m of a
    ribbon (lint) geometry; verspreid: within 75 m of (or inside) a scattered-housing polygon;
    elders: none of these. 75 m is just over half a hectare cell's diagonal (≈ 71 m), so a cell a
    ribbon or a scattered cluster passes through is counted with it.
    """
    n = len(places)
    if features is None or features.empty or not n:
        return pd.Series(np.full(n, "elders", dtype=object), index=places.index, name="settlement")
    layer = features[features["layer"] == "nederzetting"]
    rules = [
        (cls, _geoms(layer.loc[layer["category"] == cls, "geom_lambert"]), distance)
        for cls, distance in (("kern", None), ("lint", SETTLEMENT_BUFFER_M), ("verspreid", SETTLEMENT_BUFFER_M))
    ]
    hit = {cls: np.zeros(n, dtype=bool) for cls, _, _ in rules}
    x = places["x"].to_numpy(dtype="float64")
    y = places["y"].to_numpy(dtype="float64")
    # A tree over a chunk of cell centres, queried with the (few, prepared) settlement geometries:
    # faster than the other way round, and chunks bound the memory of point geometries.
    for start in range(0, n, chunk):
        stop = min(start + chunk, n)
        tree = shapely.STRtree(shapely.points(x[start:stop], y[start:stop]))
        for cls, geoms, distance in rules:
            if len(geoms):
                pairs = (
                    tree.query(geoms, predicate="intersects")
                    if distance is None
                    else tree.query(geoms, predicate="dwithin", distance=distance)
                )
                hit[cls][start + pairs[1]] = True
    first = np.select([hit["kern"], hit["lint"], hit["verspreid"]], [0, 1, 2], 3)
    # Indexing an object array shares its four strings instead of making 1.4 million of them.
    return pd.Series(np.array(SETTLEMENT_CLASSES, dtype=object)[first], index=places.index, name="settlement")


# --- the per-place table --------------------------------------------------------------------------

# Amenities per k-d tree when counting: bounds the pairs held at once (each at most ~450 cells in 1.2 km).
_COUNT_CHUNK = 2_000
# Places are processed in runs of tiles this wide (metres), so neighbours sit next to each other in memory.
_TILE_M = 1_000.0


def _spatial_order(xy: np.ndarray) -> np.ndarray:
    """A permutation that puts places of the same 1 km tile next to each other.

    The trees' queries and pair searches then touch memory in order: 25–45 % faster at Flanders size
    than places in sector or random order. Results are put back in the caller's order.
    """
    if not len(xy):
        return np.arange(0)
    tx = np.floor((xy[:, 0] - xy[:, 0].min()) / _TILE_M).astype(np.int64)
    ty = np.floor((xy[:, 1] - xy[:, 1].min()) / _TILE_M).astype(np.int64)
    return np.argsort(tx * (int(ty.max()) + 1) + ty, kind="stable")


def _nearest(tree_xy: np.ndarray, xy: np.ndarray) -> np.ndarray:
    """Distance from each place to the nearest of ``tree_xy`` (float32; NaN when there is none)."""
    if not len(tree_xy):
        return np.full(len(xy), np.nan, dtype=np.float32)
    dist, _ = cKDTree(tree_xy).query(xy, k=1, workers=-1)
    return dist.astype(np.float32)


def _nearest_and_counts(
    place_tree: cKDTree, xy: np.ndarray, pts: np.ndarray
) -> tuple[np.ndarray, dict[int, np.ndarray]]:
    """Per place: the distance to the nearest of ``pts`` and the number within each of COUNT_RADII (inclusive).

    One pass at the largest radius from the amenities' side (there are far fewer amenities than places):
    the pairs (amenity, place, distance) give every radius at once, and the smallest distance among a
    place's pairs is its nearest amenity. Only places with no amenity within the largest radius are
    looked up in a tree of the amenities. The pairs' distances are the tree's own (the same squares
    summed, the same square root), so the result equals one ``query`` per place, bit for bit.
    """
    n = place_tree.n
    counts = {r: np.zeros(n, dtype=np.int64) for r in COUNT_RADII}
    best = np.full(n, np.inf)
    reach = float(max(COUNT_RADII))
    for start in range(0, len(pts), _COUNT_CHUNK):
        pairs = cKDTree(pts[start : start + _COUNT_CHUNK]).sparse_distance_matrix(
            place_tree, reach, output_type="ndarray"
        )
        j, v = pairs["j"], pairs["v"]
        for r in COUNT_RADII:
            counts[r] += np.bincount(j if r == reach else j[v <= r], minlength=n)
        np.minimum.at(best, j, v)
    far = np.flatnonzero(np.isinf(best))
    if len(far):
        best[far] = cKDTree(pts).query(xy[far], k=1, workers=-1)[0]
    return best.astype(np.float32), {r: c.astype(np.int32) for r, c in counts.items()}


def compute_place_access(
    places: pd.DataFrame, amenities: pd.DataFrame, stops: pd.DataFrame | None, features: pd.DataFrame | None
) -> pd.DataFrame:
    """One row per place with its settlement class, distances and counts (columns ``PLACE_COLUMNS``).

    ``dist_<cat>``: metres to the nearest amenity of the category (NaN when the data hold none);
    ``n400_<cat>``, ``n1200_<cat>``: amenities within 400 m / 1200 m (inclusive); ``dist_food``:
    nearest shop of the voeding group; ``dist_basket``: the largest of the four basket groups'
    nearest distances, i.e. the radius within which the whole basket lies (NaN when a group is
    absent from the data); ``dist_bus_<N>``: nearest regular (non-belbus) stop with at least N
    departures per hour (N = 0: any departure); ``dist_belbus``: nearest belbus stop. Distances are
    float32 (a centimetre at most off; half the memory at 1.4 million places), counts int32.
    """
    n = len(places)
    xy = np.column_stack([places["x"].to_numpy(dtype="float64"), places["y"].to_numpy(dtype="float64")])
    # Everything below runs on the places in tile order; ``put_back`` returns a column to the caller's order.
    order = _spatial_order(xy)
    xy_t = xy[order]

    def put_back(values: np.ndarray) -> np.ndarray:
        out = np.empty_like(values)
        out[order] = values
        return out

    place_tree = cKDTree(xy_t) if n else None
    by_cat = {c: g[["x", "y"]].to_numpy(dtype="float64") for c, g in amenities.groupby("category", sort=False)}

    def category(pts: np.ndarray) -> tuple[np.ndarray, dict[int, np.ndarray]]:
        if n and len(pts):
            return _nearest_and_counts(place_tree, xy_t, pts)
        return np.full(n, np.nan, dtype=np.float32), {r: np.zeros(n, dtype=np.int32) for r in COUNT_RADII}

    if stops is None or stops.empty:
        stops = pd.DataFrame({"x": [], "y": [], "departures_per_hour": [], "is_belbus": []})
    sxy = np.column_stack([stops["x"].to_numpy(dtype="float64"), stops["y"].to_numpy(dtype="float64")])
    freq = pd.to_numeric(stops["departures_per_hour"]).astype("float64").to_numpy(na_value=np.nan)
    belbus = stops["is_belbus"].astype("boolean").fillna(False).to_numpy(dtype=bool)
    regular = ~belbus & (freq > 0)  # NaN > 0 is False: a stop without a timetable never counts
    bus_stops = {bus_column(t): sxy[regular & (freq >= t)] for t in BUS_THRESHOLDS}
    bus_stops["dist_belbus"] = sxy[belbus]

    cols: dict[str, object] = {
        "x": xy[:, 0],
        "y": xy[:, 1],
        "statsec": places["statsec"].array,  # as it comes: no million new str objects
        "residents": places["residents"].to_numpy(dtype="float64"),
    }
    # k-d trees, shapely and numpy let go of the GIL while they work: two threads keep both cores busy
    # (the settlement classes and the pair searches are single-threaded; ``query`` uses every core).
    # Each result is put back in the caller's order as soon as it is done, and its tile-order arrays
    # are let go of (``as_completed`` drops each future it yields), so they are not all held at once.
    with ThreadPoolExecutor(max_workers=2) as pool:
        task: dict[int, tuple[str, str]] = {}

        def submit(kind: str, name: str, fn, *args) -> Future:
            future = pool.submit(fn, *args)
            task[id(future)] = (kind, name)
            return future

        pending = {
            submit(
                "settlement", "settlement", settlement_class, pd.DataFrame({"x": xy_t[:, 0], "y": xy_t[:, 1]}), features
            )
        }
        # The largest categories first, so the last task to finish is a short one.
        for cat in sorted(AMENITY_CATEGORIES, key=lambda c: -len(by_cat.get(c, ()))):
            pending.add(submit("category", cat, category, by_cat.get(cat, np.empty((0, 2)))))
        for col, pts in bus_stops.items():
            pending.add(submit("bus", col, _nearest, pts, xy_t))
        finished = as_completed(pending)
        del pending  # as_completed keeps its own set and drops each future it yields
        for future in finished:
            kind, name = task.pop(id(future))
            if kind == "settlement":
                cols["settlement"] = put_back(future.result().to_numpy(dtype=object))
            elif kind == "category":
                nearest, counts = future.result()
                cols[f"dist_{name}"] = put_back(nearest)
                for r in COUNT_RADII:
                    cols[f"n{r}_{name}"] = put_back(counts[r])
                del nearest, counts
            else:
                cols[name] = put_back(future.result())
            del future
    food = np.stack([cols[f"dist_{c}"] for c in BASKET_GROUPS["voeding"]])
    # fmin: a missing shop type does not spoil the group; all missing stays NaN.
    cols["dist_food"] = np.fmin.reduce(food, axis=0)
    groups = [cols["dist_food"]] + [
        np.fmin.reduce(np.stack([cols[f"dist_{c}"] for c in members]), axis=0)
        for name, members in BASKET_GROUPS.items()
        if name != "voeding"
    ]
    # maximum propagates NaN: a basket with a group absent from the data is never complete.
    cols["dist_basket"] = np.maximum.reduce(groups)
    return pd.DataFrame({c: cols[c] for c in PLACE_COLUMNS}, copy=False)  # the arrays are ours: no second copy


# --- lacking access ------------------------------------------------------------------------------

# Measure code -> Dutch phrase template ("<category>" stands for one of AMENITY_CATEGORIES).
ACCESS_MEASURES: dict[str, str] = {
    "basket": "verder dan {walk} van het volledige basispakket ({basket})",
    "bus": "verder dan {bus_radius} van {bus}",
    "basket_and_bus": "verder dan {walk} van het volledige basispakket ({basket}) en {bus_radius} van {bus_short}",
    "cat:<category>": "verder dan {walk} van {category}",
    "cat:<category>+bus": "verder dan {walk} van {category} en {bus_radius} van {bus_short}",
}

# The category with its article, as it reads after "van".
_CATEGORY_PHRASES: dict[str, str] = {c: f"een {CATEGORY_LABELS[c]}" for c in AMENITY_CATEGORIES}

# Bus wording per threshold: (on its own, after "en … van" in a combination).
_BUS_WORDING: dict[float, tuple[str, str]] = {
    0.0: ("een bushalte", "een bushalte"),
    1.0: ("een bushalte met minstens 1 vertrek per uur", "een bus die elk uur passeert"),
    2.0: ("een bushalte met minstens 2 vertrekken per uur", "een bus die minstens twee keer per uur passeert"),
    4.0: ("een bushalte met minstens 4 vertrekken per uur", "een bus die minstens vier keer per uur passeert"),
}


def measure_codes() -> list[str]:
    """Every measure ``lacks_access`` knows, in the order a picker shows them."""
    return (
        ["basket", "bus", "basket_and_bus"]
        + [f"cat:{c}" for c in AMENITY_CATEGORIES]
        + [f"cat:{c}+bus" for c in AMENITY_CATEGORIES]
    )


def _parse(measure: str) -> tuple[str, str | None]:
    """(template key, category or None); a Dutch ValueError for an unknown measure."""
    if measure in ("basket", "bus", "basket_and_bus"):
        return measure, None
    if measure.startswith("cat:"):
        body = measure[4:]
        with_bus = body.endswith("+bus")
        category = body[:-4] if with_bus else body
        if category in AMENITY_CATEGORIES:
            return ("cat:<category>+bus" if with_bus else "cat:<category>"), category
    raise ValueError(f"Onbekende bereikbaarheidsmaat '{measure}'.")


def format_distance(metres: float) -> str:
    """400 -> '400 m', 1200 -> '1,2 km', 3750 -> '3,75 km' (Dutch number format)."""
    if metres < 1000:
        return f"{format_number(metres, 0)} m"
    km = metres / 1000
    decimals = next(d for d in (0, 1, 2, 3) if abs(round(km, d) - km) < 1e-9 or d == 3)
    return f"{format_number(km, decimals)} km"


def lack_phrase(measure: str, settings: AccessSettings = DEFAULTS) -> str:
    """The measure in plain Dutch, e.g. 'verder dan 1,2 km van een bakker'."""
    key, category = _parse(measure)
    bus_column(settings.bus_min_per_hour)  # a Dutch error for a frequency that is not computed
    bus_long, bus_short = _BUS_WORDING[float(settings.bus_min_per_hour)]
    return ACCESS_MEASURES[key].format(
        walk=format_distance(settings.walk_radius),
        bus_radius=format_distance(settings.bus_radius),
        basket=BASKET_TEXT,
        bus=bus_long,
        bus_short=bus_short,
        category=_CATEGORY_PHRASES.get(category or "", ""),
    )


def _beyond(cells: pd.DataFrame, column: str, radius: float) -> np.ndarray:
    # NaN (nothing of the kind in the data) counts as beyond reach.
    dist = cells[column].to_numpy(dtype="float64", na_value=np.nan)
    return ~(dist <= radius)


def lacks_access(cells: pd.DataFrame, measure: str, settings: AccessSettings = DEFAULTS) -> np.ndarray:
    """True per place that lacks access by ``measure`` (see ``measure_codes``).

    "basket" and "cat:<category>" use ``walk_radius``; "bus" needs a regular stop with at least
    ``bus_min_per_hour`` departures within ``bus_radius`` (a belbus never counts). A combination
    lacks when both parts lack.
    """
    key, category = _parse(measure)
    if key == "bus":
        return _beyond(cells, bus_column(settings.bus_min_per_hour), settings.bus_radius)
    lack = _beyond(cells, "dist_basket" if key.startswith("basket") else f"dist_{category}", settings.walk_radius)
    if key.endswith("bus"):
        lack &= _beyond(cells, bus_column(settings.bus_min_per_hour), settings.bus_radius)
    return lack


def sector_access(cells: pd.DataFrame, group_counts: pd.Series | None, lack: np.ndarray) -> pd.DataFrame:
    """Per sector: residents, residents_lacking, share_lacking; with ``group_counts`` also group, group_lacking.

    ``group_counts`` maps a sector to its count of an age group (e.g. 80+), NaN when hidden. The
    sector's count is spread over its places in proportion to their residents, so
    group_lacking = group × share_lacking. A hidden count stays NaN, never 0.
    """
    frame = pd.DataFrame(
        {
            "statsec": cells["statsec"].to_numpy(dtype=object),
            "residents": cells["residents"].to_numpy(dtype="float64"),
        }
    )
    frame["residents_lacking"] = np.where(np.asarray(lack, dtype=bool), frame["residents"], 0.0)
    out = frame.groupby("statsec", sort=True)[["residents", "residents_lacking"]].sum()
    with np.errstate(divide="ignore", invalid="ignore"):
        out["share_lacking"] = out["residents_lacking"] / out["residents"]
    if group_counts is not None:
        group = pd.to_numeric(group_counts, errors="coerce").astype("float64")
        out["group"] = group.reindex(out.index).to_numpy(dtype="float64", na_value=np.nan)
        out["group_lacking"] = out["group"] * out["share_lacking"]
    out.index.name = "statsec"
    return out.reset_index()


# --- base counts for the engine ----------------------------------------------------------------

AGE_GROUPS: dict[str, str] = {"65plus": "pop_age_65plus", "80plus": "pop_age_80plus"}
_AGE_LACKS = ("no_basket_1200m", "no_bus_400m")  # what is stored per age group

# Variable codes as the catalogue names them; they describe DEFAULTS (1,2 km, 3,75 km, 400 m, 1/h).
ACCESS_VARIABLES: tuple[str, ...] = (
    "acc_pop",
    "acc_pop_no_basket_1200m",
    "acc_pop_no_basket_3750m",
    "acc_pop_no_bus_400m",
    "acc_pop_in_kern",
    "acc_pop_in_lint",
    "acc_pop_in_verspreid",
    "acc_pop_65plus",
    "acc_pop_65plus_no_basket_1200m",
    "acc_pop_65plus_no_bus_400m",
    "acc_pop_80plus",
    "acc_pop_80plus_no_basket_1200m",
    "acc_pop_80plus_no_bus_400m",
)
_OBS_COLUMNS = ["area_level", "area_code", "variable", "period", "value", "status"]


def _lacks(cells: pd.DataFrame, settings: AccessSettings) -> dict[str, np.ndarray]:
    """The lacks behind the stored counts, keyed by the suffix of their variable code."""
    return {
        "no_basket_1200m": lacks_access(cells, "basket", settings),
        "no_basket_3750m": lacks_access(cells, "basket", replace(settings, walk_radius=settings.bike_radius)),
        "no_bus_400m": lacks_access(cells, "bus", settings),
    }


def _group_counts(base_obs: pd.DataFrame, period: str, level: str) -> dict[str, pd.DataFrame]:
    """Per age group: value and status per area of ``level`` (80+ from its parts where needed)."""
    wanted = set(AGE_GROUPS.values()) | {p for v in AGE_GROUPS.values() for p in BUILTIN.base_counts[v].sum_of}
    wanted.add("pop_total")
    obs = base_obs[
        (base_obs["period"].astype(str) == str(period))
        & (base_obs["area_level"] == level)
        & base_obs["variable"].isin(wanted)
    ]
    obs = derive_counts(obs[_OBS_COLUMNS].copy())
    out = {}
    for key, var in list(AGE_GROUPS.items()) + [("total", "pop_total")]:
        rows = obs[obs["variable"] == var].drop_duplicates("area_code", keep="last").set_index("area_code")
        value = pd.to_numeric(rows["value"]).astype("float64").where(rows["status"] == "ok")
        out[key] = pd.DataFrame({"value": value, "status": rows["status"]})
    return out


def access_observations(
    cells: pd.DataFrame,
    base_obs: pd.DataFrame,
    period: str,
    settings: AccessSettings = DEFAULTS,
    parents: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Access base counts per sector (and per municipality for 65+/80+) in the observations layout.

    Per sector with places: acc_pop (residents in places), acc_pop_no_basket_1200m / _3750m,
    acc_pop_no_bus_400m, acc_pop_in_kern / _lint / _verspreid, and for 65+ and 80+ the sector's
    count (from ``base_obs`` of ``period``; 80+ from its parts 80-89 + 90+ where needed) with the
    part lacking the basket or the bus (count × share of the sector's residents lacking it). A
    hidden age count gives "verborgen" (value NA, never 0). A sector without places gets zeros
    when its published pop_total is 0, and nothing otherwise (the grid does not cover it: unknown,
    not zero).

    ``parents`` (one row per sector: ``code`` and its parent code per level, as
    ``Store.parents("statsec")``) adds two kinds of rows above sector level:

    * Municipal 65+/80+ rows. The engine sums sectors, so one hidden sector would make a
      municipality's 65+/80+ access "onvolledig". When the municipality's own 65+/80+ count is
      published and the grid covers all its sectors, the hidden sectors' combined count (municipal
      count minus its known sectors, at least 0) is spread over their places as if they were one
      sector, and the municipality's counts are the sum over all its sectors. The engine takes a
      stored value first, so the municipality and the levels above it use these rows; a wijk
      holding the hidden sector stays "onvolledig".
    * "ontbrekend" rows for every access count of an area the grid covers only in part: its
      published pop_total is larger than that of its sectors in the data (e.g. Flanders beside one
      care zone). Otherwise the engine would sum the sectors it has and call that Flanders.

    The codes name the default settings (1,2 km, 3,75 km, 400 m, 1 vertrek per uur): store only
    counts computed with ``DEFAULTS``.
    """
    period = str(period)
    cells = cells[cells["statsec"].notna()].reset_index(drop=True)
    lacks = _lacks(cells, settings)
    counts = _group_counts(base_obs, period, "statsec")

    # Per sector: residents and the residents lacking each kind of access / in each settlement class.
    statsec = cells["statsec"].to_numpy(dtype=object)
    residents = cells["residents"].to_numpy(dtype="float64")
    settle = cells["settlement"].to_numpy(dtype=object)
    parts = {"acc_pop": residents}
    parts.update({f"acc_pop_{k}": np.where(v, residents, 0.0) for k, v in lacks.items()})
    parts.update({f"acc_pop_in_{c}": np.where(settle == c, residents, 0.0) for c in ("kern", "lint", "verspreid")})
    sums = pd.DataFrame(parts).groupby(statsec, sort=True).sum()
    totals = counts["total"]
    no_people = set(totals.index[(totals["status"] == "ok") & (totals["value"] == 0)])
    empty = sorted(no_people - set(sums.index))
    sums = pd.concat([sums, pd.DataFrame(0.0, index=empty, columns=sums.columns)])
    sums.index.name = "area_code"
    frames = [sums.reset_index().melt(id_vars="area_code", var_name="variable", value_name="value").assign(status="ok")]

    # 65+ and 80+: the sector's count spread over its places (in proportion to residents).
    with np.errstate(divide="ignore", invalid="ignore"):
        shares = {k: (sums[f"acc_pop_{k}"] / sums["acc_pop"]).fillna(0.0) for k in _AGE_LACKS}
    for group in AGE_GROUPS:
        mine = counts[group].reindex(sums.index).dropna(subset=["status"])  # no data: nothing written
        ok = mine["status"] == "ok"
        status = mine["status"].where(ok | mine["status"].isin(["ontbrekend", "nvt"]), "verborgen")
        values = {f"acc_pop_{group}": mine["value"]}
        values.update({f"acc_pop_{group}_{k}": mine["value"] * shares[k].reindex(mine.index) for k in _AGE_LACKS})
        for var, value in values.items():
            frames.append(
                pd.DataFrame(
                    {
                        "area_code": mine.index,
                        "variable": var,
                        "value": value.where(ok).to_numpy(),
                        "status": status.to_numpy(),
                    }
                )
            )

    out = pd.concat(frames, ignore_index=True).assign(area_level="statsec", period=period)
    if parents is not None and not parents.empty:
        partial = _partial_areas(sums, counts, base_obs, period, parents)
        missing = pd.DataFrame(
            [(lvl, code, var, period, np.nan, "ontbrekend") for lvl, code in partial for var in ACCESS_VARIABLES],
            columns=_OBS_COLUMNS,
        )
        if "gemeente" in parents:
            municipality_of = parents.set_index("code")["gemeente"]
            skip = {code for lvl, code in partial if lvl == "gemeente"}
            municipality_of = municipality_of[~municipality_of.isin(skip)]
            missing = pd.concat(
                [missing, _municipal_rows(sums, counts, base_obs, period, municipality_of)], ignore_index=True
            )
        out = pd.concat([out, missing], ignore_index=True)
    out = out[_OBS_COLUMNS]
    out["value"] = out["value"].astype("Float64")
    out.loc[out["status"] != "ok", "value"] = pd.NA
    return out


def _partial_areas(
    sums: pd.DataFrame, counts: dict[str, pd.DataFrame], base_obs: pd.DataFrame, period: str, parents: pd.DataFrame
) -> list[tuple[str, str]]:
    """(level, code) of areas whose published pop_total exceeds that of their sectors in the data."""
    totals = counts["total"]
    # A sector's population: published, or its residents in places when the published one is hidden.
    sector_pop = totals["value"].where(totals["status"] == "ok").reindex(parents["code"])
    sector_pop = sector_pop.fillna(sums["acc_pop"].reindex(parents["code"])).fillna(0.0).to_numpy()
    obs = base_obs[
        (base_obs["period"].astype(str) == period)
        & (base_obs["variable"] == "pop_total")
        & (base_obs["status"] == "ok")
        & (base_obs["area_level"] != "statsec")
    ]
    published = pd.to_numeric(obs["value"]).astype("float64")
    published.index = pd.MultiIndex.from_arrays([obs["area_level"], obs["area_code"]])
    out = []
    for lvl in [c for c in parents.columns if c != "code"]:
        have = pd.Series(sector_pop).groupby(parents[lvl].to_numpy()).sum()
        for code, pop in have.items():
            if (lvl, code) in published.index and published[(lvl, code)].max() > 1.01 * pop:
                out.append((lvl, code))  # 1 %: residents in places stand in for a hidden sector total
    return out


def _municipal_rows(
    sums: pd.DataFrame, counts: dict[str, pd.DataFrame], base_obs: pd.DataFrame, period: str, municipality_of: pd.Series
) -> pd.DataFrame:
    """Age-based access counts per municipality with the hidden sectors' residual (see access_observations)."""
    own = _group_counts(base_obs, period, "gemeente")
    muni = pd.Series(municipality_of).dropna()
    rows: list[tuple] = []
    for code, members in muni.groupby(muni.to_numpy()).groups.items():
        members = pd.Index(members)
        if not members.isin(sums.index).all():
            continue  # the grid does not cover every sector with inhabitants
        mine = sums.loc[members]
        for group in AGE_GROUPS:
            published = own[group]
            if code not in published.index or published.at[code, "status"] != "ok":
                continue
            sector = counts[group].reindex(members)
            known = (sector["status"] == "ok").to_numpy()
            residual = max(float(published.at[code, "value"]) - float(sector["value"][known].sum()), 0.0)
            hidden = mine[~known]
            if residual > 0 and hidden["acc_pop"].sum() == 0:
                continue  # the hidden sectors' people have no place to be spread over
            known_rows = mine[known]
            value = sector["value"][known]
            total = float(value.sum())
            with np.errstate(divide="ignore", invalid="ignore"):
                lacking = {
                    k: float((value * (known_rows[f"acc_pop_{k}"] / known_rows["acc_pop"]).fillna(0.0)).sum())
                    for k in _AGE_LACKS
                }
            if hidden["acc_pop"].sum() > 0:
                total += residual
                for k in _AGE_LACKS:
                    lacking[k] += residual * hidden[f"acc_pop_{k}"].sum() / hidden["acc_pop"].sum()
            rows.append(("gemeente", code, f"acc_pop_{group}", period, total, "ok"))
            rows += [("gemeente", code, f"acc_pop_{group}_{k}", period, v, "ok") for k, v in lacking.items()]
    return pd.DataFrame(rows, columns=_OBS_COLUMNS)


# --- compute and store ---------------------------------------------------------------------------


@dataclass(frozen=True)
class AccessSummary:
    dataset_id: str
    period: str
    places: int
    residents: float
    sectors: int
    observations: int
    seconds: float
    missing_categories: tuple[str, ...]
    duplicates: int = 0  # amenities two imports both hold, counted once

    def text(self) -> str:
        """A short Dutch summary."""
        what = "uit alle geïmporteerde lagen" if self.dataset_id == ACCESS_DATASET else f"voor {self.dataset_id}"
        line = (
            f"Bereikbaarheid berekend {what} (periode {self.period}): "
            f"{format_number(self.places)} woonplaatsen (bewoonde hectarecellen), "
            f"{format_number(self.residents)} inwoners, {format_number(self.sectors)} sectoren, "
            f"in {format_number(self.seconds, 1)} s."
        )
        if self.missing_categories:
            labels = ", ".join(CATEGORY_LABELS[c] for c in self.missing_categories)
            line += f" Geen enkele voorziening van het type: {labels} (telt als niet bereikbaar)."
        if self.duplicates:
            line += (
                f" {format_number(self.duplicates)} voorzieningen stonden in twee geïmporteerde lijsten "
                f"(minder dan {format_number(DUPLICATE_RADIUS_M)} m uit elkaar) en tellen één keer."
            )
        return line


def build_access(
    features: pd.DataFrame,
    stops: pd.DataFrame,
    grid_cells: pd.DataFrame,
    base_obs: pd.DataFrame,
    period: str,
    parents: pd.DataFrame | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The per-place table and its observations from a dataset's layers (pure; nothing is written).

    ``parents``: one row per sector, ``code`` and a parent code per level (``Store.parents("statsec")``).
    """
    places = residential_places(grid_cells)
    table = compute_place_access(places, distinct_amenity_points(features), stops, features)
    obs = access_observations(table, base_obs, period, DEFAULTS, parents)
    if not has_timetable(stops):
        # Stops without any timetable (the Haltes export alone) cannot tell who lacks a bus: unknown, not all.
        unknown = obs["variable"].str.contains("_no_bus_")
        obs["value"] = obs["value"].mask(unknown)
        obs.loc[unknown, "status"] = "ontbrekend"
    return table, obs


#: Two amenities of one category from different imports this close (metres) are the same place.
DUPLICATE_RADIUS_M = 30.0


def without_duplicate_amenities(features: pd.DataFrame, radius: float = DUPLICATE_RADIUS_M) -> pd.DataFrame:
    """``features`` without the amenities another import already has (same category, within ``radius``).

    The AFMPS list and OpenStreetMap both hold the pharmacies: counting both would double the counts
    within 400 m and 1,2 km. Of each pair the feature of the dataset listed first (by id) is kept; a
    single dataset's own points are never merged (two doctors in one building stay two).
    """
    if "dataset_id" not in features.columns or features.empty:
        return features
    rows = features[(features["layer"] == "voorziening") & features["category"].isin(AMENITY_CATEGORIES)]
    if rows["dataset_id"].nunique() < 2:
        return features
    points = shapely.point_on_surface(_geoms(rows["geom_lambert"]))
    xy = np.column_stack([shapely.get_x(points), shapely.get_y(points)])
    datasets = rows["dataset_id"].to_numpy(dtype=object)
    categories = rows["category"].to_numpy(dtype=object)
    order = {d: i for i, d in enumerate(sorted(set(datasets)))}
    drop = np.zeros(len(rows), dtype=bool)
    for category in np.unique(categories):
        idx = np.flatnonzero(categories == category)
        if len({datasets[i] for i in idx}) < 2:
            continue
        pairs = cKDTree(xy[idx]).query_pairs(radius, output_type="ndarray")
        # In row order (the store's: dataset, layer, feature id), so any part of the map that holds a whole
        # group of nearby points keeps the same ones as the whole store does.
        pairs = pairs[np.lexsort((pairs[:, 1], pairs[:, 0]))] if len(pairs) else pairs
        for a, b in idx[pairs] if len(pairs) else []:
            if datasets[a] != datasets[b] and not (drop[a] or drop[b]):
                drop[b if order[datasets[b]] > order[datasets[a]] else a] = True
    return features.drop(index=rows.index[drop])


def distinct_amenity_points(features: pd.DataFrame) -> pd.DataFrame:
    """The amenities as points (``amenity_points``), each place once: what access counts, and what every count
    of amenities (the Wat is er? table, the meeting step, the profile) counts the same way.

    ``features`` should reach at least ``DUPLICATE_MARGIN_M`` beyond the area counted, so a point's twin from
    another list is seen (``amenities_in_sectors`` in zorgzaam.environment reads it so).
    """
    return amenity_points(without_duplicate_amenities(features))


#: How far beyond an area features are read so that duplicates across its border are recognised.
DUPLICATE_MARGIN_M = 10 * DUPLICATE_RADIUS_M


def has_timetable(stops: pd.DataFrame | None) -> bool:
    """Whether any regular stop has a known number of departures (a GTFS feed was imported)."""
    if stops is None or stops.empty:
        return False
    regular = stops[~stops["is_belbus"].astype(bool)]
    return bool(pd.to_numeric(regular["departures_per_hour"], errors="coerce").notna().any())


def compute_and_store_access(store: Store, dataset_id: str | None, period: str) -> AccessSummary:
    """Read layers, compute access and write the place table and its counts in one transaction.

    ``dataset_id`` names one dataset whose own layers are used (the demo). ``None`` combines every
    layer in the store, as imports bring them from separate files (a raster of residents, a GTFS
    feed, an OpenStreetMap extract, kernen and linten): the result is the derived dataset
    ``ACCESS_DATASET`` and replaces every earlier access result of the store. On any error nothing
    changes.
    """
    started = time.perf_counter()
    features = store.features(dataset_id)
    duplicates = 0
    if dataset_id is None:
        all_features = len(features)
        features = without_duplicate_amenities(features)
        duplicates = all_features - len(features)
    stops = store.stops(dataset_id)
    grid = store.grid_cells(dataset_id, layer="inwoners")
    if grid.empty:
        raise ValueError(
            f"Dataset '{dataset_id}' heeft geen hectarecellen met inwoners."
            if dataset_id
            else "Er zijn geen hectarecellen met inwoners: importeer eerst een bevolkingsraster (inwoners per ha)."
        )
    variables = (
        ["pop_total"]
        + list(AGE_GROUPS.values())
        + [p for v in AGE_GROUPS.values() for p in BUILTIN.base_counts[v].sum_of]
    )
    base_obs = store.observations(variables, [str(period)])
    parents = store.parents("statsec")
    table, obs = build_access(features, stops, grid, base_obs, str(period), parents)
    target = dataset_id or ACCESS_DATASET
    # One access result per store: the combined one replaces any other.
    store.write_access(
        target,
        table,
        obs,
        ACCESS_VARIABLES,
        combined=dataset_id is None,
        title=ACCESS_TITLE,
        source=SOURCE_ACCESS,
        period_label=str(period),
    )
    refresh_results(store)  # the access indicators join the results table before a page asks
    present = set(amenity_points(features)["category"])
    return AccessSummary(
        dataset_id=target,
        period=str(period),
        places=len(table),
        residents=float(table["residents"].sum()),
        sectors=int(table["statsec"].nunique()),
        observations=len(obs),
        seconds=time.perf_counter() - started,
        missing_categories=tuple(c for c in AMENITY_CATEGORIES if c not in present),
        duplicates=duplicates,
    )


# --- what the store holds for the computation -----------------------------------------------------

ACCESS_DATASET = "bereikbaarheid"
ACCESS_TITLE = "Bereikbaarheid per woonplaats (berekend)"


@dataclass(frozen=True)
class AccessInputs:
    """The layers a combined access computation would use, counted (for the Gegevens page and the CLI)."""

    residents_cells: int
    residents: float
    residents_sectors: int
    population_period: str | None
    amenities: dict[str, int]
    stops: int
    stops_with_frequency: int
    settlements: dict[str, int]
    computed_at: object | None  # when the stored access was computed (None: never)
    newest_import: object | None  # the newest import of anything else

    @property
    def blocking(self) -> list[str]:
        """Why the computation cannot run yet (Dutch), empty when it can."""
        out = []
        if not self.residents_cells:
            out.append("hectarecellen met inwoners (een bevolkingsraster, inwoners per ha, GeoTIFF in Lambert)")
        if self.population_period is None:
            out.append(
                "inwonersaantallen per sector (bv. Statbel OPENDATA_SECTOREN of een tabel van Provincies in Cijfers)"
            )
        return out

    @property
    def is_stale(self) -> bool:
        """Something was imported after the stored access was computed."""
        return self.computed_at is not None and self.newest_import is not None and self.newest_import > self.computed_at

    def lines(self) -> list[str]:
        """What the computation will use, in Dutch."""
        amen = ", ".join(f"{CATEGORY_LABELS[c]} {format_number(n)}" for c, n in self.amenities.items() if n)
        missing = [CATEGORY_LABELS[c] for c in AMENITY_CATEGORIES if not self.amenities.get(c)]
        out = [
            f"Woonplaatsen: {format_number(self.residents_cells)} bewoonde hectarecellen, "
            f"{format_number(self.residents)} inwoners in {format_number(self.residents_sectors)} sectoren",
            f"Inwonersaantallen (65+, 80+) per sector: periode {self.population_period or 'ontbreekt'}",
            f"Voorzieningen: {amen or 'geen'}",
            f"Bushaltes: {format_number(self.stops)} (waarvan {format_number(self.stops_with_frequency)} "
            "met een dienstregeling)",
            "Kernen, linten, verspreide bebouwing: "
            + (
                ", ".join(f"{k} {format_number(n)}" for k, n in self.settlements.items() if n)
                or "geen (elke woonplaats telt als 'elders')"
            ),
        ]
        if missing:
            out.append(f"Zonder voorzieningen van het type {', '.join(missing)}: die tellen als niet bereikbaar.")
        if self.stops and not self.stops_with_frequency:
            out.append(
                "Geen enkele halte heeft een dienstregeling (importeer de GTFS van De Lijn): hoeveel "
                "inwoners geen bus in de buurt hebben, blijft dan onbekend."
            )
        elif self.stops > self.stops_with_frequency:
            out.append("Haltes zonder dienstregeling tellen niet mee voor 'een bus binnen 400 m'.")
        return out


def access_inputs(store: Store) -> AccessInputs:
    """Count what the store holds for the combined access computation (cheap queries only)."""
    counts = store.access_input_counts()
    periods = store.periods(["pop_total"])
    amenities = {c: int(counts["amenities"].get(c, 0)) for c in AMENITY_CATEGORIES}
    names = {"kern": "kernen", "lint": "linten", "verspreid": "verspreide bebouwing"}
    settlements = {label: int(counts["settlements"].get(cat, 0)) for cat, label in names.items()}
    computed = store.imported_at(ACCESS_DATASET)
    newest = store.newest_import(ACCESS_DATASET)
    return AccessInputs(
        residents_cells=counts["cells"],
        residents=counts["residents"],
        residents_sectors=counts["sectors"],
        population_period=periods[-1] if periods else None,
        amenities=amenities,
        stops=counts["stops"],
        stops_with_frequency=counts["stops_with_frequency"],
        settlements=settlements,
        computed_at=computed,
        newest_import=newest,
    )
