"""The Gegevens page (pages/gegevens.py): which data the app shows, and importing the werkgroep's files.

The flow, nothing written before the last step:

1. upload: the bytes are kept in the session by the uploader's file ids; shapefile parts with the
   same name go together, every other file (or zip) is read on its own, so one bad file never
   blocks the others;
2. preview: each file is read and planned against the **own** database (``importers.plan_dataset``);
   plans are cached in the session until the database or the column mapping changes;
3. mapping: columns the catalogue does not know get a choice (a base count, an indicator, an extra
   indicator with its own label and unit, or not imported), remembered in the own database
   (``importers.figures.remember_mapping``); the OSM tags of an amenities file get an editable
   tag → category table, remembered too (``Store.save_amenity_tag_mappings``); both can be forgotten;
4. import (``importers.run.import_datasets``, as ``python -m zorgzaam import`` does): area files first
   (``importers.APPLY_ORDER``; area tables before sector geometry), a file planned again when something
   was written before it so its codes meet the new areas, each plan in one transaction (all or nothing),
   with a progress bar. Imports always go to ``own_store()``, never into the demo.
"""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import PurePosixPath

import pandas as pd
import streamlit as st

from ..access import ACCESS_DATASET, CATEGORY_LABELS
from ..areas import LEVEL_CODES
from ..catalogue import BUILTIN, EXTRA_DENOMINATORS, EXTRA_KINDS, EXTRA_MULTIPLIERS
from ..formatting import format_date, format_number
from ..importers import ImportPlan, ImportProblem, SourceFile
from ..importers import amenities, figures, sectors
from ..importers.files import MAX_FILE_BYTES, SHAPEFILE_PARTS, Dataset, collect
from ..importers.figures import ColumnTarget
from ..importers.run import (
    UNEXPECTED,
    Outcome,
    PlannedDataset,
    count_of_level,
    import_datasets,
    plan_datasets,
)
from ..store import Store, StoreError, demo_path
from .data import SOURCE_KEY, SOURCES, data_version, demo_store, own_store, source_choice
from .frame import demo_notice, source_picker

log = logging.getLogger("zorgzaam")

# Session-state keys.
ROUND_KEY = "gegevens_upload_round"  # bumped after an import: a fresh, empty uploader
FILES_KEY = "gegevens_files"  # {file_id: (name, bytes)}
PLANS_KEY = "gegevens_plans"  # {unit key: PlannedUnit}
MAPPING_KEY = "gegevens_mapping"  # {column: ColumnTarget} chosen in this session
TAGS_KEY = "gegevens_tags"  # {OSM tag: category or None} chosen in this session
TAGS_ROUND_KEY = "gegevens_tags_round"  # bumped after the tag table is applied: a fresh editor
FLASH_KEY = "gegevens_flash"  # outcomes of the last import or deletion, shown once
AREA_AFTER_KEY = "gegevens_area_after"  # (elz, gemeente) to show after an import, set before the pickers run
PERIOD_PREFIX = "gegevens_periode|"  # + a file's name: the period of a plain table (a text input)

UPLOAD_TYPES = [
    "zip",
    "geojson",
    "json",
    "shp",
    "shx",
    "dbf",
    "prj",
    "cpg",
    "gpkg",
    "sqlite",
    "csv",
    "txt",
    "xlsx",
    "xls",
    "tif",
    "tiff",
]
#: Unmatched codes are listed inline up to this many, in an expander beyond.
INLINE_CODES = 10
#: Rows of the sample table under a preview.
SAMPLE_ROWS = 10

_SKIP = "skip"
_EXTRA = "extra"
NOT_IMPORTED = "niet importeren"


# --------------------------------------------------------------------------- planning (no widgets)


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


def plan_unit(
    files: dict[str, tuple[str, bytes]],
    ids: Sequence[str],
    store: Store,
    mapping: dict[str, ColumnTarget],
    store_key: str,
    mapping_key: tuple,
    amenity_mapping: dict[str, str | None] | None = None,
    periods: dict[str, str] | None = None,
) -> PlannedUnit:
    """Read and plan one unit against ``store``; every problem is kept, nothing is written.
    ``periods``: the period given per file name for a plain table (``importers.plan_dataset``)."""
    periods = periods or {}
    names = [files[i][0] for i in ids]
    workdir = tempfile.TemporaryDirectory(prefix="zorgzaam-upload-")
    items: list[PlannedDataset] = []
    try:
        datasets = collect([SourceFile.from_bytes(files[i][0], files[i][1]) for i in ids], workdir=workdir.name)
    except ImportProblem as exc:
        items.append(PlannedDataset(", ".join(names), None, problem=exc))
    except Exception:  # noqa: BLE001 - one odd file must not take the page down
        log.exception("Onverwachte fout bij het uitpakken van %s", names)
        items.append(
            PlannedDataset(", ".join(names), None, problem=ImportProblem(UNEXPECTED.format(what=", ".join(names))))
        )
    else:
        # An unexpected error is logged and kept as the file's problem: the other files still get their preview.
        items += plan_datasets(
            datasets, store, mapping, amenity_mapping=amenity_mapping, periods=periods, unexpected=_unexpected_reading
        )
    return PlannedUnit(names, store_key, mapping_key, items, workdir)


