"""Source lines wrap instead of being cut: the PDF footer (profile, verslag) and the PNG maps' source line."""

from __future__ import annotations

import io
import re

import numpy as np
import pandas as pd
import shapely
from PIL import Image
from pypdf import PdfReader

from zorgzaam.reports.map_image import profile_map_png, sector_map_png, source_caption

SOURCES = [f"eigen bestand verbruik_per_sector_{k}.xlsx, 2018–2021" for k in range(10)]
LONG = "; ".join(SOURCES)


def _flat(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def _pages(pdf: bytes) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages]


def test_a_long_pdf_footer_wraps_on_every_page_and_keeps_every_source():
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import PageBreak, Paragraph

    from zorgzaam.reports.pdf_frame import a4_pdf, register_fonts

    style = ParagraphStyle("t", fontName=register_fonts()[0], fontSize=10, leading=13)
    body = [Paragraph(f"Regel {k} van de tekst.", style) for k in range(120)]
    pdf = a4_pdf(
        [*body[:60], PageBreak(), *body[60:]],
        header="Profiel",
        date_text="7 december 2026",
        footer=f"Bron: {LONG} · zorgzaam",
    )
    pages = _pages(pdf)
    assert len(pages) >= 2
    for page in pages:
        flat = _flat(page)
        # Every source is on the page, the last one too; nothing is cut off with "…".
        assert all(s in flat for s in SOURCES), flat[-400:]
        assert "zorgzaam" in flat and "…" not in flat
    # The body makes room: all 120 lines are there, each once.
    text = _flat(" ".join(pages))
    assert all(text.count(f"Regel {k} van") == 1 for k in range(120))


def _dark_columns(png: bytes, band: float) -> tuple[np.ndarray, np.ndarray]:
    """Per column and per row of the bottom ``band`` (share of the height): whether any pixel is dark."""
    grey = np.asarray(Image.open(io.BytesIO(png)).convert("L"))
    bottom = grey[int(grey.shape[0] * (1 - band)) :, :] < 128
    return bottom.any(axis=0), bottom.any(axis=1)


def test_a_long_png_source_line_wraps_within_the_image_width():
    frame = pd.DataFrame(
        {
            "code": ["A", "B"],
            "name": ["a", "b"],
            "geometry": [
                shapely.box(150_000, 160_000, 151_000, 161_000),
                shapely.box(151_000, 160_000, 152_000, 161_000),
            ],
        }
    )
    for png in (
        profile_map_png(frame, ["A"], title="Sector A", source=LONG, period="2025"),
        sector_map_png(frame, title="Sectoren", source=LONG, period="2025", page="A4"),
    ):
        columns, rows = _dark_columns(png, band=0.12)
        width = len(columns)
        # The drawn text stays inside the image: the rightmost 0,5 % of the columns is blank ...
        assert not columns[int(width * 0.995) :].any()
        # ... and the text does reach far to the right, so it was wrapped, not shortened.
        assert columns[int(width * 0.85) : int(width * 0.995)].any()
        # Several lines of text: runs of dark rows separated by blank rows.
        runs = np.flatnonzero(np.diff(rows.astype(int)) == 1)
        assert len(runs) >= 3


def test_wrapped_lines_fit_the_width_they_are_measured_for():
    from matplotlib.figure import Figure

    from zorgzaam.reports.map_image import wrap_to_width

    fig = Figure(figsize=(6.7, 3.7), dpi=150)
    caption = source_caption(LONG, "2025")
    lines = wrap_to_width(fig, caption, 8.0, 6.7 * 150 * 0.98)
    assert len(lines) > 2 and " ".join(lines) == caption
    renderer = fig.canvas.get_renderer()
    from matplotlib.font_manager import FontProperties

    widths = [renderer.get_text_width_height_descent(s, FontProperties(size=8.0), ismath=False)[0] for s in lines]
    assert max(widths) <= 6.7 * 150 * 0.98
