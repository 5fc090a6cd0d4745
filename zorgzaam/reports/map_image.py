"""Sector maps as PNG images for print: a page map (A3/A4) and a small map for a sector profile.

Pure matplotlib on the Agg backend through ``matplotlib.figure.Figure`` (no pyplot, so no
global figure state leaks between calls or threads). Geometry is Belgian Lambert 72
(EPSG:31370): metres, so the scale bar is exact, and its grid north lies within about
1,4° of true north anywhere in Flanders (``zorgzaam.layers.grid_convergence``), so the
maps are drawn "noorden boven" with a plain north arrow.

Colours come from the pages' own classification (``zorgzaam.classify``) and highlight
colours (``zorgzaam.maps``), so a printed map matches the screen. Nothing is downloaded:
the fonts are matplotlib's bundled DejaVu Sans.
"""

from __future__ import annotations

import io
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd
import shapely
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.collections import PatchCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, PathPatch, Polygon as MplPolygon, Rectangle
from matplotlib.path import Path

from ..catalogue import Indicator
from ..classify import METHODS, MISSING_COLOUR, Classification, classify
from ..formatting import format_date, format_number
from ..maps import CONTEXT_FILL, HIGHLIGHT_FILL, OUTLINE

__all__ = [
    "CONTEXT_COLOUR",
    "HIGHLIGHT_COLOUR",
    "MapLegendItem",
    "Overlay",
    "PointLayer",
    "amenity_points",
    "bivariate_legend_items",
    "highlight_legend",
    "indicator_classes",
    "indicator_map_png",
    "legend_items",
    "mismatch_map_png",
    "nice_length",
    "period_phrase",
    "profile_map_png",
    "scale_label",
    "sector_map_png",
    "source_caption",
    "wrap_to_width",
]

RGB = tuple[int, int, int]

# Paper sizes in millimetres (portrait: width, height).
PAGE_SIZES_MM: dict[str, tuple[float, float]] = {"A3": (297.0, 420.0), "A4": (210.0, 297.0)}
# The text width of an A4 portrait page with 20 mm margins: the profile's map column.
A4_COLUMN_MM = 170.0

SECTOR_EDGE = tuple(c / 255 for c in OUTLINE[:3])
SELECTED_EDGE = (0.0, 0.0, 0.0)
HIGHLIGHT_COLOUR: RGB = tuple(HIGHLIGHT_FILL[:3])  # the pages' selected/highlighted fill
CONTEXT_COLOUR: RGB = tuple(CONTEXT_FILL[:3])  # neighbours: light grey
NORTH_NOTE = "noorden boven (Lambert 72)"
MAKER = "kaart: zorgzaam"


@dataclass(frozen=True)
class MapLegendItem:
    """One legend row: a colour and its Dutch label; ``shape`` square (area), circle (point) or outline."""

    colour: RGB
    label: str
    shape: str = "square"


@dataclass(frozen=True)
class PointLayer:
    """Points drawn on top of the sectors (amenities, stops): Lambert x, y; one colour; a legend label."""

    x: Sequence[float]
    y: Sequence[float]
    colour: RGB
    label: str
    size: float = 28.0  # marker area in points²
    marker: str = "o"


# --------------------------------------------------------------------------- legends and colours


@dataclass(frozen=True)
class Overlay:
    """Shapes drawn over the sectors (kernen, linten): Lambert geometries, one colour, a legend label."""

    geoms: Sequence[object]
    colour: RGB
    label: str


def legend_items(classes: Classification, counts: bool = True) -> list[MapLegendItem]:
    """The legend rows of a classification, exactly as the pages label them ("12,3 – 15,6 % (4)")."""
    return [MapLegendItem(tuple(e.colour), f"{e.label} ({e.count})" if counts else e.label) for e in classes.entries]


def indicator_classes(
    values: pd.Series, ind: Indicator, method: str = "kwantielen", reference: float | None = None
) -> Classification:
    """The classification the "Wie woont er?" page draws for an indicator (it falls back to
    quantiles for a count against the care zone, or an unusable care-zone value)."""
    if method == "afwijking_elz" and ind.is_count:
        method = "kwantielen"
    try:
        return classify(values, method=method, reference=reference, unit=ind.unit, decimals=ind.decimals)
    except ValueError:
        return classify(values, method="kwantielen", unit=ind.unit, decimals=ind.decimals)


