"""Layers of the spatial environment ("Wat is er?") for one pydeck map, with their legends.

Display only: geometry arrives in EPSG:4326 (``geom_display``, stop ``lon``/``lat``)
or as Lambert 72 hectare-cell centres converted here; distances are never
computed on it. No basemap (``map_provider=None``): the map works offline.

Every pickable row carries the three tooltip fields of ``TOOLTIP``:
``name``, ``category_label`` (Dutch) and ``source`` (the "bron"). Streamlit
leaves a missing field as literal "{name}", so no pickable layer may omit one.
Coordinates are rounded to ``DECIMALS`` (5 decimals, about 1 m).

Registry keys (``LAYERS``), in drawing order bottom to top: ``walkability``,
``inwoners``, ``verspreid``, ``kernen``, ``linten``, ``sectoren``,
``voorzieningen``, ``bushaltes``. Layer ids start with the key. ``spatial_deck``
returns a ``CompactDeck`` (JSON without indentation: what ``st.pydeck_chart`` sends).

The hectare rasters (``walkability``, ``inwoners``, ``voorzieningenniveau``) are one image each
(``raster_layer``: a PNG over the layer's extent), not one object per cell; they carry no tooltip,
their legends say what a colour means.
"""

from __future__ import annotations

import base64
import html
import io
import json
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
import pydeck as pdk
import shapely
from PIL import Image
from pydeck.bindings.json_tools import default_serialize
from pyproj import Proj, Transformer
from rasterio.crs import CRS
from rasterio.transform import Affine
from rasterio.warp import Resampling, reproject

from .classify import MISSING_COLOUR, to_float_array
from .formatting import format_number

__all__ = [
    "AMENITIES",
    "BELBUS_COLOUR",
    "CELL_ALPHA",
    "CELL_NOTE",
    "DECIMALS",
    "DRAW_ORDER",
    "FACILITIES_COLOURS",
    "FACILITIES_MAX_CLASSES",
    "HECTARE_RADIUS_M",
    "LAYERS",
    "RASTER_PIXEL_M",
    "RESCALE_WARNING",
    "RESIDENT_COLOURS",
    "SETTLEMENT_COLOURS",
    "SETTLEMENT_KEYS",
    "SETTLEMENT_LABELS",
    "STOP_CLASSES",
    "STOP_COLOUR",
    "TOOLTIP",
    "UNKNOWN_SOURCE",
    "WALKABILITY_COLOURS",
    "AmenityStyle",
    "CompactDeck",
    "LayerSpec",
    "Legend",
    "LegendItem",
    "RasterImage",
    "StopClass",
    "amenity_layers",
    "amenity_legend",
    "amenity_style",
    "cell_layers",
    "facilities_classes",
    "facilities_layers",
    "facilities_legend",
    "grid_convergence",
    "lambert_to_lonlat",
    "layer_legends",
    "legend_html",
    "payload_bytes",
    "ramp_classes",
    "ramp_colours",
    "raster_colours_at",
    "raster_image",
    "raster_layer",
    "resident_classes",
    "residents_layers",
    "residents_legend",
    "round_coords",
    "sector_layer",
    "sector_legend",
    "settlement_layers",
    "settlement_legend",
    "spatial_deck",
    "spatial_layers",
    "stop_layers",
    "stop_legend",
    "stop_size_class",
    "walkability_bounds",
    "walkability_layers",
    "walkability_legend",
]

RGB = tuple[int, int, int]

DECIMALS = 5  # lon/lat decimals: 1e-5 degree is about 1 m in Flanders
UNKNOWN_SOURCE = "onbekend"

_TO_WGS84 = Transformer.from_crs(31370, 4326, always_xy=True)
_MERCATOR_TO_WGS84 = Transformer.from_crs(3857, 4326, always_xy=True)
_LAMBERT_TO_MERCATOR = Transformer.from_crs(31370, 3857, always_xy=True)
_WGS84_TO_MERCATOR = Transformer.from_crs(4326, 3857, always_xy=True)
_LAMBERT = Proj("EPSG:31370")

TOOLTIP = {
    "html": "<b>{name}</b><br/>{category_label}<br/><span style='color:#444'>Bron: {source}</span>",
    "style": {"backgroundColor": "white", "color": "#111", "fontSize": "14px"},
}


@dataclass(frozen=True)
class LayerSpec:
    key: str
    label: str  # Dutch, for the toggle
    description: str  # Dutch, one sentence for a help text
    default_on: bool


LAYERS: dict[str, LayerSpec] = {
    spec.key: spec
    for spec in (
        LayerSpec("sectoren", "Statistische sectoren", "Grenzen van de statistische sectoren.", True),
        LayerSpec("kernen", "Kernen", "Kernbebouwing: woningen dicht bij elkaar.", True),
        LayerSpec("linten", "Linten", "Lintbebouwing: woningen langs een weg (lineair patroon).", True),
        LayerSpec(
            "verspreid",
            "Verspreide bebouwing",
            "Kleine groepjes woningen, te klein of te ver uit elkaar voor een kern of lint.",
            True,
        ),
        LayerSpec("inwoners", "Inwoners per hectare", "Hoeveel inwoners er per hectare wonen.", False),
        LayerSpec(
            "walkability",
            "Walkability",
            "Hoe beloopbaar elke hectare is (woondichtheid, functiemix, verbindingen), 0 tot 100.",
            False,
        ),
        LayerSpec(
            "voorzieningenniveau",
            "Voorzieningenniveau",
            "Hoe goed elke hectare van voorzieningen voorzien is (hectareraster van Departement Omgeving).",
            False,
        ),
        LayerSpec("voorzieningen", "Voorzieningen", "Winkels, zorg, school, post, bank, zitbanken, groen ...", True),
        LayerSpec(
            "bushaltes", "Bushaltes", "Haltes met het aantal vertrekken per uur op een weekdag; belbus apart.", True
        ),
    )
}
DRAW_ORDER: tuple[str, ...] = (
    "voorzieningenniveau",
    "walkability",
    "inwoners",
    "verspreid",
    "kernen",
    "linten",
    "sectoren",
    "voorzieningen",
    "bushaltes",
)

# --- colours --------------------------------------------------------------------------------

