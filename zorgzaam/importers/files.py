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

Limits (module constants, read at call time so tests and callers may change them):
``MAX_FILE_BYTES`` 1 GiB per file or upload, ``MAX_UNPACKED_BYTES`` 3 GiB unpacked per call,
``MAX_ZIP_MEMBERS`` 2,000, ``MAX_COMPRESSION_RATIO`` 250 (members over 10 MiB), ``MAX_ZIP_DEPTH``
1, ``MAX_JSON_BYTES`` 200 MiB, ``MAX_SHEET_CELLS`` 5 million. Unpacking in memory (no
``workdir``) may hold up to ``MAX_UNPACKED_BYTES``: pass a ``workdir`` for uploads.

Title rows: tables (csv and workbook sheets) may have up to ``MAX_TITLE_ROWS`` title/metadata
rows above the header; a leading row with at most one filled cell, followed by a row with two or
more, is taken for a title and skipped. ``read_delimited`` also drops columns without a name that
are empty throughout (trailing separators) and rows that are empty throughout.

Multi-row headers (workbooks): a header spread over up to ``MAX_HEADER_ROWS`` rows of text, followed by
rows of numbers (Statbel's "Tabel C.1": "Netto belastbaar inkomen" above "Totaal | Gemiddeld per
aangifte"), becomes one row of names joined with " - " ("Netto belastbaar inkomen - Totaal"); a merged
cell's text counts for every column under it. The title rows are kept in ``frame.attrs["titles"]``.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import json
import math
import os
import re
import struct
import tempfile
import zipfile
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO, Literal

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely

from .errors import ImportProblem

# --------------------------------------------------------------------------------------------
# Limits
# --------------------------------------------------------------------------------------------

GiB = 1024**3
MiB = 1024**2

#: One file on disk or one upload (the Streamlit upload limit is set to match).
MAX_FILE_BYTES = 1 * GiB
#: Sum of the uncompressed sizes of all zip members unpacked in one ``unpack`` call.
MAX_UNPACKED_BYTES = 3 * GiB
#: Files (not folders) in all zips of one ``unpack`` call; a Geofabrik shapefile zip has ~80.
MAX_ZIP_MEMBERS = 2_000
#: Zip-bomb guard: a member larger than ``RATIO_CHECK_MIN_BYTES`` may be at most this many times
#: its compressed size (text and dbf compress 5-50x; deflate's ceiling is ~1030x).
MAX_COMPRESSION_RATIO = 250
RATIO_CHECK_MIN_BYTES = 10 * MiB
#: A zip inside a zip is opened; a zip inside that one is refused (GTFS zips stay whole anyway).
MAX_ZIP_DEPTH = 1
#: ``read_json`` parses in memory (Python objects take ~10x the file size).
MAX_JSON_BYTES = 200 * MiB
#: A worksheet whose grid (last row × last column) is larger is refused: it would not fit in
#: memory as Python objects (the largest PinC table has 0.5 million cells).
MAX_SHEET_CELLS = 5_000_000
#: Title/metadata rows skipped above a table header at most.
MAX_TITLE_ROWS = 10
#: Rows a workbook's header may be spread over at most (module docstring).
MAX_HEADER_ROWS = 3
#: Bytes looked at to recognise a format and to sniff the delimiter.
SNIFF_BYTES = 256 * 1024

Kind = Literal["vector", "delimited", "workbook", "json", "gtfs", "raster", "zip"]

#: EPSG codes accepted from a low-confidence match of a .prj (ESRI WKT); others stay unknown.
KNOWN_EPSG = (31370, 3812, 4326, 3035, 3857, 4258, 4313, 25831, 32631)

SHAPEFILE_PARTS = (".shp", ".shx", ".dbf", ".prj", ".cpg")
SHAPEFILE_REQUIRED = (".shp", ".shx", ".dbf")
#: Member suffixes kept from a zip; everything else is reported or skipped.
READABLE_SUFFIXES = frozenset(
    {
        ".csv",
        ".txt",
        ".tsv",
        ".tab",
        ".json",
        ".geojson",
        ".xlsx",
        ".xlsm",
        ".xls",
        ".ods",  # .ods: to say so
        ".gpkg",
        ".sqlite",
        ".db",
        ".spatialite",
        ".tif",
        ".tiff",
        *SHAPEFILE_PARTS,
    }
)
DOC_SUFFIXES = frozenset({".pdf", ".doc", ".docx", ".rtf", ".odt", ".html", ".htm", ".md", ".pptx", ".ppt"})
_DOC_TEXT_NAME = re.compile(r"(read[\s_-]*me|lees[\s_-]*mij|licen[cs]e|licentie|disclaimer)", re.I)
_JUNK_NAMES = frozenset({".ds_store", "thumbs.db", "desktop.ini"})

DELIMITERS = ("|", ";", "\t", ",")
_DELIMITER_NL = {"|": "een verticale streep (|)", ";": "een puntkomma (;)", "\t": "een tab", ",": "een komma (,)"}

_SUFFIX_NL = {
    ".csv": "CSV-bestand",
    ".txt": "tekstbestand",
    ".tsv": "tekstbestand",
    ".xlsx": "Excel-bestand",
    ".xlsm": "Excel-bestand",
    ".xls": "Excel-bestand",
    ".ods": "rekenblad",
    ".json": "JSON-bestand",
    ".geojson": "GeoJSON-bestand",
    ".shp": "shapefile",
    ".gpkg": "GeoPackage",
    ".sqlite": "SpatiaLite-bestand",
    ".zip": "zip-bestand",
    ".tif": "GeoTIFF",
    ".tiff": "GeoTIFF",
}
_WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".ods")
_FORMATS_NL = "CSV, Excel, GeoJSON, shapefile (.shp met .shx, .dbf en .prj), GeoPackage, GTFS-zip of GeoTIFF"


def _size_nl(n: int) -> str:
    """2147483648 -> '2,0 GB' (binary units, Belgian decimal comma)."""
    for unit, factor in (("GB", GiB), ("MB", MiB), ("kB", 1024)):
        if n >= factor:
            return f"{n / factor:.1f}".replace(".", ",") + f" {unit}"
    return f"{n} bytes"


def _names_nl(names: Sequence[str], limit: int = 8) -> str:
    shown = ", ".join(names[:limit])
    return shown + (f" … en {len(names) - limit} andere" if len(names) > limit else "")


# --------------------------------------------------------------------------------------------
# SourceFile
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class SourceFile:
    """One file: a path on disk or bytes in memory.

    ``name`` is the file name without folders. ``archive`` says where it came from when it was
    unpacked ("statbel.zip" or "a.zip › b.zip") and ``folder`` its folder inside that archive;
    both are "" for a file given directly.
    """

    name: str
    path: Path | None = None
    data: bytes | None = field(default=None, repr=False)
    archive: str = ""
    folder: str = ""

    @classmethod
    def from_path(cls, path: str | os.PathLike, *, name: str | None = None) -> SourceFile:
        """A file on disk; refused (without reading it) when missing, a folder or too large."""
        p = Path(path)
        label = name or p.name
        try:
            st = p.stat()
        except FileNotFoundError:
            raise ImportProblem(f"Het bestand '{p}' bestaat niet. Controleer de naam en de map.") from None
        except OSError as e:
            raise ImportProblem(
                f"Het bestand '{p}' kan niet geopend worden ({e.strerror}). Controleer of je het mag lezen."
            ) from e
        if p.is_dir():
            raise ImportProblem(
                f"'{p}' is een map, geen bestand. Kies de bestanden in de map, "
                "of zip de map en laad het zip-bestand op."
            )
        _check_file_size(label, st.st_size)
        return cls(name=label, path=p)

    @classmethod
    def from_bytes(cls, name: str, data: bytes) -> SourceFile:
        """An upload held in memory; ``name`` may carry a (browser) path, only the last part is kept."""
        base = re.split(r"[\\/]", name or "")[-1] or "bestand"
        _check_file_size(base, len(data))
        return cls(name=base, data=bytes(data))

    @property
    def size(self) -> int:
        if self.data is not None:
            return len(self.data)
        assert self.path is not None
        return self.path.stat().st_size

    @property
    def suffix(self) -> str:
        """Lower-case last suffix with the dot ('.csv'); '' when none."""
        return PurePosixPath(self.name).suffix.lower()

    @property
    def stem(self) -> str:
        return PurePosixPath(self.name).stem

    @property
    def label(self) -> str:
        """How messages name the file: 'gemeente.shp (in gebieden.zip)'."""
        return f"{self.name} (in {self.archive})" if self.archive else self.name

    def open(self) -> IO[bytes]:
        """A binary file object (close it, or use ``with``)."""
        if self.data is not None:
            return io.BytesIO(self.data)
        assert self.path is not None
        try:
            return open(self.path, "rb")
        except OSError as e:
            raise ImportProblem(f"'{self.label}' kan niet geopend worden ({e.strerror}).") from e

    def head(self, n: int = SNIFF_BYTES) -> bytes:
        """The first ``n`` bytes."""
        if self.data is not None:
            return self.data[:n]
        with self.open() as fh:
            return fh.read(n)

    def read_bytes(self, max_bytes: int | None = None) -> bytes:
        """All bytes; ``ImportProblem`` when larger than ``max_bytes`` (checked before reading)."""
        if max_bytes is not None and self.size > max_bytes:
            raise ImportProblem(
                f"'{self.label}' is te groot ({_size_nl(self.size)}); dit soort bestand kan "
                f"zorgzaam lezen tot {_size_nl(max_bytes)}. Neem een kleiner uittreksel."
            )
        if self.data is not None:
            return self.data
        with self.open() as fh:
            return fh.read()

    @contextlib.contextmanager
    def local_path(self) -> Iterator[Path]:
        """A path on disk with this file's name: the file itself, or a temporary copy of the bytes."""
        if self.path is not None:
            yield self.path
            return
        with tempfile.TemporaryDirectory(prefix="zorgzaam-") as tmp:
            target = Path(tmp) / _safe_file_name(self.name)
            target.write_bytes(self.data or b"")
            yield target