def _unexpected_reading(dataset: Dataset) -> ImportProblem:
    """Called while an unexpected exception is handled: logged, and one Dutch sentence for the page."""
    log.exception("Onverwachte fout bij het lezen van %s", dataset.label)
    return ImportProblem(UNEXPECTED.format(what=dataset.label))


def area_after_import(
    store: Store, plans: Sequence[ImportPlan], current_elz: str | None = None, current_gemeente: str | None = None
) -> tuple[str, str | None] | None:
    """The care zone (and municipality) to show after an import: the zone holding most of the sectors
    whose outlines were just imported, else the current choice when it still exists, else the first."""
    zones = store.areas("elz")
    if zones.empty:
        return None
    codes = [
        c
        for p in plans
        if p.preview.kind == sectors.KIND and p.areas is not None
        for c in p.areas.loc[p.areas["level"] == "statsec", "code"]
    ]
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
    """Every choice of the mapping step: not imported, an extra indicator (its label and unit are asked
    next to it), each base count, each indicator."""
    out = {_SKIP: ColumnTarget("skip"), _EXTRA: ColumnTarget("extra")}
    out.update({f"base:{c}": ColumnTarget("base", c) for c in BUILTIN.base_counts})
    out.update({f"indicator:{c}": ColumnTarget("indicator", c) for c in BUILTIN.indicators})
    return out


def target_label(key: str) -> str:
    if key == _EXTRA:
        return "eigen indicator: een telling, verhouding of score met een eigen naam en eenheid"
    target = target_options()[key]
    return target.label() if target.kind == "skip" else f"{target.label()} ({target.code})"


def _denominator_label(code: str | None) -> str:
    return "niets (de telling zelf)" if code is None else f"{BUILTIN.base_counts[code].label.lower()} ({code})"


def _multiplier_label(value: float) -> str:
    return {1.0: "1 (per eenheid)", 100.0: "100 (%)", 1000.0: "1.000 (per 1.000)"}[value]


def remembered_target_text(target: ColumnTarget) -> str:
    """'telling: Alleenwonenden 75 jaar en ouder (pop_alone_75plus)', 'eigen indicator: … per 1.000 inwoners'."""
    if target.kind == "extra":
        if target.denominator is None:
            return target.label()
        return (
            f"{target.label()}, gedeeld door {_denominator_label(target.denominator)} × "
            f"{format_number(target.multiplier or 1.0)}"
        )
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
    return pd.DataFrame(
        {
            "Gegevens": rows["title"],
            "Bron": rows["source"],
            "Periode": rows["period_label"].fillna("-"),
            "Bestand": rows["file_name"].fillna("-"),
            "Geïmporteerd op": [f"{format_date(t)}, {t:%H:%M}" for t in rows["imported_at"]],
        }
    )


def _levels_line(store: Store) -> str:
    counts = dict(store.level_counts().itertuples(index=False))
    parts = [count_of_level(lv, counts[lv]) for lv in LEVEL_CODES if counts.get(lv)]
    return " · ".join(parts) if parts else "nog geen"