SECTOR_LINE: RGB = (70, 70, 70)
# Ruimtemonitor convention (red cores, yellow ribbons, grey scattered housing), darkened
# so ribbons stay visible on the white page a projector shows.
SETTLEMENT_COLOURS: dict[str, RGB] = {
    "kern": (215, 48, 39),
    "lint": (230, 171, 2),
    "verspreid": (115, 115, 115),
}
SETTLEMENT_KEYS: dict[str, str] = {"kern": "kernen", "lint": "linten", "verspreid": "verspreid"}
SETTLEMENT_LABELS: dict[str, str] = {"kern": "Kern", "lint": "Lint", "verspreid": "Verspreide bebouwing"}

# The basic basket gets the Okabe-Ito colours (safe for the common colour-vision
# deficiencies) and a larger dot; every category also carries letters, so nothing
# depends on colour alone.
BASKET_CATEGORIES: tuple[str, ...] = (
    "voedingswinkel",
    "supermarkt",
    "bakker",
    "slager",
    "huisarts",
    "apotheek",
    "school",
)


@dataclass(frozen=True)
class AmenityStyle:
    label: str  # Dutch
    colour: RGB
    symbol: str  # ASCII only: deck.gl's default font atlas has no other characters
    radius: int  # pixels


AMENITIES: dict[str, AmenityStyle] = {
    "voedingswinkel": AmenityStyle("Voedingswinkel", (230, 159, 0), "V", 9),
    "supermarkt": AmenityStyle("Supermarkt", (213, 94, 0), "SM", 9),
    "bakker": AmenityStyle("Bakker", (240, 228, 66), "B", 9),
    "slager": AmenityStyle("Slager", (204, 121, 167), "SL", 9),
    "huisarts": AmenityStyle("Huisarts", (0, 114, 178), "H", 9),
    "apotheek": AmenityStyle("Apotheek", (0, 158, 115), "A", 9),
    "school": AmenityStyle("School", (86, 180, 233), "SC", 9),
    "post": AmenityStyle("Post", (102, 102, 102), "P", 7),
    "bank": AmenityStyle("Bank", (166, 118, 29), "BK", 7),
    "lokaal_dienstencentrum": AmenityStyle("Lokaal dienstencentrum", (117, 112, 179), "LD", 8),
    "woonzorgcentrum": AmenityStyle("Woonzorgcentrum", (136, 34, 85), "WZ", 8),
    "zitbank": AmenityStyle("Zitbank", (170, 170, 170), "", 4),
    "openbaar_toilet": AmenityStyle("Openbaar toilet", (255, 255, 255), "WC", 7),
    "groen": AmenityStyle("Groen", (77, 175, 74), "", 0),
}
AREA_AMENITIES: tuple[str, ...] = ("groen",)  # drawn as polygons
_OTHER_AMENITY = AmenityStyle("Andere voorziening", (140, 140, 140), "", 6)
POINT_OUTLINE: RGB = (30, 30, 30)

# Bus stops: dark discs sized by weekday departures per hour; the belbus a ring (shape, not only colour).
STOP_COLOUR: RGB = (25, 25, 25)  # near-black: apart from the blue walkability ramp
BELBUS_COLOUR: RGB = (230, 97, 1)
BELBUS_RADIUS = 8
UNKNOWN_STOP_COLOUR: RGB = (150, 150, 150)


@dataclass(frozen=True)
class StopClass:
    lower: float  # inclusive
    upper: float  # exclusive
    label: str
    radius: int  # pixels


STOP_CLASSES: tuple[StopClass, ...] = (
    StopClass(0.0, 1.0, "minder dan 1 vertrek per uur", 4),
    StopClass(1.0, 2.0, "1 tot 2 vertrekken per uur", 6),
    StopClass(2.0, 4.0, "2 tot 4 vertrekken per uur", 8),
    StopClass(4.0, math.inf, "4 of meer vertrekken per uur", 11),
)
UNKNOWN_STOP_RADIUS = 4

# Hectare cells: ColorBrewer YlGnBu for walkability (dark blue = most walkable, as in the
# Gezond Leven tool), YlOrBr for residents so the two ramps are never confused.
WALKABILITY_COLOURS: tuple[RGB, ...] = (
    (255, 255, 204),
    (161, 218, 180),
    (65, 182, 196),
    (44, 127, 184),
    (37, 52, 148),
)
WALKABILITY_SCALE: tuple[float, float] = (0.0, 100.0)
RESCALE_WARNING = (
    "Herschaald naar de zichtbare cellen: de best scorende cel in deze gemeente kan nog altijd "
    "laag scoren in vergelijking met bijvoorbeeld steden."
)
RESIDENT_COLOURS: tuple[RGB, ...] = (
    (255, 255, 212),
    (254, 217, 142),
    (254, 153, 41),
    (217, 95, 14),
    (153, 52, 4),
)
# Facilities level: ColorBrewer Purples, so it is not confused with walkability or residents.
FACILITIES_COLOURS: tuple[RGB, ...] = (
    (242, 240, 247),
    (203, 201, 226),
    (158, 154, 200),
    (117, 107, 177),
    (84, 39, 143),
)
#: A facilities raster with at most this many distinct whole values is shown class by class.
FACILITIES_MAX_CLASSES = len(FACILITIES_COLOURS)
# The Ruimtemonitor legend (inwoners per ha): 1-30, 31-60, 61-120, 121-240, more.
RESIDENT_EDGES: tuple[float, ...] = (30.0, 60.0, 120.0, 240.0)
HECTARE_SIDE_M = 100.0
#: Under each hectare legend: a raster is an image, pointing at a cell shows nothing.
CELL_NOTE = "Elk gekleurd vakje is een hectare (100 × 100 m); de kleur zegt in welke klasse ze valt."
# A 4-sided ColumnLayer disk turned 45 degrees is a square; its radius is half the diagonal.
HECTARE_RADIUS_M = HECTARE_SIDE_M / math.sqrt(2.0)


# --- legends --------------------------------------------------------------------------------


@dataclass(frozen=True)
class LegendItem:
    colour: RGB
    label: str
    shape: str = "square"  # square | circle | ring | line | outline
    size: int = 16  # pixels: the diameter of a circle or ring, the side of a square
    symbol: str = ""


