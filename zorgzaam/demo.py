"""A deterministic, fictional demo care zone: eerstelijnszone "Heidekempen".

Five invented municipalities (NIS 13091-13095, codes that do not exist in
reality) in the Kempen, with deelgemeenten, wijken and 112 statistical
sectors, two periods of base counts, and the spatial layers of the ruimtelijke
omgevingsanalyse (kernen/linten/verspreide bebouwing, voorzieningen, bus
stops, hectare cells). Everything is invented, but shaped like a real zone:
a young town centre, ageing rural sectors, ribbon villages, a woonzorgcentrum,
a social housing estate, a new verkaveling and a tiny industrial sector whose
figures are hidden.

``build_demo(seed)`` is pure and deterministic (one numpy ``SeedSequence``,
no clock or hash randomness); ``install_demo(store)`` writes it as the
dataset ``demo``.

How it is built:

* Geometry. A few thousand random "atoms" (Voronoi cells, denser in the town
  and village centres) cover the zone; each atom goes to the nearest village
  (weighted, with a smooth noise so borders meander), which gives the
  municipalities and deelgemeenten; inside a deelgemeente, atoms go to the
  nearest sector seed. Every area is therefore a union of whole atoms, so
  sectors tile the zone exactly, without gaps or overlaps.
* Population. Per sector a sex x 5-year-band population for 2020, aged to
  2025 with survival, births and migration per sector type. Every base count
  is derived from that table, so the counts are mutually consistent.
* Population cube (sex x 20-year band x LIPRO household position, see
  cube.py): living alone and collective households are the very residents
  counted in the base counts; the other private residents are spread over
  the remaining positions by age and sex, from a random stream of its own.
* Sector codes, names of special sectors and the sector plan do not depend on
  the seed; only shapes and numbers do.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import shapely
from pyproj import Transformer
from shapely import affinity, ops

from .catalogue import BUILTIN
from .cube import CUBE_AGE_BANDS, CUBE_POSITIONS, cube_variables
from .demo_source import DEMO_SOURCE
from .geometry import display_wkb, lambert_to_wgs84

DEMO_DATASET_ID = "demo"
DEMO_ELZ_CODE = "elz80"
DEMO_ELZ_NAME = "Heidekempen"
DEMO_PERIODS = ("2020", "2025")
DEMO_TITLE = "Demozone Heidekempen (fictief)"
DEMO_PERIOD_LABEL = "2020 en 2025"

PROVINCE_CODE = "10000"
PROVINCE_NAME = "Provincie Antwerpen"
REGION_CODE = "2000"  # the Provincies in Cijfers code (Statbel writes 02000)
REGION_NAME = "Vlaanderen"

# Every demo geometry lies inside these Lambert 72 bounds (xmin, ymin, xmax, ymax).
LAMBERT_BOUNDS = (195000.0, 205000.0, 225000.0, 228000.0)

MUNICIPALITIES: dict[str, str] = {
    "13091": "Heidebeek",
    "13092": "Kempdonk",
    "13093": "Brembos",
    "13094": "Aardelo",
    "13095": "Vennebroek",
}
TOWN_CODE = "13091"

# Special sectors (fixed by the plan below, whatever the seed).
TOWN_CENTRE_SECTORS = ("13091A00-", "13091A01-", "13091A02-")  # young town centre
WZC_SECTOR = "13091A03-"  # "Ter Heide", with the woonzorgcentrum: highest % 80+
SOCIAL_HOUSING_SECTOR = "13091A08-"  # "De Vlasbloem", social housing estate
TINY_SECTOR = "13091A14-"  # "Industriezone De Vaart": ~12 inhabitants, all but pop_total hidden
VERKAVELING_SECTOR = "13092A03-"  # "Zonneveld", a new housing development that grew a lot
# Small rural sectors (< 150 inhabitants): only antidepressants and chronic status hidden.
SMALL_RURAL_SECTORS = ("13091C03-", "13092C04-")
# Base counts hidden in the small rural sectors.
SMALL_SECTOR_HIDDEN = ("insured_antidepressants", "insured_chronic")

HIDDEN = "verborgen"

# Base counts stored for sectors and municipalities: all except the derived ones.
STORED_COUNTS: tuple[str, ...] = tuple(code for code, b in BUILTIN.base_counts.items() if not b.sum_of)

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
    # Population cube (variables kubus|sex|age|position, see cube.py), kept apart from the base counts
    # above: ``cube`` as stored (sectors, TINY_SECTOR hidden, and municipal totals), ``cube_truth`` the
    # sector cells before suppression. install_demo writes observations and cube together.
    cube: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=_OBS_COLUMNS))
    cube_truth: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=_OBS_COLUMNS))


# --- the plan: villages and sectors (seed-independent) -----------------------------------


@dataclass(frozen=True)
class _SectorSpec:
    code: str
    nis: str
    letter: str
    role: str  # demographic type, see _PROFILES
    place: str  # c (centre), r1/r2 (rings in the kern), rand (edge of the kern), lint, land
    name: str | None  # fixed name, or None: chosen from the name pools


@dataclass(frozen=True)
class _Village:
    nis: str
    letter: str
    name: str
    offset: tuple[float, float]  # metres from the zone centre
    kern_radius: float
    weight: float  # > 1 = smaller territory
    kind: str  # town, main, secondary
    sectors: tuple[_SectorSpec, ...]


# (role, place, fixed name); "split" marks a pair sharing positions 7-8 (…091, …092).
_TOWN_A = (
    ("centrum", "c", "Heidebeek-Centrum"),
    ("centrum", "r1", "Stationsbuurt"),
    ("centrum", "r1", "Begijnhof"),
    ("wzc", "r1", "Ter Heide"),
    ("stad", "r1", "Kloosterhof"),
    ("stad", "r1", "Gasthuisweide"),
    ("stad", "r2", "Molenakker"),
    ("stad", "r2", "Kapelhoek"),
    ("sociale_wijk", "r2", "De Vlasbloem"),
    ("stad", "r2", "Lindenpark-Noord", "split"),
    ("stad", "r2", "Lindenpark-Zuid", "split"),
    ("stad", "r2", "Bergske"),
    ("stad", "r2", "Kruisven"),
    ("stad", "r2", "Zavelberg"),
    ("stad", "r2", "Sint-Jansveld"),
    ("industrie", "rand", "Industriezone De Vaart"),
    ("lint", "lint", None),
    ("lint", "lint", None),
    ("lint", "lint", None),
    ("landelijk", "land", None),
    ("landelijk", "land", None),
    ("landelijk", "land", None),
    ("landelijk", "land", None),
)


def _roles(
    dorp: int = 0, lint: int = 0, land: int = 0, klein: int = 0, verkaveling: bool = False, lint_split: bool = False
) -> tuple:
    out: list[tuple] = [("dorpskern", "c", None)]
    out += [("dorp", "r1", None)] * dorp
    if verkaveling:
        out.append(("verkaveling", "rand", "Zonneveld"))
    for i in range(lint):
        out.append(("lint", "lint", None, "split") if lint_split and i < 2 else ("lint", "lint", None))
    out += [("landelijk", "land", None)] * land
    out += [("klein", "land", None)] * klein
    return tuple(out)


_VILLAGES_RAW = (
    # nis, letter, name, offset from zone centre (m), kern radius (m), weight, kind, roles
    ("13091", "A", "Heidebeek", (0, 0), 1400, 1.22, "town", _TOWN_A),
    ("13091", "B", "Hulsdonk", (-800, 3100), 460, 1.30, "secondary", _roles(lint=2, land=3)),
    ("13091", "C", "Heistert", (900, -3000), 420, 1.30, "secondary", _roles(lint=1, land=1, klein=1)),
    ("13092", "A", "Kempdonk", (6400, 4300), 750, 0.90, "main", _roles(dorp=2, lint=3, land=3, verkaveling=True)),
    ("13092", "B", "Lozel", (3500, 6000), 480, 1.05, "secondary", _roles(dorp=1, lint=2, land=3)),
    ("13092", "C", "Moerhoven", (9000, 1900), 420, 1.05, "secondary", _roles(lint=1, land=2, klein=1)),
    ("13093", "A", "Brembos", (-6400, 4000), 700, 0.90, "main", _roles(dorp=3, lint=3, land=4, lint_split=True)),
    ("13093", "B", "Geestel", (-8800, 1500), 480, 1.05, "secondary", _roles(dorp=1, lint=2, land=4)),
    ("13094", "A", "Aardelo", (-6200, -4200), 700, 0.90, "main", _roles(dorp=2, lint=3, land=4)),
    ("13094", "B", "Winkelom", (-3300, -6300), 460, 1.05, "secondary", _roles(lint=2, land=3)),
    ("13094", "C", "Hoeverheide", (-9000, -1700), 420, 1.05, "secondary", _roles(lint=1, land=3)),
    ("13095", "A", "Vennebroek", (6500, -3900), 650, 0.90, "main", _roles(dorp=2, lint=3, land=4)),
    ("13095", "B", "Oostvenne", (3600, -6200), 460, 1.05, "secondary", _roles(lint=2, land=4)),
)


def _build_plan() -> tuple[_Village, ...]:
    villages = []
    for nis, letter, name, offset, radius, weight, kind, roles in _VILLAGES_RAW:
        specs = []
        number = 0
        split_part = 0
        for role_spec in roles:
            role, place, fixed = role_spec[:3]
            split = len(role_spec) > 3
            if split:
                split_part += 1
                code = f"{nis}{letter}{number:02d}{split_part}"
                if split_part == 2:
                    number += 1
                    split_part = 0
            else:
                code = f"{nis}{letter}{number:02d}-"
                number += 1
            specs.append(_SectorSpec(code, nis, letter, role, place, fixed))
        villages.append(_Village(nis, letter, name, offset, float(radius), weight, kind, tuple(specs)))
    return tuple(villages)


PLAN: tuple[_Village, ...] = _build_plan()
_SPECS: dict[str, _SectorSpec] = {s.code: s for v in PLAN for s in v.sectors}

assert len(_SPECS) == sum(len(v.sectors) for v in PLAN)
assert all(c in _SPECS for c in TOWN_CENTRE_SECTORS) and _SPECS[TOWN_CENTRE_SECTORS[0]].role == "centrum"
assert _SPECS[WZC_SECTOR].role == "wzc" and _SPECS[TINY_SECTOR].role == "industrie"
assert _SPECS[SOCIAL_HOUSING_SECTOR].role == "sociale_wijk" and _SPECS[VERKAVELING_SECTOR].role == "verkaveling"
assert all(_SPECS[c].role == "klein" for c in SMALL_RURAL_SECTORS)

RIBBON_SECTORS: tuple[str, ...] = tuple(c for c, s in _SPECS.items() if s.role == "lint")
AGEING_RURAL_SECTORS: tuple[str, ...] = tuple(c for c, s in _SPECS.items() if s.role == "landelijk")

# Invented names (collisions with real hamlets are possible and harmless).
_RING_NAMES = (
    "Kerkakker",
    "Dorpsveld",
    "Meiboom",
    "Smisveld",
    "Schoolveld",
    "Kouterken",
    "Hofke",
    "Lindeplein",
    "Kloosterveld",
    "Pastorijveld",
    "Mariaveld",
    "Hoogakker",
    "Klaproosveld",
    "Brouwershof",
)
_RURAL_NAMES = (
    "Heibloem",
    "Kievitsheide",
    "Goorhoek",
    "Vennen",
    "Rode Del",
    "Zandgoor",
    "Lange Heuvel",
    "Achterbos",
    "Dennenhoek",
    "Hamelsdonk",
    "Schuttersven",
    "Eikelaar",
    "Brand",
    "Heikant",
    "Hoogeind",
    "Laagheide",
    "Voorheide",
    "Witgoor",
    "Zwarte Brug",
    "Stokt",
    "Ekelgoor",
    "Bosbergen",
    "Meerhoeven",
    "Vossenberg",
    "Kiezelhoek",
    "Beverdonk",
    "Grootveld",
    "Kleine Aard",
    "Papenhoef",
    "Wolfsven",
    "Turfputten",
    "Berkenhof",
    "Koeberg",
    "Ginderbuiten",
    "Rietbeemden",
    "Hazendonk",
    "Schapenhoek",
    "Everbroek",
    "Moleneind",
    "Boterdijk",
    "Kromven",
    "Hulsen",
    "Lage Weyer",
    "Sterrebos",
    "Vlagberg",
    "Lozerheide",
    "Kattenhoek",
    "Gasthuisbos",
    "Heuvelke",
    "Wittebrug",
)


def _hectare(area_m2: float) -> float:
    return round(area_m2 / 10_000.0, 2)


# --- small numeric helpers ------------------------------------------------------------------


def _noise_params(rng: np.random.Generator, n_waves: int = 3) -> np.ndarray:
    """Parameters (kx, ky, phase) of a smooth field of a few plane waves (wavelength 3-9 km)."""
    angle = rng.uniform(0, 2 * math.pi, n_waves)
    k = 2 * math.pi / rng.uniform(3000, 9000, n_waves)
    return np.column_stack([k * np.cos(angle), k * np.sin(angle), rng.uniform(0, 2 * math.pi, n_waves)])


def _noise(params: np.ndarray, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    out = np.zeros_like(x, dtype=float)
    for kx, ky, ph in params:
        out += np.sin(kx * x + ky * y + ph)
    return out / math.sqrt(len(params))


def _blob(
    rng: np.random.Generator, cx: float, cy: float, radius: float, wobble: float = 0.18, n: int = 48
) -> shapely.Polygon:
    """A smooth irregular closed shape around (cx, cy)."""
    theta = np.linspace(0, 2 * math.pi, n, endpoint=False)
    r = np.ones(n)
    for k in (2, 3, 4):
        r += wobble / k * rng.uniform(0.5, 1.0) * np.cos(k * theta + rng.uniform(0, 2 * math.pi))
    return shapely.Polygon(np.column_stack([cx + radius * r * np.cos(theta), cy + radius * r * np.sin(theta)]))


def _integerize(weights: np.ndarray, total: int) -> np.ndarray:
    """Non-negative integers proportional to ``weights`` summing exactly to ``total`` (largest remainder)."""
    w = np.asarray(weights, dtype=float)
    exact = w / w.sum() * total
    base = np.floor(exact).astype(np.int64)
    rest = int(total - base.sum())
    if rest:
        order = np.argsort(-(exact - base), kind="stable")
        base[order[:rest]] += 1
    return base


# --- geometry -------------------------------------------------------------------------------

_ZONE_CENTRE = (210500.0, 216500.0)
_ZONE_RADII = (11500.0, 8800.0)
_ZONE_AREA_M2 = 300e6


@dataclass
class _Geo:
    zone_outline: shapely.Polygon
    village_xy: np.ndarray  # (n_villages, 2)
    pts: np.ndarray  # atom generator points
    atoms: np.ndarray  # Voronoi cells
    nbrs: list[list[tuple[int, float]]]
    atom_village: np.ndarray  # village index per atom
    atom_sector: np.ndarray  # sector index per atom
    sector_codes: list[str]
    sector_village: list[int]
    sector_seed_xy: np.ndarray
    sector_seed_atom: np.ndarray
    sectors: np.ndarray  # polygons, in sector_codes order
    roads: list[dict]
    kernen: list[shapely.Geometry]


def _zone_outline(rng: np.random.Generator) -> shapely.Polygon:
    cx, cy = _ZONE_CENTRE
    rx, ry = _ZONE_RADII
    theta = np.linspace(0, 2 * math.pi, 720, endpoint=False)
    wob = np.zeros_like(theta)
    for k in range(2, 7):
        wob += rng.uniform(0.3, 1.0) / k * np.cos(k * theta + rng.uniform(0, 2 * math.pi))
    wob *= 0.14 / np.abs(wob).max()
    poly = shapely.Polygon(np.column_stack([cx + rx * (1 + wob) * np.cos(theta), cy + ry * (1 + wob) * np.sin(theta)]))
    s = math.sqrt(_ZONE_AREA_M2 / poly.area)
    poly = affinity.scale(poly, s, s, origin=(cx, cy))
    # Stay 1 km inside the demo bounds (the zone is made of whole atoms, which stick out a little).
    bx0, by0, bx1, by1 = LAMBERT_BOUNDS
    x0, y0, x1, y1 = poly.bounds
    shrink = min(
        1.0,
        (cx - bx0 - 1000) / (cx - x0),
        (bx1 - 1000 - cx) / (x1 - cx),
        (cy - by0 - 1000) / (cy - y0),
        (by1 - 1000 - cy) / (y1 - cy),
    )
    return affinity.scale(poly, shrink, shrink, origin=(cx, cy))


def _village_positions(rng: np.random.Generator, outline: shapely.Polygon) -> np.ndarray:
    cx, cy = _ZONE_CENTRE
    out = []
    for v in PLAN:
        jitter = rng.normal(0, 150, 2) if v.kind != "town" else np.zeros(2)
        x, y = cx + v.offset[0] + jitter[0], cy + v.offset[1] + jitter[1]
        # Keep every village well inside the zone.
        for _ in range(40):
            p = shapely.Point(x, y)
            if outline.contains(p) and outline.exterior.distance(p) >= v.kern_radius + 1500:
                break
            x, y = cx + (x - cx) * 0.96, cy + (y - cy) * 0.96
        out.append((x, y))
    return np.array(out)


def _atoms(rng: np.random.Generator, outline: shapely.Polygon, village_xy: np.ndarray):
    minx, miny, maxx, maxy = outline.buffer(2500).bounds
    n_bg = int((maxx - minx) * (maxy - miny) / 1e6 * 9)
    bg = np.column_stack([rng.uniform(minx, maxx, n_bg), rng.uniform(miny, maxy, n_bg)])
    parts = [bg]
    for v, (vx, vy) in zip(PLAN, village_xy):
        n = int(260 * (v.kern_radius / 1000) ** 2) + 15
        parts.append(rng.normal(0, 0.6 * v.kern_radius, (n, 2)) + (vx, vy))
    pts = np.concatenate(parts)
    envelope = shapely.box(minx - 3000, miny - 3000, maxx + 3000, maxy + 3000)
    cells = shapely.get_parts(shapely.voronoi_polygons(shapely.multipoints(pts), extend_to=envelope, ordered=True))
    inside = shapely.contains_xy(outline, pts[:, 0], pts[:, 1])
    return pts[inside], cells[inside]


def _adjacency(cells: np.ndarray) -> list[list[tuple[int, float]]]:
    tree = shapely.STRtree(cells)
    i, j = tree.query(cells, predicate="intersects")
    keep = i < j
    i, j = i[keep], j[keep]
    shared = shapely.length(shapely.intersection(cells[i], cells[j]))
    keep = shared > 0.5
    nbrs: list[list[tuple[int, float]]] = [[] for _ in range(len(cells))]
    for a, b, length in zip(i[keep].tolist(), j[keep].tolist(), shared[keep].tolist()):
        nbrs[a].append((b, length))
        nbrs[b].append((a, length))
    return nbrs


def _components(members: np.ndarray, labels: np.ndarray, nbrs, lab: int) -> list[list[int]]:
    seen: set[int] = set()
    comps = []
    for start in members.tolist():
        if start in seen:
            continue
        comp = [start]
        seen.add(start)
        stack = [start]
        while stack:
            a = stack.pop()
            for b, _ in nbrs[a]:
                if b not in seen and labels[b] == lab:
                    seen.add(b)
                    comp.append(b)
                    stack.append(b)
        comps.append(comp)
    return comps


def _make_contiguous(labels: np.ndarray, nbrs, anchors: dict[int, int], parent: np.ndarray | None = None) -> np.ndarray:
    """Give every detached piece of a label to the neighbouring label it shares most boundary with.

    The piece holding the label's anchor atom stays; ``parent`` (per atom) limits the
    receiving labels to those inside the same parent area.
    """
    labels = labels.copy()
    for _ in range(100):
        changed = False
        for lab in sorted(anchors):
            members = np.flatnonzero(labels == lab)
            comps = _components(members, labels, nbrs, lab)
            if len(comps) <= 1:
                continue
            for comp in comps:
                if anchors[lab] in comp:
                    continue
                score: dict[int, float] = {}
                for a in comp:
                    for b, length in nbrs[a]:
                        lb = int(labels[b])
                        if lb != lab and (parent is None or parent[b] == parent[a]):
                            score[lb] = score.get(lb, 0.0) + length
                if score:
                    labels[comp] = max(sorted(score), key=lambda k: score[k])
                    changed = True
        if not changed:
            return labels
    raise RuntimeError("demo: gebieden konden niet aaneengesloten gemaakt worden")


def _nearest(pts: np.ndarray, x: float, y: float, among: np.ndarray | None = None) -> int:
    idx = np.arange(len(pts)) if among is None else among
    d = (pts[idx, 0] - x) ** 2 + (pts[idx, 1] - y) ** 2
    return int(idx[int(np.argmin(d))])


def _chaikin(coords: np.ndarray, rounds: int = 2) -> np.ndarray:
    for _ in range(rounds):
        q = 0.75 * coords[:-1] + 0.25 * coords[1:]
        r = 0.25 * coords[:-1] + 0.75 * coords[1:]
        mid = np.empty((2 * len(q), 2))
        mid[0::2], mid[1::2] = q, r
        coords = np.vstack([coords[:1], mid, coords[-1:]])
    return coords


def _road_network(rng: np.random.Generator, village_xy: np.ndarray) -> list[dict]:
    """Roads between villages: main lines from the town, local lines, rural links."""
    index = {(v.nis, v.letter): i for i, v in enumerate(PLAN)}
    town = index[(TOWN_CODE, "A")]
    mains = [index[(nis, "A")] for nis in MUNICIPALITIES if nis != TOWN_CODE]
    links: list[tuple[int, int, str]] = [(town, m, "hoofd") for m in mains]
    for i, v in enumerate(PLAN):
        if v.letter != "A":
            links.append((index[(v.nis, "A")], i, "streek" if v.nis == TOWN_CODE else "lokaal"))
    ring = [index[(n, "A")] for n in ("13092", "13093", "13094", "13095")]
    ring_kinds = ("belbus", "lokaal", "belbus", "lokaal")
    for k in range(4):
        links.append((ring[k], ring[(k + 1) % 4], ring_kinds[k]))
    # A belbus link from every secondary village outside the town to its nearest other village.
    linked = {(min(a, b), max(a, b)) for a, b, _ in links}
    for i, v in enumerate(PLAN):
        if v.kind != "secondary" or v.nis == TOWN_CODE:
            continue
        d = np.hypot(*(village_xy - village_xy[i]).T)
        for j in np.argsort(d, kind="stable")[1:]:
            key = (min(i, int(j)), max(i, int(j)))
            if key not in linked and PLAN[int(j)].nis != v.nis:
                links.append((i, int(j), "belbus"))
                linked.add(key)
                break
    freq = {"hoofd": (1.0, 1.5, 2.0), "streek": (1.0,), "lokaal": (0.3, 0.4, 0.5), "belbus": (None,)}
    roads = []
    for a, b, kind in links:
        pa, pb = village_xy[a], village_xy[b]
        vec = pb - pa
        length = float(np.hypot(*vec))
        normal = np.array([-vec[1], vec[0]]) / length
        ts = np.array([0.0, 0.25, 0.5, 0.75, 1.0])
        offs = np.concatenate([[0], rng.normal(0, 0.05 * length, 3), [0]])
        coords = pa + ts[:, None] * vec + offs[:, None] * normal
        line = shapely.LineString(_chaikin(coords))
        choice = freq[kind]
        roads.append(
            {
                "a": a,
                "b": b,
                "kind": kind,
                "line": line,
                "freq": choice[int(rng.integers(len(choice)))],
            }
        )
    return roads


def _place_sector_seeds(
    rng,
    v_index: int,
    village: _Village,
    vxy,
    dg_atoms: np.ndarray,
    pts: np.ndarray,
    dg_poly,
    roads: list[dict],
    claimed: set[int],
):
    """Seed point and seed atom for each sector of one deelgemeente, following its plan."""
    cx, cy = vxy
    radius = village.kern_radius
    specs = village.sectors
    seeds: list[tuple[float, float] | None] = [None] * len(specs)
    has_r2 = any(s.place == "r2" for s in specs)
    my_roads = [r for r in roads if v_index in (r["a"], r["b"])]
    road_angles = []
    for r in my_roads:
        line = r["line"]
        p = line.interpolate(radius if r["a"] == v_index else line.length - radius)
        road_angles.append(math.atan2(p.y - cy, p.x - cx))

    def ok(x: float, y: float) -> bool:
        if not dg_poly.contains(shapely.Point(x, y)):
            return False
        return all(s is None or math.hypot(x - s[0], y - s[1]) >= 280 for s in seeds)

    for i, s in enumerate(specs):
        if s.place == "c":
            seeds[i] = (cx, cy)
    for place, radius_f in (("r1", 0.45 if has_r2 else 0.62), ("r2", 0.88)):
        idx = [i for i, s in enumerate(specs) if s.place == place]
        phase = rng.uniform(0, 2 * math.pi) + (math.pi / max(len(idx), 1) if place == "r2" else 0)
        for k, i in enumerate(idx):
            a = phase + 2 * math.pi * k / len(idx) + rng.normal(0, 0.12)
            rr = radius * radius_f * rng.uniform(0.92, 1.08)
            x, y = cx + rr * math.cos(a), cy + rr * math.sin(a)
            if ok(x, y):
                seeds[i] = (x, y)
    # Edge of the kern: the industrial zone along a main road, a verkaveling in a gap between roads.
    for i, s in enumerate(specs):
        if s.place != "rand":
            continue
        if s.role == "industrie" and road_angles:
            a = road_angles[0] + 0.3
            rr = radius * 1.12
        else:
            # Between the roads, on the side facing the zone centre (not out at the zone edge).
            inward = math.atan2(_ZONE_CENTRE[1] - cy, _ZONE_CENTRE[0] - cx)
            cand = inward + np.linspace(-math.pi / 2, math.pi / 2, 13)
            gap = [
                min((abs((c - ra + math.pi) % (2 * math.pi) - math.pi) for ra in road_angles), default=math.pi)
                for c in cand
            ]
            a = float(cand[int(np.argmax(gap))])
            rr = radius * 1.1
        x, y = cx + rr * math.cos(a), cy + rr * math.sin(a)
        if ok(x, y):
            seeds[i] = (x, y)
    # Ribbons: along the roads leaving the village.
    lint_idx = [i for i, s in enumerate(specs) if s.place == "lint"]
    for k, i in enumerate(lint_idx):
        if not my_roads:
            break
        r = my_roads[k % len(my_roads)]
        d = radius + 550 + 1000 * (k // len(my_roads))
        line = r["line"]
        if d >= line.length * 0.5:
            continue
        p = line.interpolate(d if r["a"] == v_index else line.length - d)
        if ok(p.x, p.y):
            seeds[i] = (p.x, p.y)
    # Everything else (rural sectors and fall-backs): farthest from the seeds so far, away from the edge.
    cand = pts[dg_atoms]
    edge = shapely.distance(shapely.points(cand), dg_poly.boundary)
    far_from_kern = np.hypot(cand[:, 0] - cx, cand[:, 1] - cy) > radius + 300
    for i in range(len(specs)):
        if seeds[i] is not None:
            continue
        placed = np.array([s for s in seeds if s is not None])
        d = np.min(np.hypot(cand[:, 0, None] - placed[None, :, 0], cand[:, 1, None] - placed[None, :, 1]), axis=1)
        score = np.minimum(d, 1.6 * edge)
        if specs[i].place == "land" and far_from_kern.any():
            score = np.where(far_from_kern, score, -1.0)
        j = int(np.argmax(score))
        seeds[i] = (float(cand[j, 0]), float(cand[j, 1]))
    seed_atoms = []
    for x, y in seeds:
        free = np.array([a for a in dg_atoms.tolist() if a not in claimed])
        a = _nearest(pts, x, y, free)
        claimed.add(a)
        seed_atoms.append(a)
    return np.array(seeds, dtype=float), np.array(seed_atoms)


_SEED_WEIGHT = {"rand": 1.8, "land": 0.85}


def _build_geography(rng: np.random.Generator) -> _Geo:
    outline = _zone_outline(rng)
    village_xy = _village_positions(rng, outline)
    pts, atoms = _atoms(rng, outline, village_xy)
    nbrs = _adjacency(atoms)
    n_v = len(PLAN)

    # Atoms to villages (deelgemeenten): weighted distance plus a meandering noise.
    noise = [_noise_params(rng) for _ in range(n_v)]
    cost = np.empty((len(pts), n_v))
    for j, v in enumerate(PLAN):
        d = np.hypot(pts[:, 0] - village_xy[j, 0], pts[:, 1] - village_xy[j, 1])
        cost[:, j] = d * v.weight + 800 * _noise(noise[j], pts[:, 0], pts[:, 1])
    village_muni = np.array([list(MUNICIPALITIES).index(v.nis) for v in PLAN])
    atom_muni = village_muni[np.argmin(cost, axis=1)]
    anchors_v = np.array([_nearest(pts, x, y) for x, y in village_xy])
    for j in range(n_v):
        atom_muni[anchors_v[j]] = village_muni[j]
    main_of = {
        m: int(np.flatnonzero((village_muni == m) & np.array([v.letter == "A" for v in PLAN]))[0])
        for m in range(len(MUNICIPALITIES))
    }
    atom_muni = _make_contiguous(atom_muni, nbrs, {m: int(anchors_v[main_of[m]]) for m in main_of})
    for j in range(n_v):
        if atom_muni[anchors_v[j]] != village_muni[j]:
            raise RuntimeError(f"demo: dorp {PLAN[j].name} viel buiten zijn gemeente")
    masked = np.where(village_muni[None, :] == atom_muni[:, None], cost, np.inf)
    atom_village = np.argmin(masked, axis=1)
    atom_village[anchors_v] = np.arange(n_v)
    atom_village = _make_contiguous(atom_village, nbrs, {j: int(anchors_v[j]) for j in range(n_v)}, parent=atom_muni)

    roads = _road_network(rng, village_xy)
    kernen = []
    for v, (vx, vy) in zip(PLAN, village_xy):
        kernen.append(_blob(rng, vx, vy, v.kern_radius * (1.05 if v.kind == "town" else 1.0)))

    # Sectors inside each deelgemeente.
    sector_codes: list[str] = []
    sector_village: list[int] = []
    seed_xy_parts, seed_atom_parts = [], []
    atom_sector = np.full(len(pts), -1)
    claimed: set[int] = set(anchors_v.tolist())
    for j, v in enumerate(PLAN):
        dg_atoms = np.flatnonzero(atom_village == j)
        dg_poly = shapely.coverage_union_all(atoms[dg_atoms])
        claimed.discard(int(anchors_v[j]))
        seeds, seed_atoms = _place_sector_seeds(rng, j, v, village_xy[j], dg_atoms, pts, dg_poly, roads, claimed)
        first = len(sector_codes)
        sector_codes += [s.code for s in v.sectors]
        sector_village += [j] * len(v.sectors)
        d = np.hypot(pts[dg_atoms, 0, None] - seeds[None, :, 0], pts[dg_atoms, 1, None] - seeds[None, :, 1])
        # Weighted: the industrial zone and the verkaveling stay compact, rural sectors take the rest.
        w = np.array([_SEED_WEIGHT.get(s.place, 1.0) for s in v.sectors])
        atom_sector[dg_atoms] = first + np.argmin(d * w[None, :], axis=1)
        atom_sector[seed_atoms] = first + np.arange(len(v.sectors))
        seed_xy_parts.append(seeds)
        seed_atom_parts.append(seed_atoms)
    seed_atom = np.concatenate(seed_atom_parts)
    atom_sector = _make_contiguous(atom_sector, nbrs, {k: int(a) for k, a in enumerate(seed_atom)}, parent=atom_village)
    sectors = np.array([shapely.coverage_union_all(atoms[atom_sector == k]) for k in range(len(sector_codes))])
    zone = shapely.coverage_union_all(sectors)
    kernen = [shapely.intersection(k, zone) for k in kernen]
    return _Geo(
        outline,
        village_xy,
        pts,
        atoms,
        nbrs,
        atom_village,
        atom_sector,
        sector_codes,
        sector_village,
        np.concatenate(seed_xy_parts),
        seed_atom,
        sectors,
        roads,
        kernen,
    )


def _sector_adjacency(geo: _Geo) -> dict[int, set[int]]:
    adj: dict[int, set[int]] = {k: set() for k in range(len(geo.sector_codes))}
    for a, nb in enumerate(geo.nbrs):
        sa = int(geo.atom_sector[a])
        for b, _ in nb:
            sb = int(geo.atom_sector[b])
            if sa != sb:
                adj[sa].add(sb)
    return adj


def _group_wijken(
    members: list[int], adj: dict[int, set[int]], centroids: np.ndarray, centre_sector: int
) -> list[list[int]]:
    """Split a deelgemeente's sectors into contiguous groups of 3-8 (one group if 8 or fewer)."""
    n = len(members)
    if n <= 8:
        return [sorted(members)]
    k = max(2, round(n / 5))
    member_set = set(members)
    for attempt in range(len(members)):
        # Seeds: farthest-point sampling, starting from the centre sector (then from others).
        start = centre_sector if attempt == 0 else sorted(members)[attempt]
        seeds = [start]
        while len(seeds) < k:
            d = [min(np.hypot(*(centroids[m] - centroids[s])) for s in seeds) for m in members]
            seeds.append(members[int(np.argmax(d))])
        groups = [[s] for s in seeds]
        assigned = set(seeds)
        while len(assigned) < n:
            grown = False
            for g in sorted(groups, key=len):
                if len(g) >= 8:
                    continue
                cands = sorted({b for a in g for b in adj[a] if b in member_set and b not in assigned})
                if not cands:
                    continue
                best = min(cands, key=lambda b: np.hypot(*(centroids[b] - centroids[g[0]])))
                g.append(best)
                assigned.add(best)
                grown = True
                break
            if not grown:
                break
        if len(assigned) == n and all(3 <= len(g) <= 8 for g in groups):
            return [sorted(g) for g in groups]
    raise RuntimeError("demo: geen geldige wijkindeling gevonden")


