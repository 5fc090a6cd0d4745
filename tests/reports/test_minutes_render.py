"""The minutes of a werkgroep meeting as PDF, DOCX and HTML (zorgzaam.reports.minutes_render)."""

from __future__ import annotations

import html
import io
import re
from dataclasses import replace
from datetime import date

import docx
import pandas as pd
import pytest
from PIL import Image
from pypdf import PdfReader

from zorgzaam.reports.minutes import MinutesDocument, MinutesNote, MinutesStep, PollQuestionResult
from zorgzaam.reports.minutes_render import minutes_docx, minutes_html, minutes_pdf, minutes_text, share_text

TITLE = "Tweede bijeenkomst Heidebeek"
SOURCE = "Bron: demo — fictief · periode 2024 · zorgzaam"
NOTE_TEXT = "Buurtwerkers kennen de alleenwonenden\nvan de Kerkstraat goed"
SCRIPT = "<script>alert(1)</script>"
AGREEMENTS = "Huisartsen uitnodigen voor de volgende bijeenkomst\nDe buurtanalyse afwerken tegen januari"
SCALE_LABELS = (
    "1 · nog niet op ingezet",
    "2 · al eens over nagedacht",
    "3 · jullie zijn er (intern of met partners) constructief over aan het overleggen",
    "4 · jullie ondernemen actie rond deze bouwsteen",
    "5 · jullie ondernemen actie en stuurden al bij",
)


def _png(width: int = 300, height: int = 200) -> bytes:
    image = Image.new("RGB", (width, height), (198, 219, 239))
    for x in range(40, 120):
        for y in range(50, 150):
            image.putpixel((x, y), (8, 48, 107))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _document() -> MinutesDocument:
    checkin = MinutesStep(
        1,
        "Check-in",
        "Elk zegt in één woord hoe het met de buurt gaat.",
        10,
        12.4,
        participants=6,
        polls=(
            PollQuestionResult(
                "Eén woord voor jouw buurt?", "word", 6, (("verbonden", 4), ("stil", 1), ("vergrijzend", 1))
            ),
        ),
        notes=(MinutesNote("Notities", NOTE_TEXT),),
    )
    definitie = MinutesStep(
        2,
        "Definitie: wat is een zorgzame buurt?",
        "Kernwoorden verzamelen en ordenen per domein.",
        20,
        18.0,
        participants=6,
        polls=(
            PollQuestionResult(
                "Wat hoort bij een zorgzame buurt?", "word", 9, (("burenhulp", 4), ("ontmoeting", 3), ("mantelzorg", 2))
            ),
        ),
        clusters=(
            ("Sociale netwerken", "burenhulp, buren", 5),
            ("Publieke ruimte", "ontmoeting, bankjes", 3),
            ("", "mantelzorg", 2),
        ),
        notes=(MinutesNote("Notities", SCRIPT),),
    )
    figures = pd.DataFrame(
        {
            "Sector": [
                "Ter Heide (13091A03-)",
                "Dorp-Centrum (13091A00-) met een erg lange naam die moet afbreken",
                "Vennebos (13091B12-)",
            ],
            "Inwoners": ["1.234", "3.456", "87"],
            "% 75-plussers": ["12,5 %", "9,8 %", "x"],
            "% alleenwonend 75-plussers": ["48,2 %", "38,6 %", "-"],
        }
    )
    who = MinutesStep(
        3,
        "Wie woont er?",
        "De cijfers van de sectoren bekijken: wie woont er in de buurt?",
        25,
        31.6,
        table_title="Kerncijfers per sector",
        table=figures,
        images=(("Kaart: de gekozen sectoren · noorden boven", _png()),),
        notes=(
            MinutesNote(
                "2.2 Zijn er cijfers die wijzen op eenzaamheid?",
                "Ter Heide valt op: veel alleenwonende 75-plussers.\nNagaan bij het OCMW.",
            ),
        ),
    )
    scale = PollQuestionResult(
        "Buurt: analyse & plan", "scale", 6, tuple(zip(SCALE_LABELS, (1, 4, 1, 0, 0))), median="2", spread="van 1 tot 3"
    )
    scale2 = PollQuestionResult(
        "Communicatie",
        "scale",
        3,
        tuple(zip(SCALE_LABELS, (0, 1, 0, 0, 2))),
        median="5",
        spread="van 2 tot 5, meningen lopen uiteen",
    )
    bouwstenen = MinutesStep(
        4, "Bouwstenen scoren", "Elk scoort de bouwstenen van 1 tot 5.", 15, 0.4, participants=6, polls=(scale, scale2)
    )
    pause = MinutesStep(5, "Pauze", "", 10, None)
    actions = pd.DataFrame(
        {
            "Actie": ["Huisartsen contacteren", "Kaart Ter Heide afdrukken"],
            "Wie": ["Sociaal huis", "Gemeente"],
            "Tegen": ["15/01/2027", "-"],
            "Nieuw": ["ja", ""],
        }
    )
    scores = pd.DataFrame(
        {
            "Bouwsteen": ["Buurt: analyse & plan", "Communicatie"],
            "02/10/2026 Eerste bijeenkomst": ["1 (n=5)", "-"],
            "02/12/2026 Tweede bijeenkomst": ["2 (n=6)", "5 (n=3)"],
        }
    )
    steps = (checkin, definitie, who, bouwstenen, pause)
    return MinutesDocument(
        title=TITLE,
        team="Werkgroep zorgzaam Heidebeek",
        meeting_date=date(2026, 12, 2),
        place="Heidebeek",
        sectors=("Ter Heide (13091A03-)", "Dorp-Centrum (13091A00-)"),
        started="14:02",
        finished="16:10",
        participants=7,
        agenda=tuple((s.number, s.title, s.planned_minutes, s.spent_minutes) for s in steps),
        steps=steps,
        actions=actions,
        agreements=AGREEMENTS,
        next_meeting=date(2027, 2, 3),
        scores=scores,
        source_line=SOURCE,
        made_on=date(2026, 12, 3),
    )


