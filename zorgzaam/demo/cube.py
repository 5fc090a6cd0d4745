"""The demo's population cube (bevolkingskubus): sex x 20-year band x LIPRO household position per sector.

Living alone and collective households are the very residents counted in the base counts
(population.py); the other private residents are spread over the remaining positions by age and
sex, from a random stream of its own. The cube's names and sums are zorgzaam.cube's.
"""

from __future__ import annotations

import numpy as np

from zorgzaam.cube import CUBE_AGE_BANDS, CUBE_POSITIONS, cube_variables
from zorgzaam.demo.plan import DEMO_PERIODS
from zorgzaam.demo.population import N_BANDS, _Profile

# Private residents who do not live alone, by 5-year band, over the LIPRO positions other than
# "alleenwonend" and "collectief" (columns in _CUBE_PRIVATE order); rows need not sum to 1.
_CUBE_PRIVATE = (
    "gehuwd_zonder_kinderen",
    "gehuwd_met_kinderen",
    "kind_gehuwd_paar",
    "samenwonend_zonder_kinderen",
    "samenwonend_met_kinderen",
    "kind_samenwonend_paar",
    "alleenstaande_ouder",
    "kind_alleenstaande_ouder",
    "inwonende_andere",
    "overige",
)
_CUBE_SHARES = np.array(
    [
        # gz    gm    kg    sz    sm    ks    ao     ka    ia     ov
        [0.00, 0.00, 0.50, 0.00, 0.00, 0.30, 0.000, 0.14, 0.020, 0.010],  # 0-4
        [0.00, 0.00, 0.54, 0.00, 0.00, 0.25, 0.000, 0.16, 0.015, 0.010],  # 5-9
        [0.00, 0.00, 0.58, 0.00, 0.00, 0.19, 0.000, 0.19, 0.015, 0.010],  # 10-14
        [0.00, 0.00, 0.60, 0.01, 0.00, 0.13, 0.002, 0.21, 0.020, 0.015],  # 15-19
        [0.03, 0.01, 0.36, 0.20, 0.03, 0.06, 0.015, 0.14, 0.060, 0.050],  # 20-24
        [0.08, 0.08, 0.14, 0.31, 0.12, 0.03, 0.040, 0.06, 0.050, 0.050],  # 25-29
        [0.07, 0.28, 0.05, 0.16, 0.25, 0.01, 0.070, 0.03, 0.030, 0.030],  # 30-34
        [0.05, 0.41, 0.03, 0.08, 0.22, 0.005, 0.090, 0.02, 0.030, 0.025],  # 35-39
        [0.06, 0.48, 0.02, 0.06, 0.17, 0.00, 0.100, 0.02, 0.030, 0.025],  # 40-44
        [0.10, 0.46, 0.02, 0.07, 0.13, 0.00, 0.100, 0.02, 0.040, 0.025],  # 45-49
        [0.22, 0.40, 0.01, 0.09, 0.08, 0.00, 0.090, 0.01, 0.040, 0.025],  # 50-54
        [0.40, 0.26, 0.01, 0.11, 0.04, 0.00, 0.070, 0.01, 0.040, 0.025],  # 55-59
        [0.62, 0.13, 0.00, 0.10, 0.02, 0.00, 0.040, 0.00, 0.040, 0.020],  # 60-64
        [0.74, 0.06, 0.00, 0.08, 0.01, 0.00, 0.030, 0.00, 0.040, 0.020],  # 65-69
        [0.78, 0.04, 0.00, 0.06, 0.005, 0.00, 0.030, 0.00, 0.050, 0.020],  # 70-74
        [0.76, 0.03, 0.00, 0.05, 0.00, 0.00, 0.030, 0.00, 0.090, 0.020],  # 75-79
        [0.70, 0.02, 0.00, 0.04, 0.00, 0.00, 0.030, 0.00, 0.160, 0.025],  # 80-84
        [0.58, 0.02, 0.00, 0.03, 0.00, 0.00, 0.030, 0.00, 0.280, 0.030],  # 85-89
        [0.45, 0.01, 0.00, 0.02, 0.00, 0.00, 0.030, 0.00, 0.410, 0.040],  # 90-94
        [0.35, 0.01, 0.00, 0.01, 0.00, 0.00, 0.020, 0.00, 0.510, 0.050],  # 95+
    ]
)


def _cube_sex_factors() -> np.ndarray:
    """Factors (sex x band x position) on _CUBE_SHARES: single parents mostly women, sons longer at home, widows."""
    f = np.ones((2, N_BANDS, len(_CUBE_PRIVATE)))
    col = {p: i for i, p in enumerate(_CUBE_PRIVATE)}
    f[0, :, col["alleenstaande_ouder"]] = 0.45
    f[1, :, col["alleenstaande_ouder"]] = 1.55
    kids = [col["kind_gehuwd_paar"], col["kind_samenwonend_paar"], col["kind_alleenstaande_ouder"]]
    couples = [col["samenwonend_zonder_kinderen"], col["samenwonend_met_kinderen"], col["gehuwd_met_kinderen"]]
    for b in (4, 5):  # 20-29: young women leave home earlier
        f[0, b, kids] = 1.25
        f[1, b, kids] = 0.8
        f[0, b, couples] = 0.85
        f[1, b, couples] = 1.15
    f[0, 15:, col["gehuwd_zonder_kinderen"]] = 1.2  # 75+: more widows than widowers
    f[1, 15:, col["gehuwd_zonder_kinderen"]] = 0.7
    f[1, 15:, col["inwonende_andere"]] = 1.5
    return f


_CUBE_SEX_FACTORS = _cube_sex_factors()


def _cube_counts(
    rng: np.random.Generator, pop: np.ndarray, coll: np.ndarray, alone: np.ndarray, profile: _Profile, period: str
) -> np.ndarray:
    """The cube of one sector (sex x 20-year band x LIPRO position, in zorgzaam.cube's order).

    ``alone`` holds _derive's living-alone draws (sex x 5-year band), ``coll`` the collective
    residents; the other private residents are spread over the remaining positions.
    """
    rest = pop.astype(np.int64) - coll - alone
    col = {p: i for i, p in enumerate(_CUBE_PRIVATE)}
    w = _CUBE_SHARES[None, :, :] * _CUBE_SEX_FACTORS
    later = period != DEMO_PERIODS[0]
    single = profile.single_parent / 0.07
    cohab = (0.75 + profile.tenant) * (1.08 if later else 1.0)
    w[:, :, [col["alleenstaande_ouder"], col["kind_alleenstaande_ouder"]]] *= single
    cohabiting = ("samenwonend_zonder_kinderen", "samenwonend_met_kinderen", "kind_samenwonend_paar")
    w[:, :, [col[p] for p in cohabiting]] *= cohab
    w = w / w.sum(axis=2, keepdims=True)
    private = rng.multinomial(rest, w)  # sex x band x 10
    cells = np.concatenate([alone[:, :, None], private, coll[:, :, None]], axis=2)
    return cells.reshape(2, len(CUBE_AGE_BANDS), N_BANDS // len(CUBE_AGE_BANDS), len(CUBE_POSITIONS)).sum(axis=2)


assert ("alleenwonend", *_CUBE_PRIVATE, "collectief") == tuple(CUBE_POSITIONS)
assert _CUBE_SHARES.shape == (N_BANDS, len(_CUBE_PRIVATE))
CUBE_VARIABLES: tuple[str, ...] = tuple(cube_variables())
