"""The minutes (verslag) of a werkgroep meeting laid out as PDF, Word (DOCX) and HTML.

The content is gathered once from a ``MinutesDocument`` (zorgzaam.reports.minutes) into a list of
neutral blocks (texts, tables, images, notes); each format only lays those blocks out, so the three
documents always say the same:

* ``minutes_pdf``: A4 portrait with reportlab, DejaVu Sans (``pdf_frame.register_fonts``), header
  (title, date) and footer (source line, page x/y) on every page, tables that split across pages
  with their header repeated;
* ``minutes_docx``: an editable Word document (python-docx), A4, headings, grid tables, pictures
  16 cm wide, header and footer with the title, the source line and the page number;
* ``minutes_html``: one self-contained page (inline CSS, images as ``data:`` URIs, no script, no
  external request), every text escaped.

Notes and poll words are typed by users: they are always treated as text, never as markup.
"""

from __future__ import annotations

import base64
import html
import io
import math
import re
from dataclasses import dataclass
from datetime import datetime, time

import pandas as pd

from ..formatting import format_date, format_number
from .minutes import MinutesDocument, MinutesStep, PollQuestionResult
from .pdf_frame import a4_pdf, register_fonts
from .pdf_frame import pdf_text as _x

NO_NOTES = "Geen notities."
NO_ACTIONS = "Nog geen acties."
NO_AGREEMENTS = "Geen afspraken genoteerd."
NO_NEXT_MEETING = "nog niet vastgelegd"
NO_ANSWERS = "Nog geen antwoorden."
AUTHOR = "zorgzaam"
_FIRST_COLUMN = {"scale": "Score", "choice": "Keuze", "word": "Woord"}
_NUMBER = re.compile(r"^[<>≤≥]?\s?[-+−]?\d[\d.]*(,\d+)?\s?(%|‰|min)?$")
_MISSING = {"-", "x", "nvt", ""}
_XML_INVALID = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


# --------------------------------------------------------------------------- formatting


def minutes_text(minutes: float | None) -> str:
    """Spent or planned minutes: 12.4 -> "12 min", 0.3 -> "< 1 min", None -> "-"."""
    if minutes is None or (isinstance(minutes, float) and math.isnan(minutes)):
        return "-"
    if minutes < 1:
        return "< 1 min"
    return f"{int(math.floor(minutes + 0.5))} min"


def share_text(count: int, n: int) -> str:
    """A count's share of the answers: "42,9 %", "-" when there are no answers."""
    return "-" if not n else f"{format_number(100 * count / n, 1)} %"