def data_in_use() -> None:
    """Which datasets the own database and the demo hold, and which one the pages show."""
    own = own_store()
    shown = source_choice()
    st.subheader("Welke gegevens gebruikt de app?")
    if shown == "eigen":
        st.info(
            "De pagina's tonen nu **jullie eigen gegevens**. Links in de zijbalk (Gegevens) kan je "
            "overschakelen naar de demo.",
            icon=":material/database:",
        )
    elif own.has_own_data():
        st.info(
            "De pagina's tonen nu **de demo (fictief)**. Links in de zijbalk (Gegevens) kan je "
            "overschakelen naar jullie eigen gegevens.",
            icon=":material/science:",
        )
    else:
        st.info(
            "Er zijn nog geen eigen gegevens: de pagina's tonen **de demo (fictief)**. Zodra je hieronder "
            "bestanden importeert, tonen ze jullie eigen gegevens.",
            icon=":material/science:",
        )

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
            st.markdown(
                f"De eerstelijnszone Heidekempen is **fictief**, enkel om de app te leren kennen.  \n"
                f"Gebieden: {_levels_line(demo)}"
            )


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
        "- De **fiscale inkomens per sector** (`TF_PSNL_INC_TAX_SECTOR`, gemiddeld netto belastbaar inkomen per "
        "aangifte) en de **huishoudens en wagens per sector** (`TF_CAR_HH_SECTOR`) van Statbel.\n"
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
        "apotheken, huisartsen … volgens een koppeling van OSM-tags aan de categorieën van zorgzaam (hieronder); "
        "in het voorbeeld kan je ze per tag aanpassen, ook voor wat niet gekoppeld is.\n"
        "- De **lijst van apotheken** van het FAGG (xlsx, Lambert 2008).\n\n"
        "**5. Woonomgeving** (na de sectoren)\n"
        "- **Hectarerasters** (GeoTIFF in Lambert 72 of 2008, 100 m of fijner) van Departement Omgeving: "
        "inwoners per hectare (bv. `ni_inw_ha_vlaa_2019`), de walkabilityscore, het voorzieningenniveau. Welke "
        "laag het is, leest zorgzaam uit de bestandsnaam (inw, walkab, voorz). Elke cel krijgt de sector waarin "
        "ze ligt.\n"
        "- **Kernen, linten en verspreide bebouwing** (GeoJSON, GeoPackage of shapefile): de soort komt uit een "
        "kolom (kern / lint / verspreid) of uit de bestandsnaam (`kernen`, `linten`, `verspreide_bebouwing`).\n"
        "- Met een bevolkingsraster berekent zorgzaam daarna de **bereikbaarheid per woonplaats** (onderaan).\n\n"
        f"Eén databank gebruikt één sectorindeling (2024 of 2025). Bestanden tot "
        f"{format_number(MAX_FILE_BYTES // 1024**3)} GB."
    )


def uploaded_files() -> dict[str, tuple[str, bytes]]:
    """The uploader, and its files' bytes kept in the session by file id (read once per upload)."""
    round_ = st.session_state.setdefault(ROUND_KEY, 0)
    uploads = (
        st.file_uploader(
            "Kies één of meer bestanden",
            type=UPLOAD_TYPES,
            accept_multiple_files=True,
            key=f"gegevens_upload_{round_}",
            help="Zip, GeoJSON, shapefile (.shp met .shx, .dbf, .prj en .cpg), GeoPackage, SpatiaLite, CSV, "
            "tekstbestand, Excel of JSON.",
        )
        or []
    )
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
    tags: dict[str, str | None] = st.session_state.get(TAGS_KEY, {})
    store_key = data_version(own)
    periods = given_periods()
    mapping_key = (
        tuple(tuple(r.values()) for r in own.column_mapping_rows()),
        tuple(sorted((c, repr(t)) for c, t in mapping.items())),
        tuple(own.amenity_tag_mappings().items()),
        tuple(sorted(tags.items())),
        tuple(sorted(periods.items())),
    )
    cache: dict[tuple[str, ...], PlannedUnit] = st.session_state.setdefault(PLANS_KEY, {})
    units = upload_units(files)
    for key in [k for k in cache if k not in units]:
        cache.pop(key).close()
    out = []
    for key, ids in units.items():
        unit = cache.get(key)
        stale = (
            unit is None
            or unit.store_key != store_key
            or (unit.mapping_key != mapping_key and any(i.uses_mapping for i in unit.items))
        )
        if stale:
            if unit is not None:
                unit.close()
            with st.spinner(f"{', '.join(files[i][0] for i in ids)} wordt gelezen …"):
                unit = plan_unit(
                    files, ids, own, mapping, store_key, mapping_key, amenity_mapping=tags, periods=periods
                )
            cache[key] = unit
        out.append(unit)
    return out


def given_periods() -> dict[str, str]:
    """The period typed per file (name → year) for plain tables."""
    return {
        k[len(PERIOD_PREFIX) :]: str(v).strip()
        for k, v in st.session_state.items()
        if isinstance(k, str) and k.startswith(PERIOD_PREFIX) and v and str(v).strip()
    }


def period_input(item: PlannedDataset) -> None:
    """The period of a plain table (a column of codes and columns of numbers), proposed from a column's name."""
    plans = [p for p in item.plans if p.asks_period]
    if not plans or item.dataset is None:
        return
    key = PERIOD_PREFIX + item.dataset.name
    typed = str(st.session_state.get(key) or "").strip()
    proposal = None if typed else plans[0].period_proposal
    st.text_input(
        "Periode van deze cijfers (jaar)",
        key=key,
        placeholder=f"{proposal} (uit de kolomnaam)" if proposal else "bv. 2025",
        help="Dit bestand heeft geen kolom met de periode. Leeg: het jaar in de naam van elke kolom (zoals "
        "population_2025 → 2025); een jaar hier geldt voor alle kolommen.",
    )


