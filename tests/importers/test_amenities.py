"""Amenity import (zorgzaam.importers.amenities): real pharmacy and station lists, hand-made OSM layers."""

from __future__ import annotations

import json

import geopandas as gpd
import numpy as np
import pandas as pd
import pytest
import shapely

from zorgzaam.access import AMENITY_CATEGORIES, amenity_points
from zorgzaam.importers import amenities
from zorgzaam.importers.errors import ImportProblem
from zorgzaam.importers.files import SourceFile, read_delimited, read_json, read_vector, read_workbook
from zorgzaam.store import Store

AFMPS = "pharmacies_be/Lst_Pharmacies_pub_Extended.xlsx"
OSM_PHARMACIES = "pharmacies_be/last-pharmacies_osm.json"
STATIONS = "irail_stations/stations.csv"


@pytest.fixture(scope="module")
def zennevallei(realdata) -> gpd.GeoDataFrame:
    return read_vector(SourceFile.from_path(realdata / "zenvallei/sectors.geojson")).to_crs(31370)[["geometry"]]


@pytest.fixture
def store(tmp_path):
    return Store.open(tmp_path / "x.duckdb")


def _inside(wkb_values, sectors: gpd.GeoDataFrame) -> int:
    pts = gpd.GeoDataFrame(geometry=list(shapely.from_wkb(list(wkb_values))), crs=31370)
    return int(gpd.sjoin(pts, sectors, predicate="within").index.nunique())


def _afmps_frame(realdata) -> pd.DataFrame:
    (frame,) = read_workbook(SourceFile.from_path(realdata / AFMPS)).values()
    return frame


# --- real files ---------------------------------------------------------------------------------


def test_osm_pharmacies_json(realdata, zennevallei, store):
    raw = json.loads((realdata / OSM_PHARMACIES).read_text(encoding="utf-8"))
    obj = read_json(SourceFile.from_path(realdata / OSM_PHARMACIES))
    assert amenities.recognise_json(obj) == "pharmacies-be"
    plan = amenities.plan_json(obj, ["last-pharmacies_osm.json"], store)
    # Independently: entries with a position, one per distinct position.
    positions = {
        (round(o["geo"]["latitude"], 7), round(o["geo"]["longitude"], 7))
        for o in raw
        if o.get("geo") and o["geo"].get("latitude") is not None
    }
    assert amenities.category_counts(plan) == {"apotheek": len(positions)}
    assert plan.dataset_id == "voorzieningen-last-pharmacies-osm"
    assert plan.preview.kind == amenities.KIND and plan.preview.rows == len(raw)
    assert _inside(plan.features["geom_lambert"], zennevallei) == 37  # PROVENANCE.md §5
    assert {"Victoire", "Vandaele", "Prikken"} <= set(plan.features["name"])
    assert json.loads(plan.features["properties"].iloc[0])["tag"] == "amenity=pharmacy"
    plan.apply(store)
    back = store.features(layer="voorziening")
    assert len(back) == len(plan.features) and set(back["category"]) == {"apotheek"}
    assert len(amenity_points(back)) == len(plan.features)


def test_afmps_pharmacy_list(realdata, zennevallei, store):
    frame = _afmps_frame(realdata)
    assert amenities.recognise_points(frame) == "afmps"
    plan = amenities.plan_points(frame, ["Lst_Pharmacies_pub_Extended.xlsx [Apotheken - Pharmacies]"], store)
    xcol = next(c for c in frame.columns if str(c).startswith("X (Lambert 2008)"))
    with_xy = int(pd.to_numeric(frame[xcol], errors="coerce").notna().sum())
    assert amenities.category_counts(plan) == {"apotheek": with_xy}
    assert plan.preview.crs.startswith("EPSG:3812")
    assert _inside(plan.features["geom_lambert"], zennevallei) == 49  # PROVENANCE.md §5
    assert {"Familia", "Pharmacie Demars", "Keustermans"} <= set(plan.features["name"])
    first = plan.features.iloc[0]
    assert first["feature_id"] == "913007" and json.loads(first["properties"])["status"] == "*(1)"
    assert any("geschorst" in n and "309" in n for n in plan.preview.notes)
    assert not plan.preview.warnings  # the closing footnote row is no missing pharmacy
    # Lambert 2008 → Lambert 72 lands within Belgium's Lambert 72 extent.
    x = shapely.get_x(shapely.from_wkb(list(plan.features["geom_lambert"])))
    assert 15_000 < x.min() and x.max() < 300_000
    plan.apply(store)
    assert len(store.features(layer="voorziening")) == with_xy


