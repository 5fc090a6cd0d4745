"""Tests for zorgzaam.bouwstenen: the 9 bouwstenen, the scale, bands, summaries,
poll spread and actions. Only the last test reads ../shared/ (through the
``shared_dir`` fixture, which skips when it is absent and fails under CI)."""

from __future__ import annotations

import pandas as pd
import pytest

from zorgzaam import bouwstenen as bs
from zorgzaam.bouwstenen import (
    ACTION_STATUSES,
    BOUWSTENEN,
    CLUSTERS,
    NOT_SCORED_LABEL,
    PARTICIPATION_LEVELS,
    SCALE,
    ActionError,
    action_balance,
    band,
    band_question,
    by_code,
    cluster_means,
    distribution,
    light_bouwstenen,
    light_by_actions,
    reflection_prompts,
    score_table,
    spread,
    validate_action,
    validate_score,
)

EXPECTED = [  # number, code, name, cluster: package L1219-1230 and the clusters of L508-566
    (1, "buurt_analyse_plan", "Buurt: analyse & plan", "beleidsontwikkeling"),
    (2, "visie_organisatie", "Visie & organisatie", "beleidsontwikkeling"),
    (3, "communicatie", "Communicatie", "voorwaardenscheppend"),
    (4, "partnerschappen", "Partnerschappen", "voorwaardenscheppend"),
    (5, "publieke_ruimte", "Publieke ruimte", "voorwaardenscheppend"),
    (6, "detectie", "Detectie", "minder_mazen"),
    (7, "toeleiding", "Toeleiding", "minder_mazen"),
    (8, "sociale_netwerken", "Sociale netwerken", "meer_net"),
    (9, "inclusie", "Inclusie", "meer_net"),
]


# ----------------------------------------------------------------- bouwstenen and clusters


def test_nine_bouwstenen_in_source_order():
    assert [(b.number, b.code, b.name, b.cluster) for b in BOUWSTENEN] == EXPECTED


def test_four_clusters_with_source_labels():
    assert list(CLUSTERS) == ["minder_mazen", "meer_net", "beleidsontwikkeling", "voorwaardenscheppend"]
    assert CLUSTERS["minder_mazen"] == "Minder mazen"
    assert CLUSTERS["meer_net"] == "Meer net"
    assert CLUSTERS["beleidsontwikkeling"] == "Beleidsontwikkeling"
    assert CLUSTERS["voorwaardenscheppend"] == "Voorwaardenscheppende bouwstenen"
    assert {b.cluster for b in BOUWSTENEN} == set(CLUSTERS)
    assert [b.code for b in bs.in_cluster("voorwaardenscheppend")] == [
        "communicatie",
        "partnerschappen",
        "publieke_ruimte",
    ]


def test_codes_are_short_ascii_and_unique():
    codes = [b.code for b in BOUWSTENEN]
    assert len(set(codes)) == 9
    for code in codes:
        assert code.isascii() and code == code.lower() and " " not in code and len(code) <= 20


def test_definitions_and_questions_carry_source_phrases():
    assert "individuele en/of collectieve noden opsporen" in by_code("detectie").definition
    assert "draagt bij/ organiseert ontmoeting" in by_code("sociale_netwerken").definition
    assert "Welke groepen sluiten we (onbewust) uit?" in by_code("inclusie").definition
    assert "gezamenlijke taal" in by_code("visie_organisatie").definition
    assert "Heb je alle partners mee voor het vormen van je visie?" in by_code("visie_organisatie").questions
    assert "Wil je inzetten op ontmoeting?" in by_code("sociale_netwerken").questions
    assert any("9 B's" in q and "betreedbaarheid" in q for q in by_code("inclusie").questions)
    assert "Mis je nog bepaalde info of gegevens?" in by_code("buurt_analyse_plan").questions
    for b in BOUWSTENEN:
        assert b.questions, b.code
        assert all(q and q[0].isupper() for q in b.all_questions), b.code


def test_by_code_unknown_is_dutch():
    assert by_code("inclusie").number == 9
    with pytest.raises(ValueError, match="Onbekende bouwsteen 'zorg'"):
        by_code("zorg")


# ----------------------------------------------------------------- the scale


def test_scale_texts_are_the_sources():
    assert list(SCALE) == [1, 2, 3, 4, 5]
    assert SCALE[1] == "nog niet op ingezet"
    assert SCALE[2] == "al eens over nagedacht"
    assert SCALE[3] == "jullie zijn er (intern of met partners) constructief over aan het overleggen"
    assert SCALE[4] == "jullie ondernemen actie rond deze bouwsteen"
    assert SCALE[5] == "jullie ondernemen actie en stuurden al bij"
    assert NOT_SCORED_LABEL == "niet gescoord"


