"""The A4 frame every PDF of zorgzaam shares (profile, verslag): DejaVu Sans registered with reportlab, text
escaped for its Paragraph markup, and ``a4_pdf``: a story laid out on A4 portrait with a header, the date, a
footer that wraps (the sources) and "pagina x / y" on every page."""

from __future__ import annotations

import html
import io
import os

_FONTS_READY = False


def register_fonts() -> tuple[str, str]:
    """Register matplotlib's bundled DejaVu Sans (regular, bold) with reportlab; returns their names."""
    global _FONTS_READY
    if not _FONTS_READY:
        import matplotlib
        from reportlab.lib.fonts import addMapping
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFont

        folder = os.path.join(matplotlib.get_data_path(), "fonts", "ttf")
        pdfmetrics.registerFont(TTFont("DejaVuSans", os.path.join(folder, "DejaVuSans.ttf")))
        pdfmetrics.registerFont(TTFont("DejaVuSans-Bold", os.path.join(folder, "DejaVuSans-Bold.ttf")))
        pdfmetrics.registerFontFamily(
            "DejaVuSans", normal="DejaVuSans", bold="DejaVuSans-Bold", italic="DejaVuSans", boldItalic="DejaVuSans-Bold"
        )
        addMapping("DejaVuSans", 0, 0, "DejaVuSans")
        addMapping("DejaVuSans", 1, 0, "DejaVuSans-Bold")
        _FONTS_READY = True
    return "DejaVuSans", "DejaVuSans-Bold"


def pdf_text(text: object) -> str:
    """Text for a reportlab Paragraph (its mini-markup needs &, < and > escaped; newlines become <br/>)."""
    return html.escape(str(text), quote=False).replace("\n", "<br/>")


#: The PDF footer (the source line) wraps over at most this many lines, this far apart.
FOOTER_MAX_LINES = 8
FOOTER_LEADING_MM = 3.4


def a4_pdf(
    story: list, *, header: str, date_text: str, footer: str, subject: str = "", author: str = "zorgzaam"
) -> bytes:
    """Lay out a reportlab story on A4 portrait (20 mm margins) with, on every page, the header and date at the
    top (the header clipped with "…" where it would overlap the date) and the footer and "pagina x / y" at the
    bottom: a long footer (the sources) wraps over up to ``FOOTER_MAX_LINES`` lines and the text area makes room
    for them."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.pdfbase.pdfmetrics import stringWidth
    from reportlab.lib.utils import simpleSplit
    from reportlab.pdfgen import canvas as rl_canvas
    from reportlab.platypus import SimpleDocTemplate

    regular, _bold = register_fonts()
    width = A4[0] - 40 * mm
    # The footer wraps beside the widest page number ("pagina 999 / 999"); the last line keeps "…" only when the
    # text would need more than FOOTER_MAX_LINES lines.
    footer_room = width - stringWidth("pagina 999 / 999", regular, 8) - 6 * mm
    footer_lines = simpleSplit(footer, regular, 8, footer_room) or [""]
    if len(footer_lines) > FOOTER_MAX_LINES:
        footer_lines = footer_lines[: FOOTER_MAX_LINES - 1] + [" ".join(footer_lines[FOOTER_MAX_LINES - 1 :])]
    extra = (len(footer_lines) - 1) * FOOTER_LEADING_MM * mm

    def clip(text: str, room: float) -> str:
        if stringWidth(text, regular, 8) <= room:
            return text
        while text and stringWidth(text + "…", regular, 8) > room:
            text = text[:-1]
        return text + "…"

    class NumberedCanvas(rl_canvas.Canvas):
        """Draws header and footer after layout, so every page knows the page count."""

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages = []

        def showPage(self):  # noqa: N802 - reportlab's name
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self._decorate(total)
                super().showPage()
            super().save()

        def _decorate(self, total: int) -> None:
            w, h = A4
            page = f"pagina {self._pageNumber} / {total}"
            self.saveState()
            self.setFont(regular, 8)
            self.setFillColor(colors.HexColor("#444444"))
            self.drawString(20 * mm, h - 12 * mm, clip(header, width - stringWidth(date_text, regular, 8) - 6 * mm))
            self.drawRightString(w - 20 * mm, h - 12 * mm, date_text)
            self.setStrokeColor(colors.HexColor("#bbbbbb"))
            self.line(20 * mm, h - 13.5 * mm, w - 20 * mm, h - 13.5 * mm)
            self.line(20 * mm, 13.5 * mm + extra, w - 20 * mm, 13.5 * mm + extra)
            for k, text in enumerate(footer_lines):
                y = 9.5 * mm + extra - k * FOOTER_LEADING_MM * mm
                self.drawString(20 * mm, y, clip(text, footer_room))
            self.drawRightString(w - 20 * mm, 9.5 * mm + extra, page)
            self.restoreState()

    buffer = io.BytesIO()
    template = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm + extra,
        title=header,
        author=author,
        subject=subject,
        lang="nl-BE",
    )
    template.build(story, canvasmaker=NumberedCanvas)
    return buffer.getvalue()


__all__ = ["FOOTER_LEADING_MM", "FOOTER_MAX_LINES", "a4_pdf", "pdf_text", "register_fonts"]
