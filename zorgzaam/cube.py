"""The population cube (*bevolkingskubus*): sex x age band x household position per sector.

Statbel's cube "bevolking naar leeftijd, geslacht, positie in huishouden" (via
Provincies in Cijfers) gives, per statistical sector, residents by sex, 20-year
age band and the 12 LIPRO household positions. Each cell is stored as an
ordinary observation named ``kubus|{sex}|{age}|{position}``; the indicator
engine never needs to know these variables.

Summing cells over sectors follows the engine's rules: hidden stays hidden (a
cell with a hidden sector value is ``onvolledig``, never a partial sum) and a
cell some sector lacks is ``ontbrekend``.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import product
from typing import TYPE_CHECKING

import pandas as pd

if TYPE_CHECKING:
    from .store import Store

__all__ = [
    "CUBE_AGE_BANDS",
    "CUBE_COLUMNS",
    "CUBE_POSITIONS",
    "CUBE_PREFIX",
    "CUBE_SEXES",
    "DIMENSIONS",
    "SEPARATOR",
    "TOTAL",
    "cube_cells",
    "cube_crosstab",
    "cube_periods",
    "cube_variable",
    "cube_variables",
    "has_cube",
    "is_cube_variable",
    "parse_cube_variable",
    "population_cube",
]

CUBE_PREFIX = "kubus"
SEPARATOR = "|"
TOTAL = "Totaal"

CUBE_SEXES: dict[str, str] = {"man": "Mannen", "vrouw": "Vrouwen"}
CUBE_AGE_BANDS: dict[str, str] = {
    "0_19": "0-19 jaar",
    "20_39": "20-39 jaar",
    "40_59": "40-59 jaar",
    "60_79": "60-79 jaar",
    "80plus": "80 jaar en ouder",
}
# The 12 LIPRO positions in the household (Statbel's order).
CUBE_POSITIONS: dict[str, str] = {
    "alleenwonend": "Alleenwonend",
    "gehuwd_zonder_kinderen": "Gehuwde partner zonder thuiswonende kinderen",
    "gehuwd_met_kinderen": "Gehuwde partner met thuiswonende kinderen",
    "kind_gehuwd_paar": "Kind bij gehuwd paar",
    "samenwonend_zonder_kinderen": "Niet-gehuwd samenwonende partner zonder kinderen",
    "samenwonend_met_kinderen": "Niet-gehuwd samenwonende partner met kinderen",
    "kind_samenwonend_paar": "Kind bij niet-gehuwd paar",
    "alleenstaande_ouder": "Alleenstaande ouder",
    "kind_alleenstaande_ouder": "Kind bij alleenstaande ouder",
    "inwonende_andere": "Inwonende andere persoon",
    "overige": "Overige persoon",
    "collectief": "Lid van collectief huishouden",
}

# Dimension -> (Dutch name, key -> label).
DIMENSIONS: dict[str, tuple[str, dict[str, str]]] = {
    "sex": ("Geslacht", CUBE_SEXES),
    "age": ("Leeftijd", CUBE_AGE_BANDS),
    "position": ("Positie in het huishouden", CUBE_POSITIONS),
}

CUBE_COLUMNS = ["sex", "age", "position", "value", "status", "n_sectors"]

# Worst first, as in the engine: hidden beats missing beats ok.
_STATUS_ORDER = ("onvolledig", "ontbrekend", "ok")


def cube_variable(sex: str, age: str, position: str) -> str:
    """The observation variable of one cube cell: ``kubus|man|80plus|alleenwonend``."""
    for key, (name, keys) in zip((sex, age, position), DIMENSIONS.values()):
        if key not in keys:
            raise ValueError(f"Onbekende waarde '{key}' voor {name.lower()} in de bevolkingskubus.")
    return SEPARATOR.join((CUBE_PREFIX, sex, age, position))


def parse_cube_variable(name: str) -> tuple[str, str, str]:
    """``kubus|man|80plus|alleenwonend`` -> ("man", "80plus", "alleenwonend"); ValueError otherwise."""
    parts = str(name).split(SEPARATOR)
    if len(parts) != 4 or parts[0] != CUBE_PREFIX:
        raise ValueError(f"'{name}' is geen cel van de bevolkingskubus.")
    sex, age, position = parts[1:]
    cube_variable(sex, age, position)  # validates the keys
    return sex, age, position


def is_cube_variable(name: str) -> bool:
    try:
        parse_cube_variable(name)
    except ValueError:
        return False
    return True


def cube_cells() -> list[tuple[str, str, str]]:
    """Every (sex, age, position) cell, in the canonical order."""
    return list(product(CUBE_SEXES, CUBE_AGE_BANDS, CUBE_POSITIONS))


def cube_variables() -> list[str]:
    """The observation variables of all cells, in the order of ``cube_cells``."""
    return [cube_variable(*cell) for cell in cube_cells()]


def cube_periods(store: Store) -> list[str]:
    """Periods with any cube data."""
    return store.periods(cube_variables())


def has_cube(store: Store, period: str | None = None) -> bool:
    """True when any cube cell is stored (in ``period``, when given)."""
    periods = cube_periods(store)
    return bool(periods) if period is None else period in periods


def population_cube(store: Store, sector_codes: Sequence[str], period: str, level: str = "statsec") -> pd.DataFrame:
    """The cube summed over ``sector_codes`` (areas of ``level``) in ``period``: one row per cell.

    A whole municipality is best read with ``level="gemeente"``: its published totals include
    the sectors the source hid, so they stay complete where a sum of sectors cannot.

    Columns sex, age, position (keys), value (Float64), status and n_sectors
    (how many of the sectors gave an "ok" value for the cell). A cell is "ok"
    only when every sector has an "ok" value; a hidden value anywhere makes it
    "onvolledig", a sector without the cell makes it "ontbrekend"; value is
    then NA (never 0, never a partial sum).
    """
    sectors = list(dict.fromkeys(sector_codes))
    cells = pd.DataFrame(cube_cells(), columns=["sex", "age", "position"])
    cells["variable"] = cube_variables()
    if sectors:
        obs = store.observations(cells["variable"].tolist(), [period], [(level, c) for c in sectors])
        obs = obs[obs["area_code"].isin(sectors)]
    else:
        obs = pd.DataFrame(columns=["variable", "area_code", "value", "status"])
    ok = obs["status"] == "ok"
    per_var = (
        pd.DataFrame(
            {
                "value": pd.to_numeric(obs["value"].where(ok), errors="coerce").astype("Float64").fillna(0.0),
                "n_ok": ok.astype("int64"),
                "n_hidden": (obs["status"] == "verborgen").astype("int64"),
                "variable": obs["variable"],
            }
        )
        .groupby("variable")
        .agg(value=("value", "sum"), n_ok=("n_ok", "sum"), n_hidden=("n_hidden", "sum"))
    )
    out = cells.merge(per_var, left_on="variable", right_index=True, how="left")
    n_ok = out["n_ok"].fillna(0).astype("int64")
    n_hidden = out["n_hidden"].fillna(0).astype("int64")
    status = pd.Series("ok" if sectors else "ontbrekend", index=out.index, dtype="object")
    status[n_ok < len(sectors)] = "ontbrekend"
    status[n_hidden > 0] = "onvolledig"
    value = out["value"].astype("Float64")
    value[status != "ok"] = pd.NA
    return pd.DataFrame(
        {
            "sex": out["sex"],
            "age": out["age"],
            "position": out["position"],
            "value": value,
            "status": status,
            "n_sectors": n_ok,
        }
    )[CUBE_COLUMNS].reset_index(drop=True)


def _as_dims(dims: str | Sequence[str]) -> tuple[str, ...]:
    dims = (dims,) if isinstance(dims, str) else tuple(dims)
    for d in dims:
        if d not in DIMENSIONS:
            raise ValueError(f"Onbekend kenmerk '{d}' van de bevolkingskubus (kies uit sex, age, position).")
    return dims


def _axis(dims: tuple[str, ...], keys: list[tuple[str, ...]]) -> pd.Index:
    """An index of Dutch labels for the key combinations ``keys`` of ``dims``."""
    labels = [tuple(DIMENSIONS[d][1][k] for d, k in zip(dims, combo)) for combo in keys]
    names = [DIMENSIONS[d][0] for d in dims]
    if len(dims) == 1:
        return pd.Index([lab[0] for lab in labels], name=names[0])
    return pd.MultiIndex.from_tuples(labels, names=names)


def _total_key(n: int) -> str | tuple[str, ...]:
    """The label of a total row or column over ``n`` dimensions: "Totaal" or ("Totaal", "")."""
    return TOTAL if n == 1 else (TOTAL,) + ("",) * (n - 1)


def _axis_total(dims: tuple[str, ...]) -> pd.Index:
    names = [DIMENSIONS[d][0] for d in dims]
    if len(dims) == 1:
        return pd.Index([TOTAL], name=names[0])
    return pd.MultiIndex.from_tuples([_total_key(len(dims))], names=names)


def cube_crosstab(
    cube: pd.DataFrame,
    rows: str | Sequence[str] = ("age", "sex"),
    columns: str | Sequence[str] = "position",
    keep_empty: bool = False,
) -> pd.DataFrame:
    """A cross table of a cube (as from ``population_cube``) with Dutch labels and totals.

    Dimensions in neither ``rows`` nor ``columns`` are summed over. Values are
    Float64; a cell, row or column total that needs a missing cell is NA. The
    last row and column are "Totaal" (("Totaal", "") for two dimensions). Positions that are 0 everywhere are left
    out unless ``keep_empty``.
    """
    rows, cols = _as_dims(rows), _as_dims(columns)
    if not rows or not cols:
        raise ValueError("Een kruistabel heeft minstens één kenmerk in de rijen en één in de kolommen.")
    if len(set(rows + cols)) != len(rows + cols):
        raise ValueError("Een kenmerk kan niet tegelijk in de rijen en de kolommen staan.")
    frame = cube[["sex", "age", "position"]].copy()
    frame["value"] = pd.to_numeric(cube["value"], errors="coerce").astype("Float64")
    if "status" in cube:
        frame.loc[(cube["status"] != "ok").to_numpy(), "value"] = pd.NA

    positions = list(CUBE_POSITIONS)
    if not keep_empty:
        occurs = (frame["value"] != 0).fillna(True).groupby(frame["position"]).any()
        positions = [p for p in positions if occurs.get(p, True)]
        frame = frame[frame["position"].isin(positions)]
    order = {"sex": list(CUBE_SEXES), "age": list(CUBE_AGE_BANDS), "position": positions}

    keys = list(rows + cols)
    # Sum with NA propagation: a group with any missing cell is missing.
    missing = frame["value"].isna().groupby([frame[k] for k in keys]).any()
    sums = frame["value"].fillna(0.0).groupby([frame[k] for k in keys]).sum().astype("Float64")
    sums[missing.reindex(sums.index).to_numpy()] = pd.NA
    row_keys = list(product(*(order[d] for d in rows)))
    col_keys = list(product(*(order[d] for d in cols)))
    full = pd.MultiIndex.from_tuples([r + c for r in row_keys for c in col_keys], names=keys)
    sums = sums.reindex(full)  # a cell the cube lacks is missing

    values = sums.to_numpy(dtype=object, na_value=pd.NA).reshape(len(row_keys), len(col_keys))
    wide = pd.DataFrame(values, index=_axis(rows, row_keys), columns=_axis(cols, col_keys)).astype("Float64")
    wide[_total_key(len(cols))] = wide.sum(axis=1, skipna=False)
    total = pd.DataFrame(
        [wide.sum(axis=0, skipna=False).to_numpy(dtype=object, na_value=pd.NA)],
        index=_axis_total(rows),
        columns=wide.columns,
    )
    return pd.concat([wide, total.astype("Float64")])
