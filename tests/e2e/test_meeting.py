"""A short werkgroep meeting in Chromium, from planning to the verslag, with a server restart in the middle.

The facilitator plans a "first visievorming" meeting on Bijeenkomsten and starts it; two phones (their
own browser contexts) join with the code on the big screen. They answer the check-in, follow the
facilitator to the definition step and to the bouwstenen poll on their own, and score. The
facilitator writes notes in three steps. Then the server stops and starts again on the same
database: the presenter link reloads at the same step with its notes and its live poll, and a phone
still shows its saved answers. The facilitator moves on to the agreements, finishes, and downloads
the minutes (HTML and PDF): they hold the distribution of the answers and the notes, and no name.

The test runs its own server (the session's app_server must not restart) on a fresh demo database.
"""

from __future__ import annotations

import io
import re
from urllib.parse import quote

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
from playwright.sync_api import expect
from pypdf import PdfReader

from zorgzaam import bouwstenen
from zorgzaam.demo import DEMO_ELZ_CODE, TOWN_CODE

from .conftest import (
    REPO_ROOT,
    VIEWPORT,
    _failed_key,
    build_demo_db,
    open_app,
    start_streamlit,
    wait_for_app_idle,
    wait_for_text,
)

pytestmark = pytest.mark.e2e

PHONE = {"width": 390, "height": 844}
TEAM = "Werkgroep proef"
# Phones poll every 3 s, the presenter's live parts every 2-3 s.
FOLLOW_MS = 15_000
NOTE_CHECKIN = "Kleine dingen: boodschappen voor de buren, een babbel op straat"
NOTE_POLL = "Over detectie lopen de meningen uiteen: wie ziet wat?"
AGREEMENTS = "Het secretariaat stuurt dit verslag rond; de werkgroep nodigt de huisartsenkring uit."


@pytest.fixture
def server(tmp_path):
    db = tmp_path / "zorgzaam.duckdb"
    build_demo_db(db)
    holder = {"server": start_streamlit(REPO_ROOT / "app.py", db, log_path=tmp_path / "streamlit.log")}
    yield holder
    holder["server"].stop()


@pytest.fixture
def contexts(browser, request, tmp_path):
    made = []

    def new(viewport=VIEWPORT, **kwargs):
        context = browser.new_context(viewport=viewport, locale="nl-BE", timezone_id="Europe/Brussels", **kwargs)
        made.append(context)
        return context.new_page()

    yield new
    for i, context in enumerate(made):
        if request.node.stash.get(_failed_key, False):
            for page in context.pages:
                try:
                    page.screenshot(path=str(tmp_path / f"failure-{i}.png"), full_page=True)
                    print(f"\nschermafbeelding bij de fout: {tmp_path / f'failure-{i}.png'}")
                except Exception as exc:  # the page may be gone; the test's own error matters more
                    print(f"\ngeen schermafbeelding: {exc}")
        context.close()


def note(page, label: str, text: str) -> None:
    """Type into a note field and leave it (Streamlit saves a text area when it loses focus)."""
    area = page.get_by_label(label, exact=True)
    area.fill(text)
    area.press("Tab")
    # The rerun that saves it may not have started yet: wait for it to start (or 2 s), then to end.
    try:
        page.wait_for_function(
            "() => document.querySelector('[data-testid=\"stApp\"]')"
            "?.getAttribute('data-test-script-state') === 'running'",
            timeout=2000,
        )
    except PlaywrightTimeoutError:
        pass  # so quick that it was over before the first look
    wait_for_app_idle(page)


def step_title(page, number: int, total: int) -> None:
    wait_for_text(page, f"stap {number} van {total}", timeout=FOLLOW_MS)
    wait_for_app_idle(page)


def next_step(page, number: int, total: int) -> None:
    page.get_by_role("button", name="Volgende").click()
    step_title(page, number, total)


def question_box(phone, text: str):
    return phone.locator('[data-testid="stLayoutWrapper"]').filter(has=phone.get_by_text(text, exact=True))


def say_word(phone, question: str, word: str) -> None:
    box = question_box(phone, question)
    field = box.get_by_role("textbox")
    field.fill(word)
    field.press("Enter")
    box.get_by_text("Bewaard").wait_for(state="visible", timeout=FOLLOW_MS)


def score(phone, bouwsteen: str, value: int) -> None:
    box = question_box(phone, bouwsteen)
    box.get_by_text(f"{value} · {bouwstenen.SCALE[value]}", exact=True).click()
    box.get_by_text("Bewaard").wait_for(state="visible", timeout=FOLLOW_MS)