def clear_upload() -> None:
    """Forget the upload and its plans (a new, empty uploader on the next run)."""
    for unit in st.session_state.pop(PLANS_KEY, {}).values():
        unit.close()
    st.session_state.pop(FILES_KEY, None)
    for key in [k for k in st.session_state if isinstance(k, str) and k.startswith(PERIOD_PREFIX)]:
        del st.session_state[key]
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
        return plan.observations.head(SAMPLE_ROWS)[
            ["area_level", "area_code", "variable", "period", "value", "status"]
        ].rename(
            columns={
                "area_level": "niveau",
                "area_code": "gebied",
                "variable": "variabele",
                "period": "periode",
                "value": "waarde",
            }
        )
    if plan.areas is not None:
        return plan.areas.head(SAMPLE_ROWS)[["level", "code", "name"]].rename(
            columns={"level": "niveau", "name": "naam"}
        )
    return None


def show_plan(plan: ImportPlan) -> None:
    """One plan's preview: its lines, the unmatched codes, warnings, and a sample table."""
    preview = plan.preview
    lines = preview.lines()
    lines = lines[: len(lines) - len(preview.warnings)]  # the warnings come last; shown as warnings below
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
        st.dataframe(
            shown,
            hide_index=True,
            width="stretch",
            column_config={c: st.column_config.TextColumn(alignment="right") for c in numeric},
        )


def show_previews(units: Sequence[PlannedUnit]) -> list[PlannedDataset]:
    """A preview per file (or one Dutch error); returns every planned dataset."""
    st.subheader("Voorbeeld: wat er bewaard zou worden")
    items = [item for unit in units for item in unit.items]
    brings_areas = any(p.areas is not None and len(p.areas) for item in items for p in item.plans)
    for item in items:
        with st.container(border=True):
            if item.problem is not None:
                st.markdown(f"**{item.label}**")
                if brings_areas and item.dataset is not None:
                    # import_datasets tries it again once the areas of the other files are written.
                    st.warning(
                        f"{item.problem.message} Dit bestand wordt bij het importeren na de gebieden uit "
                        "de andere bestanden nog eens gelezen.",
                        icon=":material/schedule:",
                    )
                else:
                    st.error(item.problem.message, icon=":material/error:")
                if item.problem.details:
                    with st.expander("Details"):
                        st.text("\n".join(item.problem.details))
                continue
            for plan in item.plans:
                show_plan(plan)
            period_input(item)
    return items