@dataclass(frozen=True)
class Legend:
    key: str
    title: str
    items: tuple[LegendItem, ...]
    notes: tuple[str, ...] = ()


def _hex(colour: Sequence[int]) -> str:
    return "#{:02x}{:02x}{:02x}".format(*colour[:3])


def _text_colour(colour: Sequence[int]) -> RGB:
    """Black letters on light fills, white on dark ones (relative luminance)."""
    r, g, b = (c / 255 for c in colour[:3])
    return (0, 0, 0) if 0.2126 * r + 0.7152 * g + 0.0722 * b > 0.45 else (255, 255, 255)


def legend_html(legend: Legend) -> str:
    """The legend as a small HTML block (pydeck draws none)."""
    rows = []
    for item in legend.items:
        box = max(item.size, 16)
        if item.shape == "circle":
            mark = (
                f"<span style='display:inline-block;width:{item.size}px;height:{item.size}px;border-radius:50%;"
                f"background:{_hex(item.colour)};border:1px solid #222'></span>"
            )
        elif item.shape == "ring":
            mark = (
                f"<span style='display:inline-block;width:{item.size - 4}px;height:{item.size - 4}px;"
                f"border-radius:50%;background:#fff;border:3px solid {_hex(item.colour)}'></span>"
            )
        elif item.shape == "line":
            mark = f"<span style='display:inline-block;width:22px;height:4px;background:{_hex(item.colour)}'></span>"
        elif item.shape == "outline":
            mark = (
                "<span style='display:inline-block;width:20px;height:14px;"
                f"border:2px solid {_hex(item.colour)}'></span>"
            )
        else:
            mark = (
                f"<span style='display:inline-block;width:22px;height:16px;border:1px solid #555;"
                f"background:{_hex(item.colour)}'></span>"
            )
        if item.symbol:
            mark = (
                f"<span style='display:inline-flex;align-items:center;justify-content:center;width:{box + 6}px;"
                f"height:{box + 6}px;border-radius:50%;background:{_hex(item.colour)};border:1px solid #222;"
                f"color:{_hex(_text_colour(item.colour))};font-size:10px;font-weight:700'>"
                f"{html.escape(item.symbol)}</span>"
            )
        rows.append(
            "<div style='display:flex;align-items:center;gap:8px;margin:3px 0'>"
            f"<span style='flex:none;width:30px;display:flex;justify-content:center'>{mark}</span>"
            f"<span>{html.escape(item.label)}</span></div>"
        )
    notes = "".join(
        f"<div style='margin-top:6px;font-size:0.85em;color:#333'>{html.escape(n)}</div>" for n in legend.notes
    )
    return (
        "<div class='zz-legend' style='font-size:0.95em;line-height:1.25;margin-bottom:10px'>"
        f"<div style='font-weight:700;margin-bottom:4px'>{html.escape(legend.title)}</div>"
        f"{''.join(rows)}{notes}</div>"
    )


def sector_legend() -> Legend:
    return Legend("sectoren", "Statistische sectoren", (LegendItem(SECTOR_LINE, "grens van een sector", "outline"),))


def settlement_legend(category: str) -> Legend:
    """Legend of one settlement type: 'kern', 'lint' or 'verspreid'."""
    key = SETTLEMENT_KEYS[category]
    shape = "line" if category == "lint" else "square"
    return Legend(
        key, LAYERS[key].label, (LegendItem(SETTLEMENT_COLOURS[category], SETTLEMENT_LABELS[category], shape),)
    )


def amenity_legend(categories: Iterable[str] | None = None) -> Legend:
    """One entry per amenity category, in the order given (all known ones, basket first, when None)."""
    chosen = list(AMENITIES) if categories is None else list(dict.fromkeys(categories))
    items = []
    for category in chosen:
        style = amenity_style(category)
        if category in AREA_AMENITIES:
            items.append(LegendItem(style.colour, style.label, "square"))
        else:
            items.append(LegendItem(style.colour, style.label, "circle", 2 * style.radius, style.symbol))
    return Legend("voorzieningen", LAYERS["voorzieningen"].label, tuple(items))


def stop_legend() -> Legend:
    items = [LegendItem(STOP_COLOUR, c.label, "circle", 2 * c.radius) for c in STOP_CLASSES]
    items.append(LegendItem(BELBUS_COLOUR, "belbus (op afroep, geen vaste dienstregeling)", "ring", 2 * BELBUS_RADIUS))
    return Legend(
        "bushaltes",
        "Bushaltes (vertrekken per uur, weekdag)",
        tuple(items),
        ("Passeert de bus 1 keer of meerdere keren per uur? Gaat het om een belbus?",),
    )


def walkability_bounds(values: object, rescale: bool = False) -> tuple[float, float]:
    """The colour range: 0-100, or with ``rescale`` the min and max of the given (visible) cells."""
    known = to_float_array(values)
    known = known[~np.isnan(known)]
    if not rescale or known.size == 0:
        return WALKABILITY_SCALE
    return float(known.min()), float(known.max())


def _equal_edges(lo: float, hi: float, n: int) -> np.ndarray:
    return np.linspace(lo, hi, n + 1)


def walkability_legend(lo: float = 0.0, hi: float = 100.0, rescaled: bool = False) -> Legend:
    """Five equal classes between ``lo`` and ``hi`` (see ``walkability_bounds``)."""
    decimals = 1 if rescaled else 0
    if lo == hi:
        items = (LegendItem(WALKABILITY_COLOURS[2], f"alle cellen: {format_number(lo, decimals)}"),)
    else:
        edges = _equal_edges(lo, hi, len(WALKABILITY_COLOURS))
        items = tuple(
            LegendItem(colour, f"{format_number(a, decimals)} – {format_number(b, decimals)}")
            for colour, a, b in zip(WALKABILITY_COLOURS, edges[:-1], edges[1:], strict=True)
        )
    items += (LegendItem(MISSING_COLOUR, "geen score"),)
    notes = ["Score per hectare van 0 tot 100: hoger is beter beloopbaar.", CELL_NOTE]
    title = "Walkability"
    if rescaled:
        title = "Walkability (herschaald)"
        notes.append(RESCALE_WARNING)
    return Legend("walkability", title, items, tuple(notes))


