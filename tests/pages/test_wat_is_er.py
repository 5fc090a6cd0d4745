"""The "Wat is er?" page (AppTest): layers in the URL, values equal to the stored layers, the sector detail."""

from __future__ import annotations

import json

import pytest
import shapely
from streamlit.testing.v1 import AppTest

from tests.pages.conftest import open_app_page
from zorgzaam.access import amenity_points
from zorgzaam.demo import TOWN_CODE
from zorgzaam.environment import settlement_shares
from zorgzaam.store import Store

PAGE = "pages/wat_is_er.py"
SECTOR = f"{TOWN_CODE}A05-"


def open_page(at: AppTest, **params: str) -> AppTest:
    return open_app_page(at, PAGE, **params)


def deck_layer_ids(at: AppTest) -> set[str]:
    spec = json.loads(at.get("deck_gl_json_chart")[0].proto.json)
    return {layer["id"] for layer in spec["layers"]}


def test_default_layers_are_drawn_and_switching_one_off_removes_it(app):
    open_page(app)
    ids = deck_layer_ids(app)
    assert {"sectoren", "kernen", "linten", "verspreid", "bushaltes"} <= ids
    assert any(i.startswith("voorzieningen-bakker") for i in ids)
    assert not any(i.startswith("walkability") for i in ids)

    app.button_group(key="lagen").set_value(["sectoren", "walkability"]).run()
    ids = deck_layer_ids(app)
    assert "sectoren" in ids and "walkability" in ids
    # The municipality's walkability hectares arrive as one PNG over their extent, not an object per cell.
    spec = json.loads(app.get("deck_gl_json_chart")[0].proto.json)
    (walk,) = [layer for layer in spec["layers"] if layer["id"] == "walkability"]
    assert walk["@@type"] == "BitmapLayer" and walk["image"].startswith("data:image/png;base64,")
    west, south, east, north = walk["bounds"]
    assert 0 < east - west < 0.3 and 0 < north - south < 0.2  # a municipality, in degrees
    assert len(app.get("deck_gl_json_chart")[0].proto.json) < 300_000
    assert "kernen" not in ids and not any(i.startswith("voorzieningen") for i in ids)
    assert app.query_params["lagen"] == "sectoren,walkability"
    # One legend per visible layer: walkability's bounds are on screen, the bus legend is not.
    legends = " ".join(m.value for m in app.markdown if "zz-legend" in m.value)
    assert "Walkability" in legends and "Bushaltes" not in legends


def test_layers_from_a_shared_link_and_rescale_warning(app):
    open_page(app, lagen="walkability", herschaal="ja")
    assert {i.split("-")[0] for i in deck_layer_ids(app)} == {"walkability"}
    assert app.toggle(key="herschaal").value is True
    assert any("kan nog altijd laag scoren" in c.value for c in app.caption)


def test_sector_table_shares_equal_the_stored_place_table(app, demo_db):
    open_page(app)
    table = next(df.value for df in app.dataframe if "% kern" in df.value.columns).set_index("Code")
    store = Store.open(demo_db)
    codes = store.sectors_within("gemeente", [TOWN_CODE])
    expected = settlement_shares(store.place_access(codes), codes)
    assert sorted(table.index) == sorted(codes)
    for code in codes:
        assert table.loc[code, "Inwoners (hectarecellen)"] == pytest.approx(expected.loc[code, "residents"])
        assert table.loc[code, "% kern"] == pytest.approx(expected.loc[code, "pct_kern"], nan_ok=True)
        assert table.loc[code, "% lint"] == pytest.approx(expected.loc[code, "pct_lint"], nan_ok=True)
    # Shares of a sector with residents add up to 100 %.
    share_cols = ["% kern", "% lint", "% verspreide bebouwing", "% elders"]
    sums = table.loc[expected["residents"] > 0, share_cols].sum(axis=1)
    assert sums.round(6).eq(100).all()


def test_selected_sector_lists_amenities_inside_and_near_with_distance(app, demo_db):
    open_page(app, sector=SECTOR)
    assert any(h.value.endswith(f"({SECTOR})") for h in app.subheader)
    store = Store.open(demo_db)
    sector = shapely.from_wkb(bytes(store.geometries("statsec", [SECTOR], display=False)["geometry"].iloc[0]))
    amenities = amenity_points(store.features(layer="voorziening"))
    distance = shapely.distance(sector, shapely.points(amenities["x"], amenities["y"]))
    expected_inside = set(amenities.loc[distance == 0, "name"])
    expected_near = set(amenities.loc[(distance > 0) & (distance <= 400), "name"])
    listed = next(df.value for df in app.dataframe if "Voorziening" in df.value.columns)
    inside = set(listed.loc[listed["Ligging"] == "in de sector", "Voorziening"])
    near = set(listed.loc[listed["Ligging"] != "in de sector", "Voorziening"])
    assert inside == expected_inside and near == expected_near
    assert expected_inside  # the demo town's sector has shops of its own
    assert app.query_params["sector"] == SECTOR


def test_the_selection_is_shared_with_the_other_pages(app):
    open_page(app, sector=SECTOR)
    assert app.session_state["sector"] == SECTOR
    app.switch_page("pages/wie_woont_er.py").run()
    assert not app.exception
    assert any(h.value.endswith(f"({SECTOR})") for h in app.subheader)


def test_amenity_categories_from_the_link_limit_the_map_and_the_legend(app):
    open_page(app, categorieen="bakker,apotheek")
    amenity_layers = {i.split("-")[1] for i in deck_layer_ids(app) if i.startswith("voorzieningen-")}
    assert amenity_layers == {"bakker", "apotheek"}
    legends = " ".join(m.value for m in app.markdown if "zz-legend" in m.value)
    assert "Bakker" in legends and "Apotheek" in legends and "Huisarts" not in legends
    assert app.query_params["categorieen"] == "bakker,apotheek"