def test_stations_are_refused_but_their_points_are_read(realdata, zennevallei):
    frame = read_delimited(SourceFile.from_path(realdata / STATIONS))
    assert amenities.recognise_points(frame) == "irail"
    with pytest.raises(ImportProblem, match="treinstation"):
        amenities.plan_points(frame, ["stations.csv"])
    geoms, code = amenities.table_points(frame)
    assert code == 4326
    pts = gpd.GeoDataFrame({"name": frame["name"]}, geometry=geoms).to_crs(31370)
    hits = gpd.sjoin(pts, zennevallei, predicate="within")
    assert hits.index.nunique() == 11  # PROVENANCE.md §5
    assert {"Halle", "Lot", "Buizingen", "Linkebeek"} <= set(hits["name"])


# --- OSM layers ------------------------------------------------------------------------------------


def _osm_layer() -> gpd.GeoDataFrame:
    park = shapely.Polygon([(4.23, 50.73), (4.232, 50.73), (4.232, 50.732), (4.23, 50.732)])
    rows = [
        ("node/1", "Apotheek Halle", {"amenity": "pharmacy"}, shapely.Point(4.236, 50.734)),
        ("node/2", "Dr. Peeters", {"amenity": "doctors"}, shapely.Point(4.24, 50.735)),
        ("node/3", "Bakkerij Sas", {"shop": "bakery"}, shapely.Point(4.241, 50.736)),
        ("node/4", "Bloemen Jan", {"shop": "florist"}, shapely.Point(4.242, 50.736)),
        ("node/5", "Bloemen Piet", {"shop": "florist"}, shapely.Point(4.243, 50.736)),
        ("way/6", "Elbeekpark", {"leisure": "park"}, park),
        ("node/7", "Parijs", {"amenity": "pharmacy"}, shapely.Point(2.35, 48.85)),
        ("node/1", "Dubbel", {"amenity": "pharmacy"}, shapely.Point(4.237, 50.734)),
        ("node/8", "Dokter en apotheek", {"healthcare": "doctor", "amenity": "pharmacy"}, shapely.Point(4.238, 50.734)),
    ]
    frame = pd.DataFrame([{"@id": i, "name": n, **t} for i, n, t, _ in rows]).astype(object)
    return gpd.GeoDataFrame(frame, geometry=[g for *_, g in rows], crs="EPSG:4326")


def test_osm_geojson_tags_polygons_and_warnings(store):
    gdf = _osm_layer()
    assert amenities.recognise_points(gdf) == "osm"
    plan = amenities.plan_points(gdf, ["halle.geojson"], store)
    f = plan.features.set_index("feature_id")
    assert amenities.category_counts(plan) == {"apotheek": 2, "huisarts": 1, "bakker": 1, "groen": 1}
    assert f.loc["node/8", "category"] == "apotheek"  # amenity comes before healthcare
    assert f.loc["node/1", "name"] == "Apotheek Halle"  # the first of the duplicate ids
    assert shapely.from_wkb(f.loc["way/6", "geom_lambert"]).geom_type == "Polygon"
    assert "node/7" not in f.index
    lines = "\n".join(plan.preview.lines())
    assert "shop=florist (2)" in lines and "Niet gekoppeld" in lines
    assert "buiten België" in lines and "dubbele nummers" in lines
    plan.apply(store)
    points = amenity_points(store.features(layer="voorziening"))
    assert len(points) == 5 and points["x"].between(100_000, 200_000).all()