def facilities_classes(values: object) -> tuple[pd.Series, list[str]]:
    """Colour class per cell and the legend labels for a facilities-level raster.

    The source publishes classes (whole numbers): with few distinct values each value is its own
    class ("waarde 3"); otherwise five equal ranges between the lowest and highest value. The
    meaning of a value comes from the source's own legend, which the map names.
    """
    array = to_float_array(values)
    known = np.unique(array[~np.isnan(array)])
    if known.size and known.size <= FACILITIES_MAX_CLASSES and np.all(known == np.round(known)):
        position = np.searchsorted(known, array).astype("float64")
        position[np.isnan(array)] = np.nan
        return pd.Series(position).astype("Int64"), [f"waarde {format_number(v)}" for v in known]
    lo, hi = (float(known.min()), float(known.max())) if known.size else (0.0, 1.0)
    classes = ramp_classes(pd.Series(array), lo, hi, len(FACILITIES_COLOURS))
    edges = _equal_edges(lo, hi, len(FACILITIES_COLOURS))
    return classes, [f"{format_number(a, 1)} – {format_number(b, 1)}" for a, b in zip(edges[:-1], edges[1:])]


def facilities_legend(labels: Sequence[str]) -> Legend:
    items = tuple(LegendItem(c, label) for c, label in zip(FACILITIES_COLOURS, labels))
    return Legend(
        "voorzieningenniveau",
        "Voorzieningenniveau (per hectare)",
        items + (LegendItem(MISSING_COLOUR, "geen waarde"),),
        ("De betekenis van elke waarde staat in de legende van de bron (Departement Omgeving).", CELL_NOTE),
    )


def residents_legend() -> Legend:
    edges = (1.0,) + RESIDENT_EDGES
    labels = [
        f"{format_number(a if i == 0 else a + 1)} – {format_number(b)}"
        for i, (a, b) in enumerate(zip(edges[:-1], edges[1:]))
    ]
    labels.append(f"meer dan {format_number(RESIDENT_EDGES[-1])}")
    items = tuple(LegendItem(c, label) for c, label in zip(RESIDENT_COLOURS, labels, strict=True))
    return Legend(
        "inwoners", "Inwoners per hectare", items, ("Wonen de inwoners dicht bij elkaar of ver uit elkaar?", CELL_NOTE)
    )


def layer_legends(
    keys: Iterable[str],
    categories: Iterable[str] | None = None,
    walkability_range: tuple[float, float] = WALKABILITY_SCALE,
    rescaled: bool = False,
    facilities_labels: Sequence[str] = (),
) -> list[Legend]:
    """Legends of the chosen registry keys, in drawing order top first (as a reader scans)."""
    chosen = set(keys)
    out = []
    for key in reversed(DRAW_ORDER):
        if key not in chosen:
            continue
        if key == "sectoren":
            out.append(sector_legend())
        elif key in ("kernen", "linten", "verspreid"):
            out.append(settlement_legend({v: k for k, v in SETTLEMENT_KEYS.items()}[key]))
        elif key == "voorzieningen":
            legend = amenity_legend(categories)
            if legend.items:  # no category chosen: nothing drawn, no empty legend
                out.append(legend)
        elif key == "bushaltes":
            out.append(stop_legend())
        elif key == "walkability":
            out.append(walkability_legend(*walkability_range, rescaled=rescaled))
        elif key == "inwoners":
            out.append(residents_legend())
        elif key == "voorzieningenniveau" and facilities_labels:
            out.append(facilities_legend(facilities_labels))
    return out


# --- geometry helpers -----------------------------------------------------------------------


def round_coords(values: object) -> np.ndarray:
    return np.round(np.asarray(values, dtype="float64"), DECIMALS)


def lambert_to_lonlat(x: object, y: object) -> tuple[np.ndarray, np.ndarray]:
    """Lambert 72 (EPSG:31370) to lon/lat (EPSG:4326), vectorised and rounded to ``DECIMALS``."""
    lon, lat = _TO_WGS84.transform(np.asarray(x, dtype="float64"), np.asarray(y, dtype="float64"))
    return round_coords(lon), round_coords(lat)


def grid_convergence(lon: object, lat: object) -> float:
    """The meridian convergence of Lambert 72 at the mean position, in degrees: positive east
    of its central meridian (4.37° E), from about -1.4 at the coast to +1.2 in Limburg.
    Within one care zone it varies by hundredths of a degree, so one angle serves a layer;
    deck.gl turns counter-clockwise, so a cell square is turned by 45 − convergence
    (checked in Chromium against the cells' exact corners)."""
    lon_mean = float(np.nanmean(np.asarray(lon, dtype="float64")))
    lat_mean = float(np.nanmean(np.asarray(lat, dtype="float64")))
    return float(_LAMBERT.get_factors(lon_mean, lat_mean).meridian_convergence)


def _display_geometries(frame: pd.DataFrame) -> np.ndarray:
    raw = [bytes(g) if isinstance(g, (bytes, bytearray, memoryview)) else None for g in frame["geom_display"]]
    return shapely.from_wkb(np.array(raw, dtype=object))


def _source_of(properties: object) -> str:
    """The 'bron' of a feature's JSON properties (text or already a dict)."""
    if isinstance(properties, dict):
        data = properties
    elif isinstance(properties, str) and properties.strip():
        try:
            data = json.loads(properties)
        except ValueError:
            return UNKNOWN_SOURCE
    else:
        return UNKNOWN_SOURCE
    source = data.get("bron") if isinstance(data, dict) else None
    return str(source) if source else UNKNOWN_SOURCE


def _rings(polygon: shapely.Polygon) -> list[list[list[float]]]:
    rings = [polygon.exterior, *polygon.interiors]
    return [round_coords(np.asarray(r.coords)[:, :2]).tolist() for r in rings]


def _polygon_parts(geom: object) -> list[shapely.Polygon]:
    if geom is None or geom.is_empty:
        return []
    if geom.geom_type == "Polygon":
        return [geom]
    return [g for g in shapely.get_parts(geom) if g.geom_type == "Polygon" and not g.is_empty]


def _line_parts(geom: object) -> list[shapely.LineString]:
    if geom is None or geom.is_empty:
        return []
    if geom.geom_type == "LineString":
        return [geom]
    return [g for g in shapely.get_parts(geom) if g.geom_type == "LineString" and not g.is_empty]