def _check_file_size(name: str, size: int) -> None:
    if size > MAX_FILE_BYTES:
        raise ImportProblem(
            f"'{name}' is te groot ({_size_nl(size)}); zorgzaam leest bestanden tot {_size_nl(MAX_FILE_BYTES)}. "
            "Neem een kleiner uittreksel (bijvoorbeeld alleen je gemeente of eerstelijnszone) of zip het bestand."
        )


def _safe_file_name(name: str) -> str:
    cleaned = re.sub(r"[^\w.\- ]", "_", name).strip(". ") or "bestand"
    return cleaned[:200]


# --------------------------------------------------------------------------------------------
# Zip files
# --------------------------------------------------------------------------------------------


@dataclass
class _Budget:
    bytes_left: int
    members_left: int


def _open_zip(source: SourceFile) -> zipfile.ZipFile:
    fh = source.open()
    try:
        return zipfile.ZipFile(fh)
    except Exception as e:  # BadZipFile, NotImplementedError ('zip file version'), struct.error … all mean broken
        if isinstance(e, ImportProblem):
            raise
        fh.close()
        if source.suffix in _WORKBOOK_SUFFIXES:
            raise ImportProblem(
                f"'{source.label}' is beschadigd of onvolledig: het Excel-bestand kan niet geopend worden. "
                "Download het opnieuw, of open het in Excel en bewaar het opnieuw als .xlsx."
            ) from e
        raise ImportProblem(
            f"'{source.label}' is een beschadigd of onvolledig zip-bestand. "
            "Download het opnieuw of maak het zip-bestand opnieuw."
        ) from e


def _is_zip(head: bytes) -> bool:
    return head[:4] in (b"PK\x03\x04", b"PK\x05\x06")


def _zip_names(source: SourceFile) -> list[str]:
    with _open_zip(source) as zf:
        return zf.namelist()


def _is_gtfs(names: Iterable[str]) -> bool:
    shallow = {PurePosixPath(n).name.lower() for n in names if n.strip("/").count("/") <= 1}
    return {"stops.txt", "stop_times.txt"} <= shallow


def _is_office_zip(names: Sequence[str]) -> bool:
    return "[Content_Types].xml" in names or "mimetype" in names


def _unsafe_member_name(name: str) -> bool:
    norm = name.replace("\\", "/")
    parts = PurePosixPath(norm).parts
    return norm.startswith("/") or re.match(r"^[A-Za-z]:", norm) is not None or ".." in parts or "\x00" in norm


def _is_junk(member: str) -> bool:
    norm = member.replace("\\", "/")
    base = PurePosixPath(norm).name
    return norm.startswith("__MACOSX/") or "/__MACOSX/" in norm or base.lower() in _JUNK_NAMES or base.startswith("._")


def _is_documentation(base: str) -> bool:
    suffix = PurePosixPath(base).suffix.lower()
    if suffix in DOC_SUFFIXES:
        return True
    return suffix in (".txt", ".xml", ".json") and _DOC_TEXT_NAME.search(PurePosixPath(base).stem) is not None


def unpack(sources: Iterable[SourceFile], workdir: str | os.PathLike | None = None) -> list[SourceFile]:
    """The readable files in ``sources``, with zip files expanded.

    Kept whole: GTFS zips (``stops.txt`` + ``stop_times.txt``) and zip-based workbooks (xlsx/ods).
    Skipped: folders, ``__MACOSX/``, ``.DS_Store``, documentation (pdf/doc, ``*readme*``,
    ``Licence*``), sidecars such as ``.sbn`` or ``.shp.xml``. Refused with ``ImportProblem``:
    unsafe member names (``../``), encrypted members, more than ``MAX_ZIP_MEMBERS`` files, more
    than ``MAX_UNPACKED_BYTES`` unpacked, a suspicious compression ratio, zips nested deeper than
    ``MAX_ZIP_DEPTH``, and a zip without anything readable. With ``workdir`` the members are
    written below it (stream-copied), otherwise they are held in memory.
    """
    budget = _Budget(bytes_left=MAX_UNPACKED_BYTES, members_left=MAX_ZIP_MEMBERS)
    out: list[SourceFile] = []
    for src in sources:
        if _is_zip(src.head(4)):
            names = _zip_names(src)
            if not _is_office_zip(names) and not _is_gtfs(names):
                out.extend(_expand(src, depth=0, budget=budget, workdir=workdir))
                continue
        out.append(src)
    return out


def _expand(src: SourceFile, depth: int, budget: _Budget, workdir: str | os.PathLike | None) -> list[SourceFile]:
    archive = f"{src.archive} › {src.name}" if src.archive else src.name
    with _open_zip(src) as zf:
        infos = [i for i in zf.infolist() if not i.is_dir()]
        for info in infos:
            if _unsafe_member_name(info.filename):
                raise ImportProblem(
                    f"Het zip-bestand '{src.label}' bevat een onveilige bestandsnaam ('{info.filename}') die buiten "
                    "de uitpakmap zou wijzen. zorgzaam opent het niet: pak het zelf uit en zip alleen de "
                    "gegevensbestanden opnieuw."
                )
        if any(i.flag_bits & 0x1 for i in infos):
            raise ImportProblem(
                f"Het zip-bestand '{src.label}' is met een wachtwoord beveiligd. Pak het zelf uit "
                "en laad de bestanden zonder wachtwoord op."
            )
        if len(infos) > budget.members_left:
            raise ImportProblem(
                f"Het zip-bestand '{src.label}' bevat {len(infos)} bestanden; zorgzaam opent zip-bestanden met "
                f"samen ten hoogste {MAX_ZIP_MEMBERS} bestanden. Laad alleen de bestanden op die je nodig hebt."
            )
        budget.members_left -= len(infos)
        useful = [i for i in infos if not _is_junk(i.filename)]
        for info in useful:
            if info.file_size > RATIO_CHECK_MIN_BYTES and info.file_size > MAX_COMPRESSION_RATIO * max(
                info.compress_size, 1
            ):
                ratio = f"{info.file_size / max(info.compress_size, 1):,.0f}".replace(",", ".")
                raise ImportProblem(
                    f"Het zip-bestand '{src.label}' ziet eruit als een zip-bom: '{info.filename}' wordt bij het "
                    f"uitpakken {ratio} keer groter ({_size_nl(info.file_size)}). zorgzaam opent het uit "
                    "voorzorg niet: pak het zelf uit en laad alleen de nodige bestanden op."
                )
        total = sum(i.file_size for i in useful)
        if total > budget.bytes_left:
            raise ImportProblem(
                f"Het zip-bestand '{src.label}' wordt uitgepakt {_size_nl(total)} groot; zorgzaam pakt samen ten "
                f"hoogste {_size_nl(MAX_UNPACKED_BYTES)} uit. Laad alleen de bestanden op die je nodig hebt."
            )

        kept: list[SourceFile] = []
        found: list[str] = []
        root = Path(tempfile.mkdtemp(prefix="zip-", dir=workdir)) if workdir is not None else None
        for info in useful:
            member = info.filename.replace("\\", "/")
            path = PurePosixPath(member)
            base, suffix = path.name, path.suffix.lower()
            found.append(base)
            if _is_documentation(base) or suffix not in READABLE_SUFFIXES | {".zip"}:
                continue  # readme, licence, sidecars (.sbn, .shp.xml …) and anything unreadable
            if (info.external_attr >> 16) & 0o170000 == 0o120000:  # a symbolic link: never followed
                continue
            folder = str(path.parent) if str(path.parent) != "." else ""
            member_file = _extract(zf, info, root, base, archive, folder, budget)
            if suffix == ".zip":
                inner = _zip_names(member_file)
                if _is_gtfs(inner):
                    kept.append(member_file)
                elif depth + 1 > MAX_ZIP_DEPTH:
                    raise ImportProblem(
                        f"'{src.label}' bevat zip-bestanden in zip-bestanden in zip-bestanden ('{member}'). "
                        "Pak het zelf uit en laad de gegevensbestanden of één zip-bestand op."
                    )
                else:
                    kept.extend(_expand(member_file, depth + 1, budget, workdir))
            else:
                kept.append(member_file)
        if not kept:
            what = _names_nl(found) if found else "niets"
            raise ImportProblem(
                f"Dit zip-bestand ({src.label}) bevat geen bestand dat zorgzaam kan lezen (gevonden: {what}). "
                f"Laad de gegevens op als {_FORMATS_NL}."
            )
        return kept


