"""Fixtures shared by the importer tests: the real public files and fresh copies of prepared stores."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from zorgzaam.store import Store, close_all


@pytest.fixture(scope="session")
def realdata(shared_dir) -> Path:
    return shared_dir / "realdata"


@pytest.fixture(scope="session")
def sectors_2024(realdata) -> pd.DataFrame:
    """The real PinC area table of the 2024 sectors (read once per session)."""
    return pd.read_excel(realdata / "pinc_gebiedsniveaus/statsec2024_als_basis.xlsx", dtype=object, engine="calamine")


def open_copy(prepared: Path, tmp_path: Path) -> Iterator[Store]:
    """A store on a fresh copy of a prepared file, so one test's writes never reach the next."""
    copy = tmp_path / prepared.name
    shutil.copy(prepared, copy)
    yield Store.open(copy)
    close_all()


@pytest.fixture(scope="session")
def zone_file(tmp_path_factory, sectors_2024) -> Path:
    """A prepared store with the real 2024 area table: every Flemish sector, municipality and care zone."""
    from zorgzaam.importers.area_tables import plan_sector_table

    path = tmp_path_factory.mktemp("zone2024") / "zone.duckdb"
    store = Store.open(path)
    plan_sector_table(sectors_2024, "2024", ["statsec2024_als_basis.xlsx"], store).apply(store)
    close_all()
    return path
