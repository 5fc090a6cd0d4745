"""The Gegevens page (pages/gegevens.py): which data the app shows, and importing the werkgroep's files.

The flow, nothing written before the last step:

1. upload: the bytes are kept in the session by the uploader's file ids; shapefile parts with the
   same name go together, every other file (or zip) is read on its own, so one bad file never
   blocks the others;
2. preview: each file is read and planned against the **own** database (``importers.plan_dataset``);
   plans are cached in the session until the database or the column mapping changes;
3. mapping: columns the catalogue does not know get a choice (a base count, an indicator, or not
   imported), remembered in the own database (``importers.figures.remember_mapping``);
4. import: area files first (``importers.APPLY_ORDER``; area tables before sector geometry), a file
   planned again when something was written before it so its codes meet the new areas (as
   ``python -m zorgzaam import`` does), each plan in one transaction (all or nothing), with a
   progress bar. Imports always go to ``own_store()``, never into the demo.
"""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import PurePosixPath

import pandas as pd
import streamlit as st

from ..areas import LEVEL_BY_CODE, LEVEL_CODES
from ..catalogue import BUILTIN
from ..formatting import format_date, format_number
from ..importers import APPLY_ORDER, ImportPlan, ImportProblem, SourceFile, plan_dataset
from ..importers import figures, sectors
from ..importers.files import MAX_FILE_BYTES, SHAPEFILE_PARTS, Dataset, collect
from ..importers.figures import ColumnTarget
from ..store import Store, StoreError, demo_path
from .data import SOURCE_KEY, SOURCES, data_version, demo_store, own_store, source_choice
from .frame import demo_notice, source_picker

log = logging.getLogger("zorgzaam")

# Session-state keys.
ROUND_KEY = "gegevens_upload_round"    # bumped after an import: a fresh, empty uploader
FILES_KEY = "gegevens_files"           # {file_id: (name, bytes)}
PLANS_KEY = "gegevens_plans"           # {unit key: PlannedUnit}
MAPPING_KEY = "gegevens_mapping"       # {column: ColumnTarget} chosen in this session
FLASH_KEY = "gegevens_flash"           # outcomes of the last import or deletion, shown once
AREA_AFTER_KEY = "gegevens_area_after"  # (elz, gemeente) to show after an import, set before the pickers run

UPLOAD_TYPES = ["zip", "geojson", "json", "shp", "shx", "dbf", "prj", "cpg", "gpkg", "sqlite", "csv", "txt",
                "xlsx", "xls"]
#: Unmatched codes are listed inline up to this many, in an expander beyond.
INLINE_CODES = 10
#: Rows of the sample table under a preview.
SAMPLE_ROWS = 10

_SKIP = "skip"
UNEXPECTED = ("zorgzaam kon {what} niet verwerken door een onverwachte fout. Er is niets bewaard. Controleer of "
              "het het originele bestand van de bron is; blijft het gebeuren, meld het dan aan de beheerder.")


# --------------------------------------------------------------------------- planning (no widgets)


@dataclass
class PlannedDataset:
    """One readable thing in an upload, planned, or the problem that stopped it."""

    label: str
    dataset: Dataset | None
    plans: list[ImportPlan] = field(default_factory=list)
    problem: ImportProblem | None = None

    @property
    def uses_mapping(self) -> bool:
        """Whether a changed column mapping can change this plan (figures, or a problem while planning)."""
        return self.dataset is not None and (self.problem is not None
                                             or any(p.preview.kind == figures.KIND for p in self.plans))

    @property
    def writable(self) -> list[ImportPlan]:
        return [p for p in self.plans if p.areas is not None or p.observations is not None]


@dataclass
class PlannedUnit:
    """One uploaded file (or the parts of one shapefile), unpacked in its own temporary folder."""

    names: list[str]
    store_key: str
    mapping_key: tuple
    items: list[PlannedDataset]
    workdir: tempfile.TemporaryDirectory

    def close(self) -> None:
        self.workdir.cleanup()


def upload_units(files: dict[str, tuple[str, bytes]]) -> dict[tuple[str, ...], list[str]]:
    """File ids grouped into what is read together: a shapefile's parts by name, else one file each."""
    units: dict[tuple[str, ...], list[str]] = {}
    shapefiles: dict[str, list[str]] = {}
    for file_id, (name, _data) in files.items():
        path = PurePosixPath(name)
        if path.suffix.lower() in SHAPEFILE_PARTS:
            shapefiles.setdefault(path.stem.lower(), []).append(file_id)
        else:
            units[(file_id,)] = [file_id]
    for ids in shapefiles.values():
        units[tuple(sorted(ids))] = ids
    return units