_COMPASS = ("Oost", "Noordoost", "Noord", "Noordwest", "West", "Zuidwest", "Zuid", "Zuidoost")


def _compass(dx: float, dy: float) -> str:
    a = math.degrees(math.atan2(dy, dx)) % 360
    return _COMPASS[int(((a + 22.5) % 360) // 45)]


# --- population -----------------------------------------------------------------------------

N_BANDS = 20  # 0-4, 5-9, ..., 90-94, 95+
# Flanders-like age shares per 5-year band, 1 January 2020 and 2025 (%, both sexes).
_SHAPE_2020 = np.array(
    [5.4, 5.7, 5.6, 5.4, 5.6, 6.1, 6.4, 6.3, 6.3, 6.9, 7.3, 7.2, 6.4, 5.7, 5.0, 3.7, 3.2, 2.0, 0.8, 0.15]
)
_SHAPE_2025 = np.array(
    [5.0, 5.5, 5.8, 5.6, 5.5, 5.9, 6.3, 6.5, 6.4, 6.3, 6.8, 7.0, 6.8, 5.6, 5.1, 4.6, 3.3, 2.0, 0.9, 0.2]
)
# Share of men per band.
_MEN_SHARE = np.array([0.512] * 4 + [0.505] * 8 + [0.49, 0.48, 0.46, 0.44, 0.39, 0.35, 0.29, 0.22])
# Five-year survival (women; men use a 1.6 x higher mortality), by band in the first year.
_SURV_W = np.array(
    [
        0.998,
        0.999,
        0.999,
        0.998,
        0.998,
        0.998,
        0.997,
        0.996,
        0.994,
        0.990,
        0.984,
        0.975,
        0.962,
        0.945,
        0.915,
        0.86,
        0.76,
        0.58,
        0.38,
        0.25,
    ]
)
_SURV = np.vstack([1 - np.minimum(0.95, 1.6 * (1 - _SURV_W)), _SURV_W])
# Share of residents moving out within five years (scaled by the type's turnover).
_OUT_RATE = np.array(
    [
        0.10,
        0.10,
        0.10,
        0.15,
        0.30,
        0.38,
        0.30,
        0.20,
        0.13,
        0.10,
        0.08,
        0.07,
        0.07,
        0.06,
        0.06,
        0.07,
        0.10,
        0.12,
        0.12,
        0.12,
    ]
)
# Living alone (private households), by band; men 20-59 more, women 70+ more.
_ALONE = np.array(
    [0, 0, 0, 0.005, 0.06, 0.15, 0.13, 0.11, 0.11, 0.12, 0.13, 0.15, 0.17, 0.19, 0.22, 0.28, 0.37, 0.47, 0.52, 0.50]
)
_ALONE_SEX = np.vstack(
    [
        np.where(np.arange(N_BANDS) < 12, 1.2, np.where(np.arange(N_BANDS) >= 14, 0.6, 1.0)),
        np.where(np.arange(N_BANDS) < 12, 0.8, np.where(np.arange(N_BANDS) >= 14, 1.3, 1.0)),
    ]
)
# Antidepressant prescription (women; men x 0.55) and chronic-condition status, by band.
_AD_W = np.array(
    [
        0,
        0.002,
        0.008,
        0.04,
        0.07,
        0.08,
        0.09,
        0.10,
        0.12,
        0.14,
        0.16,
        0.17,
        0.17,
        0.17,
        0.18,
        0.20,
        0.23,
        0.26,
        0.28,
        0.28,
    ]
)
_AD = np.vstack([0.55 * _AD_W, _AD_W])
_CHRONIC = np.array(
    [0.03] * 4 + [0.05, 0.05, 0.07, 0.07, 0.11, 0.11, 0.17, 0.17, 0.26, 0.26, 0.38, 0.38, 0.52, 0.52, 0.60, 0.60]
)
# Residents of collective households (woonzorgcentra) per band, for the reference levels.
_COLLECTIVE = np.array([0.0] * 15 + [0.01, 0.05, 0.14, 0.30, 0.45])
# Age distribution of woonzorgcentrum residents (80+ mostly).
_WZC_AGES = np.array([0.0] * 13 + [0.01, 0.03, 0.08, 0.18, 0.33, 0.28, 0.09])

_GROUPS = {  # band ranges for the age tilts
    "kids": range(0, 3),
    "teens": range(3, 4),
    "young": range(4, 7),
    "mid": range(7, 10),
    "older": range(10, 13),
    "senior": range(13, 16),
    "old": range(16, 20),
}


@dataclass(frozen=True)
class _Profile:
    pop: tuple[int, int]  # 2020 residents (private households)
    growth: float  # 2025 / 2020
    tilt: dict  # age group -> factor on the Flemish shape
    turnover: float
    inflow: str  # young, families, mixed
    stab: float  # share at the same address as a year before
    alone: tuple[float, float]  # factors on living alone: under 65, 65+
    hh_size: float  # mean size of multi-person households
    single_parent: float  # share of multi-person households
    tenant: float
    lowedu: float
    vt: float  # increased reimbursement 20-64
    grapa: float  # replacement income 65+
    ad: float  # factor on antidepressants
    chronic: float  # factor on chronic status
    nb: float  # non-Belgian birth nationality
    origin_extra: float  # of the others: non-Belgian origin through a parent
    dens: float  # residents per inhabited hectare
    social: tuple[float, int, int]  # chance of social housing, min, max dwellings
    stab_later: float | None = None  # a different stability in the later period


def _tilt(**kw: float) -> dict:
    return {g: kw.get(g, 1.0) for g in _GROUPS}


_PROFILES: dict[str, _Profile] = {
    "centrum": _Profile(
        (1500, 2100),
        1.05,
        _tilt(kids=0.7, teens=0.8, young=1.8, older=0.85, senior=0.85),
        1.6,
        "young",
        0.82,
        (2.0, 1.3),
        2.45,
        0.13,
        0.52,
        0.22,
        0.16,
        0.07,
        1.2,
        1.0,
        0.16,
        0.13,
        45,
        (1.0, 12, 40),
    ),
    "stad": _Profile(
        (900, 1800),
        1.02,
        _tilt(senior=1.05),
        1.0,
        "mixed",
        0.89,
        (1.1, 1.05),
        2.75,
        0.08,
        0.27,
        0.13,
        0.10,
        0.04,
        1.0,
        1.0,
        0.09,
        0.07,
        30,
        (0.7, 10, 45),
    ),
    "sociale_wijk": _Profile(
        (1100, 1400),
        1.02,
        _tilt(kids=1.25, teens=1.2, young=1.2, older=0.9, old=0.9),
        1.2,
        "families",
        0.87,
        (1.4, 1.2),
        2.9,
        0.17,
        0.72,
        0.38,
        0.34,
        0.16,
        1.35,
        1.25,
        0.20,
        0.16,
        40,
        (1.0, 150, 190),
    ),
    "wzc": _Profile(
        (600, 720),
        1.02,
        _tilt(senior=1.2, old=1.3),
        1.0,
        "mixed",
        0.90,
        (1.0, 1.1),
        2.6,
        0.07,
        0.30,
        0.12,
        0.11,
        0.05,
        1.0,
        1.0,
        0.06,
        0.05,
        30,
        (0.4, 2, 10),
    ),
    "verkaveling": _Profile(
        (330, 420),
        2.4,
        _tilt(kids=1.7, teens=0.8, young=1.4, mid=1.5, older=0.6, senior=0.35, old=0.25),
        0.5,
        "families",
        0.87,
        (0.5, 0.6),
        3.4,
        0.05,
        0.10,
        0.06,
        0.05,
        0.02,
        0.9,
        0.9,
        0.08,
        0.05,
        22,
        (0.0, 0, 0),
        stab_later=0.76,
    ),
    "dorpskern": _Profile(
        (600, 950),
        1.03,
        _tilt(kids=0.95, teens=0.95, mid=0.95, senior=1.2, old=1.35),
        1.0,
        "mixed",
        0.91,
        (1.0, 1.15),
        2.65,
        0.08,
        0.28,
        0.13,
        0.10,
        0.04,
        1.0,
        1.0,
        0.07,
        0.05,
        20,
        (0.8, 15, 45),
    ),
    "dorp": _Profile(
        (600, 1100),
        1.01,
        _tilt(kids=1.05, teens=1.05, young=0.9, mid=1.05, older=1.05, senior=1.05),
        0.9,
        "families",
        0.92,
        (0.85, 0.95),
        2.85,
        0.06,
        0.18,
        0.10,
        0.08,
        0.03,
        1.0,
        1.0,
        0.055,
        0.04,
        15,
        (0.4, 6, 24),
    ),
    "lint": _Profile(
        (350, 750),
        1.0,
        _tilt(kids=0.95, young=0.85, older=1.15, senior=1.15, old=1.1),
        0.8,
        "families",
        0.935,
        (0.75, 0.9),
        2.75,
        0.05,
        0.13,
        0.10,
        0.07,
        0.03,
        1.0,
        1.0,
        0.045,
        0.035,
        9,
        (0.1, 2, 6),
    ),
    "landelijk": _Profile(
        (180, 600),
        0.98,
        _tilt(kids=0.8, teens=0.9, young=0.7, mid=0.85, older=1.25, senior=1.4, old=1.5),
        0.7,
        "families",
        0.95,
        (0.7, 0.85),
        2.65,
        0.04,
        0.11,
        0.11,
        0.07,
        0.03,
        0.95,
        1.05,
        0.035,
        0.03,
        6,
        (0.0, 0, 0),
    ),
    "klein": _Profile(
        (115, 135),
        0.97,
        _tilt(kids=0.7, young=0.6, mid=0.85, older=1.3, senior=1.5, old=1.6),
        0.7,
        "families",
        0.955,
        (0.7, 0.85),
        2.6,
        0.04,
        0.08,
        0.12,
        0.07,
        0.03,
        0.95,
        1.05,
        0.03,
        0.03,
        5,
        (0.0, 0, 0),
    ),
    "industrie": _Profile(
        (12, 16),
        0.85,
        _tilt(kids=0.3, teens=0.5, mid=1.3, older=1.5, senior=0.8, old=0.2),
        1.0,
        "mixed",
        0.85,
        (1.5, 1.0),
        2.3,
        0.05,
        0.30,
        0.15,
        0.10,
        0.05,
        1.0,
        1.0,
        0.20,
        0.10,
        5,
        (0.0, 0, 0),
    ),
}
# Larger village centres in the main villages.
_MAIN_DORPSKERN_POP = (1000, 1500)
# Kempdonk borders the Netherlands: more Dutch-born residents, some insured in the Netherlands.
_BORDER_NIS = "13092"

# Reference levels: (total 2020, total 2025), and their rates.
_REFERENCE = {
    ("gewest", REGION_CODE): dict(
        total=(6_629_143, 6_821_770),
        young_tilt=1.0,
        nb=(0.13, 0.145),
        origin=(0.22, 0.255),
        tenant=0.26,
        lowedu=(0.16, 0.15),
        vt=0.115,
        grapa=0.05,
        social=0.056,
        stab=0.905,
        single_parent=0.055,
        hh_size=2.88,
    ),
    ("provincie", PROVINCE_CODE): dict(
        total=(1_869_730, 1_917_651),
        young_tilt=1.04,
        nb=(0.165, 0.185),
        origin=(0.29, 0.33),
        tenant=0.29,
        lowedu=(0.19, 0.18),
        vt=0.13,
        grapa=0.06,
        social=0.06,
        stab=0.90,
        single_parent=0.06,
        hh_size=2.9,
    ),
}


def _shape(profile: _Profile) -> np.ndarray:
    w = _SHAPE_2020.copy()
    for g, bands in _GROUPS.items():
        w[list(bands)] *= profile.tilt[g]
    return np.vstack([w * _MEN_SHARE, w * (1 - _MEN_SHARE)])


def _inflow_shape(kind: str) -> np.ndarray:
    if kind == "young":
        w = np.array([3, 1, 0.5, 2, 14, 18, 12, 6, 3, 2, 1.5, 1.2, 1, 1, 1, 1, 1, 0.6, 0.2, 0.05])
    elif kind == "families":
        w = np.array([9, 7, 4, 2, 3, 9, 12, 10, 6, 3, 2, 1.5, 1.5, 1.5, 1.2, 0.8, 0.6, 0.4, 0.1, 0.02])
    else:
        w = _SHAPE_2020.copy()
    w = w / w.sum()
    return np.vstack([w * 0.5, w * 0.5])


def _age_forward(rng: np.random.Generator, p20: np.ndarray, profile: _Profile, target: int) -> np.ndarray:
    """Age a sex x band population by five years: survival, moving out, births, moving in."""
    surv = rng.binomial(p20, _SURV)
    out = rng.binomial(surv, np.minimum(0.9, _OUT_RATE * profile.turnover))
    stay = surv - out
    p25 = np.zeros_like(p20)
    p25[:, 1:] = stay[:, :-1]
    p25[:, -1] += stay[:, -1]
    births = rng.binomial(int(p20[1, 4:9].sum()), 0.29)
    boys = rng.binomial(births, 0.512)
    p25[0, 0] += boys
    p25[1, 0] += births - boys
    n_in = max(0, target - int(p25.sum()))
    p25 += rng.multinomial(n_in, _inflow_shape(profile.inflow).ravel()).reshape(2, N_BANDS)
    return p25


def _derive(pop: np.ndarray, coll: np.ndarray, rates: dict, draw, extra: dict | None = None) -> dict[str, int]:
    """All stored base counts from a sex x 5-year-band population (``coll`` = in a collective household).

    ``extra``, when given, receives the living-alone draws (sex x band) for the population cube.
    """
    pop = pop.astype(np.int64)
    coll = coll.astype(np.int64)
    priv = pop - coll
    band = pop.sum(axis=0)
    c: dict[str, int] = {}
    c["pop_total"] = int(pop.sum())
    c["pop_men"] = int(pop[0].sum())
    c["pop_women"] = int(pop[1].sum())
    for k, key in enumerate(("0_9", "10_19", "20_29", "30_39", "40_49", "50_59", "60_69", "70_79", "80_89")):
        c[f"pop_age_{key}"] = int(band[2 * k] + band[2 * k + 1])
    c["pop_age_90plus"] = int(band[18] + band[19])
    p20_64 = int(band[4:13].sum())
    p18_19 = np.floor(0.4 * pop[:, 3] + 0.5).astype(np.int64)  # 18-19 as a share of 15-19
    c["pop_age_20_64"] = p20_64
    c["pop_age_18_64"] = p20_64 + int(p18_19.sum())
    c["pop_age_65plus"] = int(band[13:].sum())
    c["pop_age_75plus"] = int(band[15:].sum())

    same = int(draw(int(priv.sum()), rates["stab"])) + int(draw(int(coll.sum()), 0.65))
    c["pop_same_address"] = same

    young_f, old_f = rates["alone"]
    factor = np.where(np.arange(N_BANDS) < 13, young_f, old_f) * rates.get("alone_period", 1.0)
    rate = np.minimum(0.9, _ALONE[None, :] * _ALONE_SEX * factor[None, :])
    alone = draw(priv, rate)
    alone[:, :4] = 0
    alone_18_19 = draw(np.minimum(p18_19, priv[:, 3]), 0.02)
    alone_total = int(alone.sum() + alone_18_19.sum())
    if extra is not None:
        by_band = np.array(alone, dtype=np.int64)
        by_band[:, 3] += alone_18_19
        extra["alone"] = by_band
    c["pop_alone_18_64"] = int(alone[:, 4:13].sum() + alone_18_19.sum())
    c["pop_alone_75plus"] = int(alone[:, 15:].sum())
    rest = int(priv.sum()) - alone_total
    multi = int(math.floor(rest / rates["hh_size"] + 0.5)) if rest >= 2 else 0
    hh = alone_total + multi
    c["hh_private"] = hh
    c["hh_single_person"] = alone_total
    sp = int(draw(multi, rates["single_parent"]))
    c["hh_single_parent_minor"] = min(sp, max(hh - 1, 0))
    known = hh - int(draw(hh, rates.get("unknown_tenure", 0.04)))
    tenant = int(draw(known, rates["tenant"]))
    c["hh_known_tenure"] = known
    c["hh_tenant"] = tenant

    prim = int(draw(int(band[1]), 0.8)) + int(draw(int(band[2]), 0.4))  # ages 6-11
    sec = int(draw(int(band[2]), 0.6)) + int(draw(int(band[3]), 0.65))  # ages 12-18
    c["pupils_primary"] = prim
    c["pupils_primary_low_edu_mother"] = int(draw(prim, rates["lowedu"][0]))
    c["pupils_secondary"] = sec
    c["pupils_secondary_low_edu_mother"] = int(draw(sec, rates["lowedu"][1]))

    ni = rates.get("not_insured", 0.005)
    p0_19 = int(band[:4].sum())
    p65 = c["pop_age_65plus"]
    ins_0_19 = p0_19 - int(draw(p0_19, ni))
    ins_20_64 = p20_64 - int(draw(p20_64, ni))
    ins_65 = p65 - int(draw(p65, ni / 2))
    ins_total = ins_0_19 + ins_20_64 + ins_65
    c["insured_20_64"] = ins_20_64
    c["insured_20_64_increased"] = int(draw(ins_20_64, rates["vt"]))
    c["insured_65plus"] = ins_65
    c["insured_65plus_replacement_income"] = int(draw(ins_65, rates["grapa"]))
    c["insured_total"] = ins_total
    chronic = int(draw(priv, np.minimum(0.95, _CHRONIC[None, :] * rates["chronic"])).sum())
    chronic += int(draw(int(coll.sum()), 0.8))
    c["insured_chronic"] = min(chronic, ins_total)
    ad = int(draw(priv, np.minimum(0.9, _AD * rates["ad"])).sum()) + int(draw(int(coll.sum()), 0.45))
    c["insured_antidepressants"] = min(ad, ins_total)

    c["social_rental_dwellings"] = min(int(rates.get("social_dwellings", 0)), tenant)
    nb = int(draw(c["pop_total"], rates["nb"]))
    c["pop_non_belgian_birth_nat"] = nb
    c["pop_non_belgian_origin"] = nb + int(draw(c["pop_total"] - nb, rates["origin_extra"]))
    # Statbel-style fiscal income and cars (fictional): fewer returns and lower incomes where more
    # households rent, more cars per household in the villages with few tenants.
    returns = int(draw(c["pop_age_18_64"] + c["pop_age_65plus"], 0.82))
    c["tax_returns"] = returns
    # (Amounts and car counts are no binomial draws: an average income is no probability.)
    c["net_taxable_income"] = int(round(returns * (44_000.0 - 22_000.0 * float(rates["tenant"]))))
    c["hh_statbel"] = hh
    c["cars"] = int(round(hh * (1.25 - 0.8 * float(rates["tenant"]))))
    missing = set(STORED_COUNTS) ^ set(c)
    assert not missing, f"demo: base counts out of step with the catalogue: {sorted(missing)}"
    return {k: c[k] for k in STORED_COUNTS}


def _profile_rates(profile: _Profile, period: str, nis: str) -> dict:
    later = period != DEMO_PERIODS[0]
    border = nis == _BORDER_NIS
    return {
        "stab": profile.stab_later if (later and profile.stab_later) else profile.stab,
        "alone": profile.alone,
        "alone_period": 1.04 if later else 1.0,
        "hh_size": profile.hh_size,
        "single_parent": profile.single_parent,
        "unknown_tenure": 0.06 if profile.tenant > 0.4 else 0.04,
        "tenant": profile.tenant,
        "lowedu": (profile.lowedu, profile.lowedu * 0.95),
        "not_insured": 0.03 if border else 0.005,
        "vt": profile.vt * (1.06 if later else 1.0),
        "grapa": profile.grapa,
        "chronic": profile.chronic * (1.05 if later else 1.0),
        "ad": profile.ad * (1.08 if later else 1.0),
        "nb": min(0.5, profile.nb * (2.2 if border else 1.0) * (1.1 if later else 1.0)),
        "origin_extra": profile.origin_extra * (1.1 if later else 1.0),
    }


def _sector_population(
    rng: np.random.Generator, spec: _SectorSpec, village: _Village
) -> dict[str, tuple[np.ndarray, np.ndarray, int]]:
    """Per period: (population sex x band, collective residents sex x band, social dwellings)."""
    profile = _PROFILES[spec.role]
    lo, hi = _MAIN_DORPSKERN_POP if (spec.role == "dorpskern" and village.kind == "main") else profile.pop
    n20 = int(rng.integers(lo, hi + 1))
    shape = _shape(profile).ravel()
    p20 = rng.multinomial(n20, shape / shape.sum()).reshape(2, N_BANDS)
    target = int(round(n20 * profile.growth * rng.uniform(0.97, 1.03)))
    if spec.role == "industrie":
        p25 = rng.multinomial(max(8, target), shape / shape.sum()).reshape(2, N_BANDS)
    else:
        p25 = _age_forward(rng, p20, profile, target)
    coll20 = np.zeros_like(p20)
    coll25 = np.zeros_like(p20)
    if spec.role == "wzc":
        wzc = np.vstack([_WZC_AGES * 0.28, _WZC_AGES * 0.72]).ravel()
        coll20 = rng.multinomial(104, wzc / wzc.sum()).reshape(2, N_BANDS)
        coll25 = rng.multinomial(118, wzc / wzc.sum()).reshape(2, N_BANDS)  # a new wing in 2023
    chance, smin, smax = profile.social
    social20 = int(rng.integers(smin, smax + 1)) if rng.random() < chance else 0
    social25 = social20 + (int(rng.integers(4, 17)) if rng.random() < 0.2 and chance > 0 else 0)
    if spec.role == "verkaveling":
        social25 = 24  # a small social housing block in the new development
    return {
        DEMO_PERIODS[0]: (p20 + coll20, coll20, social20),
        DEMO_PERIODS[1]: (p25 + coll25, coll25, social25),
    }


def _reference_counts(level: str, code: str) -> dict[str, dict[str, int]]:
    ref = _REFERENCE[(level, code)]
    out = {}
    for k, (period, shape) in enumerate(zip(DEMO_PERIODS, (_SHAPE_2020, _SHAPE_2025))):
        w = shape.copy()
        w[4:8] *= ref["young_tilt"]
        pop = _integerize(np.concatenate([w * _MEN_SHARE, w * (1 - _MEN_SHARE)]), ref["total"][k]).reshape(2, N_BANDS)
        coll = np.floor(pop * _COLLECTIVE[None, :] + 0.5).astype(np.int64)
        rates = {
            "stab": ref["stab"],
            "alone": (1.0, 1.0),
            "alone_period": 1.03 if k else 1.0,
            "hh_size": ref["hh_size"],
            "single_parent": ref["single_parent"],
            "tenant": ref["tenant"],
            "lowedu": ref["lowedu"],
            "vt": ref["vt"] * (1.06 if k else 1.0),
            "grapa": ref["grapa"],
            "chronic": 1.05 if k else 1.0,
            "ad": 1.08 if k else 1.0,
            "nb": ref["nb"][k],
            "origin_extra": (ref["origin"][k] - ref["nb"][k]) / (1 - ref["nb"][k]),
        }
        hh_estimate = pop.sum() * 0.43
        rates["social_dwellings"] = int(hh_estimate * ref["social"])

        def draw(n, p):
            return np.floor(np.asarray(n) * p + 0.5).astype(np.int64)

        out[period] = _derive(pop, coll, rates, draw)
    return out


# --- population cube (bevolkingskubus) -------------------------------------------------------

# Private residents who do not live alone, by 5-year band, over the LIPRO positions other than
# "alleenwonend" and "collectief" (columns in _CUBE_PRIVATE order); rows need not sum to 1.
_CUBE_PRIVATE = (
    "gehuwd_zonder_kinderen",
    "gehuwd_met_kinderen",
    "kind_gehuwd_paar",
    "samenwonend_zonder_kinderen",
    "samenwonend_met_kinderen",
    "kind_samenwonend_paar",
    "alleenstaande_ouder",
    "kind_alleenstaande_ouder",
    "inwonende_andere",
    "overige",
)
_CUBE_SHARES = np.array(
    [
        # gz    gm    kg    sz    sm    ks    ao     ka    ia     ov
        [0.00, 0.00, 0.50, 0.00, 0.00, 0.30, 0.000, 0.14, 0.020, 0.010],  # 0-4
        [0.00, 0.00, 0.54, 0.00, 0.00, 0.25, 0.000, 0.16, 0.015, 0.010],  # 5-9
        [0.00, 0.00, 0.58, 0.00, 0.00, 0.19, 0.000, 0.19, 0.015, 0.010],  # 10-14
        [0.00, 0.00, 0.60, 0.01, 0.00, 0.13, 0.002, 0.21, 0.020, 0.015],  # 15-19
        [0.03, 0.01, 0.36, 0.20, 0.03, 0.06, 0.015, 0.14, 0.060, 0.050],  # 20-24
        [0.08, 0.08, 0.14, 0.31, 0.12, 0.03, 0.040, 0.06, 0.050, 0.050],  # 25-29
        [0.07, 0.28, 0.05, 0.16, 0.25, 0.01, 0.070, 0.03, 0.030, 0.030],  # 30-34
        [0.05, 0.41, 0.03, 0.08, 0.22, 0.005, 0.090, 0.02, 0.030, 0.025],  # 35-39
        [0.06, 0.48, 0.02, 0.06, 0.17, 0.00, 0.100, 0.02, 0.030, 0.025],  # 40-44
        [0.10, 0.46, 0.02, 0.07, 0.13, 0.00, 0.100, 0.02, 0.040, 0.025],  # 45-49
        [0.22, 0.40, 0.01, 0.09, 0.08, 0.00, 0.090, 0.01, 0.040, 0.025],  # 50-54
        [0.40, 0.26, 0.01, 0.11, 0.04, 0.00, 0.070, 0.01, 0.040, 0.025],  # 55-59
        [0.62, 0.13, 0.00, 0.10, 0.02, 0.00, 0.040, 0.00, 0.040, 0.020],  # 60-64
        [0.74, 0.06, 0.00, 0.08, 0.01, 0.00, 0.030, 0.00, 0.040, 0.020],  # 65-69
        [0.78, 0.04, 0.00, 0.06, 0.005, 0.00, 0.030, 0.00, 0.050, 0.020],  # 70-74
        [0.76, 0.03, 0.00, 0.05, 0.00, 0.00, 0.030, 0.00, 0.090, 0.020],  # 75-79
        [0.70, 0.02, 0.00, 0.04, 0.00, 0.00, 0.030, 0.00, 0.160, 0.025],  # 80-84
        [0.58, 0.02, 0.00, 0.03, 0.00, 0.00, 0.030, 0.00, 0.280, 0.030],  # 85-89
        [0.45, 0.01, 0.00, 0.02, 0.00, 0.00, 0.030, 0.00, 0.410, 0.040],  # 90-94
        [0.35, 0.01, 0.00, 0.01, 0.00, 0.00, 0.020, 0.00, 0.510, 0.050],  # 95+
    ]
)


def _cube_sex_factors() -> np.ndarray:
    """Factors (sex x band x position) on _CUBE_SHARES: single parents mostly women, sons longer at home, widows."""
    f = np.ones((2, N_BANDS, len(_CUBE_PRIVATE)))
    col = {p: i for i, p in enumerate(_CUBE_PRIVATE)}
    f[0, :, col["alleenstaande_ouder"]] = 0.45
    f[1, :, col["alleenstaande_ouder"]] = 1.55
    kids = [col["kind_gehuwd_paar"], col["kind_samenwonend_paar"], col["kind_alleenstaande_ouder"]]
    couples = [col["samenwonend_zonder_kinderen"], col["samenwonend_met_kinderen"], col["gehuwd_met_kinderen"]]
    for b in (4, 5):  # 20-29: young women leave home earlier
        f[0, b, kids] = 1.25
        f[1, b, kids] = 0.8
        f[0, b, couples] = 0.85
        f[1, b, couples] = 1.15
    f[0, 15:, col["gehuwd_zonder_kinderen"]] = 1.2  # 75+: more widows than widowers
    f[1, 15:, col["gehuwd_zonder_kinderen"]] = 0.7
    f[1, 15:, col["inwonende_andere"]] = 1.5
    return f


_CUBE_SEX_FACTORS = _cube_sex_factors()


def _cube_counts(
    rng: np.random.Generator, pop: np.ndarray, coll: np.ndarray, alone: np.ndarray, profile: _Profile, period: str
) -> np.ndarray:
    """The cube of one sector (sex x 20-year band x LIPRO position, in cube.py order).

    ``alone`` holds _derive's living-alone draws (sex x 5-year band), ``coll`` the collective
    residents; the other private residents are spread over the remaining positions.
    """
    rest = pop.astype(np.int64) - coll - alone
    col = {p: i for i, p in enumerate(_CUBE_PRIVATE)}
    w = _CUBE_SHARES[None, :, :] * _CUBE_SEX_FACTORS
    later = period != DEMO_PERIODS[0]
    single = profile.single_parent / 0.07
    cohab = (0.75 + profile.tenant) * (1.08 if later else 1.0)
    w[:, :, [col["alleenstaande_ouder"], col["kind_alleenstaande_ouder"]]] *= single
    cohabiting = ("samenwonend_zonder_kinderen", "samenwonend_met_kinderen", "kind_samenwonend_paar")
    w[:, :, [col[p] for p in cohabiting]] *= cohab
    w = w / w.sum(axis=2, keepdims=True)
    private = rng.multinomial(rest, w)  # sex x band x 10
    cells = np.concatenate([alone[:, :, None], private, coll[:, :, None]], axis=2)
    return cells.reshape(2, len(CUBE_AGE_BANDS), N_BANDS // len(CUBE_AGE_BANDS), len(CUBE_POSITIONS)).sum(axis=2)


assert ("alleenwonend", *_CUBE_PRIVATE, "collectief") == tuple(CUBE_POSITIONS)
assert _CUBE_SHARES.shape == (N_BANDS, len(_CUBE_PRIVATE))
CUBE_VARIABLES: tuple[str, ...] = tuple(cube_variables())


# --- spatial layers -------------------------------------------------------------------------

# Facility categories of the "voorziening" layer (groen = small park polygons, the rest points).
VOORZIENING_CATEGORIES = (
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


# --- hectare cells --------------------------------------------------------------------------


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


# --- assembling -----------------------------------------------------------------------------

_TO_WGS84_POINTS = Transformer.from_crs(31370, 4326, always_xy=True)
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
    from .access import build_access  # access imports the engine, which imports the store

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