def _source_text(source: str | None) -> str:
    return source if source else UNKNOWN_SOURCE


# --- layers ---------------------------------------------------------------------------------


def sector_layer(sectors: pd.DataFrame, source: str = "Statbel") -> pdk.Layer:
    """Thin neutral outlines of the sectors (a GeoDataFrame with ``code``, ``name``, geometry
    in EPSG:4326, e.g. ``maps.area_frame``); a faint fill so a click inside picks the sector.
    Rows carry ``code`` for a map click (``ui.selection`` reads it from layer 'sectoren')."""
    rows = []
    for code, name, geom in zip(sectors["code"], sectors["name"], sectors.geometry):
        for part in _polygon_parts(geom):
            rows.append(
                {
                    "polygon": _rings(part),
                    "code": str(code),
                    "name": str(name),
                    "category_label": f"Statistische sector {code}",
                    "source": _source_text(source),
                }
            )
    return pdk.Layer(
        "PolygonLayer",
        id="sectoren",
        data=rows,
        get_polygon="polygon",
        filled=True,
        get_fill_color=[255, 255, 255, 1],
        stroked=True,
        get_line_color=list(SECTOR_LINE) + [255],
        line_width_min_pixels=1,
        pickable=True,
        auto_highlight=False,
    )


def settlement_layers(
    features: pd.DataFrame, categories: Iterable[str] = ("verspreid", "kern", "lint")
) -> list[pdk.Layer]:
    """Kernen and verspreide bebouwing as polygons, linten as paths (layer 'nederzetting').

    Ids: 'kernen', 'linten', 'verspreid'; a category without features gives no layer.
    """
    part = features[features["layer"] == "nederzetting"]
    geoms = _display_geometries(part)
    layers = []
    for category in categories:
        mask = (part["category"] == category).to_numpy()
        if not mask.any():
            continue
        colour = list(SETTLEMENT_COLOURS[category])
        rows = []
        for name, props, geom in zip(part["name"][mask], part["properties"][mask], geoms[mask]):
            base = {
                "name": str(name) if isinstance(name, str) and name else SETTLEMENT_LABELS[category],
                "category_label": SETTLEMENT_LABELS[category],
                "source": _source_of(props),
            }
            if category == "lint":
                rows.extend(
                    {"path": round_coords(np.asarray(p.coords)[:, :2]).tolist(), **base} for p in _line_parts(geom)
                )
            else:
                rows.extend({"polygon": _rings(p), **base} for p in _polygon_parts(geom))
        key = SETTLEMENT_KEYS[category]
        if category == "lint":
            layers.append(
                pdk.Layer(
                    "PathLayer",
                    id=key,
                    data=rows,
                    get_path="path",
                    get_color=colour + [255],
                    get_width=4,
                    width_units='"pixels"',
                    cap_rounded=True,
                    joint_rounded=True,
                    pickable=True,
                    auto_highlight=True,
                )
            )
        else:
            layers.append(
                pdk.Layer(
                    "PolygonLayer",
                    id=key,
                    data=rows,
                    get_polygon="polygon",
                    get_fill_color=colour + [70 if category == "kern" else 140],
                    get_line_color=colour + [255],
                    line_width_min_pixels=1,
                    stroked=True,
                    filled=True,
                    pickable=True,
                    auto_highlight=True,
                )
            )
    return layers


def amenity_style(category: str) -> AmenityStyle:
    """Style of an amenity category; an unknown one gets a neutral grey and its own name."""
    style = AMENITIES.get(category)
    if style is not None:
        return style
    return AmenityStyle(category.replace("_", " ").capitalize(), _OTHER_AMENITY.colour, "", _OTHER_AMENITY.radius)


def amenity_layers(
    features: pd.DataFrame, categories: Iterable[str] | None = None, with_symbols: bool = True
) -> list[pdk.Layer]:
    """One layer per amenity category present (layer 'voorziening'): polygons for green,
    dots of the category colour for the rest, with its letters on top (``with_symbols``).

    Ids: 'voorzieningen-<category>' and 'voorzieningen-<category>-letters'. Green first, so
    dots stay on top; otherwise in ``AMENITIES`` order, unknown categories last.
    """
    part = features[features["layer"] == "voorziening"]
    present = list(dict.fromkeys(part["category"]))
    wanted = present if categories is None else [c for c in dict.fromkeys(categories) if c in present]
    order = {c: i for i, c in enumerate(AMENITIES)}
    wanted.sort(key=lambda c: (c not in AREA_AMENITIES, order.get(c, len(order)), c))
    geoms = _display_geometries(part)
    layers = []
    for category in wanted:
        mask = (part["category"] == category).to_numpy()
        style = amenity_style(category)
        base_rows = [
            {
                "name": str(name) if isinstance(name, str) and name else style.label,
                "category_label": style.label,
                "source": _source_of(props),
            }
            for name, props in zip(part["name"][mask], part["properties"][mask])
        ]
        layer_id = f"voorzieningen-{category}"
        if category in AREA_AMENITIES:
            rows = [
                {"polygon": _rings(p), **base}
                for base, geom in zip(base_rows, geoms[mask])
                for p in _polygon_parts(geom)
            ]
            layers.append(
                pdk.Layer(
                    "PolygonLayer",
                    id=layer_id,
                    data=rows,
                    get_polygon="polygon",
                    get_fill_color=list(style.colour) + [150],
                    get_line_color=list(style.colour) + [255],
                    line_width_min_pixels=1,
                    stroked=True,
                    filled=True,
                    pickable=True,
                    auto_highlight=True,
                )
            )
            continue
        # A point stands for itself; any other geometry for its representative point.
        points = [
            g
            if g is not None and g.geom_type == "Point"
            else (shapely.point_on_surface(g) if g is not None and not g.is_empty else None)
            for g in geoms[mask]
        ]
        rows = [
            {"position": [round(p.x, DECIMALS), round(p.y, DECIMALS)], **base}
            for base, p in zip(base_rows, points)
            if p is not None and not p.is_empty
        ]
        layers.append(
            pdk.Layer(
                "ScatterplotLayer",
                id=layer_id,
                data=rows,
                get_position="position",
                get_fill_color=list(style.colour) + [255],
                get_line_color=list(POINT_OUTLINE) + [255],
                get_radius=style.radius,
                radius_units='"pixels"',
                stroked=True,
                filled=True,
                line_width_units='"pixels"',
                get_line_width=1,
                pickable=True,
                auto_highlight=True,
            )
        )
        if with_symbols and style.symbol and rows:
            layers.append(
                pdk.Layer(
                    "TextLayer",
                    id=f"{layer_id}-letters",
                    # deck.gl calls getText per object, so the text is a field, not a constant.
                    data=[{"position": r["position"], "text": style.symbol} for r in rows],
                    get_position="position",
                    get_text="text",
                    get_size=10 if len(style.symbol) > 1 else 12,
                    get_color=list(_text_colour(style.colour)) + [255],
                    font_weight=700,
                    get_text_anchor='"middle"',
                    get_alignment_baseline='"center"',
                    pickable=False,
                )
            )
    return layers


