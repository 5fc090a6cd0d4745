"""The spatial layers of "Wat is er?": data kept small and rounded, 100 m cells, stops, herschaal, legends."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pydeck as pdk
import pytest
import shapely

from zorgzaam import layers as L
from zorgzaam.classify import MISSING_COLOUR
from zorgzaam.store import Store

TOOLTIP_FIELDS = {"name", "category_label", "source"}
VIEW = pdk.ViewState(longitude=5.0, latitude=51.2, zoom=12)


def metres(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Haversine distance on a sphere of radius 6371 km (independent of pyproj)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371000 * math.asin(math.sqrt(a))


def features(*rows) -> pd.DataFrame:
    """rows: (layer, category, name, geometry in lon/lat, bron)."""
    return pd.DataFrame(
        {
            "layer": [r[0] for r in rows],
            "feature_id": [f"f{i}" for i in range(len(rows))],
            "category": [r[1] for r in rows],
            "name": [r[2] for r in rows],
            "properties": [json.dumps({"bron": r[4]}) if r[4] else None for r in rows],
            "geom_display": [shapely.to_wkb(r[3]) for r in rows],
        }
    )


def decimals_ok(values) -> bool:
    return all(abs(v * 1e5 - round(v * 1e5)) < 1e-6 for v in np.ravel(values))


def layer(layers: list, layer_id: str):
    matches = [x for x in layers if x.id == layer_id]
    assert len(matches) == 1, [x.id for x in layers]
    return matches[0]


# --- registry ---------------------------------------------------------------------------------


def test_registry_has_the_dutch_layers_in_a_drawing_order():
    for key in ("sectoren", "kernen", "linten", "verspreid", "walkability", "voorzieningen", "bushaltes"):
        assert key in L.LAYERS and L.LAYERS[key].label
    assert L.LAYERS["verspreid"].label == "Verspreide bebouwing"
    assert sorted(L.DRAW_ORDER) == sorted(L.LAYERS)
    # points on top of areas: stops above amenities above outlines above cells
    order = L.DRAW_ORDER.index
    assert order("walkability") < order("sectoren") < order("voorzieningen") < order("bushaltes")


def test_amenity_colours_distinct_and_basket_clearly_visible():
    colours = [s.colour for s in L.AMENITIES.values()]
    assert len(set(colours)) == len(colours)
    for category in ("voedingswinkel", "supermarkt", "bakker", "slager", "huisarts", "apotheek", "school"):
        style = L.AMENITIES[category]
        assert style.radius > L.AMENITIES["zitbank"].radius and style.symbol
    assert all(s.symbol.isascii() for s in L.AMENITIES.values())


# --- amenities and settlement -----------------------------------------------------------------


def test_amenity_points_rounded_with_tooltip_fields_and_source():
    frame = features(
        ("voorziening", "bakker", "Bakkerij Peeters", shapely.Point(5.123456789, 51.987654321), "demo — fictief"),
        ("voorziening", "bakker", None, shapely.Point(5.2, 51.3), None),
        ("voorziening", "huisarts", "Dr. Janssens", shapely.Point(5.0, 51.0), "RIZIV"),
        ("nederzetting", "kern", "Kern X", shapely.box(5, 51, 5.1, 51.1), "RURA"),
    )
    layers = L.amenity_layers(frame)
    bakker = layer(layers, "voorzieningen-bakker")
    assert bakker.type == "ScatterplotLayer" and bakker.pickable
    first, second = bakker.data
    assert first["position"] == [5.12346, 51.98765]
    assert first == {
        "position": [5.12346, 51.98765],
        "name": "Bakkerij Peeters",
        "category_label": "Bakker",
        "source": "demo — fictief",
    }
    assert second["name"] == "Bakker" and second["source"] == L.UNKNOWN_SOURCE
    assert layer(layers, "voorzieningen-bakker-letters").data[0]["text"] == "B"
    assert {x.id for x in layers} == {
        "voorzieningen-bakker",
        "voorzieningen-bakker-letters",
        "voorzieningen-huisarts",
        "voorzieningen-huisarts-letters",
    }
    only = L.amenity_layers(frame, categories=["huisarts", "apotheek"], with_symbols=False)
    assert [x.id for x in only] == ["voorzieningen-huisarts"]


def test_green_is_a_polygon_below_the_dots_and_unknown_categories_still_draw():
    ring = shapely.Polygon([(5.000004, 51.000006), (5.001, 51.0), (5.001, 51.001), (5.000004, 51.000006)])
    frame = features(
        ("voorziening", "bibliotheek", "Bib", shapely.Point(5.0, 51.0), "gemeente"),
        ("voorziening", "groen", "Park", ring, "gemeente"),
    )
    layers = L.amenity_layers(frame)
    assert [x.id for x in layers] == ["voorzieningen-groen", "voorzieningen-bibliotheek"]
    polygon = layers[0].data[0]["polygon"]
    assert polygon[0][0] == [5.0, 51.00001] and decimals_ok(polygon)
    assert layers[1].data[0]["category_label"] == "Bibliotheek"


def test_settlement_layers():
    frame = features(
        ("nederzetting", "kern", "Kern Lozel", shapely.box(5.0000049, 51.0, 5.01, 51.01), "RURA"),
        ("nederzetting", "lint", None, shapely.LineString([(5.0, 51.0), (5.0123456, 51.0)]), "RURA"),
        (
            "nederzetting",
            "verspreid",
            None,
            shapely.MultiPolygon([shapely.box(5, 51, 5.001, 51.001), shapely.box(5.01, 51, 5.011, 51.001)]),
            "RURA",
        ),
    )
    layers = L.settlement_layers(frame)
    assert [x.id for x in layers] == ["verspreid", "kernen", "linten"]
    verspreid, kernen, linten = layers
    assert len(verspreid.data) == 2 and verspreid.data[0]["name"] == "Verspreide bebouwing"
    assert kernen.data[0]["name"] == "Kern Lozel" and kernen.data[0]["source"] == "RURA"
    assert decimals_ok(kernen.data[0]["polygon"])
    assert linten.type == "PathLayer" and linten.data[0]["path"][-1] == [5.01235, 51.0]
    assert linten.data[0]["category_label"] == "Lint"
    assert L.settlement_layers(frame, ("kern",))[0].id == "kernen"


def test_sector_outlines_carry_code_for_a_click():
    sectors = pd.DataFrame(
        {
            "code": ["13001A00-", "13001B01-"],
            "name": ["Lozel-Centrum", "Ven"],
            "geometry": [
                shapely.box(5, 51, 5.01, 51.01),
                shapely.MultiPolygon([shapely.box(5, 51, 5.001, 51.001), shapely.box(5.1, 51, 5.101, 51.001)]),
            ],
        }
    )
    sector = L.sector_layer(sectors, source="Statbel")
    assert sector.id == "sectoren" and len(sector.data) == 3
    assert sector.data[0]["code"] == "13001A00-" and set(sector.data[0]) >= TOOLTIP_FIELDS
    assert sector.data[0]["category_label"] == "Statistische sector 13001A00-"


# --- bus stops --------------------------------------------------------------------------------


def test_stop_size_classes():
    departures = pd.Series([0.3, 1.0, 1.5, 2.0, 3.9, 4.0, 8.0, None], dtype="Float64")
    assert [None if pd.isna(c) else int(c) for c in L.stop_size_class(departures)] == [0, 1, 1, 2, 2, 3, 3, None]
    radii = [c.radius for c in L.STOP_CLASSES]
    assert radii == sorted(radii) and len(set(radii)) == 4


def test_stops_sized_by_departures_and_belbus_apart():
    stops = pd.DataFrame(
        {
            "name": ["Markt", "Kerk", "Heide", "Belbus Ven", "Onbekend"],
            "departures_per_hour": pd.array([8.0, 1.5, 0.4, None, None], dtype="Float64"),
            "is_belbus": [False, False, False, True, False],
            "lon": [5.123456789, 5.1, 5.2, 5.3, 5.4],
            "lat": [51.1, 51.2, 51.3, 51.4, 51.5],
        }
    )
    layers = L.stop_layers(stops, source="De Lijn")
    regular, belbus = layer(layers, "bushaltes"), layer(layers, "bushaltes-belbus")
    assert [r["name"] for r in regular.data] == ["Markt", "Kerk", "Heide", "Onbekend"]
    assert [r["radius"] for r in regular.data[:3]] == [11, 6, 4]
    assert regular.data[0]["position"] == [5.12346, 51.1]
    assert regular.data[0]["category_label"] == "Bushalte: 8 vertrekken per uur (weekdag)"
    assert regular.data[1]["category_label"] == "Bushalte: 1,5 vertrekken per uur (weekdag)"
    assert "onbekend" in regular.data[3]["category_label"]
    assert [r["name"] for r in belbus.data] == ["Belbus Ven"]
    assert belbus.data[0]["source"] == "De Lijn" and "Belbus" in belbus.data[0]["category_label"]
    # a ring: white fill, a coloured outline unlike any regular stop's fill
    assert belbus.get_fill_color == [255, 255, 255, 255]
    assert belbus.get_line_color[:3] == list(L.BELBUS_COLOUR)
    assert list(L.BELBUS_COLOUR) not in [r["fill"] for r in regular.data]


# --- hectare cells ----------------------------------------------------------------------------


def test_hectare_cell_is_100_m_wide_after_conversion():
    x = np.array([200050.0, 200150.0, 200050.0])
    y = np.array([210050.0, 210050.0, 210150.0])
    lon, lat = L.lambert_to_lonlat(x, y)
    assert decimals_ok(lon) and decimals_ok(lat)
    assert metres(lon[0], lat[0], lon[1], lat[1]) == pytest.approx(100.0, abs=1.5)
    assert metres(lon[0], lat[0], lon[2], lat[2]) == pytest.approx(100.0, abs=1.5)
    # the square drawn: a 4-vertex disk whose half-diagonal is 50·√2, so its side is 100 m
    assert L.HECTARE_RADIUS_M * math.sqrt(2) == pytest.approx(100.0)


def test_lambert_central_meridian_and_grid_turn():
    # x = 150 000 m lies on Lambert 72's central meridian 4°22'03" E (4.3675°), up to the datum shift.
    lon, _ = L.lambert_to_lonlat([150000.0], [170000.0])
    assert lon[0] == pytest.approx(4.3675, abs=0.002)
    # Lambert conic convergence: (lon - lon0) · n, with n = sin of the mean standard parallel ≈ 0.7716.
    east_lonlat = L.lambert_to_lonlat([230000.0], [200000.0])
    west_lonlat = L.lambert_to_lonlat([40000.0], [200000.0])
    east, west = L.grid_convergence(*east_lonlat), L.grid_convergence(*west_lonlat)
    assert east == pytest.approx((east_lonlat[0][0] - 4.3675) * 0.7716, abs=0.02) and east > 0
    assert west == pytest.approx((west_lonlat[0][0] - 4.3675) * 0.7716, abs=0.02) and west < 0


def colours_at(raster, x, y) -> list[tuple[int, ...]]:
    """RGBA the raster image shows at Lambert positions."""
    lon, lat = L.lambert_to_lonlat(x, y)
    return [tuple(c) for c in L.raster_colours_at(raster, lon, lat)]


def test_a_hectare_raster_is_one_image_that_covers_exactly_its_cells():
    # Far east of the central meridian (the Lambert grid turned ~0,9 degree from north), a row of 5 cells.
    x0, y0 = 230050.0, 200050.0
    cells = pd.DataFrame(
        {"x": [x0 + 100 * i for i in range(5)], "y": [y0] * 5, "value": [10.0, 30.0, 50.0, 70.0, 90.0]}
    )
    (only,) = L.walkability_layers(cells)
    assert only.type == "BitmapLayer" and only.id == "walkability" and only.pickable is False
    sent = json.loads(L.spatial_deck([only], VIEW).to_json())["layers"][0]
    assert sent["image"].startswith("data:image/png;base64,") and sent["bounds"] == list(only.bounds)
    image = L.raster_image(cells, L.ramp_classes(cells["value"], 0, 100, 5), L.WALKABILITY_COLOURS)
    # 500 × 100 m at 25 m a pixel, plus at most a pixel or two for the grid's turn against north.
    assert 20 <= image.width <= 22 and 4 <= image.height <= 6
    west, south, east, north = only.bounds
    (lon_w, lon_e), (lat_s, lat_n) = L.lambert_to_lonlat([x0 - 50, x0 + 450], [y0 - 50, y0 + 50])
    assert metres(west, lat_s, lon_w, lat_s) < 30 and metres(east, lat_s, lon_e, lat_s) < 30
    assert metres(west, south, west, lat_s) < 30 and metres(west, north, west, lat_n) < 30
    # Each cell centre shows its class colour at the cells' opacity; 30 m beyond the row nothing is drawn.
    got = colours_at(only, cells["x"], cells["y"])
    assert got == [(*L.WALKABILITY_COLOURS[i], L.CELL_ALPHA) for i in range(5)]
    inside = colours_at(only, [x0 - 20, x0 + 420, x0 + 420], [y0 + 20, y0 - 20, y0 + 20])
    assert inside == [
        (*L.WALKABILITY_COLOURS[0], 200),
        (*L.WALKABILITY_COLOURS[4], 200),
        (*L.WALKABILITY_COLOURS[4], 200),
    ]
    outside = colours_at(only, [x0 - 80, x0 + 480, x0 + 200, x0 + 200], [y0, y0, y0 + 80, y0 - 80])
    assert [c[3] for c in outside] == [0, 0, 0, 0]


def test_ramp_classes_by_hand():
    got = L.ramp_classes(pd.Series([0.0, 19.9, 20.0, 59.0, 100.0, 120.0, None], dtype="Float64"), 0.0, 100.0, 5)
    assert [None if pd.isna(c) else int(c) for c in got] == [0, 0, 1, 2, 4, 4, None]


def test_herschaal_maps_visible_min_to_first_and_max_to_last_colour():
    cells = pd.DataFrame(
        {"x": [200050.0 + 100 * i for i in range(5)], "y": [210050.0] * 5, "value": [20.0, 30.0, 40.0, 50.0, 60.0]}
    )
    ends = (cells["x"].iloc[[0, 4]], cells["y"].iloc[[0, 4]])
    (rescaled,) = L.walkability_layers(cells, rescale=True)
    low, high = colours_at(rescaled, *ends)
    assert low[:3] == L.WALKABILITY_COLOURS[0] and high[:3] == L.WALKABILITY_COLOURS[-1]
    (fixed,) = L.walkability_layers(cells, rescale=False)  # 20 in 20–40, 60 in 60–80
    low, high = colours_at(fixed, *ends)
    assert low[:3] == L.WALKABILITY_COLOURS[1] and high[:3] == L.WALKABILITY_COLOURS[3]
    assert L.walkability_bounds(cells["value"], True) == (20.0, 60.0)
    assert L.walkability_bounds(cells["value"], False) == (0.0, 100.0)


def test_a_cell_without_value_is_grey_and_no_cell_is_transparent():
    # Two cells with a hectare between them that has no cell at all.
    cells = pd.DataFrame(
        {"x": [200050.0, 200250.0], "y": [210050.0, 210050.0], "value": pd.array([55.0, None], dtype="Float64")}
    )
    (raster,) = L.walkability_layers(cells)
    scored, gap, unscored = colours_at(raster, [200050.0, 200150.0, 200250.0], [210050.0] * 3)
    assert scored == (*L.WALKABILITY_COLOURS[2], L.CELL_ALPHA)
    assert gap[3] == 0
    assert unscored == (*MISSING_COLOUR, L.CELL_ALPHA)
    # No tooltip on an image: the legend tells what a colour means.
    assert raster.pickable is False and L.CELL_NOTE in L.walkability_legend().notes


def test_residents_by_ruimtemonitor_classes():
    got = L.resident_classes(pd.Series([1.0, 30.0, 31.0, 120.0, 121.0, 240.0, 241.0, 762.0]))
    assert list(got) == [0, 0, 1, 2, 3, 3, 4, 4]
    cells = pd.DataFrame({"x": [200050.0, 200150.0], "y": [210050.0] * 2, "value": [1234.0, 12.0]})
    (only,) = L.residents_layers(cells)
    assert only.id == "inwoners"
    assert colours_at(only, cells["x"], cells["y"]) == [(*L.RESIDENT_COLOURS[4], 200), (*L.RESIDENT_COLOURS[0], 200)]
    assert L.CELL_NOTE in L.residents_legend().notes


# --- legends ----------------------------------------------------------------------------------


def test_a_legend_per_layer():
    legends = L.layer_legends(list(L.LAYERS), facilities_labels=["waarde 1"])
    assert sorted(leg.key for leg in legends) == sorted(L.LAYERS)
    assert all(leg.items and leg.title for leg in legends)
    stops = next(leg for leg in legends if leg.key == "bushaltes")
    assert [i.shape for i in stops.items] == ["circle"] * 4 + ["ring"]
    assert [i.size for i in stops.items[:4]] == sorted(i.size for i in stops.items[:4])
    amenities = L.amenity_legend(["bakker", "groen"])
    assert [(i.label, i.shape) for i in amenities.items] == [("Bakker", "circle"), ("Groen", "square")]
    assert L.layer_legends(["linten"])[0].items[0].shape == "line"


def test_walkability_legend_bounds_and_herschaal_warning():
    fixed = L.walkability_legend()
    assert [i.label for i in fixed.items[:5]] == ["0 – 20", "20 – 40", "40 – 60", "60 – 80", "80 – 100"]
    assert L.RESCALE_WARNING not in fixed.notes
    rescaled = L.walkability_legend(3.5, 13.5, rescaled=True)
    assert rescaled.items[0].label == "3,5 – 5,5" and rescaled.items[4].label == "11,5 – 13,5"
    assert L.RESCALE_WARNING in rescaled.notes
    assert "laag scoren in vergelijking met bijvoorbeeld steden" in L.RESCALE_WARNING


def test_legend_html_escapes_and_shows_labels():
    text = L.legend_html(L.Legend("x", "Titel <b>", (L.LegendItem((1, 2, 3), "één & twee", "ring"),)))
    assert "Titel &lt;b&gt;" in text and "één &amp; twee" in text and "#010203" in text


# --- deck and payload -------------------------------------------------------------------------


def test_payload_bytes_counts_utf8_of_the_compact_json():
    frame = features(("voorziening", "bakker", "Café Één", shapely.Point(5.1, 51.1), "demo — fictief"))
    deck = L.spatial_deck(L.amenity_layers(frame), VIEW)
    text = deck.to_json()
    assert L.payload_bytes(deck) == len(text.encode("utf-8")) > len(text)  # é, É and — take 2-3 bytes
    assert json.loads(text)["layers"][0]["id"] == "voorzieningen-bakker"
    indented = pdk.Deck(layers=L.amenity_layers(frame), initial_view_state=VIEW, map_provider=None).to_json()
    assert L.payload_bytes(deck) < len(indented.encode("utf-8"))
    bigger = features(*[("voorziening", "bakker", f"B{i}", shapely.Point(5.1, 51.1), "x") for i in range(10)])
    assert L.payload_bytes(L.spatial_deck(L.amenity_layers(bigger), VIEW)) > L.payload_bytes(deck)


def test_deck_has_no_basemap_and_the_shared_tooltip():
    deck = L.spatial_deck([], VIEW)
    spec = json.loads(deck.to_json())
    assert "mapStyle" not in spec and "mapProvider" not in spec
    assert all("{" + field + "}" in L.TOOLTIP["html"] for field in TOOLTIP_FIELDS)


# --- the demo zone ----------------------------------------------------------------------------


def test_all_layers_of_the_demo_zone(demo_db):
    store = Store.open(demo_db)
    feats = store._query_df("SELECT layer, feature_id, category, name, properties, geom_display FROM features")
    stops = store._query_df("SELECT name, departures_per_hour, is_belbus, lon, lat FROM stops")
    walk = store._query_df("SELECT x, y, value FROM grid_cells WHERE layer = ?", ["walkability"])
    sec = store.geometries("statsec", display=True)
    sectors = pd.DataFrame(
        {
            "code": sec["code"],
            "name": sec["name"],
            "geometry": list(shapely.from_wkb([bytes(g) for g in sec["geometry"]])),
        }
    )
    layers = L.spatial_layers(
        list(L.LAYERS),
        sectors=sectors,
        features=feats,
        stops=stops,
        walkability=walk,
        rescale=True,
        sources={"walkability": "demo — fictief"},
    )
    ids = [x.id for x in layers]
    assert len(ids) == len(set(ids))
    for key in (
        "sectoren",
        "kernen",
        "linten",
        "verspreid",
        "voorzieningen-bakker",
        "bushaltes",
        "bushaltes-belbus",
        "walkability",
    ):
        assert key in ids
    assert ids.index("walkability") < ids.index("sectoren") < ids.index("bushaltes")
    for x in layers:
        if x.pickable:
            assert all(TOOLTIP_FIELDS <= set(row) for row in x.data), x.id
    assert layer(layers, "kernen").data[0]["source"] == "demo — fictief"
    # The whole zone's walkability is one image over the cells' extent (25 m pixels, 4 per hectare).
    raster = layer(layers, "walkability")
    image = L.raster_image(
        walk, L.ramp_classes(walk["value"], *L.walkability_bounds(walk["value"], True), 5), L.WALKABILITY_COLOURS
    )
    span_x = (walk["x"].max() - walk["x"].min() + 100) / L.RASTER_PIXEL_M
    span_y = (walk["y"].max() - walk["y"].min() + 100) / L.RASTER_PIXEL_M
    assert span_x <= image.width <= span_x * 1.05 and span_y <= image.height <= span_y * 1.05
    # Every cell centre shows the colour of its own rescaled class.
    lo, hi = L.walkability_bounds(walk["value"], True)
    expected = [
        (*L.WALKABILITY_COLOURS[int(c)], L.CELL_ALPHA) if not pd.isna(c) else (*MISSING_COLOUR, L.CELL_ALPHA)
        for c in L.ramp_classes(walk["value"], lo, hi, 5)
    ]
    assert colours_at(raster, walk["x"], walk["y"]) == expected
    full = L.payload_bytes(L.spatial_deck(layers, VIEW))
    light = L.payload_bytes(L.spatial_deck([raster], VIEW))
    assert 0 < light < full and light < 60_000 < len(walk) * 10


def test_facilities_level_classes_and_layers():
    from zorgzaam.layers import FACILITIES_COLOURS, facilities_classes, facilities_layers, layer_legends

    # A class raster (whole values): each value its own class, missing stays missing.
    classes, labels = facilities_classes(pd.Series([1.0, 4.0, 2.0, np.nan, 4.0]))
    assert classes.tolist() == [0, 2, 1, pd.NA, 2] and labels == ["waarde 1", "waarde 2", "waarde 4"]
    # A continuous raster: five equal ranges.
    classes, labels = facilities_classes(pd.Series([0.0, 2.5, 10.0]))
    assert classes.tolist() == [0, 1, 4] and labels[0] == "0,0 – 2,0" and len(labels) == len(FACILITIES_COLOURS)
    cells = pd.DataFrame({"x": [150_050.0, 150_150.0, 150_250.0], "y": [200_050.0] * 3, "value": [1.0, 2.0, np.nan]})
    layers = facilities_layers(cells)
    assert [layer.id for layer in layers] == ["voorzieningenniveau"]
    assert colours_at(layers[0], cells["x"], cells["y"]) == [
        (*FACILITIES_COLOURS[0], 200),
        (*FACILITIES_COLOURS[1], 200),
        (*MISSING_COLOUR, 200),
    ]
    legend = layer_legends(["voorzieningenniveau"], facilities_labels=["waarde 1", "waarde 2"])[0]
    assert [i.label for i in legend.items] == ["waarde 1", "waarde 2", "geen waarde"]
    assert legend.items[0].colour == FACILITIES_COLOURS[0]
