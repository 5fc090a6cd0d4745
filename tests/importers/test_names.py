"""Matching area names to codes for exports without codes (Stad in Cijfers)."""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from zorgzaam.importers import SourceFile, plan_sources
from zorgzaam.importers.names import level_from_header, match_names, normalise_name, store_areas_for_names
from zorgzaam.store import Store, close_all


def _areas(rows):
    return pd.DataFrame(rows, columns=["level", "code", "name", "gemeente"])


def test_normalise_name_drops_suffix_accents_case_and_punctuation():
    assert normalise_name("Amandus & Atheneum (Antwerpen)") == normalise_name("Amandus - Atheneum")
    assert normalise_name("Sint-Andriës") == "sint andries"
    assert normalise_name("  Oud - Merksem ") == "oud merksem"
    assert normalise_name(None) == ""


def test_a_name_in_several_municipalities_is_decided_by_where_the_others_lie():
    areas = _areas(
        [
            ("wijk", "A1", "Centrum (Aa)", "11111"),
            ("wijk", "B1", "Centrum (Bee)", "22222"),
            ("wijk", "A2", "Kerkveld (Aa)", "11111"),
            ("wijk", "A3", "Molenhoek (Aa)", "11111"),
        ]
    )
    found = match_names(["Centrum", "Kerkveld", "Molenhoek", "Nergenshuis"], areas)
    assert found.level == "wijk" and found.municipality == "11111"
    assert found.codes == {"Centrum": "A1", "Kerkveld": "A2", "Molenhoek": "A3"}
    assert found.unmatched == ["Nergenshuis"] and found.ambiguous == {}


def test_a_tie_without_a_majority_stays_ambiguous_and_is_never_guessed():
    areas = _areas(
        [
            ("wijk", "A1", "Centrum", "11111"),
            ("wijk", "B1", "Centrum", "22222"),
            ("wijk", "A2", "Kerkveld", "11111"),
            ("wijk", "B2", "Hoeve", "22222"),
        ]
    )
    found = match_names(["Centrum", "Kerkveld", "Hoeve"], areas, level="wijk")
    assert found.municipality is None
    assert found.codes == {"Kerkveld": "A2", "Hoeve": "B2"}
    assert found.ambiguous == {"Centrum": ["A1", "B1"]}


def test_too_few_matches_is_no_match_and_the_header_names_the_level():
    areas = _areas([("gemeente", "11111", "Aa", "11111")])
    assert match_names(["X", "Y", "Aa"], areas) is None
    assert level_from_header("Wijken") == "wijk" and level_from_header("Gemeente") == "gemeente"
    assert level_from_header("Gebied") is None


def test_the_antwerp_stad_in_cijfers_wijken_match_the_pinc_wijken(realdata, tmp_path):
    store = Store.open(tmp_path / "names.duckdb")
    try:
        parts = [
            SourceFile.from_path(realdata / "pinc_gebiedsniveaus" / f"ggw7.{e}")
            for e in ("shp", "shx", "dbf", "prj", "cpg")
        ]
        for plan in plan_sources(parts, store):
            plan.apply(store)
        export = pd.read_csv(realdata / "antwerpen_wijken/leeftijd_per_wijk.csv", sep=";")
        found = match_names(export["Wijken"], store_areas_for_names(store), level_from_header(export.columns[0]))
        assert found is not None and found.level == "wijk"
        assert len(found.codes) == export["Wijken"].nunique() == 67
        assert found.municipality == "antwerpen"
        # Checked against the PinC file itself: the wijk called "Amandus & Atheneum (Antwerpen)".
        pinc = gpd.read_file(realdata / "pinc_gebiedsniveaus/ggw7.dbf")
        amandus = pinc.loc[pinc["naam"].str.startswith("Amandus"), "geoitem"]
        assert len(amandus) == 1 and found.codes["Amandus - Atheneum"] == amandus.iloc[0]
        # "Donk" is also a wijk elsewhere: the Antwerp one is taken.
        donk = pinc.loc[pinc["naam"] == "Donk (Antwerpen)", "geoitem"].iloc[0]
        assert found.codes["Donk"] == donk
    finally:
        close_all()


def test_the_antwerp_export_imports_per_wijk_by_name(realdata, tmp_path):
    from zorgzaam.importers.figures import ColumnTarget, plan_figures

    store = Store.open(tmp_path / "antwerp.duckdb")
    try:
        parts = [
            SourceFile.from_path(realdata / "pinc_gebiedsniveaus" / f"ggw7.{e}")
            for e in ("shp", "shx", "dbf", "prj", "cpg")
        ]
        for plan in plan_sources(parts, store):
            plan.apply(store)
        frame = pd.read_csv(realdata / "antwerpen_wijken/leeftijd_per_wijk.csv", sep=";", dtype=str)
        mapping = {
            "Aantal 80 tem 89-jarigen": ColumnTarget("base", "pop_age_80_89"),
            "Aantal 90+'ers": ColumnTarget("base", "pop_age_90plus"),
        }
        plan = plan_figures(frame, ["leeftijd_per_wijk.csv"], store, mapping)
        lines = "\n".join(plan.preview.lines())
        assert "Gebieden herkend op hun naam (wijk): 67 van 67" in lines
        assert plan.preview.periods == ["2025"] and plan.preview.matched == 67
        assert len(plan.unmapped_columns) == 8  # the other age bands wait for the mapping step
        plan.apply(store)
        pinc = gpd.read_file(realdata / "pinc_gebiedsniveaus/ggw7.dbf")
        amandus = pinc.loc[pinc["naam"].str.startswith("Amandus"), "geoitem"].iloc[0]
        obs = store.observations(["pop_age_80_89", "pop_age_90plus"], ["2025"]).set_index(["area_code", "variable"])
        row = frame[frame["Wijken"] == "Amandus - Atheneum"].iloc[0]
        assert obs.loc[(amandus, "pop_age_80_89"), "value"] == float(row["Aantal 80 tem 89-jarigen|2025"])
        assert obs.loc[(amandus, "pop_age_90plus"), "value"] == float(row["Aantal 90+'ers|2025"])
        assert set(obs.reset_index()["area_code"]) <= set(pinc["geoitem"])
        assert len(obs) == 2 * 67
        # "." is the export's hidden small count: kept as hidden, never 0; an empty cell is missing.
        lillo = pinc.loc[pinc["naam"] == "Lillo (Antwerpen)", "geoitem"].iloc[0]
        assert obs.loc[(lillo, "pop_age_80_89"), "status"] == "verborgen"
        assert pd.isna(obs.loc[(lillo, "pop_age_80_89"), "value"])
        bezali = pinc.loc[pinc["naam"].str.startswith("Haven Bezali"), "geoitem"].iloc[0]
        assert obs.loc[(bezali, "pop_age_80_89"), "status"] == "ontbrekend"
        hidden = frame[["Aantal 80 tem 89-jarigen|2025", "Aantal 90+'ers|2025"]] == "."
        assert plan.preview.suppressed == int(hidden.sum().sum()) > 0
    finally:
        close_all()