def _plural(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def _participants_text(n: int) -> str:
    if n == 0:
        return "geen deelnemers antwoordden op hun gsm"
    return "1 deelnemer antwoordde op de gsm" if n == 1 else f"{n} deelnemers antwoordden op hun gsm"


def _time_text(started: str | None, finished: str | None) -> str | None:
    if started and finished:
        return f"{started}–{finished}"
    if started:
        return f"vanaf {started}"
    if finished:
        return f"tot {finished}"
    return None


def _cell(value: object) -> str:
    if value is None:
        return "-"
    try:
        if pd.isna(value):
            return "-"
    except (TypeError, ValueError):  # lists and the like
        pass
    return str(value)


def _text(value: str) -> str:
    """A text as typed, with Windows line breaks made plain."""
    return str(value).replace("\r\n", "\n").replace("\r", "\n")


# --------------------------------------------------------------------------- the blocks


@dataclass(frozen=True)
class _Text:
    # 'title', 'h2', 'label' (bold), 'sub' (small), 'p', 'small', 'empty'; title to sub stay with what follows
    kind: str
    text: str


@dataclass(frozen=True)
class _Table:
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    numeric: tuple[bool, ...]  # right-aligned columns
    facts: bool = False  # label/value lines without header or grid


@dataclass(frozen=True)
class _Image:
    caption: str
    png: bytes


@dataclass(frozen=True)
class _Note:
    label: str
    text: str


_Block = _Text | _Table | _Image | _Note


def _numeric_columns(rows: list[tuple[str, ...]], columns: int) -> tuple[bool, ...]:
    out = []
    for k in range(columns):
        values = [r[k].strip() for r in rows]
        numbers = [v for v in values if v not in _MISSING]
        out.append(bool(numbers) and all(_NUMBER.match(v) for v in numbers))
    return tuple(out)


def _frame_table(frame: pd.DataFrame) -> _Table:
    header = tuple(str(c) for c in frame.columns)
    rows = [tuple(_cell(v) for v in row) for row in frame.itertuples(index=False, name=None)]
    return _Table(header, tuple(rows), _numeric_columns(rows, len(header)))


def _poll_blocks(poll: PollQuestionResult) -> list[_Block]:
    out: list[_Block] = [_Text("label", poll.text), _Text("sub", _plural(poll.n, "antwoord", "antwoorden"))]
    if not poll.n:
        out.append(_Text("empty", NO_ANSWERS))
        return out
    items = [(label, count) for label, count in poll.distribution if poll.kind != "word" or count]
    rows = tuple((str(label), format_number(count), share_text(count, poll.n)) for label, count in items)
    out.append(_Table((_FIRST_COLUMN.get(poll.kind, "Antwoord"), "Aantal", "Aandeel"), rows, (False, True, True)))
    if poll.kind == "scale" and (poll.median or poll.spread):
        parts = ([f"mediaan {poll.median}"] if poll.median else []) + ([poll.spread] if poll.spread else [])
        out.append(_Text("small", "Groep: " + " · ".join(parts)))
    return out


def _step_blocks(step: MinutesStep) -> list[_Block]:
    out: list[_Block] = [_Text("h2", f"{step.number}. {step.title}")]
    if step.purpose:
        out.append(_Text("sub", step.purpose))
    timing = f"Gepland {minutes_text(step.planned_minutes)} · besteed {minutes_text(step.spent_minutes)}"
    if step.participants is not None:
        timing += f" · {_plural(step.participants, 'deelnemer antwoordde', 'deelnemers antwoordden')}"
    out.append(_Text("sub", timing))
    for poll in step.polls:
        out += _poll_blocks(poll)
    if step.clusters:
        out.append(_Text("label", "Kernwoorden per domein"))
        rows = tuple((domain or "-", words, format_number(count)) for domain, words, count in step.clusters)
        out.append(_Table(("Domein", "Kernwoorden", "Aantal keer genoemd"), rows, (False, False, True)))
    if step.table is not None and len(step.table.columns):
        if step.table_title:
            out.append(_Text("label", step.table_title))
        out.append(_frame_table(step.table) if len(step.table) else _Text("empty", "Geen rijen."))
    for caption, png in step.images:
        out.append(_Image(caption, png))
    out += [_Note(n.label, _text(n.text)) for n in step.notes]
    if step.remark:
        out.append(_Text("small", step.remark))
    elif not step.notes:
        out.append(_Text("empty", NO_NOTES))
    return out


def _blocks(doc: MinutesDocument) -> list[_Block]:
    """The document's content in reading order, the same for every format."""
    facts = [("Team", doc.team), ("Datum", format_date(doc.meeting_date))]
    if doc.place:
        facts.append(("Plaats", doc.place))
    if doc.sectors:
        facts.append(("Sectoren", ", ".join(doc.sectors)))
    when = _time_text(doc.started, doc.finished)
    if when:
        facts.append(("Tijd", when))
    facts.append(("Deelnemers", _participants_text(doc.participants)))
    out: list[_Block] = [
        _Text("title", f"Verslag: {doc.title}"),
        _Table(("", ""), tuple(facts), (False, False), facts=True),
        _Text("small", doc.anonymous_note),
        _Text("h2", "Agenda"),
    ]
    if doc.agenda:
        rows = [
            (str(nr), title, minutes_text(planned), minutes_text(spent)) for nr, title, planned, spent in doc.agenda
        ]
        known = [s for *_, s in doc.agenda if s is not None]
        rows.append(
            (
                "",
                "Totaal",
                minutes_text(sum(p for _, _, p, _ in doc.agenda)),
                minutes_text(sum(known)) if known else "-",
            )
        )
        out.append(_Table(("Nr", "Onderdeel", "Gepland", "Besteed"), tuple(rows), (True, False, True, True)))
    else:
        out.append(_Text("empty", "Geen agenda."))
    for step in doc.steps:
        out += _step_blocks(step)
    out.append(_Text("h2", "Acties"))
    if doc.actions is not None and len(doc.actions) and len(doc.actions.columns):
        out.append(_frame_table(doc.actions))
    else:
        out.append(_Text("empty", NO_ACTIONS))
    out.append(_Text("h2", "Afspraken"))
    agreements = _text(doc.agreements).strip()
    out.append(_Note("", agreements) if agreements else _Text("empty", NO_AGREEMENTS))
    out += [
        _Text("h2", "Volgende bijeenkomst"),
        _Text("p", format_date(doc.next_meeting) if doc.next_meeting else NO_NEXT_MEETING),
    ]
    if doc.scores is not None and len(doc.scores) and len(doc.scores.columns) > 1:
        out += [
            _Text("h2", "Bouwstenen per bijeenkomst"),
            _Text(
                "sub", "Per bijeenkomst de mediaan van de groep (naar beneden afgerond) en het aantal antwoorden (n)."
            ),
            _frame_table(doc.scores),
        ]
    out.append(_Text("small", f"{doc.source_line} · gemaakt op {format_date(doc.made_on)}"))
    return out


# --------------------------------------------------------------------------- PDF


def minutes_pdf(doc: MinutesDocument) -> bytes:
    """The minutes as an A4 portrait PDF (reportlab)."""
    from reportlab import rl_config
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_RIGHT
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Image, KeepTogether, Paragraph, Spacer, Table, TableStyle

    regular, bold = register_fonts()
    rl_config.useA85 = 0  # binary image streams (ASCII85 in pure Python is slow for images)
    base = ParagraphStyle("mz", fontName=regular, fontSize=9.5, leading=12.5)
    styles = {
        "title": ParagraphStyle("mz-title", parent=base, fontName=bold, fontSize=16, leading=20, spaceAfter=4),
        "h2": ParagraphStyle(
            "mz-h2",
            parent=base,
            fontName=bold,
            fontSize=13,
            leading=16.5,
            spaceBefore=9,
            spaceAfter=2,
            textColor=colors.HexColor("#08306b"),
            keepWithNext=1,
        ),
        "label": ParagraphStyle("mz-label", parent=base, fontName=bold, spaceBefore=5, spaceAfter=1, keepWithNext=1),
        "p": base,
        "small": ParagraphStyle(
            "mz-small", parent=base, fontSize=8, leading=10, spaceAfter=1, textColor=colors.HexColor("#333333")
        ),
        "sub": ParagraphStyle(
            "mz-sub",
            parent=base,
            fontSize=8,
            leading=10,
            spaceAfter=1,
            textColor=colors.HexColor("#333333"),
            keepWithNext=1,
        ),
        "empty": ParagraphStyle("mz-empty", parent=base, textColor=colors.HexColor("#555555"), spaceBefore=2),
    }
    note_style = ParagraphStyle(
        "mz-note",
        parent=base,
        backColor=colors.HexColor("#fffbe6"),
        borderPadding=3,
        leftIndent=3,
        rightIndent=3,
        spaceBefore=3,
        spaceAfter=6,
    )
    cell = ParagraphStyle("mz-cell", parent=base, fontSize=8, leading=9.8)
    cell_r = ParagraphStyle("mz-cell-r", parent=cell, alignment=TA_RIGHT)
    head = ParagraphStyle("mz-head", parent=cell, fontName=bold, fontSize=7.6, leading=9.2)
    head_r = ParagraphStyle("mz-head-r", parent=head, alignment=TA_RIGHT)
    width = A4[0] - 40 * mm
    max_image_height = A4[1] - 36 * mm - 30 * mm  # the frame less room for the caption

    def widths(t: _Table) -> list[float]:
        weights = []
        for k, title in enumerate(t.header):
            longest = max([len(r[k]) for r in t.rows] + [max((len(w) for w in title.split()), default=0), 3])
            weights.append(min(longest, 40) + 2)
        total = sum(weights)
        return [width * w / total for w in weights]

    def table(t: _Table):
        if t.facts:
            data = [[Paragraph(f"<b>{_x(label)}</b>", base), Paragraph(_x(value), base)] for label, value in t.rows]
            out = Table(data, colWidths=[28 * mm, width - 28 * mm], hAlign="LEFT")
            out.setStyle(
                TableStyle(
                    [
                        ("VALIGN", (0, 0), (-1, -1), "TOP"),
                        ("LEFTPADDING", (0, 0), (-1, -1), 0),
                        ("TOPPADDING", (0, 0), (-1, -1), 0.5),
                        ("BOTTOMPADDING", (0, 0), (-1, -1), 0.5),
                    ]
                )
            )
            return out
        data = [[Paragraph(_x(h), head_r if num else head) for h, num in zip(t.header, t.numeric)]]
        data += [[Paragraph(_x(v), cell_r if num else cell) for v, num in zip(row, t.numeric)] for row in t.rows]
        out = Table(data, colWidths=widths(t), repeatRows=1, hAlign="LEFT")
        out.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.3, colors.HexColor("#bbbbbb")),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#e8eef5")),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5),
                    ("LEFTPADDING", (0, 0), (-1, -1), 3),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 3),
                ]
            )
        )
        return out

    story: list = []
    for block in _blocks(doc):
        if isinstance(block, _Text):
            text = f"<i>{_x(block.text)}</i>" if block.kind == "empty" else _x(block.text)
            story.append(Paragraph(text, styles[block.kind]))
        elif isinstance(block, _Table):
            story += [table(block), Spacer(1, 1.5 * mm)]
        elif isinstance(block, _Image):
            img = Image(io.BytesIO(block.png))
            ratio = img.imageHeight / img.imageWidth
            w = min(width, max_image_height / ratio)
            img.drawWidth, img.drawHeight = w, w * ratio
            story.append(KeepTogether([Spacer(1, 1.5 * mm), img, Paragraph(_x(block.caption), styles["small"])]))
        else:  # _Note
            label = [Paragraph(f"<b>{_x(block.label)}</b>", styles["label"])] if block.label else []
            story += label + [Paragraph(_x(block.text), note_style)]

    day = format_date(doc.meeting_date)
    return a4_pdf(
        story,
        header=f"Verslag: {doc.title}",
        date_text=day,
        footer=doc.source_line,
        subject=f"{doc.team} · {day}",
        author=AUTHOR,
    )