def mapping_step(items: Sequence[PlannedDataset]) -> None:
    """A choice per column the catalogue does not know, applied and remembered with one button.

    An extra indicator gets its name, unit and (optionally) a denominator and multiplier beside it."""
    columns = list(dict.fromkeys(c for item in items for plan in item.plans for c in plan.unmapped_columns))
    if not columns:
        return
    sources = {
        c: f"{plan.source}, {plan.preview.file_names[0] if plan.preview.file_names else 'eigen bestand'}"
        for item in items
        for plan in item.plans
        for c in plan.unmapped_columns
    }
    # The other columns of the same file: a ratio's denominator or a score's weight.
    others = {
        c: [o for o in plan.value_columns if o != c]
        for item in items
        for plan in item.plans
        for c in plan.unmapped_columns
    }
    options = target_options()
    st.subheader("Kolommen koppelen")
    st.markdown(
        "zorgzaam kent deze kolommen niet. Kies per kolom wat erin staat: een **telling** uit de catalogus "
        "(een aantal, zoals inwoners of huishoudens, waaruit de app zelf percentages berekent), een "
        "**indicator** (een kant-en-klare waarde, die de app toont zoals ze is), een **eigen indicator** (een "
        "aantal dat de catalogus niet kent, zoals het aantal elektriciteitsaansluitingen, met een eigen naam en "
        "eenheid) of *niet importeren*. Wat je kiest, onthoudt zorgzaam voor de volgende keer. Een kolom die je "
        "niet kiest, wordt niet geïmporteerd.\n\n"
        "Een eigen indicator is een **telling** (per gebied opgeteld: sector, gemeente, eerstelijnszone, eventueel "
        "gedeeld door het aantal inwoners of huishoudens), een **verhouding van twee kolommen** (de teller en de "
        "noemer elk per gebied opgeteld, dan gedeeld) of een **score, percentage of gemiddelde** per gebied: "
        "nooit opgeteld, voor grotere gebieden het gemiddelde gewogen met een kolom die je kiest (zoals het aantal inwoners), of zonder "
        "gewicht alleen per sector."
    )
    for col in columns:
        key = st.selectbox(
            f"Kolom '{col}'",
            list(options),
            index=None,
            format_func=target_label,
            placeholder="nog niet gekozen",
            key=f"gegevens_kolom|{col}",
        )
        if key == _EXTRA:
            with st.container(border=True):
                kinds = list(EXTRA_KINDS)
                kind = st.radio(
                    "Soort",
                    kinds,
                    format_func=EXTRA_KINDS.get,
                    key=f"gegevens_extra_soort|{col}",
                    index=kinds.index("score") if figures.looks_not_additive(col) else 0,
                    horizontal=True,
                )
                if kind == "count" and figures.looks_not_additive(col):
                    st.warning(
                        f"De naam '{col}' doet denken aan een percentage, gemiddelde of score. "
                        + figures.NOT_ADDITIVE_TEXT,
                        icon=":material/warning:",
                    )
                name_col, unit_col = st.columns(2)
                name_col.text_input(
                    "Naam van de eigen indicator",
                    key=f"gegevens_extra_naam|{col}",
                    placeholder="bv. aantal elektriciteitsaansluitingen",
                )
                unit_col.text_input(
                    "Eenheid" if kind != "count" else "Eenheid van de telling",
                    key=f"gegevens_extra_eenheid|{col}",
                    placeholder={
                        "count": "bv. aansluitingen, kWh, personen",
                        "ratio": "bv. inwoners per ha, kWh per aansluiting",
                        "score": "bv. score 0-10, %, euro",
                    }[kind],
                )
                if kind == "ratio":
                    other_col, mult_col = st.columns(2)
                    other_col.selectbox(
                        "Gedeeld door de kolom",
                        others.get(col, []),
                        index=None,
                        placeholder="kies de noemer",
                        key=f"gegevens_extra_andere|{col}",
                    )
                    mult_col.selectbox(
                        "Vermenigvuldigen met",
                        list(EXTRA_MULTIPLIERS),
                        format_func=_multiplier_label,
                        key=f"gegevens_extra_maal|{col}",
                    )
                    continue
                if kind == "score":
                    st.selectbox(
                        "Gewogen met de kolom",
                        [None, *others.get(col, [])],
                        key=f"gegevens_extra_andere|{col}",
                        format_func=lambda o: "geen gewicht: alleen per sector" if o is None else o,
                        help="Met een gewicht (bv. het aantal inwoners per sector) is de waarde van een "
                        "gemeente of zone het gewogen gemiddelde van haar sectoren; zonder gewicht "
                        "toont de app de score alleen per sector.",
                    )
                    continue
                den_col, mult_col = st.columns(2)
                denominator = den_col.selectbox(
                    "Delen door",
                    [None, *EXTRA_DENOMINATORS],
                    format_func=_denominator_label,
                    key=f"gegevens_extra_noemer|{col}",
                    help="Zonder noemer toont de app het aantal zelf; met een noemer de verhouding van de totalen, "
                    "bv. aansluitingen per 1.000 inwoners.",
                )
                mult_col.selectbox(
                    "Vermenigvuldigen met",
                    list(EXTRA_MULTIPLIERS),
                    format_func=_multiplier_label,
                    key=f"gegevens_extra_maal|{col}",
                    disabled=denominator is None,
                )
    if not st.button("Koppeling toepassen", icon=":material/link:", key="gegevens_koppeling_toepassen"):
        return
    chosen: dict[str, ColumnTarget] = {}
    for col in columns:
        key = st.session_state.get(f"gegevens_kolom|{col}")
        if key is None:
            continue
        if key != _EXTRA:
            chosen[col] = options[key]
            continue
        kind = st.session_state.get(f"gegevens_extra_soort|{col}") or "count"
        try:
            chosen[col] = ColumnTarget.extra(
                st.session_state.get(f"gegevens_extra_naam|{col}") or "",
                st.session_state.get(f"gegevens_extra_eenheid|{col}") or "",
                st.session_state.get(f"gegevens_extra_noemer|{col}") if kind == "count" else None,
                st.session_state.get(f"gegevens_extra_maal|{col}") or 1.0,
                measure=kind,
                other_column=st.session_state.get(f"gegevens_extra_andere|{col}") if kind != "count" else None,
            )
        except ImportProblem as exc:
            st.warning(f"Kolom '{col}': {exc.message}")
            return
    if not chosen:
        st.warning("Kies eerst voor minstens één kolom wat erin staat.")
        return
    figures.remember_mapping(own_store(), chosen, sources)
    mapping = dict(st.session_state.get(MAPPING_KEY, {}))
    mapping.update(chosen)
    st.session_state[MAPPING_KEY] = mapping
    st.rerun()