def bivariate_legend_items(
    need_bounds, lack_bounds, need_unit: str = "%", need_decimals: int = 1
) -> list[MapLegendItem]:
    """The 3 × 3 legend of the "Wie vs wat" map as rows (high need first, as the page's grid),
    each naming its need and lack-of-access class with the Dutch ranges, then the grey "missing" row.
    ``need_bounds``/``lack_bounds``: ``mismatch.tertile_classes(...)[1]``."""
    from ..mismatch import CLASS_NAMES, bivariate_legend

    legend = bivariate_legend(
        need_bounds, lack_bounds, "nood", "te ver", need_unit=need_unit, need_decimals=need_decimals
    )
    items = [
        MapLegendItem(
            tuple(c["colour"]),
            f"nood {CLASS_NAMES[c['need_class']]} ({legend['need_labels'][c['need_class']]}) · "
            f"te ver {CLASS_NAMES[c['lack_class']]} ({legend['lack_labels'][c['lack_class']]})",
        )
        for row in legend["rows"]
        for c in row
    ]
    items.append(MapLegendItem(tuple(legend["missing"]["colour"]), legend["missing"]["label"]))
    return items


def amenity_points(amenities: pd.DataFrame, categories: Iterable[str] | None = None) -> list[PointLayer]:
    """Amenities (category, x, y in Lambert) as point layers in the "Wat is er?" colours, one per category."""
    from ..layers import AMENITIES, amenity_style

    present = list(dict.fromkeys(amenities["category"])) if len(amenities) else []
    wanted = [c for c in (categories if categories is not None else AMENITIES) if c in present]
    wanted += [c for c in present if c not in wanted and categories is None]
    layers = []
    for category in wanted:
        rows = amenities[amenities["category"] == category]
        style = amenity_style(category)
        layers.append(PointLayer(list(rows["x"]), list(rows["y"]), tuple(style.colour), style.label))
    return layers


def highlight_legend(highlight_label: str, context_label: str = "andere sectoren") -> list[MapLegendItem]:
    """Legend of a highlight map: the chosen sector(s) and their neighbours."""
    return [MapLegendItem(HIGHLIGHT_COLOUR, highlight_label), MapLegendItem(CONTEXT_COLOUR, context_label)]


def period_phrase(period: str) -> str:
    """'2025' -> 'periode 2025'; a caption already worded ('cijfers van 2023 (…)') stays as it is."""
    text = str(period)
    return text if text.startswith(("periode ", "cijfers ")) else f"periode {text}"


def source_caption(source: str, period: str | None = None, on: date | None = None) -> str:
    """'Bron: demo — fictief · periode 2025 · kaart: zorgzaam · 2 december 2026 · noorden boven (Lambert 72)'."""
    parts = [f"Bron: {source}"]
    if period:
        parts.append(period_phrase(period))
    parts += [MAKER, format_date(on or date.today()), NORTH_NOTE]
    return " · ".join(parts)


# --------------------------------------------------------------------------- drawing helpers


def _rgb(colour: Sequence[float]) -> tuple[float, float, float]:
    values = tuple(float(c) for c in colour[:3])
    return tuple(v / 255 for v in values) if max(values, default=0) > 1 else values  # type: ignore[return-value]


def _path(geom) -> Path | None:
    """A (multi)polygon as one compound path: exteriors and holes (even-odd by orientation)."""
    if geom is None or geom.is_empty:
        return None
    parts = getattr(geom, "geoms", [geom])
    vertices, codes = [], []
    for part in parts:
        if part.geom_type != "Polygon":
            continue
        for ring in [part.exterior, *part.interiors]:
            coords = np.asarray(ring.coords)[:, :2]
            if len(coords) < 3:
                continue
            ring_codes = np.full(len(coords), Path.LINETO, dtype=np.uint8)
            ring_codes[0] = Path.MOVETO
            ring_codes[-1] = Path.CLOSEPOLY
            vertices.append(coords)
            codes.append(ring_codes)
    if not vertices:
        return None
    return Path(np.concatenate(vertices), np.concatenate(codes))