def stop_size_class(departures: object) -> pd.Series:
    """Index into ``STOP_CLASSES`` per stop (lower bound inclusive), NA when unknown."""
    values = to_float_array(departures)
    lowers = np.array([c.lower for c in STOP_CLASSES[1:]])
    classes = np.searchsorted(lowers, values, side="right").astype("float64")
    classes[np.isnan(values)] = np.nan
    index = departures.index if isinstance(departures, pd.Series) else None
    return pd.Series(classes, index=index).astype("Int64")


def _departures_text(value: float) -> str:
    decimals = 0 if float(value).is_integer() else 1
    unit = "vertrek" if value == 1 else "vertrekken"
    return f"{format_number(float(value), decimals)} {unit} per uur (weekdag)"


def stop_layers(stops: pd.DataFrame, source: str = "") -> list[pdk.Layer]:
    """Bus stops (columns name, departures_per_hour, is_belbus, lon, lat): 'bushaltes' as
    discs sized by ``STOP_CLASSES``, 'bushaltes-belbus' as rings of one size."""
    src = _source_text(source)
    belbus = stops["is_belbus"].fillna(False).astype(bool).to_numpy()
    lon, lat = round_coords(stops["lon"]), round_coords(stops["lat"])
    classes = stop_size_class(stops["departures_per_hour"].reset_index(drop=True))
    regular, rings = [], []
    for i, (name, dep) in enumerate(zip(stops["name"], stops["departures_per_hour"])):
        row = {"position": [float(lon[i]), float(lat[i])], "name": str(name), "source": src}
        if belbus[i]:
            rings.append({**row, "category_label": "Belbus: op afroep, geen vaste dienstregeling"})
            continue
        cls = classes.iloc[i]
        if pd.isna(cls):
            regular.append(
                {
                    **row,
                    "category_label": "Bushalte: aantal vertrekken onbekend",
                    "radius": UNKNOWN_STOP_RADIUS,
                    "fill": list(UNKNOWN_STOP_COLOUR),
                }
            )
        else:
            regular.append(
                {
                    **row,
                    "category_label": f"Bushalte: {_departures_text(float(dep))}",
                    "radius": STOP_CLASSES[int(cls)].radius,
                    "fill": list(STOP_COLOUR),
                }
            )
    layers = []
    if regular:
        layers.append(
            pdk.Layer(
                "ScatterplotLayer",
                id="bushaltes",
                data=regular,
                get_position="position",
                get_radius="radius",
                radius_units='"pixels"',
                get_fill_color="fill",
                get_line_color=[255, 255, 255, 255],
                line_width_units='"pixels"',
                get_line_width=1.5,
                stroked=True,
                filled=True,
                pickable=True,
                auto_highlight=True,
            )
        )
    if rings:
        layers.append(
            pdk.Layer(
                "ScatterplotLayer",
                id="bushaltes-belbus",
                data=rings,
                get_position="position",
                get_radius=BELBUS_RADIUS,
                radius_units='"pixels"',
                get_fill_color=[255, 255, 255, 255],
                get_line_color=list(BELBUS_COLOUR) + [255],
                line_width_units='"pixels"',
                get_line_width=3,
                stroked=True,
                filled=True,
                pickable=True,
                auto_highlight=True,
            )
        )
    return layers


