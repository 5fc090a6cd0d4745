"""The pages' choice objects: frozen, validated where they are made, and the zone analysis they ask for."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

from zorgzaam.access import DEFAULTS, AccessSettings
from zorgzaam.analysis import AnalysisChoice
from zorgzaam.catalogue import BUILTIN
from zorgzaam.choices import View, WatChoice, WieChoice, WieVsWatChoice
from zorgzaam.signals import SignalRule
from zorgzaam.whowhat import NEEDS, NeedOption

TOWN = View("gemeente", "elz80", "Heidekempen", "13091", "Heidebeek")
ZONE = TOWN.zone()
PCT_80 = BUILTIN.indicator("pct_80plus")


def test_a_view_is_the_municipality_or_the_whole_zone_and_keeps_both():
    assert (TOWN.code, TOWN.name, TOWN.label, TOWN.municipality) == (
        "13091",
        "Heidebeek",
        "gemeente Heidebeek",
        "13091",
    )
    assert (ZONE.level, ZONE.code, ZONE.name, ZONE.label, ZONE.municipality) == (
        "elz",
        "elz80",
        "Heidekempen",
        "eerstelijnszone Heidekempen",
        None,
    )
    assert ZONE.gemeente_code == "13091"  # the headline still compares with the municipality
    assert TOWN.zone_label == ZONE.zone_label == "gemiddelde eerstelijnszone Heidekempen"


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (("provincie", "elz80", "Z", "13091", "G"), ValueError),  # not a level a page shows
        (("gemeente", "elz80", "Z", 13091, "G"), TypeError),  # codes are text
        (("gemeente", "elz80", "Z", "", "G"), ValueError),
        (("elz", None, "Z", "13091", "G"), TypeError),
    ],
)
def test_a_view_refuses_what_does_not_fit(args, error):
    with pytest.raises(error):
        View(*args)


def test_a_wie_choice_is_frozen_and_hashable():
    choice = WieChoice(TOWN, PCT_80, "2025")
    assert (choice.method, choice.small_threshold, choice.selected) == ("kwantielen", 100, None)
    with pytest.raises(dataclasses.FrozenInstanceError):
        choice.method = "gelijke_intervallen"
    assert {choice: 1}[WieChoice(TOWN, PCT_80, "2025")] == 1  # equal choices key the same cache entry


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"method": "mooi"}, ValueError),
        ({"small_threshold": -1}, ValueError),
        ({"small_threshold": 99.5}, TypeError),
        ({"small_threshold": True}, TypeError),
        ({"period": 2025}, TypeError),
        ({"selected": 1309101}, TypeError),
        ({"indicator": "pct_80plus"}, TypeError),  # the catalogue's definition, not a bare code
        ({"view": "gemeente"}, TypeError),
    ],
)
def test_a_wie_choice_refuses_what_does_not_fit(changes, error):
    with pytest.raises(error):
        WieChoice(**{"view": TOWN, "indicator": PCT_80, "period": "2025", **changes})


def test_a_wie_choice_takes_a_zero_threshold_and_a_numpy_integer():
    assert WieChoice(TOWN, PCT_80, None, small_threshold=0).small_threshold == 0  # no period: no figures yet
    threshold = WieChoice(TOWN, PCT_80, "2025", small_threshold=np.int64(250)).small_threshold
    assert threshold == 250 and type(threshold) is int


def test_selecting_a_sector_gives_a_new_validated_choice():
    choice = WieChoice(TOWN, PCT_80, "2025", method="afwijking_elz")
    chosen = choice.select("13091A05-")
    assert chosen.selected == "13091A05-" and choice.selected is None
    assert dataclasses.replace(chosen, selected=None) == choice
    assert chosen.select(None).selected is None
    with pytest.raises(TypeError):
        choice.select(42)


def test_the_analysis_choice_follows_the_view_period_rule_and_threshold():
    rule = SignalRule(kind="factor", factor=1.5)
    town = WieChoice(TOWN, PCT_80, "2024", small_threshold=250, selected="13091A05-").analysis_choice(rule)
    assert town == AnalysisChoice(elz="elz80", municipality="13091", period="2024", rule=rule, small_threshold=250)
    zone = WieChoice(ZONE, PCT_80, "2024").analysis_choice()
    assert (zone.elz, zone.municipality, zone.rule, zone.small_threshold) == ("elz80", None, SignalRule(), 100)
    # Neither the indicator on the map nor the selected sector changes the zone's analysis (one cache entry).
    other = WieChoice(TOWN, BUILTIN.indicator("pct_tenants"), "2024", small_threshold=250, method="afwijking_elz")
    assert other.analysis_choice(rule) == town


def test_a_wie_vs_wat_choice_names_its_wat_in_dutch():
    choice = WieVsWatChoice(TOWN, NEEDS["pct_80plus"], "basket", DEFAULTS, "2025")
    assert choice.lack_text.startswith("verder dan 1,2 km")
    assert choice.measure_text == f"inwoners van 80+ die {choice.lack_text} wonen"
    assert choice.small_threshold == 100 and choice.select("13091A05-").selected == "13091A05-"


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"need": NeedOption("pct_80plus", "x", "pct_80plus", "y")}, ValueError),  # not one of NEEDS
        ({"need": "pct_80plus"}, ValueError),
        ({"measure": "cat:casino"}, ValueError),
        ({"settings": AccessSettings(bus_min_per_hour=7.0)}, ValueError),  # a frequency that is not computed
        ({"settings": AccessSettings(walk_radius=0.0)}, ValueError),
        ({"settings": {"walk_radius": 800}}, TypeError),
        ({"small_threshold": -5}, ValueError),
    ],
)
def test_a_wie_vs_wat_choice_refuses_what_does_not_fit(changes, error):
    base = {"view": TOWN, "need": NEEDS["pct_80plus"], "measure": "basket", "settings": DEFAULTS, "period": "2025"}
    with pytest.raises(error):
        WieVsWatChoice(**{**base, **changes})


def test_a_wat_choice_keeps_known_layers_as_tuples_and_its_settlements_in_order():
    choice = WatChoice(TOWN, ["verspreid", "sectoren", "kernen"], 1, ["bakker", "huisarts"])
    assert choice.layer_keys == ("verspreid", "sectoren", "kernen") and choice.categories == ("bakker", "huisarts")
    assert choice.rescale is True
    assert choice.settlements == ("kern", "verspreid")
    hash(choice)
    assert WatChoice(TOWN).settlements == () and WatChoice(TOWN).select("13091A05-").selected == "13091A05-"


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"layer_keys": ("sectoren", "kroegen")}, ValueError),
        ({"layer_keys": "sectoren"}, TypeError),  # one string is not a list of keys
        ({"categories": ("bakker", 3)}, TypeError),
        ({"selected": 5}, TypeError),
    ],
)
def test_a_wat_choice_refuses_what_does_not_fit(changes, error):
    with pytest.raises(error):
        WatChoice(**{"view": TOWN, **changes})
