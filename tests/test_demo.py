"""The fictional demo zone Heidekempen: geometry, consistency of the counts, spatial layers, install."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
import shapely

from zorgzaam import demo
from zorgzaam.areas import LEVEL_CODES, is_sector_code
from zorgzaam.catalogue import BUILTIN
from zorgzaam.store import Store, close_all


@pytest.fixture(scope="module")
def data() -> demo.DemoData:
    return demo.build_demo()


@pytest.fixture(autouse=True)
def _close():
    yield
    close_all()


def _sectors(data: demo.DemoData) -> pd.DataFrame:
    return data.areas[data.areas["level"] == "statsec"]


def _wide(frame: pd.DataFrame) -> pd.DataFrame:
    """(area_code, period) x variable, only values with status ok."""
    ok = frame[frame["status"] == "ok"]
    return ok.pivot_table(index=["area_code", "period"], columns="variable", values="value", aggfunc="first")


def _pct_80plus(wide: pd.DataFrame) -> pd.Series:
    return (wide["pop_age_80_89"] + wide["pop_age_90plus"]) / wide["pop_total"]


# --- areas and geometry ------------------------------------------------------------------------


def test_levels_codes_and_counts(data):
    areas = data.areas
    assert set(areas["level"]) == set(LEVEL_CODES)
    assert not areas.duplicated(["level", "code"]).any()
    munis = areas[areas["level"] == "gemeente"]
    assert sorted(munis["code"]) == ["13091", "13092", "13093", "13094", "13095"]
    sectors = _sectors(data)
    assert 80 <= len(sectors) <= 150
    assert all(is_sector_code(c) for c in sectors["code"])
    # NIS5 + deelgemeente letter, and that deelgemeente exists.
    dg = set(areas.loc[areas["level"] == "deelgemeente", "code"])
    assert {c[:6] for c in sectors["code"]} == dg
    assert all(len(c) == 6 and c[:5] in set(munis["code"]) and c[5].isalpha() for c in dg)
    wijken = areas.loc[areas["level"] == "wijk", "code"]
    assert wijken.str.fullmatch(r"1309[1-5]W\d{2}").all()
    assert areas.loc[areas["level"] == "elz", "code"].tolist() == [demo.DEMO_ELZ_CODE]
    assert areas.loc[areas["level"] == "elz", "name"].tolist() == [demo.DEMO_ELZ_NAME]
    assert areas.loc[areas["level"] == "provincie", "code"].tolist() == ["10000"]
    assert areas.loc[areas["level"] == "gewest", "code"].tolist() == ["2000"]


def test_sector_names_are_unique_within_a_municipality(data):
    sectors = _sectors(data)
    assert not sectors.assign(nis=sectors["code"].str[:5]).duplicated(["nis", "name"]).any()
    assert sectors["name"].str.len().min() > 2


def test_special_sectors_are_where_the_constants_say(data):
    names = _sectors(data).set_index("code")["name"]
    assert names[demo.TOWN_CENTRE_SECTORS[0]] == "Heidebeek-Centrum"
    assert names[demo.WZC_SECTOR] == "Ter Heide"
    assert names[demo.TINY_SECTOR] == "Industriezone De Vaart"
    assert names[demo.VERKAVELING_SECTOR] == "Zonneveld"
    for code in demo.RIBBON_SECTORS + demo.AGEING_RURAL_SECTORS + demo.SMALL_RURAL_SECTORS:
        assert code in names.index
    assert len(demo.RIBBON_SECTORS) >= 10 and len(demo.AGEING_RURAL_SECTORS) >= 20


def test_all_polygons_are_valid_and_inside_the_bounds(data):
    with_geom = data.areas[data.areas["geom_lambert"].notna()]
    assert set(with_geom["level"]) == {"statsec", "wijk", "deelgemeente", "gemeente", "elz"}
    geoms = shapely.from_wkb(with_geom["geom_lambert"].tolist())
    assert shapely.is_valid(geoms).all()
    assert (shapely.get_type_id(geoms) == 3).all()  # one Polygon each: contiguous areas
    xmin, ymin, xmax, ymax = demo.LAMBERT_BOUNDS
    b = shapely.bounds(geoms)
    assert (b[:, 0] >= xmin).all() and (b[:, 1] >= ymin).all() and (b[:, 2] <= xmax).all() and (b[:, 3] <= ymax).all()
    display = shapely.from_wkb(with_geom["geom_display"].tolist())
    assert shapely.is_valid(display).all()
    db = shapely.bounds(display)
    assert (db[:, 0] > 4.9).all() and (db[:, 2] < 5.6).all() and (db[:, 1] > 51.0).all() and (db[:, 3] < 51.4).all()


def test_sectors_tile_the_zone_without_overlaps(data):
    sectors = shapely.from_wkb(_sectors(data)["geom_lambert"].tolist())
    union = shapely.union_all(sectors)
    total = shapely.area(sectors).sum()
    assert abs(total - union.area) / union.area < 0.001
    zone = shapely.from_wkb(data.areas.loc[data.areas["level"] == "elz", "geom_lambert"].iloc[0])
    assert abs(zone.area - union.area) / zone.area < 0.001
    assert 250e6 <= zone.area <= 350e6
    # area_ha follows the Lambert geometry.
    assert np.allclose(_sectors(data)["area_ha"].astype(float), shapely.area(sectors) / 1e4, rtol=0, atol=0.006)


def test_coarser_areas_are_unions_of_their_sectors(data):
    areas = data.areas.set_index(["level", "code"])
    parents = data.area_parents
    for level in ("wijk", "deelgemeente", "gemeente"):
        for code in areas.loc[level].index:
            members = parents[
                (parents["level"] == "statsec") & (parents["parent_level"] == level) & (parents["parent_code"] == code)
            ]["code"]
            assert len(members) >= (3 if level == "wijk" else 1)
            if level == "wijk":
                assert len(members) <= 8
            geom = shapely.from_wkb(areas.loc[(level, code), "geom_lambert"])
            parts = shapely.from_wkb(areas.loc[[("statsec", m) for m in members], "geom_lambert"].tolist())
            assert abs(shapely.union_all(parts).area - geom.area) < 1.0


def test_parents_are_complete(data):
    parents = data.area_parents
    assert not parents.duplicated(["level", "code", "parent_level"]).any()
    expected = {
        "statsec": {"wijk", "deelgemeente", "gemeente", "elz", "provincie", "gewest"},
        "wijk": {"gemeente", "elz", "provincie", "gewest"},
        "deelgemeente": {"gemeente", "elz", "provincie", "gewest"},
        "gemeente": {"elz", "provincie", "gewest"},
        "elz": {"provincie", "gewest"},
        "provincie": {"gewest"},
    }
    known = set(zip(data.areas["level"], data.areas["code"]))
    for level, code in known:
        if level == "gewest":
            continue
        got = parents[(parents["level"] == level) & (parents["code"] == code)]
        assert set(got["parent_level"]) == expected[level], (level, code)
        for pl, pc in zip(got["parent_level"], got["parent_code"]):
            assert (pl, pc) in known
    sp = parents[parents["level"] == "statsec"].pivot(index="code", columns="parent_level", values="parent_code")
    assert (sp["gemeente"] == sp.index.str[:5]).all()
    assert (sp["deelgemeente"] == sp.index.str[:6]).all()
    assert (sp["wijk"].str[:5] == sp.index.str[:5]).all()
    assert (sp["elz"] == demo.DEMO_ELZ_CODE).all()


# --- base counts -------------------------------------------------------------------------------


def test_every_stored_count_for_every_sector_and_period(data):
    stored = [c for c, b in BUILTIN.base_counts.items() if not b.sum_of]
    assert set(demo.STORED_COUNTS) == set(stored)
    obs = data.observations
    assert not obs.duplicated(["area_level", "area_code", "variable", "period"]).any()
    assert set(obs["status"]) <= {"ok", "verborgen"}
    assert not obs["variable"].isin(["pop_age_0_19", "pop_age_40_79", "pop_age_80plus"]).any()
    sectors = obs[obs["area_level"] == "statsec"]
    n_sectors = len(_sectors(data))
    assert len(sectors) == n_sectors * len(stored) * len(demo.DEMO_PERIODS)
    assert set(sectors["period"]) == set(demo.DEMO_PERIODS)
    assert set(obs["area_level"]) == {"statsec", "gemeente", "provincie", "gewest"}  # nothing stored for the ELZ
    ok = obs[obs["status"] == "ok"]["value"].astype(float)
    assert (ok >= 0).all() and (ok == ok.round()).all()
    assert len(data.truth) == len(sectors) and (data.truth["status"] == "ok").all()


def test_counts_are_consistent(data):
    for frame in (data.truth, data.observations[data.observations["area_level"] != "statsec"]):
        w = _wide(frame)
        assert (w["pop_men"] + w["pop_women"] == w["pop_total"]).all()
        bands = [
            f"pop_age_{k}"
            for k in ("0_9", "10_19", "20_29", "30_39", "40_49", "50_59", "60_69", "70_79", "80_89", "90plus")
        ]
        assert (w[bands].sum(axis=1) == w["pop_total"]).all()
        assert (w["pop_age_65plus"] >= w["pop_age_75plus"]).all()
        assert (w["pop_age_75plus"] >= w["pop_age_80_89"] + w["pop_age_90plus"]).all()
        assert (w["pop_age_65plus"] <= w["pop_age_60_69"] + w[bands[7:]].sum(axis=1)).all()
        assert (w["pop_age_20_64"] <= w["pop_age_18_64"]).all()
        assert (w["pop_age_18_64"] <= w["pop_age_20_64"] + w["pop_age_10_19"]).all()
        assert (w["pop_alone_18_64"] <= w["pop_age_18_64"]).all()
        assert (w["pop_alone_75plus"] <= w["pop_age_75plus"]).all()
        assert (w["hh_single_person"] >= w["pop_alone_18_64"] + w["pop_alone_75plus"]).all()
        assert (w["hh_single_person"] <= w["hh_private"]).all()
        assert (w["hh_single_parent_minor"] < w["hh_private"]).all()
        assert (w["hh_tenant"] <= w["hh_known_tenure"]).all()
        assert (w["hh_known_tenure"] <= w["hh_private"]).all()
        assert (w["social_rental_dwellings"] <= w["hh_tenant"]).all()
        assert (w["pupils_primary_low_edu_mother"] <= w["pupils_primary"]).all()
        assert (w["pupils_secondary_low_edu_mother"] <= w["pupils_secondary"]).all()
        assert (w["insured_20_64"] <= w["pop_age_20_64"]).all()
        assert (w["insured_65plus"] <= w["pop_age_65plus"]).all()
        assert (w["insured_total"] <= w["pop_total"]).all()
        assert (w["insured_total"] >= w["insured_20_64"] + w["insured_65plus"]).all()
        big = w["pop_total"] >= 100  # in a dozen residents one uninsured person is already 8 %
        assert (w.loc[big, "insured_total"] >= 0.93 * w.loc[big, "pop_total"]).all()
        assert (w.loc[big, "insured_20_64"] >= 0.9 * w.loc[big, "pop_age_20_64"]).all()
        assert (w.loc[big, "insured_65plus"] >= 0.9 * w.loc[big, "pop_age_65plus"]).all()
        assert (w["insured_20_64_increased"] <= w["insured_20_64"]).all()
        assert (w["insured_65plus_replacement_income"] <= w["insured_65plus"]).all()
        assert (w["insured_chronic"] <= w["insured_total"]).all()
        assert (w["insured_antidepressants"] <= w["insured_total"]).all()
        assert (w["pop_same_address"] <= w["pop_total"]).all()
        assert (w["pop_non_belgian_birth_nat"] <= w["pop_non_belgian_origin"]).all()
        assert (w["pop_non_belgian_origin"] <= w["pop_total"]).all()


def test_unsuppressed_sector_observations_equal_the_truth(data):
    obs = data.observations[data.observations["area_level"] == "statsec"]
    merged = obs.merge(data.truth, on=["area_level", "area_code", "variable", "period"], suffixes=("", "_true"))
    assert len(merged) == len(obs)
    ok = merged[merged["status"] == "ok"]
    assert (ok["value"] == ok["value_true"]).all()


def test_municipal_observations_are_sums_of_the_true_sector_counts(data):
    truth = data.truth.assign(nis=data.truth["area_code"].str[:5])
    expected = truth.groupby(["nis", "variable", "period"])["value"].sum()
    gem = data.observations[data.observations["area_level"] == "gemeente"]
    assert len(gem) == 5 * len(demo.STORED_COUNTS) * len(demo.DEMO_PERIODS)
    assert (gem["status"] == "ok").all()
    got = gem.set_index(["area_code", "variable", "period"])["value"]
    got.index.names = expected.index.names
    pd.testing.assert_series_equal(
        got.sort_index().astype(float), expected.sort_index().astype(float), check_names=False
    )
    # And they include the hidden sector values.
    hidden = data.observations[(data.observations["status"] == "verborgen")]
    assert not hidden.empty


def test_tiny_sector_is_hidden_except_its_population(data):
    obs = data.observations
    tiny = obs[obs["area_code"] == demo.TINY_SECTOR]
    assert len(tiny) == len(demo.STORED_COUNTS) * len(demo.DEMO_PERIODS)
    pop = tiny[tiny["variable"] == "pop_total"]
    assert (pop["status"] == "ok").all()
    assert pop["value"].between(8, 20).all()
    rest = tiny[tiny["variable"] != "pop_total"]
    assert (rest["status"] == "verborgen").all()
    assert rest["value"].isna().all()  # NULL, never 0


def test_small_rural_sectors_hide_only_health_counts(data):
    obs = data.observations
    for code in demo.SMALL_RURAL_SECTORS:
        rows = obs[obs["area_code"] == code]
        hidden = rows[rows["status"] == "verborgen"]
        assert set(hidden["variable"]) == set(demo.SMALL_SECTOR_HIDDEN)
        assert hidden["value"].isna().all()
        pop = rows[rows["variable"] == "pop_total"]["value"]
        assert (pop < 150).all() and (pop >= 100).all()
    only = obs[(obs["status"] == "verborgen") & (obs["area_code"] != demo.TINY_SECTOR)]
    assert set(only["area_code"]) == set(demo.SMALL_RURAL_SECTORS)


def test_sector_populations_and_zone_total(data):
    w = _wide(data.truth)
    for period in demo.DEMO_PERIODS:
        pop = w.xs(period, level="period")["pop_total"]
        assert 60_000 <= pop.sum() <= 90_000
        town = pop[pop.index.isin(demo.TOWN_CENTRE_SECTORS)]
        assert town.between(600, 2500).all()
        rural = pop[pop.index.isin(demo.AGEING_RURAL_SECTORS)]
        assert rural.between(120, 900).all()
        assert pop.drop(demo.TINY_SECTOR).min() >= 100


def test_wzc_sector_has_the_highest_share_of_80plus(data):
    w = _wide(data.observations[data.observations["area_level"] == "statsec"])
    for period in demo.DEMO_PERIODS:
        share = _pct_80plus(w.xs(period, level="period")).dropna()
        assert share.idxmax() == demo.WZC_SECTOR
        assert share[demo.WZC_SECTOR] > 0.15


def test_the_zone_has_recognisable_variety(data):
    w = _wide(data.truth).xs("2025", level="period")
    total = w.sum()

    def zone(num, den):
        return total[num] / total[den]

    centre = w.loc[list(demo.TOWN_CENTRE_SECTORS)].sum()
    rural = w.loc[list(demo.AGEING_RURAL_SECTORS)].sum()
    young = ["pop_age_20_29", "pop_age_30_39"]
    # Young town centre: more 20-39, single-person households, tenants, lower stability, more non-Belgian origin.
    assert centre[young].sum() / centre["pop_total"] > total[young].sum() / total["pop_total"] + 0.08
    assert centre["hh_single_person"] / centre["hh_private"] > zone("hh_single_person", "hh_private") + 0.05
    assert centre["hh_tenant"] / centre["hh_known_tenure"] > zone("hh_tenant", "hh_known_tenure") + 0.15
    assert centre["pop_same_address"] / centre["pop_total"] < zone("pop_same_address", "pop_total") - 0.04
    assert centre["pop_non_belgian_origin"] / centre["pop_total"] > zone("pop_non_belgian_origin", "pop_total")
    # Ageing rural sectors: more 65+, owners, stable, lower mantelzorgratio.
    assert rural["pop_age_65plus"] / rural["pop_total"] > zone("pop_age_65plus", "pop_total") + 0.03
    assert rural["hh_tenant"] / rural["hh_known_tenure"] < zone("hh_tenant", "hh_known_tenure")
    assert rural["pop_same_address"] / rural["pop_total"] > zone("pop_same_address", "pop_total")
    mzr = ["pop_age_40_49", "pop_age_50_59", "pop_age_60_69", "pop_age_70_79"]
    old = ["pop_age_80_89", "pop_age_90plus"]
    assert rural[mzr].sum() / rural[old].sum() < total[mzr].sum() / total[old].sum()
    # Social housing estate; most sectors have none.
    social = w["social_rental_dwellings"]
    assert social.idxmax() == demo.SOCIAL_HOUSING_SECTOR
    assert (social == 0).mean() > 0.4
    # WZC: low stability.
    wzc = w.loc[demo.WZC_SECTOR]
    assert wzc["pop_same_address"] / wzc["pop_total"] < zone("pop_same_address", "pop_total")


def test_changes_between_periods(data):
    w = _wide(data.truth)
    pop = w["pop_total"].unstack("period")
    assert pop.loc[demo.VERKAVELING_SECTOR, "2025"] > 2 * pop.loc[demo.VERKAVELING_SECTOR, "2020"]
    old = (w["pop_age_65plus"]).unstack("period").sum()
    assert old["2025"] / pop["2025"].sum() > old["2020"] / pop["2020"].sum()  # ageing
    v = w.loc[demo.VERKAVELING_SECTOR]
    assert (
        v.loc["2025", "pop_same_address"] / v.loc["2025", "pop_total"]
        < v.loc["2020", "pop_same_address"] / v.loc["2020", "pop_total"]
    )


def test_reference_levels_are_plausible(data):
    w = _wide(data.observations[data.observations["area_level"].isin(["provincie", "gewest"])])
    flanders = w.loc[("2000", "2025")]
    assert 6.6e6 < flanders["pop_total"] < 7.0e6
    assert 0.19 < flanders["pop_age_65plus"] / flanders["pop_total"] < 0.23
    assert 0.055 < (flanders["pop_age_80_89"] + flanders["pop_age_90plus"]) / flanders["pop_total"] < 0.075
    assert 0.27 < flanders["hh_single_person"] / flanders["hh_private"] < 0.34
    assert 0.23 < flanders["hh_tenant"] / flanders["hh_known_tenure"] < 0.29
    province = w.loc[("10000", "2025")]
    assert 1.8e6 < province["pop_total"] < 2.0e6
    assert w.loc[("2000", "2020"), "pop_total"] < flanders["pop_total"]


# --- spatial layers ----------------------------------------------------------------------------


def test_features(data):
    f = data.features
    assert not f.duplicated(["layer", "feature_id"]).any()
    settle = f[f["layer"] == "nederzetting"]
    assert set(settle["category"]) == {"kern", "lint", "verspreid"}
    geoms = shapely.from_wkb(f["geom_lambert"].tolist())
    assert shapely.is_valid(geoms).all() and not shapely.is_empty(geoms).any()
    types = dict(zip(f["category"], shapely.get_type_id(geoms)))
    assert types["kern"] == 3 and types["verspreid"] == 3 and types["lint"] == 1 and types["groen"] == 3
    vz = f[f["layer"] == "voorziening"]
    wanted = {
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
    }
    assert wanted <= set(vz["category"]) == set(demo.VOORZIENING_CATEGORIES)
    points = vz[vz["category"] != "groen"]
    assert (shapely.get_type_id(shapely.from_wkb(points["geom_lambert"].tolist())) == 0).all()
    assert vz["name"].notna().all() and not vz["name"].duplicated().any()
    assert all(json.loads(p)["bron"] == demo.DEMO_SOURCE for p in f["properties"])
    zone = shapely.from_wkb(data.areas.loc[data.areas["level"] == "elz", "geom_lambert"].iloc[0])
    assert shapely.covered_by(geoms, zone.buffer(1.0)).all()
    wzc = shapely.from_wkb(vz.loc[vz["category"] == "woonzorgcentrum", "geom_lambert"].iloc[0])
    sector = shapely.from_wkb(data.areas.set_index("code").loc[demo.WZC_SECTOR, "geom_lambert"])
    assert sector.contains(wzc)


def test_some_residents_lack_a_shop_within_walking_distance(data):
    f = data.features
    shops = shapely.from_wkb(
        f.loc[f["category"].isin(["voedingswinkel", "supermarkt", "bakker", "slager"]), "geom_lambert"].tolist()
    )
    cells = data.grid_cells[data.grid_cells["layer"] == "inwoners"]
    pts = shapely.points(cells["x"].to_numpy(), cells["y"].to_numpy())
    near = shapely.dwithin(pts, shapely.union_all(shops), 1200)
    lacking = cells.loc[~near, "value"].sum() / cells["value"].sum()
    assert 0.05 < lacking < 0.5


def test_stops(data):
    s = data.stops
    assert s["stop_id"].is_unique and s["name"].is_unique
    assert s["is_belbus"].any()
    assert s.loc[s["is_belbus"], "departures_per_hour"].isna().all()
    regular = s.loc[~s["is_belbus"], "departures_per_hour"].astype(float)
    assert regular.notna().all() and regular.between(0.3, 8).all()
    assert regular.max() >= 4 and (regular <= 0.5).any() and regular.between(1, 2).any()
    back = shapely.points(s["lon"].to_numpy(), s["lat"].to_numpy())
    assert (shapely.get_x(back) > 4.9).all() and (shapely.get_y(back) > 51.0).all()
    xmin, ymin, xmax, ymax = demo.LAMBERT_BOUNDS
    assert s["x"].between(xmin, xmax).all() and s["y"].between(ymin, ymax).all()


def test_population_grid_sums_to_each_sectors_2025_population(data):
    g = data.grid_cells
    assert not g.duplicated(["layer", "x", "y"]).any()
    assert ((g["x"] - 50) % 100 == 0).all() and ((g["y"] - 50) % 100 == 0).all()
    pop = g[g["layer"] == "inwoners"]
    assert (pop["value"] > 0).all() and pop["statsec"].notna().all()
    sums = pop.groupby("statsec")["value"].sum()
    truth = data.truth[(data.truth["variable"] == "pop_total") & (data.truth["period"] == "2025")]
    expected = truth.set_index("area_code")["value"]
    pd.testing.assert_series_equal(
        sums.sort_index().astype(float), expected.sort_index().astype(float), check_names=False
    )
    # Each cell centre lies in its own sector.
    sectors = _sectors(data).set_index("code")["geom_lambert"]
    for code, cells in pop.groupby("statsec"):
        poly = shapely.from_wkb(sectors[code])
        assert shapely.contains_xy(poly, cells["x"].to_numpy(), cells["y"].to_numpy()).all()


def test_walkability_covers_the_zone_and_is_highest_in_the_town(data):
    g = data.grid_cells
    walk = g[g["layer"] == "walkability"]
    zone = shapely.from_wkb(data.areas.loc[data.areas["level"] == "elz", "geom_lambert"].iloc[0])
    assert abs(len(walk) * 10_000 - zone.area) / zone.area < 0.01
    assert walk["value"].between(0, 100).all()
    by_sector = walk.groupby("statsec")["value"].mean()
    assert by_sector[list(demo.TOWN_CENTRE_SECTORS)].min() > by_sector[list(demo.AGEING_RURAL_SECTORS)].max()


# --- determinism and install -------------------------------------------------------------------


def test_build_is_deterministic(data):
    again = demo.build_demo()
    for name in ("areas", "area_parents", "observations", "features", "stops", "grid_cells", "truth"):
        pd.testing.assert_frame_equal(getattr(data, name), getattr(again, name), obj=name)
    other = demo.build_demo(seed=7)
    assert set(other.areas["code"]) == set(data.areas["code"])  # same plan, other shapes and numbers
    assert not other.observations["value"].equals(data.observations["value"])


def test_install_demo_writes_everything(tmp_path, data):
    store = Store.open(tmp_path / "t.duckdb")
    demo.install_demo(store)
    ds = store.datasets()
    assert ds["dataset_id"].tolist() == [demo.DEMO_DATASET_ID]
    assert bool(ds["is_demo"].iloc[0]) and ds["source"].iloc[0] == demo.DEMO_SOURCE
    assert store.has_demo()
    counts = dict(store.level_counts().itertuples(index=False))
    assert counts == data.areas["level"].value_counts().to_dict()
    n_obs = store._query_df(
        "SELECT count(*) AS n FROM observations WHERE dataset_id = ? AND variable NOT LIKE 'acc_%'",
        [demo.DEMO_DATASET_ID],
    )
    assert n_obs["n"].iloc[0] == len(data.observations) + len(data.cube)  # base counts and the cube
    hidden = store.observations(["pop_age_80_89"], ["2025"], [("statsec", demo.TINY_SECTOR)])
    assert hidden["status"].tolist() == ["verborgen"] and hidden["value"].isna().all()
    assert store.sectors_within("gemeente", ["13091"]) == sorted(
        data.areas.loc[(data.areas["level"] == "statsec") & data.areas["code"].str.startswith("13091"), "code"]
    )
    assert store.parent_of("statsec", demo.WZC_SECTOR, "elz") == demo.DEMO_ELZ_CODE
    for table, frame in (("features", data.features), ("stops", data.stops), ("grid_cells", data.grid_cells)):
        n = store._query_df(f"SELECT count(*) AS n FROM {table}")["n"].iloc[0]
        assert n == len(frame), table
    belbus = store._query_df("SELECT count(*) AS n FROM stops WHERE is_belbus AND departures_per_hour IS NULL")
    assert belbus["n"].iloc[0] == data.stops["is_belbus"].sum()
    geoms = store.geometries("statsec")
    assert len(geoms) == len(_sectors(data))
    # DuckDB hands BLOBs back as bytearray, which shapely.from_wkb refuses: convert first.
    assert shapely.is_valid(shapely.from_wkb([bytes(g) for g in geoms["geometry"]])).all()
    # Installing again replaces the demo instead of adding to it.
    demo.install_demo(store)
    again = store._query_df("SELECT count(*) AS n FROM observations")["n"].iloc[0]
    access = store._query_df("SELECT count(*) AS n FROM observations WHERE variable LIKE 'acc_%'")["n"].iloc[0]
    assert access > 0 and again == len(data.observations) + len(data.cube) + access