def _extract(
    zf: zipfile.ZipFile, info: zipfile.ZipInfo, root: Path | None, base: str, archive: str, folder: str, budget: _Budget
) -> SourceFile:
    """One member as a SourceFile, stream-copied with a byte count (never more than declared)."""
    limit = info.file_size
    written = 0
    try:
        with zf.open(info) as fh:
            if root is None:
                chunks = []
                while chunk := fh.read(MiB):
                    written += len(chunk)
                    if written > limit:
                        break
                    chunks.append(chunk)
                result = SourceFile(name=base, data=b"".join(chunks), archive=archive, folder=folder)
            else:
                parts = [_safe_file_name(p) for p in PurePosixPath(folder).parts] if folder else []
                target = root.joinpath(*parts, _safe_file_name(base))
                if root.resolve() not in target.resolve().parents:
                    raise ImportProblem(f"'{archive}' bevat een onveilige bestandsnaam ('{info.filename}').")
                target.parent.mkdir(parents=True, exist_ok=True)
                n = 1
                while target.exists():  # the same name twice after cleaning: keep both
                    n += 1
                    target = target.with_name(f"{_safe_file_name(PurePosixPath(base).stem)}_{n}{target.suffix}")
                with open(target, "wb") as out:
                    while chunk := fh.read(MiB):
                        written += len(chunk)
                        if written > limit:
                            break
                        out.write(chunk)
                result = SourceFile(name=base, path=target, archive=archive, folder=folder)
    except (zipfile.BadZipFile, zlib.error, EOFError, OSError, NotImplementedError, RuntimeError) as e:
        raise ImportProblem(
            f"'{base}' in het zip-bestand '{archive}' is beschadigd of gebruikt een compressie "
            "die zorgzaam niet kent. Pak het zelf uit en laad het bestand rechtstreeks op."
        ) from e
    if written > limit:
        raise ImportProblem(
            f"'{base}' in '{archive}' is groter dan het zip-bestand aangeeft. zorgzaam opent het "
            "uit voorzorg niet; pak het zelf uit."
        )
    budget.bytes_left -= written
    return result


def zip_member(source: SourceFile, name: str, max_bytes: int = MAX_FILE_BYTES) -> SourceFile:
    """The member ``name`` (at the root or in one folder) of a zip kept whole, e.g. a GTFS ``stops.txt``."""
    with _open_zip(source) as zf:
        matches = [
            i
            for i in zf.infolist()
            if not i.is_dir()
            and not _is_junk(i.filename)
            and PurePosixPath(i.filename).name.lower() == name.lower()
            and i.filename.strip("/").count("/") <= 1
            and not _unsafe_member_name(i.filename)
        ]
        if not matches:
            raise ImportProblem(
                f"In '{source.label}' ontbreekt '{name}'. Kies het volledige zip-bestand zoals de bron het aanbiedt."
            )
        info = matches[0]
        if info.flag_bits & 0x1:
            raise ImportProblem(
                f"'{source.label}' is met een wachtwoord beveiligd. Pak het zelf uit en laad de "
                "bestanden zonder wachtwoord op."
            )
        if info.file_size > max_bytes:
            raise ImportProblem(
                f"'{name}' in '{source.label}' is te groot ({_size_nl(info.file_size)}); zorgzaam "
                f"leest tot {_size_nl(max_bytes)}."
            )
        budget = _Budget(bytes_left=max_bytes, members_left=1)
        archive = f"{source.archive} › {source.name}" if source.archive else source.name
        folder = str(PurePosixPath(info.filename).parent).strip(".")
        return _extract(zf, info, None, PurePosixPath(info.filename).name, archive, folder, budget)


# --------------------------------------------------------------------------------------------
# Shapefile sets
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class ShapefileSet:
    """The parts of one shapefile, by lower-case suffix ('.shp', '.dbf', …)."""

    stem: str
    parts: dict[str, SourceFile]

    @property
    def name(self) -> str:
        return f"{self.stem}.shp"

    @property
    def label(self) -> str:
        archive = next((p.archive for p in self.parts.values() if p.archive), "")
        return f"{self.name} (in {archive})" if archive else self.name

    @property
    def missing(self) -> list[str]:
        """Required parts that are missing, as file names ('gemeente.dbf')."""
        return [f"{self.stem}{s}" for s in SHAPEFILE_REQUIRED if s not in self.parts]

    @property
    def has_prj(self) -> bool:
        return ".prj" in self.parts

    def require_complete(self) -> None:
        missing = self.missing
        if missing:
            verb = "ontbreekt" if len(missing) == 1 else "ontbreken"
            raise ImportProblem(
                f"De shapefile '{self.stem}' is onvolledig: {', '.join(missing)} {verb}. Een shapefile bestaat uit "
                "meerdere bestanden met dezelfde naam: laad .shp, .shx, .dbf en .prj samen op (of samen in één "
                "zip-bestand).",
                details=[f"Gevonden: {', '.join(p.name for p in self.parts.values())}"],
            )

    @contextlib.contextmanager
    def local_path(self) -> Iterator[Path]:
        """The .shp path with all parts beside it (the files themselves, or temporary copies)."""
        shp = self.parts.get(".shp")
        paths = [p.path for p in self.parts.values()]
        if (
            shp is not None
            and shp.path is not None
            and all(paths)
            and len({p.parent for p in paths}) == 1
            and len({p.stem for p in paths}) == 1
            and all(p.suffix == p.suffix.lower() for p in paths)
        ):
            yield shp.path
            return
        with tempfile.TemporaryDirectory(prefix="zorgzaam-shp-") as tmp:
            stem = _safe_file_name(self.stem)
            for suffix, part in self.parts.items():
                target = Path(tmp) / f"{stem}{suffix}"
                with part.open() as src, open(target, "wb") as dst:
                    while chunk := src.read(MiB):
                        dst.write(chunk)
            yield Path(tmp) / f"{stem}.shp"


def group_shapefiles(files: Iterable[SourceFile]) -> tuple[list[ShapefileSet], list[SourceFile]]:
    """Shapefile parts grouped by (archive, folder, stem), and the other files.

    A group with only ``.prj``/``.cpg`` (e.g. beside a raster) is dropped. Incomplete sets are
    returned as they are: call ``ShapefileSet.require_complete()`` (``collect`` and
    ``read_vector`` do).
    """
    groups: dict[tuple[str, str, str], dict[str, SourceFile]] = {}
    stems: dict[tuple[str, str, str], str] = {}
    rest: list[SourceFile] = []
    for f in files:
        if f.suffix in SHAPEFILE_PARTS:
            key = (f.archive, f.folder, f.stem.lower())
            groups.setdefault(key, {}).setdefault(f.suffix, f)
            if f.suffix == ".shp" or key not in stems:
                stems[key] = f.stem
        else:
            rest.append(f)
    sets = [
        ShapefileSet(stem=stems[k], parts=parts)
        for k, parts in groups.items()
        if any(s in parts for s in SHAPEFILE_REQUIRED)
    ]
    return sets, rest


# --------------------------------------------------------------------------------------------
# Format detection
# --------------------------------------------------------------------------------------------

_CFB_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_IMAGE_MAGIC = {b"\x89PNG\r\n\x1a\n": "PNG", b"\xff\xd8\xff": "JPEG", b"GIF87a": "GIF", b"GIF89a": "GIF"}
_ARCHIVE_MAGIC = {b"\x1f\x8b": "gzip", b"7z\xbc\xaf\x27\x1c": "7-Zip", b"Rar!\x1a\x07": "RAR"}
_GEOTIFF_TAGS = {33550, 33922, 34264, 34735}
#: GeoJSON (a FeatureCollection or Feature), TopoJSON, and Esri JSON from an ArcGIS MapServer query.
_GEOJSON_HINT = re.compile(rb'"type"\s*:\s*"(Feature(Collection)?|Topology)"|"geometryType"\s*:\s*"esriGeometry')


def _utf16(s: str) -> bytes:
    return s.encode("utf-16-le")


def _claims(source: SourceFile) -> str:
    """' (de naam eindigt op .xlsx, maar …)' when the extension promises something else."""
    what = _SUFFIX_NL.get(source.suffix)
    return f"geen {what} maar " if what else ""