def _geometries(sectors: pd.DataFrame) -> list:
    geoms = list(sectors["geometry"])
    if geoms and isinstance(geoms[0], (bytes, bytearray, memoryview)):
        geoms = list(shapely.from_wkb([bytes(g) for g in geoms]))
    return geoms


def nice_length(span_m: float) -> float:
    """A round scale-bar length (1, 2 or 5 × 10^k metres) of at most a fifth of ``span_m``."""
    target = max(span_m / 5.0, 1.0)
    power = 10 ** math.floor(math.log10(target))
    return max(f * power for f in (1, 2, 5) if f * power <= target)


def scale_label(metres: float) -> str:
    return (
        f"{format_number(metres / 1000, 0 if metres % 1000 == 0 else 1)} km"
        if metres >= 1000
        else f"{format_number(metres)} m"
    )


def _draw_scale_and_north(ax, bounds: tuple[float, float, float, float], fontsize: float) -> None:
    minx, miny, maxx, maxy = bounds
    width, height = maxx - minx, maxy - miny
    length = nice_length(width)
    x0, y0 = minx + 0.03 * width, miny + 0.04 * height
    bar_h = 0.012 * height
    half = length / 2
    ax.add_patch(Rectangle((x0, y0), half, bar_h, facecolor="black", edgecolor="black", lw=0.8, zorder=6))
    ax.add_patch(Rectangle((x0 + half, y0), half, bar_h, facecolor="white", edgecolor="black", lw=0.8, zorder=6))
    for xpos, text in ((x0, "0"), (x0 + length, scale_label(length))):
        ax.text(
            xpos,
            y0 + bar_h * 1.8,
            text,
            ha="center",
            va="bottom",
            fontsize=fontsize,
            zorder=7,
            bbox=dict(facecolor="white", edgecolor="none", alpha=0.7, pad=1),
        )
    # North arrow: grid north of Lambert 72 (within ~1,4° of true north in Flanders).
    nx, ny = maxx - 0.05 * width, maxy - 0.16 * height
    arrow = 0.08 * height
    ax.add_patch(
        MplPolygon(
            [(nx, ny + arrow), (nx - 0.35 * arrow, ny), (nx, ny + 0.25 * arrow)],
            closed=True,
            facecolor="black",
            edgecolor="black",
            lw=0.8,
            zorder=6,
        )
    )
    ax.add_patch(
        MplPolygon(
            [(nx, ny + arrow), (nx + 0.35 * arrow, ny), (nx, ny + 0.25 * arrow)],
            closed=True,
            facecolor="white",
            edgecolor="black",
            lw=0.8,
            zorder=6,
        )
    )
    ax.text(nx, ny + arrow * 1.08, "N", ha="center", va="bottom", fontsize=fontsize * 1.4, fontweight="bold", zorder=7)


def _draw_sectors(
    ax,
    geoms: list,
    fills: list,
    highlight: Sequence[bool],
    linewidth: float,
    marks: Sequence[str] | None,
    fontsize: float,
) -> None:
    patches, colours = [], []
    for geom, fill in zip(geoms, fills):
        path = _path(geom)
        if path is not None:
            patches.append(PathPatch(path))
            colours.append(_rgb(fill))
    ax.add_collection(
        PatchCollection(patches, facecolors=colours, edgecolors=[SECTOR_EDGE], linewidths=linewidth, zorder=2)
    )
    chosen = [PathPatch(p) for g, h in zip(geoms, highlight) if h and (p := _path(g)) is not None]
    if chosen:
        ax.add_collection(
            PatchCollection(chosen, facecolors="none", edgecolors=[SELECTED_EDGE], linewidths=linewidth * 4, zorder=4)
        )
    if marks is not None:
        for geom, mark in zip(geoms, marks):
            if mark and geom is not None and not geom.is_empty:
                p = geom.representative_point()
                ax.text(
                    p.x,
                    p.y,
                    mark,
                    ha="center",
                    va="center",
                    fontsize=fontsize,
                    fontweight="bold",
                    color=(120 / 255, 40 / 255, 0),
                    zorder=5,
                )