def test_mapping_override(store):
    plan = amenities.plan_points(
        _osm_layer(),
        ["halle.geojson"],
        store,
        mapping={"amenity=pharmacy": "huisarts", "shop=florist": "voedingswinkel", "leisure=park": None},
    )
    counts = amenities.category_counts(plan)
    assert counts == {"huisarts": 3, "bakker": 1, "voedingswinkel": 2}
    with pytest.raises(ImportProblem, match="Onbekende categorie"):
        amenities.plan_points(_osm_layer(), ["halle.geojson"], mapping={"shop=florist": "bloemist"})


def test_tag_counts_list_mapped_and_unmapped_tags_and_remembered_choices_apply(store):
    plan = amenities.plan_points(_osm_layer(), ["halle.geojson"], store)
    # Imported rows by their deciding tag (the Paris and duplicate pharmacy are left out), then "niet gekoppeld".
    assert amenities.tag_counts(plan) == {
        "amenity=pharmacy": 2,
        "shop=florist": 2,
        "amenity=doctors": 1,
        "shop=bakery": 1,
        "leisure=park": 1,
    }
    store.save_amenity_tag_mappings({"shop=florist": "voedingswinkel", "leisure=park": None})
    remembered = amenities.plan_points(_osm_layer(), ["halle.geojson"], store)
    assert amenities.category_counts(remembered) == {"apotheek": 2, "voedingswinkel": 2, "huisarts": 1, "bakker": 1}
    assert amenities.tag_counts(remembered)["leisure=park"] == 1  # still listed, as "niet gekoppeld"
    # The caller's mapping goes over the remembered one; without a store nothing is remembered.
    over = amenities.plan_points(_osm_layer(), ["halle.geojson"], store, mapping={"shop=florist": None})
    assert "voedingswinkel" not in amenities.category_counts(over)
    assert amenities.category_counts(amenities.plan_points(_osm_layer(), ["halle.geojson"]))["groen"] == 1


def test_plan_sources_passes_the_amenity_mapping(store, tmp_path):
    from zorgzaam.importers import SourceFile as Source, plan_sources

    data = _osm_layer().drop_duplicates("@id").to_json().encode()
    (plain,) = plan_sources([Source.from_bytes("halle.geojson", data)], store, workdir=tmp_path)
    assert amenities.category_counts(plain)["groen"] == 1
    (edited,) = plan_sources(
        [Source.from_bytes("halle.geojson", data)],
        store,
        workdir=tmp_path,
        amenity_mapping={"leisure=park": None, "shop=florist": "supermarkt"},
    )
    counts = amenities.category_counts(edited)
    assert "groen" not in counts and counts["supermarkt"] == 2


def test_geofabrik_fclass_and_lambert_layer():
    pts = [shapely.Point(148_000 + 50 * k, 160_000) for k in range(4)]
    gdf = gpd.GeoDataFrame(
        {
            "osm_id": ["11", "12", "13", "14"],
            "code": [2101, 2501, 2503, 2502],
            "fclass": ["pharmacy", "supermarket", "bakery", "florist"],
            "name": ["A", "B", "C", "D"],
        },
        geometry=pts,
        crs="EPSG:31370",
    )
    assert amenities.recognise_points(gdf) == "geofabrik"
    plan = amenities.plan_points(gdf, ["gis_osm_pois_free_1.shp"])
    assert amenities.category_counts(plan) == {"apotheek": 1, "supermarkt": 1, "bakker": 1}
    assert plan.preview.crs.startswith("EPSG:31370")
    assert any("florist (1)" in n for n in plan.preview.notes)
    got = shapely.from_wkb(plan.features["geom_lambert"].iloc[0])
    assert got.equals_exact(pts[0], 1e-6)


