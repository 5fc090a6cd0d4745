"""What the analysis steps of a meeting show (zorgzaam.meeting_content), on a copy of the demo store."""

from __future__ import annotations

import io
import shutil

import numpy as np
import pytest
from PIL import Image

from zorgzaam import meeting_content as mc
from zorgzaam.comparisons import with_references
from zorgzaam.demo import DEMO_ELZ_CODE, TINY_SECTOR, TOWN_CODE, WZC_SECTOR
from zorgzaam.engine import compute
from zorgzaam.formatting import format_indicator
from zorgzaam.reports import meeting_maps
from zorgzaam.reports.summary_table import findings
from zorgzaam.store import Store, close_all

INDICATORS = ["pct_80plus", "pct_alone_75plus", "pct_single_person_hh"]
NO_FIGURES = "pct_tenants"  # its counts are removed from the copy below
OTHER_TOWN_SECTOR = "13092A03-"


@pytest.fixture(scope="module")
def store(demo_db, tmp_path_factory):
    path = tmp_path_factory.mktemp("meeting_content") / "demo.duckdb"
    shutil.copy(demo_db, path)
    store = Store.open(path)
    with store._transaction() as cur:
        cur.execute("DELETE FROM observations WHERE variable IN ('hh_tenant', 'hh_known_tenure', 'pct_tenants')")
    yield store
    close_all()


@pytest.fixture(scope="module")
def figures(store):
    return mc.sector_figures(store, TOWN_CODE, [WZC_SECTOR, TINY_SECTOR], [*INDICATORS, NO_FIGURES, "bestaat_niet"])


def _label(store, code):
    return store.catalogue().indicator(code).label


def _formatted(store, code, level, area, period):
    rows = compute(store, [code], areas=[(level, area)], period=period)
    row = rows[rows["indicator"] == code].iloc[0]
    return format_indicator(store.catalogue().indicator(code), row["value"], row["status"])


def test_usable_indicators_leave_out_those_without_figures(store):
    assert mc.usable_indicators(store, [*INDICATORS, NO_FIGURES, "bestaat_niet"]) == INDICATORS
    assert mc.usable_indicators(store, [NO_FIGURES]) == []
    assert mc.usable_indicators(store, []) == []


def test_sector_figures_rows_and_columns(store, figures):
    table = figures.table
    assert figures.indicators == tuple(INDICATORS)
    assert figures.period == max(store.periods())
    assert list(table.columns) == ["Gebied", "Aantal inwoners", *(_label(store, c) for c in INDICATORS)]
    assert _label(store, NO_FIGURES) not in set(table.columns)
    areas = list(table["Gebied"])
    # The references first (they stay in view above a long list of sectors), then the chosen sectors.
    assert areas[0] == "gemeente Heidebeek"
    assert "eerstelijnszone" in areas[1] and "Heidekempen" in areas[1]
    assert areas[2] == "Vlaanderen"
    assert areas[3] == f"Ter Heide ({WZC_SECTOR})"
    assert areas[4].startswith("Industriezone De Vaart") and areas[4].endswith(f"({TINY_SECTOR}) *")
    assert len(areas) == 5
    assert figures.small == (TINY_SECTOR,)
    assert not figures.empty


def test_sector_figures_values_are_the_engines(store, figures):
    table = figures.table.set_index("Gebied")
    period = figures.period
    refs, _ = with_references(store, ["pop_total", *INDICATORS], "gemeente", TOWN_CODE, period)
    zone_row, region_row = table.index[1], table.index[2]
    for code in ["pop_total", *INDICATORS]:
        column = table["Aantal inwoners" if code == "pop_total" else _label(store, code)]
        assert column[f"Ter Heide ({WZC_SECTOR})"] == _formatted(store, code, "statsec", WZC_SECTOR, period)
        assert column["gemeente Heidebeek"] == _formatted(store, code, "gemeente", TOWN_CODE, period)
        for row, level, area in ((zone_row, "elz", DEMO_ELZ_CODE), (region_row, "gewest", None)):
            hit = refs[(refs["indicator"] == code) & (refs["area_level"] == level)]
            assert len(hit) == 1 and (area is None or hit["area_code"].iloc[0] == area)
            ind = store.catalogue().indicator(code)
            assert column[row] == format_indicator(ind, hit["value"].iloc[0], hit["status"].iloc[0])
    # the sector figures differ from the municipality's (not a copied row)
    pct80 = table[_label(store, "pct_80plus")]
    assert pct80[f"Ter Heide ({WZC_SECTOR})"] != pct80["gemeente Heidebeek"]


def test_sector_figures_tiny_sector_is_hidden_never_zero(store, figures):
    tiny = figures.table.iloc[4, 1:]
    assert list(tiny[1:]) == ["x"] * len(INDICATORS)
    assert "0" not in set(tiny) and not any(v.startswith("0") for v in tiny)
    assert tiny.iloc[0] == _formatted(store, "pop_total", "statsec", TINY_SECTOR, figures.period)


