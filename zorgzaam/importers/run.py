"""One import, for the Data page and ``python -m zorgzaam import`` (no Streamlit).

``plan_datasets`` plans each readable thing (``files.collect``) against the store and keeps a problem with
its dataset; nothing is written. ``import_datasets`` writes what was planned: area tables, then sector
geometry, then figures (``APPLY_ORDER``), a file that could not be planned last (it may need what the others
bring: a raster needs the sectors); each file is planned again once something was written before it, so its
codes meet the new areas. Each plan is written in one transaction, all or nothing; a failing plan leaves
the others as they are. Every plan written, or not, is one ``Outcome`` with a Dutch sentence.

The caller shows what happens: ``progress(fraction, label, what)`` while writing, ``before_write(plan)``
before each plan (the CLI prints the preview, may stop, or skip the write: a dry run) and
``on_outcome(outcome)`` as each outcome is known (the CLI stops at the first failure).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from ..areas import LEVEL_BY_CODE, LEVEL_CODES
from ..engine import refresh_results
from ..formatting import format_number
from ..store import Store, StoreError
from . import APPLY_ORDER, amenities, figures, plan_dataset
from .core import ImportPlan
from .errors import ImportProblem
from .files import Dataset

#: The sentence for a failure nobody foresaw (the traceback goes to the log, not to the user).
UNEXPECTED = (
    "zorgzaam kon {what} niet verwerken door een onverwachte fout. Er is niets bewaard. Controleer of "
    "het het originele bestand van de bron is; blijft het gebeuren, meld het dan aan de beheerder."
)

#: ``progress(fraction of the whole import, label of the plan being written, what it is doing)``.
ImportProgress = Callable[[float, str, str], None]


@dataclass
class PlannedDataset:
    """One readable thing in an upload, planned, or the problem that stopped it."""

    label: str
    dataset: Dataset | None
    plans: list[ImportPlan] = field(default_factory=list)
    problem: ImportProblem | None = None

    @property
    def uses_mapping(self) -> bool:
        """Whether a changed column or tag mapping can change this plan (figures, amenities, or a problem
        while planning)."""
        return self.dataset is not None and (
            self.problem is not None or any(p.preview.kind in (figures.KIND, amenities.KIND) for p in self.plans)
        )

    @property
    def writable(self) -> list[ImportPlan]:
        return [p for p in self.plans if p.writes_something]


@dataclass
class Outcome:
    """What an import did with one plan (or one file that could not be planned again).

    ``error`` is the exception that stopped it (None when written, or when nothing was left to write)."""

    label: str
    ok: bool
    text: str
    plan: ImportPlan | None = None
    error: Exception | None = None


def _plan(
    dataset: Dataset,
    store: Store,
    mapping: dict[str, figures.ColumnTarget] | None,
    amenity_mapping: Mapping[str, str | None] | None,
    periods: Mapping[str, str] | None,
) -> list[ImportPlan]:
    return plan_dataset(
        dataset, store, mapping, amenity_mapping=amenity_mapping, period=(periods or {}).get(dataset.name)
    )


def plan_datasets(
    datasets: Iterable[Dataset],
    store: Store,
    mapping: dict[str, figures.ColumnTarget] | None = None,
    *,
    amenity_mapping: Mapping[str, str | None] | None = None,
    periods: Mapping[str, str] | None = None,
    unexpected: Callable[[Dataset], ImportProblem] | None = None,
) -> list[PlannedDataset]:
    """Each dataset planned against ``store`` (``importers.plan_dataset``); an ``ImportProblem`` is kept with
    its dataset, nothing is written. ``periods``: the period per file name of a plain table.

    ``unexpected(dataset)``, called while any other exception is handled, gives the problem to keep instead
    (the Data page logs it); without it, the exception propagates."""
    items: list[PlannedDataset] = []
    for dataset in datasets:
        try:
            items.append(
                PlannedDataset(dataset.label, dataset, plans=_plan(dataset, store, mapping, amenity_mapping, periods))
            )
        except ImportProblem as exc:
            items.append(PlannedDataset(dataset.label, dataset, problem=exc))
        except Exception:
            if unexpected is None:
                raise
            items.append(PlannedDataset(dataset.label, dataset, problem=unexpected(dataset)))
    return items


def apply_order(item: PlannedDataset) -> int:
    """Area tables, then sector geometry, then figures (``importers.APPLY_ORDER``)."""
    return min((APPLY_ORDER.get(p.preview.kind, 2) for p in item.plans), default=2)


def import_datasets(
    store: Store,
    items: Sequence[PlannedDataset],
    mapping: dict[str, figures.ColumnTarget] | None = None,
    *,
    amenity_mapping: Mapping[str, str | None] | None = None,
    periods: Mapping[str, str] | None = None,
    progress: ImportProgress | None = None,
    before_write: Callable[[ImportPlan], bool] | None = None,
    on_outcome: Callable[[Outcome], None] | None = None,
) -> list[Outcome]:
    """Write the plans of ``items`` in order, each all-or-nothing (module docstring); the outcomes in order.

    Items without a problem go first, by ``apply_order``; items whose planning failed last, planned again
    when something was written before them, else reported with their problem. A plan that writes nothing is
    passed over (after ``before_write``). ``before_write(plan)`` returning False skips writing the plan."""
    todo = sorted((i for i in items if i.problem is None), key=apply_order)
    retry = [i for i in items if i.problem is not None and i.dataset is not None]
    total = sum(len(i.writable) for i in todo) + len(retry) or 1
    done = 0
    written = False
    outcomes: list[Outcome] = []

    def report(outcome: Outcome) -> None:
        outcomes.append(outcome)
        if on_outcome is not None:
            on_outcome(outcome)

    def step(label: str) -> Callable[[float, str], None]:
        def plan_progress(fraction: float, what: str) -> None:
            if progress is not None:
                progress(min(1.0, (done + fraction) / total), label, what)

        return plan_progress

    for item in todo + retry:
        plans = item.plans
        if item.problem is not None and not written:
            report(
                Outcome(item.label, False, f"{item.label}: niets bewaard. {item.problem.message}", error=item.problem)
            )
            done += 1
            continue
        planned_again = written and item.dataset is not None
        if planned_again:  # the store changed: plan again so codes and division meet it
            try:
                plans = _plan(item.dataset, store, mapping, amenity_mapping, periods)
            except ImportProblem as exc:
                report(Outcome(item.label, False, f"{item.label}: niets bewaard. {exc.message}", error=exc))
                done += len(item.writable) or 1
                continue
        for plan in plans:
            if before_write is not None and not before_write(plan):
                continue
            if not plan.writes_something:
                continue
            label = ", ".join(plan.preview.file_names) or item.label
            try:
                plan.apply(store, progress=step(label))
            except (ImportProblem, StoreError) as exc:
                outcome = Outcome(label, False, f"{label}: niets bewaard. {exc}", error=exc)
            except Exception as exc:  # noqa: BLE001 - the transaction was rolled back; the other files go on
                outcome = Outcome(label, False, UNEXPECTED.format(what=label), error=exc)
            else:
                written = True
                outcome = Outcome(label, True, f"{label}: bewaard als '{plan.title}' — {written_text(plan)}.", plan)
            done += 1
            report(outcome)
        if planned_again and not any(p.writes_something for p in plans):
            report(Outcome(item.label, False, f"{item.label}: niets bewaard; er bleef niets over om te importeren."))
            done += len(item.writable) or 1
    if written:  # the figures of every area, ready before a page asks (engine.refresh_results)
        if progress is not None:
            progress(1.0, "Alle gebieden", "de cijfers van elke indicator en periode berekenen")
        refresh_results(store)
    return outcomes


def count_of_level(level: str, n: int) -> str:
    """'154 statistische sectoren', '1 eerstelijnszone'."""
    return f"{format_number(n)} {LEVEL_BY_CODE[level].label if n == 1 else LEVEL_BY_CODE[level].plural}"


def written_text(plan: ImportPlan) -> str:
    """What a plan writes, in words: '154 statistische sectoren, 7 gemeenten' or '154 cijfers (pop_total, 2025)'."""
    parts = []
    if plan.areas is not None:
        for level in LEVEL_CODES:
            if plan.preview.levels.get(level):
                parts.append(count_of_level(level, plan.preview.levels[level]))
    if plan.observations is not None:
        obs = plan.observations
        variables = ", ".join(dict.fromkeys(obs["variable"]))
        periods = ", ".join(sorted(set(obs["period"])))
        parts.append(f"{format_number(len(obs))} cijfers ({variables}; {periods})")
    if plan.features is not None and len(plan.features):
        what = {"voorziening": "voorzieningen", "nederzetting": "kernen, linten of verspreide bebouwing"}
        for layer, n in plan.features["layer"].value_counts().items():
            parts.append(f"{format_number(int(n))} {what.get(layer, 'kaartobjecten')}")
    if plan.stops is not None and len(plan.stops):
        parts.append(f"{format_number(len(plan.stops))} haltes")
    if plan.grid_cells is not None and len(plan.grid_cells):
        parts.append(f"{format_number(len(plan.grid_cells))} hectarecellen")
    if plan.sector_crosswalk is not None and len(plan.sector_crosswalk):
        parts.append(f"{format_number(len(plan.sector_crosswalk))} omzettingen van sectorcodes")
    return ", ".join(parts) or "niets"


__all__ = [
    "UNEXPECTED",
    "ImportProgress",
    "Outcome",
    "PlannedDataset",
    "apply_order",
    "count_of_level",
    "import_datasets",
    "plan_datasets",
    "written_text",
]