def plan_unit(files: dict[str, tuple[str, bytes]], ids: Sequence[str], store: Store,
              mapping: dict[str, ColumnTarget], store_key: str, mapping_key: tuple) -> PlannedUnit:
    """Read and plan one unit against ``store``; every problem is kept, nothing is written."""
    names = [files[i][0] for i in ids]
    workdir = tempfile.TemporaryDirectory(prefix="zorgzaam-upload-")
    items: list[PlannedDataset] = []
    try:
        datasets = collect([SourceFile.from_bytes(files[i][0], files[i][1]) for i in ids], workdir=workdir.name)
    except ImportProblem as exc:
        items.append(PlannedDataset(", ".join(names), None, problem=exc))
    except Exception:  # noqa: BLE001 - one odd file must not take the page down
        log.exception("Onverwachte fout bij het uitpakken van %s", names)
        items.append(PlannedDataset(", ".join(names), None,
                                    problem=ImportProblem(UNEXPECTED.format(what=", ".join(names)))))
    else:
        for dataset in datasets:
            try:
                items.append(PlannedDataset(dataset.label, dataset, plans=plan_dataset(dataset, store, mapping)))
            except ImportProblem as exc:
                items.append(PlannedDataset(dataset.label, dataset, problem=exc))
            except Exception:  # noqa: BLE001 - see above; the other files still get their preview
                log.exception("Onverwachte fout bij het lezen van %s", dataset.label)
                items.append(PlannedDataset(dataset.label, dataset,
                                            problem=ImportProblem(UNEXPECTED.format(what=dataset.label))))
    return PlannedUnit(names, store_key, mapping_key, items, workdir)


@dataclass
class Outcome:
    """What an import did with one plan (or one file that could not be planned again)."""

    label: str
    ok: bool
    text: str
    plan: ImportPlan | None = None


def _apply_order(item: PlannedDataset) -> int:
    """Area tables, then sector geometry, then figures (``importers.APPLY_ORDER``)."""
    return min((APPLY_ORDER.get(p.preview.kind, 2) for p in item.plans), default=2)


def import_planned(store: Store, items: Sequence[PlannedDataset], mapping: dict[str, ColumnTarget],
                   progress: Callable[[float, str], None] | None = None) -> list[Outcome]:
    """Write every writable plan, each all-or-nothing; a file is planned again when something was
    written before it (its codes then meet the new areas, like the CLI)."""
    todo = sorted((i for i in items if i.problem is None and i.writable), key=_apply_order)
    total = sum(len(i.writable) for i in todo) or 1
    done = 0
    written = False
    outcomes: list[Outcome] = []

    def step(text: str) -> Callable[[float, str], None]:
        def report(fraction: float, what: str) -> None:
            if progress is not None:
                progress(min(1.0, (done + fraction) / total), f"{text}: {what}")
        return report

    for item in todo:
        plans = item.writable
        if written and item.dataset is not None:
            try:
                plans = [p for p in plan_dataset(item.dataset, store, mapping)
                         if p.areas is not None or p.observations is not None]
            except ImportProblem as exc:
                outcomes.append(Outcome(item.label, False, f"{item.label}: niets bewaard. {exc.message}"))
                done += len(item.writable)
                continue
            if not plans:
                outcomes.append(Outcome(item.label, False, f"{item.label}: niets bewaard; er bleef niets over om "
                                                           "te importeren."))
                done += len(item.writable)
                continue
        for plan in plans:
            label = ", ".join(plan.preview.file_names) or item.label
            try:
                plan.apply(store, progress=step(label))
            except (ImportProblem, StoreError) as exc:
                outcomes.append(Outcome(label, False, f"{label}: niets bewaard. {exc}"))
            except Exception:  # noqa: BLE001 - the transaction was rolled back; the other files go on
                log.exception("Onverwachte fout bij het bewaren van %s", label)
                outcomes.append(Outcome(label, False, UNEXPECTED.format(what=label)))
            else:
                written = True
                outcomes.append(Outcome(label, True, f"{label}: bewaard als '{plan.title}' — {written_text(plan)}.",
                                        plan))
            done += 1
    return outcomes


