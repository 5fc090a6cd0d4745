"""Access per residential place: distances, counts, basket, bus, settlement, and the counts per sector.

The small case below is laid out on a plan so every expected distance is a math.hypot of hand-picked
offsets (see the comments); nothing is copied from the implementation's output.
"""

from __future__ import annotations

import math
import shutil

import numpy as np
import pandas as pd
import pytest
import shapely

from zorgzaam import access
from zorgzaam.access import (
    AMENITY_CATEGORIES,
    DEFAULTS,
    AccessSettings,
    access_observations,
    amenity_points,
    compute_and_store_access,
    compute_place_access,
    lack_phrase,
    lacks_access,
    residential_places,
    sector_access,
    settlement_class,
)
from zorgzaam.demo import DEMO_DATASET_ID, DEMO_ELZ_CODE, DEMO_PERIODS, TINY_SECTOR, TOWN_CODE
from zorgzaam.engine import compute, derive_counts
from zorgzaam.store import PLACE_ACCESS_COLUMNS, Store, close_all

X0, Y0 = 150_000.0, 200_000.0  # Lambert origin of the plan; offsets below are metres from it
S1, S2, S3, S4 = "11111A00-", "11111A01-", "11111A02-", "22222A00-"

# Places: (dx, dy, residents, sector). P2 and P4 are in sectors whose 65+/80+ are hidden.
PLACES = {
    "P1": (0, 0, 10, S1),
    "P2": (1000, 0, 30, S2),
    "P3": (0, 3000, 60, S1),
    "P4": (-4000, 0, 5, S3),
    "P5": (9000, 9000, 7, S4),
}


def _pt(dx, dy):
    return shapely.Point(X0 + dx, Y0 + dy)


def _box(x0, y0, x1, y1):
    return shapely.box(X0 + x0, Y0 + y0, X0 + x1, Y0 + y1)


def _features() -> pd.DataFrame:
    rows = [
        # A bakker exactly 400 m from P1 (240-320-400 triangle): on the radius, so inside.
        ("voorziening", "b1", "bakker", _pt(240, 320)),
        # A supermarkt exactly 1200 m north of P2.
        ("voorziening", "sm1", "supermarkt", _pt(1000, 1200)),
        ("voorziening", "h1", "huisarts", _pt(600, 0)),
        ("voorziening", "a1", "apotheek", _pt(0, 900)),
        ("voorziening", "sc1", "school", _pt(0, 2000)),
        ("voorziening", "sc2", "school", _pt(1000, -500)),
        # Benches around P1: at 100 m, at exactly 400 m and just beyond.
        ("voorziening", "z1", "zitbank", _pt(100, 0)),
        ("voorziening", "z2", "zitbank", _pt(0, -400)),
        ("voorziening", "z3", "zitbank", _pt(0, -401)),
        # A green square of 20 m around (2000, 0): represented by a point inside it.
        ("voorziening", "g1", "groen", _box(1990, -10, 2010, 10)),
        # Not an amenity layer: ignored.
        ("andere", "x1", "bakker", _pt(1, 1)),
        # Settlement: a kern around P2, a ribbon 74 m north of P1 that also passes P2 (kern wins there),
        # a scattered cluster 50 m from P4 and one 76 m from P3 (too far).
        ("nederzetting", "k1", "kern", _box(900, -100, 1100, 100)),
        ("nederzetting", "l1", "lint", shapely.LineString([(X0 - 500, Y0 + 74), (X0 + 1000, Y0 + 74)])),
        ("nederzetting", "v1", "verspreid", _box(-4100, -50, -4050, 50)),
        ("nederzetting", "v2", "verspreid", _box(-50, 3076, 50, 3176)),
    ]
    return pd.DataFrame(
        {
            "layer": [r[0] for r in rows],
            "feature_id": [r[1] for r in rows],
            "category": [r[2] for r in rows],
            "name": [r[1] for r in rows],
            "geom_lambert": list(shapely.to_wkb([r[3] for r in rows])),
        }
    )


def _stops() -> pd.DataFrame:
    rows = [
        ("s1", 0.5, False, 0, 300),  # regular but less than once an hour
        ("s2", 2.0, False, 1000, 350),
        ("s3", None, True, 0, 2990),  # a belbus 10 m from P3: never counts as a bus
        ("s4", 8.0, False, 0, 2500),
        ("s5", 0.0, False, 0, 10),  # a stop without departures: never counts
    ]
    frame = pd.DataFrame(rows, columns=["stop_id", "departures_per_hour", "is_belbus", "dx", "dy"])
    frame["departures_per_hour"] = frame["departures_per_hour"].astype("Float64")
    frame["x"], frame["y"] = X0 + frame.pop("dx"), Y0 + frame.pop("dy")
    return frame


def _grid() -> pd.DataFrame:
    rows = [("inwoners", X0 + dx, Y0 + dy, float(r), s) for dx, dy, r, s in PLACES.values()]
    rows += [
        ("inwoners", X0 + 7000, Y0, 0.0, S1),  # uninhabited: not a place
        ("walkability", X0, Y0, 55.0, S1),
    ]  # another layer: not a place
    frame = pd.DataFrame(rows, columns=["layer", "x", "y", "value", "statsec"])
    frame["value"] = frame["value"].astype("Float64")
    return frame


