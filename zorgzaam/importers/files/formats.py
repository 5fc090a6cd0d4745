"""What a file holds, judged by its content (``sniff``), and ``collect``: unpack, group shapefiles and
sniff every other file into one ``Dataset`` per readable thing. No Streamlit."""

from __future__ import annotations

import codecs
import os
import re
import struct
import zipfile
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

from ..errors import ImportProblem
from .archives import _is_gtfs, _is_zip, _open_zip, _zip_names, unpack
from .shapefiles import ShapefileSet, group_shapefiles
from .source import SNIFF_BYTES, MiB, SourceFile, _FORMATS_NL, _WORKBOOK_SUFFIXES

Kind = Literal["vector", "delimited", "workbook", "json", "gtfs", "raster", "zip"]

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

_KIND_NL = {
    "vector": "een kaartlaag",
    "workbook": "een Excel-werkmap",
    "json": "een JSON-bestand",
    "gtfs": "een GTFS-zip (dienstregeling)",
    "raster": "een rasterkaart (GeoTIFF)",
    "zip": "een zip-bestand",
    "delimited": "een tekstbestand",
}


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