def test_sector_figures_without_a_choice_shows_the_whole_municipality(store):
    whole = mc.sector_figures(store, TOWN_CODE, [], ["pct_80plus"])
    expected = mc.shown_sectors(store, TOWN_CODE, [])
    assert expected == sorted(store.sectors_within("gemeente", [TOWN_CODE])) and len(expected) > 5
    sector_rows = list(whole.table["Gebied"][3:])
    assert len(sector_rows) == len(expected)
    assert all(f"({code})" in row for code, row in zip(expected, sector_rows))
    assert TINY_SECTOR in whole.small


def test_shown_sectors_and_empty_cases(store):
    assert mc.shown_sectors(store, TOWN_CODE, [WZC_SECTOR, OTHER_TOWN_SECTOR, "bestaat-niet"]) == [WZC_SECTOR]
    assert mc.shown_sectors(store, None, [WZC_SECTOR]) == []
    assert mc.sector_figures(store, TOWN_CODE, [WZC_SECTOR], [NO_FIGURES]).empty
    assert mc.sector_figures(store, None, [WZC_SECTOR], INDICATORS).empty
    assert mc.sector_figures(store, TOWN_CODE, [OTHER_TOWN_SECTOR], INDICATORS).empty


def test_indicator_map_is_a_sensible_png(store):
    png = meeting_maps.indicator_map(store, TOWN_CODE, [WZC_SECTOR], "pct_80plus", max(store.periods()), source="demo")
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert 20_000 < len(png) < 5_000_000
    width, height = Image.open(io.BytesIO(png)).size
    assert 600 <= width <= 3000 and 600 <= height <= 4000


def test_amenities_map_and_table(store):
    png, counts = meeting_maps.amenities_map(store, TOWN_CODE, [WZC_SECTOR, TINY_SECTOR], source="demo")
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 20_000
    assert list(counts.index) == [WZC_SECTOR, TINY_SECTOR]
    assert counts.to_numpy().sum() > 0
    names = dict(mc.municipality_sectors(store, TOWN_CODE)[["code", "name"]].to_numpy())
    table = mc.amenity_table(counts, names)
    assert list(table.columns) == ["Voorziening", f"Ter Heide ({WZC_SECTOR})", f"{names[TINY_SECTOR]} ({TINY_SECTOR})"]
    assert list(table["Voorziening"]) == list(counts.columns)
    for i, category in enumerate(counts.columns):
        assert table.iloc[i, 1] == str(int(counts.loc[WZC_SECTOR, category]))
        assert table.iloc[i, 2] == str(int(counts.loc[TINY_SECTOR, category]))
    assert mc.amenity_table(counts.iloc[0:0, 0:0], names).empty


def test_findings_rows_only_the_chosen_sectors(store):
    rows = findings(store, TOWN_CODE, [WZC_SECTOR, TINY_SECTOR])
    assert list(rows.columns) == ["Sector", "Signalen", "Wat is er", "Wie vs wat"]
    assert list(rows["Sector"]) == [f"Ter Heide ({WZC_SECTOR})", f"Industriezone De Vaart ({TINY_SECTOR}) *"]
    everything = findings(store, TOWN_CODE, [])
    assert len(everything) == len(mc.shown_sectors(store, TOWN_CODE, []))
    # Every sector says something: the attention sentence, that it does not stand out, or (hidden "x") that it
    # cannot be told: a hidden value never reads as "does not stand out".
    tiny = everything["Sector"].str.contains(TINY_SECTOR, regex=False)
    assert list(everything.loc[tiny, "Wie vs wat"]) == [
        "Niet te bepalen: % 80-plussers is verborgen door de bron (te klein)."
    ]
    sentences = [t for t in everything.loc[~tiny, "Wie vs wat"] if t != mc.NOT_IN_ATTENTION]
    assert sentences and all(t.startswith("In ") for t in sentences)
    assert mc.NOT_IN_ATTENTION in set(everything["Wie vs wat"])


def test_mismatch_map_is_a_png_of_the_municipality_and_none_without_access(store, tmp_path):
    png = meeting_maps.mismatch_map(store, TOWN_CODE, [WZC_SECTOR], source="demo")
    assert png[:4] == b"\x89PNG"
    image = Image.open(io.BytesIO(png))
    colours = np.unique(np.asarray(image.convert("RGB")).reshape(-1, 3), axis=0)
    assert image.size[0] > 1000 and len(colours) > 20  # coloured, not blank
    empty = Store.open(tmp_path / "leeg.duckdb")
    assert meeting_maps.mismatch_map(empty, TOWN_CODE, [], source="-") is None


