"""Sector profiles as PDF and HTML (zorgzaam.reports.profile) on a copy of the demo store."""

from __future__ import annotations

import io
import re
import shutil
from datetime import date

import pytest
from pypdf import PdfReader

from zorgzaam import werkgroep
from zorgzaam.bouwstenen import BOUWSTENEN
from zorgzaam.catalogue import BUILTIN
from zorgzaam.demo import TINY_SECTOR, TOWN_CODE, WZC_SECTOR
from zorgzaam.engine import compute
from zorgzaam.formatting import format_indicator
from zorgzaam.profiles import sector_profile
from zorgzaam.reports.profile import ProfileError, build_profiles, profile_html, profile_pdf
from zorgzaam.store import Store, close_all

TEAM = "Werkgroep zorgzaam Heidebeek"
SMALL_TOWN = "13095"  # Vennebroek: the demo municipality with the fewest sectors
TODAY = date(2026, 12, 2)


@pytest.fixture(scope="module")
def store(demo_db, tmp_path_factory):
    # A copy: the notes written here must not reach the other test modules' shared demo.
    path = tmp_path_factory.mktemp("profile") / "demo.duckdb"
    shutil.copy(demo_db, path)
    store = Store.open(path)
    period = store.periods()[-1]
    store.save_summary_note(
        "gemeente",
        TOWN_CODE,
        period,
        "eenzaamheid",
        "Huisbezoeken bij alleenwonende 80-plussers in Ter Heide bespreken",
    )
    store.save_summary_note("gemeente", SMALL_TOWN, period, "8.1", "Belbus Vennebroek navragen bij De Lijn")
    werkgroep.save_note(store, TEAM, BOUWSTENEN[0].code, "Buurtanalyse met de huisartsen afgestemd")
    yield store
    close_all()


@pytest.fixture(scope="module")
def one(store):
    doc = build_profiles(store, [WZC_SECTOR], team=TEAM, today=TODAY)
    return doc, profile_pdf(doc), profile_html(doc)


@pytest.fixture(scope="module")
def town(store):
    doc = build_profiles(store, municipality=SMALL_TOWN, today=TODAY)
    return doc, profile_pdf(doc), profile_html(doc)


def _pages(pdf: bytes) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(pdf)).pages]


def _flat(text: str) -> str:
    return " ".join(text.split())


def _formatted(store, indicator: str, sector: str) -> str:
    row = compute(store, [indicator], areas=[("statsec", sector)]).iloc[0]
    return format_indicator(BUILTIN.indicator(indicator), row["value"], row["status"])


def test_one_sector_pdf_pages_title_code_and_figures(store, one):
    doc, pdf, _ = one
    pages = _pages(pdf)
    assert 2 <= len(pages) <= 4  # map, 48 indicators and the rest of one sector on A4
    text = "\n".join(pages)
    section = doc.sections[0]
    assert section.code == WZC_SECTOR and section.name == "Ter Heide"
    assert "Ter Heide" in text and WZC_SECTOR in text
    for indicator in ("pct_80plus", "pct_alone_75plus", "mantelzorgratio", "pop_total"):
        assert _formatted(store, indicator, WZC_SECTOR) in text
    assert re.search(r"% 80-plussers\s+" + re.escape(_formatted(store, "pct_80plus", WZC_SECTOR)), text)
    assert "gemiddelde eerstelijnszone Heidekempen" in _flat(text)
    assert pages[1].lstrip().startswith("Indicator")  # the key-figure table goes on with its header repeated
    for k, page in enumerate(pages, start=1):
        assert f"pagina {k} / {len(pages)}" in page  # footer on every page
        assert "Bron: demo — fictief" in page


def test_profile_values_are_the_pages_values(store, one):
    """The same text as the sector profile of "Wie woont er?" for every indicator and reference."""
    doc, _, _ = one
    for sector, section in (
        (WZC_SECTOR, doc.sections[0]),
        (TINY_SECTOR, build_profiles(store, [TINY_SECTOR], with_maps=False).sections[0]),
    ):
        page, refs = sector_profile(store, sector)
        page = page.set_index("indicator")
        rows = section.figures + section.access
        assert [r.indicator for r in rows] == list(page.index)
        assert section.reference_labels == tuple(r.label for r in refs)
        for row in rows:
            assert row.value == page.at[row.indicator, "value_text"]
            assert row.references == tuple(page.at[row.indicator, f"ref_{r.level}_text"] for r in refs)