def _empty() -> MinutesDocument:
    step = MinutesStep(1, "Kennismaking", "Wie zit er rond de tafel?", 15, None)
    return MinutesDocument(
        title="Startvergadering",
        team="Werkgroep Vennebroek",
        meeting_date=date(2026, 9, 1),
        place=None,
        sectors=(),
        started=None,
        finished=None,
        participants=0,
        agenda=((1, "Kennismaking", 15, None),),
        steps=(step,),
        actions=None,
        agreements="",
        next_meeting=None,
        scores=None,
        source_line=SOURCE,
        made_on=date(2026, 9, 1),
    )


@pytest.fixture(scope="module")
def doc() -> MinutesDocument:
    return _document()


@pytest.fixture(scope="module")
def pdf_pages(doc) -> list[str]:
    return [" ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(minutes_pdf(doc))).pages]


@pytest.fixture(scope="module")
def word(doc):
    return docx.Document(io.BytesIO(minutes_docx(doc)))


@pytest.fixture(scope="module")
def page(doc) -> str:
    return minutes_html(doc)


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_number_formats():
    assert minutes_text(12.4) == "12 min"
    assert minutes_text(12.5) == "13 min"
    assert minutes_text(0.4) == "< 1 min"
    assert minutes_text(None) == "-"
    assert share_text(4, 6) == "66,7 %"
    assert share_text(3, 7) == "42,9 %"
    assert share_text(0, 0) == "-"


def test_pdf_content(doc, pdf_pages):
    text = " ".join(pdf_pages)
    assert f"Verslag: {TITLE}" in text
    assert "Werkgroep zorgzaam Heidebeek" in text and "2 december 2026" in text
    assert "14:02–16:10" in text and "7 deelnemers antwoordden op hun gsm" in text
    assert "Dit verslag is anoniem" in text
    for step in doc.steps:
        assert f"{step.number}. {step.title}" in text
    # agenda: planned and spent, rounded; under a minute; never on screen
    assert "Check-in 10 min 12 min" in text
    assert "Bouwstenen scoren 15 min < 1 min" in text and "Pauze 10 min -" in text
    # a word, its count and share; the scale distribution with its median and spread
    assert "verbonden 4 66,7 %" in text and "6 antwoorden" in text
    assert "2 · al eens over nagedacht 4 66,7 %" in text
    assert "4 · jullie ondernemen actie rond deze bouwsteen 0 0,0 %" in text
    assert "mediaan 2 · van 1 tot 3" in text and "meningen lopen uiteen" in text
    assert "burenhulp, buren 5" in text and "Aantal keer genoemd" in text
    assert "Kerncijfers per sector" in text and "48,2 %" in text and "moet afbreken" in text
    assert "Kaart: de gekozen sectoren" in text
    assert "Buurtwerkers kennen de alleenwonenden van de Kerkstraat goed" in text
    assert SCRIPT in text  # as text
    assert "Geen notities." in text  # the pause
    assert "Huisartsen contacteren" in text and "Huisartsen uitnodigen voor de volgende bijeenkomst" in text
    assert "Volgende bijeenkomst 3 februari 2027" in text
    assert "Bouwstenen per bijeenkomst" in text and "5 (n=3)" in text
    assert "gemaakt op 3 december 2026" in text


def test_pdf_pages_header_footer(pdf_pages):
    assert len(pdf_pages) >= 2
    total = len(pdf_pages)
    for k, text in enumerate(pdf_pages, start=1):
        assert f"Verslag: {TITLE}" in text and "2 december 2026" in text
        assert SOURCE in text and f"pagina {k} / {total}" in text


def test_pdf_note_keeps_line_break(doc):
    raw = PdfReader(io.BytesIO(minutes_pdf(doc))).pages[0].extract_text()
    assert "Buurtwerkers kennen de alleenwonenden\nvan de Kerkstraat goed" in raw


def test_docx_content(word):
    headings = [p.text for p in word.paragraphs if p.style.name.startswith("Heading")]
    assert headings[0] == f"Verslag: {TITLE}"
    assert word.paragraphs[0].style.name == "Heading 1"
    for title in (
        "Agenda",
        "1. Check-in",
        "3. Wie woont er?",
        "4. Bouwstenen scoren",
        "Acties",
        "Afspraken",
        "Volgende bijeenkomst",
        "Bouwstenen per bijeenkomst",
    ):
        assert title in headings
    assert all(
        word.paragraphs[i].style.name == "Heading 2"
        for i, p in enumerate(word.paragraphs)
        if p.text in ("Agenda", "Acties")
    )
    rows = [[c.text for c in row.cells] for t in word.tables for row in t.rows]
    assert ["verbonden", "4", "66,7 %"] in rows
    assert ["2 · al eens over nagedacht", "4", "66,7 %"] in rows
    assert ["1", "Check-in", "10 min", "12 min"] in rows
    assert ["Huisartsen contacteren", "Sociaal huis", "15/01/2027", "ja"] in rows
    assert any(t.style.name in ("Light Grid Accent 1", "Table Grid") for t in word.tables)
    texts = [p.text for p in word.paragraphs]
    assert NOTE_TEXT in texts and SCRIPT in texts and AGREEMENTS in texts
    assert "3 februari 2027" in texts and "Geen notities." in texts
    assert len(word.inline_shapes) == 1
    assert 15.5 < word.inline_shapes[0].width.cm < 16.5
    assert word.core_properties.author == "zorgzaam"
    assert word.core_properties.title == f"Verslag: {TITLE}"
    section = word.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    assert TITLE in section.header.paragraphs[0].text
    assert SOURCE in section.footer.paragraphs[0].text


def test_html_safe_and_self_contained(page):
    assert page.startswith("<!DOCTYPE html><html lang='nl'>")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script" not in page.lower()
    assert "data:image/png;base64," in page
    assert not re.search(r"(src|href)\s*=\s*['\"]?\s*(https?:)?//", page, re.I)
    assert "http://" not in page and "https://" not in page
    assert "@media print" in page and "@page" in page


def test_html_content(doc, page):
    text = _flat(re.sub(r"<[^>]+>", " ", page))
    assert f"Verslag: {TITLE}" in page
    assert "verbonden 4 66,7 %" in text
    assert "2 · al eens over nagedacht 4 66,7 %" in text
    assert "Sociale netwerken burenhulp, buren 5" in text
    assert "Check-in 10 min 12 min" in text
    for step in doc.steps:
        assert f"{step.number}. {step.title}" in html.unescape(text)
    assert "3 februari 2027" in text and "7 deelnemers antwoordden op hun gsm" in text
    assert "Buurtwerkers kennen de alleenwonenden\nvan de Kerkstraat goed" in page  # pre-wrap keeps it
    assert "Ter Heide (13091A03-)" in text and "5 (n=3)" in text


def test_empty_document_renders():
    empty = _empty()
    pdf = " ".join(" ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(minutes_pdf(empty))).pages)
    for text in (
        "Verslag: Startvergadering",
        "1. Kennismaking",
        "Nog geen acties.",
        "Geen afspraken genoteerd.",
        "nog niet vastgelegd",
        "Geen notities.",
        "geen deelnemers antwoordden op hun gsm",
    ):
        assert text in pdf
    assert "Bouwstenen per bijeenkomst" not in pdf and "Plaats" not in pdf
    word = docx.Document(io.BytesIO(minutes_docx(empty)))
    texts = [p.text for p in word.paragraphs]
    assert "Nog geen acties." in texts and "nog niet vastgelegd" in texts
    assert len(word.inline_shapes) == 0 and word.core_properties.author == "zorgzaam"
    page = minutes_html(empty)
    assert "Nog geen acties." in page and "nog niet vastgelegd" in page and "<img" not in page


def test_unanswered_poll_and_empty_tables():
    empty = _empty()
    step = MinutesStep(
        1,
        "Bouwstenen scoren",
        "",
        15,
        3.0,
        participants=0,
        polls=(PollQuestionResult("Communicatie", "scale", 0, tuple((x, 0) for x in SCALE_LABELS)),),
        table_title="Acties van vandaag",
        table=pd.DataFrame({"Actie": []}),
    )
    other = replace(empty, steps=(step,), actions=pd.DataFrame({"Actie": []}), scores=pd.DataFrame())
    page = minutes_html(other)
    assert "0 antwoorden" in page and "Nog geen antwoorden." in page and "Nog geen acties." in page
    pdf = " ".join((p.extract_text() or "") for p in PdfReader(io.BytesIO(minutes_pdf(other))).pages)
    assert "Nog geen antwoorden." in pdf
    assert minutes_docx(other)[:2] == b"PK"
