"""On the demo zone: the care-zone value is exactly the ratio of sums over its sectors."""

from __future__ import annotations

import json
import math

import pytest

from zorgzaam.catalogue import BUILTIN, REQUIRED_CODES
from zorgzaam.cli import main
from zorgzaam.demo import DEMO_ELZ_CODE, TINY_SECTOR, build_demo
from zorgzaam.store import close_all


@pytest.fixture(scope="module")
def truth():
    return build_demo().truth


def query(capsys, db, *args):
    code = main(["--db", str(db), "query", *args, "--format", "json"])
    out, err = capsys.readouterr()
    close_all()
    assert code == 0, err
    return json.loads(out)


@pytest.mark.parametrize("code", REQUIRED_CODES)
def test_care_zone_equals_the_ratio_of_sums_over_its_sectors(demo_db, capsys, truth, code):
    ind = BUILTIN.indicator(code)
    (zone,) = query(capsys, demo_db, "--indicator", code, "--area", DEMO_ELZ_CODE)
    latest = truth[truth["period"] == zone["period"]]
    parts = {}
    for var in set(ind.numerator + ind.denominator):
        base = BUILTIN.base_counts[var]
        names = base.sum_of or (var,)
        parts[var] = latest[latest["variable"].isin(names)]["value"].sum()
    numerator = sum(parts[v] for v in ind.numerator)
    assert zone["status"] == "ok"
    assert zone["numerator"] == pytest.approx(numerator)
    if ind.is_count:
        assert zone["value"] == pytest.approx(numerator)
    else:
        denominator = sum(parts[v] for v in ind.denominator)
        assert zone["denominator"] == pytest.approx(denominator)
        assert zone["value"] == pytest.approx(numerator / denominator * ind.multiplier)


def test_the_tiny_sector_is_hidden_not_zero(demo_db, capsys):
    rows = query(capsys, demo_db, "--indicator", "pct_80plus", "--level", "statsec", "--within", DEMO_ELZ_CODE)
    tiny = next(r for r in rows if r["area_code"] == TINY_SECTOR)
    assert tiny["status"] == "verborgen" and tiny["value"] is None and tiny["numerator"] is None
    visible = [r for r in rows if r["status"] == "ok"]
    assert len(visible) == len(rows) - 1
    assert all(not math.isnan(r["value"]) for r in visible)


def test_both_periods_answer(demo_db, capsys):
    (old,) = query(capsys, demo_db, "--indicator", "pop_total", "--area", DEMO_ELZ_CODE, "--period", "2020")
    (new,) = query(capsys, demo_db, "--indicator", "pop_total", "--area", DEMO_ELZ_CODE)
    assert old["period"] == "2020" and new["period"] == "2025"
    assert old["value"] != new["value"]