def _draw_legend(
    ax,
    title: str,
    items: Sequence[MapLegendItem],
    points: Sequence[PointLayer],
    notes: Sequence[str],
    fontsize: float,
    wrap: int = 26,
) -> None:
    handles, labels = [], []
    for item in items:
        if item.shape == "outline":
            handles.append(Patch(facecolor="white", edgecolor=_rgb(item.colour), linewidth=2.5))
        elif item.shape == "circle":
            handles.append(
                Line2D(
                    [],
                    [],
                    marker="o",
                    linestyle="none",
                    markerfacecolor=_rgb(item.colour),
                    markeredgecolor="#222222",
                    markersize=fontsize * 0.8,
                )
            )
        else:
            handles.append(Patch(facecolor=_rgb(item.colour), edgecolor="#555555", linewidth=0.8))
        labels.append(_wrap(item.label, wrap))
    for layer in points:
        handles.append(
            Line2D(
                [],
                [],
                marker=layer.marker,
                linestyle="none",
                markerfacecolor=_rgb(layer.colour),
                markeredgecolor="#222222",
                markersize=fontsize * 0.8,
            )
        )
        labels.append(_wrap(layer.label, wrap))
    ax.axis("off")
    if handles:
        legend = ax.legend(
            handles,
            labels,
            title=_wrap(title, wrap + 4),
            loc="upper left",
            frameon=True,
            fontsize=fontsize,
            title_fontsize=fontsize * 1.05,
            alignment="left",
            borderpad=0.8,
            labelspacing=0.6,
            handlelength=1.6,
            handleheight=1.1,
        )
        legend.get_frame().set_edgecolor("#888888")
        legend.get_title().set_fontweight("bold")
    if notes:
        ax.text(
            0.0,
            0.0,
            "\n".join(_wrap(n, wrap + 8) for n in notes),
            transform=ax.transAxes,
            ha="left",
            va="bottom",
            fontsize=fontsize * 0.85,
            color="#333333",
            linespacing=1.35,
        )


def wrap_to_width(fig: Figure, text: str, fontsize: float, width_px: float) -> list[str]:
    """``text`` in lines no wider than ``width_px`` pixels of ``fig`` at ``fontsize`` (measured by the Agg
    renderer that draws it; a single word wider than that stays on a line of its own)."""
    from matplotlib.font_manager import FontProperties

    renderer = (fig.canvas if isinstance(fig.canvas, FigureCanvasAgg) else FigureCanvasAgg(fig)).get_renderer()
    prop = FontProperties(size=fontsize)

    def width(s: str) -> float:
        return renderer.get_text_width_height_descent(s, prop, ismath=False)[0]

    lines: list[str] = []
    for word in text.split():
        if lines and width(f"{lines[-1]} {word}") <= width_px:
            lines[-1] = f"{lines[-1]} {word}"
        else:
            lines.append(word)
    return lines or [""]


def _wrap(text: str, width: int) -> str:
    import textwrap

    return "\n".join(textwrap.wrap(text, width)) or text


def _figure_size(
    page: str, orientation: str, dpi: int, width_mm: float | None = None, height_mm: float | None = None
) -> tuple[float, float]:
    if width_mm is None or height_mm is None:
        if page not in PAGE_SIZES_MM:
            raise ValueError(f"Onbekend papierformaat '{page}'; kies uit: {', '.join(PAGE_SIZES_MM)}.")
        short, long = PAGE_SIZES_MM[page]
        if orientation not in ("landscape", "portrait"):
            raise ValueError("De oriëntatie is 'landscape' (liggend) of 'portrait' (staand).")
        width_mm, height_mm = (long, short) if orientation == "landscape" else (short, long)
    # Whole pixels, rounded up: A3 at 150 dpi is at least 2480 × 1754.
    px_w, px_h = math.ceil(width_mm / 25.4 * dpi), math.ceil(height_mm / 25.4 * dpi)
    return px_w / dpi, px_h / dpi


def _png(fig: Figure, dpi: int) -> bytes:
    FigureCanvasAgg(fig)
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi, facecolor="white")
    return buffer.getvalue()


# --------------------------------------------------------------------------- public maps


