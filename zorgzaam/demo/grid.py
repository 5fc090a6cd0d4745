"""The demo's hectare cells: residents per inhabited cell and a relative walkability score per cell."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import shapely

from zorgzaam.demo.geography import _Geo
from zorgzaam.demo.plan import _SPECS
from zorgzaam.demo.population import _PROFILES


def _shift(a: np.ndarray, dy: int, dx: int) -> np.ndarray:
    out = np.zeros_like(a)
    h, w = a.shape
    ys, yd = (slice(0, h - dy), slice(dy, h)) if dy >= 0 else (slice(-dy, h), slice(0, h + dy))
    xs, xd = (slice(0, w - dx), slice(dx, w)) if dx >= 0 else (slice(-dx, w), slice(0, w + dx))
    out[yd, xd] = a[ys, xs]
    return out


def _blur(a: np.ndarray, sigma: float) -> np.ndarray:
    r = int(3 * sigma)
    k = np.exp(-0.5 * (np.arange(-r, r + 1) / sigma) ** 2)
    k /= k.sum()
    tmp = sum(w * _shift(a, 0, o) for o, w in zip(range(-r, r + 1), k))
    return sum(w * _shift(tmp, o, 0) for o, w in zip(range(-r, r + 1), k))


def _within_radius(mask: np.ndarray, cells: int) -> np.ndarray:
    out = np.zeros_like(mask, dtype=bool)
    for dy in range(-cells, cells + 1):
        for dx in range(-cells, cells + 1):
            if dx * dx + dy * dy <= cells * cells:
                out |= _shift(mask, dy, dx)
    return out


def _grid(
    rng: np.random.Generator, geo: _Geo, zone, pop2025: dict[str, int], feats, stops: pd.DataFrame
) -> pd.DataFrame:
    minx, miny, maxx, maxy = zone.bounds
    x0 = math.floor(minx / 100) * 100
    y0 = math.floor(miny / 100) * 100
    nx = int(math.ceil((maxx - x0) / 100))
    ny = int(math.ceil((maxy - y0) / 100))
    gx, gy = np.meshgrid(x0 + 50 + 100 * np.arange(nx), y0 + 50 + 100 * np.arange(ny))
    fx, fy = gx.ravel().astype(float), gy.ravel().astype(float)
    sector_of = np.full(fx.shape, -1)
    for k, poly in enumerate(geo.sectors):
        bx0, by0, bx1, by1 = poly.bounds
        cand = np.flatnonzero((fx >= bx0) & (fx <= bx1) & (fy >= by0) & (fy <= by1) & (sector_of < 0))
        hit = shapely.contains_xy(poly, fx[cand], fy[cand])
        sector_of[cand[hit]] = k
    in_zone = sector_of >= 0

    kern = np.zeros(fx.shape, bool)
    for g in geo.kernen:
        kern |= shapely.contains_xy(g, fx, fy)
    points = shapely.points(fx, fy)
    lint_geoms = [f[5] for f in feats if f[2] == "lint"]
    verspreid = [f[5] for f in feats if f[2] == "verspreid"]
    lint = shapely.dwithin(points, shapely.union_all(lint_geoms), 70) if lint_geoms else np.zeros(fx.shape, bool)
    vs = shapely.dwithin(points, shapely.union_all(verspreid), 40) if verspreid else np.zeros(fx.shape, bool)
    weight = np.where(kern, 1.0, np.where(vs, 0.7, np.where(lint, 0.5, 0.02)))

    residents = np.zeros(fx.shape, dtype=np.int64)
    for k, code in enumerate(geo.sector_codes):
        total = pop2025[code]
        cells = np.flatnonzero(sector_of == k)
        if len(cells) == 0:
            raise RuntimeError(f"demo: sector {code} bevat geen hectarecel")
        if total == 0:
            continue
        dens = _PROFILES[_SPECS[code].role].dens
        n = int(np.clip(round(total / dens), 1, len(cells)))
        w = weight[cells]
        chosen = rng.choice(cells, size=n, replace=False, p=w / w.sum())
        share = weight[chosen] * rng.gamma(2.0, 1.0, n)
        residents[chosen] += rng.multinomial(total, share / share.sum())

    # Walkability, a relative 0-100 score within the demo zone (0 = least, 100 = most walkable cell):
    # 40 % residential density (smoothed residents per ha), 35 % mix of functions (share of facility
    # types within 500 m), 25 % street connectivity (road and kern density). Not the Gezond Leven score.
    shape2 = (ny, nx)
    dens = _blur(residents.reshape(shape2).astype(float), 2.0)
    types = []
    for cat in (
        "winkel",
        "bakker",
        "slager",
        "huisarts",
        "apotheek",
        "school",
        "post",
        "bank",
        "lokaal_dienstencentrum",
        "groen",
        "halte",
    ):
        if cat == "halte":
            xy = stops.loc[~stops["is_belbus"], ["x", "y"]].to_numpy()
        else:
            cats = ("voedingswinkel", "supermarkt") if cat == "winkel" else (cat,)
            xy = np.array([(f[5].centroid.x, f[5].centroid.y) for f in feats if f[2] in cats]).reshape(-1, 2)
        m = np.zeros(shape2, bool)
        if len(xy):
            ix = ((xy[:, 0] - x0) // 100).astype(int)
            iy = ((xy[:, 1] - y0) // 100).astype(int)
            ok = (ix >= 0) & (ix < nx) & (iy >= 0) & (iy < ny)
            m[iy[ok], ix[ok]] = True
        types.append(_within_radius(m, 5))
    mix = np.mean(types, axis=0)
    road_hits = np.zeros(shape2)
    for line in [r["line"] for r in geo.roads] + lint_geoms:
        d = np.arange(0, line.length, 25.0)
        p = shapely.line_interpolate_point(line, d)
        ix = ((shapely.get_x(p) - x0) // 100).astype(int)
        iy = ((shapely.get_y(p) - y0) // 100).astype(int)
        ok = (ix >= 0) & (ix < nx) & (iy >= 0) & (iy < ny)
        np.add.at(road_hits, (iy[ok], ix[ok]), 1.0)
    conn = _blur(road_hits, 3.0) + 1.5 * _blur(kern.reshape(shape2).astype(float), 2.0)

    def norm(a: np.ndarray) -> np.ndarray:
        top = np.percentile(a.ravel()[in_zone], 99)
        return np.clip(a.ravel() / top, 0, 1) if top > 0 else np.zeros(a.size)

    raw = 0.40 * norm(dens) + 0.35 * norm(mix) + 0.25 * norm(conn)
    raw = raw + rng.normal(0, 0.01, raw.shape)
    lo, hi = raw[in_zone].min(), raw[in_zone].max()
    walk = np.round(100 * (raw - lo) / (hi - lo), 1)

    codes = np.array(geo.sector_codes, dtype=object)
    inhabited = np.flatnonzero(residents > 0)
    zone_cells = np.flatnonzero(in_zone)
    frame = pd.concat(
        [
            pd.DataFrame(
                {
                    "layer": "inwoners",
                    "x": fx[inhabited],
                    "y": fy[inhabited],
                    "value": residents[inhabited].astype(float),
                    "statsec": codes[sector_of[inhabited]],
                }
            ),
            pd.DataFrame(
                {
                    "layer": "walkability",
                    "x": fx[zone_cells],
                    "y": fy[zone_cells],
                    "value": walk[zone_cells],
                    "statsec": codes[sector_of[zone_cells]],
                }
            ),
        ],
        ignore_index=True,
    )
    frame["value"] = frame["value"].astype("Float64")
    return frame
