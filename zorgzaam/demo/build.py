"""Assembling the demo: ``build_demo`` (pure, deterministic) into DemoData, ``install_demo`` into a store."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import shapely

from zorgzaam.access import build_access
from zorgzaam.demo.cube import CUBE_VARIABLES, _cube_counts
from zorgzaam.demo.geography import _build_geography, _compass, _group_wijken, _sector_adjacency
from zorgzaam.demo.grid import _grid
from zorgzaam.demo.plan import (
    DEMO_DATASET_ID,
    DEMO_ELZ_CODE,
    DEMO_ELZ_NAME,
    DEMO_PERIOD_LABEL,
    DEMO_PERIODS,
    DEMO_TITLE,
    MUNICIPALITIES,
    PLAN,
    PROVINCE_CODE,
    PROVINCE_NAME,
    REGION_CODE,
    REGION_NAME,
    SMALL_RURAL_SECTORS,
    SMALL_SECTOR_HIDDEN,
    TINY_SECTOR,
    WZC_SECTOR,
    _RING_NAMES,
    _RURAL_NAMES,
    _SPECS,
)
from zorgzaam.demo.population import (
    _PROFILES,
    _REFERENCE,
    _derive,
    _profile_rates,
    _reference_counts,
    _sector_population,
)
from zorgzaam.demo.spatial import _spatial_features, _stops
from zorgzaam.demo_source import DEMO_SOURCE
from zorgzaam.engine import refresh_results
from zorgzaam.geometry import display_wkb, lambert_to_wgs84

HIDDEN = "verborgen"

_OBS_COLUMNS = ["area_level", "area_code", "variable", "period", "value", "status"]


@dataclass
class DemoData:
    areas: pd.DataFrame  # level, code, name, area_ha, geom_lambert, geom_display
    area_parents: pd.DataFrame  # level, code, parent_level, parent_code
    observations: pd.DataFrame  # area_level, area_code, variable, period, value, status
    features: pd.DataFrame  # layer, feature_id, category, name, properties, geom_lambert, geom_display
    stops: pd.DataFrame  # stop_id, name, departures_per_hour, is_belbus, x, y, lon, lat
    grid_cells: pd.DataFrame  # layer, x, y, value, statsec
    truth: pd.DataFrame  # sector observations before suppression (all status "ok")
    sector_roles: dict[str, str] = field(default_factory=dict)  # sector code -> role (centrum, landelijk ...)
    # Population cube (variables kubus|sex|age|position, see zorgzaam/cube.py), kept apart from the base counts
    # above: ``cube`` as stored (sectors, TINY_SECTOR hidden, and municipal totals), ``cube_truth`` the
    # sector cells before suppression. install_demo writes observations and cube together.
    cube: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=_OBS_COLUMNS))
    cube_truth: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=_OBS_COLUMNS))


def _hectare(area_m2: float) -> float:
    return round(area_m2 / 10_000.0, 2)


_to_wgs84 = lambert_to_wgs84
_display = display_wkb


def build_demo(seed: int = 2026) -> DemoData:
    """The demo zone Heidekempen: areas, parents, observations, spatial layers (deterministic)."""
    # A sixth child leaves the first five (and so every earlier output) unchanged.
    streams = [np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(6)]
    rng_geo, rng_pop, rng_feat, rng_grid, rng_names, rng_cube = streams
    geo = _build_geography(rng_geo)
    codes = geo.sector_codes
    zone = shapely.coverage_union_all(geo.sectors)

    # Names: fixed ones from the plan, others from the pools (unique within a municipality).
    names: list[str] = []
    used: dict[str, set[str]] = {nis: set() for nis in MUNICIPALITIES}
    rural = list(_RURAL_NAMES)
    ring = list(_RING_NAMES)
    rng_names.shuffle(rural)
    rng_names.shuffle(ring)
    road_names: dict[tuple[str, str], int] = {}
    for k, code in enumerate(codes):
        spec = _SPECS[code]
        v_idx = geo.sector_village[k]
        village = PLAN[v_idx]
        if spec.name:
            name = spec.name
        elif spec.role == "dorpskern":
            name = f"{village.name}-Centrum"
        elif spec.role == "lint":
            # Named after the road towards the nearest other village.
            sx, sy = geo.sector_seed_xy[k]
            d = np.hypot(geo.village_xy[:, 0] - sx, geo.village_xy[:, 1] - sy)
            d[v_idx] = np.inf
            target = PLAN[int(np.argmin(d))].name
            n = road_names.get((spec.nis, target), 0)
            road_names[(spec.nis, target)] = n + 1
            name = (f"{target}seweg", f"Steenweg op {target}", f"{target}sebaan")[n % 3]
        elif spec.role == "dorp":
            name = next(n for n in ring if n not in used[spec.nis])
        else:
            name = next(n for n in rural if all(n not in u for u in used.values()))
        if name in used[spec.nis]:
            name = f"{name} ({village.name})"
        used[spec.nis].add(name)
        names.append(name)

    # Population and base counts.
    truth_rows = []
    cube_keys: list[tuple[str, str]] = []
    cube_values: list[np.ndarray] = []
    pop2025: dict[str, int] = {}
    for k, code in enumerate(codes):
        spec = _SPECS[code]
        village = PLAN[geo.sector_village[k]]
        per = _sector_population(rng_pop, spec, village)
        for period, (pop, coll, social) in per.items():
            rates = _profile_rates(_PROFILES[spec.role], period, spec.nis)
            rates["social_dwellings"] = social
            drawn: dict = {}
            counts = _derive(pop, coll, rates, rng_pop.binomial, drawn)
            if period == DEMO_PERIODS[-1]:
                pop2025[code] = counts["pop_total"]
            truth_rows += [("statsec", code, var, period, float(val), "ok") for var, val in counts.items()]
            cube_keys.append((code, period))
            cube_values.append(_cube_counts(rng_cube, pop, coll, drawn["alone"], _PROFILES[spec.role], period).ravel())
    truth = pd.DataFrame(truth_rows, columns=_OBS_COLUMNS)
    truth["value"] = truth["value"].astype("Float64")
    n_cells = len(CUBE_VARIABLES)
    cube_truth = pd.DataFrame(
        {
            "area_level": "statsec",
            "area_code": np.repeat([c for c, _ in cube_keys], n_cells),
            "variable": np.tile(np.array(CUBE_VARIABLES, dtype=object), len(cube_keys)),
            "period": np.repeat([p for _, p in cube_keys], n_cells),
            "value": pd.array(np.concatenate(cube_values).astype(float), dtype="Float64"),
            "status": "ok",
        }
    )

    obs = truth.copy()
    hide = (obs["area_code"] == TINY_SECTOR) & (obs["variable"] != "pop_total")
    hide |= obs["area_code"].isin(SMALL_RURAL_SECTORS) & obs["variable"].isin(SMALL_SECTOR_HIDDEN)
    obs.loc[hide, "value"] = pd.NA
    obs.loc[hide, "status"] = HIDDEN

    muni_of = {c: c[:5] for c in codes}
    gem = truth.assign(area_code=truth["area_code"].map(muni_of), area_level="gemeente")
    gem = gem.groupby(["area_level", "area_code", "variable", "period"], sort=False, as_index=False)["value"].sum()
    gem["status"] = "ok"
    ref_rows = []
    for level, code in _REFERENCE:
        for period, counts in _reference_counts(level, code).items():
            ref_rows += [(level, code, var, period, float(val), "ok") for var, val in counts.items()]
    ref = pd.DataFrame(ref_rows, columns=_OBS_COLUMNS)
    ref["value"] = ref["value"].astype("Float64")
    observations = pd.concat([obs, gem[_OBS_COLUMNS], ref], ignore_index=True)
    observations["value"] = observations["value"].astype("Float64")

    # The cube: the tiny sector hidden like its base counts, municipal totals (including it),
    # nothing for the reference levels.
    cube_obs = cube_truth.copy()
    hide = cube_obs["area_code"] == TINY_SECTOR
    cube_obs.loc[hide, "value"] = pd.NA
    cube_obs.loc[hide, "status"] = HIDDEN
    cube_gem = cube_truth.assign(area_code=cube_truth["area_code"].map(muni_of), area_level="gemeente")
    cube_gem = cube_gem.groupby(["area_level", "area_code", "variable", "period"], sort=False, as_index=False)[
        "value"
    ].sum()
    cube_gem["status"] = "ok"
    cube = pd.concat([cube_obs, cube_gem[_OBS_COLUMNS]], ignore_index=True)
    cube["value"] = cube["value"].astype("Float64")

    # Area hierarchy: deelgemeenten, wijken, municipalities, zone.
    adj = _sector_adjacency(geo)
    centroids = np.array([(p.centroid.x, p.centroid.y) for p in geo.sectors])
    area_rows: list[tuple[str, str, str, shapely.Geometry | None]] = []
    parent_rows: list[tuple[str, str, str, str]] = []
    top = [("elz", DEMO_ELZ_CODE), ("provincie", PROVINCE_CODE), ("gewest", REGION_CODE)]
    sector_wijk: dict[int, str] = {}
    for nis, muni_name in MUNICIPALITIES.items():
        wijk_no = 0
        wijk_names: set[str] = set()
        for j, v in enumerate(PLAN):
            if v.nis != nis:
                continue
            members = [k for k in range(len(codes)) if geo.sector_village[k] == j]
            groups = _group_wijken(members, adj, centroids, members[0])
            for g in groups:
                wijk_no += 1
                wcode = f"{nis}W{wijk_no:02d}"
                geom = shapely.coverage_union_all(geo.sectors[g])
                if members[0] in g and len(groups) > 1:
                    wname = f"{v.name}-Centrum"
                elif len(groups) == 1:
                    wname = v.name
                else:
                    c = geom.centroid
                    wname = f"{v.name}-{_compass(c.x - geo.village_xy[j, 0], c.y - geo.village_xy[j, 1])}"
                if wname in wijk_names:
                    wname = f"{wname} ({names[g[0]]})"
                wijk_names.add(wname)
                area_rows.append(("wijk", wcode, wname, geom))
                for k in g:
                    sector_wijk[k] = wcode
            dg_name = f"{v.name} (Dg.)" if v.name == muni_name else v.name
            area_rows.append(
                ("deelgemeente", f"{nis}{v.letter}", dg_name, shapely.coverage_union_all(geo.sectors[members]))
            )
        muni_members = [k for k in range(len(codes)) if codes[k].startswith(nis)]
        area_rows.append(("gemeente", nis, muni_name, shapely.coverage_union_all(geo.sectors[muni_members])))
    area_rows.append(("elz", DEMO_ELZ_CODE, DEMO_ELZ_NAME, zone))
    for k, code in enumerate(codes):
        area_rows.append(("statsec", code, names[k], geo.sectors[k]))
        for pl, pc in [("wijk", sector_wijk[k]), ("deelgemeente", code[:6]), ("gemeente", code[:5])] + top:
            parent_rows.append(("statsec", code, pl, pc))
    for level, code, _, _ in area_rows:
        if level in ("wijk", "deelgemeente"):
            parent_rows += [(level, code, "gemeente", code[:5])] + [(level, code, pl, pc) for pl, pc in top]
        elif level == "gemeente":
            parent_rows += [(level, code, pl, pc) for pl, pc in top]
    parent_rows += [
        ("elz", DEMO_ELZ_CODE, "provincie", PROVINCE_CODE),
        ("elz", DEMO_ELZ_CODE, "gewest", REGION_CODE),
        ("provincie", PROVINCE_CODE, "gewest", REGION_CODE),
    ]

    order = {"statsec": 0, "wijk": 1, "deelgemeente": 2, "gemeente": 3, "elz": 4}
    area_rows.sort(key=lambda r: (order[r[0]], r[1]))
    display: list = []
    for level in order:
        geoms = [r[3] for r in area_rows if r[0] == level]
        display += _display(geoms, coverage=level != "elz")
    areas = pd.DataFrame(
        {
            "level": [r[0] for r in area_rows],
            "code": [r[1] for r in area_rows],
            "name": [r[2] for r in area_rows],
            "area_ha": [_hectare(r[3].area) for r in area_rows],
            "geom_lambert": list(shapely.to_wkb(np.array([r[3] for r in area_rows], dtype=object))),
            "geom_display": display,
        }
    )
    # Reference levels: no geometry; approximate real areas (ha) for densities.
    refs = pd.DataFrame(
        {
            "level": ["provincie", "gewest"],
            "code": [PROVINCE_CODE, REGION_CODE],
            "name": [PROVINCE_NAME, REGION_NAME],
            "area_ha": [287_600.0, 1_362_500.0],
            "geom_lambert": [None, None],
            "geom_display": [None, None],
        }
    )
    areas = pd.concat([areas, refs], ignore_index=True)
    areas["area_ha"] = areas["area_ha"].astype("Float64")
    area_parents = pd.DataFrame(parent_rows, columns=["level", "code", "parent_level", "parent_code"])

    # Spatial layers.
    wzc_xy = geo.pts[geo.sector_seed_atom[codes.index(WZC_SECTOR)]]
    feats = _spatial_features(rng_feat, geo, zone, names, wzc_xy)
    geoms = np.array([f[5] for f in feats], dtype=object)
    features = pd.DataFrame(
        {
            "layer": [f[0] for f in feats],
            "feature_id": [f[1] for f in feats],
            "category": [f[2] for f in feats],
            "name": [f[3] for f in feats],
            "properties": [json.dumps(f[4], ensure_ascii=False) for f in feats],
            "geom_lambert": list(shapely.to_wkb(geoms)),
            "geom_display": list(shapely.to_wkb(_to_wgs84(shapely.simplify(geoms, 5.0, preserve_topology=True)))),
        }
    )
    stops = _stops(geo, zone)
    grid = _grid(rng_grid, geo, zone, pop2025, feats, stops)
    return DemoData(
        areas=areas,
        area_parents=area_parents,
        observations=observations,
        features=features,
        stops=stops,
        grid_cells=grid,
        truth=truth,
        sector_roles={c: _SPECS[c].role for c in codes},
        cube=cube,
        cube_truth=cube_truth,
    )


def install_demo(store, seed: int = 2026) -> None:
    """Build the demo zone and write it to ``store`` as dataset ``demo`` (replacing an earlier demo).

    Access to amenities and buses (access.py) is computed for the latest period and written in the
    same transaction as the rest of the dataset.
    """
    data = build_demo(seed)
    parents = (
        data.area_parents[data.area_parents["level"] == "statsec"]
        .pivot(index="code", columns="parent_level", values="parent_code")
        .reset_index()
    )
    place_access, access_obs = build_access(
        data.features, data.stops, data.grid_cells, data.observations, DEMO_PERIODS[-1], parents
    )
    store.replace_dataset(
        DEMO_DATASET_ID,
        title=DEMO_TITLE,
        source=DEMO_SOURCE,
        period_label=DEMO_PERIOD_LABEL,
        is_demo=True,
        areas=data.areas,
        area_parents=data.area_parents,
        observations=pd.concat([data.observations, data.cube, access_obs], ignore_index=True),
        features=data.features,
        stops=data.stops,
        grid_cells=data.grid_cells,
        place_access=place_access,
    )
    refresh_results(store)  # the demo's figures are ready before the first page asks