def written_text(plan: ImportPlan) -> str:
    """What a plan writes, in words: '154 statistische sectoren, 7 gemeenten' or '154 cijfers (pop_total, 2025)'."""
    parts = []
    if plan.areas is not None:
        for level in LEVEL_CODES:
            if plan.preview.levels.get(level):
                parts.append(_count_of(level, plan.preview.levels[level]))
    if plan.observations is not None:
        obs = plan.observations
        variables = ", ".join(dict.fromkeys(obs["variable"]))
        periods = ", ".join(sorted(set(obs["period"])))
        parts.append(f"{format_number(len(obs))} cijfers ({variables}; {periods})")
    return ", ".join(parts) or "niets"


def area_after_import(store: Store, plans: Sequence[ImportPlan], current_elz: str | None = None,
                      current_gemeente: str | None = None) -> tuple[str, str | None] | None:
    """The care zone (and municipality) to show after an import: the zone holding most of the sectors
    whose outlines were just imported, else the current choice when it still exists, else the first."""
    zones = store.areas("elz")
    if zones.empty:
        return None
    codes = [c for p in plans if p.preview.kind == sectors.KIND and p.areas is not None
             for c in p.areas.loc[p.areas["level"] == "statsec", "code"]]
    zone = None
    if codes:
        parents = store.parents("statsec", codes)
        if "elz" in parents and parents["elz"].notna().any():
            counts = parents["elz"].value_counts()
            zone = current_elz if current_elz in counts.index else counts.index[0]
    if zone is None:
        zone = current_elz if current_elz in set(zones["code"]) else zones["code"].iloc[0]
    municipalities = store.areas("gemeente", within=("elz", zone))
    if municipalities.empty:
        return zone, None
    if current_gemeente in set(municipalities["code"]):
        return zone, current_gemeente
    return zone, municipalities.sort_values("name")["code"].iloc[0]


def target_options() -> dict[str, ColumnTarget]:
    """Every choice of the mapping step: not imported, each base count, each indicator."""
    out = {_SKIP: ColumnTarget("skip")}
    out.update({f"base:{c}": ColumnTarget("base", c) for c in BUILTIN.base_counts})
    out.update({f"indicator:{c}": ColumnTarget("indicator", c) for c in BUILTIN.indicators})
    return out


def target_label(key: str) -> str:
    target = target_options()[key]
    return target.label() if target.kind == "skip" else f"{target.label()} ({target.code})"


# --------------------------------------------------------------------------- page sections


def open_page(title: str) -> Store:
    """The page's opening, like ``frame.page_start`` but never stopping: the import page must stay
    reachable while the own database has no care zone yet (e.g. after importing only sectors)."""
    from .data import get_store
    from .state import area_picker
    from .team_sidebar import team_sidebar

    after = st.session_state.pop(AREA_AFTER_KEY, None)
    if after is not None:
        # Set (not deleted) before the pickers exist: a widget whose value is only dropped keeps showing
        # its old label in the browser when its options change.
        st.session_state[SOURCE_KEY] = "eigen"
        st.session_state["elz"] = after[0]
        if after[1] is not None:
            st.session_state["gemeente"] = after[1]
    source_picker()
    store = get_store()
    area_picker(store)
    demo_notice(store)
    team_sidebar(store)
    st.title(title)
    return store


def show_flash() -> None:
    for outcome in st.session_state.pop(FLASH_KEY, []):
        if outcome.ok:
            st.success(outcome.text, icon=":material/check_circle:")
        else:
            st.error(outcome.text)


def _datasets_table(store: Store) -> pd.DataFrame:
    rows = store.datasets()
    return pd.DataFrame({
        "Gegevens": rows["title"],
        "Bron": rows["source"],
        "Periode": rows["period_label"].fillna("-"),
        "Bestand": rows["file_name"].fillna("-"),
        "Geïmporteerd op": [f"{format_date(t)}, {t:%H:%M}" for t in rows["imported_at"]],
    })


def _levels_line(store: Store) -> str:
    counts = dict(store.level_counts().itertuples(index=False))
    parts = [_count_of(lv, counts[lv]) for lv in LEVEL_CODES if counts.get(lv)]
    return " · ".join(parts) if parts else "nog geen"