def sector_map_png(
    sectors: pd.DataFrame,
    *,
    title: str,
    source: str,
    period: str | None = None,
    colours: Sequence[Sequence[int]] | None = None,
    legend: Sequence[MapLegendItem] = (),
    legend_title: str = "Legende",
    highlight: Iterable[str] = (),
    points: Sequence[PointLayer] = (),
    marks: Sequence[str] | None = None,
    labels: pd.DataFrame | None = None,
    notes: Sequence[str] = (),
    subtitle: str = "",
    page: str = "A3",
    orientation: str = "landscape",
    dpi: int = 150,
    on: date | None = None,
    overlays: Sequence[Overlay] = (),
) -> bytes:
    """A sector map as PNG for print: title, the map north up with a scale bar and north arrow,
    a legend box beside it and the source line below.

    ``sectors``: code, name, geometry (shapely or WKB, Lambert 72). ``colours``: one RGB per
    sector (0–255; e.g. ``Classification.colour_of``); without it the ``highlight`` codes get
    the pages' highlight fill and the others a light grey. ``legend``: its rows
    (``legend_items`` of a classification, ``highlight_legend`` …). ``marks``: a short text per
    sector ("x", "*") at its representative point. ``labels``: name and geometry of areas to
    name on the map (municipalities). Size: ``page`` A3 or A4, ``orientation`` landscape or
    portrait, at ``dpi`` (A3 landscape at 150 dpi is 2480 × 1754 pixels or more).
    """
    fig_w, fig_h = _figure_size(page, orientation, dpi)
    return _render(
        sectors,
        title=title,
        source=source,
        period=period,
        colours=colours,
        legend=legend,
        legend_title=legend_title,
        highlight=highlight,
        points=points,
        marks=marks,
        labels=labels,
        notes=notes,
        subtitle=subtitle,
        size=(fig_w, fig_h),
        dpi=dpi,
        on=on,
        compact=False,
        overlays=overlays,
    )


def profile_map_png(
    sectors: pd.DataFrame,
    highlight: Iterable[str],
    *,
    title: str,
    source: str,
    period: str | None = None,
    highlight_label: str = "gekozen sector",
    width_mm: float = A4_COLUMN_MM,
    height_mm: float = 95.0,
    dpi: int = 150,
    on: date | None = None,
) -> bytes:
    """A small map for a sector profile (A4 column width): the sector(s) filled and outlined
    among their neighbours in grey, with scale bar, north arrow, legend and source line."""
    highlight = list(highlight)
    fig_w, fig_h = _figure_size("A4", "portrait", dpi, width_mm, height_mm)
    context = "andere sectoren" if len(highlight) > 1 else "omliggende sectoren"
    return _render(
        sectors,
        title=title,
        source=source,
        period=period,
        colours=None,
        legend=highlight_legend(highlight_label, context),
        legend_title="Legende",
        highlight=highlight,
        points=(),
        marks=None,
        labels=None,
        notes=(),
        subtitle="",
        size=(fig_w, fig_h),
        dpi=dpi,
        on=on,
        compact=True,
    )


