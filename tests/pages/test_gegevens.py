"""The Gegevens page (AppTest): real files previewed without writing, imported into the own database
(never the demo), Dutch errors for broken files, the mapping step for unknown columns, deletion."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from tests.conftest import REPO_ROOT
from zorgzaam.catalogue import BUILTIN
from zorgzaam.comparisons import with_references
from zorgzaam.formatting import format_indicator
from zorgzaam.importers.figures import ColumnTarget, remembered_mapping
from zorgzaam.store import Store, close_all

ZENNEVALLEI = {"Beersel", "Drogenbos", "Halle", "Linkebeek", "Pepingen", "Sint-Genesius-Rode", "Sint-Pieters-Leeuw"}


@pytest.fixture(scope="module")
def realdata(shared_dir) -> Path:
    return shared_dir / "realdata"


@pytest.fixture
def own_db(tmp_path, demo_db, monkeypatch) -> Path:
    """A fresh, empty own database; the session's demo beside it (so the pages show the demo at first)."""
    path = tmp_path / "own.duckdb"
    monkeypatch.setenv("ZORGZAAM_DB", str(path))
    monkeypatch.setenv("ZORGZAAM_DEMO_DB", str(demo_db))
    yield path
    close_all()


def open_gegevens() -> AppTest:
    at = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=120)
    at.switch_page("pages/gegevens.py")
    at.run()
    assert_clean(at)
    return at


def assert_clean(at: AppTest) -> None:
    assert not at.exception, [e.message for e in at.exception]
    assert not at.error, [e.value for e in at.error]


def upload(at: AppTest, files: list[tuple[str, bytes]]) -> AppTest:
    at.file_uploader[0].set_value([(name, data, "application/octet-stream") for name, data in files])
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def previews(at: AppTest) -> list[str]:
    """The preview blocks (each starts with the bold description line)."""
    return [m.value for m in at.markdown if "Bestand(en): " in m.value]


def statbel_population(realdata: Path) -> tuple[bytes, pd.DataFrame]:
    """The real 2025 population of the 154 Zennevallei sectors in Statbel's OPENDATA_SECTOREN layout."""
    population = pd.read_csv(realdata / "zenvallei/population_2025_sectors_transcribed.csv", dtype=str)
    text = "\ufeffCD_REFNIS|CD_SECTOR|TOTAL|TX_DESCR_NL\n" + "".join(
        f"{s[:5]}|{s}|{p}|x\n" for s, p in zip(population["sector_id"], population["population_2025"])
    )
    return text.encode("utf-8"), population


