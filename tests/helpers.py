"""Small hand-made stores for unit tests (numbers computed by hand in the tests)."""

from __future__ import annotations

import pandas as pd

from zorgzaam.store import Store

# A care zone "elz1" of two municipalities, each with two sectors.
SECTORS = {
    "11111A00-": "11111",
    "11111A01-": "11111",
    "22222A00-": "22222",
    "22222A012": "22222",
}


def hierarchy_frames() -> tuple[pd.DataFrame, pd.DataFrame]:
    areas = [
        ("gewest", "2000", "Vlaanderen"),
        ("provincie", "10000", "Provincie Test"),
        ("elz", "elz1", "Testzone"),
        ("gemeente", "11111", "Eenstad"),
        ("gemeente", "22222", "Tweedorp"),
    ] + [("statsec", code, f"Sector {code}") for code in SECTORS]
    area_df = pd.DataFrame(areas, columns=["level", "code", "name"])
    area_df["area_ha"] = None
    area_df["geom_lambert"] = None
    area_df["geom_display"] = None
    parents = []
    for sector, gemeente in SECTORS.items():
        parents += [
            ("statsec", sector, "gemeente", gemeente),
            ("statsec", sector, "elz", "elz1"),
            ("statsec", sector, "provincie", "10000"),
            ("statsec", sector, "gewest", "2000"),
        ]
    for gemeente in ("11111", "22222"):
        parents += [("gemeente", gemeente, "elz", "elz1"), ("gemeente", gemeente, "provincie", "10000"),
                    ("gemeente", gemeente, "gewest", "2000")]
    parents += [("elz", "elz1", "provincie", "10000"), ("elz", "elz1", "gewest", "2000"),
                ("provincie", "10000", "gewest", "2000")]
    return area_df, pd.DataFrame(parents, columns=["level", "code", "parent_level", "parent_code"])


def observations(rows: dict[tuple[str, str], dict[str, float | str | None]], period: str = "2025") -> pd.DataFrame:
    """{(level, code): {variable: value or 'x'}} -> observation frame ('x' = hidden)."""
    out = []
    for (lvl, code), values in rows.items():
        for var, value in values.items():
            if value == "x":
                out.append((lvl, code, var, period, None, "verborgen"))
            else:
                out.append((lvl, code, var, period, float(value), "ok"))
    return pd.DataFrame(out, columns=["area_level", "area_code", "variable", "period", "value", "status"])


def make_store(path, rows, period: str = "2025", extra: pd.DataFrame | None = None) -> Store:
    store = Store.open(path)
    areas, parents = hierarchy_frames()
    obs = observations(rows, period)
    if extra is not None:
        obs = pd.concat([obs, extra], ignore_index=True)
    store.replace_dataset("test", title="Test", source="test", areas=areas, area_parents=parents, observations=obs)
    return store


# Sector 1: hand-checkable age structure (bands sum to 1000).
SECTOR_1 = {
    "pop_total": 1000, "pop_men": 490, "pop_women": 510,
    "pop_age_0_9": 100, "pop_age_10_19": 110, "pop_age_20_29": 120, "pop_age_30_39": 130,
    "pop_age_40_49": 140, "pop_age_50_59": 130, "pop_age_60_69": 120, "pop_age_70_79": 80,
    "pop_age_80_89": 60, "pop_age_90plus": 10,
    "pop_age_20_64": 560, "pop_age_65plus": 210, "pop_age_75plus": 110, "pop_age_18_64": 582,
    "pop_same_address": 900,
    "hh_private": 400, "hh_single_person": 120, "hh_single_parent_minor": 20,
    "pop_alone_18_64": 58, "pop_alone_75plus": 44,
    "pupils_primary": 80, "pupils_primary_low_edu_mother": 12,
    "pupils_secondary": 70, "pupils_secondary_low_edu_mother": 7,
    "insured_20_64": 550, "insured_20_64_increased": 55,
    "insured_65plus": 200, "insured_65plus_replacement_income": 10,
    "insured_total": 990, "insured_chronic": 198, "insured_antidepressants": 99,
    "hh_known_tenure": 380, "hh_tenant": 95, "social_rental_dwellings": 12,
    "pop_non_belgian_birth_nat": 50, "pop_non_belgian_origin": 150,
    "tax_returns": 520, "net_taxable_income": 19_500_000, "hh_statbel": 410, "cars": 451,
}


def scaled(base: dict[str, float], factor: float) -> dict[str, float]:
    return {k: round(v * factor) for k, v in base.items()}