def sniff(source: SourceFile) -> Kind:
    """What ``source`` holds, judged by its content (the extension only words the messages)."""
    head = source.head(SNIFF_BYTES)
    label = source.label
    if not head:
        raise ImportProblem(f"'{label}' is leeg (0 bytes). Kies het juiste bestand of download het opnieuw.")
    if head.startswith(b"%PDF"):
        raise ImportProblem(
            f"'{label}' is {_claims(source)}een PDF-document. zorgzaam leest geen PDF: download de "
            "cijfers als Excel (.xlsx) of CSV."
        )
    for magic, what in _IMAGE_MAGIC.items():
        if head.startswith(magic):
            raise ImportProblem(
                f"'{label}' is {_claims(source) or 'geen gegevensbestand maar '}een afbeelding "
                f"({what}). Kies het bestand met de cijfers of kaartlagen ({_FORMATS_NL})."
            )
    if (head[:4] == b"RIFF" and head[8:12] == b"WEBP") or (head[:2] == b"BM" and head[6:10] == b"\x00" * 4):
        raise ImportProblem(
            f"'{label}' is een afbeelding, geen gegevensbestand. Kies het bestand met de cijfers of "
            f"kaartlagen ({_FORMATS_NL})."
        )
    if head[:4] in (b"II*\x00", b"MM\x00*", b"II+\x00", b"MM\x00+"):
        if _is_geotiff(source):
            return "raster"
        raise ImportProblem(
            f"'{label}' is een TIFF-afbeelding zonder ligging op de kaart (geen GeoTIFF). Download "
            "de GeoTIFF-versie van de kaart (met coördinaten)."
        )
    if _is_zip(head):
        return _sniff_zip(source)
    if head.startswith(_CFB_MAGIC):
        return _sniff_cfb(source)
    if head.startswith(b"SQLite format 3\x00"):
        return "vector"
    if head[:4] == b"\x00\x00\x27\x0a" and source.suffix in (".shp", ".shx"):
        return "vector"
    if source.suffix in (".dbf", ".prj", ".cpg"):
        return "vector"
    if head[:4] == b"PAR1":
        raise ImportProblem(
            f"'{label}' is een Parquet-bestand; zorgzaam leest dat niet. Bewaar de tabel als CSV "
            "UTF-8 of Excel (.xlsx)."
        )
    for magic, what in _ARCHIVE_MAGIC.items():
        if head.startswith(magic):
            raise ImportProblem(
                f"'{label}' is een {what}-archief. Pak het uit, of maak er een gewoon zip-bestand "
                "van, en laad het opnieuw op."
            )
    text = _text_head(source, head)
    stripped = text.lstrip("\ufeff \t\r\n")
    if not stripped:
        raise ImportProblem(f"'{label}' bevat alleen lege regels. Kies het juiste bestand of exporteer het opnieuw.")
    if stripped[0] in "{[":
        return "vector" if _GEOJSON_HINT.search(head) else "json"
    if stripped[0] == "<":
        low = stripped[:4096].lower()
        if "urn:schemas-microsoft-com:office:spreadsheet" in low:
            raise ImportProblem(
                f"'{label}' is een Excel 2003 XML-werkmap. Open het in Excel en bewaar het als Excel-werkmap (.xlsx)."
            )
        if "<html" in low or "<!doctype html" in low or "<table" in low:
            extra = (
                " Is het een export met de extensie .xls? Open het dan in Excel en bewaar het als .xlsx."
                if source.suffix in _WORKBOOK_SUFFIXES
                else " Waarschijnlijk werd een foutmelding of inlogpagina gedownload: download het bestand opnieuw."
            )
            raise ImportProblem(f"'{label}' is een webpagina (HTML), geen gegevensbestand.{extra}")
        raise ImportProblem(
            f"'{label}' is een XML-bestand (bijvoorbeeld KML of GML); zorgzaam leest dat niet. "
            "Zet het om naar GeoJSON of GeoPackage (bijvoorbeeld met QGIS)."
        )
    return "delimited"


def _sniff_zip(source: SourceFile) -> Kind:
    names = _zip_names(source)
    if "[Content_Types].xml" in names:
        if any(n.startswith("xl/") for n in names):
            return "workbook"
        if any(n.startswith("word/") for n in names):
            raise ImportProblem(
                f"'{source.label}' is {_claims(source)}een Word-document. Zet de tabel in Excel en "
                "bewaar ze als .xlsx, of als CSV UTF-8."
            )
        if any(n.startswith("ppt/") for n in names):
            raise ImportProblem(
                f"'{source.label}' is {_claims(source)}een PowerPoint-presentatie. Kies het bestand "
                "met de cijfers (Excel of CSV)."
            )
        raise ImportProblem(
            f"'{source.label}' is een Office-document dat zorgzaam niet kent. Bewaar de gegevens "
            "als Excel (.xlsx) of CSV UTF-8."
        )
    if "mimetype" in names:
        with _open_zip(source) as zf:
            try:
                mimetype = zf.read("mimetype")[:100].decode("ascii", "replace")
            except (zipfile.BadZipFile, zlib.error, NotImplementedError, RuntimeError, EOFError, OSError):
                mimetype = ""
        if "spreadsheet" in mimetype:
            return "workbook"  # read_workbook says to save it as .xlsx
        raise ImportProblem(
            f"'{source.label}' is een OpenDocument-tekst of -presentatie, geen tabel. Bewaar de "
            "gegevens als rekenblad (.xlsx of .ods) of CSV UTF-8."
        )
    if _is_gtfs(names):
        return "gtfs"
    return "zip"


def _sniff_cfb(source: SourceFile) -> Kind:
    """An OLE compound file: a legacy .xls, a Word .doc, or an encrypted (password) Office file."""
    size = source.size
    with source.open() as fh:
        blob = fh.read(64 * MiB) if size <= 64 * MiB else fh.read(8 * MiB)
    if _utf16("EncryptedPackage") in blob or _utf16("EncryptionInfo") in blob:
        raise _password_problem(source)
    if _utf16("WordDocument") in blob:
        raise ImportProblem(
            f"'{source.label}' is {_claims(source)}een Word-document. Zet de tabel in Excel en "
            "bewaar ze als .xlsx, of als CSV UTF-8."
        )
    if _utf16("PowerPoint Document") in blob:
        raise ImportProblem(f"'{source.label}' is een PowerPoint-presentatie. Kies het bestand met de cijfers.")
    return "workbook"


def _password_problem(source: SourceFile) -> ImportProblem:
    return ImportProblem(
        f"'{source.label}' is met een wachtwoord beveiligd. Open het in Excel, verwijder het "
        "wachtwoord (Bestand › Info › Werkmap beveiligen) en bewaar het opnieuw."
    )


def _is_geotiff(source: SourceFile) -> bool:
    """True when the first image directory of the TIFF carries GeoTIFF tags."""
    try:
        with source.open() as fh:
            header = fh.read(16)
            endian = "<" if header[:2] == b"II" else ">"
            big = struct.unpack(endian + "H", header[2:4])[0] == 43
            if big:
                offset = struct.unpack(endian + "Q", header[8:16])[0]
                fh.seek(offset)
                count = struct.unpack(endian + "Q", fh.read(8))[0]
                entry, tag_fmt = 20, "H"
            else:
                offset = struct.unpack(endian + "I", header[4:8])[0]
                fh.seek(offset)
                count = struct.unpack(endian + "H", fh.read(2))[0]
                entry, tag_fmt = 12, "H"
            table = fh.read(min(count, 4096) * entry)
    except (struct.error, OSError, ValueError):
        return False
    tags = {struct.unpack(endian + tag_fmt, table[i : i + 2])[0] for i in range(0, len(table) - 1, entry)}
    return bool(tags & _GEOTIFF_TAGS)


def _utf16_like(head: bytes) -> bool:
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE, codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        return True
    sample = head[:4096]
    if len(sample) < 4:
        return False
    even, odd = sample[0::2], sample[1::2]
    return even.count(0) > 0.4 * len(even) or odd.count(0) > 0.4 * len(odd)


def _text_head(source: SourceFile, head: bytes) -> str:
    """``head`` decoded as text, or ``ImportProblem`` for UTF-16 and binary content."""
    if _utf16_like(head):
        raise ImportProblem(
            f"'{source.label}' is opgeslagen als UTF-16 (Unicode-tekst), dat zorgzaam niet leest. Bewaar het bestand "
            "als CSV UTF-8: in Excel via Opslaan als › 'CSV UTF-8 (door lijstscheidingstekens gescheiden)'."
        )
    if b"\x00" in head:
        raise _binary_problem(source)
    text, _ = _decode_head(head)
    if text is None:
        raise _binary_problem(source)
    return text


def _binary_problem(source: SourceFile) -> ImportProblem:
    return ImportProblem(
        f"'{source.label}' is geen leesbaar tekstbestand: het bevat binaire gegevens van een bestandsformaat dat "
        "zorgzaam niet kent. Bewaar het bestand als CSV UTF-8 of als Excel (.xlsx) en laad het opnieuw op."
    )


def _decode_head(head: bytes) -> tuple[str | None, str]:
    """(text, encoding) of the first bytes: UTF-8 (a cut-off last character is fine), else cp1252
    when that reads as Western European text; (None, '') for anything else."""
    body = head[len(codecs.BOM_UTF8) :] if head.startswith(codecs.BOM_UTF8) else head
    try:
        return codecs.getincrementaldecoder("utf-8")().decode(body, final=False), "utf-8"
    except UnicodeDecodeError:
        pass
    text = body.decode("cp1252", errors="replace")
    if _looks_western(text):
        return text, "cp1252"
    return None, ""


def _looks_western(text: str) -> bool:
    if not text:
        return True
    controls = sum(1 for ch in text if ord(ch) < 32 and ch not in "\t\r\n\f")
    replaced = text.count("\ufffd")
    visible = [ch for ch in text if not ch.isspace()]
    non_ascii = sum(1 for ch in visible if ord(ch) > 127)
    return (controls + replaced) <= max(1.0, 0.001 * len(text)) and non_ascii <= 0.2 * max(len(visible), 1)


# --------------------------------------------------------------------------------------------
# collect
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class Dataset:
    """One readable thing found among the sources."""

    kind: Kind
    source: SourceFile | ShapefileSet

    @property
    def name(self) -> str:
        return self.source.name

    @property
    def label(self) -> str:
        return self.source.label


def collect(sources: Iterable[SourceFile], workdir: str | os.PathLike | None = None) -> list[Dataset]:
    """``unpack``, group shapefile parts, and ``sniff`` every other file; the first problem raises."""
    sets, rest = group_shapefiles(unpack(sources, workdir))
    out: list[Dataset] = []
    for s in sets:
        s.require_complete()
        out.append(Dataset("vector", s))
    for f in rest:
        kind = sniff(f)
        if kind == "zip":  # only a nested zip kept whole can get here; unpack handled the rest
            raise ImportProblem(
                f"'{f.label}' is een zip-bestand dat zorgzaam niet verder uitpakt. Pak het uit en laad de bestanden op."
            )
        out.append(Dataset(kind, f))
    return out


