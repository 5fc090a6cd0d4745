"""Extra indicators: a column the catalogue does not know, kept as an additive count with its own label
and unit (optionally per inhabitants or households), computed at any level as a ratio of sums."""

from __future__ import annotations

import pandas as pd
import pytest

from tests.importers.conftest import open_copy
from zorgzaam.catalogue import BUILTIN, USER_THEME, extra_indicator
from zorgzaam.engine import compute
from zorgzaam.importers.errors import ImportProblem
from zorgzaam.importers.figures import (NOT_ADDITIVE_TEXT, ColumnTarget, looks_not_additive, plan_figures,
                                        remember_mapping, remembered_mapping)
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
    pop = pd.DataFrame({"period": "2021", "geolevel": "statsec", "geoitem": population["sector_id"],
                        "pop_total": population["population_2025"]})
    plan_figures(pop, ["bevolking_2021.csv"], store).apply(store)

    per_1000 = ColumnTarget.extra("Elektriciteitsaansluitingen", "aansluitingen", "pop_total", 1000)
    count = ColumnTarget.extra("Gasaansluitingen woningen", "aansluitingen")
    mapping = {"v2506_elek_res_n": per_1000, "v2506_gas_res_n": count}
    remember_mapping(store, mapping, {"v2506_elek_res_n": "Provincies in Cijfers, upload_elektriciteit_verbruik.xlsx",
                                      "v2506_gas_res_n": "Provincies in Cijfers"})
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
    raw = elek[(elek["period"].astype(str) == "2021") & elek["geoitem"].astype(str).str.startswith(HALLE)
               & ~elek["geoitem"].astype(str).str.endswith("ZZZZ")]
    connections = _numbers(raw, "v2506_elek_res_n")
    assert len(raw) > 30 and (connections >= 0).all()  # no hidden or missing value in Halle
    inhabitants = population.set_index("sector_id")["population_2025"].astype(float)
    expected_halle = connections.sum() / inhabitants[raw["geoitem"]].sum() * 1000

    municipality = compute(store, [elec.code, gas.code], areas=[("gemeente", HALLE)], period="2021")
    got = municipality.set_index("indicator")
    assert got.loc[elec.code, "status"] == "ok"
    assert got.loc[elec.code, "value"] == pytest.approx(expected_halle)
    assert got.loc[elec.code, "numerator"] == connections.sum()
    assert got.loc[gas.code, "value"] == _numbers(raw, "v2506_gas_res_n").sum()

    # A sector: its own count over its own inhabitants.
    sector = raw["geoitem"].iloc[0]
    one = compute(store, [elec.code], areas=[("statsec", sector)], period="2021")
    assert one["value"].iloc[0] == pytest.approx(float(raw["v2506_elek_res_n"].iloc[0]) / inhabitants[sector] * 1000)

    # The care zone: the sum over all its sectors, never a mean of the municipalities' ratios.
    zone_rows = elek[(elek["period"].astype(str) == "2021")
                     & elek["geoitem"].astype(str).isin(set(population["sector_id"]))]
    zone_connections = _numbers(zone_rows, "v2506_elek_res_n")
    assert len(zone_rows) == len(population) == 154 and (zone_connections >= 0).all()
    zone = compute(store, [elec.code], areas=[("elz", ZONE)], period="2021").iloc[0]
    assert zone["status"] == "ok"
    assert zone["value"] == pytest.approx(zone_connections.sum() / inhabitants.sum() * 1000)
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
        "extra", "user_aantal_zonnepanelen", "Aantal zonnepanelen", "panelen", None, 1.0)
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
    assert ind.unit == "%" and ind.denominator_kind == "huishoudens" and ind.formula == (
        "user_zonnepanelen / hh_private × 100")
    _, per_household = extra_indicator("Zonnepanelen", "panelen", "hh_private", 1)
    assert per_household.unit == "panelen per huishouden" and per_household.decimals == 2


def test_a_percentage_or_score_column_is_recognised_as_not_additive():
    for column in ("pct_zonnepanelen", "aandeel_huurders", "v1234_%", "gem_inkomen", "score_welzijn",
                   "inwoners_per_km2", "percentage"):
        assert looks_not_additive(column), column
    for column in ("v2506_elek_res_n", "v2506_gas_res_cons", "aantal_zonnepanelen"):
        assert not looks_not_additive(column), column
    assert NOT_ADDITIVE_TEXT.count(".") == 1 and "teller en de noemer" in NOT_ADDITIVE_TEXT