def test_hidden_values_stay_x_in_pdf_and_html(store):
    doc = build_profiles(store, [TINY_SECTOR], today=TODAY)
    rows = {r.indicator: r for r in doc.sections[0].figures}
    assert rows["pct_80plus"].value == "x" and rows["pct_80plus"].status == "verborgen"
    assert rows["pct_80plus"].count == ""  # no "0 / 0"
    assert doc.sections[0].small
    text = "\n".join(_pages(profile_pdf(doc)))
    assert re.search(r"% 80-plussers\s+x\s", text)
    assert "weinig inwoners: voorzichtig interpreteren" in _flat(text)
    assert "x = verborgen door de bron" in _flat(text)
    html = profile_html(doc)
    assert re.search(r"<td class='l'>% 80-plussers</td><td>x</td>", html)


def test_signals_and_rule_are_in_the_pdf(store, one):
    doc, pdf, html = one
    section = doc.sections[0]
    assert section.signals, "Ter Heide (woonzorgcentrum) raises signals in the demo"
    text = _flat("\n".join(_pages(pdf)))
    assert _flat(section.signals[0].text) in text
    assert section.signals[0].signal in text
    assert "minstens 1,25 ×" in text  # the rule as the Signalen tab words it
    signalled = [r for r in section.figures if r.signal]
    assert any(r.indicator == "pct_80plus" for r in signalled)
    assert section.signals[0].text in html.replace("&#x27;", "'")


def test_access_and_mismatch_sentence(store, one):
    doc, pdf, _ = one
    section = doc.sections[0]
    assert {r.indicator for r in section.access} >= {"pct_no_basket_1200m", "pct_no_bus_400m", "pct_in_kern"}
    assert section.mismatch and section.mismatch[0].startswith("In Ter Heide wonen")
    assert "1,2 km" in section.mismatch[0]
    assert section.amenities and all(n > 0 for _, n in section.amenities)
    text = _flat("\n".join(_pages(pdf)))
    assert _flat(section.mismatch[0]) in text


def test_notes_of_the_werkgroep_and_team(store, one):
    doc, pdf, html = one
    text = _flat("\n".join(_pages(pdf)))
    assert "Huisbezoeken bij alleenwonende 80-plussers in Ter Heide bespreken" in text
    assert "Buurtanalyse met de huisartsen afgestemd" in text
    assert TEAM in text
    assert "Huisbezoeken bij alleenwonende 80-plussers in Ter Heide bespreken" in html
    assert "Buurtanalyse met de huisartsen afgestemd" in html


def test_municipality_document_has_a_section_per_sector(store, town):
    doc, pdf, html = town
    codes = store.sectors_within("gemeente", [SMALL_TOWN])
    assert [s.level for s in doc.sections] == ["gemeente"] + ["statsec"] * len(codes)
    assert [s.code for s in doc.sections[1:]] == codes
    pages = _pages(pdf)
    assert len(pages) >= len(codes) + 1
    # Every sector starts on a new page: its title is the first heading on that page.
    for section in doc.sections[1:]:
        first = next(k for k, p in enumerate(pages) if section.title in _flat(p))
        assert _flat(pages[first]).split(section.title)[0].count("Sector ") == 0
    whole = doc.sections[0]
    town_figure = _formatted_area(store, "pct_80plus", "gemeente", SMALL_TOWN)
    assert next(r for r in whole.figures if r.indicator == "pct_80plus").value == town_figure
    assert town_figure in "\n".join(pages)
    questions = [n.question for n in whole.notes]
    assert any(q.startswith("2.2 ") for q in questions) and any(q.startswith("8.1 ") for q in questions)
    assert "Belbus Vennebroek navragen bij De Lijn" in _flat("\n".join(pages))
    assert html.count("<img ") == len(codes) + 1
    assert "http" not in re.sub(r"data:image/png;base64,[A-Za-z0-9+/=]+", "", html).lower()