def default_tag_mapping() -> None:
    """The built-in OSM tag → category mapping, read-only, so a werkgroep sees what 'supermarkt' means."""
    with st.expander("Welke OpenStreetMap-tags horen bij welke voorziening?", icon=":material/sell:"):
        st.markdown(
            "Bij het importeren van OpenStreetMap kijkt zorgzaam naar de tags van elk punt (zoals "
            "`shop=supermarket`) en kent zo een soort voorziening toe. Dit is de vaste koppeling; wat niet in de "
            "lijst staat, wordt niet geïmporteerd. Bij een OpenStreetMap-bestand kan je ze hieronder per tag "
            "aanpassen. Geofabrik-bestanden gebruiken de korte naam (kolom *fclass*)."
        )
        rows = [(tag, CATEGORY_LABELS.get(cat, cat)) for tag, cat in amenities.OSM_TAG_MAPPING.items()]
        frame = pd.DataFrame(rows, columns=["OSM-tag", "categorie"])
        frame["soort"] = ["OSM-tag" if "=" in t else "Geofabrik (fclass)" for t in frame["OSM-tag"]]
        st.dataframe(
            frame.sort_values(["soort", "categorie", "OSM-tag"], ascending=[False, True, True]),
            hide_index=True,
            width="stretch",
            key="gegevens_standaard_tags",
        )


def osm_tag_counts(items: Sequence[PlannedDataset]) -> dict[str, int]:
    """Rows per OSM tag over every OpenStreetMap plan of the upload (mapped and 'niet gekoppeld')."""
    counts: dict[str, int] = {}
    for item in items:
        for plan in item.plans:
            if plan.preview.kind == amenities.KIND:
                for tag, n in amenities.tag_counts(plan).items():
                    counts[tag] = counts.get(tag, 0) + n
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def tag_mapping_step(items: Sequence[PlannedDataset]) -> None:
    """An editable OSM tag → category table for the tags of the previewed OpenStreetMap files; applying
    it plans them again and remembers the changed tags in the own database."""
    counts = osm_tag_counts(items)
    if not counts:
        return
    own = own_store()
    session: dict[str, str | None] = st.session_state.get(TAGS_KEY, {})
    current = amenities.effective_mapping({**own.amenity_tag_mappings(), **session})
    by_label = {label: code for code, label in CATEGORY_LABELS.items()}
    shown = pd.DataFrame(
        {
            "OSM-tag": list(counts),
            "categorie": [
                CATEGORY_LABELS.get(current[t], current[t]) if t in current else NOT_IMPORTED for t in counts
            ],
            "rijen": list(counts.values()),
        }
    )
    st.subheader("OpenStreetMap-tags koppelen")
    st.markdown(
        "Deze tags staan in het OpenStreetMap-bestand. Kies per tag welke voorziening het is, of *niet "
        "importeren*. Klik daarna op **Koppeling van tags toepassen**: het voorbeeld wordt opnieuw opgebouwd en "
        "zorgzaam onthoudt je keuze voor de volgende keer."
    )
    round_ = st.session_state.get(TAGS_ROUND_KEY, 0)
    edited = st.data_editor(
        shown,
        key=f"gegevens_osm_tags_{round_}",
        hide_index=True,
        width="stretch",
        num_rows="fixed",
        disabled=["OSM-tag", "rijen"],
        column_config={
            "OSM-tag": st.column_config.TextColumn("OSM-tag"),
            "categorie": st.column_config.SelectboxColumn(
                "categorie", options=[*CATEGORY_LABELS.values(), NOT_IMPORTED], required=True
            ),
            "rijen": st.column_config.NumberColumn("rijen in het bestand", format="localized"),
        },
    )
    changed = {
        tag: (by_label.get(new) if new != NOT_IMPORTED else None)
        for tag, old, new in zip(shown["OSM-tag"], shown["categorie"], edited["categorie"])
        if new != old and new is not None
    }
    if st.button(
        "Koppeling van tags toepassen", icon=":material/link:", disabled=not changed, key="gegevens_tags_toepassen"
    ):
        own.save_amenity_tag_mappings(changed)
        st.session_state[TAGS_KEY] = {**session, **changed}
        st.session_state[TAGS_ROUND_KEY] = round_ + 1
        st.rerun()


