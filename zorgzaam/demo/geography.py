"""The demo's geometry: zone outline, villages, Voronoi atoms, municipalities, deelgemeenten, sectors, roads.

Every area is a union of whole atoms, so sectors tile the zone exactly; wijken group contiguous
sectors of a deelgemeente.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import shapely
from shapely import affinity

from zorgzaam.demo.numeric import _blob, _noise, _noise_params
from zorgzaam.demo.plan import LAMBERT_BOUNDS, MUNICIPALITIES, PLAN, TOWN_CODE, _Village

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