@pytest.mark.parametrize(
    "value, expected",
    [
        (1, 1),
        (5, 5),
        (3.0, 3),
        ("4", 4),
        (" 2 ", 2),
        (None, None),
        (0, None),
        ("0", None),
        ("", None),
        ("  ", None),
        ("Niet gescoord", None),
        (float("nan"), None),
        (pd.NA, None),
    ],
)
def test_validate_score_accepts(value, expected):
    assert validate_score(value) == expected


@pytest.mark.parametrize(
    "value, phrase",
    [
        (True, "ja/nee"),
        (False, "ja/nee"),
        (6, "buiten 1 tot 5"),
        (-1, "buiten 1 tot 5"),
        (2.5, "2,5 is geen geheel getal"),
        ("3.0", "geen getal"),
        ("vier", "geen getal"),
        ("+3", "geen getal"),
        ("³", "geen getal"),
        ([3], "geen getal"),
    ],
)
def test_validate_score_rejects_in_dutch(value, phrase):
    with pytest.raises(ValueError, match="geheel getal van 1 tot 5") as info:
        validate_score(value)
    assert phrase in str(info.value)


def test_validate_score_returns_plain_int():
    import numpy as np

    result = validate_score(np.int64(4))
    assert result == 4 and type(result) is int


# ----------------------------------------------------------------- bands


@pytest.mark.parametrize(
    "score, expected_band, question",
    [
        (1, "laag", "Hoe wil je dit doen?"),
        (2, "laag", "Hoe wil je dit doen?"),
        (3, "laag", "Hoe wil je dit doen?"),
        (4, "hoog", "Bots je hierbij op bepaalde drempels?"),
        (5, "hoog", "Bots je hierbij op bepaalde drempels?"),
    ],
)
def test_band_and_question_for_every_score(score, expected_band, question):
    assert band(score) == expected_band
    assert band_question(score) == question


def test_no_band_without_score():
    assert band(None) is None and band(0) is None
    with pytest.raises(ValueError, match="geen vervolgvraag"):
        band_question(None)
    with pytest.raises(ValueError):
        band(7)


def test_band_headings_carry_source_score_ranges():
    assert bs.BAND_HEADINGS["hoog"].startswith("Op welke bouwstenen zet je momenteel in?")
    assert "score 4 tot en met 5" in bs.BAND_HEADINGS["hoog"]
    assert bs.BAND_HEADINGS["laag"].startswith("Aan welke bouwstenen kan je nog werken?")
    assert "score 1 tot en met 3" in bs.BAND_HEADINGS["laag"]


def test_reflection_prompts_follow_the_score():
    b = by_code("detectie")
    low = reflection_prompts(b, 2)
    high = reflection_prompts("detectie", 5)
    none = reflection_prompts(b, None)
    assert low[0] == "Hoe wil je dit doen?"
    assert high[0] == "Bots je hierbij op bepaalde drempels?"
    assert none == list(b.questions)
    assert low[1:] == list(b.questions)
    assert high[1:] == list(b.questions) + list(b.action_questions)
    # evaluating running actions only fits when the group acts on the bouwsteen
    evaluate = "Welke indicatoren duiden er op dat deze actie aan het slagen is? Wanneer evalueer ik deze actie?"
    assert evaluate in high and evaluate not in low


# ----------------------------------------------------------------- summaries of a set of scores

SCORES = {
    "buurt_analyse_plan": 4,
    "visie_organisatie": 2,
    "communicatie": 1,
    "partnerschappen": None,
    "publieke_ruimte": 3,
    "detectie": 5,
    "toeleiding": "4",
    # sociale_netwerken and inclusie missing: niet gescoord
}


def test_cluster_means_skip_unscored():
    means = cluster_means(SCORES)
    assert list(means) == list(CLUSTERS)
    assert means["beleidsontwikkeling"] == pytest.approx(3.0)
    assert means["voorwaardenscheppend"] == pytest.approx(2.0)  # (1 + 3) / 2, not (1 + 0 + 3) / 3
    assert means["minder_mazen"] == pytest.approx(4.5)
    assert means["meer_net"] is None


def test_cluster_means_reject_unknown_and_bad_scores():
    with pytest.raises(ValueError, match="Onbekende bouwsteen 'zorg'"):
        cluster_means({"zorg": 3})
    with pytest.raises(ValueError, match="^Detectie: .*buiten 1 tot 5"):
        cluster_means({"detectie": 9})