# --------------------------------------------------------------------------- DOCX


def _docx_text(text: object) -> str:
    """Text Word's XML accepts (no control characters but tab and line break)."""
    return _XML_INVALID.sub("", str(text))


def minutes_docx(doc: MinutesDocument) -> bytes:
    """The minutes as an editable Word document (python-docx), A4."""
    import docx
    from docx.enum.section import WD_ORIENT
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Cm, Mm, Pt, RGBColor

    document = docx.Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.PORTRAIT
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.left_margin = section.right_margin = Mm(20)
    section.top_margin = section.bottom_margin = Mm(20)
    document.styles["Normal"].font.size = Pt(10)
    table_styles = {s.name for s in document.styles if s.type == WD_STYLE_TYPE.TABLE}
    grid_style = "Light Grid Accent 1" if "Light Grid Accent 1" in table_styles else "Table Grid"

    header_text = _docx_text(f"Verslag: {doc.title}")
    props = document.core_properties
    props.title = header_text
    props.author = AUTHOR
    props.last_modified_by = AUTHOR
    props.subject = _docx_text(f"{doc.team} · {format_date(doc.meeting_date)}")
    props.language = "nl-BE"
    props.keywords = "zorgzaam, verslag"
    props.comments = ""
    props.created = props.modified = datetime.combine(doc.made_on, time(12))

    def shade(paragraph, fill: str) -> None:
        shd = OxmlElement("w:shd")
        shd.set(qn("w:val"), "clear")
        shd.set(qn("w:color"), "auto")
        shd.set(qn("w:fill"), fill)
        paragraph._p.get_or_add_pPr().insert_element_before(
            shd, "w:tabs", "w:suppressAutoHyphens", "w:spacing", "w:ind", "w:jc", "w:rPr", "w:sectPr"
        )

    def field(paragraph, code: str) -> None:
        """A field Word fills in (PAGE, NUMPAGES); "1" until it is updated."""
        begin, instr, separate, shown, end = (
            OxmlElement(t) for t in ("w:fldChar", "w:instrText", "w:fldChar", "w:t", "w:fldChar")
        )
        begin.set(qn("w:fldCharType"), "begin")
        instr.set(qn("xml:space"), "preserve")
        instr.text = f" {code} "
        separate.set(qn("w:fldCharType"), "separate")
        shown.text = "1"
        end.set(qn("w:fldCharType"), "end")
        for el in (begin, instr, separate, shown, end):  # one run each, as Word writes them
            paragraph.add_run()._r.append(el)

    head = section.header.paragraphs[0]
    head.text = header_text + "\t\t" + _docx_text(format_date(doc.meeting_date))
    foot = section.footer.paragraphs[0]
    foot.text = _docx_text(doc.source_line) + "\t\tpagina "
    field(foot, "PAGE")
    foot.add_run(" / ")
    field(foot, "NUMPAGES")
    for p in (head, foot):
        for run in p.runs:
            run.font.size = Pt(8)
            run.font.color.rgb = RGBColor(0x44, 0x44, 0x44)

    def small(text: str, italic: bool = False):
        p = document.add_paragraph()
        run = p.add_run(_docx_text(text))
        run.font.size = Pt(8.5)
        run.font.italic = italic
        run.font.color.rgb = RGBColor(0x33, 0x33, 0x33)
        return p

    def table(t: _Table) -> None:
        if t.facts:
            out = document.add_table(rows=0, cols=2)
            for label, value in t.rows:
                cells = out.add_row().cells
                cells[0].paragraphs[0].add_run(_docx_text(label)).bold = True
                cells[1].paragraphs[0].add_run(_docx_text(value))
                cells[0].width, cells[1].width = Cm(3), Cm(14)
            return
        out = document.add_table(rows=1, cols=len(t.header))
        out.style = grid_style
        for k, (title, num) in enumerate(zip(t.header, t.numeric)):
            p = out.rows[0].cells[k].paragraphs[0]
            p.add_run(_docx_text(title)).bold = True
            if num:
                p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        repeat = OxmlElement("w:tblHeader")  # the header row repeats on every page
        repeat.set(qn("w:val"), "true")
        out.rows[0]._tr.get_or_add_trPr().append(repeat)
        for row in t.rows:
            cells = out.add_row().cells
            for c, value, num in zip(cells, row, t.numeric):
                p = c.paragraphs[0]
                p.add_run(_docx_text(value)).bold = False
                if num:
                    p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        document.add_paragraph()

    for block in _blocks(doc):
        if isinstance(block, _Text):
            if block.kind in ("title", "h2"):
                document.add_heading(_docx_text(block.text), level=1 if block.kind == "title" else 2)
            elif block.kind == "label":
                p = document.add_paragraph()
                p.add_run(_docx_text(block.text)).bold = True
                p.paragraph_format.keep_with_next = True
                p.paragraph_format.space_after = Pt(2)
            elif block.kind in ("small", "sub", "empty"):
                small(block.text, italic=block.kind == "empty").paragraph_format.keep_with_next = block.kind == "sub"
            else:
                document.add_paragraph(_docx_text(block.text))
        elif isinstance(block, _Table):
            table(block)
        elif isinstance(block, _Image):
            document.add_picture(io.BytesIO(block.png), width=Cm(16))
            document.paragraphs[-1].paragraph_format.keep_with_next = True
            small(block.caption)
        else:  # _Note
            if block.label:
                p = document.add_paragraph()
                p.add_run(_docx_text(block.label)).bold = True
                p.paragraph_format.keep_with_next = True
                p.paragraph_format.space_after = Pt(1)
            p = document.add_paragraph()
            p.add_run(_docx_text(block.text))
            shade(p, "FFFBE6")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# --------------------------------------------------------------------------- HTML

