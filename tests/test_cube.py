"""The population cube: names, the demo cube's consistency with the base counts, sums over sectors, cross tables."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from tests.helpers import SECTOR_1, make_store
from zorgzaam import demo
from zorgzaam.demo import build as demo_build
from zorgzaam.cube import (
    CUBE_AGE_BANDS,
    CUBE_POSITIONS,
    CUBE_SEXES,
    TOTAL,
    cube_crosstab,
    cube_periods,
    cube_variable,
    cube_variables,
    has_cube,
    is_cube_variable,
    parse_cube_variable,
    population_cube,
)
from zorgzaam.engine import compute
from zorgzaam.store import Store, close_all

KIDS = ("kind_gehuwd_paar", "kind_samenwonend_paar", "kind_alleenstaande_ouder")
# The 20-year cube bands as pairs of the 10-year base counts.
BAND_COUNTS = {
    "0_19": ("pop_age_0_9", "pop_age_10_19"),
    "20_39": ("pop_age_20_29", "pop_age_30_39"),
    "40_59": ("pop_age_40_49", "pop_age_50_59"),
    "60_79": ("pop_age_60_69", "pop_age_70_79"),
    "80plus": ("pop_age_80_89", "pop_age_90plus"),
}


@pytest.fixture(scope="module")
def built():
    """The demo, and per (sector, period) the collective residents and living-alone draws _derive saw."""
    seen = []
    original = demo_build._derive

    def recording(pop, coll, rates, draw, extra=None):
        out = original(pop, coll, rates, draw, extra)
        if extra is not None:  # sector calls only (the reference levels pass none)
            seen.append((np.array(coll), extra["alone"].copy()))
        return out

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(demo_build, "_derive", recording)  # where build_demo looks it up
        data = demo.build_demo()
    keys = data.truth[["area_code", "period"]].drop_duplicates()
    assert len(keys) == len(seen)
    return data, dict(zip(zip(keys["area_code"], keys["period"]), seen))


@pytest.fixture(scope="module")
def data(built) -> demo.DemoData:
    return built[0]


@pytest.fixture
def store(demo_db):
    s = Store.open(demo_db, read_only=True)
    yield s
    close_all()


def _split(frame: pd.DataFrame) -> pd.DataFrame:
    """Observation rows of cube variables with sex, age and position columns."""
    parts = pd.DataFrame(
        [parse_cube_variable(v) for v in frame["variable"]], columns=["sex", "age", "position"], index=frame.index
    )
    return frame.join(parts)


def _cube_of(data: demo.DemoData, codes: list[str], period: str) -> pd.Series:
    """True cube cells summed over sectors, indexed (sex, age, position)."""
    t = _split(data.cube_truth[data.cube_truth["area_code"].isin(codes) & (data.cube_truth["period"] == period)])
    return t.groupby(["sex", "age", "position"])["value"].sum().astype(float)


def _wide_truth(data: demo.DemoData) -> pd.DataFrame:
    return data.truth.pivot_table(index=["area_code", "period"], columns="variable", values="value", aggfunc="first")


# --- names -------------------------------------------------------------------------------------


def test_constants_follow_the_source():
    assert list(CUBE_SEXES.values()) == ["Mannen", "Vrouwen"]
    assert list(CUBE_AGE_BANDS) == ["0_19", "20_39", "40_59", "60_79", "80plus"]
    assert CUBE_AGE_BANDS["80plus"] == "80 jaar en ouder"
    assert len(CUBE_POSITIONS) == 12
    positions = list(CUBE_POSITIONS)
    assert positions[0] == "alleenwonend" and positions[-1] == "collectief"
    assert CUBE_POSITIONS["collectief"] == "Lid van collectief huishouden"


def test_variable_names_round_trip():
    assert cube_variable("man", "80plus", "alleenwonend") == "kubus|man|80plus|alleenwonend"
    names = cube_variables()
    assert len(names) == len(set(names)) == 2 * 5 * 12
    for name in names:
        assert cube_variable(*parse_cube_variable(name)) == name
        assert is_cube_variable(name)


@pytest.mark.parametrize(
    "name",
    [
        "pop_total",
        "kubus|man|80plus",
        "kubus|man|80+|alleenwonend",
        "kubus|x|0_19|overige",
        "kubus|man|0_19|alleenwonend|x",
        "Kubus|man|0_19|overige",
        "kubus|vrouw|0_19|",
    ],
)
def test_other_names_are_not_cube_cells(name):
    assert not is_cube_variable(name)
    with pytest.raises(ValueError):
        parse_cube_variable(name)


def test_unknown_keys_are_refused():
    with pytest.raises(ValueError, match="leeftijd"):
        cube_variable("vrouw", "65plus", "overige")
    with pytest.raises(ValueError):
        cube_variable("vrouw", "0_19", "gehuwd")


# --- the demo cube -----------------------------------------------------------------------------


def test_demo_cube_is_complete_and_kept_apart_from_the_base_counts(data):
    n_sectors = int((data.areas["level"] == "statsec").sum())
    truth = data.cube_truth
    assert len(truth) == n_sectors * len(demo.DEMO_PERIODS) * 120
    assert not truth.duplicated(["area_code", "variable", "period"]).any()
    assert set(truth["variable"]) == set(cube_variables())
    values = truth["value"].astype(float)
    assert (values >= 0).all() and (values == values.round()).all()
    assert set(data.cube["area_level"]) == {"statsec", "gemeente"}  # nothing for the reference levels
    assert not data.observations["variable"].map(is_cube_variable).any()
    assert not data.truth["variable"].map(is_cube_variable).any()


def test_demo_cube_adds_up_to_the_base_counts(data):
    cells = _split(data.cube_truth)
    by = cells.groupby(["area_code", "period"])
    w = _wide_truth(data)
    total = by["value"].sum().astype(float)
    assert (total == w["pop_total"].astype(float).reindex(total.index)).all()
    for sex, count in (("man", "pop_men"), ("vrouw", "pop_women")):
        part = cells[cells["sex"] == sex].groupby(["area_code", "period"])["value"].sum().astype(float)
        assert (part == w[count].astype(float).reindex(part.index)).all(), sex
    for age, (a, b) in BAND_COUNTS.items():
        part = cells[cells["age"] == age].groupby(["area_code", "period"])["value"].sum().astype(float)
        assert (part == (w[a] + w[b]).astype(float).reindex(part.index)).all(), age
    alone = (
        cells[cells["position"] == "alleenwonend"]
        .pivot_table(index=["area_code", "period"], columns="age", values="value", aggfunc="sum")
        .astype(float)
    )
    w = w.reindex(alone.index).astype(float)
    assert (alone.sum(axis=1) == w["hh_single_person"]).all()
    # 80+ lies within 75+, which lies within 60+.
    assert (alone["80plus"] <= w["pop_alone_75plus"]).all()
    assert (w["pop_alone_75plus"] <= alone["60_79"] + alone["80plus"]).all()
    # 18-64 lies between "under 60" and "under 80".
    under_60 = alone[["0_19", "20_39", "40_59"]].sum(axis=1)
    assert (under_60 <= w["pop_alone_18_64"]).all() and (w["pop_alone_18_64"] <= under_60 + alone["60_79"]).all()


def test_alone_and_collective_cells_are_the_draws_of_the_base_counts(built):
    data, seen = built
    cells = _split(data.cube_truth)
    checked = 0
    for (code, period), group in cells.groupby(["area_code", "period"]):
        coll, alone = seen[(code, period)]
        cube = group.set_index(["sex", "age", "position"])["value"].astype(float)
        for s, sex in enumerate(CUBE_SEXES):
            for k, age in enumerate(CUBE_AGE_BANDS):
                assert cube[(sex, age, "alleenwonend")] == alone[s, 4 * k : 4 * k + 4].sum()
                assert cube[(sex, age, "collectief")] == coll[s, 4 * k : 4 * k + 4].sum()
        checked += 1
    assert checked == len(seen)
    coll = cells[cells["position"] == "collectief"].groupby(["area_code", "period"])["value"].sum()
    assert set(coll[coll > 0].index.get_level_values("area_code")) == {demo.WZC_SECTOR}
    assert coll[(demo.WZC_SECTOR, "2020")] == 104 and coll[(demo.WZC_SECTOR, "2025")] == 118


def test_the_tiny_sector_cube_is_hidden_and_the_rest_is_the_truth(data):
    sectors = data.cube[data.cube["area_level"] == "statsec"]
    tiny = sectors[sectors["area_code"] == demo.TINY_SECTOR]
    assert len(tiny) == 120 * len(demo.DEMO_PERIODS)
    assert (tiny["status"] == "verborgen").all() and tiny["value"].isna().all()
    rest = sectors[sectors["area_code"] != demo.TINY_SECTOR]
    assert (rest["status"] == "ok").all()
    merged = rest.merge(data.cube_truth, on=["area_code", "variable", "period"], suffixes=("", "_true"))
    assert len(merged) == len(rest) and (merged["value"] == merged["value_true"]).all()


def test_municipal_cube_is_the_sum_of_all_its_sectors(data):
    truth = data.cube_truth.assign(nis=data.cube_truth["area_code"].str[:5])
    expected = truth.groupby(["nis", "variable", "period"])["value"].sum().astype(float)
    gem = data.cube[data.cube["area_level"] == "gemeente"]
    assert len(gem) == 5 * 120 * len(demo.DEMO_PERIODS) and (gem["status"] == "ok").all()
    got = gem.set_index(["area_code", "variable", "period"])["value"].astype(float)
    got.index.names = expected.index.names
    pd.testing.assert_series_equal(got.sort_index(), expected.sort_index(), check_names=False)
    # Heidebeek's total includes the hidden tiny sector and equals its stored population.
    pop = data.observations[
        (data.observations["area_level"] == "gemeente") & (data.observations["variable"] == "pop_total")
    ]
    per_muni = gem.groupby(["area_code", "period"])["value"].sum().astype(float)
    assert (per_muni == pop.set_index(["area_code", "period"])["value"].astype(float).reindex(per_muni.index)).all()


def test_demo_cube_has_plausible_age_patterns(data):
    codes = data.cube_truth["area_code"].unique().tolist()
    for period in demo.DEMO_PERIODS:
        zone = _cube_of(data, codes, period)
        by_age = zone.groupby(["age", "position"]).sum()
        kids = by_age.loc["0_19"]
        assert kids[list(KIDS)].sum() / kids.sum() > 0.85
        old = by_age.loc["80plus"]
        usual = ["alleenwonend", "gehuwd_zonder_kinderen", "inwonende_andere", "collectief"]
        assert old[usual].sum() / old.sum() > 0.85
        assert by_age.loc["60_79"].idxmax() == "gehuwd_zonder_kinderen"
        assert by_age.loc["40_59"].idxmax() == "gehuwd_met_kinderen"
        parents = zone.xs("alleenstaande_ouder", level="position")
        assert parents.loc["vrouw"].sum() > 2 * parents.loc["man"].sum()
        assert parents.xs("20_39", level="age").sum() + parents.xs("40_59", level="age").sum() > 0.7 * parents.sum()
        # Old women live alone more often than old men.
        alone_80 = zone.xs(("80plus", "alleenwonend"), level=("age", "position"))
        all_80 = zone.xs("80plus", level="age").groupby("sex").sum()
        assert alone_80["vrouw"] / all_80["vrouw"] > alone_80["man"] / all_80["man"] + 0.1


# --- the store ---------------------------------------------------------------------------------


def test_the_demo_database_has_a_cube(store):
    assert has_cube(store)
    assert has_cube(store, "2025") and has_cube(store, "2020")
    assert not has_cube(store, "1999")
    assert cube_periods(store) == list(demo.DEMO_PERIODS)


def test_a_database_without_cube(tmp_db):
    store = make_store(tmp_db, {("statsec", "11111A00-"): SECTOR_1})
    assert not has_cube(store)
    cube = population_cube(store, ["11111A00-"], "2025")
    assert (cube["status"] == "ontbrekend").all() and cube["value"].isna().all()


def test_population_cube_sums_the_sectors(store, data):
    codes = sorted(data.sector_roles)[:3]
    assert demo.TINY_SECTOR not in codes
    for period in demo.DEMO_PERIODS:
        cube = population_cube(store, codes + [codes[0]], period)  # a repeated code counts once
        assert list(cube.columns) == ["sex", "age", "position", "value", "status", "n_sectors"]
        assert len(cube) == 120
        assert list(zip(cube["sex"], cube["age"], cube["position"])) == [
            parse_cube_variable(v) for v in cube_variables()
        ]
        assert (cube["status"] == "ok").all() and (cube["n_sectors"] == 3).all()
        expected = _cube_of(data, codes, period)
        got = cube.set_index(["sex", "age", "position"])["value"].astype(float)
        pd.testing.assert_series_equal(got.sort_index(), expected.sort_index(), check_names=False)


def test_a_hidden_sector_makes_every_cell_incomplete(store, data):
    other = next(c for c in sorted(data.sector_roles) if c != demo.TINY_SECTOR)
    cube = population_cube(store, [other, demo.TINY_SECTOR], "2025")
    assert (cube["status"] == "onvolledig").all()
    assert cube["value"].isna().all()  # never 0, never the other sector's value as a total
    assert (cube["n_sectors"] == 1).all()
    alone = population_cube(store, [demo.TINY_SECTOR], "2025")
    assert (alone["status"] == "onvolledig").all() and (alone["n_sectors"] == 0).all()
    table = cube_crosstab(cube)
    assert table.isna().all().all()
    assert pd.isna(table.loc[(TOTAL, ""), TOTAL])


def test_missing_sectors_and_periods(store, data):
    code = min(data.sector_roles)
    assert (population_cube(store, [code], "1999")["status"] == "ontbrekend").all()
    assert (population_cube(store, [], "2025")["status"] == "ontbrekend").all()
    partial = population_cube(store, [code, "99999A00-"], "2025")
    assert (partial["status"] == "ontbrekend").all() and partial["value"].isna().all()
    assert (partial["n_sectors"] == 1).all()
    # Hidden beats missing.
    both = population_cube(store, [demo.TINY_SECTOR, "99999A00-"], "2025")
    assert (both["status"] == "onvolledig").all()


# --- cross tables ------------------------------------------------------------------------------


def _engine_sums(store, codes: list[str], period: str) -> dict[str, float]:
    res = compute(
        store,
        ["pop_total", "pct_men", "pct_women", "pct_80plus", "groene_druk", "mantelzorgratio", "pct_single_person_hh"],
        areas=[("statsec", c) for c in codes],
        period=period,
    )
    assert (res["status"] == "ok").all()
    return res.groupby("indicator")["numerator"].sum().to_dict()


@pytest.mark.parametrize("period", demo.DEMO_PERIODS)
def test_crosstab_totals_equal_the_engine(store, period):
    wijk = store.parent_of("statsec", demo.WZC_SECTOR, "wijk")
    codes = store.sectors_within("wijk", [wijk])
    assert len(codes) >= 3 and demo.TINY_SECTOR not in codes
    engine = _engine_sums(store, codes, period)
    cube = population_cube(store, codes, period)
    table = cube_crosstab(cube)
    assert table.loc[(TOTAL, ""), TOTAL] == engine["pop_total"]
    assert table.loc[(TOTAL, ""), CUBE_POSITIONS["alleenwonend"]] == engine["pct_single_person_hh"]
    # The last column is the row sum, the last row the column sum.
    body = table.drop(index=(TOTAL, ""))
    assert (body.drop(columns=TOTAL).sum(axis=1) == body[TOTAL]).all()
    assert (body.sum(axis=0) == table.loc[(TOTAL, "")]).all()

    by_sex = cube_crosstab(cube, rows="sex", columns="age")
    assert by_sex.loc["Mannen", TOTAL] == engine["pct_men"]
    assert by_sex.loc["Vrouwen", TOTAL] == engine["pct_women"]
    assert by_sex.loc[TOTAL, "80 jaar en ouder"] == engine["pct_80plus"]
    assert by_sex.loc[TOTAL, "0-19 jaar"] == engine["groene_druk"]
    assert by_sex.loc[TOTAL, "40-59 jaar"] + by_sex.loc[TOTAL, "60-79 jaar"] == engine["mantelzorgratio"]
    # The same totals for the wijk as one area.
    (wijk_total,) = compute(store, ["pop_total"], areas=[("wijk", wijk)], period=period)["value"]
    assert table.loc[(TOTAL, ""), TOTAL] == wijk_total


def test_crosstab_labels_and_empty_positions(store, data):
    codes = [c for c in sorted(data.sector_roles) if c not in (demo.WZC_SECTOR, demo.TINY_SECTOR)][:5]
    cube = population_cube(store, codes, "2025")
    table = cube_crosstab(cube)
    assert table.index.names == ["Leeftijd", "Geslacht"]
    assert table.columns.name == "Positie in het huishouden"
    assert table.index[0] == ("0-19 jaar", "Mannen") and table.index[-1] == (TOTAL, "")
    assert len(table) == 11 and table.columns[-1] == TOTAL
    assert all(str(t) == "Float64" for t in table.dtypes)
    # No collective households outside the woonzorgcentrum: the column is left out unless asked for.
    assert CUBE_POSITIONS["collectief"] not in table.columns
    full = cube_crosstab(cube, keep_empty=True)
    assert list(full.columns) == list(CUBE_POSITIONS.values()) + [TOTAL]
    assert (full[CUBE_POSITIONS["collectief"]] == 0).all()
    assert full.loc[(TOTAL, ""), TOTAL] == table.loc[(TOTAL, ""), TOTAL]
    with_wzc = cube_crosstab(population_cube(store, codes + [demo.WZC_SECTOR], "2025"))
    assert with_wzc.loc[(TOTAL, ""), CUBE_POSITIONS["collectief"]] > 0
    # Positions as rows, sex x age as columns.
    turned = cube_crosstab(cube, rows="position", columns=("sex", "age"))
    assert turned.columns[-1] == (TOTAL, "") and turned.index[-1] == TOTAL
    assert turned.loc[TOTAL, (TOTAL, "")] == table.loc[(TOTAL, ""), TOTAL]


@pytest.mark.parametrize("rows, columns", [("leeftijd", "position"), (("age", "sex"), ("sex",)), ((), "age")])
def test_crosstab_refuses_bad_dimensions(store, rows, columns):
    cube = population_cube(store, [demo.WZC_SECTOR], "2025")
    with pytest.raises(ValueError):
        cube_crosstab(cube, rows=rows, columns=columns)