def _render(
    sectors: pd.DataFrame,
    *,
    title,
    source,
    period,
    colours,
    legend,
    legend_title,
    highlight,
    points,
    marks,
    labels,
    notes,
    subtitle,
    size,
    dpi,
    on,
    compact,
    overlays: Sequence[Overlay] = (),
) -> bytes:
    geoms = _geometries(sectors)
    codes = [str(c) for c in sectors["code"]]
    chosen = set(highlight)
    is_chosen = [c in chosen for c in codes]
    if colours is None:
        fills = [HIGHLIGHT_COLOUR if h else CONTEXT_COLOUR for h in is_chosen]
    else:
        fills = [tuple(c[:3]) if c is not None else MISSING_COLOUR for c in colours]
        if len(fills) != len(codes):
            raise ValueError("Geef één kleur per sector.")

    fig = Figure(figsize=size, dpi=dpi, facecolor="white")
    # Type sizes in points scale with the paper: readable on A3 and in an A4 column alike.
    base = 9.0 if compact else max(10.0, size[0] * 0.8)
    title_h = 0.10 if compact else 0.085
    foot_h = 0.07 if compact else 0.05
    # The source line wraps within the image (a long list of sources is never cut off); the map makes room.
    source_size = base * (0.8 if compact else 0.9)
    source_lines = wrap_to_width(fig, source_caption(source, period, on), source_size, size[0] * dpi * 0.98)
    line_h = source_size * 1.2 / 72 / size[1]
    source_y = foot_h * 0.35 - line_h / 2
    foot_h += (len(source_lines) - 1) * line_h
    legend_w = 0.30 if compact else 0.22
    map_ax = fig.add_axes((0.01, foot_h, 0.99 - legend_w - 0.01, 1 - title_h - foot_h - 0.01))
    legend_ax = fig.add_axes((1 - legend_w, foot_h + 0.02, legend_w - 0.01, 1 - title_h - foot_h - 0.03))
    fig.text(0.01, 1 - 0.012, title, ha="left", va="top", fontsize=base * (1.35 if compact else 1.9), fontweight="bold")
    if subtitle:
        fig.text(0.01, 1 - title_h + 0.008, subtitle, ha="left", va="bottom", fontsize=base * 1.05, color="#333333")
    fig.text(
        0.01,
        source_y,
        "\n".join(source_lines),
        ha="left",
        va="bottom",
        fontsize=source_size,
        color="#333333",
        linespacing=1.2,
        gid="source",
    )

    valid = [g for g in geoms if g is not None and not g.is_empty]
    if valid:
        minx, miny, maxx, maxy = shapely.total_bounds(np.array(valid, dtype=object))
        if max(abs(minx), abs(maxx)) <= 180 and max(abs(miny), abs(maxy)) <= 90:
            # The pages' display copy is in degrees: a scale bar in metres would be meaningless.
            raise ValueError(
                "De kaart verwacht Lambert 72-coördinaten (meter), geen lengte- en breedtegraden: "
                "lees de sectoren met store.geometries(..., display=False)."
            )
    else:
        minx, miny, maxx, maxy = 0.0, 0.0, 1000.0, 1000.0
    # Pad to the axes' aspect ratio so the map fills its box at equal scale in x and y.
    box = map_ax.get_position()
    aspect = (box.height * size[1]) / (box.width * size[0])
    width, height = (maxx - minx) * 1.06 or 1000.0, (maxy - miny) * 1.06 or 1000.0
    if height / width < aspect:
        height = width * aspect
    else:
        width = height / aspect
    cx, cy = (minx + maxx) / 2, (miny + maxy) / 2
    # Room at the bottom-left for the scale bar and top-right for the north arrow.
    width *= 1.04
    height *= 1.08
    bounds = (cx - width / 2, cy - height / 2, cx + width / 2, cy + height / 2)
    map_ax.set_xlim(bounds[0], bounds[2])
    map_ax.set_ylim(bounds[1], bounds[3])
    map_ax.set_aspect("equal", adjustable="box")
    map_ax.axis("off")

    _draw_sectors(map_ax, geoms, fills, is_chosen, 0.6 if compact else 0.9, marks, base * 0.9)
    for overlay in overlays:  # over the sectors, under the points
        colour = _rgb(overlay.colour)
        for geom in overlay.geoms:
            if geom is None or geom.is_empty:
                continue
            path = _path(geom)
            if path is not None:
                map_ax.add_patch(PathPatch(path, facecolor=(*colour, 0.55), edgecolor=colour, linewidth=0.8, zorder=3))
            for line in getattr(geom, "geoms", [geom]):
                if line.geom_type in ("LineString", "LinearRing"):
                    xy = np.asarray(line.coords)[:, :2]
                    map_ax.plot(xy[:, 0], xy[:, 1], color=colour, linewidth=2.2, solid_capstyle="round", zorder=4)
    for layer in points:
        map_ax.scatter(
            np.asarray(layer.x, dtype=float),
            np.asarray(layer.y, dtype=float),
            s=layer.size,
            c=[_rgb(layer.colour)],
            marker=layer.marker,
            edgecolors="#222222",
            linewidths=0.6,
            zorder=5,
        )
    if labels is not None and len(labels):
        for name, geom in zip(labels["name"], _geometries(labels)):
            if geom is None or geom.is_empty:
                continue
            p = geom.representative_point()
            map_ax.text(
                p.x,
                p.y,
                str(name),
                ha="center",
                va="center",
                fontsize=base * 1.2,
                fontweight="bold",
                zorder=8,
                bbox=dict(facecolor="white", edgecolor="none", alpha=0.75, pad=2),
            )
    _draw_scale_and_north(map_ax, bounds, base * 0.9)
    _draw_legend(legend_ax, legend_title, legend, points, notes, base * (0.85 if compact else 1.0))
    return _png(fig, dpi)