def test_light_bouwstenen():
    assert light_bouwstenen(SCORES) == ["visie_organisatie", "communicatie"]
    assert light_bouwstenen(SCORES, threshold=1) == ["communicatie"]
    assert light_bouwstenen(SCORES, threshold=3) == ["visie_organisatie", "communicatie", "publieke_ruimte"]
    assert light_bouwstenen({}) == []


def test_score_table():
    table = score_table(SCORES)
    assert list(table.columns) == ["number", "code", "name", "cluster", "score", "scale_text", "band"]
    assert table["number"].tolist() == list(range(1, 10))
    assert table["name"].tolist() == [e[2] for e in EXPECTED]
    row = table.set_index("code").loc["toeleiding"]
    assert row["score"] == 4 and row["band"] == "hoog" and row["cluster"] == "Minder mazen"
    assert row["scale_text"] == "jullie ondernemen actie rond deze bouwsteen"
    unscored = table.set_index("code").loc["inclusie"]
    assert pd.isna(unscored["score"]) and unscored["scale_text"] == "niet gescoord"
    assert table.set_index("code")["band"].loc["inclusie"] is None
    assert table["band"].tolist() == ["hoog", "laag", "laag", None, "laag", "hoog", "hoog", None, None]
    assert str(table["score"].dtype) == "Int64"
    assert set(bs.SCORE_TABLE_HEADERS) == set(table.columns)


# ----------------------------------------------------------------- poll results


def test_distribution_includes_zeros_and_skips_unscored():
    assert distribution([]) == {1: 0, 2: 0, 3: 0, 4: 0, 5: 0}
    assert distribution([4, 4, None, 2, 0, "5"]) == {1: 0, 2: 1, 3: 0, 4: 2, 5: 1}
    with pytest.raises(ValueError):
        distribution([3, 8])


def test_spread_unanimous():
    s = spread([3, 3, 3, 3, None])
    assert (s.n, s.not_scored, s.median, s.minimum, s.maximum) == (4, 1, 3.0, 3, 3)
    assert s.disagreement == 0.0 and not s.is_disputed
    assert "Iedereen gaf dezelfde score." in bs.describe_spread(s)


def test_spread_split_one_five():
    s = spread([1, 1, 5, 5])
    assert s.median == 3.0 and (s.minimum, s.maximum) == (1, 5)
    assert s.disagreement == 1.0 and s.is_disputed
    assert s.far_from_median == 4
    text = bs.describe_spread(s)
    assert "Meningen lopen uiteen" in text and "4 van de 4" in text


def test_spread_threshold_and_mild_spread():
    assert not spread([2, 3, 4]).is_disputed  # everyone within one point of 3
    assert spread([2, 3, 4]).disagreement == 0.0
    one_outlier_in_five = spread([1, 4, 4, 4, 4])  # 1 of 5 = 0.2 < 0.25
    assert one_outlier_in_five.disagreement == pytest.approx(0.2) and not one_outlier_in_five.is_disputed
    one_outlier_in_four = spread([1, 4, 4, 4])  # 1 of 4 = 0.25
    assert one_outlier_in_four.is_disputed
    assert spread([2, 3]).median == 2.5 and "mediaan 2,5" in bs.describe_spread(spread([2, 3]))


def test_spread_without_answers():
    s = spread([None, 0])
    assert (s.n, s.not_scored, s.median, s.disagreement, s.is_disputed) == (0, 2, None, None, False)
    assert bs.describe_spread(s) == "Nog geen scores."
    single = spread([1])
    assert single.n == 1 and not single.is_disputed


# ----------------------------------------------------------------- actions


def test_statuses_and_participation_levels():
    assert list(ACTION_STATUSES) == ["lopend", "gepland", "gemist"]
    assert list(PARTICIPATION_LEVELS)[:5] == ["informeren", "raadplegen", "adviseren", "coproduceren", "meebeslissen"]
    assert PARTICIPATION_LEVELS["meebeslissen"][0] == "(Mee)beslissen"
    for label, explanation in PARTICIPATION_LEVELS.values():
        assert label and explanation.endswith(".")
    assert "In welke mate valt er een bouwsteen 'licht' uit met weinig acties?" in bs.STATUS_QUESTIONS["gemist"]


def test_validate_action_normalises():
    a = validate_action(
        "  Burenbabbels ",
        ["sociale_netwerken", "inclusie", "sociale_netwerken"],
        "lopend",
        partners=["OCMW", " ", "OCMW", "Buurtcomité "],
        participation="coproduceren",
        place="13004a00_",
        notes=" start in mei ",
    )
    assert a.title == "Burenbabbels"
    assert a.bouwstenen == ("sociale_netwerken", "inclusie")
    assert a.partners == ("OCMW", "Buurtcomité")
    assert a.place == "13004A00-" and a.sector == "13004A00-" and a.point is None
    assert a.notes == "start in mei"
    assert bs.place_label(a) == "sector 13004A00-"