# --------------------------------------------------------------------------------------------
# Tables: the header and the title rows above it
# --------------------------------------------------------------------------------------------


def _filled(row: Sequence[object]) -> int:
    return sum(1 for v in row if v is not None and str(v).strip() != "")


def _header_index(rows: Sequence[Sequence[object]], may_be_title: Callable[[int], bool] | None = None) -> int:
    """Index of the header row: leading rows with at most one filled cell are titles when a row
    with two or more filled cells follows within ``MAX_TITLE_ROWS`` (and ``may_be_title(i)``)."""
    i = 0
    while (
        i < min(MAX_TITLE_ROWS, len(rows) - 1) and _filled(rows[i]) <= 1 and (may_be_title is None or may_be_title(i))
    ):
        if any(_filled(r) >= 2 for r in rows[i + 1 : MAX_TITLE_ROWS + 1]):
            i += 1
        else:
            break
    return i


_NUMBER_TEXT = re.compile(r"^[-+]?\d[\d.,\s]*$")
#: Cells that stand for a suppressed or missing number in a row of numbers.
_NUMBER_MARKS = frozenset({"*", "C", "x", "X", "-", ".", "nvt", "?"})


def _is_number_cell(value: object) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, float, np.integer, np.floating)):
        return True
    text = str(value).strip()
    return text in _NUMBER_MARKS or bool(_NUMBER_TEXT.match(text))


def _is_text_row(row: Sequence[object]) -> bool:
    """Every filled cell is text that is no number."""
    cells = [v for v in row if v is not None and str(v).strip() != ""]
    return bool(cells) and not any(_is_number_cell(v) for v in cells)


def _is_number_row(row: Sequence[object]) -> bool:
    """At least half of the filled cells are numbers (or marks of a suppressed number)."""
    cells = [v for v in row if v is not None and str(v).strip() != ""]
    return bool(cells) and 2 * sum(_is_number_cell(v) for v in cells) >= len(cells)


def _header_rows(rows: Sequence[Sequence[object]], h: int) -> int:
    """How many rows from ``h`` on make up the header: more than one only when they are all text, leave
    the header's first column empty (its name spans them, as a data row's label never does) and the
    rows after them are rows of numbers (each of the next three), so a table whose rows are text
    (codes and names) keeps its one-row header."""
    first = next((j for j, v in enumerate(rows[h]) if v is not None and str(v).strip() != ""), 0)
    for n in range(2, MAX_HEADER_ROWS + 1):
        lower = rows[h + n - 1] if h + n - 1 < len(rows) else []
        if (
            h + n > len(rows) - 1
            or not _is_text_row(lower)
            or (first < len(lower) and lower[first] is not None and str(lower[first]).strip() != "")
        ):
            return 1
        body = rows[h + n : h + n + 3]
        if body and all(_is_number_row(r) for r in body) and not _is_number_row(rows[h + n - 1]):
            return n
    return 1


def _joined_header(parts: Sequence[Sequence[object]], width: int) -> list[object]:
    """One header row from several: a merged cell's text (written in its first column only) counts
    for the columns to its right that have a lower part, and the parts are joined with " - "."""
    grid = [[("" if v is None else _cell_text(v).strip()) for v in list(r) + [None] * (width - len(r))] for r in parts]
    for upper in range(len(grid) - 1):
        for j in range(1, width):
            below = any(grid[k][j] for k in range(upper + 1, len(grid)))
            left_below = any(grid[k][j - 1] for k in range(upper + 1, len(grid)))
            if not grid[upper][j] and below and left_below:
                grid[upper][j] = grid[upper][j - 1]
    out: list[object] = []
    for j in range(width):
        names: list[str] = []
        for row in grid:
            if row[j] and (not names or names[-1] != row[j]):
                names.append(row[j])
        out.append(" - ".join(names) or None)
    return out


def _column_names(header: Sequence[object], label: str, where: str = "") -> tuple[list[str], set[str]]:
    """Cleaned header names ('kolom N' for blanks) and the set of those blank-named columns;
    ``ImportProblem`` for duplicates."""
    names = []
    for j, value in enumerate(header):
        text = "" if value is None else _cell_text(value).replace("\ufeff", "").strip()
        names.append(text)
    seen = Counter(n.casefold() for n in names if n)
    first = {}
    for n in names:  # one spelling per duplicated name (the first), 'Code' and 'code' count as one name
        if n and seen[n.casefold()] > 1:
            first.setdefault(n.casefold(), n)
    dupes = list(first.values())
    if dupes:
        what = "komt de kolomnaam" if len(dupes) == 1 else "komen de kolomnamen"
        quoted = ", ".join(f"'{d}'" for d in dupes)
        raise ImportProblem(
            f"In '{label}'{where} {what} {quoted} meer dan eens voor (hoofdletters tellen niet mee). Geef elke kolom "
            "een eigen naam en laad het bestand opnieuw op.",
            details=[f"Dubbele kolomnaam: {d}" for d in dupes],
        )
    taken = {n.casefold() for n in names if n}
    out, blank = [], set()
    for j, n in enumerate(names):
        if not n:
            n = f"kolom {j + 1}"
            while n.casefold() in taken:
                n += "_"
            taken.add(n.casefold())
            blank.add(n)
        out.append(n)
    return out, blank


def _cell_text(value: object) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


# --------------------------------------------------------------------------------------------
# Delimited text
# --------------------------------------------------------------------------------------------


def read_delimited(source: SourceFile, *, delimiter: str | None = None) -> pd.DataFrame:
    """A csv/txt table with every value as str (``dtype=str``, nothing turned into NaN).

    Encoding: UTF-8 with or without BOM; cp1252 only when UTF-8 fails and the text reads as
    Western European. UTF-16 and binary files are refused. The delimiter (``|``, ``;``, tab or
    ``,``) is the one that gives the header two or more columns and the same count on at least
    80 % of the lines below it (the most columns wins a tie); pass ``delimiter`` to force one.
    A file where no delimiter appears at all is one column. Header names are stripped; values
    are not. Title rows above the header are skipped (module docstring).
    Refused: empty files, a header without rows, duplicate column names, a table whose delimiter
    cannot be determined, and rows with more fields than the header.
    """
    label = source.label
    if source.size > MAX_FILE_BYTES:
        _check_file_size(label, source.size)
    head = source.head(SNIFF_BYTES)
    if not head.strip(b" \t\r\n\xef\xbb\xbf"):
        raise ImportProblem(f"'{label}' is leeg. Kies het juiste bestand of exporteer het opnieuw.")
    kind = sniff(source)
    if kind != "delimited":
        raise ImportProblem(
            f"'{label}' is geen tabel in tekstvorm (CSV) maar {_KIND_NL[kind]}. Kies een CSV-bestand, "
            "of laad het op als wat het is."
        )
    text, encoding = _decode_head(head)
    assert text is not None  # sniff refused everything else
    bom = len(codecs.BOM_UTF8) if head.startswith(codecs.BOM_UTF8) else 0
    truncated = source.size > len(head)
    if truncated:  # cut the sample at its last complete line
        text = text[: text.rfind("\n") + 1] if "\n" in text else text

    layout = _sniff_layout(text, label, truncated, delimiter)
    # cp1252 is one byte per character (undefined bytes were decoded as U+FFFD, one each)
    offset = bom + (layout.body_offset if encoding == "cp1252" else len(text[: layout.body_offset].encode(encoding)))
    try:
        frame = _read_body(source, layout, offset, encoding)
    except UnicodeDecodeError as e:
        if encoding != "utf-8" or any(ord(ch) > 127 for ch in text):
            raise ImportProblem(
                f"'{label}' mengt tekens in verschillende coderingen (ongeldige UTF-8 verderop in het bestand). "
                "Bewaar het bestand als CSV UTF-8 en laad het opnieuw op."
            ) from e
        frame = _read_body(source, layout, offset, "cp1252")  # pure ASCII at the start, cp1252 further on
    return _tidy_table(frame, layout, label)


_KIND_NL = {
    "vector": "een kaartlaag",
    "workbook": "een Excel-werkmap",
    "json": "een JSON-bestand",
    "gtfs": "een GTFS-zip (dienstregeling)",
    "raster": "een rasterkaart (GeoTIFF)",
    "zip": "een zip-bestand",
    "delimited": "een tekstbestand",
}


@dataclass
class _Layout:
    delimiter: str | None  # None: one single column
    names: list[str]
    blank: set[str]  # names made up for header cells that were empty
    body_offset: int  # characters of the sample before the first data row
    header_line: int  # line number (1-based) of the header's last line in the file


def _records(text: str, delimiter: str, truncated: bool) -> list[tuple[list[str], int, int]]:
    """(fields, end offset, line number) of each non-blank record of the sample."""
    consumed = 0

    def lines() -> Iterator[str]:
        nonlocal consumed
        # Only \n, \r\n (and a lone \r in old Mac files) end a line, as for pandas; not \u2028 and the like.
        for line in re.split(r"(?<=\n)" if "\n" in text else r"(?<=\r)", text):
            if not line:
                continue
            consumed += len(line)
            yield line

    reader = csv.reader(lines(), delimiter=delimiter, quotechar='"', strict=False)
    out = []
    try:
        for fields in reader:
            if fields and (len(fields) > 1 or fields[0].strip()):
                out.append((fields, consumed, reader.line_num))
    except csv.Error:
        pass
    if truncated and out and out[-1][1] >= len(text):
        out.pop()  # may end inside a quoted field
    return out