def test_real_files_are_previewed_without_writing_then_imported_and_shown_by_the_other_pages(own_db, realdata):
    population_file, population = statbel_population(realdata)
    at = open_gegevens()
    assert any("Nog niets geïmporteerd" in m.value for m in at.markdown)
    upload(
        at,
        [
            ("OPENDATA_SECTOREN_2025_OLD.txt", population_file),  # given first; written last (figures after areas)
            ("sectors.geojson", (realdata / "zenvallei/sectors.geojson").read_bytes()),
            ("statsec2024_als_basis.xlsx", (realdata / "pinc_gebiedsniveaus/statsec2024_als_basis.xlsx").read_bytes()),
        ],
    )
    assert not at.error, [e.value for e in at.error]
    blocks = previews(at)
    assert len(blocks) == 3
    geometry = next(b for b in blocks if "Bestand(en): sectors.geojson" in b)
    assert "Rijen: 154" in geometry and "Gebieden op niveau statsec: 154" in geometry
    assert "Coördinatenstelsel: EPSG:4326" in geometry
    table = next(b for b in blocks if "statsec2024_als_basis.xlsx [Sheet1]" in b)
    assert "Gebieden op niveau statsec: 9.918" in table and "Gebieden op niveau elz: 57" in table
    assert "323 codes 'sector onbekend'" in table
    figures = next(b for b in blocks if "OPENDATA_SECTOREN_2025_OLD.txt" in b)
    assert "Rijen: 154" in figures and "Perioden: 2025" in figures and "pop_total → pop_total" in figures
    assert any("zegt niet in welke gemeente elke sector ligt" in w.value for w in at.warning)
    assert at.dataframe  # the sample tables

    store = Store.open(own_db)
    assert store.is_empty() and store.datasets().empty and store.sector_vintage() is None  # nothing written yet

    at.button(key="gegevens_importeren").click()
    at.run()
    assert_clean(at)
    done = [s.value for s in at.success]
    assert len(done) == 3, done
    assert done[0].startswith("statsec2024_als_basis.xlsx") and done[2].startswith("OPENDATA_SECTOREN")
    assert "154 statistische sectoren" in done[1] and "154 cijfers (pop_total; 2025)" in done[2]

    sectors = store.sectors_within("elz", ["elz53"])
    assert len(sectors) == 154
    assert len(store.geometries("statsec", sectors)) == 154  # every sector of the zone has its outline
    assert store.sector_vintage() == "2024"
    # The geometry was planned again after the area table fixed the division (as the CLI re-plans figures).
    assert set(store.datasets()["dataset_id"]) == {
        "gebiedsindeling-statsec-2024",
        "statsec-geometrie-2024",
        "cijfers-opendata-sectoren-2025-old",
    }
    stored = store.observations(["pop_total"], ["2025"])
    assert len(stored) == 154
    assert stored["value"].sum() == population["population_2025"].astype(int).sum()
    assert len(at.file_uploader) == 1 and not previews(at)  # the upload is cleared after the import

    # The sidebar now shows the own data, at the zone of the imported sectors: Zennevallei and its
    # seven municipalities (the demo's zone was chosen before).
    assert any("Eigen gegevens** — nu in gebruik" in m.value for m in at.markdown)
    assert at.segmented_control(key="bron").value == "eigen"
    zone = at.selectbox(key="elz")
    assert zone.value == "elz53" and "Zennevallei" in zone.options and len(zone.options) == 57
    assert set(at.selectbox(key="gemeente").options) == ZENNEVALLEI
    assert at.selectbox(key="gemeente").value == "23003"  # Beersel, the first by name

    # Another page follows (its caches key on the data version): the Start page's population of Halle.
    at.selectbox(key="gemeente").set_value("23027")
    at.switch_page("pages/start.py")
    at.run()
    assert_clean(at)
    result, _refs = with_references(store, ["pop_total"], "gemeente", "23027", "2025")
    own = result[result["role"] == "gebied"].iloc[0]
    halle = population[population["sector_id"].isin(store.sectors_within("gemeente", ["23027"]))]
    assert own["value"] == halle["population_2025"].astype(int).sum() > 0
    shown = next(m.value for m in at.metric if m.label == "Aantal inwoners")
    assert f"{shown} inwoners" == format_indicator(BUILTIN.indicator("pop_total"), own["value"], own["status"])
    assert any("Gemeente Halle · eerstelijnszone Zennevallei" in m.value for m in at.markdown)


def test_broken_files_get_one_dutch_sentence_each_and_nothing_is_written(own_db, realdata):
    at = open_gegevens()
    truncated = (realdata / "zenvallei/sectors.geojson").read_bytes()[:5000]  # cut off halfway
    upload(at, [("kapot.geojson", truncated), ("een_kolom.csv", b"gemeente\n11001\n11002\n")])
    errors = [e.value for e in at.error]
    assert len(errors) == 2, errors
    assert "'kapot.geojson' kon niet gelezen worden" in errors[0] and "beschadigd, onvolledig" in errors[0]
    assert "herkent de kolommen van een_kolom.csv niet" in errors[1]
    assert "**kapot.geojson**" in [m.value for m in at.markdown]
    assert not previews(at)  # nothing else for a file that failed
    assert at.button(key="gegevens_importeren").disabled
    store = Store.open(own_db)
    assert store.is_empty() and store.datasets().empty and store.column_mappings() == []