def test_validate_action_places():
    wide = validate_action("Infoavond", "communicatie", "gepland")
    assert wide.is_municipality_wide and wide.participation is None and bs.place_label(wide) == "gemeentebreed"
    point = validate_action("Bank op het plein", ["publieke_ruimte"], "gemist", place=(4.4025, 51.2194))
    assert point.point == (4.4025, 51.2194) and bs.place_label(point) == "punt 4,4025; 51,2194"
    with pytest.raises(ActionError, match="ligt niet in België"):
        validate_action("Omgekeerd", ["detectie"], "lopend", place=(51.2194, 4.4025))
    with pytest.raises(ActionError, match="geen statistische sector"):
        validate_action("Fout", ["detectie"], "lopend", place="Berchem")


def test_validate_action_lists_every_error_in_dutch():
    with pytest.raises(ActionError) as info:
        validate_action(" ", [], "bezig", participation="stemmen", place=("a", "b"))
    errors = info.value.errors
    assert errors == [
        "Geef de actie een titel.",
        "Kies minstens één bouwsteen voor de actie.",
        "Onbekende status 'bezig'. Kies uit: lopend, gepland, gemist.",
        "Onbekend participatieniveau 'stemmen'. Kies uit: informeren, raadplegen, adviseren, coproduceren, "
        "meebeslissen, zelfbestuur.",
        "Plaats is 'gemeentebreed', een statistische sector of een punt (lengtegraad, breedtegraad).",
    ]
    assert str(info.value) == " ".join(errors)
    with pytest.raises(ActionError) as info:
        validate_action("Titel", ["zorg"], "lopend")
    assert info.value.errors == [str(bs.UnknownBouwsteen("zorg"))]  # not also "kies minstens één"


def test_action_balance_and_light_by_actions():
    actions = [
        validate_action("Buurtzorgoverleg", ["detectie", "toeleiding"], "lopend"),
        validate_action("Wegwijsbuddy's", ["toeleiding"], "lopend"),
        validate_action("Goeiemorgen-telefoon", ["toeleiding", "sociale_netwerken"], "gepland"),
        validate_action("Bank op het plein", ["publieke_ruimte"], "gemist"),
    ]
    table = action_balance(actions)
    assert list(table.columns) == ["number", "code", "name", "cluster", "lopend", "gepland", "gemist", "total"]
    assert table["code"].tolist() == [e[1] for e in EXPECTED]
    by = table.set_index("code")
    assert by.loc["toeleiding", ["lopend", "gepland", "gemist", "total"]].tolist() == [2, 1, 0, 3]
    assert by.loc["detectie", "lopend"] == 1
    assert by.loc["publieke_ruimte", ["lopend", "gemist"]].tolist() == [0, 1]
    assert by.loc["inclusie", "total"] == 0
    assert table["total"].sum() == 6  # actions on two bouwstenen count twice
    assert light_by_actions(actions) == [
        "buurt_analyse_plan",
        "visie_organisatie",
        "communicatie",
        "partnerschappen",
        "publieke_ruimte",
        "inclusie",
    ]
    assert "toeleiding" not in light_by_actions(actions, min_actions=3)
    assert "detectie" in light_by_actions(actions, min_actions=2)
    empty = action_balance([])
    assert len(empty) == 9 and empty["total"].sum() == 0


# ----------------------------------------------------------------- against the source text


def test_texts_occur_in_the_source(shared_dir):
    seeds = sorted((shared_dir / "seeds").glob("004_*.txt"))
    if not seeds:
        pytest.skip("seed 004 (ondersteuningspakket) ontbreekt in ../shared/seeds")
    text = seeds[0].read_text(encoding="utf-8")
    flat = " ".join(text.split())
    for score, meaning in SCALE.items():
        assert f"{score} = {meaning}" in flat
    for b in BOUWSTENEN:
        assert f"**{b.name}:**" in text
    for question in bs.BAND_QUESTIONS.values():
        assert question in flat
    # definitions and questions verbatim (bold marks dropped; the first letter may be capitalised)
    plain = flat.replace("**", "")
    seed_000 = sorted((shared_dir / "seeds").glob("000_*.txt"))
    if seed_000:
        plain += " " + " ".join(seed_000[0].read_text(encoding="utf-8").split())
    for b in BOUWSTENEN:
        assert b.definition[1:] in plain, b.code
        for question in b.all_questions:
            assert question[1:] in plain, (b.code, question)
    for label in SCALE.values():
        assert label in flat