def _formatted_area(store, indicator: str, level: str, code: str) -> str:
    row = compute(store, [indicator], areas=[(level, code)]).iloc[0]
    return format_indicator(BUILTIN.indicator(indicator), row["value"], row["status"])


def test_html_is_self_contained_with_the_same_numbers(store, one):
    doc, _, html = one
    assert html.startswith("<!DOCTYPE html>") and "<style>" in html
    # base64 may spell "http" by chance: look outside the data: URIs.
    outside = re.sub(r"data:image/png;base64,[A-Za-z0-9+/=]+", "", html)
    assert "http" not in outside.lower() and "url(" not in outside
    sources = re.findall(r"src='([^']*)'", html) + re.findall(r'src="([^"]*)"', html)
    assert sources and all(s.startswith("data:image/png;base64,") for s in sources)
    assert html.count("<img ") == 1
    assert "<link" not in html and "<script" not in html
    for indicator in ("pct_80plus", "pct_alone_75plus", "pop_total"):
        assert _formatted(store, indicator, WZC_SECTOR) in html


def test_pdf_embeds_dejavu_for_dutch_characters(one):
    _, pdf, _ = one
    reader = PdfReader(io.BytesIO(pdf))
    fonts = set()
    for page in reader.pages:
        for font in (page.get("/Resources", {}).get("/Font", {}) or {}).values():
            fonts.add(str(font.get_object().get("/BaseFont")))
    assert any("DejaVuSans" in f for f in fonts)
    assert "coëfficiënten" in "\n".join(_pages(pdf))


def test_errors_are_dutch(store):
    with pytest.raises(ProfileError, match="Kies minstens één"):
        build_profiles(store)
    with pytest.raises(ProfileError, match="bestaat niet"):
        build_profiles(store, ["99999A00-"])
    with pytest.raises(ProfileError, match="Gemeente"):
        build_profiles(store, municipality="99999")
    with pytest.raises(ProfileError, match="geen cijfers voor periode 1999; beschikbaar: 2020, 2025"):
        build_profiles(store, [WZC_SECTOR], period="1999")


def test_an_earlier_period_is_named_and_keeps_hidden_values_missing(store):
    doc = build_profiles(store, [TINY_SECTOR], period="2020", with_maps=False)
    assert doc.period == "2020" and "Periode 2020" in doc.subtitle
    rows = {r.indicator: r for r in doc.sections[0].figures}
    expected = compute(store, ["pct_80plus"], areas=[("statsec", TINY_SECTOR)], period="2020").iloc[0]
    assert rows["pct_80plus"].value == format_indicator(
        BUILTIN.indicator("pct_80plus"), expected["value"], expected["status"]
    )


def test_profile_says_no_data_where_the_signal_indicators_are_absent_and_no_signal_where_present(tmp_path):
    from tests.helpers import signal_store

    def text(kind: str) -> str:
        doc = build_profiles(signal_store(tmp_path / f"{kind}.duckdb", kind), municipality="11111", with_maps=False)
        page = profile_html(doc).replace("&#x27;", "'")
        close_all()
        return page

    absent = text("absent")
    # each sector, each signal: no data, with what to import; never "nothing stands out"
    assert (
        absent.count(
            "<b>Kansen</b>: geen gegevens: importeer leeftijd en herkomst per sector "
            "(bv. uit Provincies in Cijfers)</li>"
        )
        == 3
    )  # the municipality and its 2 sectors
    assert "Geen enkele indicator valt op" not in absent and "geen signaal" not in absent.lower()
    assert "Geen sectoren vallen op" not in absent
    assert "Geen gegevens: importeer leeftijd en herkomst per sector (bv. uit Provincies in Cijfers)." in absent  # 2.4
    flat = text("flat")
    assert flat.count("<b>Eenzaamheid</b>: geen signaal</li>") == 2  # both sectors
    assert "<b>Eenzaamheid</b>: geen signaal volgens de regel</li>" in flat  # the municipality
    assert "</b>: geen gegevens" not in flat  # no signal line says so (the Wie vs wat has no access: it may)
    assert "Geen gegevens: er is nog geen bereikbaarheid per woonplaats berekend (pagina Gegevens)." in flat