def test_overpass_json_and_other_tags():
    obj = {
        "elements": [
            {"type": "node", "id": 1, "lat": 50.73, "lon": 4.24, "tags": {"amenity": "post_office", "name": "Post"}},
            {"type": "way", "id": 2, "center": {"lat": 50.74, "lon": 4.25}, "tags": {"shop": "supermarket"}},
            {"type": "node", "id": 3, "lat": 50.0, "lon": 4.0},  # a way vertex without tags
        ]
    }
    plan = amenities.plan_json(obj, ["overpass.json"])
    got = dict(zip(plan.features["feature_id"], plan.features["category"]))
    assert got == {"node/1": "post", "way/2": "supermarkt"}
    gdal = gpd.GeoDataFrame(
        {"osm_id": ["5"], "name": ["Bank"], "other_tags": ['"amenity"=>"bank","atm"=>"yes"']},
        geometry=[shapely.Point(4.24, 50.73)],
        crs="EPSG:4326",
    )
    assert amenities.category_counts(amenities.plan_points(gdal, ["points.gpkg"])) == {"bank": 1}
    key_value = pd.DataFrame(
        {
            "osm_id": ["6", "7"],
            "name": ["Slagerij", "Bib"],
            "key": ["shop", "amenity"],
            "value": ["butcher", "library"],
            "lon": [4.24, 4.25],
            "lat": [50.73, 50.74],
        }
    )
    assert amenities.recognise_points(key_value) == "osm"
    plan = amenities.plan_points(key_value, ["voorzieningen.csv"])
    assert amenities.category_counts(plan) == {"slager": 1}
    assert any("amenity=library (1)" in n for n in plan.preview.notes)


# --- tables -------------------------------------------------------------------------------------


def test_table_with_stated_crs_and_caller_category():
    frame = pd.DataFrame({"naam": ["Bakker Jan"], "X": ["148000,5"], "Y": ["160000"]}).astype(object)
    with pytest.raises(ImportProblem, match="coördinatenstelsel van de kolommen"):
        amenities.plan_points(frame, ["bakkers.csv"], category="bakker")
    plan = amenities.plan_points(frame, ["bakkers.csv"], category="bakker", crs=31370)
    assert plan.features["name"].tolist() == ["Bakker Jan"]
    assert shapely.get_x(shapely.from_wkb(plan.features["geom_lambert"].iloc[0])) == pytest.approx(148000.5)
    with pytest.raises(ImportProblem, match="welke soort voorziening"):
        amenities.plan_points(frame, ["bakkers.csv"], crs=31370)
    with pytest.raises(ImportProblem, match="geen soort voorziening"):
        amenities.plan_points(frame, ["bakkers.csv"], category="station", crs=31370)


def test_broken_inputs():
    with pytest.raises(ImportProblem, match="geen coördinaten"):
        amenities.plan_points(pd.DataFrame({"name": ["a"], "amenity": ["pharmacy"]}), ["x.csv"], category="apotheek")
    only_florists = gpd.GeoDataFrame(
        {"name": ["a"], "shop": ["florist"]}, geometry=[shapely.Point(4.2, 50.7)], crs="EPSG:4326"
    )
    with pytest.raises(ImportProblem, match=r"Geen enkele rij.*shop=florist \(1\)"):
        amenities.plan_points(only_florists, ["x.geojson"])
    abroad = only_florists.assign(shop="bakery").set_geometry([shapely.Point(2.35, 48.85)], crs="EPSG:4326")
    with pytest.raises(ImportProblem, match="ligt in België"):
        amenities.plan_points(abroad, ["x.geojson"])
    no_crs = gpd.GeoDataFrame({"shop": ["bakery"]}, geometry=[shapely.Point(4.2, 50.7)])
    with pytest.raises(ImportProblem, match="coördinatenstelsel van deze laag is onbekend"):
        amenities.plan_points(no_crs, ["x.shp"])
    with pytest.raises(ImportProblem, match="geen OpenStreetMap-bestand"):
        amenities.plan_json({"foo": 1}, ["x.json"])
    assert amenities.recognise_points(pd.DataFrame({"statsec": ["A"], "value": [1]})) is None
    assert set(amenities.OSM_TAG_MAPPING.values()) <= set(AMENITY_CATEGORIES)
    assert np.all([("=" in k) or k.isidentifier() for k in amenities.OSM_TAG_MAPPING])
