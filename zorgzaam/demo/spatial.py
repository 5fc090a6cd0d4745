"""The demo's spatial layers: settlement type (kernen, linten, verspreide bebouwing), voorzieningen, bus stops."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import shapely
from pyproj import Transformer
from shapely import ops

from zorgzaam.access import AMENITY_CATEGORIES
from zorgzaam.demo.geography import _Geo, _nearest
from zorgzaam.demo.numeric import _blob
from zorgzaam.demo.plan import PLAN, _SPECS
from zorgzaam.demo_source import DEMO_SOURCE

_TO_WGS84_POINTS = Transformer.from_crs(31370, 4326, always_xy=True)

# Facility categories of the "voorziening" layer (groen = small park polygons, the rest points): the
# amenity categories access.py measures, in its order.
VOORZIENING_CATEGORIES: tuple[str, ...] = AMENITY_CATEGORIES

_SURNAMES = (
    "Peeters",
    "Janssens",
    "Maes",
    "Jacobs",
    "Mertens",
    "Willems",
    "Claes",
    "Goossens",
    "Wouters",
    "Verheyen",
    "Geerts",
    "Luyten",
    "Vermeulen",
    "Van Gool",
    "Aerts",
    "Smets",
    "Michiels",
    "Hermans",
)
_NAME_POOLS = {
    "supermarkt": ("Kempenmarkt {v}", "Buurtsuper De Heide", "Versmarkt {v}", "Supermarkt Den Akker"),
    "voedingswinkel": (
        "Buurtwinkel 't Hoekske",
        "Dorpswinkel {v}",
        "Nachtwinkel Stationsstraat",
        "Kruidenier {s}",
        "Buurtwinkel De Kapel",
    ),
    "bakker": (
        "Bakkerij De Korenbloem",
        "Bakkerij De Molen",
        "Bakkerij 't Kempisch Brood",
        "Bakkerij {s}",
        "Warme Bakker {s}",
    ),
    "slager": ("Slagerij {s}", "Beenhouwerij {s}", "Slagerij De Kempen"),
    "huisarts": ("Huisartsenpraktijk {sector}", "Groepspraktijk {v}", "Dokter {s}"),
    "apotheek": ("Apotheek {v}", "Apotheek De Linde", "Apotheek {s}", "Apotheek Markt"),
    "school": (
        "Basisschool De Klimop",
        "Sint-Jozefschool",
        "GO! Basisschool {v}",
        "Vrije Basisschool {v}",
        "Sint-Victorinstituut",
        "Gemeentelijke Basisschool {v}",
    ),
    "post": ("Postpunt {v}", "Postkantoor {v}"),
    "bank": ("Bankkantoor {v}", "Bankautomaat {v}"),
    "lokaal_dienstencentrum": ("Lokaal dienstencentrum Den Eekhof", "Lokaal dienstencentrum De Vlasbloem"),
    "openbaar_toilet": ("Openbaar toilet {sector}", "Openbaar toilet {v}"),
    "zitbank": ("Zitbank",),
    "groen": ("Stadspark {v}", "Dorpsplein {v}", "Pastorijtuin {v}", "Speelbos {v}", "Parkje {sector}"),
}
# Facilities per village kind: category -> (count or (chance, count)).
_KIND_FACILITIES = {
    "town": {
        "supermarkt": 3,
        "voedingswinkel": 3,
        "bakker": 4,
        "slager": 2,
        "huisarts": 6,
        "apotheek": 4,
        "school": 5,
        "post": 1,
        "bank": 2,
        "lokaal_dienstencentrum": 1,
        "zitbank": 14,
        "openbaar_toilet": 2,
        "groen": 3,
    },
    "main": {
        "supermarkt": 1,
        "bakker": (1.0, 1),
        "slager": (0.6, 1),
        "voedingswinkel": (0.5, 1),
        "huisarts": 2,
        "apotheek": 1,
        "school": 2,
        "post": 1,
        "bank": (0.5, 1),
        "zitbank": 5,
        "groen": 1,
    },
    "secondary": {
        "school": 1,
        "bakker": (0.5, 1),
        "voedingswinkel": (0.5, 1),
        "huisarts": (0.4, 1),
        "apotheek": (0.2, 1),
        "zitbank": 2,
        "groen": (0.3, 1),
    },
}


def _point_in(rng, poly, cx: float, cy: float, sigma: float) -> shapely.Point:
    for _ in range(60):
        x, y = rng.normal(cx, sigma), rng.normal(cy, sigma)
        if poly.contains(shapely.Point(x, y)):
            return shapely.Point(x, y)
    return shapely.Point(cx, cy)


def _spatial_features(
    rng: np.random.Generator, geo: _Geo, zone, sector_names: list[str], wzc_xy
) -> list[tuple[str, str, str, str | None, dict, shapely.Geometry]]:
    feats: list[tuple[str, str, str, str | None, dict, shapely.Geometry]] = []
    src = {"bron": DEMO_SOURCE}
    tree = shapely.STRtree(geo.sectors)

    def sector_name(p) -> str:
        hit = tree.query(p, predicate="within")
        return sector_names[int(hit[0])] if len(hit) else ""

    # Settlement type: kernen, linten, verspreide bebouwing.
    for j, (v, kern) in enumerate(zip(PLAN, geo.kernen)):
        feats.append(
            ("nederzetting", f"demo-kern-{j + 1:02d}", "kern", f"Kern {v.name}", {**src, "dorp": v.name}, kern)
        )
    kern_union = shapely.union_all(geo.kernen)
    lint_lines = []
    for r in geo.roads:
        line = r["line"]
        L = line.length
        pieces = []
        for end in ("a", "b"):
            v = PLAN[r[end]]
            start = v.kern_radius * 0.9
            length = rng.uniform(600, 1700)
            if start + length > L / 2:
                length = max(0.0, L / 2 - start - 100)
            if length > 200:
                pieces.append((start, start + length) if end == "a" else (L - start - length, L - start))
        if L > 4500:
            m = L / 2 + rng.uniform(-400, 400)
            half = rng.uniform(250, 500)
            pieces.append((m - half, m + half))
        for s0, s1 in pieces:
            seg = shapely.intersection(shapely.difference(ops.substring(line, s0, s1), kern_union), zone)
            for part in shapely.get_parts(seg):
                if part.geom_type == "LineString" and part.length > 150:
                    lint_lines.append(part)
    for k, line in enumerate(lint_lines):
        feats.append(("nederzetting", f"demo-lint-{k + 1:03d}", "lint", None, dict(src), line))
    road_union = shapely.union_all([r["line"] for r in geo.roads])
    blobs = []
    for k, code in enumerate(geo.sector_codes):
        if _SPECS[code].place == "land":
            x, y = geo.sector_seed_xy[k]
            blobs.append(_blob(rng, x, y, rng.uniform(90, 170), wobble=0.35, n=24))
    minx, miny, maxx, maxy = zone.bounds
    tries = 0
    while len(blobs) < 110 and tries < 2000:
        tries += 1
        p = shapely.Point(rng.uniform(minx, maxx), rng.uniform(miny, maxy))
        if not zone.contains(p) or kern_union.distance(p) < 500 or road_union.distance(p) < 250:
            continue
        if any(b.centroid.distance(p) < 450 for b in blobs):
            continue
        blobs.append(_blob(rng, p.x, p.y, rng.uniform(60, 140), wobble=0.35, n=24))
    n_vs = 0
    for b in blobs:
        b = shapely.intersection(shapely.difference(b, kern_union), zone)
        if b.is_empty or b.area < 3000:
            continue
        if b.geom_type != "Polygon":
            b = max(shapely.get_parts(b), key=lambda g: g.area)
        n_vs += 1
        feats.append(("nederzetting", f"demo-verspreid-{n_vs:03d}", "verspreid", None, dict(src), b))

    # Voorzieningen.
    counters: dict[str, int] = {}
    bench_no: dict[str, int] = {}
    used_names: set[str] = set()

    def add(category: str, geom, village: str, extra: dict | None = None, name: str | None = None) -> None:
        counters[category] = counters.get(category, 0) + 1
        if name is None:
            pool = _NAME_POOLS[category]
            for _ in range(12):
                tmpl = pool[int(rng.integers(len(pool)))]
                name = tmpl.format(
                    v=village,
                    s=_SURNAMES[int(rng.integers(len(_SURNAMES)))],
                    sector=sector_name(geom.centroid) or village,
                )
                if category == "zitbank" or name not in used_names:
                    break
            k = 2
            while name in used_names and category != "zitbank":
                name = f"{name.rsplit(' (', 1)[0]} ({k})"
                k += 1
            if category == "zitbank":
                bench_no[village] = bench_no.get(village, 0) + 1
                name = f"Zitbank {village} {bench_no[village]}"
        used_names.add(name)
        feats.append(
            (
                "voorziening",
                f"demo-{category}-{counters[category]:03d}",
                category,
                name,
                {**src, "dorp": village, **(extra or {})},
                geom,
            )
        )

    for j, (v, kern) in enumerate(zip(PLAN, geo.kernen)):
        cx, cy = geo.village_xy[j]
        wanted = dict(_KIND_FACILITIES[v.kind])
        if v.kind == "main" and v.nis == "13092":
            wanted["lokaal_dienstencentrum"] = 1  # the only one outside the town
            wanted["bank"] = 1
        if v.kind == "main" and v.nis == "13093":
            wanted["openbaar_toilet"] = 1
        for category, spec in wanted.items():
            if isinstance(spec, tuple):
                chance, count = spec
                count = count if rng.random() < chance else 0
            else:
                count = spec
            for _ in range(count):
                sigma = 0.35 * v.kern_radius
                if category == "groen":
                    p = _point_in(rng, kern, cx, cy, sigma)
                    g = shapely.intersection(_blob(rng, p.x, p.y, rng.uniform(40, 110), n=20), kern)
                    if g.is_empty or g.geom_type != "Polygon":
                        continue
                    add(category, g, v.name)
                else:
                    add(category, _point_in(rng, kern, cx, cy, sigma), v.name)
    add("woonzorgcentrum", shapely.Point(*wzc_xy), PLAN[0].name, {"bedden": 118}, name="Woonzorgcentrum Ter Heide")
    # A few benches along the roads in the open countryside.
    n_bench = 0
    for r in geo.roads:
        if n_bench >= 12:
            break
        p = r["line"].interpolate(r["line"].length * rng.uniform(0.3, 0.7))
        if zone.contains(p) and kern_union.distance(p) > 300:
            n_bench += 1
            add("zitbank", p, PLAN[r["a"]].name, {"omgeving": "buitengebied"})
    return feats


def _stops(geo: _Geo, zone) -> pd.DataFrame:
    rows = []
    used: set[str] = set()
    town = 0
    town_xy = geo.village_xy[town]
    kern_streets = (
        "Markt",
        "Kerk",
        "Dorp",
        "Gemeentehuis",
        "Station",
        "Pastorij",
        "Kapel",
        "Schoolstraat",
        "Molenstraat",
        "Lindeplein",
        "Kloosterstraat",
        "Statiestraat",
    )
    out_streets = (
        "Kruispunt",
        "Heide",
        "Molen",
        "Brug",
        "Kapelletje",
        "Hoeve",
        "Bos",
        "Ven",
        "Dreef",
        "Zandweg",
        "Goor",
        "Berg",
        "Hoek",
        "Kiosk",
    )
    placed: list[tuple[float, float]] = []
    village_of_atom = geo.atom_village

    def village_at(x: float, y: float) -> int:
        return int(village_of_atom[_nearest(geo.pts, x, y)])

    def name_for(v: int, in_kern: bool) -> str:
        pool = kern_streets if in_kern else out_streets
        for s in pool:
            n = f"{PLAN[v].name} {s}"
            if n not in used:
                return n
        k = 2
        while f"{PLAN[v].name} {pool[0]} {k}" in used:
            k += 1
        return f"{PLAN[v].name} {pool[0]} {k}"

    order = sorted(
        range(len(geo.roads)), key=lambda i: ("hoofd", "streek", "lokaal", "belbus").index(geo.roads[i]["kind"])
    )
    for i in order:
        r = geo.roads[i]
        line = r["line"]
        n = max(2, int(line.length // (1500 if r["kind"] == "belbus" else 800)))
        for d in np.linspace(120, line.length - 120, n):
            p = line.interpolate(float(d))
            if not zone.contains(p) or any(math.hypot(p.x - a, p.y - b) < 300 for a, b in placed):
                continue
            v = village_at(p.x, p.y)
            in_kern = geo.kernen[v].contains(p)
            belbus = r["kind"] == "belbus"
            freq = r["freq"]
            if in_kern and v == town:
                dist = math.hypot(p.x - town_xy[0], p.y - town_xy[1])
                freq = float(np.clip(round(2 * (8 - 4 * dist / PLAN[town].kern_radius)) / 2, 4, 8))
                belbus = False
            elif in_kern and PLAN[v].kind == "main" and not belbus:
                freq = max(freq, 1.0)
            name = name_for(v, in_kern)
            used.add(name)
            placed.append((p.x, p.y))
            rows.append((name, None if belbus else freq, belbus, p.x, p.y))
    # The town's central stop.
    rows.insert(0, (f"{PLAN[town].name} Busstation", 8.0, False, float(town_xy[0]) + 60, float(town_xy[1]) - 40))
    frame = pd.DataFrame(rows, columns=["name", "departures_per_hour", "is_belbus", "x", "y"])
    frame["name"] = frame["name"].where(~frame["name"].duplicated(), frame["name"] + " (2)")
    frame.insert(0, "stop_id", [f"demo-{k + 1:04d}" for k in range(len(frame))])
    frame["departures_per_hour"] = frame["departures_per_hour"].astype("Float64")
    lon, lat = _TO_WGS84_POINTS.transform(frame["x"].to_numpy(), frame["y"].to_numpy())
    frame["lon"], frame["lat"] = lon, lat
    return frame