_CSS = """
body{font-family:"DejaVu Sans",Arial,Helvetica,sans-serif;font-size:10.5pt;color:#111;margin:0 auto;max-width:190mm;
 padding:10mm;line-height:1.35}
h1{font-size:17pt;margin:0 0 3mm}h2{font-size:13.5pt;margin:6mm 0 1.5mm;color:#08306b;border-bottom:2px solid #08306b;
 break-after:avoid;page-break-after:avoid}
.label{font-weight:bold;margin:3mm 0 0.5mm;break-after:avoid;page-break-after:avoid}
p{margin:1mm 0}.small,.sub{font-size:8.5pt;color:#333}.sub{break-after:avoid;page-break-after:avoid}
.empty{font-style:italic;color:#555}
table{border-collapse:collapse;width:100%;font-size:9pt;margin:1mm 0 2mm}
th,td{border:1px solid #bbb;padding:1px 4px;text-align:left;vertical-align:top}
th{background:#e8eef5}td.r,th.r{text-align:right}thead{display:table-header-group}tr{break-inside:avoid}
table.facts{width:auto}table.facts td,table.facts th{border:none;padding:0 6mm 0 0;background:none}
.note{background:#fffbe6;border-left:3px solid #e6ab02;padding:2px 6px;white-space:pre-wrap;margin:0.5mm 0 2mm}
figure{margin:2mm 0;break-inside:avoid;page-break-inside:avoid}img{max-width:100%;height:auto}
footer{margin-top:6mm;font-size:8.5pt;color:#444;border-top:1px solid #bbb}
@page{size:A4 portrait;margin:15mm}
@media print{body{padding:0;max-width:none}}
"""