def test_summary_prefills_name_the_chosen_sectors_like_the_analysis_pages(store):
    from zorgzaam.signals import SignalRule, evaluate, signal_indicators, summarise
    from zorgzaam.summary import QUESTIONS, signal_standouts, standouts_text

    chosen = [WZC_SECTOR]
    prefills = mc.summary_prefills(store, TOWN_CODE, chosen)
    assert {"2.1", "2.2", "2.3", "2.4", "8.1"} <= set(prefills)
    # 2.2: the page's standouts for the chosen sector (default rule, against the care zone)
    codes = [i.code for i in signal_indicators()]  # the Wie woont er? page's order
    period = mc.latest_common_period(store, ["pct_80plus"])
    zone_sectors = compute(store, codes, level="statsec", within=("elz", DEMO_ELZ_CODE), period=period)
    zone = compute(store, codes, areas=[("elz", DEMO_ELZ_CODE)], period=period).set_index("indicator")
    summary = summarise(evaluate(zone_sectors, zone["value"].where(zone["status"] == "ok"), SignalRule()))
    question = next(q for q in QUESTIONS if q.number == "2.2")
    assert prefills["2.2"] == standouts_text(signal_standouts(question, summary, chosen))
    assert f"({WZC_SECTOR})" in prefills["2.2"]
    # only the chosen sector is named, never another of the municipality
    others = set(mc.shown_sectors(store, TOWN_CODE, [])) - set(chosen)
    assert not any(f"({code})" in text for code in others for text in prefills.values())
    # 8.1: this sector is not in the municipality's top third for both, and the sentence says so
    assert prefills["8.1"].startswith("Geen van de gekozen sectoren hoort in gemeente Heidebeek")
    # the whole municipality: the page's own answer, naming sectors of the top third
    whole = mc.summary_prefills(store, TOWN_CODE, [])
    assert whole["8.1"].startswith("In gemeente Heidebeek vallen") and whole["8.2"].startswith(
        "Signalen om te verkennen"
    )


def test_findings_say_no_data_where_the_indicators_are_absent(tmp_path):
    from tests.helpers import signal_store

    absent = findings(signal_store(tmp_path / "absent.duckdb", "absent", with_access=True), "11111", [])
    assert list(absent["Sector"]) == ["Sector 11111A00- (11111A00-)", "Sector 11111A01- (11111A01-)"]
    assert absent["Signalen"].str.startswith("Geen gegevens: importeer leeftijd").all()
    assert not absent["Signalen"].str.contains("Geen signaal").any()
    # the Wie vs wat has access but no "wie": no data, never "valt niet op"
    assert set(absent["Wie vs wat"]) == {
        "Geen gegevens: importeer leeftijd per sector (bv. uit Provincies in Cijfers)."
    }
    close_all()
    flat = findings(signal_store(tmp_path / "flat.duckdb", "flat"), "11111", [])
    assert set(flat["Signalen"]) == {"Geen signaal volgens de regel"}


def test_the_map_opens_on_an_indicator_with_data_for_the_towns_sectors(demo_db, tmp_path):
    """% 80-plussers has figures in the store (other towns) but none for this town's sectors: its map would be
    all grey, so the step (and the verslag) open on the next indicator."""
    path = tmp_path / "gap.duckdb"
    shutil.copy(demo_db, path)
    gap = Store.open(path)
    town = list(gap.sectors_within("gemeente", [TOWN_CODE]))
    variables = ("pop_age_80_89", "pop_age_90plus", "pop_age_80plus")
    with gap._transaction() as cur:
        cur.execute(
            f"DELETE FROM observations WHERE area_level = 'statsec' AND variable IN ({', '.join('?' * 3)}) "
            f"AND area_code IN ({', '.join('?' * len(town))})",
            [*variables, *town],
        )
    gap.forget_results()  # a raw delete bypasses the data version that keeps the results table fresh
    wanted = ["pct_80plus", "pct_alone_75plus", "pct_single_person_hh"]
    period = mc.latest_common_period(gap, wanted)
    assert mc.usable_indicators(gap, wanted) == wanted  # other towns still have 80-plussers
    assert mc.indicators_with_data(gap, TOWN_CODE, wanted, period) == ["pct_alone_75plus", "pct_single_person_hh"]
    assert mc.map_indicator(gap, TOWN_CODE, wanted, period) == "pct_alone_75plus"
    other_town = gap.parent_of("statsec", OTHER_TOWN_SECTOR, "gemeente")
    assert other_town and mc.indicators_with_data(gap, other_town, wanted, period) == wanted
    assert mc.map_indicator(gap, TOWN_CODE, ["pct_80plus"], period) == "pct_80plus"  # nothing better: the first
    assert mc.map_indicator(gap, TOWN_CODE, ["bestaat_niet"], period) is None