def test_a_short_meeting_from_check_in_to_minutes_survives_a_restart(server, contexts):
    base = server["server"].url
    facilitator = contexts()
    open_app(facilitator, f"{base}/bijeenkomsten?team={quote(TEAM)}&elz={DEMO_ELZ_CODE}&gemeente={TOWN_CODE}")
    expect(facilitator.get_by_role("radio", name="Eerste visievormingsbijeenkomst")).to_be_checked()
    facilitator.get_by_role("button", name="Bijeenkomst plannen").click()
    wait_for_text(facilitator, "Start de bijeenkomst")
    facilitator.get_by_role("button", name="Start de bijeenkomst").click()
    step_title(facilitator, 1, 5)
    assert "/bijeenkomst?" in facilitator.url and "beheer=" in facilitator.url
    presenter_url = facilitator.url
    # The presenter view is the projector's: no menu.
    assert facilitator.get_by_role("link", name="Wie woont er?").count() == 0
    code = re.search(
        r"Meedoen · ([A-Z0-9]{6})", facilitator.get_by_role("button", name=re.compile("Meedoen")).inner_text()
    )
    assert code, "de deelnamecode staat niet op de knop Meedoen"
    join = f"{base}/meedoen?code={code.group(1)}"

    phones = []
    for word in ("koffie", "Koffie "):
        phone = contexts(viewport=PHONE, is_mobile=True, has_touch=True)
        open_app(phone, join)
        # Only the check-in question, no name field (a meeting's answers are anonymous), no menu.
        expect(phone.get_by_role("textbox")).to_have_count(1)
        assert phone.get_by_role("link", name="Wie woont er?").count() == 0
        say_word(phone, "Deed je onlangs iets zorgzaam? Zeg het in één woord.", word)
        phones.append(phone)
    cloud = facilitator.locator('[data-testid="word-cloud"]')
    expect(cloud.locator("span[data-count='2']")).to_contain_text("koffie", timeout=FOLLOW_MS)
    note(facilitator, "Notities", NOTE_CHECKIN)

    next_step(facilitator, 2, 5)
    for phone, word in zip(phones, ("buren", "burenhulp")):
        wait_for_text(phone, "Eerste kernwoord", timeout=FOLLOW_MS)
        expect(phone.get_by_text("Deed je onlangs iets zorgzaam?")).to_have_count(0)  # only the current step
        say_word(phone, "Eerste kernwoord", word)
    clusters = facilitator.locator('[data-testid="keyword-clusters"]')
    expect(clusters).to_contain_text("buren", timeout=FOLLOW_MS)
    expect(clusters).to_contain_text("×2")  # "buren" and "burenhulp" grouped
    note(facilitator, "Onze definitie van een zorgzame buurt", "Een buurt waar je op elkaar kunt rekenen.")

    # A presentation clicker sends PageDown (outside a note field: a click on the title leaves the notes).
    facilitator.get_by_text("stap 2 van 5").click()
    facilitator.keyboard.press("PageDown")
    step_title(facilitator, 3, 5)
    for phone in phones:
        wait_for_text(phone, "Kijk mee op het grote scherm", timeout=FOLLOW_MS)

    next_step(facilitator, 4, 5)
    for phone, (detectie, inclusie) in zip(phones, ((2, 4), (4, 4))):
        wait_for_text(phone, "Detectie", timeout=FOLLOW_MS)
        score(phone, "Detectie", detectie)
        score(phone, "Inclusie", inclusie)
    wait_for_text(facilitator, "2 deelnemers in deze stap", timeout=FOLLOW_MS)
    note(facilitator, "Notities", NOTE_POLL)

    # The server restarts in the middle of the meeting, on the same database and port.
    old = server["server"]
    old.stop()
    server["server"] = start_streamlit(REPO_ROOT / "app.py", old.db_path, log_path=old.log_path, port=old.port)
    open_app(facilitator, presenter_url)
    step_title(facilitator, 4, 5)
    wait_for_text(facilitator, "Bouwstenen scoren")
    expect(facilitator.get_by_label("Notities", exact=True)).to_have_value(NOTE_POLL)
    wait_for_text(facilitator, "2 deelnemers in deze stap", timeout=FOLLOW_MS)
    phone = phones[0]
    phone.reload()
    wait_for_app_idle(phone)
    detectie = question_box(phone, "Detectie")
    expect(detectie.locator('input[type="radio"]').nth(1)).to_be_checked(timeout=FOLLOW_MS)

    next_step(facilitator, 5, 5)
    note(facilitator, "Afspraken", AGREEMENTS)
    facilitator.get_by_role("button", name="Afronden").click()
    wait_for_text(facilitator, "De bijeenkomst is afgerond")
    wait_for_text(facilitator, "2 deelnemers antwoordden")
    for phone in phones:
        wait_for_text(phone, "De bijeenkomst is afgelopen", timeout=FOLLOW_MS)

    documents = {}
    for label, ext in (("Verslag (HTML)", "html"), ("Verslag (PDF)", "pdf")):
        facilitator.get_by_role("button", name=f"{label} maken").click()
        button = facilitator.get_by_role("button", name=re.compile(re.escape(f"{label} downloaden")))
        button.wait_for(state="visible", timeout=60_000)
        with facilitator.expect_download() as info:
            button.click()
        documents[ext] = info.value.path().read_bytes()
    html = documents["html"].decode("utf-8")
    pdf_text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(documents["pdf"])).pages)
    pdf_flat = " ".join(pdf_text.split())
    for text in (html, pdf_flat):
        assert NOTE_CHECKIN in " ".join(text.split())
        assert NOTE_POLL in " ".join(text.split())
        assert AGREEMENTS in " ".join(text.split())
    # The check-in's words: "koffie" twice (the same word typed twice), 100 %.
    assert re.search(r"koffie\s*</td>\s*<td[^>]*>\s*2\s*</td>\s*<td[^>]*>\s*100,0 %", html), "woordverdeling"
    assert re.search(r"koffie 2 100,0 %", pdf_flat)
    # Detectie: one 2 and one 4 (each 50 %), nobody gave 1, 3 or 5.
    assert re.search(r"2 · al eens over nagedacht 1 50,0 %", pdf_flat)
    assert re.search(r"4 · [^0-9]+ 1 50,0 %", pdf_flat)
    assert re.search(r"1 · nog niet op ingezet 0 0,0 %", pdf_flat)
    # Inclusie: both gave 4.
    assert re.search(r"4 · [^0-9]+ 2 100,0 %", pdf_flat)
    assert "2 deelnemers" in pdf_flat