def _split_line(line: str, delimiter: str) -> list[str]:
    return next(csv.reader([line], delimiter=delimiter, quotechar='"', strict=False), [])


def _sniff_layout(text: str, label: str, truncated: bool, forced: str | None) -> _Layout:
    candidates = [forced] if forced else list(DELIMITERS)
    best: tuple[tuple, _Layout] | None = None
    header_hints: dict[str, int] = {}
    row_hints: dict[str, int] = {}
    parsed = {d: _records(text, d, truncated) for d in DELIMITERS + ((forced,) if forced else ())}
    for d in candidates:
        recs = parsed[d]
        if not recs:
            continue
        rows = [r[0] for r in recs]

        def may_be_title(i: int, d: str = d, rows: list[list[str]] = rows) -> bool:
            # 'code;naam;waarde' above rows split by ',' is a header in another delimiter, not a title:
            # a title splits, by no other delimiter, into as many fields as the rows below it have.
            widths = Counter(len(r) for r in rows[i + 1 :]).most_common(1)
            width = widths[0][0] if widths else 0
            title = next((c for c in rows[i] if c.strip()), "")
            return not any(len(_split_line(title, o)) == width >= 2 for o in DELIMITERS if o != d)

        h = _header_index(rows, may_be_title)
        width = len(rows[h])
        data = [len(r) for r in rows[h + 1 :]]
        header_hints[d] = width
        if data:
            common, n = Counter(data).most_common(1)[0]
            if common >= 2 and n >= 0.9 * len(data):
                row_hints[d] = common
        if width < 2:
            continue
        # Nearly every row has the header's width (a few may be short: pandas fills them with "";
        # a few may be long: pandas then names the line).
        share = sum(1 for c in data if c == width) / len(data) if data else 1.0
        if share < 0.8:
            continue
        names, blank = _column_names(rows[h], label)
        layout = _Layout(d, names, blank, recs[h][1], recs[h][2])
        score = (width, share, -DELIMITERS.index(d) if d in DELIMITERS else 0)
        if best is None or score > best[0]:
            best = (score, layout)
    if best is not None:
        return best[1]

    # No delimiter fits. One single column is fine when nothing in the header looks like one.
    header_seps = [d for d, w in header_hints.items() if w >= 2]
    if not header_seps and not row_hints:
        recs = _records(text, "\x1f", truncated)
        if recs:
            rows = [r[0] for r in recs]
            h = _header_index(rows)
            names, blank = _column_names(rows[h][:1], label)
            return _Layout(None, names, blank, recs[h][1], recs[h][2])
        raise ImportProblem(f"'{label}' bevat geen tabel. Kies het juiste bestand of exporteer het opnieuw.")
    head_d = max(header_seps, key=lambda d: header_hints[d]) if header_seps else None
    rows_d = max(row_hints, key=lambda d: row_hints[d]) if row_hints else None
    if head_d and rows_d and head_d != rows_d:
        why = (
            f"de kopregel gebruikt {_DELIMITER_NL.get(head_d, repr(head_d))}, de regels eronder "
            f"{_DELIMITER_NL.get(rows_d, repr(rows_d))}"
        )
    else:
        why = "het aantal kolommen verschilt van regel tot regel"
    raise ImportProblem(
        f"In '{label}' kon het scheidingsteken tussen de kolommen niet bepaald worden: {why}. Bewaar het bestand "
        "opnieuw als CSV met één vast scheidingsteken (puntkomma, komma, tab of |) en laad het opnieuw op."
    )


def _read_body(source: SourceFile, layout: _Layout, offset: int, encoding: str) -> pd.DataFrame:
    width = len(layout.names)
    with source.open() as fh:
        fh.seek(offset)
        try:
            return pd.read_csv(
                fh,
                sep=layout.delimiter or "\x1f",
                header=None,
                names=list(range(width)),
                dtype=str,
                keep_default_na=False,
                na_filter=False,
                encoding=encoding,
                engine="c",
                quotechar='"',
                skip_blank_lines=True,
                index_col=False,
                encoding_errors="replace" if encoding == "cp1252" else "strict",
            )
        except pd.errors.EmptyDataError:
            return pd.DataFrame(columns=list(range(width)), dtype=str)
        except pd.errors.ParserError as e:
            m = re.search(r"Expected (\d+) fields in line (\d+), saw (\d+)", str(e))
            if m:
                line = int(m.group(2)) + layout.header_line
                raise ImportProblem(
                    f"In '{source.label}' heeft regel {line} meer kolommen ({m.group(3)}) dan de kopregel "
                    f"({m.group(1)}). Controleer die regel (bijvoorbeeld een scheidingsteken in een tekst zonder "
                    "aanhalingstekens) en bewaar het bestand opnieuw.",
                ) from e
            raise ImportProblem(
                f"'{source.label}' kon niet als tabel gelezen worden (bijvoorbeeld een aanhalingsteken dat niet "
                "gesloten wordt). Open het in Excel en bewaar het opnieuw als CSV UTF-8.",
                details=[f"Technische melding: {e}"],
            ) from e


def _tidy_table(frame: pd.DataFrame, layout: _Layout, label: str) -> pd.DataFrame:
    frame.columns = layout.names
    frame = frame.fillna("")
    filled = frame.apply(lambda col: col.str.strip() != "")
    frame = frame.drop(columns=[n for n in layout.blank if not filled[n].any()])
    if len(frame.columns):
        frame = frame[filled[frame.columns].any(axis=1)].reset_index(drop=True)
    if frame.empty:
        raise ImportProblem(
            f"'{label}' bevat alleen een kopregel en geen gegevens. Kies het bestand met de gegevens "
            "of exporteer het opnieuw."
        )
    return frame


# --------------------------------------------------------------------------------------------
# Workbooks
# --------------------------------------------------------------------------------------------


def read_workbook(source: SourceFile) -> dict[str, pd.DataFrame]:
    """Every worksheet with a header as a DataFrame of objects, by sheet name.

    xlsx/xlsm are read with python-calamine (10x faster than openpyxl on the PinC tables), after
    a streaming scan of the sheet XML that refuses sheets reaching beyond ``MAX_SHEET_CELLS``
    (calamine holds a sheet as a dense grid: one stray cell at XFD1048576 would abort the
    process); openpyxl read-only is the fallback. Legacy .xls is read with xlrd. Numbers that
    are whole become int (Excel stores every number as a float), empty cells None, text stays
    text, dates are date/datetime. Title rows above the header are skipped (module docstring);
    sheets without a filled cell are left out. Refused: password-protected, corrupt or empty
    workbooks, OpenDocument (.ods), too large sheets, duplicate column names (naming the sheet).
    """
    label = source.label
    kind = sniff(source)
    if kind != "workbook":
        raise ImportProblem(
            f"'{label}' is geen Excel-werkmap maar {_KIND_NL[kind]}. Kies het Excel-bestand, of laad "
            "het op als wat het is."
        )
    head = source.head(8)
    if head.startswith(_CFB_MAGIC):
        sheets = _xlrd_sheets(source)
    else:
        names = _zip_names(source)
        if "xl/workbook.xml" not in names:
            raise ImportProblem(
                f"'{label}' is een OpenDocument-rekenblad (.ods). Open het in LibreOffice of Excel "
                "en bewaar het als Excel-werkmap (.xlsx)."
            )
        positional = _check_xlsx_extent(source)
        try:
            if positional:  # cells without an address: calamine's grid size cannot be checked beforehand
                raise ValueError("cells without an r attribute")
            sheets = _calamine_sheets(source)
        except ImportProblem:
            raise
        except BaseException as e:  # calamine's errors are not one class; a Rust panic is a BaseException
            if isinstance(e, (KeyboardInterrupt, SystemExit, GeneratorExit)):
                raise
            try:
                sheets = _openpyxl_sheets(source)
            except ImportProblem:
                raise
            except Exception as e2:  # noqa: BLE001 - any failure here means a broken file
                raise _corrupt_workbook(source, e2) from e
    out: dict[str, pd.DataFrame] = {}
    for name, rows in sheets:
        rows = [[_cell(v) for v in r] for r in rows]
        rows = [r for r in rows if _filled(r)]
        if not rows:
            continue
        h = _header_index(rows)
        width = max(len(r) for r in rows[h:])
        n_header = _header_rows(rows, h)
        header = (
            _joined_header(rows[h : h + n_header], width)
            if n_header > 1
            else (list(rows[h]) + [None] * (width - len(rows[h])))
        )
        names, blank = _column_names(header, label, where=f", werkblad '{name}',")
        data = [list(r) + [None] * (width - len(r)) for r in rows[h + n_header :]]
        frame = pd.DataFrame(data, columns=names, dtype=object)
        frame = frame.drop(columns=[n for n in blank if frame[n].isna().all()])
        frame.attrs["titles"] = [
            " ".join(_cell_text(v) for v in r if v is not None and str(v).strip()) for r in rows[:h]
        ]
        out[name] = frame
    if not out:
        raise ImportProblem(f"'{label}' bevat geen gegevens: alle werkbladen zijn leeg. Kies het juiste bestand.")
    return out