def remembered_step() -> None:
    """The remembered column and tag mappings, each to forget one by one or all together."""
    own = own_store()
    columns = figures.remembered_mapping(own)
    tags = own.amenity_tag_mappings()
    with st.expander("Onthouden koppelingen", icon=":material/bookmark:"):
        st.markdown(
            "zorgzaam onthoudt wat je koppelde: welke kolom welke telling of indicator is, en welke "
            "OpenStreetMap-tag welke voorziening. Vergeet je een koppeling, dan vraagt zorgzaam het bij het "
            "volgende bestand opnieuw. Wat al geïmporteerd is, blijft staan."
        )
        if not columns and not tags:
            st.caption("Er zijn nog geen onthouden koppelingen.")
            return
        if columns:
            st.markdown("**Kolommen**")
            st.dataframe(
                pd.DataFrame(
                    {"kolom": list(columns), "gekoppeld aan": [remembered_target_text(t) for t in columns.values()]}
                ),
                hide_index=True,
                width="stretch",
                key="gegevens_onthouden_kolommen",
            )
            _forget_controls(
                list(columns),
                "kolommen",
                "kolomkoppelingen",
                "gegevens_vergeet_kolommen",
                "gegevens_vergeet_alle_kolommen",
                lambda chosen: _forget_columns(own, chosen),
            )
        if tags:
            st.markdown("**OpenStreetMap-tags**")
            st.dataframe(
                pd.DataFrame(
                    {
                        "OSM-tag": list(tags),
                        "categorie": [CATEGORY_LABELS.get(c, c) if c else NOT_IMPORTED for c in tags.values()],
                    }
                ),
                hide_index=True,
                width="stretch",
                key="gegevens_onthouden_tags",
            )
            _forget_controls(
                list(tags),
                "tags",
                "tagkoppelingen",
                "gegevens_vergeet_tags",
                "gegevens_vergeet_alle_tags",
                lambda chosen: _forget_tags(own, chosen),
            )


def _forget_controls(
    options: list[str], what: str, mappings: str, key: str, all_key: str, forget: Callable[[list[str] | None], None]
) -> None:
    """Pick remembered entries to forget, or forget them all (``forget(None)``)."""
    picked = st.multiselect(f"Welke {what} vergeten?", options, key=key, placeholder=f"kies {what}")
    one, every = st.columns(2)
    if one.button(f"Gekozen {what} vergeten", disabled=not picked, key=f"{key}_knop"):
        forget(picked)
    if every.button(f"Alle {mappings} vergeten", key=all_key):
        forget(None)


def _forget_columns(own: Store, columns: list[str] | None) -> None:
    n = own.forget_column_mappings(columns)
    mapping = st.session_state.get(MAPPING_KEY, {})
    st.session_state[MAPPING_KEY] = {} if columns is None else {c: t for c, t in mapping.items() if c not in columns}
    for col in columns if columns is not None else list(mapping):
        st.session_state.pop(f"gegevens_kolom|{col}", None)
    st.session_state.pop("gegevens_vergeet_kolommen", None)
    what = "1 kolomkoppeling" if n == 1 else f"{format_number(n)} kolomkoppelingen"
    st.session_state[FLASH_KEY] = [Outcome("koppelingen", True, f"{what} vergeten.")]
    st.rerun()


def _forget_tags(own: Store, tags: list[str] | None) -> None:
    n = own.forget_amenity_tag_mappings(tags)
    session = st.session_state.get(TAGS_KEY, {})
    st.session_state[TAGS_KEY] = {} if tags is None else {t: c for t, c in session.items() if t not in tags}
    st.session_state[TAGS_ROUND_KEY] = st.session_state.get(TAGS_ROUND_KEY, 0) + 1
    st.session_state.pop("gegevens_vergeet_tags", None)
    what = "1 tagkoppeling" if n == 1 else f"{format_number(n)} tagkoppelingen"
    st.session_state[FLASH_KEY] = [Outcome("koppelingen", True, f"{what} vergeten.")]
    st.rerun()


