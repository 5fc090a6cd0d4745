"""What is in and around a sector: hand-made cases in Lambert metres."""

from __future__ import annotations

import math

import pandas as pd
import shapely

from zorgzaam.environment import amenities_near, amenity_counts, locate_amenities, settlement_shares

SQUARE_A = shapely.box(0, 0, 1000, 1000)
SQUARE_B = shapely.box(1000, 0, 2000, 1000)
SECTORS = pd.DataFrame({"code": ["A", "B"], "geometry": [SQUARE_A, SQUARE_B]})
AMENITIES = pd.DataFrame(
    {
        "feature_id": ["f1", "f2", "f3", "f4", "f5"],
        "category": ["bakker", "huisarts", "bakker", "apotheek", "zitbank"],
        "name": ["Bakker A", "Dokter B", "Bakker B", "Apotheek ver", "Bank"],
        "x": [500.0, 1500.0, 1900.0, 3000.0, 100.0],
        "y": [500.0, 500.0, 100.0, 500.0, 900.0],
    }
)


def test_amenities_are_located_in_their_sector_and_outside_is_none():
    where = locate_amenities(AMENITIES, SECTORS)
    assert list(where) == ["A", "B", "B", None, "A"]


def test_counts_per_sector_and_category_with_real_zeros():
    counts = amenity_counts(AMENITIES, locate_amenities(AMENITIES, SECTORS), ["A", "B", "C"])
    assert counts.loc["A", "bakker"] == 1 and counts.loc["B", "bakker"] == 1
    assert counts.loc["B", "huisarts"] == 1 and counts.loc["A", "huisarts"] == 0
    assert counts.loc["C"].sum() == 0  # a sector without amenities: zero, it is counted
    assert "apotheek" not in counts.columns  # the only pharmacy lies outside both sectors


def test_amenities_near_a_sector_with_distance_to_its_border():
    near = amenities_near(AMENITIES, SQUARE_A, radius=600)
    # Inside A: the bakker and the bench (distance 0); B's doctor is 500 m from A's border,
    # B's bakker 900 m (outside the radius), the far pharmacy 2 km.
    assert set(near["feature_id"]) == {"f1", "f5", "f2"}
    by_id = near.set_index("feature_id")
    assert by_id.loc["f1", "inside"] and by_id.loc["f1", "distance_m"] == 0
    assert not by_id.loc["f2", "inside"] and math.isclose(by_id.loc["f2", "distance_m"], 500.0)
    # Basket categories first (bakker, huisarts), the bench last.
    assert list(near["category"]) == ["bakker", "huisarts", "zitbank"]


def test_settlement_shares_are_shares_of_residents_and_missing_stays_missing():
    places = pd.DataFrame(
        {
            "statsec": ["A", "A", "A", "B"],
            "residents": [30.0, 10.0, 60.0, 5.0],
            "settlement": ["kern", "lint", "kern", "elders"],
        }
    )
    shares = settlement_shares(places, ["A", "B", "C"])
    assert shares.loc["A", "kern"] == 90 and shares.loc["A", "residents"] == 100
    assert math.isclose(shares.loc["A", "pct_kern"], 90.0)
    assert math.isclose(shares.loc["A", "pct_lint"], 10.0)
    assert shares.loc["A", "pct_verspreid"] == 0.0
    assert math.isclose(shares.loc["B", "pct_elders"], 100.0)
    assert pd.isna(shares.loc["C", "pct_kern"])  # no places: unknown, not 0 %
