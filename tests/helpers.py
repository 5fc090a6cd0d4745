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
        parents += [
            ("gemeente", gemeente, "elz", "elz1"),
            ("gemeente", gemeente, "provincie", "10000"),
            ("gemeente", gemeente, "gewest", "2000"),
        ]
    parents += [
        ("elz", "elz1", "provincie", "10000"),
        ("elz", "elz1", "gewest", "2000"),
        ("provincie", "10000", "gewest", "2000"),
    ]
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
    "pop_total": 1000,
    "pop_men": 490,
    "pop_women": 510,
    "pop_age_0_9": 100,
    "pop_age_10_19": 110,
    "pop_age_20_29": 120,
    "pop_age_30_39": 130,
    "pop_age_40_49": 140,
    "pop_age_50_59": 130,
    "pop_age_60_69": 120,
    "pop_age_70_79": 80,
    "pop_age_80_89": 60,
    "pop_age_90plus": 10,
    "pop_age_20_64": 560,
    "pop_age_65plus": 210,
    "pop_age_75plus": 110,
    "pop_age_18_64": 582,
    "pop_same_address": 900,
    "hh_private": 400,
    "hh_single_person": 120,
    "hh_single_parent_minor": 20,
    "pop_alone_18_64": 58,
    "pop_alone_75plus": 44,
    "pupils_primary": 80,
    "pupils_primary_low_edu_mother": 12,
    "pupils_secondary": 70,
    "pupils_secondary_low_edu_mother": 7,
    "insured_20_64": 550,
    "insured_20_64_increased": 55,
    "insured_65plus": 200,
    "insured_65plus_replacement_income": 10,
    "insured_total": 990,
    "insured_chronic": 198,
    "insured_antidepressants": 99,
    "hh_known_tenure": 380,
    "hh_tenant": 95,
    "social_rental_dwellings": 12,
    "pop_non_belgian_birth_nat": 50,
    "pop_non_belgian_origin": 150,
    "tax_returns": 520,
    "net_taxable_income": 19_500_000,
    "hh_statbel": 410,
    "cars": 451,
}


def scaled(base: dict[str, float], factor: float) -> dict[str, float]:
    return {k: round(v * factor) for k, v in base.items()}


# Stores for the three outcomes of a signal (signal, geen signaal, geen gegevens).
STANDS_OUT = "22222A012"  # the sector with many 80-plussers in ``signal_rows("raised")``
HIDDEN = "11111A01-"  # the sector whose figures the source hid in ``signal_rows("raised")``


def signal_rows(kind: str) -> dict[tuple[str, str], dict[str, float | str]]:
    """Observations for ``make_store``:

    * ``"absent"``: only the number of inhabitants, none of the signal indicators;
    * ``"flat"``: every sector the same as ``SECTOR_1``, so each equals the care zone and nothing stands out;
    * ``"raised"``: as flat, but ``STANDS_OUT`` has 200 inhabitants of 80-89 (21 % 80-plussers against 10,5 %
      in the care zone) and ``HIDDEN`` is hidden ("x") everywhere; the care zone's totals are stored (they
      include the hidden sector, which has ``SECTOR_1``'s values).
    """
    if kind == "absent":
        return {("statsec", c): {"pop_total": 900 + 100 * k} for k, c in enumerate(SECTORS)}
    rows: dict[tuple[str, str], dict[str, float | str]] = {("statsec", c): dict(SECTOR_1) for c in SECTORS}
    if kind == "flat":
        return rows
    rows[("statsec", STANDS_OUT)] = {**SECTOR_1, "pop_age_80_89": 200}
    rows[("statsec", HIDDEN)] = {k: "x" for k in SECTOR_1}
    rows[("elz", "elz1")] = {k: v * 4 + (140 if k == "pop_age_80_89" else 0) for k, v in SECTOR_1.items()}
    return rows


def signal_store_states(path, kind: str):
    """(store, engine rows of the zone's sectors, care-zone values, evaluation, states) of the default rule over
    a ``signal_rows(kind)`` store at ``path``, computed as the Signalen tab does."""
    from zorgzaam.catalogue import BUILTIN
    from zorgzaam.engine import compute
    from zorgzaam.signals import SignalRule, evaluate, signal_indicators, signal_states
    from zorgzaam.summary import COMPOSITION_INDICATORS

    store = make_store(path, signal_rows(kind))
    signal_codes = [i.code for i in signal_indicators()]
    codes = list(dict.fromkeys([*signal_codes, *COMPOSITION_INDICATORS]))
    sectors = compute(store, codes, level="statsec", within=("elz", "elz1"))
    zone = compute(store, codes, areas=[("elz", "elz1")]).set_index("indicator")
    zone_values = zone["value"].where(zone["status"] == "ok")
    evaluation = evaluate(sectors[sectors["indicator"].isin(signal_codes)], zone_values, SignalRule())
    return store, sectors, zone_values, evaluation, signal_states(evaluation, list(SECTORS), BUILTIN, store.variables())


def signal_store(path, kind: str, with_access: bool = False) -> Store:
    """A ``signal_rows(kind)`` store; ``with_access`` adds access counts per sector (90 % of the residents
    within reach of the basic basket), so the Wie vs wat part runs without its "wie"."""
    rows = signal_rows(kind)
    if with_access:
        rows = {
            key: ({**values, "acc_pop": 1000, "acc_pop_no_basket_1200m": 100} if key[0] == "statsec" else values)
            for key, values in rows.items()
        }
    return make_store(path, rows)
