"""The bouwstenen scores and a poll round as PNG (zorgzaam.reports.bouwstenen_image): the files open
with PIL, are large enough for print, are not blank and show the page chart's colours."""

from __future__ import annotations

import io
from datetime import date, timedelta

import pytest
from PIL import Image

from zorgzaam import polls, werkgroep
from zorgzaam.bouwstenen_charts import ACTIVE_COLOUR, LIGHT_COLOUR, MIDDLE_COLOUR
from zorgzaam.reports.bouwstenen_image import ImageError, bouwstenen_png, poll_round_png
from zorgzaam.store import Store, close_all

TEAM = "Werkgroep zorgzaam Heidebeek"
TODAY = date.today()
EARLIER = TODAY - timedelta(days=45)


@pytest.fixture
def store(tmp_path):
    s = Store.open(tmp_path / "image.duckdb")
    werkgroep.save_scores(s, TEAM, EARLIER, {"detectie": 2, "inclusie": 3, "communicatie": 4})
    werkgroep.save_scores(
        s, TEAM, TODAY, {"detectie": 1, "inclusie": 4, "communicatie": 5, "toeleiding": 3, "buurt_analyse_plan": 2}
    )
    yield s
    close_all()


def _rgb(hex_colour: str) -> tuple[int, int, int]:
    return tuple(int(hex_colour[i : i + 2], 16) for i in (1, 3, 5))


def _colours(png: bytes) -> tuple[Image.Image, set]:
    image = Image.open(io.BytesIO(png))
    image.load()
    rgb = image.convert("RGB")
    return image, {c for _, c in rgb.getcolors(maxcolors=1_000_000)}


def test_scores_png_opens_is_print_sized_and_shows_the_chart_colours(store):
    png = bouwstenen_png(store, TEAM)
    assert png.startswith(b"\x89PNG")
    image, colours = _colours(png)
    assert image.format == "PNG"
    assert image.width >= 1500 and image.height >= 1000  # 10 × 7 inch at 150 dpi
    assert len(colours) > 20  # not blank: text, bars, grid
    for colour in (LIGHT_COLOUR, ACTIVE_COLOUR, MIDDLE_COLOUR):  # light, actie, overleggen bars
        assert _rgb(colour) in colours
    assert (0, 0, 0) in colours  # last time's diamonds


def test_dpi_scales_the_image(store):
    small, _ = _colours(bouwstenen_png(store, TEAM, dpi=100))
    large, _ = _colours(bouwstenen_png(store, TEAM, dpi=300))
    assert large.width == pytest.approx(3 * small.width, abs=3)


def test_a_frame_of_scores_gives_the_same_picture_as_the_store(store):
    from_store = bouwstenen_png(store, TEAM, date=TODAY)
    from_frame = bouwstenen_png(store.team_scores(TEAM), TEAM, date=TODAY)
    from_list = bouwstenen_png(werkgroep.assessments(store, TEAM), TEAM, date=TODAY)
    assert _colours(from_store)[1] == _colours(from_frame)[1] == _colours(from_list)[1]


def test_an_earlier_date_and_no_previous_marker(store):
    # The first assessment has no earlier one: no diamonds, and previous=False hides them for the latest.
    first = bouwstenen_png(store, TEAM, date=EARLIER)
    latest_without = bouwstenen_png(store, TEAM, previous=False)
    for png in (first, latest_without):
        image, colours = _colours(png)
        assert image.width >= 1500
        assert _rgb(LIGHT_COLOUR) in colours


def test_nothing_to_draw_is_said_in_dutch(store):
    with pytest.raises(ImageError, match="nog geen zelfevaluatie"):
        bouwstenen_png(store, "Een ander team")
    with pytest.raises(ImageError, match="Er is geen zelfevaluatie van"):
        bouwstenen_png(store, TEAM, date=TODAY - timedelta(days=3))
    with pytest.raises(werkgroep.WerkgroepError):
        bouwstenen_png(store, "")


def test_poll_round_png(store):
    session, token = polls.create_session(
        store, "Bouwstenen oktober", polls.bouwstenen_questions()[:3] + [{"kind": "word", "text": "Eén woord"}]
    )
    for pid, values in (("a", (1, 4, 5)), ("b", (3, 4, 5)), ("c", (5, 4, 2))):
        for qid, value in enumerate(values, start=1):
            polls.answer(store, session.join_code, pid, qid, value)
    png = poll_round_png(polls.results(store, session.session_id, token))
    image, colours = _colours(png)
    assert image.width >= 1500 and image.height >= 600
    assert len(colours) > 20
    assert _rgb(LIGHT_COLOUR) in colours and _rgb(ACTIVE_COLOUR) in colours  # scores 1 and 5


def test_poll_without_scale_questions_is_refused(store):
    session, token = polls.create_session(store, "Woorden", [{"kind": "word", "text": "Eén woord"}])
    with pytest.raises(ImageError, match="geen vragen met een score"):
        poll_round_png(polls.results(store, session.session_id, token))


def test_the_poll_round_a_team_took_over_can_be_drawn(store):
    from zorgzaam.reports.summary_table import team_poll_rounds

    session, token = polls.create_session(store, "Bouwstenen", polls.bouwstenen_questions())
    for pid, value in (("a", 2), ("b", 4)):
        polls.answer(store, session.join_code, pid, 1, value)
    scores = werkgroep.scores_from_poll(polls.results(store, session.session_id, token))
    werkgroep.save_scores(
        store, TEAM, TODAY, scores, source="peiling", poll_session_id=session.session_id, poll_round=1
    )
    [results] = team_poll_rounds(store, TEAM)
    image, colours = _colours(poll_round_png(results))
    assert image.width >= 1500 and len(colours) > 20
    # The scores image says they came from a poll and still draws (one bouwsteen scored: 3, median of 2 and 4).
    image, colours = _colours(bouwstenen_png(store, TEAM))
    assert _rgb(MIDDLE_COLOUR) in colours