def _d(place: str, dx: float, dy: float) -> float:
    px, py = PLACES[place][:2]
    return math.hypot(px - dx, py - dy)


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    places = residential_places(_grid())
    out = compute_place_access(places, amenity_points(_features()), _stops(), _features())
    return out.assign(place=[_name(x, y) for x, y in zip(out["x"], out["y"])]).set_index("place")


def _name(x: float, y: float) -> str:
    return next(k for k, (dx, dy, _, _) in PLACES.items() if (X0 + dx, Y0 + dy) == (x, y))


# --- the per-place table ------------------------------------------------------------------------


def test_places_are_the_inhabited_cells_of_the_residents_layer(table):
    assert sorted(table.index) == sorted(PLACES)
    assert table.loc["P3", "residents"] == 60 and table.loc["P3", "statsec"] == S1
    assert list(table.columns) == list(access.PLACE_COLUMNS)
    assert access.PLACE_COLUMNS == PLACE_ACCESS_COLUMNS  # the store's table has the same columns


def test_nearest_distances_are_straight_lines(table):
    assert table.loc["P1", "dist_bakker"] == pytest.approx(400.0)
    assert table.loc["P2", "dist_bakker"] == pytest.approx(_d("P2", 240, 320), rel=1e-6)
    assert table.loc["P3", "dist_supermarkt"] == pytest.approx(_d("P3", 1000, 1200), rel=1e-6)
    # Two schools: the nearer one counts.
    assert table.loc["P1", "dist_school"] == pytest.approx(min(_d("P1", 0, 2000), _d("P1", 1000, -500)), rel=1e-6)
    assert table.loc["P3", "dist_school"] == pytest.approx(1000.0)
    # The green polygon is a point inside its 20 m square.
    assert abs(table.loc["P2", "dist_groen"] - 1000.0) <= 10 * math.sqrt(2)
    # No woonzorgcentrum in the data: no distance, no count.
    assert table["dist_woonzorgcentrum"].isna().all()
    assert (table["n1200_woonzorgcentrum"] == 0).all()
    # An amenity on another layer is ignored.
    assert table.loc["P1", "n400_bakker"] == 1


def test_counts_within_a_radius_include_the_radius_itself(table):
    assert table.loc["P1", "n400_zitbank"] == 2  # 100 m and exactly 400 m, not 401 m
    assert table.loc["P1", "n1200_zitbank"] == 3
    assert table.loc["P2", "n400_zitbank"] == 0 and table.loc["P2", "n1200_zitbank"] == 3  # ~900-1077 m
    assert table.loc["P1", "n400_bakker"] == 1  # exactly 400 m
    assert table.loc["P2", "n1200_supermarkt"] == 1  # exactly 1200 m
    assert table.loc["P1", "n1200_supermarkt"] == 0  # 1562 m
    assert table.loc["P3", "n1200_zitbank"] == 0


def test_chunks_do_not_change_the_result(table, monkeypatch):
    monkeypatch.setattr(access, "_COUNT_CHUNK", 2)  # amenities two at a time
    places = residential_places(_grid())
    small = compute_place_access(places, amenity_points(_features()), _stops(), _features())
    small.index = [_name(x, y) for x, y in zip(small["x"], small["y"])]
    pd.testing.assert_frame_equal(small, table.rename_axis(None), check_names=False)
    by_two = settlement_class(places, _features(), chunk=2)
    assert by_two.tolist() == settlement_class(places, _features()).tolist()


def _brute_force(places: pd.DataFrame, amenities: pd.DataFrame, stops: pd.DataFrame) -> dict[str, np.ndarray]:
    """Every place against every amenity and stop, one by one in float64: what the table must equal."""
    out: dict[str, np.ndarray] = {}

    def nearest(px, py, pts):
        return min((math.sqrt((px - ax) ** 2 + (py - ay) ** 2) for ax, ay in pts), default=math.nan)

    xy = list(zip(places["x"], places["y"]))
    for cat in AMENITY_CATEGORIES:
        pts = list(zip(*(amenities.loc[amenities["category"] == cat, c] for c in ("x", "y"))))
        out[f"dist_{cat}"] = np.array([nearest(px, py, pts) for px, py in xy], dtype=np.float32)
        for r in access.COUNT_RADII:
            out[f"n{r}_{cat}"] = np.array(
                [sum(math.sqrt((px - ax) ** 2 + (py - ay) ** 2) <= r for ax, ay in pts) for px, py in xy]
            )
    freq = stops["departures_per_hour"].to_numpy(dtype=float, na_value=np.nan)
    for t in access.BUS_THRESHOLDS:
        ok = ~stops["is_belbus"].to_numpy() & (freq > 0) & (freq >= t)
        pts = list(zip(stops["x"][ok], stops["y"][ok]))
        out[access.bus_column(t)] = np.array([nearest(px, py, pts) for px, py in xy], dtype=np.float32)
    pts = list(zip(stops["x"][stops["is_belbus"]], stops["y"][stops["is_belbus"]]))
    out["dist_belbus"] = np.array([nearest(px, py, pts) for px, py in xy], dtype=np.float32)
    return out