def indicator_map_png(
    sectors: pd.DataFrame,
    values: pd.Series,
    ind: Indicator,
    *,
    source: str,
    period: str,
    view_label: str,
    method: str = "kwantielen",
    reference: float | None = None,
    reference_label: str = "",
    statuses: pd.Series | None = None,
    small: Iterable[str] = (),
    highlight: Iterable[str] = (),
    page: str = "A3",
    orientation: str = "landscape",
    dpi: int = 150,
    on: date | None = None,
) -> bytes:
    """The "Wie woont er?" map of one indicator as PNG: the page's classes, colours, legend
    labels, "x"/"-" marks on hidden or missing sectors and "*" on small ones.

    ``values`` and ``statuses`` are indexed by sector code (engine values and statuses).
    """
    codes = pd.Series([str(c) for c in sectors["code"]])
    status = codes.map(statuses).fillna("ontbrekend") if statuses is not None else pd.Series("ok", index=codes.index)
    vals = pd.to_numeric(codes.map(values), errors="coerce").where(status == "ok").astype(float)
    classes = indicator_classes(vals, ind, method, reference)
    small_set = set(small)
    from ..formatting import MISSING_SYMBOL

    marks = [
        MISSING_SYMBOL.get(s, "-") if s != "ok" else ("*" if c in small_set else "") for c, s in zip(codes, status)
    ]
    notes = [f"Indeling: {METHODS[classes.method]} · (n) = aantal sectoren"]
    if classes.method == "afwijking_elz" and reference is not None and reference_label:
        from ..formatting import format_indicator

        notes.insert(0, f"{reference_label}: {format_indicator(ind, reference)}")
    if small_set:
        notes.append("* weinig inwoners: voorzichtig interpreteren")
    if (status != "ok").any():
        notes.append("x verborgen door de bron (te klein), - geen gegevens; nooit 0")
    if list(highlight):
        notes.append("Dikke zwarte rand: de gekozen sector")
    return sector_map_png(
        sectors,
        title=f"{ind.label} per statistische sector",
        subtitle=f"{view_label} · {period_phrase(period)}",
        source=source,
        period=period,
        colours=classes.colour_of(vals),
        legend=legend_items(classes),
        legend_title=classes.title(ind.label),
        highlight=highlight,
        marks=marks,
        notes=notes,
        page=page,
        orientation=orientation,
        dpi=dpi,
        on=on,
    )


def mismatch_map_png(
    sectors: pd.DataFrame,
    data: pd.DataFrame,
    need,
    measure_text: str,
    *,
    period: str,
    view_label: str,
    source: str,
    highlight: Iterable[str] = (),
    page: str = "A3",
    dpi: int = 150,
    title: str | None = None,
) -> bytes:
    """The "Wie vs wat" map: need against lack of access in 3 × 3 classes (each a third of the sectors),
    small sectors marked "*". ``data`` is whowhat.sector_mismatch's frame for these sectors."""
    from ..mismatch import bivariate_classes, tertile_classes

    by_code = data.set_index("statsec")
    sector_codes = pd.Series([str(c) for c in sectors["code"]])
    classes = bivariate_classes(sector_codes.map(by_code["need_value"]), sector_codes.map(by_code["lack_share"]))
    _, need_bounds = tertile_classes(data["need_value"])
    _, lack_bounds = tertile_classes(data["lack_share"])
    small = sector_codes.map(by_code["small"]).fillna(True).astype(bool)
    return sector_map_png(
        sectors,
        title=title or f"Wie vs wat: {need.label} tegenover {measure_text}",
        subtitle=f"{view_label} · {period_phrase(period)}",
        source=source,
        period=period,
        colours=list(classes["colour"]),
        legend=bivariate_legend_items(
            need_bounds,
            lack_bounds,
            need_unit="" if need.use_count else need.ind.unit,
            need_decimals=0 if need.use_count else 1,
        ),
        legend_title="Nood × te ver (telkens een derde van de sectoren)",
        highlight=list(highlight),
        marks=["*" if s else "" for s in small],
        notes=([f"{need.label} tegenover {measure_text}."] if title else [])
        + [
            f"Klassen: telkens een derde van de sectoren van de {view_label}.",
            "* weinig inwoners (of aantal verborgen): voorzichtig interpreteren",
        ],
        page=page,
        dpi=dpi,
    )
