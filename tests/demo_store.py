"""A demo database built once per test session (read by several test modules)."""

from __future__ import annotations

from pathlib import Path

import pytest

from zorgzaam.demo import install_demo
from zorgzaam.store import Store, close_all


@pytest.fixture(scope="session")
def demo_db(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    install_demo(Store.open(path))
    close_all()
    return path