FIGURES = (
    b"period;geolevel;geoitem;v9999_alleenwonend_75plus\n"
    b"2024;gemeente;23003;812\n2024;gemeente;23027;x\n2024;gemeente;23064;1234\n"
)
COLUMN = "v9999_alleenwonend_75plus"


def test_an_unknown_column_is_mapped_remembered_imported_and_can_be_deleted(own_db):
    at = open_gegevens()
    upload(at, [("alleenwonend.csv", FIGURES)])
    assert_clean(at)
    assert any(f"niet geïmporteerd: {COLUMN}" in w.value for w in at.warning)
    assert any("eigen indicator" in m.value and "teller en de noemer" in m.value for m in at.markdown)
    assert at.button(key="gegevens_importeren").disabled  # no column mapped: nothing to import
    choice = at.selectbox(key=f"gegevens_kolom|{COLUMN}")
    assert "telling: Alleenwonenden 75 jaar en ouder (pop_alone_75plus)" in choice.options
    assert any(o.startswith("indicator: ") for o in choice.options) and "niet importeren" in choice.options
    choice.set_value("base:pop_alone_75plus")
    next(b for b in at.button if b.label == "Koppeling toepassen").click()
    at.run()
    assert_clean(at)
    assert any(f"Variabelen: {COLUMN} → pop_alone_75plus" in b and "Verborgen waarden" in b for b in previews(at))
    store = Store.open(own_db)
    assert remembered_mapping(store) == {COLUMN: ColumnTarget("base", "pop_alone_75plus")}
    assert store.datasets().empty  # remembered, but nothing imported yet

    at.button(key="gegevens_importeren").click()
    at.run()
    assert_clean(at)
    assert [s.value for s in at.success] == [
        "alleenwonend.csv: bewaard als 'Cijfers uit alleenwonend.csv' — 3 cijfers (pop_alone_75plus; 2024)."
    ]
    stored = store.observations(["pop_alone_75plus"], ["2024"]).set_index("area_code")
    assert stored.loc["23003", "value"] == 812 and stored.loc["23064", "value"] == 1234
    assert math.isnan(stored.loc["23027", "value"]) and stored.loc["23027", "status"] == "verborgen"

    # A new session: the choice is remembered, no mapping step.
    again = open_gegevens()
    upload(again, [("alleenwonend.csv", FIGURES)])
    assert_clean(again)
    assert not [s for s in again.selectbox if s.key and s.key.startswith("gegevens_kolom|")]
    assert any(f"{COLUMN} → pop_alone_75plus" in b for b in previews(again))

    # Deleting the figures (with a confirmation) removes exactly them.
    assert again.selectbox(key="gegevens_weg").value == "cijfers-alleenwonend"
    assert again.button(key="gegevens_weg_knop").disabled
    again.checkbox(key="gegevens_weg_zeker").check()
    again.run()
    again.button(key="gegevens_weg_knop").click()
    again.run()
    assert_clean(again)
    assert [s.value for s in again.success] == ["'Cijfers uit alleenwonend.csv' is verwijderd."]
    assert store.datasets().empty and store.observations(["pop_alone_75plus"], ["2024"]).empty


# --- OpenStreetMap tags --------------------------------------------------------------------------------


def osm_geojson() -> bytes:
    """Five amenities in Halle: two pharmacies, a bakery and two florists (not mapped by default)."""
    points = [
        ("node/1", "Apotheek Halle", {"amenity": "pharmacy"}, 4.236),
        ("node/2", "Apotheek Zuid", {"amenity": "pharmacy"}, 4.237),
        ("node/3", "Bakkerij Sas", {"shop": "bakery"}, 4.241),
        ("node/4", "Bloemen Jan", {"shop": "florist"}, 4.242),
        ("node/5", "Bloemen Piet", {"shop": "florist"}, 4.243),
    ]
    features = [
        {
            "type": "Feature",
            "properties": {"@id": i, "name": n, **tags},
            "geometry": {"type": "Point", "coordinates": [x, 50.735]},
        }
        for i, n, tags, x in points
    ]
    return json.dumps({"type": "FeatureCollection", "features": features}).encode()


