"""Meenemen (AppTest): the documents a werkgroep takes home are made on request and hold the engine's numbers."""

from __future__ import annotations

import io

import openpyxl
import pandas as pd
from streamlit.testing.v1 import AppTest

from tests.conftest import REPO_ROOT
from tests.pages.conftest import open_app_page
from zorgzaam.demo import DEMO_ELZ_CODE, TOWN_CODE
from zorgzaam.engine import compute
from zorgzaam.formatting import format_number
from zorgzaam.store import Store

PAGE = "pages/wie_woont_er.py"


def _made(at, document: str) -> bytes:
    return at.session_state[at.session_state[f"meenemen_laatst_{document}"]]


def test_the_summary_table_is_made_on_request_with_the_engine_values(app, demo_db):
    at = open_app_page(app, PAGE)
    assert "meenemen_laatst_samenvatting_xlsx" not in at.session_state  # nothing built on a plain visit
    at.button(key="maak_samenvatting_xlsx").click().run()
    assert not at.exception and not at.error
    book = openpyxl.load_workbook(io.BytesIO(_made(at, "samenvatting_xlsx")), data_only=True)
    assert {"Samenvatting", "Cijfers", "Indicatoren"} <= set(book.sheetnames)
    sheet = book["Cijfers"]
    header = [c.value for c in next(sheet.iter_rows(min_row=1, max_row=1))]
    rows = pd.DataFrame(list(sheet.iter_rows(min_row=2, values_only=True)), columns=header)
    store = Store.open(demo_db)
    sectors = store.sectors_within("gemeente", [TOWN_CODE])
    assert set(rows[header[0]].dropna()) <= set(sectors) | {TOWN_CODE}
    expected = compute(store, ["pct_80plus"], level="statsec", within=("gemeente", TOWN_CODE))
    ok = expected[expected["status"] == "ok"].iloc[0]
    # Find the row of that sector and indicator, whatever the exact column names.
    code_col, value_col = header[0], next(h for h in header if h and h.lower().startswith("waarde"))
    mine = rows[
        (rows[code_col] == ok["area_code"]) & rows.apply(lambda r: "80-plussers" in " ".join(map(str, r)), axis=1)
    ]
    assert len(mine) >= 1 and abs(float(mine.iloc[0][value_col]) - ok["value"]) < 1e-6


def test_a_profile_of_the_chosen_sector_is_offered_beside_the_table(app):
    sector = f"{TOWN_CODE}A05-"
    at = open_app_page(app, PAGE, sector=sector)
    labels = [b.label for b in at.button if b.key and b.key.startswith("maak_")]
    assert any(label.startswith("Samenvattende tabel (XLSX)") for label in labels)
    assert any("Profiel sector" in label and "(PDF)" in label for label in labels)


def test_the_map_is_made_as_an_a3_png_with_the_pages_colours(app):
    import io

    from PIL import Image

    at = open_app_page(app, PAGE, indicator="pct_80plus")
    at.button(key="maak_kaart_png").click().run()
    assert not at.exception and not at.error
    image = Image.open(io.BytesIO(_made(at, "kaart_png")))
    assert image.size[0] >= 2480 and image.size[1] >= 1754  # A3 landscape at 150 dpi
    size = format_number(len(_made(at, "kaart_png")) / 1024)
    assert f"Kaart (PNG, A3) downloaden ({size} kB)" in [d.label for d in at.download_button]
    assert len(image.convert("RGB").getcolors(maxcolors=1 << 24)) > 50  # not blank


def test_wie_vs_wat_and_wat_is_er_maps_are_made_as_print_pngs(app):
    import io

    from PIL import Image

    at = open_app_page(app, "pages/wie_vs_wat.py")
    at.button(key="maak_kaart_wievswat_png").click().run()
    assert not at.exception and not at.error
    image = Image.open(io.BytesIO(_made(at, "kaart_wievswat_png")))
    assert image.size[0] >= 2480 and len(image.convert("RGB").getcolors(maxcolors=1 << 24)) > 50
    at = open_app_page(at, "pages/wat_is_er.py")
    at.button(key="maak_kaart_watiser_png").click().run()
    assert not at.exception and not at.error
    image = Image.open(io.BytesIO(_made(at, "kaart_watiser_png")))
    assert image.size[0] >= 2480 and len(image.convert("RGB").getcolors(maxcolors=1 << 24)) > 20


def test_start_and_bouwstenen_maps_are_made_as_print_pngs(app, demo_db):
    import io
    from datetime import date

    from PIL import Image

    from zorgzaam import bouwstenen, werkgroep

    at = open_app_page(app, "pages/start.py")
    at.button(key="maak_kaart_overzicht_png").click().run()
    assert not at.exception and not at.error
    image = Image.open(io.BytesIO(_made(at, "kaart_overzicht_png")))
    assert image.size[0] >= 2480 and len(image.convert("RGB").getcolors(maxcolors=1 << 24)) > 20

    team = "Werkgroep kaart"
    store = Store.open(demo_db)
    werkgroep.save_scores(store, team, date.today(), {"detectie": 3})
    sector = store.sectors_within("gemeente", [TOWN_CODE])[0]
    werkgroep.save_action(
        store, team, bouwstenen.validate_action("Buurtwandeling", ["detectie"], "lopend", place=sector)
    )
    at = AppTest.from_file(str(REPO_ROOT / "app.py"), default_timeout=90)  # a new session: the team from the URL
    at.query_params["elz"] = DEMO_ELZ_CODE
    at.query_params["gemeente"] = TOWN_CODE
    at = open_app_page(at, "pages/bouwstenen.py", team=team)
    at.button(key="maak_kaart_acties_png").click().run()
    assert not at.exception and not at.error
    image = Image.open(io.BytesIO(_made(at, "kaart_acties_png")))
    assert image.size[0] >= 2480 and len(image.convert("RGB").getcolors(maxcolors=1 << 24)) > 20