def _cell(value: object) -> object:
    if isinstance(value, str):
        return value if value.strip() else None
    if isinstance(value, float):
        if math.isnan(value):
            return None
        if value.is_integer() and abs(value) < 2**53:
            return int(value)
    return value


def _corrupt_workbook(source: SourceFile, error: BaseException) -> ImportProblem:
    text = str(error).lower()
    if "password" in text or "encrypt" in text:
        return _password_problem(source)
    return ImportProblem(
        f"'{source.label}' is beschadigd of onvolledig: de werkmap kan niet geopend worden. Download het opnieuw, of "
        "open het in Excel en bewaar het opnieuw als .xlsx.",
        details=[f"Technische melding: {type(error).__name__}: {error}"],
    )


def _thousands(n: int) -> str:
    return f"{n:,}".replace(",", ".")


def _too_large_sheet(source: SourceFile, what: str) -> ImportProblem:
    return ImportProblem(
        f"'{source.label}' bevat een werkblad {what}; zorgzaam leest werkbladen tot "
        f"{_thousands(MAX_SHEET_CELLS)} cellen. Wis wat ver buiten de tabel staat, of bewaar het blad als CSV UTF-8."
    )


_CELL_COL = re.compile(rb'<c\s[^>]*?\br="([A-Z]{1,3})[0-9]')
_CELL_ROW = re.compile(rb'<c\s[^>]*?\br="[A-Z]{1,3}([0-9]{1,8})"')


def _column_number(letters: bytes) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ch - 64)
    return n


def _check_xlsx_extent(source: SourceFile) -> bool:
    """Refuse zip bombs and sheets whose grid (last row × last column) exceeds ``MAX_SHEET_CELLS``,
    by streaming through the sheet XML; True when some cells carry no address (then calamine,
    which allocates the grid, is not used)."""
    positional = False
    with _open_zip(source) as zf:
        infos = zf.infolist()
        total = sum(i.file_size for i in infos)
        if total > MAX_UNPACKED_BYTES or any(
            i.file_size > RATIO_CHECK_MIN_BYTES and i.file_size > MAX_COMPRESSION_RATIO * max(i.compress_size, 1)
            for i in infos
        ):
            raise ImportProblem(
                f"'{source.label}' wordt bij het openen verdacht groot ({_size_nl(total)}); zorgzaam "
                "opent het uit voorzorg niet. Bewaar de tabel als CSV UTF-8 en laad die op."
            )
        for info in infos:
            if not (info.filename.startswith("xl/worksheets/") and info.filename.endswith(".xml")):
                continue
            max_row = max_col = refs = tags = 0
            tail = b""
            try:
                with zf.open(info) as fh:
                    while True:
                        chunk = fh.read(4 * MiB)
                        block = tail + chunk
                        # Scan up to the last '<' (a tag may straddle two chunks); all of it at the end.
                        cut = block.rfind(b"<") if chunk else len(block)
                        cut = len(block) if cut <= 0 else cut
                        scan, tail = block[:cut], block[cut:]
                        rows = _CELL_ROW.findall(scan)
                        if rows:
                            refs += len(rows)
                            max_row = max(max_row, max(map(int, rows)))
                            max_col = max(max_col, max(map(_column_number, set(_CELL_COL.findall(scan))), default=0))
                        tags += scan.count(b"<c ") + scan.count(b"<c>") + scan.count(b"<c/")
                        if not chunk:
                            break
            except Exception as e:  # noqa: BLE001 - BadZipFile, zlib.error, ValueError ('negative seek') …
                raise _corrupt_workbook(source, e) from e
            if max_row * max_col > MAX_SHEET_CELLS:
                col, n = "", max_col
                while n:
                    n, r = divmod(n - 1, 26)
                    col = chr(65 + r) + col
                raise _too_large_sheet(
                    source, f"dat tot cel {col}{max_row} reikt ({_thousands(max_row * max_col)} cellen)"
                )
            positional = positional or tags > refs
    return positional


#: Memory (address space) of the child process that runs calamine (Unix only).
CALAMINE_CHILD_MEMORY = 4 * GiB
#: Seconds the child process may take for one workbook.
CALAMINE_CHILD_TIMEOUT = 600

# Runs in a child process: calamine (Rust) aborts the whole process on some broken or crafted
# files (e.g. a sharedStrings count of 4 billion makes it allocate 96 GB), which must not take
# the app down with it.
_CALAMINE_CHILD = r"""
import io, pickle, sys
try:
    import resource
    resource.setrlimit(resource.RLIMIT_AS, (int(sys.argv[2]), int(sys.argv[2])))
except Exception:
    pass
from python_calamine import CalamineWorkbook, PasswordError, SheetTypeEnum
try:
    if sys.argv[1] == "-":
        wb = CalamineWorkbook.from_filelike(io.BytesIO(sys.stdin.buffer.read()))
    else:
        wb = CalamineWorkbook.from_path(sys.argv[1])
    sheets = [(m.name, wb.get_sheet_by_name(m.name).to_python())
              for m in wb.sheets_metadata if m.typ == SheetTypeEnum.WorkSheet]
    result = ("ok", sheets)
except PasswordError as e:
    result = ("password", str(e))
except BaseException as e:
    result = ("error", type(e).__name__ + ": " + str(e))
sys.stdout.buffer.write(pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
"""


def _calamine_sheets(source: SourceFile) -> list[tuple[str, list[list[object]]]]:
    """Every worksheet as rows of Python values, read by python-calamine in a child process."""
    import pickle
    import subprocess
    import sys

    arg = str(source.path) if source.path is not None else "-"
    try:
        done = subprocess.run(
            [sys.executable, "-c", _CALAMINE_CHILD, arg, str(CALAMINE_CHILD_MEMORY)],
            input=None if source.path is not None else source.data,
            capture_output=True,
            timeout=CALAMINE_CHILD_TIMEOUT,
            check=False,
        )
    except subprocess.TimeoutExpired as e:
        raise RuntimeError("calamine took too long") from e
    if done.returncode != 0 or not done.stdout:
        raise RuntimeError(f"calamine stopped (exit code {done.returncode})")
    status, value = pickle.loads(done.stdout)  # written by the code above, never by the file
    if status == "password":
        raise _password_problem(source)
    if status != "ok":
        raise RuntimeError(value)
    return value


def _openpyxl_sheets(source: SourceFile) -> list[tuple[str, list[list[object]]]]:
    import openpyxl

    out = []
    with source.open() as fh:
        wb = openpyxl.load_workbook(fh, read_only=True, data_only=True)
        try:
            for ws in wb.worksheets:
                rows, cells = [], 0
                for row in ws.iter_rows(values_only=True):
                    cells += len(row)
                    if cells > MAX_SHEET_CELLS:
                        raise _too_large_sheet(source, f"'{ws.title}' met meer cellen")
                    rows.append(list(row))
                out.append((ws.title, rows))
        finally:
            wb.close()
    return out


def _xlrd_sheets(source: SourceFile) -> list[tuple[str, list[list[object]]]]:
    """A legacy BIFF .xls (at most 65,536 × 256 cells a sheet) with xlrd, which fails with exceptions."""
    import xlrd

    try:
        wb = xlrd.open_workbook(file_contents=source.read_bytes(), on_demand=True, logfile=io.StringIO())
        out = []
        try:
            for index in range(wb.nsheets):
                sheet = wb.sheet_by_index(index)
                rows = []
                for r in range(sheet.nrows):
                    row = []
                    for cell in sheet.row(r):
                        if cell.ctype == xlrd.XL_CELL_DATE:
                            try:
                                row.append(xlrd.xldate.xldate_as_datetime(cell.value, wb.datemode))
                            except (xlrd.xldate.XLDateError, ValueError, OverflowError):
                                row.append(cell.value)
                        elif cell.ctype == xlrd.XL_CELL_BOOLEAN:
                            row.append(bool(cell.value))
                        elif cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
                            row.append(None)
                        else:
                            row.append(cell.value)
                    rows.append(row)
                out.append((sheet.name, rows))
                wb.unload_sheet(index)
        finally:
            wb.release_resources()
        return out
    except ImportProblem:
        raise
    except Exception as e:  # noqa: BLE001 - XLRDError, AssertionError, struct.error, IndexError … on broken files
        raise _corrupt_workbook(source, e) from e


# --------------------------------------------------------------------------------------------
# JSON
# --------------------------------------------------------------------------------------------


def read_json(source: SourceFile, max_bytes: int = MAX_JSON_BYTES) -> object:
    """The parsed JSON of ``source`` (UTF-8, with or without BOM), at most ``max_bytes`` large."""
    label = source.label
    if source.size > max_bytes:
        raise ImportProblem(
            f"'{label}' is te groot ({_size_nl(source.size)}) voor een JSON-bestand; zorgzaam leest "
            f"JSON tot {_size_nl(max_bytes)}. Neem een kleiner uittreksel."
        )
    data = source.read_bytes()
    if not data.strip(b" \t\r\n\xef\xbb\xbf"):
        raise ImportProblem(f"'{label}' is leeg. Kies het juiste bestand of download het opnieuw.")
    if _utf16_like(data[:4096]):
        raise ImportProblem(
            f"'{label}' is opgeslagen als UTF-16; zorgzaam leest JSON in UTF-8. Bewaar het bestand "
            "als UTF-8 en laad het opnieuw op."
        )
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise ImportProblem(
            f"'{label}' is geen geldige JSON: het is geen UTF-8-tekst. Download het bestand opnieuw bij de bron."
        ) from e
    try:
        return json.loads(text)
    except json.JSONDecodeError as e:
        raise ImportProblem(
            f"'{label}' is geen geldige JSON (fout op regel {e.lineno}, kolom {e.colno}). Download het bestand "
            "opnieuw: een onvolledige download is de meest voorkomende oorzaak.",
            details=[f"Technische melding: {e.msg}"],
        ) from e
    except RecursionError as e:
        raise ImportProblem(f"'{label}' is te diep genest om als JSON te lezen.") from e