def table_of(at: AppTest, *columns: str) -> pd.DataFrame:
    """The (read-only) table with exactly these columns."""
    return next(d.value for d in at.dataframe if list(d.value.columns) == list(columns))


def categories_line(at: AppTest) -> str:
    block = next(b for b in previews(at) if "halle_osm.geojson" in b)
    return next(line for line in block.split("  \n") if line.startswith("Voorzieningen per categorie"))


def test_osm_tags_are_shown_edited_remembered_and_forgotten(own_db):
    at = open_gegevens()
    defaults = table_of(at, "OSM-tag", "categorie", "soort")  # the full default mapping, read-only
    assert ("shop=supermarket", "supermarkt") in set(zip(defaults["OSM-tag"], defaults["categorie"]))
    upload(at, [("halle_osm.geojson", osm_geojson())])
    assert_clean(at)
    assert categories_line(at) == "Voorzieningen per categorie: bakker 1, apotheek 2"
    assert any("Niet gekoppeld (niet geïmporteerd): shop=florist (2)" in b for b in previews(at))
    (editor,) = at.data_editor
    table = editor.value
    assert dict(zip(table["OSM-tag"], table["categorie"])) == {
        "amenity=pharmacy": "apotheek",
        "shop=florist": "niet importeren",
        "shop=bakery": "bakker",
    }
    assert at.button(key="gegevens_tags_toepassen").disabled  # nothing changed yet

    # The werkgroep calls florists "voedingswinkel" and does not want the bakery.
    rows = list(table["OSM-tag"])
    at.session_state[editor.key] = {
        "edited_rows": {
            rows.index("shop=florist"): {"categorie": "voedingswinkel"},
            rows.index("shop=bakery"): {"categorie": "niet importeren"},
        },
        "added_rows": [],
        "deleted_rows": [],
    }
    at.run()
    assert_clean(at)
    at.button(key="gegevens_tags_toepassen").click()
    at.run()
    assert_clean(at)
    assert categories_line(at) == "Voorzieningen per categorie: voedingswinkel 2, apotheek 2"
    store = Store.open(own_db)
    assert store.amenity_tag_mappings() == {"shop=bakery": None, "shop=florist": "voedingswinkel"}
    assert store.datasets().empty  # remembered, nothing imported

    # A new session uses the remembered tags; the list of remembered mappings can forget one.
    again = open_gegevens()
    upload(again, [("halle_osm.geojson", osm_geojson())])
    assert categories_line(again) == "Voorzieningen per categorie: voedingswinkel 2, apotheek 2"
    remembered = table_of(again, "OSM-tag", "categorie")
    assert list(remembered["OSM-tag"]) == ["shop=bakery", "shop=florist"]
    assert list(remembered["categorie"]) == ["niet importeren", "voedingswinkel"]
    again.multiselect(key="gegevens_vergeet_tags").set_value(["shop=bakery"])
    again.run()
    again.button(key="gegevens_vergeet_tags_knop").click()
    again.run()
    assert_clean(again)
    assert [s.value for s in again.success] == ["1 tagkoppeling vergeten."]
    assert store.amenity_tag_mappings() == {"shop=florist": "voedingswinkel"}
    assert categories_line(again) == "Voorzieningen per categorie: voedingswinkel 2, bakker 1, apotheek 2"
    again.button(key="gegevens_vergeet_alle_tags").click()
    again.run()
    assert_clean(again)
    assert store.amenity_tag_mappings() == {}
    assert categories_line(again) == "Voorzieningen per categorie: bakker 1, apotheek 2"