def ramp_classes(values: object, lo: float, hi: float, n: int) -> pd.Series:
    """Class 0..n-1 of equal width from ``lo`` to ``hi``: ``lo`` in the first class, ``hi`` in
    the last (upper class closed); values outside go to the end classes; missing stays NA.
    ``lo == hi``: every known value is in the middle class."""
    array = to_float_array(values)
    if hi > lo:
        index = np.searchsorted(_equal_edges(lo, hi, n)[1:-1], array, side="right").astype("float64")
    else:
        index = np.full(array.shape, float(n // 2))
    index[np.isnan(array)] = np.nan
    return pd.Series(index, index=values.index if isinstance(values, pd.Series) else None).astype("Int64")


def ramp_colours(values: object, lo: float, hi: float, colours: Sequence[RGB]) -> list[list[int]]:
    """The colour of ``ramp_classes`` per value, grey (``MISSING_COLOUR``) when missing."""
    classes = ramp_classes(values, lo, hi, len(colours))
    return [list(MISSING_COLOUR) if pd.isna(c) else list(colours[int(c)]) for c in classes]


def resident_classes(values: object) -> pd.Series:
    """Class per cell by the Ruimtemonitor bounds (1-30, 31-60, 61-120, 121-240, more), NA when missing."""
    array = to_float_array(values)
    index = np.searchsorted(np.array(RESIDENT_EDGES), array, side="left").astype("float64")
    index[np.isnan(array)] = np.nan
    return pd.Series(index, index=values.index if isinstance(values, pd.Series) else None).astype("Int64")


def cell_layers(
    key: str, cells: pd.DataFrame, classes: pd.Series, colours: Sequence[RGB], labels: list[str] | None, source: str
) -> list[pdk.Layer]:
    """One layer per colour class ('<key>-<class>', 'x' for missing): a constant colour per
    layer keeps a colour array out of every one of thousands of rows."""
    lon, lat = lambert_to_lonlat(cells["x"], cells["y"])
    codes = np.array(["x" if pd.isna(c) else str(int(c)) for c in classes], dtype=object)
    src = _source_text(source)
    angle = 45.0 - grid_convergence(lon, lat) if len(lon) else 45.0
    layers = []
    for code in [str(i) for i in range(len(colours))] + ["x"]:
        idx = np.flatnonzero(codes == code)
        if not idx.size:
            continue
        if labels is None:
            rows = [{"position": [float(lon[i]), float(lat[i])]} for i in idx]
        else:
            rows = [
                {
                    "position": [float(lon[i]), float(lat[i])],
                    "name": labels[i],
                    "category_label": "Hectarecel",
                    "source": src,
                }
                for i in idx
            ]
        colour = MISSING_COLOUR if code == "x" else colours[int(code)]
        # ColumnLayer with 4 vertices turned 45 degrees: a flat 100 m square around the centre,
        # one position per cell (a quarter of the data of a 4-corner polygon). Turned a little
        # further so its edges follow the Lambert grid rather than true north.
        layers.append(
            pdk.Layer(
                "ColumnLayer",
                id=f"{key}-{code}",
                data=rows,
                get_position="position",
                get_fill_color=list(colour) + [200],
                disk_resolution=4,
                angle=angle,
                radius=HECTARE_RADIUS_M,
                extruded=False,
                coverage=1,
                pickable=labels is not None,
                auto_highlight=labels is not None,
            )
        )
    return layers


# Hectare rasters as one image per layer. The cells lie on the Lambert 72 grid, which is turned by up to
# 1,4 degrees from north and, over a care zone, bent against Web Mercator (the projection deck.gl draws
# in): an image placed by its corners alone would be off by about 2 m over 10 km and 20 m over 30 km.
# So the cells are warped (nearest neighbour, GDAL through rasterio, the same PROJ transformation as
# ``lambert_to_lonlat``) onto a Web Mercator grid of RASTER_PIXEL_M ground metres; a BitmapLayer with
# lon/lat bounds then lies exactly where the cells are, to within a pixel.
RASTER_PIXEL_M = 25.0  # a hectare is 4 × 4 pixels: its edges stay straight at any zoom of the page
CELL_ALPHA = 200  # as the cells' fill had; empty pixels are fully transparent
_LAMBERT_CRS = CRS.from_epsg(31370)
_MERCATOR_CRS = CRS.from_epsg(3857)


@dataclass(frozen=True)
class RasterImage:
    """A hectare raster as a PNG: ``url`` (data URL), ``bounds`` [west, south, east, north] in degrees."""

    url: str
    bounds: tuple[float, float, float, float]
    width: int
    height: int


def raster_image(cells: pd.DataFrame, classes: pd.Series, colours: Sequence[RGB]) -> RasterImage:
    """Cells (``x``, ``y``: Lambert 72 centres of 100 m cells) coloured by class (0 … len(colours) - 1; NA:
    ``MISSING_COLOUR``) as one transparent PNG in Web Mercator, with its bounds for a BitmapLayer."""
    x = cells["x"].to_numpy(dtype="float64")
    y = cells["y"].to_numpy(dtype="float64")
    side = HECTARE_SIDE_M
    col = np.rint((x - x.min()) / side).astype(np.int64)
    row = np.rint((y.max() - y) / side).astype(np.int64)  # row 0 is the northernmost
    code = classes.to_numpy(dtype="float64", na_value=np.nan)
    # Palette index per cell: 0 transparent (no cell), 1 … n the classes, n + 1 a cell without a value.
    index = np.where(np.isnan(code), len(colours) + 1, np.nan_to_num(code) + 1).astype(np.uint8)
    source = np.zeros((int(row.max()) + 1, int(col.max()) + 1), dtype=np.uint8)
    source[row, col] = index
    left, top = x.min() - side / 2, y.max() + side / 2
    right, bottom = left + side * source.shape[1], top - side * source.shape[0]
    # Mercator metres per ground metre at the raster's latitude (1 / cos φ).
    lat = float(np.mean(_TO_WGS84.transform([left, right], [bottom, top])[1]))
    resolution = RASTER_PIXEL_M / math.cos(math.radians(lat))
    # The Mercator extent of the Lambert rectangle: its edges, 33 points each (they bend a little).
    t = np.linspace(0.0, 1.0, 33)
    edge_x = np.concatenate(
        [left + (right - left) * t, np.full_like(t, right), right - (right - left) * t, np.full_like(t, left)]
    )
    edge_y = np.concatenate(
        [np.full_like(t, bottom), bottom + (top - bottom) * t, np.full_like(t, top), top - (top - bottom) * t]
    )
    mx, my = _LAMBERT_TO_MERCATOR.transform(edge_x, edge_y)
    width = max(1, math.ceil((mx.max() - mx.min()) / resolution))
    height = max(1, math.ceil((my.max() - my.min()) / resolution))
    transform = Affine(resolution, 0.0, float(mx.min()), 0.0, -resolution, float(my.max()))
    image = np.zeros((height, width), dtype=np.uint8)
    reproject(
        source,
        image,
        src_transform=Affine(side, 0.0, left, 0.0, -side, top),
        src_crs=_LAMBERT_CRS,
        src_nodata=0,
        dst_transform=transform,
        dst_crs=_MERCATOR_CRS,
        dst_nodata=0,
        resampling=Resampling.nearest,
    )
    west, north = transform @ (0, 0)
    east, south = transform @ (width, height)
    (lon_w, lon_e), (lat_s, lat_n) = _MERCATOR_TO_WGS84.transform([west, east], [south, north])
    png = Image.fromarray(image, mode="P")
    palette = [(0, 0, 0), *[tuple(c) for c in colours], tuple(MISSING_COLOUR)]
    png.putpalette([v for c in palette for v in c[:3]])
    buffer = io.BytesIO()
    png.save(buffer, format="PNG", transparency=bytes([0] + [CELL_ALPHA] * (len(palette) - 1)))
    url = "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")
    return RasterImage(url, (round(lon_w, 7), round(lat_s, 7), round(lon_e, 7), round(lat_n, 7)), width, height)


def raster_layer(key: str, cells: pd.DataFrame, classes: pd.Series, colours: Sequence[RGB]) -> pdk.Layer:
    """A hectare raster as one BitmapLayer (id ``key``), see ``raster_image``. Not pickable: a pixel has
    no tooltip fields, and the layer's legend says what each colour means."""
    image = raster_image(cells, classes, colours)
    return pdk.Layer(
        # Quoted: pydeck passes a quoted string on as text (unquoted) instead of as an expression.
        "BitmapLayer",
        id=key,
        image=f'"{image.url}"',
        bounds=list(image.bounds),
        pickable=False,
        # Sharp cell edges when zoomed in (luma.gl sampler settings of deck.gl 9).
        texture_parameters={"minFilter": "nearest", "magFilter": "nearest"},
    )


def raster_colours_at(layer: pdk.Layer, lon: object, lat: object) -> np.ndarray:
    """The RGBA colours (n × 4) a BitmapLayer of ``raster_layer`` shows at positions (for checks and tests);
    transparent outside the image."""
    data = base64.b64decode(layer.image.strip('"').split(",", 1)[1])
    rgba = np.asarray(Image.open(io.BytesIO(data)).convert("RGBA"))
    west, south, east, north = layer.bounds
    (x0, x1), (y0, y1) = _WGS84_TO_MERCATOR.transform([west, east], [south, north])
    x, y = _WGS84_TO_MERCATOR.transform(
        np.atleast_1d(np.asarray(lon, dtype="float64")), np.atleast_1d(np.asarray(lat, dtype="float64"))
    )
    col = np.floor((x - x0) / (x1 - x0) * rgba.shape[1]).astype(np.int64)
    row = np.floor((y1 - y) / (y1 - y0) * rgba.shape[0]).astype(np.int64)
    inside = (row >= 0) & (row < rgba.shape[0]) & (col >= 0) & (col < rgba.shape[1])
    out = np.zeros((len(col), 4), dtype=np.int64)
    out[inside] = rgba[row[inside], col[inside]]
    return out


def walkability_layers(cells: pd.DataFrame, rescale: bool = False) -> list[pdk.Layer]:
    """Walkability per hectare (columns x, y in Lambert 72, value 0-100) as one image ('walkability'):
    five classes of ``WALKABILITY_COLOURS``, grey for a cell without a score.

    The cells given are the visible ones: with ``rescale`` the colours run from their
    minimum (first colour) to their maximum (last colour); see ``RESCALE_WARNING``.
    """
    lo, hi = walkability_bounds(cells["value"], rescale)
    classes = ramp_classes(cells["value"].reset_index(drop=True), lo, hi, len(WALKABILITY_COLOURS))
    return [raster_layer("walkability", cells, classes, WALKABILITY_COLOURS)]


def residents_layers(cells: pd.DataFrame) -> list[pdk.Layer]:
    """Residents per inhabited hectare (columns x, y in Lambert 72, value) as one image ('inwoners'),
    coloured by the Ruimtemonitor classes."""
    classes = resident_classes(cells["value"].reset_index(drop=True))
    return [raster_layer("inwoners", cells, classes, RESIDENT_COLOURS)]


def facilities_layers(cells: pd.DataFrame) -> list[pdk.Layer]:
    """Facilities level per hectare as one image ('voorzieningenniveau'), classes of ``facilities_classes``."""
    classes, _ = facilities_classes(cells["value"].reset_index(drop=True))
    return [raster_layer("voorzieningenniveau", cells, classes, FACILITIES_COLOURS)]


def spatial_layers(
    keys: Iterable[str],
    sectors: pd.DataFrame | None = None,
    features: pd.DataFrame | None = None,
    stops: pd.DataFrame | None = None,
    walkability: pd.DataFrame | None = None,
    residents: pd.DataFrame | None = None,
    rescale: bool = False,
    categories: Iterable[str] | None = None,
    sources: dict[str, str] | None = None,
    facilities: pd.DataFrame | None = None,
) -> list[pdk.Layer]:
    """The layers of the chosen registry keys in ``DRAW_ORDER``; a key without data is skipped.

    ``sources`` gives the 'bron' of frames without one: keys 'sectoren' and 'bushaltes' (the hectare
    rasters are images without a tooltip; the page names their source).
    """
    chosen = set(keys)
    sources = sources or {}
    out: list[pdk.Layer] = []
    for key in DRAW_ORDER:
        if key not in chosen:
            continue
        if key == "walkability" and walkability is not None and len(walkability):
            out.extend(walkability_layers(walkability, rescale))
        elif key == "inwoners" and residents is not None and len(residents):
            out.extend(residents_layers(residents))
        elif key == "voorzieningenniveau" and facilities is not None and len(facilities):
            out.extend(facilities_layers(facilities))
        elif key in ("verspreid", "kernen", "linten") and features is not None:
            category = {v: k for k, v in SETTLEMENT_KEYS.items()}[key]
            out.extend(settlement_layers(features, (category,)))
        elif key == "sectoren" and sectors is not None and len(sectors):
            out.append(sector_layer(sectors, sources.get("sectoren", "Statbel")))
        elif key == "voorzieningen" and features is not None:
            out.extend(amenity_layers(features, categories))
        elif key == "bushaltes" and stops is not None and len(stops):
            out.extend(stop_layers(stops, sources.get("bushaltes", "")))
    return out


class CompactDeck(pdk.Deck):
    """A pydeck Deck whose JSON has no indentation.

    ``st.pydeck_chart`` sends ``deck.to_json()``; pydeck indents it by two spaces per
    level, which puts every coordinate on its own indented line and makes thousands of
    hectare cells several times larger than the data.
    """

    def to_json(self) -> str:
        return json.dumps(self, sort_keys=True, default=default_serialize, separators=(",", ":"), ensure_ascii=False)


def spatial_deck(layers: Sequence[pdk.Layer], view_state: pdk.ViewState) -> CompactDeck:
    """A compact deck without basemap (works offline) and with the shared tooltip."""
    return CompactDeck(
        layers=list(layers), initial_view_state=view_state, map_provider=None, map_style=None, tooltip=TOOLTIP
    )


def payload_bytes(deck: pdk.Deck) -> int:
    """Size in bytes (UTF-8) of the deck JSON sent to the browser."""
    return len(deck.to_json().encode("utf-8"))