def _e(text: object) -> str:
    return html.escape(str(text))


def minutes_html(doc: MinutesDocument) -> str:
    """The minutes as one self-contained HTML page."""
    blocks = _blocks(doc)
    title = _e(f"Verslag: {doc.title}")
    parts = [
        f"<!DOCTYPE html><html lang='nl'><head><meta charset='utf-8'><title>{title}</title>"
        f"<meta name='author' content='{AUTHOR}'><style>{_CSS}</style></head><body>"
    ]
    for block in blocks[:-1]:  # the last one, the source line, is the footer
        if isinstance(block, _Text):
            if block.kind == "title":
                parts.append(f"<h1>{_e(block.text)}</h1>")
            elif block.kind == "h2":
                parts.append(f"<h2>{_e(block.text)}</h2>")
            else:
                parts.append(f"<p class='{block.kind}'>{_e(block.text)}</p>")
        elif isinstance(block, _Table):
            if block.facts:
                parts.append(
                    "<table class='facts'><tbody>"
                    + "".join(f"<tr><th scope='row'>{_e(a)}</th><td>{_e(b)}</td></tr>" for a, b in block.rows)
                    + "</tbody></table>"
                )
                continue
            cls = ["r" if num else "l" for num in block.numeric]
            head = "".join(f"<th class='{c}'>{_e(h)}</th>" for h, c in zip(block.header, cls))
            body = "".join(
                "<tr>" + "".join(f"<td class='{c}'>{_e(v)}</td>" for v, c in zip(row, cls)) + "</tr>"
                for row in block.rows
            )
            parts.append(f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table>")
        elif isinstance(block, _Image):
            data = base64.b64encode(block.png).decode("ascii")
            parts.append(
                f"<figure><img alt='{_e(block.caption)}' src='data:image/png;base64,{data}'>"
                f"<figcaption class='small'>{_e(block.caption)}</figcaption></figure>"
            )
        else:  # _Note
            if block.label:
                parts.append(f"<p class='label'>{_e(block.label)}</p>")
            parts.append(f"<div class='note'>{_e(block.text)}</div>")
    parts.append(f"<footer>{_e(blocks[-1].text)}</footer></body></html>")
    return "".join(parts)


__all__ = ["minutes_docx", "minutes_html", "minutes_pdf", "minutes_text", "share_text"]