def test_remembered_column_mappings_are_listed_and_forgotten(own_db):
    store = Store.open(own_db)
    store.save_column_mappings([(COLUMN, "base", "pop_alone_75plus"), ("v_ander", "skip", None)])
    at = open_gegevens()
    listed = table_of(at, "kolom", "gekoppeld aan")
    assert dict(zip(listed["kolom"], listed["gekoppeld aan"])) == {
        COLUMN: "telling: Alleenwonenden 75 jaar en ouder (pop_alone_75plus)",
        "v_ander": "niet importeren",
    }
    upload(at, [("alleenwonend.csv", FIGURES)])
    assert not [s for s in at.selectbox if s.key and s.key.startswith("gegevens_kolom|")]  # remembered
    at.multiselect(key="gegevens_vergeet_kolommen").set_value([COLUMN])
    at.run()
    at.button(key="gegevens_vergeet_kolommen_knop").click()
    at.run()
    assert_clean(at)
    assert [s.value for s in at.success] == ["1 kolomkoppeling vergeten."]
    assert store.column_mappings() == [("v_ander", "skip", None)]
    assert at.selectbox(key=f"gegevens_kolom|{COLUMN}").value is None  # asked again
    at.button(key="gegevens_vergeet_alle_kolommen").click()
    at.run()
    assert_clean(at)
    assert store.column_mappings() == []
    assert any("nog geen onthouden koppelingen" in c.value for c in at.caption)


# --- an extra indicator ------------------------------------------------------------------------------

CONNECTIONS = (
    b"period;geolevel;geoitem;v2506_elek_res_n\n"
    b"2025;statsec;11111A00-;500\n2025;statsec;11111A01-;300\n"
    b"2025;statsec;22222A00-;120\n2025;statsec;22222A012;80\n"
)


def test_an_extra_indicator_is_mapped_imported_and_picked_on_the_wie_woont_er_page(own_db):
    from tests.helpers import make_store

    make_store(
        own_db,
        {
            ("statsec", "11111A00-"): {"pop_total": 1000},
            ("statsec", "11111A01-"): {"pop_total": 2000},
            ("statsec", "22222A00-"): {"pop_total": 400},
            ("statsec", "22222A012"): {"pop_total": 600},
        },
    )
    at = open_gegevens()
    upload(at, [("aansluitingen.csv", CONNECTIONS)])
    column = "v2506_elek_res_n"
    choice = at.selectbox(key=f"gegevens_kolom|{column}")
    assert "eigen indicator: een telling, verhouding of score met een eigen naam en eenheid" in choice.options
    choice.set_value("extra")
    at.run()
    assert_clean(at)
    at.text_input(key=f"gegevens_extra_naam|{column}").input("Elektriciteitsaansluitingen")
    at.text_input(key=f"gegevens_extra_eenheid|{column}").input("aansluitingen")
    at.selectbox(key=f"gegevens_extra_noemer|{column}").set_value("pop_total")
    at.run()
    at.selectbox(key=f"gegevens_extra_maal|{column}").set_value(1000.0)
    at.button(key="gegevens_koppeling_toepassen").click()
    at.run()
    assert_clean(at)
    assert any(f"{column} → user_elektriciteitsaansluitingen" in b for b in previews(at))
    at.button(key="gegevens_importeren").click()
    at.run()
    assert_clean(at)
    assert [s.value for s in at.success] == [
        "aansluitingen.csv: bewaard als 'Cijfers uit aansluitingen.csv' — 4 cijfers "
        "(user_elektriciteitsaansluitingen; 2025)."
    ]
    listed = table_of(at, "kolom", "gekoppeld aan")
    assert listed["gekoppeld aan"].iloc[0] == (
        "eigen indicator: Elektriciteitsaansluitingen (aansluitingen), gedeeld door aantal inwoners (pop_total) × 1.000"
    )

    # The Wie woont er? picker lists it under "eigen indicatoren", with its unit and source.
    at.query_params["elz"] = "elz1"
    at.query_params["gemeente"] = "11111"
    at.switch_page("pages/wie_woont_er.py")
    at.run()
    assert_clean(at)
    picker = at.selectbox(key="indicator")
    code = "eigen_elektriciteitsaansluitingen"
    assert picker.options[-1] == (
        "Eigen indicatoren › Elektriciteitsaansluitingen (aansluitingen per 1.000 "
        "inwoners) (bron: Provincies in Cijfers, aansluitingen.csv)"
    )
    picker.set_value(code)
    at.run()
    assert_clean(at)
    # Eenstad: (500 + 300) / (1000 + 2000) × 1000 = 266,7; the zone: 1000 / 4000 × 1000 = 250,0.
    text = " ".join(m.value for m in at.markdown)
    assert "266,7 aansluitingen per 1.000 inwoners" in text and "250,0 aansluitingen per 1.000 inwoners" in text
    # A selected sector gets its trend and ranking for the extra indicator too (500 / 1000 × 1000 = 500).
    at.query_params["sector"] = "11111A00-"
    at.session_state["sector"] = "11111A00-"
    at.run()
    assert_clean(at)
    assert any("Sector Sector 11111A00- (11111A00-)" in h.value for h in at.subheader)
    assert "500,0 aansluitingen per 1.000 inwoners" in " ".join(m.value for m in at.markdown) + " ".join(
        str(d.value.to_dict()) for d in at.dataframe
    )