def _count_of(level: str, n: int) -> str:
    """'154 statistische sectoren', '1 eerstelijnszone'."""
    return f"{format_number(n)} {LEVEL_BY_CODE[level].label if n == 1 else LEVEL_BY_CODE[level].plural}"


def data_in_use() -> None:
    """Which datasets the own database and the demo hold, and which one the pages show."""
    own = own_store()
    shown = source_choice()
    st.subheader("Welke gegevens gebruikt de app?")
    if shown == "eigen":
        st.info("De pagina's tonen nu **jullie eigen gegevens**. Links in de zijbalk (Gegevens) kan je "
                "overschakelen naar de demo.", icon=":material/database:")
    elif own.has_own_data():
        st.info("De pagina's tonen nu **de demo (fictief)**. Links in de zijbalk (Gegevens) kan je "
                "overschakelen naar jullie eigen gegevens.", icon=":material/science:")
    else:
        st.info("Er zijn nog geen eigen gegevens: de pagina's tonen **de demo (fictief)**. Zodra je hieronder "
                "bestanden importeert, tonen ze jullie eigen gegevens.", icon=":material/science:")

    with st.container(border=True):
        st.markdown(f"**{SOURCES['eigen']}**" + (" — nu in gebruik" if shown == "eigen" else ""))
        if not own.has_own_data():
            st.markdown("Nog niets geïmporteerd.")
        else:
            mine = own.datasets()
            own_table = _datasets_table(own)[~mine["is_demo"].to_numpy()]
            st.dataframe(own_table, hide_index=True, width="stretch")
            vintage = own.sector_vintage()
            st.markdown(f"Sectorindeling: **{vintage or 'nog niet bepaald'}**  \nGebieden: {_levels_line(own)}")
    with st.container(border=True):
        st.markdown(f"**{SOURCES['demo']}**" + (" — nu in gebruik" if shown == "demo" else ""))
        if own.has_own_data() and not own.has_demo() and not demo_path().exists():
            st.markdown("De demo wordt klaargezet zodra je ze kiest in de zijbalk.")
        else:
            demo = demo_store()
            st.dataframe(_datasets_table(demo), hide_index=True, width="stretch")
            st.markdown(f"De eerstelijnszone Heidekempen is **fictief**, enkel om de app te leren kennen.  \n"
                        f"Gebieden: {_levels_line(demo)}")


def upload_explanation() -> None:
    st.subheader("Eigen bestanden importeren")
    st.markdown(
        "Laad de openbare bestanden op van jullie gemeente of eerstelijnszone. Je krijgt eerst een **voorbeeld**: "
        "wat zorgzaam erin herkent, en wat niet. Pas als je op **Importeren** klikt, wordt er iets bewaard, in "
        "jullie eigen databank; de demo blijft apart.\n\n"
        "**1. Gebieden** (eerst; cijfers worden aan deze gebieden gekoppeld)\n"
        "- De **statistische sectoren** van Statbel (bestand `sh_statbel_statistical_sectors_…`, als zip, "
        "GeoJSON, shapefile of SpatiaLite): [statbel.fgov.be › Open data › Statistische sectoren]"
        "(https://statbel.fgov.be/nl/open-data/statistische-sectoren-2025).\n"
        "- De **gebiedsindeling** van Provincies in Cijfers, die zegt in welke gemeente, wijk en eerstelijnszone "
        "elke sector ligt: `statsec_als_basis.xlsx` (sectorindeling 2025) of `statsec2024_als_basis.xlsx` "
        "(indeling 2024), en `gemeente_elz.xls` (gemeente → eerstelijnszone). Te vinden op "
        "[github.com/provinciesincijfers/gebiedsniveaus](https://github.com/provinciesincijfers/gebiedsniveaus) "
        "(mappen *verzamelbestanden* en *kerntabellen*).\n"
        "- De **omtrek** van gemeenten, deelgemeenten, wijken en eerstelijnszones: de shapefiles `gemeente`, "
        "`elz`, … van Provincies in Cijfers (map *data_voor_swing/shapefiles*). Kies alle delen van een "
        "shapefile samen (.shp, .shx, .dbf, .prj en .cpg) of één zip-bestand.\n\n"
        "**2. Cijfers**\n"
        "- De **bevolking per statistische sector** van Statbel (`OPENDATA_SECTOREN_2024.txt` of de zip): "
        "[statbel.fgov.be › Bevolking per statistische sector]"
        "(https://statbel.fgov.be/en/open-data/population-statistical-sector-2024). Laat de bestandsnaam zoals "
        "hij is: het jaar staat erin.\n"
        "- Tabellen van **Provincies in Cijfers / Swing**: het uploadformaat (`period | geolevel | geoitem | …`), "
        "een export met gebieden als 'Naam (CODE)', of de tabel-JSON.\n"
        "- De **omzettingstabel** sectoren 2025 → 2024 (`Statsect2025_2024.csv`): tellingen op de codes van 2025 "
        "worden dan opgeteld per sector van 2024.\n\n"
        "**3. Haltes**\n"
        "- De **dienstregeling van De Lijn** (GTFS-zip): haltes met het aantal vertrekken per uur op een "
        "weekdag, de belbus apart.\n"
        "- De laag **Haltes De Lijn** van Digitaal Vlaanderen (zonder dienstregeling: de frequentie blijft "
        "onbekend).\n\n"
        "**4. Voorzieningen**\n"
        "- **OpenStreetMap** (GeoJSON, GeoPackage, de shapefile-zip van Geofabrik, of Overpass-JSON): winkels, "
        "apotheken, huisartsen … volgens een vaste koppeling van OSM-tags aan de categorieën van zorgzaam; wat "
        "niet gekoppeld is, staat in het voorbeeld.\n"
        "- De **lijst van apotheken** van het FAGG (xlsx, Lambert 2008).\n\n"
        f"Eén databank gebruikt één sectorindeling (2024 of 2025). Bestanden tot "
        f"{format_number(MAX_FILE_BYTES // 1024**3)} GB. Nog niet mogelijk: kernen en linten, hectarerasters."
    )