def import_step(items: Sequence[PlannedDataset]) -> None:
    """The import button; outcomes are shown after a rerun (the sidebar then shows the new data)."""
    st.subheader("Importeren")
    own = own_store()
    writable = [p for item in items if item.problem is None for p in item.writable]
    if own.has_demo():
        st.error(
            f"De eigen databank ({own.path}) bevat de demo van een oudere versie. Eigen gegevens worden "
            "nooit met de fictieve demo gemengd: vraag de beheerder om een nieuwe, lege eigen databank."
        )
        return
    st.markdown(
        "Gebieden worden eerst bewaard, cijfers daarna (zo vinden de cijfers hun gebieden). Elk bestand (of "
        "werkblad) wordt **in zijn geheel** bewaard of, bij een fout, **helemaal niet**; de andere bestanden "
        "gaan gewoon door. Een bestand opnieuw importeren vervangt wat het de vorige keer bracht."
    )
    if not writable:
        st.caption("Er is nog niets om te importeren.")
    clicked = st.button(
        "Importeren", type="primary", icon=":material/upload:", disabled=not writable, key="gegevens_importeren"
    )
    if not clicked:
        return
    bar = st.progress(0.0, text="Importeren …")
    # What has something to write; the files that could not be planned are tried once more after it
    # (they may need what the others bring).
    todo = [i for i in items if i.problem is None and i.writable]
    retry = [i for i in items if i.problem is not None] if todo else []
    outcomes = import_datasets(
        own,
        todo + retry,
        st.session_state.get(MAPPING_KEY, {}),
        amenity_mapping=st.session_state.get(TAGS_KEY, {}),
        periods=given_periods(),
        progress=lambda fraction, label, what: bar.progress(fraction, text=f"{label}: {what}"),
        on_outcome=_log_unexpected,
    )
    bar.progress(1.0, text="Klaar")
    st.session_state[FLASH_KEY] = outcomes
    written = [o.plan for o in outcomes if o.ok and o.plan is not None]
    if written:
        # Show the own data, at the zone just imported (the pickers are set on the next run).
        st.session_state[AREA_AFTER_KEY] = area_after_import(
            own, written, st.session_state.get("elz"), st.session_state.get("gemeente")
        )
    clear_upload()
    st.rerun()


def _log_unexpected(outcome: Outcome) -> None:
    if outcome.error is not None and not isinstance(outcome.error, (ImportProblem, StoreError)):
        log.error("Onverwachte fout bij het bewaren van %s", outcome.label, exc_info=outcome.error)


#: Dataset id prefixes of imports that can be removed on their own: figures and map layers (nothing
#: else refers to them). Areas merge across files and stay.
DELETABLE_PREFIXES = (f"{figures.KIND}-", "haltes-", "voorzieningen-", "raster-", "nederzetting-")
_LAYER_PREFIXES = DELETABLE_PREFIXES[1:]


def delete_step() -> None:
    """Remove imported figures or map layers again (areas cannot be removed one file at a time; see the text)."""
    own = own_store()
    rows = own.datasets()
    rows = rows[~rows["is_demo"] & rows["dataset_id"].str.startswith(DELETABLE_PREFIXES)]
    with st.expander("Geïmporteerde cijfers of kaartlagen verwijderen", icon=":material/delete:"):
        st.markdown(
            "Je kan geïmporteerde **cijfers** en **kaartlagen** (haltes, voorzieningen, hectarerasters, kernen en "
            "linten) weer verwijderen: alles uit dat bestand verdwijnt uit de eigen databank. Waarden die dat "
            "bestand bij het importeren verving (dezelfde variabele, hetzelfde gebied en jaar uit een eerder "
            "bestand) komen niet terug: importeer dat eerdere bestand dan opnieuw. Wie een kaartlaag verwijdert, "
            "verwijdert ook de berekende bereikbaarheid; bereken die daarna opnieuw. De sectorindeling (2024 of "
            "2025) van de databank blijft vastliggen.\n\n"
            "**Gebieden** (sectoren, gemeenten, eerstelijnszones en hun omtrek) kan je hier niet verwijderen: "
            "elk gebiedsbestand vult aan wat een ander bracht (een sector krijgt zijn vorm uit het ene bestand en "
            "zijn gemeente uit het andere). Eén bestand weghalen zou de gebieden half laten staan. Wil je met "
            "een lege databank herbeginnen, vraag het dan aan de beheerder."
        )
        if rows.empty:
            st.caption("Er zijn nog geen geïmporteerde cijfers of kaartlagen.")
            return
        titles = dict(zip(rows["dataset_id"], rows["title"]))
        chosen = st.selectbox("Welk bestand?", list(titles), format_func=titles.get, key="gegevens_weg")
        sure = st.checkbox("Ja, verwijder dit uit de eigen databank", key="gegevens_weg_zeker")
        if st.button("Verwijderen", icon=":material/delete:", disabled=not sure, key="gegevens_weg_knop"):
            own.delete_dataset(chosen)
            text = f"'{titles[chosen]}' is verwijderd."
            if chosen.startswith(_LAYER_PREFIXES) and ACCESS_DATASET in set(own.datasets()["dataset_id"]):
                # Access computed with this layer would describe a layer that is gone.
                own.delete_dataset(ACCESS_DATASET)
                text += " De berekende bereikbaarheid is mee verwijderd: bereken ze opnieuw (hierboven)."
            st.session_state[FLASH_KEY] = [Outcome(titles[chosen], True, text)]
            st.session_state.pop("gegevens_weg_zeker", None)
            st.rerun()
