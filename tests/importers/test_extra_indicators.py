"""Extra indicators: a column the catalogue does not know, kept as an additive count with its own label
and unit (optionally per inhabitants or households), computed at any level as a ratio of sums."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.importers.conftest import open_copy
from zorgzaam.catalogue import BUILTIN, USER_THEME, extra_indicator, user_kind
from zorgzaam.engine import compute
from zorgzaam.importers.errors import ImportProblem
from zorgzaam.importers.figures import (
    NOT_ADDITIVE_TEXT,
    ColumnTarget,
    looks_not_additive,
    plan_figures,
    remember_mapping,
    remembered_mapping,
)
from zorgzaam.store import Store, close_all

ELEK = "pinc_uploads/upload_elektriciteit_verbruik.xlsx"
HALLE, ZONE = "23027", "elz53"


@pytest.fixture
def store(zone_file, tmp_path):
    yield from open_copy(zone_file, tmp_path)


@pytest.fixture(scope="module")
def elek(realdata) -> pd.DataFrame:
    """The real PinC upload: residential electricity and gas connections per sector (statsec2019), 2018-2021."""
    return pd.read_excel(realdata / ELEK, dtype=object, engine="calamine")


@pytest.fixture(scope="module")
def population(realdata) -> pd.DataFrame:
    return pd.read_csv(realdata / "zenvallei/population_2025_sectors_transcribed.csv", dtype=str)


def _numbers(frame: pd.DataFrame, column: str) -> pd.Series:
    return pd.to_numeric(frame[column], errors="coerce")


def test_an_extra_indicator_is_a_ratio_of_sums_at_sector_municipality_and_zone(store, elek, population):
    # A denominator for 2021: the Zennevallei sectors' inhabitants (a generated Swing upload).
    pop = pd.DataFrame(
        {
            "period": "2021",
            "geolevel": "statsec",
            "geoitem": population["sector_id"],
            "pop_total": population["population_2025"],
        }
    )
    plan_figures(pop, ["bevolking_2021.csv"], store).apply(store)

    per_1000 = ColumnTarget.extra("Elektriciteitsaansluitingen", "aansluitingen", "pop_total", 1000)
    count = ColumnTarget.extra("Gasaansluitingen woningen", "aansluitingen")
    mapping = {"v2506_elek_res_n": per_1000, "v2506_gas_res_n": count}
    remember_mapping(
        store,
        mapping,
        {
            "v2506_elek_res_n": "Provincies in Cijfers, upload_elektriciteit_verbruik.xlsx",
            "v2506_gas_res_n": "Provincies in Cijfers",
        },
    )
    plan = plan_figures(elek, ["upload_elektriciteit_verbruik.xlsx"], store)  # the remembered choices apply
    assert "v2506_elek_res_n → user_elektriciteitsaansluitingen" in plan.preview.variables
    assert "v2506_gas_res_n → user_gasaansluitingen_woningen" in plan.preview.variables
    assert "v2506_elek_nietres_n" in plan.unmapped_columns
    assert plan.sector_vintage == "2024"
    plan.apply(store)

    catalogue = store.catalogue()
    elec = catalogue.indicator("eigen_elektriciteitsaansluitingen")
    gas = catalogue.indicator("eigen_gasaansluitingen_woningen")
    assert elec.theme == gas.theme == USER_THEME
    assert elec.unit == "aansluitingen per 1.000 inwoners" and elec.multiplier == 1000
    assert elec.numerator == ("user_elektriciteitsaansluitingen",) and elec.denominator == ("pop_total",)
    assert elec.source == "Provincies in Cijfers, upload_elektriciteit_verbruik.xlsx"
    assert gas.unit == "aansluitingen" and gas.is_count

    # Independently from the file: Halle's sectors in 2021 (its sector codes start with its NIS code).
    raw = elek[
        (elek["period"].astype(str) == "2021")
        & elek["geoitem"].astype(str).str.startswith(HALLE)
        & ~elek["geoitem"].astype(str).str.endswith("ZZZZ")
    ]
    connections = _numbers(raw, "v2506_elek_res_n")
    assert len(raw) > 30 and (connections >= 0).all()  # no hidden or missing value in Halle
    inhabitants = population.set_index("sector_id")["population_2025"].astype(float)
    # Halle's row for an unknown sector (23027ZZZZ) counts in its total, not in any sector's.
    unknown = elek[(elek["period"].astype(str) == "2021") & (elek["geoitem"].astype(str) == f"{HALLE}ZZZZ")]
    assert len(unknown) == 1
    halle_total = connections.sum() + _numbers(unknown, "v2506_elek_res_n").sum()
    expected_halle = halle_total / inhabitants[raw["geoitem"]].sum() * 1000

    municipality = compute(store, [elec.code, gas.code], areas=[("gemeente", HALLE)], period="2021")
    got = municipality.set_index("indicator")
    assert got.loc[elec.code, "status"] == "ok"
    assert got.loc[elec.code, "value"] == pytest.approx(expected_halle)
    assert got.loc[elec.code, "numerator"] == halle_total
    assert (
        got.loc[gas.code, "value"]
        == _numbers(raw, "v2506_gas_res_n").sum() + _numbers(unknown, "v2506_gas_res_n").sum()
    )

    # A sector: its own count over its own inhabitants.
    sector = raw["geoitem"].iloc[0]
    one = compute(store, [elec.code], areas=[("statsec", sector)], period="2021")
    assert one["value"].iloc[0] == pytest.approx(float(raw["v2506_elek_res_n"].iloc[0]) / inhabitants[sector] * 1000)

    # The care zone: the sum over all its sectors, never a mean of the municipalities' ratios.
    zone_rows = elek[
        (elek["period"].astype(str) == "2021") & elek["geoitem"].astype(str).isin(set(population["sector_id"]))
    ]
    zone_connections = _numbers(zone_rows, "v2506_elek_res_n")
    assert len(zone_rows) == len(population) == 154 and (zone_connections >= 0).all()
    zone_unknown = elek[
        (elek["period"].astype(str) == "2021")
        & elek["geoitem"].astype(str).isin({f"{s[:5]}ZZZZ" for s in population["sector_id"]})
    ]
    zone = compute(store, [elec.code], areas=[("elz", ZONE)], period="2021").iloc[0]
    assert zone["status"] == "ok"
    assert zone["value"] == pytest.approx(
        (zone_connections.sum() + _numbers(zone_unknown, "v2506_elek_res_n").sum()) / inhabitants.sum() * 1000
    )
    municipal_ratios = compute(store, [elec.code], level="gemeente", within=("elz", ZONE), period="2021")
    assert zone["value"] != pytest.approx(municipal_ratios["value"].mean())

    # Every sector of the municipality on the map (level within), and the result survives a reopen.
    sectors = compute(store, [elec.code], level="statsec", within=("gemeente", HALLE), period="2021")
    assert sectors["status"].eq("ok").sum() >= len(raw) - 1
    close_all()
    reopened = Store.open(store.path)
    assert reopened.catalogue().indicator(elec.code) == elec
    again = compute(reopened, [elec.code], areas=[("gemeente", HALLE)], period="2021")
    assert again["value"].iloc[0] == pytest.approx(expected_halle)
    assert remembered_mapping(reopened)["v2506_elek_res_n"] == per_1000


def test_the_explicit_catalogue_parameter_still_works(store, elek):
    target = ColumnTarget.extra("Aansluitingen", "aansluitingen")
    remember_mapping(store, {"v2506_elek_res_n": target})
    plan_figures(elek, ["upload_elektriciteit_verbruik.xlsx"], store).apply(store)
    with pytest.raises(KeyError):
        compute(store, ["eigen_aansluitingen"], areas=[("gemeente", HALLE)], period="2021", catalogue=BUILTIN)
    builtin = compute(store, ["pop_total"], areas=[("gemeente", HALLE)], period="2021", catalogue=BUILTIN)
    assert builtin["status"].iloc[0] == "ontbrekend"
    own = compute(store, ["eigen_aansluitingen"], areas=[("gemeente", HALLE)], period="2021")
    assert own["status"].iloc[0] == "ok" and own["value"].iloc[0] > 0


def test_an_extra_target_needs_a_name_and_unit_and_a_known_denominator():
    assert ColumnTarget.extra("  Aantal  zonnepanelen ", "panelen") == ColumnTarget(
        "extra", "user_aantal_zonnepanelen", "Aantal zonnepanelen", "panelen", None, 1.0
    )
    assert ColumnTarget.extra("Élan café", "x", "hh_private", 100).code == "user_elan_cafe"
    assert ColumnTarget.extra("Zonnepanelen", "panelen").label() == "eigen indicator: Zonnepanelen (panelen)"
    with pytest.raises(ImportProblem, match="naam"):
        ColumnTarget.extra(" ", "panelen")
    with pytest.raises(ImportProblem, match="eenheid"):
        ColumnTarget.extra("Zonnepanelen", "")
    with pytest.raises(ImportProblem, match="noemer"):
        ColumnTarget.extra("Zonnepanelen", "panelen", "pct_80plus")
    with pytest.raises(ImportProblem, match="1.000"):
        ColumnTarget.extra("Zonnepanelen", "panelen", "pop_total", 7)
    base, ind = extra_indicator("Zonnepanelen", "panelen", "hh_private", 100)
    assert (
        ind.unit == "%"
        and ind.denominator_kind == "huishoudens"
        and ind.formula == ("user_zonnepanelen / hh_private × 100")
    )
    _, per_household = extra_indicator("Zonnepanelen", "panelen", "hh_private", 1)
    assert per_household.unit == "panelen per huishouden" and per_household.decimals == 2


def test_a_percentage_or_score_column_is_recognised_as_not_additive():
    for column in (
        "pct_zonnepanelen",
        "aandeel_huurders",
        "v1234_%",
        "gem_inkomen",
        "score_welzijn",
        "inwoners_per_km2",
        "percentage",
    ):
        assert looks_not_additive(column), column
    for column in ("v2506_elek_res_n", "v2506_gas_res_cons", "aantal_zonnepanelen"):
        assert not looks_not_additive(column), column
    assert NOT_ADDITIVE_TEXT.count(".") == 1 and "teller en de noemer" in NOT_ADDITIVE_TEXT


# --- kinds of extra indicators: count, ratio of two columns, score (weighted or per sector only) -----------

BEERSEL = "23003"
LINKEBEEK = "23100"
SCORES = "zenvallei/scores_flat_derived.csv"


def _kind_import(store, frame, name, mapping, period=None):
    """As the Gegevens page does: remember the choices (writing the own indicators), then plan and import."""
    remember_mapping(store, mapping, {c: f"eigen bestand, {name}" for c in mapping})
    plan = plan_figures(frame, [name], store, period=period)
    plan.apply(store)
    return plan


def _of(frame: pd.DataFrame, nis: str) -> pd.DataFrame:
    """The rows of one municipality (its sector codes start with its NIS code), numbers as floats."""
    rows = frame[frame["sector_id"].str.startswith(nis)]
    return rows.assign(**{c: pd.to_numeric(rows[c]) for c in ("population_2025", "area_ha", "density_per_ha")})


def test_a_count_is_summed_and_a_ratio_of_two_columns_is_a_ratio_of_sums(store, population):
    count = ColumnTarget.extra("Eigen inwoners", "inwoners")
    ratio = ColumnTarget.extra("Inwoners per hectare", "inwoners per ha", measure="ratio", other_column="area_ha")
    frame = population.assign(inwoners_2025=population["population_2025"])
    plan = _kind_import(
        store,
        frame,
        "bevolking.csv",
        {"inwoners_2025": count, "population_2025": ratio, "density_per_ha": ColumnTarget("skip")},
    )
    assert plan.unmapped_columns == []  # area_ha is the ratio's denominator, not a column of its own
    catalogue = store.catalogue()
    summed = catalogue.indicator("eigen_eigen_inwoners")
    per_ha = catalogue.indicator(ratio.code)
    assert user_kind(summed) == "count" and user_kind(per_ha) == "ratio"
    assert per_ha.numerator == ("user_inwoners_per_hectare",)
    assert per_ha.denominator == ("user_inwoners_per_hectare_noemer",)

    got = compute(store, [summed.code, per_ha.code], areas=[("gemeente", BEERSEL), ("elz", ZONE)], period="2025")
    got = got.set_index(["area_code", "indicator"])
    beersel = _of(population, BEERSEL)
    assert len(beersel) == 39
    assert got.loc[(BEERSEL, summed.code), "value"] == beersel["population_2025"].sum()
    assert got.loc[(BEERSEL, per_ha.code), "value"] == pytest.approx(
        beersel["population_2025"].sum() / beersel["area_ha"].sum()
    )
    # Never the mean of the sectors' densities.
    assert got.loc[(BEERSEL, per_ha.code), "value"] != pytest.approx(beersel["density_per_ha"].mean(), rel=1e-3)
    zone = _of(population, "")
    assert got.loc[(ZONE, per_ha.code), "value"] == pytest.approx(zone["population_2025"].sum() / zone["area_ha"].sum())


def test_a_score_with_a_weight_is_the_weighted_mean_at_every_level(store, population):
    # The density per sector is an average: weighted by the area it gives the density of the municipality.
    score = ColumnTarget.extra("Dichtheid", "inwoners per ha", measure="score", other_column="area_ha")
    assert score.label().endswith("gemiddelde gewogen met de kolom 'area_ha'")
    _kind_import(
        store,
        population,
        "dichtheid.csv",
        {"density_per_ha": score, "population_2025": ColumnTarget("skip")},
        period="2025",
    )
    ind = store.catalogue().indicator(score.code)
    assert user_kind(ind) == "score" and ind.numerator == ("user_dichtheid_gewogen",)
    assert ind.denominator == ("user_dichtheid_gewicht",)
    beersel = _of(population, BEERSEL)
    by_hand = (beersel["density_per_ha"] * beersel["area_ha"]).sum() / beersel["area_ha"].sum()
    got = compute(store, [score.code], areas=[("gemeente", BEERSEL)], period="2025").iloc[0]
    assert got["status"] == "ok" and got["value"] == pytest.approx(by_hand)
    assert got["value"] != pytest.approx(beersel["density_per_ha"].mean(), rel=1e-3)  # not the plain mean
    assert got["value"] != pytest.approx(beersel["density_per_ha"].sum(), rel=1e-3)  # never summed
    one = beersel.iloc[3]
    sector = compute(store, [score.code], areas=[("statsec", one["sector_id"])], period="2025").iloc[0]
    assert sector["value"] == pytest.approx(one["density_per_ha"])


def test_a_score_without_a_weight_is_shown_per_sector_only(store, realdata):
    # The real heat-vulnerability scores (0-10): Linkebeek's seven sectors must never add up to "33 score".
    scores = pd.read_csv(realdata / SCORES, dtype=str)
    score = ColumnTarget.extra("Hittekwetsbaarheid", "score 0-10", measure="score")
    plan = _kind_import(store, scores, "scores_flat_derived.csv", {"final": score}, period="2024")
    assert "sectorName" in " ".join(plan.preview.notes)  # text columns are left out, not refused
    ind = store.catalogue().indicator(score.code)
    assert ind.per_area_only and not ind.is_count and user_kind(ind) == "score"
    assert "alleen per sector; geen gewogen gemiddelde voor grotere gebieden" in ind.definition

    linkebeek = scores[scores["sectorId"].str.startswith(LINKEBEEK)]
    assert len(linkebeek) == 7 and pd.to_numeric(linkebeek["final"]).notna().all()
    got = compute(store, [ind.code], areas=[("gemeente", LINKEBEEK), ("elz", ZONE)], period="2024")
    assert (got["status"] == "ontbrekend").all() and got["value"].isna().all()
    assert got["numerator"].isna().all()  # no "0" beside a missing value
    from zorgzaam.formatting import format_number

    assert format_number(got["value"].iloc[0]) == "-"
    # Asked together with indicators that are summed from sectors: still no "≈ 0" for the municipality.
    together = compute(store, [ind.code, "pct_80plus"], areas=[("gemeente", LINKEBEEK)], period="2024")
    score_row = together[together["indicator"] == ind.code].iloc[0]
    assert score_row["status"] == "ontbrekend" and pd.isna(score_row["approx"]) and pd.isna(score_row["coverage"])
    sectors = compute(store, [ind.code], level="statsec", within=("gemeente", LINKEBEEK), period="2024")
    expected = pd.to_numeric(linkebeek.set_index("sectorId")["final"])
    assert sectors.set_index("area_code")["value"].to_dict() == expected.to_dict()
    # A sector with "insufficient-data" has no score: missing, never 0.
    empty = scores[scores["final"].isna()]["sectorId"].iloc[0]
    none = compute(store, [ind.code], areas=[("statsec", empty)], period="2024").iloc[0]
    assert none["status"] == "ontbrekend" and pd.isna(none["value"])


def test_the_kind_of_an_own_indicator_survives_a_reopen(store, population):
    targets = {
        "population_2025": ColumnTarget.extra("Inwoners per ha", "per ha", measure="ratio", other_column="area_ha"),
        "density_per_ha": ColumnTarget.extra("Dichtheid", "per ha", measure="score", other_column="area_ha"),
        "area_ha": ColumnTarget.extra("Oppervlakte", "ha"),
    }
    _kind_import(store, population, "bevolking.csv", targets, period="2025")
    before = {t.code: store.catalogue().indicator(t.indicator()[1].code) for t in targets.values()}
    close_all()
    reopened = Store.open(store.path)
    assert remembered_mapping(reopened) == targets
    catalogue = reopened.catalogue()
    for target in targets.values():
        ind = catalogue.indicator(target.indicator()[1].code)
        assert ind == before[target.code]
        assert user_kind(ind) == target.measure
    reopened.delete_user_indicator("eigen_dichtheid")
    assert "user_dichtheid_gewicht" not in reopened.catalogue().base_counts


def test_a_kind_needs_its_second_column():
    with pytest.raises(ImportProblem, match="noemer"):
        ColumnTarget.extra("Verhouding", "per ha", measure="ratio")
    with pytest.raises(ImportProblem, match="soort"):
        ColumnTarget.extra("Iets", "x", measure="gemiddelde")
    unweighted = ColumnTarget.extra("Score", "score 0-10", measure="score", other_column=" ")
    assert unweighted.other_column is None and unweighted.code == "eigen_score"
    assert unweighted.writes("final") == [(("final",), "eigen_score")]
    weighted = ColumnTarget.extra("Score", "score 0-10", measure="score", other_column="inwoners")
    assert weighted.writes("final") == [
        (("final", "inwoners"), "user_score_gewogen"),
        (("inwoners",), "user_score_gewicht"),
    ]