def uploaded_files() -> dict[str, tuple[str, bytes]]:
    """The uploader, and its files' bytes kept in the session by file id (read once per upload)."""
    round_ = st.session_state.setdefault(ROUND_KEY, 0)
    uploads = st.file_uploader(
        "Kies één of meer bestanden", type=UPLOAD_TYPES, accept_multiple_files=True,
        key=f"gegevens_upload_{round_}",
        help="Zip, GeoJSON, shapefile (.shp met .shx, .dbf, .prj en .cpg), GeoPackage, SpatiaLite, CSV, "
             "tekstbestand, Excel of JSON.",
    ) or []
    kept: dict[str, tuple[str, bytes]] = st.session_state.setdefault(FILES_KEY, {})
    current = {u.file_id for u in uploads}
    for file_id in [i for i in kept if i not in current]:
        del kept[file_id]
    for upload in uploads:
        if upload.file_id not in kept:
            kept[upload.file_id] = (upload.name, upload.getvalue())
    return dict(kept)


def planned(files: dict[str, tuple[str, bytes]]) -> list[PlannedUnit]:
    """The units of the upload planned against the own database, from the session while still valid."""
    own = own_store()
    mapping: dict[str, ColumnTarget] = st.session_state.get(MAPPING_KEY, {})
    store_key = data_version(own)
    mapping_key = (tuple(own.column_mappings()), tuple(sorted((c, t.kind, t.code or "") for c, t in mapping.items())))
    cache: dict[tuple[str, ...], PlannedUnit] = st.session_state.setdefault(PLANS_KEY, {})
    units = upload_units(files)
    for key in [k for k in cache if k not in units]:
        cache.pop(key).close()
    out = []
    for key, ids in units.items():
        unit = cache.get(key)
        stale = unit is None or unit.store_key != store_key or (
            unit.mapping_key != mapping_key and any(i.uses_mapping for i in unit.items))
        if stale:
            if unit is not None:
                unit.close()
            with st.spinner(f"{', '.join(files[i][0] for i in ids)} wordt gelezen …"):
                unit = plan_unit(files, ids, own, mapping, store_key, mapping_key)
            cache[key] = unit
        out.append(unit)
    return out


def clear_upload() -> None:
    """Forget the upload and its plans (a new, empty uploader on the next run)."""
    for unit in st.session_state.pop(PLANS_KEY, {}).values():
        unit.close()
    st.session_state.pop(FILES_KEY, None)
    st.session_state[ROUND_KEY] = st.session_state.get(ROUND_KEY, 0) + 1