# --------------------------------------------------------------------------------------------
# Vector data
# --------------------------------------------------------------------------------------------


@contextlib.contextmanager
def _vector_path(source: SourceFile | ShapefileSet) -> Iterator[Path]:
    if isinstance(source, SourceFile) and source.suffix in SHAPEFILE_PARTS:
        sets, _ = group_shapefiles([source])
        source = sets[0] if sets else ShapefileSet(stem=source.stem, parts={source.suffix: source})
    if isinstance(source, ShapefileSet):
        source.require_complete()
    else:
        kind = sniff(source)
        if kind != "vector":
            raise ImportProblem(
                f"'{source.label}' is geen kaartlaag maar {_KIND_NL[kind]}. Kies een GeoJSON, "
                "shapefile, GeoPackage of SpatiaLite-bestand."
            )
    with source.local_path() as path:
        yield path


def _gdal_problem(label: str, error: Exception) -> ImportProblem:
    return ImportProblem(
        f"'{label}' kon niet gelezen worden als kaartlaag: het bestand is beschadigd, onvolledig of geen geldige "
        "GeoJSON/shapefile/GeoPackage. Download het opnieuw bij de bron.",
        details=[f"Technische melding: {error}"],
    )


def _spatial_layers(path: Path, label: str) -> list[str]:
    import pyogrio

    try:
        layers = pyogrio.list_layers(path)
    except Exception as e:  # pyogrio raises DataSourceError and friends
        raise _gdal_problem(label, e) from e
    return [str(name) for name, geometry_type in layers if geometry_type is not None]


def list_layers(source: SourceFile | ShapefileSet) -> list[str]:
    """Names of the layers with geometry (a GeoPackage may have several; others have one)."""
    with _vector_path(source) as path:
        return _spatial_layers(path, source.label)


def read_vector(source: SourceFile | ShapefileSet, layer: str | None = None) -> gpd.GeoDataFrame:
    """The features of a GeoJSON, shapefile set, GeoPackage or SpatiaLite file, not reprojected.

    The CRS is the file's: a GeoJSON ``crs`` member (Statbel 31370/3812) is honoured, a GeoJSON
    without one is EPSG:4326 (RFC 7946), a shapefile without ``.prj`` has ``crs`` None. When the
    file says degrees but the coordinates cannot be degrees, ``crs`` is set to None (unknown):
    the importer decides. A file with several layers needs ``layer`` (see ``list_layers``).
    Refused: incomplete shapefiles, unreadable files, no layer with geometry, zero features.
    """
    import pyogrio

    label = source.label
    with _vector_path(source) as path:
        layers = _spatial_layers(path, label)
        if layer is None:
            if not layers:
                raise ImportProblem(
                    f"'{label}' bevat geen kaartlaag (geen geometrie). Kies een bestand met gebieden, lijnen of punten."
                )
            if len(layers) > 1:
                raise ImportProblem(
                    f"'{label}' bevat meerdere kaartlagen ({_names_nl(layers)}). Kies welke laag je wilt inlezen.",
                    details=layers,
                )
            layer = layers[0]
        elif layer not in layers:
            raise ImportProblem(
                f"'{label}' heeft geen kaartlaag '{layer}'. Lagen: {_names_nl(layers) or 'geen'}.", details=layers
            )
        try:
            gdf = pyogrio.read_dataframe(path, layer=layer, use_arrow=True)
        except Exception as e:  # noqa: BLE001 - DataSourceError, FieldError, arrow errors …
            raise _gdal_problem(label, e) from e
    try:
        has_geometry = isinstance(gdf, gpd.GeoDataFrame) and gdf.geometry.name in gdf.columns
    except AttributeError:  # a GeoDataFrame without an active geometry column
        has_geometry = False
    if not has_geometry:
        raise ImportProblem(
            f"'{label}' bevat geen kaartvormen (geen geometrie). Kies een bestand met gebieden, lijnen of punten."
        )
    if len(gdf) == 0:
        raise ImportProblem(
            f"'{label}' bevat geen enkel kaartobject (0 features). Kies het bestand met de gebieden "
            "of punten, of exporteer het opnieuw."
        )
    if gdf.crs is not None and gdf.crs.is_geographic:
        valid = gdf.geometry[~(gdf.geometry.isna() | gdf.geometry.is_empty)]
        if len(valid):
            minx, miny, maxx, maxy = valid.total_bounds
            if max(abs(minx), abs(maxx)) > 360.5 or max(abs(miny), abs(maxy)) > 90.5:
                gdf = gdf.set_crs(None, allow_override=True)  # "degrees" of 150000: unknown, not guessed
    return gdf


def crs_epsg(obj: object) -> int | None:
    """The EPSG code of a GeoDataFrame/GeoSeries/CRS/WKT/'EPSG:…' string, or None when unknown.

    An exact match is taken as is. A looser one (ESRI ``.prj`` WKT such as
    ``Belge_Lambert_1972`` with other decimals or swapped standard parallels, or an unnamed WKT)
    only when it is one of ``KNOWN_EPSG``, found by pyproj's identification or by the same
    projection parameters and ellipsoid: a custom projection stays None, never a loose guess.
    Importers should ``gdf.set_crs(code, allow_override=True)`` before reprojecting: a WKT
    without a known datum is otherwise shifted with a ballpark transformation (~100 m off for
    Lambert 72).
    """
    from pyproj import CRS
    from pyproj.exceptions import CRSError

    crs = getattr(obj, "crs", obj)
    if crs is None:
        return None
    try:
        crs = CRS.from_user_input(crs)
    except (CRSError, TypeError, ValueError):
        return None
    code = crs.to_epsg()
    if code is not None:
        return int(code)
    loose = crs.to_epsg(min_confidence=25)
    if loose in KNOWN_EPSG:
        return int(loose)
    return _epsg_by_parameters(crs)


_LINEAR_PARAMS = ("x_0", "y_0")
_ANGULAR_PARAMS = ("lat_0", "lon_0", "lat_ts", "k", "k_0")


def _projection_parameters(crs) -> dict | None:
    import warnings

    if not crs.is_projected or crs.ellipsoid is None:
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "you will likely lose important projection information"
        d = crs.to_dict()
    if not d.get("proj"):
        return None
    out = {
        "proj": d["proj"],
        "a": crs.ellipsoid.semi_major_metre,
        "rf": crs.ellipsoid.inverse_flattening,
        "parallels": sorted(float(d[k]) for k in ("lat_1", "lat_2") if k in d),
    }
    out.update({k: float(d.get(k, 0.0)) for k in _LINEAR_PARAMS + _ANGULAR_PARAMS})
    if out["k"] == 0.0 and out["k_0"] != 0.0:
        out["k"] = out["k_0"]
    return out


def _epsg_by_parameters(crs) -> int | None:
    """A known projected EPSG code whose projection, parameters and ellipsoid match ``crs``."""
    from pyproj import CRS

    mine = _projection_parameters(crs)
    if mine is None:
        return None
    for code in KNOWN_EPSG:
        known = _projection_parameters(CRS.from_epsg(code))
        if (
            known is None
            or known["proj"] != mine["proj"]
            or len(known["parallels"]) != len(mine["parallels"])
            or abs(known["a"] - mine["a"]) > 0.01
            or abs(known["rf"] - mine["rf"]) > 1e-6
        ):
            continue
        if (
            all(abs(known[k] - mine[k]) <= 0.05 for k in _LINEAR_PARAMS)
            and all(abs(known[k] - mine[k]) <= 1e-6 for k in _ANGULAR_PARAMS)
            and all(abs(a - b) <= 1e-6 for a, b in zip(known["parallels"], mine["parallels"]))
        ):
            return code
    return None


@dataclass(frozen=True)
class GeometryReport:
    """Counts of shapes that an importer may have to refuse or repair."""

    n_features: int
    n_null: int  # no geometry at all
    n_empty: int  # a geometry without coordinates
    n_invalid: int  # self-intersections and the like (among the non-null, non-empty ones)

    @property
    def ok(self) -> bool:
        return self.n_null == 0 and self.n_empty == 0 and self.n_invalid == 0


def geometry_report(gdf: gpd.GeoDataFrame | gpd.GeoSeries) -> GeometryReport:
    """How many geometries are missing, empty or invalid (the importer decides what is fatal)."""
    geoms = gdf.geometry if isinstance(gdf, gpd.GeoDataFrame) else gdf
    raw = np.asarray(geoms.values, dtype=object)
    null = shapely.is_missing(raw)
    empty = shapely.is_empty(raw) & ~null
    present = ~null & ~empty
    invalid = present & ~shapely.is_valid(raw)
    return GeometryReport(
        n_features=len(raw), n_null=int(null.sum()), n_empty=int(empty.sum()), n_invalid=int(invalid.sum())
    )


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
