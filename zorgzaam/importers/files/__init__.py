"""Reading any uploaded or given file safely: the lowest layer of the importers (no Streamlit).

Every bad input ends in one ``ImportProblem`` with a Dutch sentence (what is wrong and what to
do), never in a traceback. This layer only turns bytes into tables and geodataframes; the
importers on top decide what the columns mean, reproject, and match codes.

Typical use (the Data page and ``python -m zorgzaam import``)::

    sources = [SourceFile.from_path(p) for p in paths]            # or SourceFile.from_bytes(name, data)
    with tempfile.TemporaryDirectory() as tmp:
        for ds in collect(sources, workdir=tmp):                    # unpack + group shapefiles + sniff
            if ds.kind == "vector":      gdf = read_vector(ds.source)      # crs_epsg(gdf), geometry_report(gdf)
            elif ds.kind == "delimited": df = read_delimited(ds.source)    # every value a str
            elif ds.kind == "workbook":  sheets = read_workbook(ds.source) # {sheet: DataFrame}
            elif ds.kind == "json":      obj = read_json(ds.source)
            elif ds.kind == "gtfs":      stops = read_delimited(zip_member(ds.source, "stops.txt"))
            elif ds.kind == "raster":    ...                                # a GeoTIFF (importers.rasters)

API
---
``SourceFile.from_path(path)`` / ``SourceFile.from_bytes(name, data)``
    One file, on disk or in memory; the size is checked before anything is read.
``unpack(sources, workdir=None) -> list[SourceFile]``
    Expands zip files (one nested level), keeps GTFS zips whole, drops documentation and junk.
    Members go to ``workdir`` when given (use it for big archives), else stay in memory.
``group_shapefiles(files) -> (list[ShapefileSet], list[SourceFile])``
    ``.shp/.shx/.dbf/.prj/.cpg`` by folder and stem; ``ShapefileSet.require_complete()`` raises
    when ``.shp``, ``.shx`` or ``.dbf`` is missing (a missing ``.prj`` only makes the CRS unknown).
``sniff(source) -> Kind``
    By content: "vector", "delimited", "workbook", "json", "gtfs", "raster" or "zip" (a plain
    archive: pass it through ``unpack`` first); anything else raises ``ImportProblem``.
``collect(sources, workdir=None) -> list[Dataset]``
    ``unpack`` + ``group_shapefiles`` + ``sniff``: one ``Dataset(kind, source)`` per readable thing.
``read_delimited(source) -> DataFrame``
    csv/txt, every value a str ("x", "-", "nvt", "" and leading zeros stay as written).
``read_workbook(source) -> dict[str, DataFrame]``
    xlsx/xlsm (python-calamine in a child process, openpyxl as fallback) and legacy xls (xlrd),
    every worksheet with data; values as object (str, int, float, date/datetime, bool, None).
``read_json(source) -> object``
    Parsed JSON, at most ``MAX_JSON_BYTES``.
``list_layers(source) -> list[str]`` / ``read_vector(source, layer=None) -> GeoDataFrame``
    GeoJSON, shapefile set, GeoPackage, SpatiaLite via pyogrio; CRS as in the file (None when
    unknown), never reprojected.
``crs_epsg(obj) -> int | None``, ``geometry_report(gdf) -> GeometryReport``
    The EPSG code when recognised (also from ESRI ``.prj`` WKT); counts of null/empty/invalid shapes.
``zip_member(source, name) -> SourceFile``
    One member of a zip that stays whole (GTFS), e.g. ``stops.txt``.

Limits (module constants of the submodule that reads them, read at call time there, so tests and callers
may change them on that module, e.g. ``archives.MAX_ZIP_MEMBERS``):
``MAX_FILE_BYTES`` 1 GiB per file or upload (``source``), ``MAX_UNPACKED_BYTES`` 3 GiB unpacked per call,
``MAX_ZIP_MEMBERS`` 2,000, ``MAX_COMPRESSION_RATIO`` 250 (members over 10 MiB), ``MAX_ZIP_DEPTH`` 1
(``archives``; ``workbooks`` reads its own binding of the zip-bomb limits), ``MAX_JSON_BYTES`` 200 MiB
(``jsonfile``), ``MAX_SHEET_CELLS`` 5 million (``workbooks``). Unpacking in memory (no ``workdir``) may hold
up to ``MAX_UNPACKED_BYTES``: pass a ``workdir`` for uploads.

Title rows: tables (csv and workbook sheets) may have up to ``MAX_TITLE_ROWS`` title/metadata
rows above the header; a leading row with at most one filled cell, followed by a row with two or
more, is taken for a title and skipped. ``read_delimited`` also drops columns without a name that
are empty throughout (trailing separators) and rows that are empty throughout.

Multi-row headers (workbooks): a header spread over up to ``MAX_HEADER_ROWS`` rows of text, followed by
rows of numbers (Statbel's "Tabel C.1": "Netto belastbaar inkomen" above "Totaal | Gemiddeld per
aangifte"), becomes one row of names joined with " - " ("Netto belastbaar inkomen - Totaal"); a merged
cell's text counts for every column under it. The title rows are kept in ``frame.attrs["titles"]``.

Modules: ``source`` (SourceFile, the per-file limit, shared wording), ``archives`` (zip files),
``shapefiles`` (shapefile sets), ``formats`` (sniff, Dataset, collect), ``headers`` (header and title rows of
tables), ``delimited`` (csv/txt), ``workbooks`` (xlsx/xls), ``jsonfile`` (JSON), ``vector`` (vector data, CRS).
"""

from __future__ import annotations

from .archives import (
    MAX_COMPRESSION_RATIO,
    MAX_UNPACKED_BYTES,
    MAX_ZIP_DEPTH,
    MAX_ZIP_MEMBERS,
    unpack,
    zip_member,
)
from .delimited import read_delimited
from .formats import Dataset, Kind, collect, sniff
from .headers import MAX_TITLE_ROWS
from .jsonfile import MAX_JSON_BYTES, read_json
from .shapefiles import SHAPEFILE_PARTS, ShapefileSet, group_shapefiles
from .source import MAX_FILE_BYTES, SNIFF_BYTES, SourceFile
from .vector import KNOWN_EPSG, GeometryReport, crs_epsg, geometry_report, list_layers, read_vector
from .workbooks import MAX_SHEET_CELLS, read_workbook

__all__ = [
    "MAX_FILE_BYTES",
    "MAX_UNPACKED_BYTES",
    "MAX_ZIP_MEMBERS",
    "MAX_COMPRESSION_RATIO",
    "MAX_ZIP_DEPTH",
    "MAX_JSON_BYTES",
    "MAX_SHEET_CELLS",
    "MAX_TITLE_ROWS",
    "KNOWN_EPSG",
    "SHAPEFILE_PARTS",
    "SNIFF_BYTES",
    "Kind",
    "SourceFile",
    "ShapefileSet",
    "Dataset",
    "GeometryReport",
    "unpack",
    "group_shapefiles",
    "sniff",
    "collect",
    "read_delimited",
    "read_workbook",
    "read_json",
    "list_layers",
    "read_vector",
    "crs_epsg",
    "geometry_report",
    "zip_member",
]
