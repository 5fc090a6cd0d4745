"""importers.run: one import for the Data page and the CLI — areas before figures, a file planned again once
something was written before it, each plan all-or-nothing, an outcome per plan in Dutch."""

from __future__ import annotations

import pytest

from zorgzaam.importers import ImportProblem, SourceFile
from zorgzaam.importers.files import collect
from zorgzaam.importers.run import import_datasets, plan_datasets
from zorgzaam.store import Store, close_all

NAMES = "Centrum;23003A;Beersel;23003;Beersel;ggw1;elz53;Zennevallei;20001;Vlaams-Brabant;2000;Vlaanderen"


def _sector_table(vintage: str) -> bytes:
    suffix = "2024" if vintage == "2024" else ""
    header = (
        f"statsec{suffix};statsec{suffix}_naam;deelgemeente{suffix};deelgemeente{suffix}_naam;gemeente;gemeente_naam;"
        f"ggw7{suffix};elz;elz_naam;provincie;provincie_naam;gewest;gewest_naam\n"
    )
    rows = [
        f"23003A001;{NAMES}",
        f"23003A012;{NAMES.replace('Centrum', 'Dworp')}",
        "23027A000;Halle;23027A;Halle;23027;Halle;ggw1;elz53;Zennevallei;20001;Vlaams-Brabant;2000;Vlaanderen",
    ]
    return (header + "\n".join(rows) + "\n").encode()


FIGURES = (
    b"period;geolevel;geoitem;pop_total\n"
    b"2025;statsec;23003A001;1212\n2025;statsec;23003A012;2157\n2025;statsec;23027A000;x\n"
)


@pytest.fixture
def store(tmp_path):
    yield Store.open(tmp_path / "own.duckdb")
    close_all()


def _planned(store: Store, tmp_path, files: list[tuple[str, bytes]]):
    datasets = collect([SourceFile.from_bytes(name, data) for name, data in files], workdir=tmp_path)
    return plan_datasets(datasets, store)


def test_areas_are_written_first_and_the_figures_planned_again_against_them(store, tmp_path):
    items = _planned(store, tmp_path, [("cijfers.csv", FIGURES), ("sectoren.csv", _sector_table("2025"))])
    assert [i.label for i in items] == ["cijfers.csv", "sectoren.csv"] and all(i.problem is None for i in items)
    assert items[0].plans[0].preview.matched is None  # planned before any area was known
    steps = []

    outcomes = import_datasets(store, items, progress=lambda fraction, label, what: steps.append((fraction, label)))

    assert [(o.label, o.ok) for o in outcomes] == [("sectoren.csv", True), ("cijfers.csv", True)]
    assert outcomes[0].text == (
        "sectoren.csv: bewaard als 'Gebiedsindeling van de sectoren (indeling 2025)' — 3 statistische sectoren, "
        "1 wijk, 2 deelgemeenten, 2 gemeenten, 1 eerstelijnszone, 1 provincie, 1 gewest."
    )
    assert outcomes[1].text == "cijfers.csv: bewaard als 'Cijfers uit cijfers.csv' — 3 cijfers (pop_total; 2025)."
    assert outcomes[1].plan.preview.matched == 3  # planned again: the codes met the sectors written just before
    assert list(store.datasets()["dataset_id"]) == ["gebiedsindeling-statsec-2025", "cijfers-cijfers"]
    stored = store.observations(["pop_total"], ["2025"]).set_index("area_code")
    assert stored.loc["23003A001", "value"] == 1212 and stored.loc["23027A000", "status"] == "verborgen"
    assert sorted(store.sectors_within("gemeente", ["23003"])) == ["23003A001", "23003A012"]
    assert [label for _, label in steps][0] == "sectoren.csv" and steps[-2] == (1.0, "cijfers.csv")
    # Last: the figures of every area, computed once, so no page computes them (the results table).
    assert steps[-1] == (1.0, "Alle gebieden") and store.results_fresh()
    assert store.result_periods() == ["2025"]
    assert all(a <= b for (a, _), (b, _) in zip(steps, steps[1:]))  # the bar only moves forward


def test_a_file_that_fails_on_writing_leaves_nothing_and_the_others_stay(store, tmp_path):
    items = _planned(store, tmp_path, [("sectoren.csv", _sector_table("2025")), ("cijfers.csv", FIGURES)])

    def progress(fraction: float, label: str, what: str) -> None:
        if label == "cijfers.csv" and what == "kaartlagen":  # the figures are in, the transaction not done
            raise ImportProblem("De schijf is vol.")

    outcomes = import_datasets(store, items, progress=progress)

    assert [(o.label, o.ok, o.text) for o in outcomes][1] == (
        "cijfers.csv",
        False,
        "cijfers.csv: niets bewaard. De schijf is vol.",
    )
    assert outcomes[0].ok and isinstance(outcomes[1].error, ImportProblem)
    assert list(store.datasets()["dataset_id"]) == ["gebiedsindeling-statsec-2025"]  # the areas stay
    assert store.observations(["pop_total"], ["2025"]).empty  # none of the figures


def test_a_file_that_no_longer_fits_after_the_first_is_not_written(store, tmp_path):
    # Both sector tables plan against the empty store; once the 2025 division is written, the 2024 table,
    # planned again, is refused: nothing of it is written.
    items = _planned(store, tmp_path, [("s2025.csv", _sector_table("2025")), ("s2024.csv", _sector_table("2024"))])
    assert all(i.problem is None for i in items)
    seen = []

    outcomes = import_datasets(store, items, on_outcome=seen.append)

    assert seen == outcomes and [(o.label, o.ok) for o in outcomes] == [("s2025.csv", True), ("s2024.csv", False)]
    assert outcomes[1].text.startswith("s2024.csv: niets bewaard. ") and "2025" in outcomes[1].text
    assert isinstance(outcomes[1].error, ImportProblem)
    assert list(store.datasets()["dataset_id"]) == ["gebiedsindeling-statsec-2025"]


def test_a_file_that_could_not_be_planned_is_reported_when_nothing_was_written(store, tmp_path):
    items = _planned(store, tmp_path, [("raar.csv", b"iets;anders\na;b\n"), ("cijfers.csv", FIGURES)])
    assert items[0].problem is not None and items[1].problem is None
    shown = []

    def dry_run(plan) -> bool:
        shown.append(plan.dataset_id)
        return False

    outcomes = import_datasets(store, items, before_write=dry_run)

    assert shown == ["cijfers-cijfers"]  # shown, not written
    assert [(o.label, o.ok) for o in outcomes] == [("raar.csv", False)]
    assert outcomes[0].text == f"raar.csv: niets bewaard. {items[0].problem.message}"
    assert outcomes[0].error is items[0].problem
    assert store.datasets().empty
