"""Shared pytest fixtures for all zorgzaam tests.

Fixtures:
    shared_dir -> Path   (session) ../shared/ beside the checkout (real public data
                         lives in shared_dir / "realdata"); skips when it is absent,
                         fails when CI is set.
    tmp_db     -> Path   (function) a fresh database path; env ZORGZAAM_DB points to
                         it during the test; every store connection is closed afterwards.

Helpers:
    REPO_ROOT, SHARED_DIR, is_ci()
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED_DIR = REPO_ROOT.parent / "shared"


def is_ci() -> bool:
    """True when env CI is set to something truthy (CI runs must not skip silently)."""
    return os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no", "off")


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """The ../shared/ folder beside the checkout (real public files in ./realdata)."""
    if not SHARED_DIR.is_dir():
        if is_ci():
            pytest.fail(
                f"{SHARED_DIR} ontbreekt, maar CI is gezet: CI moet de tests op echte publieke "
                "bestanden uit ../shared/realdata kunnen draaien (zie README).",
                pytrace=False,
            )
        pytest.skip(
            "../shared/ ontbreekt: deze test leest echte publieke bestanden uit ../shared/realdata (zie README)"
        )
    return SHARED_DIR


@pytest.fixture
def tmp_db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A not-yet-existing database file; ZORGZAAM_DB points to it for the test."""
    path = tmp_path / "zorgzaam.duckdb"
    monkeypatch.setenv("ZORGZAAM_DB", str(path))
    yield path
    from zorgzaam import store

    store.close_all()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Run the slow browser tests (marker e2e) last, after all fast tests."""
    items.sort(key=lambda item: item.get_closest_marker("e2e") is not None)


from tests.demo_store import demo_db  # noqa: E402,F401  (session fixture shared by many modules)
