"""Zip files: unpacking them safely (zip bombs, unsafe names, nesting, limits) and one member of a
zip that stays whole (GTFS). No Streamlit.

The limits below are read at call time from this module (patch them here); ``workbooks`` has its own
binding of the zip-bomb limits for the xlsx check.
"""

from __future__ import annotations

import os
import re
import tempfile
import zipfile
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ..errors import ImportProblem
from .shapefiles import SHAPEFILE_PARTS
from .source import (
    MAX_FILE_BYTES,
    GiB,
    MiB,
    SourceFile,
    _FORMATS_NL,
    _names_nl,
    _safe_file_name,
    _size_nl,
    _WORKBOOK_SUFFIXES,
)

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
