"""Map images for print (zorgzaam.reports.map_image) on the demo zone: size, content, legend, caption."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import shapely
from PIL import Image

from zorgzaam.catalogue import BUILTIN
from zorgzaam.classify import MISSING_COLOUR, classify
from zorgzaam.demo import TINY_SECTOR, TOWN_CODE, WZC_SECTOR
from zorgzaam.engine import compute
from zorgzaam.reports import map_image
from zorgzaam.reports.map_image import (
    HIGHLIGHT_COLOUR,
    MapLegendItem,
    PointLayer,
    highlight_legend,
    indicator_classes,
    indicator_map_png,
    legend_items,
    nice_length,
    profile_map_png,
    scale_label,
    sector_map_png,
    source_caption,
)
from zorgzaam.store import Store, close_all


@pytest.fixture(scope="module")
def town(demo_db):
    store = Store.open(demo_db)
    codes = store.sectors_within("gemeente", [TOWN_CODE])
    raw = store.geometries("statsec", codes, display=False)
    frame = pd.DataFrame(
        {"code": raw["code"], "name": raw["name"], "geometry": list(shapely.from_wkb(raw["geometry"]))}
    )
    result = compute(store, ["pct_80plus"], level="statsec", within=("gemeente", TOWN_CODE))
    close_all()
    return frame, result.set_index("area_code")


def _image(png: bytes) -> Image.Image:
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    return Image.open(io.BytesIO(png)).convert("RGB")


def _colours(img: Image.Image) -> set[tuple[int, int, int]]:
    pixels = np.asarray(img).reshape(-1, 3)
    return {tuple(int(v) for v in row) for row in np.unique(pixels, axis=0)}


def test_a3_highlight_map_is_print_size_not_blank_and_shows_the_highlight(town):
    frame, _ = town
    png = sector_map_png(
        frame,
        title="Heidebeek",
        source="demo — fictief",
        period="2025",
        legend=highlight_legend("gekozen sector"),
        highlight=[WZC_SECTOR],
    )
    img = _image(png)
    assert img.size[0] >= 2480 and img.size[1] >= 1754  # A3 landscape at 150 dpi
    colours = _colours(img)
    assert len(colours) > 50  # drawing, text and antialiasing, not an empty page
    assert HIGHLIGHT_COLOUR in colours
    assert map_image.CONTEXT_COLOUR in colours


def test_a4_portrait_and_higher_dpi_sizes(town):
    frame, _ = town
    png = sector_map_png(frame, title="t", source="s", page="A4", orientation="portrait", dpi=100)
    assert _image(png).size == (827, 1170)  # ceil(210 / 25.4 * 100), ceil(297 / 25.4 * 100)
    with pytest.raises(ValueError, match="papierformaat"):
        sector_map_png(frame, title="t", source="s", page="A5")
    with pytest.raises(ValueError, match="oriëntatie"):
        sector_map_png(frame, title="t", source="s", orientation="schuin")


def test_indicator_map_uses_the_pages_classes_and_colours(town):
    frame, result = town
    ind = BUILTIN.indicator("pct_80plus")
    png = indicator_map_png(
        frame,
        result["value"],
        ind,
        source="demo — fictief",
        period="2025",
        view_label="gemeente Heidebeek",
        statuses=result["status"],
        highlight=[WZC_SECTOR],
    )
    img = _image(png)
    assert img.size[0] >= 2480 and img.size[1] >= 1754
    values = frame["code"].map(result["value"].where(result["status"] == "ok")).astype(float)
    classes = classify(values, method="kwantielen", unit=ind.unit, decimals=ind.decimals)
    colours = _colours(img)
    for colour in classes.colours:
        assert tuple(colour) in colours
    assert MISSING_COLOUR in colours  # the tiny sector is hidden: grey, never a class colour
    assert result.loc[TINY_SECTOR, "status"] == "verborgen"


def test_legend_items_are_the_pages_legend():
    values = pd.Series([1.0, 2.0, 3.0, 4.0, np.nan, 10.0])
    classes = classify(values, method="kwantielen", n_classes=3, unit="%", decimals=1)
    items = legend_items(classes)
    # The Wie woont er? page shows f"{label} ({count})" per entry, missing last.
    assert [i.label for i in items] == [f"{e.label} ({e.count})" for e in classes.entries]
    assert [i.colour for i in items] == [tuple(e.colour) for e in classes.entries]
    assert items[-1].colour == MISSING_COLOUR and items[-1].label.startswith("x of -")
    assert all("," in i.label or "x" in i.label for i in items)  # Dutch decimals
    assert [i.label for i in legend_items(classes, counts=False)] == [e.label for e in classes.entries]


def test_indicator_classes_fall_back_like_the_page():
    count = BUILTIN.indicator("pop_total")
    values = pd.Series([10.0, 20.0, 30.0, 40.0, 50.0])
    assert indicator_classes(values, count, "afwijking_elz", reference=30.0).method == "kwantielen"
    pct = BUILTIN.indicator("pct_80plus")
    assert indicator_classes(values, pct, "afwijking_elz", reference=None).method == "kwantielen"
    assert indicator_classes(values, pct, "afwijking_elz", reference=30.0).method == "afwijking_elz"


def test_highlight_legend_and_caption():
    items = highlight_legend("deze sector")
    assert items == [
        MapLegendItem(HIGHLIGHT_COLOUR, "deze sector"),
        MapLegendItem(map_image.CONTEXT_COLOUR, "andere sectoren"),
    ]
    caption = source_caption("demo — fictief", "2025", date(2026, 12, 2))
    assert caption == (
        "Bron: demo — fictief · periode 2025 · kaart: zorgzaam · 2 december 2026 · noorden boven (Lambert 72)"
    )


def test_scale_bar_lengths_are_round_and_dutch():
    assert nice_length(10_000) == 2000
    assert nice_length(3_000) == 500
    assert nice_length(40_000) == 5000
    assert scale_label(2000) == "2 km"
    assert scale_label(1500) == "1,5 km"
    assert scale_label(500) == "500 m"


def test_points_are_drawn_in_their_colour(town):
    frame, _ = town
    centre = shapely.total_bounds(np.array(list(frame["geometry"]), dtype=object))
    x = [(centre[0] + centre[2]) / 2 + d for d in (-500, 0, 500)]
    y = [(centre[1] + centre[3]) / 2] * 3
    colour = (213, 94, 0)
    png = sector_map_png(
        frame, title="t", source="s", points=[PointLayer(x, y, colour, "Supermarkt", size=400)], page="A4", dpi=100
    )
    assert colour in _colours(_image(png))


def test_profile_map_fits_an_a4_column(town):
    frame, _ = town
    png = profile_map_png(frame, [WZC_SECTOR], title="Ter Heide", source="demo — fictief", period="2025")
    img = _image(png)
    assert img.size == (1005, 561) or (abs(img.size[0] - 1004) <= 1 and abs(img.size[1] - 562) <= 1)
    assert HIGHLIGHT_COLOUR in _colours(img)


def test_map_module_never_touches_pyplot():
    source = Path(map_image.__file__).read_text(encoding="utf-8")
    assert "import matplotlib.pyplot" not in source and "from matplotlib import pyplot" not in source
    assert "plt." not in source


def test_bivariate_legend_is_the_wie_vs_wat_grid():
    from zorgzaam.mismatch import BIVARIATE_COLOURS, tertile_classes
    from zorgzaam.reports.map_image import bivariate_legend_items

    _, need_bounds = tertile_classes(pd.Series([5.0, 6.0, 7.0, 8.0, 9.0, 12.0]))
    _, lack_bounds = tertile_classes(pd.Series([0.1, 0.2, 0.3, 0.5, 0.6, 0.9]))
    items = bivariate_legend_items(need_bounds, lack_bounds)
    assert len(items) == 10
    assert items[0].colour == BIVARIATE_COLOURS[2][0] and items[8].colour == BIVARIATE_COLOURS[0][2]
    assert items[2].label.startswith("nood hoog (") and "te ver hoog (" in items[2].label
    assert "%" in items[2].label and "," in items[2].label  # Dutch ranges with the unit
    assert items[-1].colour == MISSING_COLOUR


def test_amenity_points_use_the_wat_is_er_colours():
    from zorgzaam.layers import AMENITIES
    from zorgzaam.reports.map_image import amenity_points

    frame = pd.DataFrame({"category": ["bakker", "huisarts", "bakker"], "x": [1.0, 2.0, 3.0], "y": [1.0, 2.0, 3.0]})
    layers = amenity_points(frame)
    assert [(layer.label, layer.colour, len(layer.x)) for layer in layers] == [
        ("Bakker", AMENITIES["bakker"].colour, 2),
        ("Huisarts", AMENITIES["huisarts"].colour, 1),
    ]
    assert [layer.label for layer in amenity_points(frame, ["huisarts"])] == ["Huisarts"]


def test_degrees_are_refused_with_a_dutch_sentence():
    frame = pd.DataFrame({"code": ["a"], "name": ["A"], "geometry": [shapely.box(4.3, 51.0, 4.4, 51.1)]})
    with pytest.raises(ValueError, match="Lambert 72"):
        sector_map_png(frame, title="t", source="s", page="A4", dpi=50)


def test_overlays_draw_kernen_and_linten_over_the_sectors():
    import io

    import shapely
    from PIL import Image

    from zorgzaam.reports.map_image import Overlay, sector_map_png

    square = shapely.box(150_000, 200_000, 152_000, 202_000)
    sectors = pd.DataFrame({"code": ["11111A00-"], "name": ["Proef"], "geometry": [square]})
    kern = Overlay([shapely.box(150_500, 200_500, 151_500, 201_500)], (215, 48, 39), "Kern")
    lint = Overlay([shapely.LineString([(150_100, 201_900), (151_900, 201_900)])], (230, 171, 2), "Lint")
    plain = Image.open(io.BytesIO(sector_map_png(sectors, title="t", source="s", page="A4", dpi=100))).convert("RGB")
    drawn = Image.open(
        io.BytesIO(sector_map_png(sectors, title="t", source="s", page="A4", dpi=100, overlays=[kern, lint]))
    ).convert("RGB")

    def near(im, colour):
        return sum(n for n, c in im.getcolors(maxcolors=1 << 24) if max(abs(a - b) for a, b in zip(c, colour)) <= 12)

    assert near(drawn, (230, 171, 2)) > 50 and near(plain, (230, 171, 2)) == 0

    # The kern is drawn half transparent over the grey sector: a reddish colour appears that was not there.
    def reds(im):
        return sum(n for n, (r, g, b) in im.getcolors(maxcolors=1 << 24) if r > 200 and g < 160 and b < 160)

    assert reds(drawn) > reds(plain) + 1000
