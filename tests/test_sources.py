"""zorgzaam.sources: a dataset by its own name and file, periods without "nan"."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from zorgzaam.sources import OWN_FILE, dataset_label, file_label, format_periods, is_own_file


@pytest.mark.parametrize(
    "dataset_id, source, file_name, expected",
    [
        # A table in PinC's upload layout is recorded with the layout as source: it is named by its file.
        (
            "cijfers-upload-elektriciteit-verbruik",
            "Provincies in Cijfers",
            "upload_elektriciteit_verbruik.xlsx [upload_elektriciteit_verbruik]",
            "eigen bestand upload_elektriciteit_verbruik.xlsx",
        ),
        ("cijfers-bevolking", "Provincies in Cijfers / Swing", "bevolking.csv", "eigen bestand bevolking.csv"),
        # Swing's JSON export does come from Provincies in Cijfers; so does its area table.
        (
            "cijfers-selectie",
            "Provincies in Cijfers",
            "selectiontableasjson.json",
            "Provincies in Cijfers (selectiontableasjson.json)",
        ),
        (
            "gebiedsindeling-statsec-2024",
            "Provincies in Cijfers",
            "statsec2024_als_basis.xlsx [Sheet1]",
            "Provincies in Cijfers (statsec2024_als_basis.xlsx)",
        ),
        (
            "cijfers-opendata-sectoren-2025",
            "Statbel",
            "OPENDATA_SECTOREN_2025.txt",
            "Statbel (OPENDATA_SECTOREN_2025.txt)",
        ),
        ("statsec-geometrie-2024", "eigen bestand", "sectors.geojson", "eigen bestand sectors.geojson"),
        ("demo", "demo — fictief", None, "demo — fictief"),
        ("x", float("nan"), float("nan"), OWN_FILE),
    ],
)
def test_dataset_label(dataset_id, source, file_name, expected):
    assert dataset_label(dataset_id, source, file_name) == expected
    assert "nan" not in expected


def test_own_file_rule():
    assert is_own_file("cijfers-a", "Provincies in Cijfers", "a.xlsx")
    assert not is_own_file("gebiedsindeling-elz", "Provincies in Cijfers", "elz.xlsx")
    assert not is_own_file("voorzieningen-x", "OpenStreetMap", "x.json")


def test_periods_never_nan():
    assert format_periods(["2021", "2019", "2020", "2019"]) == "2019–2021"
    assert format_periods(["2013", "2016"]) == "2013, 2016"
    assert format_periods(["2024", "2025"]) == "2024, 2025"
    assert format_periods([None, math.nan, pd.NA, "nan", ""]) == ""
    assert file_label(math.nan) is None
    assert file_label("a.xlsx [Blad1], b.xlsx [Blad1]") == "a.xlsx, b.xlsx"
