"""The demo's population: a sex x 5-year-band table per sector and period, and every base count from it.

Per sector a 2020 population drawn from its role's profile, aged to 2025 with survival, births and
migration; the reference levels (province, region) from Flemish-like shapes. ``_derive`` turns a
population into all stored base counts, so the counts are mutually consistent.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from zorgzaam.catalogue import BUILTIN
from zorgzaam.demo.numeric import _integerize
from zorgzaam.demo.plan import DEMO_PERIODS, PROVINCE_CODE, REGION_CODE, _SectorSpec, _Village

# Base counts stored for sectors and municipalities: all except the derived ones.
STORED_COUNTS: tuple[str, ...] = tuple(code for code, b in BUILTIN.base_counts.items() if not b.sum_of)


N_BANDS = 20  # 0-4, 5-9, ..., 90-94, 95+
# Flanders-like age shares per 5-year band, 1 January 2020 and 2025 (%, both sexes).
_SHAPE_2020 = np.array(
    [5.4, 5.7, 5.6, 5.4, 5.6, 6.1, 6.4, 6.3, 6.3, 6.9, 7.3, 7.2, 6.4, 5.7, 5.0, 3.7, 3.2, 2.0, 0.8, 0.15]
)
_SHAPE_2025 = np.array(
    [5.0, 5.5, 5.8, 5.6, 5.5, 5.9, 6.3, 6.5, 6.4, 6.3, 6.8, 7.0, 6.8, 5.6, 5.1, 4.6, 3.3, 2.0, 0.9, 0.2]
)
# Share of men per band.
_MEN_SHARE = np.array([0.512] * 4 + [0.505] * 8 + [0.49, 0.48, 0.46, 0.44, 0.39, 0.35, 0.29, 0.22])
# Five-year survival (women; men use a 1.6 x higher mortality), by band in the first year.
_SURV_W = np.array(
    [
        0.998,
        0.999,
        0.999,
        0.998,
        0.998,
        0.998,
        0.997,
        0.996,
        0.994,
        0.990,
        0.984,
        0.975,
        0.962,
        0.945,
        0.915,
        0.86,
        0.76,
        0.58,
        0.38,
        0.25,
    ]
)
_SURV = np.vstack([1 - np.minimum(0.95, 1.6 * (1 - _SURV_W)), _SURV_W])
# Share of residents moving out within five years (scaled by the type's turnover).
_OUT_RATE = np.array(
    [
        0.10,
        0.10,
        0.10,
        0.15,
        0.30,
        0.38,
        0.30,
        0.20,
        0.13,
        0.10,
        0.08,
        0.07,
        0.07,
        0.06,
        0.06,
        0.07,
        0.10,
        0.12,
        0.12,
        0.12,
    ]
)
# Living alone (private households), by band; men 20-59 more, women 70+ more.
_ALONE = np.array(
    [0, 0, 0, 0.005, 0.06, 0.15, 0.13, 0.11, 0.11, 0.12, 0.13, 0.15, 0.17, 0.19, 0.22, 0.28, 0.37, 0.47, 0.52, 0.50]
)
_ALONE_SEX = np.vstack(
    [
        np.where(np.arange(N_BANDS) < 12, 1.2, np.where(np.arange(N_BANDS) >= 14, 0.6, 1.0)),
        np.where(np.arange(N_BANDS) < 12, 0.8, np.where(np.arange(N_BANDS) >= 14, 1.3, 1.0)),
    ]
)
# Antidepressant prescription (women; men x 0.55) and chronic-condition status, by band.
_AD_W = np.array(
    [
        0,
        0.002,
        0.008,
        0.04,
        0.07,
        0.08,
        0.09,
        0.10,
        0.12,
        0.14,
        0.16,
        0.17,
        0.17,
        0.17,
        0.18,
        0.20,
        0.23,
        0.26,
        0.28,
        0.28,
    ]
)
_AD = np.vstack([0.55 * _AD_W, _AD_W])
_CHRONIC = np.array(
    [0.03] * 4 + [0.05, 0.05, 0.07, 0.07, 0.11, 0.11, 0.17, 0.17, 0.26, 0.26, 0.38, 0.38, 0.52, 0.52, 0.60, 0.60]
)
# Residents of collective households (woonzorgcentra) per band, for the reference levels.
_COLLECTIVE = np.array([0.0] * 15 + [0.01, 0.05, 0.14, 0.30, 0.45])
# Age distribution of woonzorgcentrum residents (80+ mostly).
_WZC_AGES = np.array([0.0] * 13 + [0.01, 0.03, 0.08, 0.18, 0.33, 0.28, 0.09])

_GROUPS = {  # band ranges for the age tilts
    "kids": range(0, 3),
    "teens": range(3, 4),
    "young": range(4, 7),
    "mid": range(7, 10),
    "older": range(10, 13),
    "senior": range(13, 16),
    "old": range(16, 20),
}


@dataclass(frozen=True)
class _Profile:
    pop: tuple[int, int]  # 2020 residents (private households)
    growth: float  # 2025 / 2020
    tilt: dict  # age group -> factor on the Flemish shape
    turnover: float
    inflow: str  # young, families, mixed
    stab: float  # share at the same address as a year before
    alone: tuple[float, float]  # factors on living alone: under 65, 65+
    hh_size: float  # mean size of multi-person households
    single_parent: float  # share of multi-person households
    tenant: float
    lowedu: float
    vt: float  # increased reimbursement 20-64
    grapa: float  # replacement income 65+
    ad: float  # factor on antidepressants
    chronic: float  # factor on chronic status
    nb: float  # non-Belgian birth nationality
    origin_extra: float  # of the others: non-Belgian origin through a parent
    dens: float  # residents per inhabited hectare
    social: tuple[float, int, int]  # chance of social housing, min, max dwellings
    stab_later: float | None = None  # a different stability in the later period


def _tilt(**kw: float) -> dict:
    return {g: kw.get(g, 1.0) for g in _GROUPS}


_PROFILES: dict[str, _Profile] = {
    "centrum": _Profile(
        (1500, 2100),
        1.05,
        _tilt(kids=0.7, teens=0.8, young=1.8, older=0.85, senior=0.85),
        1.6,
        "young",
        0.82,
        (2.0, 1.3),
        2.45,
        0.13,
        0.52,
        0.22,
        0.16,
        0.07,
        1.2,
        1.0,
        0.16,
        0.13,
        45,
        (1.0, 12, 40),
    ),
    "stad": _Profile(
        (900, 1800),
        1.02,
        _tilt(senior=1.05),
        1.0,
        "mixed",
        0.89,
        (1.1, 1.05),
        2.75,
        0.08,
        0.27,
        0.13,
        0.10,
        0.04,
        1.0,
        1.0,
        0.09,
        0.07,
        30,
        (0.7, 10, 45),
    ),
    "sociale_wijk": _Profile(
        (1100, 1400),
        1.02,
        _tilt(kids=1.25, teens=1.2, young=1.2, older=0.9, old=0.9),
        1.2,
        "families",
        0.87,
        (1.4, 1.2),
        2.9,
        0.17,
        0.72,
        0.38,
        0.34,
        0.16,
        1.35,
        1.25,
        0.20,
        0.16,
        40,
        (1.0, 150, 190),
    ),
    "wzc": _Profile(
        (600, 720),
        1.02,
        _tilt(senior=1.2, old=1.3),
        1.0,
        "mixed",
        0.90,
        (1.0, 1.1),
        2.6,
        0.07,
        0.30,
        0.12,
        0.11,
        0.05,
        1.0,
        1.0,
        0.06,
        0.05,
        30,
        (0.4, 2, 10),
    ),
    "verkaveling": _Profile(
        (330, 420),
        2.4,
        _tilt(kids=1.7, teens=0.8, young=1.4, mid=1.5, older=0.6, senior=0.35, old=0.25),
        0.5,
        "families",
        0.87,
        (0.5, 0.6),
        3.4,
        0.05,
        0.10,
        0.06,
        0.05,
        0.02,
        0.9,
        0.9,
        0.08,
        0.05,
        22,
        (0.0, 0, 0),
        stab_later=0.76,
    ),
    "dorpskern": _Profile(
        (600, 950),
        1.03,
        _tilt(kids=0.95, teens=0.95, mid=0.95, senior=1.2, old=1.35),
        1.0,
        "mixed",
        0.91,
        (1.0, 1.15),
        2.65,
        0.08,
        0.28,
        0.13,
        0.10,
        0.04,
        1.0,
        1.0,
        0.07,
        0.05,
        20,
        (0.8, 15, 45),
    ),
    "dorp": _Profile(
        (600, 1100),
        1.01,
        _tilt(kids=1.05, teens=1.05, young=0.9, mid=1.05, older=1.05, senior=1.05),
        0.9,
        "families",
        0.92,
        (0.85, 0.95),
        2.85,
        0.06,
        0.18,
        0.10,
        0.08,
        0.03,
        1.0,
        1.0,
        0.055,
        0.04,
        15,
        (0.4, 6, 24),
    ),
    "lint": _Profile(
        (350, 750),
        1.0,
        _tilt(kids=0.95, young=0.85, older=1.15, senior=1.15, old=1.1),
        0.8,
        "families",
        0.935,
        (0.75, 0.9),
        2.75,
        0.05,
        0.13,
        0.10,
        0.07,
        0.03,
        1.0,
        1.0,
        0.045,
        0.035,
        9,
        (0.1, 2, 6),
    ),
    "landelijk": _Profile(
        (180, 600),
        0.98,
        _tilt(kids=0.8, teens=0.9, young=0.7, mid=0.85, older=1.25, senior=1.4, old=1.5),
        0.7,
        "families",
        0.95,
        (0.7, 0.85),
        2.65,
        0.04,
        0.11,
        0.11,
        0.07,
        0.03,
        0.95,
        1.05,
        0.035,
        0.03,
        6,
        (0.0, 0, 0),
    ),
    "klein": _Profile(
        (115, 135),
        0.97,
        _tilt(kids=0.7, young=0.6, mid=0.85, older=1.3, senior=1.5, old=1.6),
        0.7,
        "families",
        0.955,
        (0.7, 0.85),
        2.6,
        0.04,
        0.08,
        0.12,
        0.07,
        0.03,
        0.95,
        1.05,
        0.03,
        0.03,
        5,
        (0.0, 0, 0),
    ),
    "industrie": _Profile(
        (12, 16),
        0.85,
        _tilt(kids=0.3, teens=0.5, mid=1.3, older=1.5, senior=0.8, old=0.2),
        1.0,
        "mixed",
        0.85,
        (1.5, 1.0),
        2.3,
        0.05,
        0.30,
        0.15,
        0.10,
        0.05,
        1.0,
        1.0,
        0.20,
        0.10,
        5,
        (0.0, 0, 0),
    ),
}
# Larger village centres in the main villages.
_MAIN_DORPSKERN_POP = (1000, 1500)
# Kempdonk borders the Netherlands: more Dutch-born residents, some insured in the Netherlands.
_BORDER_NIS = "13092"

# Reference levels: (total 2020, total 2025), and their rates.
_REFERENCE = {
    ("gewest", REGION_CODE): dict(
        total=(6_629_143, 6_821_770),
        young_tilt=1.0,
        nb=(0.13, 0.145),
        origin=(0.22, 0.255),
        tenant=0.26,
        lowedu=(0.16, 0.15),
        vt=0.115,
        grapa=0.05,
        social=0.056,
        stab=0.905,
        single_parent=0.055,
        hh_size=2.88,
    ),
    ("provincie", PROVINCE_CODE): dict(
        total=(1_869_730, 1_917_651),
        young_tilt=1.04,
        nb=(0.165, 0.185),
        origin=(0.29, 0.33),
        tenant=0.29,
        lowedu=(0.19, 0.18),
        vt=0.13,
        grapa=0.06,
        social=0.06,
        stab=0.90,
        single_parent=0.06,
        hh_size=2.9,
    ),
}


def _shape(profile: _Profile) -> np.ndarray:
    w = _SHAPE_2020.copy()
    for g, bands in _GROUPS.items():
        w[list(bands)] *= profile.tilt[g]
    return np.vstack([w * _MEN_SHARE, w * (1 - _MEN_SHARE)])


def _inflow_shape(kind: str) -> np.ndarray:
    if kind == "young":
        w = np.array([3, 1, 0.5, 2, 14, 18, 12, 6, 3, 2, 1.5, 1.2, 1, 1, 1, 1, 1, 0.6, 0.2, 0.05])
    elif kind == "families":
        w = np.array([9, 7, 4, 2, 3, 9, 12, 10, 6, 3, 2, 1.5, 1.5, 1.5, 1.2, 0.8, 0.6, 0.4, 0.1, 0.02])
    else:
        w = _SHAPE_2020.copy()
    w = w / w.sum()
    return np.vstack([w * 0.5, w * 0.5])


def _age_forward(rng: np.random.Generator, p20: np.ndarray, profile: _Profile, target: int) -> np.ndarray:
    """Age a sex x band population by five years: survival, moving out, births, moving in."""
    surv = rng.binomial(p20, _SURV)
    out = rng.binomial(surv, np.minimum(0.9, _OUT_RATE * profile.turnover))
    stay = surv - out
    p25 = np.zeros_like(p20)
    p25[:, 1:] = stay[:, :-1]
    p25[:, -1] += stay[:, -1]
    births = rng.binomial(int(p20[1, 4:9].sum()), 0.29)
    boys = rng.binomial(births, 0.512)
    p25[0, 0] += boys
    p25[1, 0] += births - boys
    n_in = max(0, target - int(p25.sum()))
    p25 += rng.multinomial(n_in, _inflow_shape(profile.inflow).ravel()).reshape(2, N_BANDS)
    return p25


def _derive(pop: np.ndarray, coll: np.ndarray, rates: dict, draw, extra: dict | None = None) -> dict[str, int]:
    """All stored base counts from a sex x 5-year-band population (``coll`` = in a collective household).

    ``extra``, when given, receives the living-alone draws (sex x band) for the population cube.
    """
    pop = pop.astype(np.int64)
    coll = coll.astype(np.int64)
    priv = pop - coll
    band = pop.sum(axis=0)
    c: dict[str, int] = {}
    c["pop_total"] = int(pop.sum())
    c["pop_men"] = int(pop[0].sum())
    c["pop_women"] = int(pop[1].sum())
    for k, key in enumerate(("0_9", "10_19", "20_29", "30_39", "40_49", "50_59", "60_69", "70_79", "80_89")):
        c[f"pop_age_{key}"] = int(band[2 * k] + band[2 * k + 1])
    c["pop_age_90plus"] = int(band[18] + band[19])
    p20_64 = int(band[4:13].sum())
    p18_19 = np.floor(0.4 * pop[:, 3] + 0.5).astype(np.int64)  # 18-19 as a share of 15-19
    c["pop_age_20_64"] = p20_64
    c["pop_age_18_64"] = p20_64 + int(p18_19.sum())
    c["pop_age_65plus"] = int(band[13:].sum())
    c["pop_age_75plus"] = int(band[15:].sum())

    same = int(draw(int(priv.sum()), rates["stab"])) + int(draw(int(coll.sum()), 0.65))
    c["pop_same_address"] = same

    young_f, old_f = rates["alone"]
    factor = np.where(np.arange(N_BANDS) < 13, young_f, old_f) * rates.get("alone_period", 1.0)
    rate = np.minimum(0.9, _ALONE[None, :] * _ALONE_SEX * factor[None, :])
    alone = draw(priv, rate)
    alone[:, :4] = 0
    alone_18_19 = draw(np.minimum(p18_19, priv[:, 3]), 0.02)
    alone_total = int(alone.sum() + alone_18_19.sum())
    if extra is not None:
        by_band = np.array(alone, dtype=np.int64)
        by_band[:, 3] += alone_18_19
        extra["alone"] = by_band
    c["pop_alone_18_64"] = int(alone[:, 4:13].sum() + alone_18_19.sum())
    c["pop_alone_75plus"] = int(alone[:, 15:].sum())
    rest = int(priv.sum()) - alone_total
    multi = int(math.floor(rest / rates["hh_size"] + 0.5)) if rest >= 2 else 0
    hh = alone_total + multi
    c["hh_private"] = hh
    c["hh_single_person"] = alone_total
    sp = int(draw(multi, rates["single_parent"]))
    c["hh_single_parent_minor"] = min(sp, max(hh - 1, 0))
    known = hh - int(draw(hh, rates.get("unknown_tenure", 0.04)))
    tenant = int(draw(known, rates["tenant"]))
    c["hh_known_tenure"] = known
    c["hh_tenant"] = tenant

    prim = int(draw(int(band[1]), 0.8)) + int(draw(int(band[2]), 0.4))  # ages 6-11
    sec = int(draw(int(band[2]), 0.6)) + int(draw(int(band[3]), 0.65))  # ages 12-18
    c["pupils_primary"] = prim
    c["pupils_primary_low_edu_mother"] = int(draw(prim, rates["lowedu"][0]))
    c["pupils_secondary"] = sec
    c["pupils_secondary_low_edu_mother"] = int(draw(sec, rates["lowedu"][1]))

    ni = rates.get("not_insured", 0.005)
    p0_19 = int(band[:4].sum())
    p65 = c["pop_age_65plus"]
    ins_0_19 = p0_19 - int(draw(p0_19, ni))
    ins_20_64 = p20_64 - int(draw(p20_64, ni))
    ins_65 = p65 - int(draw(p65, ni / 2))
    ins_total = ins_0_19 + ins_20_64 + ins_65
    c["insured_20_64"] = ins_20_64
    c["insured_20_64_increased"] = int(draw(ins_20_64, rates["vt"]))
    c["insured_65plus"] = ins_65
    c["insured_65plus_replacement_income"] = int(draw(ins_65, rates["grapa"]))
    c["insured_total"] = ins_total
    chronic = int(draw(priv, np.minimum(0.95, _CHRONIC[None, :] * rates["chronic"])).sum())
    chronic += int(draw(int(coll.sum()), 0.8))
    c["insured_chronic"] = min(chronic, ins_total)
    ad = int(draw(priv, np.minimum(0.9, _AD * rates["ad"])).sum()) + int(draw(int(coll.sum()), 0.45))
    c["insured_antidepressants"] = min(ad, ins_total)

    c["social_rental_dwellings"] = min(int(rates.get("social_dwellings", 0)), tenant)
    nb = int(draw(c["pop_total"], rates["nb"]))
    c["pop_non_belgian_birth_nat"] = nb
    c["pop_non_belgian_origin"] = nb + int(draw(c["pop_total"] - nb, rates["origin_extra"]))
    # Statbel-style fiscal income and cars (fictional): fewer returns and lower incomes where more
    # households rent, more cars per household in the villages with few tenants.
    returns = int(draw(c["pop_age_18_64"] + c["pop_age_65plus"], 0.82))
    c["tax_returns"] = returns
    # (Amounts and car counts are no binomial draws: an average income is no probability.)
    c["net_taxable_income"] = int(round(returns * (44_000.0 - 22_000.0 * float(rates["tenant"]))))
    c["hh_statbel"] = hh
    c["cars"] = int(round(hh * (1.25 - 0.8 * float(rates["tenant"]))))
    missing = set(STORED_COUNTS) ^ set(c)
    assert not missing, f"demo: base counts out of step with the catalogue: {sorted(missing)}"
    return {k: c[k] for k in STORED_COUNTS}


def _profile_rates(profile: _Profile, period: str, nis: str) -> dict:
    later = period != DEMO_PERIODS[0]
    border = nis == _BORDER_NIS
    return {
        "stab": profile.stab_later if (later and profile.stab_later) else profile.stab,
        "alone": profile.alone,
        "alone_period": 1.04 if later else 1.0,
        "hh_size": profile.hh_size,
        "single_parent": profile.single_parent,
        "unknown_tenure": 0.06 if profile.tenant > 0.4 else 0.04,
        "tenant": profile.tenant,
        "lowedu": (profile.lowedu, profile.lowedu * 0.95),
        "not_insured": 0.03 if border else 0.005,
        "vt": profile.vt * (1.06 if later else 1.0),
        "grapa": profile.grapa,
        "chronic": profile.chronic * (1.05 if later else 1.0),
        "ad": profile.ad * (1.08 if later else 1.0),
        "nb": min(0.5, profile.nb * (2.2 if border else 1.0) * (1.1 if later else 1.0)),
        "origin_extra": profile.origin_extra * (1.1 if later else 1.0),
    }


def _sector_population(
    rng: np.random.Generator, spec: _SectorSpec, village: _Village
) -> dict[str, tuple[np.ndarray, np.ndarray, int]]:
    """Per period: (population sex x band, collective residents sex x band, social dwellings)."""
    profile = _PROFILES[spec.role]
    lo, hi = _MAIN_DORPSKERN_POP if (spec.role == "dorpskern" and village.kind == "main") else profile.pop
    n20 = int(rng.integers(lo, hi + 1))
    shape = _shape(profile).ravel()
    p20 = rng.multinomial(n20, shape / shape.sum()).reshape(2, N_BANDS)
    target = int(round(n20 * profile.growth * rng.uniform(0.97, 1.03)))
    if spec.role == "industrie":
        p25 = rng.multinomial(max(8, target), shape / shape.sum()).reshape(2, N_BANDS)
    else:
        p25 = _age_forward(rng, p20, profile, target)
    coll20 = np.zeros_like(p20)
    coll25 = np.zeros_like(p20)
    if spec.role == "wzc":
        wzc = np.vstack([_WZC_AGES * 0.28, _WZC_AGES * 0.72]).ravel()
        coll20 = rng.multinomial(104, wzc / wzc.sum()).reshape(2, N_BANDS)
        coll25 = rng.multinomial(118, wzc / wzc.sum()).reshape(2, N_BANDS)  # a new wing in 2023
    chance, smin, smax = profile.social
    social20 = int(rng.integers(smin, smax + 1)) if rng.random() < chance else 0
    social25 = social20 + (int(rng.integers(4, 17)) if rng.random() < 0.2 and chance > 0 else 0)
    if spec.role == "verkaveling":
        social25 = 24  # a small social housing block in the new development
    return {
        DEMO_PERIODS[0]: (p20 + coll20, coll20, social20),
        DEMO_PERIODS[1]: (p25 + coll25, coll25, social25),
    }


def _reference_counts(level: str, code: str) -> dict[str, dict[str, int]]:
    ref = _REFERENCE[(level, code)]
    out = {}
    for k, (period, shape) in enumerate(zip(DEMO_PERIODS, (_SHAPE_2020, _SHAPE_2025))):
        w = shape.copy()
        w[4:8] *= ref["young_tilt"]
        pop = _integerize(np.concatenate([w * _MEN_SHARE, w * (1 - _MEN_SHARE)]), ref["total"][k]).reshape(2, N_BANDS)
        coll = np.floor(pop * _COLLECTIVE[None, :] + 0.5).astype(np.int64)
        rates = {
            "stab": ref["stab"],
            "alone": (1.0, 1.0),
            "alone_period": 1.03 if k else 1.0,
            "hh_size": ref["hh_size"],
            "single_parent": ref["single_parent"],
            "tenant": ref["tenant"],
            "lowedu": ref["lowedu"],
            "vt": ref["vt"] * (1.06 if k else 1.0),
            "grapa": ref["grapa"],
            "chronic": 1.05 if k else 1.0,
            "ad": 1.08 if k else 1.0,
            "nb": ref["nb"][k],
            "origin_extra": (ref["origin"][k] - ref["nb"][k]) / (1 - ref["nb"][k]),
        }
        hh_estimate = pop.sum() * 0.43
        rates["social_dwellings"] = int(hh_estimate * ref["social"])

        def draw(n, p):
            return np.floor(np.asarray(n) * p + 0.5).astype(np.int64)

        out[period] = _derive(pop, coll, rates, draw)
    return out