def _dutch_numbers(frame: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """Number columns as Dutch text (1.234,5; a missing value '-'), and the names of those columns."""
    out = frame.copy()
    numeric = []
    for col in out.columns:
        if pd.api.types.is_numeric_dtype(out[col]) and not pd.api.types.is_bool_dtype(out[col]):
            values = out[col].dropna()
            decimals = 0 if values.eq(values.round()).all() else 2
            out[col] = [format_number(v, decimals) for v in out[col]]
            numeric.append(col)
    return out, numeric


def _raw_sample(plan: ImportPlan) -> pd.DataFrame | None:
    if plan.preview.sample is not None:
        return plan.preview.sample
    if plan.observations is not None:
        return plan.observations.head(SAMPLE_ROWS)[["area_level", "area_code", "variable", "period", "value",
                                                     "status"]].rename(columns={
            "area_level": "niveau", "area_code": "gebied", "variable": "variabele", "period": "periode",
            "value": "waarde"})
    if plan.areas is not None:
        return plan.areas.head(SAMPLE_ROWS)[["level", "code", "name"]].rename(
            columns={"level": "niveau", "name": "naam"})
    return None


def show_plan(plan: ImportPlan) -> None:
    """One plan's preview: its lines, the unmatched codes, warnings, and a sample table."""
    preview = plan.preview
    lines = preview.lines()
    lines = lines[:len(lines) - len(preview.warnings)]  # the warnings come last; shown as warnings below
    lines = [line for line in lines if not line.startswith("Niet herkend:")]
    st.markdown(f"**{lines[0]}**  \n" + "  \n".join(lines[1:]))
    if preview.unmatched:
        n = len(preview.unmatched)
        if n <= INLINE_CODES:
            st.markdown(f"Niet herkend: {', '.join(preview.unmatched)}")
        else:
            with st.expander(f"{format_number(n)} codes niet herkend"):
                st.text(", ".join(preview.unmatched))
    for warning in preview.warnings:
        st.warning(warning, icon=":material/warning:")
    sample = _raw_sample(plan)
    if sample is not None and len(sample):
        shown, numeric = _dutch_numbers(sample)
        st.caption(f"De eerste {min(SAMPLE_ROWS, len(shown))} rijen")
        st.dataframe(shown, hide_index=True, width="stretch",
                     column_config={c: st.column_config.TextColumn(alignment="right") for c in numeric})


def show_previews(units: Sequence[PlannedUnit]) -> list[PlannedDataset]:
    """A preview per file (or one Dutch error); returns every planned dataset."""
    st.subheader("Voorbeeld: wat er bewaard zou worden")
    items = [item for unit in units for item in unit.items]
    for item in items:
        with st.container(border=True):
            if item.problem is not None:
                st.markdown(f"**{item.label}**")
                st.error(item.problem.message, icon=":material/error:")
                if item.problem.details:
                    with st.expander("Details"):
                        st.text("\n".join(item.problem.details))
                continue
            for plan in item.plans:
                show_plan(plan)
    return items


def mapping_step(items: Sequence[PlannedDataset]) -> None:
    """A choice per column the catalogue does not know, applied and remembered with one button."""
    columns = list(dict.fromkeys(c for item in items for plan in item.plans for c in plan.unmapped_columns))
    if not columns:
        return
    options = target_options()
    st.subheader("Kolommen koppelen")
    st.markdown(
        "zorgzaam kent deze kolommen niet. Kies per kolom wat erin staat: een **telling** uit de catalogus "
        "(een aantal, zoals inwoners of huishoudens, waaruit de app zelf percentages berekent) of een "
        "**indicator** (een kant-en-klare waarde, die de app toont zoals ze is), of *niet importeren*. "
        "Wat je kiest, onthoudt zorgzaam voor de volgende keer. Een kolom die je niet kiest, wordt niet "
        "geïmporteerd.\n\n"
        "Een eigen, extra indicator met een eigen naam en eenheid toevoegen kan nog niet; dat komt in een "
        "volgende stap. Kies tot dan *niet importeren* voor zo'n kolom."
    )
    with st.form("gegevens_koppeling"):
        for col in columns:
            st.selectbox(f"Kolom '{col}'", list(options), index=None, format_func=target_label,
                         placeholder="nog niet gekozen", key=f"gegevens_kolom|{col}")
        submitted = st.form_submit_button("Koppeling toepassen", icon=":material/link:")
    if submitted:
        chosen = {col: options[key] for col in columns
                  if (key := st.session_state.get(f"gegevens_kolom|{col}")) is not None}
        if not chosen:
            st.warning("Kies eerst voor minstens één kolom wat erin staat.")
            return
        figures.remember_mapping(own_store(), chosen)
        mapping = dict(st.session_state.get(MAPPING_KEY, {}))
        mapping.update(chosen)
        st.session_state[MAPPING_KEY] = mapping
        st.rerun()


def import_step(items: Sequence[PlannedDataset]) -> None:
    """The import button; outcomes are shown after a rerun (the sidebar then shows the new data)."""
    st.subheader("Importeren")
    own = own_store()
    writable = [p for item in items if item.problem is None for p in item.writable]
    if own.has_demo():
        st.error(f"De eigen databank ({own.path}) bevat de demo van een oudere versie. Eigen gegevens worden "
                 "nooit met de fictieve demo gemengd: vraag de beheerder om een nieuwe, lege eigen databank.")
        return
    st.markdown(
        "Gebieden worden eerst bewaard, cijfers daarna (zo vinden de cijfers hun gebieden). Elk bestand (of "
        "werkblad) wordt **in zijn geheel** bewaard of, bij een fout, **helemaal niet**; de andere bestanden "
        "gaan gewoon door. Een bestand opnieuw importeren vervangt wat het de vorige keer bracht."
    )
    if not writable:
        st.caption("Er is nog niets om te importeren.")
    clicked = st.button("Importeren", type="primary", icon=":material/upload:", disabled=not writable,
                        key="gegevens_importeren")
    if not clicked:
        return
    bar = st.progress(0.0, text="Importeren …")
    outcomes = import_planned(own, items, st.session_state.get(MAPPING_KEY, {}),
                              progress=lambda fraction, text: bar.progress(fraction, text=text))
    bar.progress(1.0, text="Klaar")
    st.session_state[FLASH_KEY] = outcomes
    written = [o.plan for o in outcomes if o.ok and o.plan is not None]
    if written:
        # Show the own data, at the zone just imported (the pickers are set on the next run).
        st.session_state[AREA_AFTER_KEY] = area_after_import(
            own, written, st.session_state.get("elz"), st.session_state.get("gemeente"))
    clear_upload()
    st.rerun()


def delete_step() -> None:
    """Remove imported figures again (areas cannot be removed one file at a time; see the text)."""
    own = own_store()
    rows = own.datasets()
    rows = rows[~rows["is_demo"] & rows["dataset_id"].str.startswith(f"{figures.KIND}-")]
    with st.expander("Geïmporteerde cijfers verwijderen", icon=":material/delete:"):
        st.markdown(
            "Je kan geïmporteerde **cijfers** weer verwijderen: alle waarden uit dat bestand verdwijnen uit de "
            "eigen databank. Waarden die dat bestand bij het importeren verving (dezelfde variabele, hetzelfde "
            "gebied en jaar uit een eerder bestand) komen niet terug: importeer dat eerdere bestand dan opnieuw. "
            "De sectorindeling (2024 of 2025) van de databank blijft vastliggen.\n\n"
            "**Gebieden** (sectoren, gemeenten, eerstelijnszones en hun omtrek) kan je hier niet verwijderen: "
            "elk gebiedsbestand vult aan wat een ander bracht (een sector krijgt zijn vorm uit het ene bestand en "
            "zijn gemeente uit het andere). Eén bestand weghalen zou de gebieden half laten staan. Wil je met "
            "een lege databank herbeginnen, vraag het dan aan de beheerder."
        )
        if rows.empty:
            st.caption("Er zijn nog geen geïmporteerde cijfers.")
            return
        titles = dict(zip(rows["dataset_id"], rows["title"]))
        chosen = st.selectbox("Welke cijfers?", list(titles), format_func=titles.get, key="gegevens_weg")
        sure = st.checkbox("Ja, verwijder deze cijfers uit de eigen databank", key="gegevens_weg_zeker")
        if st.button("Verwijderen", icon=":material/delete:", disabled=not sure, key="gegevens_weg_knop"):
            own.delete_dataset(chosen)
            st.session_state[FLASH_KEY] = [Outcome(titles[chosen], True, f"'{titles[chosen]}' is verwijderd.")]
            st.session_state.pop("gegevens_weg_zeker", None)
            st.rerun()