def test_a_plain_table_gets_its_period_from_a_column_name_and_an_extra_indicator_of_a_kind(own_db, realdata):
    """The plain population CSV (sector_id, population_2025, area_ha, density_per_ha): population as a count,
    the density as a score weighted by the area, the area not imported."""
    population = pd.read_csv(realdata / "zenvallei/population_2025_sectors_transcribed.csv", dtype=str)
    at = open_gegevens()
    upload(at, [("bevolking.csv", (realdata / "zenvallei/population_2025_sectors_transcribed.csv").read_bytes())])
    assert_clean(at)
    period = at.text_input(key="gegevens_periode|bevolking.csv")
    assert period.value == "" and period.placeholder == "2025 (uit de kolomnaam)"
    at.selectbox(key="gegevens_kolom|population_2025").set_value("base:pop_total")
    at.selectbox(key="gegevens_kolom|area_ha").set_value("skip")
    at.selectbox(key="gegevens_kolom|density_per_ha").set_value("extra")
    at.run()
    assert_clean(at)
    # "…_per_ha" is no count: a score is proposed.
    assert at.radio(key="gegevens_extra_soort|density_per_ha").value == "score"
    at.text_input(key="gegevens_extra_naam|density_per_ha").input("Dichtheid")
    at.text_input(key="gegevens_extra_eenheid|density_per_ha").input("inwoners per ha")
    weight = at.selectbox(key="gegevens_extra_andere|density_per_ha")
    assert weight.options[0] == "geen gewicht: alleen per sector" and "area_ha" in weight.options
    weight.set_value("area_ha")
    at.button(key="gegevens_koppeling_toepassen").click()
    at.run()
    assert_clean(at)
    assert any("population_2025 → pop_total" in b and "Perioden: 2025" in b for b in previews(at))
    at.button(key="gegevens_importeren").click()
    at.run()
    assert_clean(at)
    store = Store.open(own_db)
    assert store.observations(["pop_total"], ["2025"])["value"].sum() == population["population_2025"].astype(int).sum()
    weights = store.observations(["user_dichtheid_gewicht"], ["2025"])
    assert weights["value"].sum() == pytest.approx(pd.to_numeric(population["area_ha"]).sum())
    assert remembered_mapping(store)["density_per_ha"] == ColumnTarget.extra(
        "Dichtheid", "inwoners per ha", measure="score", other_column="area_ha"
    )