@pytest.mark.parametrize("seed", [1, 2])
@pytest.mark.parametrize("chunk", [3, access._COUNT_CHUNK])
def test_nearest_and_counts_equal_a_brute_force_computation(seed, chunk, monkeypatch):
    """Random hectare cells and off-grid places, amenities and stops; ties exactly on 400 m and 1200 m."""
    monkeypatch.setattr(access, "_COUNT_CHUNK", chunk)  # several pair searches per category, and one
    rng = np.random.default_rng(seed)
    # 300 distinct hectare cell centres in a 6 × 4 km box, 40 places off the grid, in a shuffled order.
    cells = rng.choice(60 * 40, 300, replace=False)
    gx = X0 + (cells // 40) * 100.0 + 50.0
    gy = Y0 + (cells % 40) * 100.0 + 50.0
    ox = X0 + rng.uniform(0, 6000, 40)
    oy = Y0 + rng.uniform(0, 4000, 40)
    places = pd.DataFrame({"x": np.r_[gx, ox], "y": np.r_[gy, oy], "statsec": S1, "residents": 1.0})
    places = places.sample(frac=1, random_state=seed).reset_index(drop=True)
    rows = []
    # A category without any amenity (woonzorgcentrum), one with a single far point (bank, 30 km away: every
    # place needs the lookup beyond 1,2 km), dense ones (zitbank) and sparse ones.
    counts = {"zitbank": 60, "huisarts": 6, "bakker": 4, "school": 2, "apotheek": 1}
    for cat, k in counts.items():
        rows += [(cat, x, y) for x, y in zip(X0 + rng.uniform(-1000, 7000, k), Y0 + rng.uniform(-1000, 5000, k))]
    rows.append(("bank", X0 + 30_000.0, Y0))
    # Ties on the radius from a cell centre: 400 m (240-320-400 and straight east), 1200 m (720-960-1200 and
    # straight south), and the same points again just beyond.
    px, py = gx[0], gy[0]
    for cat, dx, dy in (
        ("slager", 240, 320),
        ("slager", 400, 0),
        ("post", 720, -960),
        ("post", 0, -1200),
        ("groen", 240.001, 320),
        ("groen", 0, -1200.001),
    ):
        rows.append((cat, px + dx, py + dy))
    amenities = pd.DataFrame(rows, columns=["category", "x", "y"])
    belbus = rng.random(25) < 0.2
    stops = pd.DataFrame(
        {
            "x": X0 + rng.uniform(-500, 6500, 25),
            "y": Y0 + rng.uniform(-500, 4500, 25),
            "departures_per_hour": pd.array(np.where(belbus, np.nan, rng.integers(0, 6, 25) / 2), dtype="Float64"),
            "is_belbus": belbus,
        }
    )

    table = compute_place_access(places, amenities, stops, None)
    expected = _brute_force(places, amenities, stops)

    assert table[["x", "y"]].to_numpy().tolist() == places[["x", "y"]].to_numpy().tolist()  # the caller's order
    for col, values in expected.items():
        np.testing.assert_array_equal(table[col].to_numpy(), values, err_msg=col)
    first = places.index[(places["x"] == px) & (places["y"] == py)][0]
    assert table.loc[first, "n400_slager"] == 2 and table.loc[first, "dist_slager"] == 400.0
    assert table.loc[first, "n1200_post"] == 2 and table.loc[first, "n400_post"] == 0
    assert table.loc[first, "n400_groen"] == 0 and table.loc[first, "n1200_groen"] == 1  # 400,0006 m; 1200,001 m
    assert table["dist_woonzorgcentrum"].isna().all() and (table["n1200_woonzorgcentrum"] == 0).all()
    assert (table["dist_bank"] > 20_000).all() and (table["n1200_bank"] == 0).all()


def test_food_is_the_nearest_shop_and_the_basket_the_farthest_group(table):
    for place in PLACES:
        food = min(_d(place, 240, 320), _d(place, 1000, 1200))
        school = min(_d(place, 0, 2000), _d(place, 1000, -500))
        basket = max(food, _d(place, 600, 0), _d(place, 0, 900), school)
        assert table.loc[place, "dist_food"] == pytest.approx(food, rel=1e-6), place
        assert table.loc[place, "dist_basket"] == pytest.approx(basket, rel=1e-6), place
    # P1 has everything within 1,2 km (school at 1118 m); P2 has all but the apotheek (1345 m).
    lack = pd.Series(lacks_access(table, "basket"), index=table.index)
    assert not lack["P1"] and lack["P2"] and lack["P3"] and lack["P4"]
    assert table.loc["P2", "dist_apotheek"] > 1200 > max(table.loc["P2", ["dist_food", "dist_huisarts", "dist_school"]])


def test_a_basket_group_absent_from_the_data_means_no_basket():
    feats = _features()
    feats = feats[feats["category"] != "apotheek"]
    out = compute_place_access(residential_places(_grid()), amenity_points(feats), _stops(), feats)
    assert out["dist_basket"].isna().all()
    assert lacks_access(out, "basket").all()
    assert out["dist_food"].notna().all()


def test_bus_thresholds_and_the_belbus_never_counts(table):
    expect = {  # nearest stop with at least N departures per hour (s5 has none, s3 is a belbus)
        0: {"P1": _d("P1", 0, 300), "P2": _d("P2", 1000, 350), "P3": 500.0, "P4": _d("P4", 0, 300)},
        1: {"P1": _d("P1", 1000, 350), "P2": _d("P2", 1000, 350), "P3": 500.0, "P4": _d("P4", 0, 2500)},
        2: {"P1": _d("P1", 1000, 350), "P2": _d("P2", 1000, 350), "P3": 500.0, "P4": _d("P4", 0, 2500)},
        4: {"P1": 2500.0, "P2": _d("P2", 0, 2500), "P3": 500.0, "P4": _d("P4", 0, 2500)},
    }
    for n, by_place in expect.items():
        for place, dist in by_place.items():
            assert table.loc[place, f"dist_bus_{n}"] == pytest.approx(dist, rel=1e-6), (n, place)
    assert table.loc["P3", "dist_belbus"] == pytest.approx(10.0)
    lack = pd.Series(lacks_access(table, "bus"), index=table.index)  # >= 1 per hour within 400 m
    assert lack.to_dict() == {"P1": True, "P2": False, "P3": True, "P4": True, "P5": True}
    any_bus = pd.Series(lacks_access(table, "bus", AccessSettings(bus_min_per_hour=0)), index=table.index)
    assert not any_bus["P1"] and any_bus["P3"]  # P1 has the slow s1 at 300 m; P3's belbus does not count
    with pytest.raises(ValueError, match="per uur"):
        lacks_access(table, "bus", AccessSettings(bus_min_per_hour=3))


def test_settlement_classes_in_order_kern_lint_verspreid(table):
    assert table["settlement"].to_dict() == {
        "P1": "lint",  # 74 m from the ribbon
        "P2": "kern",  # inside the kern (the ribbon passes too: kern comes first)
        "P3": "elders",  # 76 m from the nearest scattered cluster
        "P4": "verspreid",  # 50 m
        "P5": "elders",
    }
    cls = settlement_class(residential_places(_grid()), None)
    assert set(cls) == {"elders"}


def test_combined_measures_and_category_measures(table):
    basket = lacks_access(table, "basket")
    bus = lacks_access(table, "bus")
    assert (lacks_access(table, "basket_and_bus") == (basket & bus)).all()
    bakker = pd.Series(lacks_access(table, "cat:bakker"), index=table.index)
    assert not bakker["P1"] and not bakker["P2"] and bakker["P3"]  # P2's bakker is at 825 m
    both = pd.Series(lacks_access(table, "cat:bakker+bus"), index=table.index)
    assert both.to_dict() == {"P1": False, "P2": False, "P3": True, "P4": True, "P5": True}
    # Exactly on the radius is within reach: P2's supermarkt is exactly 1200 m away.
    assert not lacks_access(table, "cat:supermarkt")[list(table.index).index("P2")]
    assert lacks_access(table, "cat:supermarkt", AccessSettings(walk_radius=1199.9))[list(table.index).index("P2")]
    with pytest.raises(ValueError, match="Onbekende"):
        lacks_access(table, "cat:kapper")


def test_lack_phrases_are_plain_dutch():
    assert lack_phrase("basket") == (
        "verder dan 1,2 km van het volledige basispakket (voeding, huisarts, apotheek, school)"
    )
    assert lack_phrase("bus") == "verder dan 400 m van een bushalte met minstens 1 vertrek per uur"
    assert lack_phrase("bus", AccessSettings(bus_min_per_hour=0)) == "verder dan 400 m van een bushalte"
    assert lack_phrase("bus", AccessSettings(bus_min_per_hour=2)).endswith("minstens 2 vertrekken per uur")
    assert lack_phrase("cat:bakker") == "verder dan 1,2 km van een bakker"
    assert lack_phrase("cat:bakker+bus") == "verder dan 1,2 km van een bakker en 400 m van een bus die elk uur passeert"
    assert lack_phrase("cat:lokaal_dienstencentrum", AccessSettings(walk_radius=3750)) == (
        "verder dan 3,75 km van een lokaal dienstencentrum"
    )
    assert set(access.CATEGORY_LABELS) == set(AMENITY_CATEGORIES)
    for code in access.measure_codes():
        assert lack_phrase(code).startswith("verder dan ")


# --- per sector ------------------------------------------------------------------------------------


def test_sector_access_spreads_the_age_group_and_keeps_hidden_missing(table):
    lack = lacks_access(table, "basket")
    groups = pd.Series({S1: 14.0, S2: np.nan, S3: 3.0})
    out = sector_access(table, groups, lack).set_index("statsec")
    # S1: P1 (10, has the basket) and P3 (60, lacks it).
    assert out.loc[S1, "residents"] == 70 and out.loc[S1, "residents_lacking"] == 60
    assert out.loc[S1, "share_lacking"] == pytest.approx(60 / 70)
    assert out.loc[S1, "group_lacking"] == pytest.approx(14 * 60 / 70)
    assert np.isnan(out.loc[S2, "group"]) and np.isnan(out.loc[S2, "group_lacking"])  # hidden, never 0
    assert np.isnan(out.loc[S4, "group_lacking"])  # no count given at all
    assert out.loc[S3, "group_lacking"] == pytest.approx(3.0)


def _base_obs(gemeente: dict | None = None) -> pd.DataFrame:
    rows = {
        ("statsec", S1): {"pop_total": 70, "pop_age_65plus": 20, "pop_age_80_89": 6, "pop_age_90plus": 2},
        ("statsec", S2): {"pop_total": 30, "pop_age_65plus": "x", "pop_age_80_89": 9, "pop_age_90plus": "x"},
        ("statsec", S3): {"pop_total": 5, "pop_age_65plus": "x", "pop_age_80_89": "x", "pop_age_90plus": "x"},
        ("statsec", S4): {"pop_total": 7, "pop_age_65plus": 3, "pop_age_80_89": 1, "pop_age_90plus": 0},
        ("gemeente", "11111"): gemeente
        if gemeente is not None
        else {"pop_total": 105, "pop_age_65plus": 50, "pop_age_80_89": 20, "pop_age_90plus": 4},
        ("gewest", "2000"): {"pop_total": 1_000_000, "pop_age_65plus": 200_000},
    }
    out = []
    for (lvl, code), values in rows.items():
        for var, v in values.items():
            out.append((lvl, code, var, "2025", None if v == "x" else float(v), "verborgen" if v == "x" else "ok"))
    return pd.DataFrame(out, columns=["area_level", "area_code", "variable", "period", "value", "status"])


PARENTS = pd.DataFrame(
    {"code": [S1, S2, S3, S4], "gemeente": ["11111", "11111", "11111", "22222"], "gewest": ["2000"] * 4}
)


def _obs_dict(obs: pd.DataFrame) -> dict:
    return {
        (r.area_level, r.area_code, r.variable): (None if pd.isna(r.value) else float(r.value), r.status)
        for r in obs.itertuples()
    }


def test_observations_per_sector(table):
    obs = _obs_dict(access_observations(table.reset_index(drop=True), _base_obs(), "2025", DEFAULTS, PARENTS))
    # S1 = P1 (10: basket yes, bus no, lint) + P3 (60: basket no, bus no, elders).
    assert obs[("statsec", S1, "acc_pop")] == (70.0, "ok")
    assert obs[("statsec", S1, "acc_pop_no_basket_1200m")] == (60.0, "ok")
    assert obs[("statsec", S1, "acc_pop_no_basket_3750m")] == (0.0, "ok")  # P3's basket: 3059 m
    assert obs[("statsec", S1, "acc_pop_no_bus_400m")] == (70.0, "ok")
    assert obs[("statsec", S1, "acc_pop_in_lint")] == (10.0, "ok")
    assert obs[("statsec", S1, "acc_pop_in_kern")] == (0.0, "ok")
    assert obs[("statsec", S3, "acc_pop_no_basket_3750m")] == (5.0, "ok")  # P4's basket: 4600 m
    assert obs[("statsec", S3, "acc_pop_in_verspreid")] == (5.0, "ok")
    assert obs[("statsec", S2, "acc_pop_in_kern")] == (30.0, "ok")
    # 65+ and 80+ (80+ from its parts 80-89 and 90+) spread over S1's places.
    assert obs[("statsec", S1, "acc_pop_65plus")] == (20.0, "ok")
    assert obs[("statsec", S1, "acc_pop_65plus_no_basket_1200m")][0] == pytest.approx(20 * 60 / 70)
    assert obs[("statsec", S1, "acc_pop_80plus")] == (8.0, "ok")
    assert obs[("statsec", S1, "acc_pop_80plus_no_bus_400m")][0] == pytest.approx(8.0)
    # Hidden age counts stay hidden: no value, never 0.
    for sector in (S2, S3):
        for var in ("acc_pop_65plus", "acc_pop_65plus_no_bus_400m", "acc_pop_80plus_no_basket_1200m"):
            assert obs[("statsec", sector, var)] == (None, "verborgen"), (sector, var)


def test_municipal_rows_spread_the_hidden_sectors_residual(table):
    obs = _obs_dict(access_observations(table.reset_index(drop=True), _base_obs(), "2025", DEFAULTS, PARENTS))
    # 65+: 50 in 11111, S1 publishes 20, so S2 and S3 hold 30 together, spread over P2 (30) and P4 (5).
    # P2 and P4 both lack the basket; only P4 (5 of 35) lacks the bus.
    assert obs[("gemeente", "11111", "acc_pop_65plus")][0] == pytest.approx(50.0)
    assert obs[("gemeente", "11111", "acc_pop_65plus_no_basket_1200m")][0] == pytest.approx(20 * 60 / 70 + 30)
    assert obs[("gemeente", "11111", "acc_pop_65plus_no_bus_400m")][0] == pytest.approx(20 + 30 * 5 / 35)
    # 80+: 20 + 4 = 24 in 11111, S1 has 8, so 16 for S2 and S3.
    assert obs[("gemeente", "11111", "acc_pop_80plus")][0] == pytest.approx(24.0)
    assert obs[("gemeente", "11111", "acc_pop_80plus_no_basket_1200m")][0] == pytest.approx(8 * 60 / 70 + 16)
    assert obs[("gemeente", "11111", "acc_pop_80plus_no_bus_400m")][0] == pytest.approx(8 + 16 * 5 / 35)
    # 22222 publishes no count of its own: no municipal rows (the engine sums its sector).
    assert not any(k[:2] == ("gemeente", "22222") for k in obs)
    # Flanders is far bigger than these sectors: its access counts are missing, not a partial sum.
    assert obs[("gewest", "2000", "acc_pop")] == (None, "ontbrekend")
    assert obs[("gewest", "2000", "acc_pop_80plus_no_bus_400m")] == (None, "ontbrekend")


def test_no_municipal_rows_without_its_own_count_or_with_an_uncovered_sector(table):
    hidden_own = _base_obs(gemeente={"pop_total": 105, "pop_age_65plus": "x", "pop_age_80_89": 20, "pop_age_90plus": 4})
    obs = _obs_dict(access_observations(table.reset_index(drop=True), hidden_own, "2025", DEFAULTS, PARENTS))
    assert ("gemeente", "11111", "acc_pop_65plus") not in obs
    assert obs[("gemeente", "11111", "acc_pop_80plus")][0] == pytest.approx(24.0)
    # A sector with inhabitants but no place in the grid: unknown, so no sector rows and no municipal rows.
    uncovered = pd.concat(
        [PARENTS, pd.DataFrame({"code": ["11111A03-"], "gemeente": ["11111"], "gewest": ["2000"]})], ignore_index=True
    )
    base = pd.concat(
        [
            _base_obs(),
            pd.DataFrame([("statsec", "11111A03-", "pop_total", "2025", 12.0, "ok")], columns=_base_obs().columns),
        ],
        ignore_index=True,
    )
    obs = _obs_dict(access_observations(table.reset_index(drop=True), base, "2025", DEFAULTS, uncovered))
    assert not any(k[:2] == ("statsec", "11111A03-") for k in obs)
    assert ("gemeente", "11111", "acc_pop_80plus") not in obs
    # A sector without inhabitants gets zeros.
    base.loc[base["area_code"] == "11111A03-", "value"] = 0.0
    obs = _obs_dict(access_observations(table.reset_index(drop=True), base, "2025", DEFAULTS, uncovered))
    assert obs[("statsec", "11111A03-", "acc_pop")] == (0.0, "ok")
    assert obs[("gemeente", "11111", "acc_pop_80plus")][0] == pytest.approx(24.0)


# --- on the demo store -------------------------------------------------------------------------------


@pytest.fixture
def demo_store(demo_db):
    yield Store.open(demo_db)
    close_all()


def _stored_access(store: Store) -> pd.DataFrame:
    obs = store.observations(list(access.ACCESS_VARIABLES), [DEMO_PERIODS[-1]])
    return obs.sort_values(["area_level", "area_code", "variable"]).reset_index(drop=True)


def test_demo_place_table_is_the_computation_on_the_stored_layers(demo_store):
    stored = demo_store.place_access()
    places = residential_places(demo_store.grid_cells(DEMO_DATASET_ID))
    features = demo_store.features(DEMO_DATASET_ID)
    again = compute_place_access(places, amenity_points(features), demo_store.stops(DEMO_DATASET_ID), features)
    assert len(stored) == len(again) > 1000
    key = ["statsec", "x", "y"]
    pd.testing.assert_frame_equal(
        stored.sort_values(key).reset_index(drop=True), again.sort_values(key).reset_index(drop=True), check_dtype=False
    )
    assert stored["residents"].sum() == demo_store._scalar("SELECT sum(value) FROM grid_cells WHERE layer = 'inwoners'")
    assert set(stored["settlement"]) == {"kern", "lint", "verspreid", "elders"}


def test_demo_observations_are_a_recomputation_from_the_place_table(demo_store):
    period = DEMO_PERIODS[-1]
    base = demo_store.observations(["pop_total", "pop_age_65plus", "pop_age_80_89", "pop_age_90plus"], [period])
    again = access_observations(demo_store.place_access(), base, period, DEFAULTS, demo_store.parents("statsec"))
    again = again.sort_values(["area_level", "area_code", "variable"]).reset_index(drop=True)
    stored = _stored_access(demo_store)
    pd.testing.assert_frame_equal(
        stored[["area_level", "area_code", "variable", "status"]],
        again[["area_level", "area_code", "variable", "status"]],
    )
    np.testing.assert_allclose(
        stored["value"].to_numpy(dtype=float, na_value=np.nan),
        again["value"].to_numpy(dtype=float, na_value=np.nan),
        rtol=1e-9,
    )


def test_demo_engine_values_are_ratios_of_sums_of_the_place_table(demo_store):
    places = demo_store.place_access()
    parents = demo_store.parents("statsec").set_index("code")
    places["gemeente"] = parents["gemeente"].reindex(places["statsec"]).to_numpy()
    lack = places["dist_basket"].isna() | (places["dist_basket"] > 1200)
    result = compute(
        demo_store,
        ["pct_no_basket_1200m", "pct_no_bus_400m", "pct_in_kern"],
        areas=[("gemeente", TOWN_CODE), ("elz", DEMO_ELZ_CODE)],
    )
    for (lvl, code), rows in result.groupby(["area_level", "area_code"]):
        mine = places if lvl == "elz" else places[places["gemeente"] == code]
        get = rows.set_index("indicator")["value"]
        assert get["pct_no_basket_1200m"] == pytest.approx(
            100 * mine["residents"][lack].sum() / mine["residents"].sum()
        )
        bus = mine["dist_bus_1"].isna() | (mine["dist_bus_1"] > 400)
        assert get["pct_no_bus_400m"] == pytest.approx(100 * mine["residents"][bus].sum() / mine["residents"].sum())
        assert get["pct_in_kern"] == pytest.approx(
            100 * mine["residents"][mine["settlement"] == "kern"].sum() / mine["residents"].sum()
        )


def test_demo_80plus_access_of_municipalities_and_zone(demo_store):
    stored = _stored_access(demo_store)
    gem = stored[stored["area_level"] == "gemeente"].set_index(["area_code", "variable"])["value"].astype(float)
    result = compute(demo_store, ["pct_80plus_no_basket_1200m", "n_80plus_no_bus_400m"], level="gemeente")
    result = pd.concat(
        [
            result,
            compute(demo_store, ["pct_80plus_no_basket_1200m", "n_80plus_no_bus_400m"], areas=[("elz", DEMO_ELZ_CODE)]),
        ]
    )
    assert (result["status"] == "ok").all()
    values = result.set_index(["area_code", "indicator"])["value"]
    for code in gem.index.get_level_values(0).unique():
        assert values[(code, "pct_80plus_no_basket_1200m")] == pytest.approx(
            100 * gem[(code, "acc_pop_80plus_no_basket_1200m")] / gem[(code, "acc_pop_80plus")]
        )
        assert values[(code, "n_80plus_no_bus_400m")] == pytest.approx(gem[(code, "acc_pop_80plus_no_bus_400m")])
    zone = gem.groupby(level="variable").sum()
    assert values[(DEMO_ELZ_CODE, "pct_80plus_no_basket_1200m")] == pytest.approx(
        100 * zone["acc_pop_80plus_no_basket_1200m"] / zone["acc_pop_80plus"]
    )
    # The municipality's 80+ in places is its published 80+ (the hidden tiny sector included).
    base = derive_counts(
        demo_store.observations(["pop_age_80_89", "pop_age_90plus"], [DEMO_PERIODS[-1]], [("gemeente", TOWN_CODE)])
    )
    published = base.loc[base["variable"] == "pop_age_80plus", "value"].iloc[0]
    assert gem[(TOWN_CODE, "acc_pop_80plus")] == pytest.approx(published)
    # The tiny sector stays hidden, and so does the wijk around it; Flanders is not the zone's sum.
    tiny = compute(
        demo_store,
        ["pct_80plus_no_basket_1200m", "pct_no_basket_1200m"],
        areas=[
            ("statsec", TINY_SECTOR),
            ("wijk", demo_store.parent_of("statsec", TINY_SECTOR, "wijk")),
            ("gewest", "2000"),
        ],
    ).set_index(["area_level", "indicator"])["status"]
    assert tiny[("statsec", "pct_80plus_no_basket_1200m")] == "verborgen"
    assert tiny[("statsec", "pct_no_basket_1200m")] == "ok"
    assert tiny[("wijk", "pct_80plus_no_basket_1200m")] == "onvolledig"
    assert tiny[("gewest", "pct_no_basket_1200m")] == "ontbrekend"


# --- writing ---------------------------------------------------------------------------------------


@pytest.fixture
def demo_copy(demo_db, tmp_path):
    close_all()
    path = tmp_path / "copy.duckdb"
    shutil.copy(demo_db, path)
    yield Store.open(path)
    close_all()


def _snapshot(store: Store) -> tuple:
    pa = store._query_df("SELECT count(*) AS n, sum(residents) AS r, sum(dist_basket) AS d FROM place_access")
    obs = store._query_df("SELECT count(*) AS n, sum(value) AS v FROM observations WHERE variable LIKE 'acc_%'")
    return tuple(pa.iloc[0]) + tuple(obs.iloc[0])


def test_recomputing_replaces_and_never_duplicates(demo_copy):
    before = _snapshot(demo_copy)
    summary = compute_and_store_access(demo_copy, DEMO_DATASET_ID, DEMO_PERIODS[-1])
    after = _snapshot(demo_copy)
    assert after[0] == before[0] == summary.places
    assert after[3] == before[3] == summary.observations
    assert after[1] == pytest.approx(before[1]) and after[4] == pytest.approx(before[4])
    assert "woonplaatsen" in summary.text() and "inwoners" in summary.text()


def test_a_failure_in_the_middle_leaves_the_store_unchanged(demo_copy, monkeypatch):
    # Make the stored table differ from a recomputation, so a half-done write would show.
    demo_copy._cursor().execute("UPDATE place_access SET residents = residents + 1 WHERE statsec = ?", [TINY_SECTOR])
    before = _snapshot(demo_copy)

    def boom(*args, **kwargs):
        raise RuntimeError("schijf vol")

    # The place table is written first; the observations then fail.
    monkeypatch.setattr(Store, "replace_observations", boom)
    with pytest.raises(RuntimeError, match="schijf vol"):
        compute_and_store_access(demo_copy, DEMO_DATASET_ID, DEMO_PERIODS[-1])
    assert _snapshot(demo_copy) == before


# --- combining layers from separate imports -------------------------------------------------------------


def _split_into_imports(store: Store) -> pd.DataFrame:
    """Move the demo's layers into separate datasets, as imports of separate files leave them,
    and forget its access results; returns the access table it had."""
    had = store.place_access()
    moves = [
        ("features", "osm", "layer = 'voorziening'"),
        ("features", "kernen", "layer = 'nederzetting'"),
        ("stops", "gtfs", "TRUE"),
        ("grid_cells", "raster-inwoners", "layer = 'inwoners'"),
    ]
    cur = store._cursor()
    for table, dataset, where in moves:
        cur.execute(f"UPDATE {table} SET dataset_id = ? WHERE {where}", [dataset])
        cur.execute("INSERT INTO datasets VALUES (?, ?, 'test', NULL, FALSE, NULL, now())", [dataset, dataset])
    cur.execute("DELETE FROM place_access")
    cur.execute("DELETE FROM observations WHERE variable IN (SELECT unnest(?))", [list(access.ACCESS_VARIABLES)])
    return had


def test_combined_layers_of_separate_imports_give_the_same_access(demo_copy):
    had = _split_into_imports(demo_copy)
    inputs = access.access_inputs(demo_copy)
    assert inputs.blocking == [] and inputs.computed_at is None
    assert inputs.residents_cells == len(had) and inputs.amenities["school"] > 0
    summary = compute_and_store_access(demo_copy, None, DEMO_PERIODS[-1])
    assert summary.dataset_id == access.ACCESS_DATASET and summary.places == len(had)
    key = ["statsec", "x", "y"]
    pd.testing.assert_frame_equal(
        demo_copy.place_access().sort_values(key).reset_index(drop=True),
        had.sort_values(key).reset_index(drop=True),
        check_dtype=False,
    )
    # The engine finds the counts, now held by the derived dataset, and the result is recorded.
    assert set(demo_copy._query_df("SELECT DISTINCT dataset_id FROM place_access")["dataset_id"]) == {
        access.ACCESS_DATASET
    }
    result = compute(demo_copy, ["pct_no_basket_1200m"], areas=[("elz", DEMO_ELZ_CODE)])
    assert result["status"].iloc[0] == "ok"
    after = access.access_inputs(demo_copy)
    assert after.computed_at is not None and not after.is_stale


def test_combined_access_replaces_every_earlier_result_and_goes_stale_after_an_import(demo_copy):
    # The demo's own result (under the demo dataset) is replaced, never kept beside the combined one.
    before = len(demo_copy.place_access())
    compute_and_store_access(demo_copy, None, DEMO_PERIODS[-1])
    assert len(demo_copy.place_access()) == before
    n_obs = demo_copy._scalar("SELECT count(*) FROM observations WHERE variable = 'acc_pop'")
    compute_and_store_access(demo_copy, None, DEMO_PERIODS[-1])
    assert demo_copy._scalar("SELECT count(*) FROM observations WHERE variable = 'acc_pop'") == n_obs
    assert not access.access_inputs(demo_copy).is_stale
    demo_copy.import_dataset("later", title="later", source="test")
    assert access.access_inputs(demo_copy).is_stale


def test_combined_access_without_residents_cells_says_what_to_import(demo_copy):
    demo_copy._cursor().execute("DELETE FROM grid_cells WHERE layer = 'inwoners'")
    inputs = access.access_inputs(demo_copy)
    assert inputs.blocking and "bevolkingsraster" in inputs.blocking[0]
    with pytest.raises(ValueError, match="bevolkingsraster"):
        compute_and_store_access(demo_copy, None, DEMO_PERIODS[-1])


def test_stops_without_any_timetable_leave_the_bus_counts_unknown(demo_store):
    period = DEMO_PERIODS[-1]
    variables = ["pop_total", "pop_age_65plus", "pop_age_80_89", "pop_age_90plus"]
    base = demo_store.observations(variables, [period])
    stops = demo_store.stops(DEMO_DATASET_ID)
    args = (
        demo_store.features(DEMO_DATASET_ID),
        demo_store.grid_cells(DEMO_DATASET_ID, layer="inwoners"),
        base,
        period,
        demo_store.parents("statsec"),
    )
    _, with_times = access.build_access(args[0], stops, *args[1:])
    bus = with_times["variable"].str.contains("_no_bus_")
    assert bus.any() and (with_times.loc[bus, "status"] == "ok").any()
    # The same stops as the Haltes export gives them: places, no departures.
    _, without = access.build_access(args[0], stops.assign(departures_per_hour=np.nan), *args[1:])
    bus = without["variable"].str.contains("_no_bus_")
    assert (without.loc[bus, "status"] == "ontbrekend").all() and without.loc[bus, "value"].isna().all()
    # Everything else is as before.
    pd.testing.assert_frame_equal(
        without[~bus].reset_index(drop=True), with_times[~bus].reset_index(drop=True), check_dtype=False
    )
    assert not access.has_timetable(stops.assign(departures_per_hour=np.nan))
    assert access.has_timetable(stops)


def _amenity(fid, category, dx, dy, dataset):
    return {
        "layer": "voorziening",
        "feature_id": fid,
        "category": category,
        "name": fid,
        "geom_lambert": shapely.to_wkb(_pt(dx, dy)),
        "dataset_id": dataset,
    }


def test_the_same_amenity_from_two_imports_counts_once():
    features = pd.DataFrame(
        [
            _amenity("afmps-1", "apotheek", 0, 0, "afmps"),
            _amenity("osm-1", "apotheek", 12, 5, "osm"),  # the same pharmacy, 13 m away
            _amenity("osm-2", "apotheek", 500, 0, "osm"),  # another one
            _amenity("osm-3", "huisarts", 5, 0, "osm"),  # another category on the same spot
            _amenity("afmps-2", "apotheek", 800, 0, "afmps"),
            _amenity("afmps-3", "apotheek", 810, 0, "afmps"),  # two of one list stay two
            {
                "layer": "nederzetting",
                "feature_id": "k",
                "category": "kern",
                "name": "k",
                "geom_lambert": shapely.to_wkb(_box(-10, -10, 10, 10)),
                "dataset_id": "kernen",
            },
        ]
    )
    kept = access.without_duplicate_amenities(features)
    assert sorted(kept["feature_id"]) == ["afmps-1", "afmps-2", "afmps-3", "k", "osm-2", "osm-3"]
    # One import alone is never touched.
    single = features[features["dataset_id"] != "osm"]
    assert len(access.without_duplicate_amenities(single)) == len(single)
