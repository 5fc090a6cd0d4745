"""zorgzaam.importers.files: real public files read right, and every broken file one Dutch sentence.

Real files are read from ../shared/realdata (fixture ``shared_dir``); everything else is made in
tmp_path by the tests.
"""

from __future__ import annotations

import codecs
import io
import json
import re
import struct
import subprocess
import sys
import zipfile
from collections import Counter
from collections.abc import Callable
from pathlib import Path

import geopandas as gpd
import openpyxl
import pandas as pd
import pyogrio
import pytest
import shapely
from pyproj import CRS

from zorgzaam.importers import files
from zorgzaam.importers.files import archives, source, workbooks
from zorgzaam.importers.errors import ImportProblem
from zorgzaam.importers.files import (
    SourceFile,
    collect,
    crs_epsg,
    geometry_report,
    list_layers,
    read_delimited,
    read_json,
    read_vector,
    read_workbook,
    sniff,
    unpack,
    zip_member,
)

GEMEENTE_PARTS = ("shp", "shx", "dbf", "prj", "cpg")


def read_any(sources: list[SourceFile], workdir: Path | None = None) -> list[object]:
    """What the Data page does with an upload: collect, then read each dataset by its kind."""
    out: list[object] = []
    for ds in collect(sources, workdir=workdir):
        if ds.kind == "vector":
            out.append(read_vector(ds.source))
        elif ds.kind == "delimited":
            out.append(read_delimited(ds.source))
        elif ds.kind == "workbook":
            out.append(read_workbook(ds.source))
        elif ds.kind == "json":
            out.append(read_json(ds.source))
        else:
            out.append(ds.kind)
    return out


def zip_bytes(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=compression) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def small_gdf(crs: int | None = 31370) -> gpd.GeoDataFrame:
    return gpd.GeoDataFrame(
        {"code": ["11001A00-", "11001A01-"]},
        geometry=[shapely.box(150000, 200000, 150100, 200100), shapely.box(150100, 200000, 150200, 200100)],
        crs=crs,
    )


def write_shapefile(folder: Path, stem: str = "vak", crs: int | None = 31370) -> dict[str, Path]:
    folder.mkdir(parents=True, exist_ok=True)
    pyogrio.write_dataframe(small_gdf(crs), folder / f"{stem}.shp")
    return {p.suffix: p for p in folder.glob(f"{stem}.*")}


def feature_collection(features: list[dict], crs_name: str | None = None) -> bytes:
    doc: dict = {"type": "FeatureCollection", "features": features}
    if crs_name:
        doc["crs"] = {"type": "name", "properties": {"name": crs_name}}
    return json.dumps(doc).encode()


def point_feature(x: float, y: float, code: str = "11001A00-") -> dict:
    return {"type": "Feature", "properties": {"cd_sector": code}, "geometry": {"type": "Point", "coordinates": [x, y]}}


# --------------------------------------------------------------------------------------------
# Real public files
# --------------------------------------------------------------------------------------------


def test_real_zennevallei_sectors_geojson(realdata: Path) -> None:
    path = realdata / "zenvallei" / "sectors.geojson"
    src = SourceFile.from_path(path)
    assert sniff(src) == "vector"
    gdf = read_vector(src)
    raw = json.loads(path.read_text(encoding="utf-8"))
    assert len(gdf) == len(raw["features"]) == 154
    assert crs_epsg(gdf) == 4326
    assert list(gdf["sectorId"]) == [f["properties"]["sectorId"] for f in raw["features"]]
    assert geometry_report(gdf) == files.GeometryReport(154, 0, 0, 0)
    minx, miny, maxx, maxy = gdf.total_bounds
    assert 4.0 < minx < maxx < 4.5 and 50.6 < miny < maxy < 50.9


def _gemeente_expectations(gdf: gpd.GeoDataFrame, folder: Path) -> None:
    assert len(gdf) == 304
    assert crs_epsg(gdf) == 31370
    assert set(gdf.geom_type) <= {"Polygon", "MultiPolygon"}
    attributes = pyogrio.read_dataframe(folder / "gemeente.dbf", read_geometry=False)
    assert list(gdf["geoitem"]) == list(attributes["geoitem"])
    assert "Belge_Lambert_1972" in (folder / "gemeente.prj").read_text()  # the ESRI WKT was recognised


def test_real_pinc_gemeente_shapefile_from_folder(realdata: Path) -> None:
    folder = realdata / "pinc_gebiedsniveaus"
    sources = [SourceFile.from_path(folder / f"gemeente.{ext}") for ext in GEMEENTE_PARTS]
    datasets = collect(sources)
    assert [d.kind for d in datasets] == ["vector"]
    assert datasets[0].source.has_prj
    _gemeente_expectations(read_vector(datasets[0].source), folder)


@pytest.mark.parametrize("on_disk", [False, True], ids=["in-memory", "workdir"])
def test_real_pinc_gemeente_shapefile_from_statbel_like_zip(realdata: Path, tmp_path: Path, on_disk: bool) -> None:
    folder = realdata / "pinc_gebiedsniveaus"
    inner = "gemeente_31370.shp"  # Statbel zips hold a folder named like the zip
    members = {f"{inner}/gemeente.{ext}": (folder / f"gemeente.{ext}").read_bytes() for ext in GEMEENTE_PARTS}
    members[f"{inner}/gemeente_readme_nl.doc"] = b"\xd0\xcf\x11\xe0 not data"
    members[f"{inner}/Licence open data_NL.pdf"] = b"%PDF-1.4"
    members[f"{inner}/gemeente.shp.xml"] = b"<metadata/>"
    members["__MACOSX/._gemeente.shp"] = b"junk"
    zpath = tmp_path / "gemeente_31370.shp.zip"
    zpath.write_bytes(zip_bytes(members))
    workdir = tmp_path / "work" if on_disk else None
    if workdir:
        workdir.mkdir()
    datasets = collect([SourceFile.from_path(zpath)], workdir=workdir)
    assert [d.kind for d in datasets] == ["vector"]
    shp_set = datasets[0].source
    assert sorted(shp_set.parts) == sorted(f".{e}" for e in GEMEENTE_PARTS)
    assert all((p.path is not None) == on_disk for p in shp_set.parts.values())
    assert "gemeente_31370.shp.zip" in shp_set.label
    _gemeente_expectations(read_vector(shp_set), folder)


def test_real_pinc_statsec_without_shp_is_incomplete(realdata: Path) -> None:
    folder = realdata / "pinc_gebiedsniveaus"  # the repository lacks statsec.shp (PROVENANCE note 2)
    sources = [SourceFile.from_path(p) for p in sorted(folder.glob("statsec.*")) if p.suffix != ".xlsx"]
    with pytest.raises(ImportProblem) as info:
        collect(sources)
    assert "statsec.shp ontbreekt" in info.value.message
    assert "statsec.dbf" in info.value.details[0]


def test_real_pinc_statsec_als_basis_xlsx(realdata: Path) -> None:
    path = realdata / "pinc_gebiedsniveaus" / "statsec_als_basis.xlsx"
    src = SourceFile.from_path(path)
    assert sniff(src) == "workbook"
    sheets = read_workbook(src)
    assert list(sheets) == ["Sheet1"]
    frame = sheets["Sheet1"]
    assert frame.shape == (10902, 45)
    assert frame["statsec"].map(type).eq(str).all()
    assert frame["statsec"].iloc[0] == "11001A00-" and frame["statsec"].str.endswith("-").sum() > 1000
    # The first rows against openpyxl (read independently, only a few rows: it is slow on this file).
    wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
    rows = list(wb.worksheets[0].iter_rows(min_row=1, max_row=4, values_only=True))
    wb.close()
    assert list(frame.columns) == list(rows[0])
    for i, row in enumerate(rows[1:]):
        assert frame["statsec"].iloc[i] == row[0]
        assert frame["gemeente_naam"].iloc[i] == row[list(rows[0]).index("gemeente_naam")]
        assert str(frame["elz"].iloc[i]) == str(row[list(rows[0]).index("elz")])


def test_real_pinc_gemeente_elz_legacy_xls(realdata: Path) -> None:
    src = SourceFile.from_path(realdata / "pinc_gebiedsniveaus" / "gemeente_elz.xls")
    assert src.head(8) == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # really a legacy BIFF/OLE file
    sheets = read_workbook(src)
    frame = sheets["Blad1"]
    assert list(frame.columns) == ["gemeente", "Name gemeente", "elz", "Name elz"]
    assert len(frame) == 308
    # PROVENANCE sample rows; a whole number stored as a float becomes an int (no '11001.0').
    assert frame.iloc[0].tolist() == [11001, "Aartselaar", "elz43", "RupeLaar"]
    assert frame.iloc[2].tolist() == [11004, "Boechout", "elz55", "ZORA"]


def test_real_pharmacies_title_row_above_the_header(realdata: Path) -> None:
    src = SourceFile.from_path(realdata / "pharmacies_be" / "Lst_Pharmacies_pub_Extended.xlsx")
    frame = read_workbook(src)["Apotheken - Pharmacies"]
    assert len(frame) == 5027  # PROVENANCE: real header on the 2nd row
    assert frame.columns[0].startswith("Vergunningsnummer")
    assert frame.columns[-1] == "Y (Lambert 2008)"


def test_real_antwerp_semicolon_csv(realdata: Path) -> None:
    path = realdata / "antwerpen_wijken" / "leeftijd_per_wijk.csv"
    frame = read_delimited(SourceFile.from_path(path))
    expected = pd.read_csv(path, sep=";", dtype=str, keep_default_na=False)
    assert frame.shape == (67, 11)
    assert list(frame.columns) == list(expected.columns)
    assert "Aantal 0 tem 9-jarigen|2025" in frame.columns  # the '|' inside the quoted header is no delimiter
    pd.testing.assert_frame_equal(frame, expected, check_dtype=False)


def test_real_irail_comma_csv(realdata: Path) -> None:
    path = realdata / "irail_stations" / "stations.csv"
    frame = read_delimited(SourceFile.from_path(path))
    expected = pd.read_csv(path, sep=",", dtype=str, keep_default_na=False)
    assert frame.shape == expected.shape == (729, 13)
    pd.testing.assert_frame_equal(frame, expected, check_dtype=False)
    assert frame.loc[frame["name"] == "Aalst", "telegraph-code"].tolist() == ["FLS"]


def test_real_zennevallei_income_json(realdata: Path) -> None:
    path = realdata / "zenvallei" / "income.json"
    src = SourceFile.from_path(path)
    assert sniff(src) == "json"
    assert read_json(src) == json.loads(path.read_text(encoding="utf-8"))


# --------------------------------------------------------------------------------------------
# Statbel-like text, delimiters, encodings, title rows
# --------------------------------------------------------------------------------------------


def test_statbel_pipe_file_with_bom_and_decimal_comma() -> None:
    text = (
        "\ufeffCD_REFNIS|CD_SECTOR|TOTAL|OPPERVLAKKTE IN HM²|TX_DESCR_NL\r\n"
        "11001|11001A00-|1234|45,6|Aartselaar\r\n"
        "11001|11001A01-|987|12,25|Aartselaar\r\n"
        "23003|23003A09-|0|0,5|Beersel\r\n"
    )
    src = SourceFile.from_bytes("OPENDATA_SECTOREN_2024.txt", text.encode("utf-8"))
    assert sniff(src) == "delimited"
    frame = read_delimited(src)
    assert list(frame.columns) == ["CD_REFNIS", "CD_SECTOR", "TOTAL", "OPPERVLAKKTE IN HM²", "TX_DESCR_NL"]
    assert frame["OPPERVLAKKTE IN HM²"].tolist() == ["45,6", "12,25", "0,5"]
    assert frame["CD_SECTOR"].tolist() == ["11001A00-", "11001A01-", "23003A09-"]
    assert frame["TOTAL"].iloc[2] == "0"


def test_values_stay_text_leading_zeros_and_missing_symbols() -> None:
    text = "code;naam;waarde\n02000;Vlaams Gewest;x\n04000;Brussel;-\n03000;Wallonië;nvt\n01000;;\n"
    frame = read_delimited(SourceFile.from_bytes("g.csv", text.encode()))
    assert frame["code"].tolist() == ["02000", "04000", "03000", "01000"]
    assert frame["waarde"].tolist() == ["x", "-", "nvt", ""]
    assert frame["naam"].iloc[3] == ""


def test_cp1252_file_is_read_when_not_utf8() -> None:
    text = "gemeente;naam\n62063;Liège\n21004;Bruxelles-Ville — centre\n"
    frame = read_delimited(SourceFile.from_bytes("w.csv", text.encode("cp1252")))
    assert frame["naam"].tolist() == ["Liège", "Bruxelles-Ville — centre"]


def test_cp1252_with_an_undefined_byte_in_the_header_region() -> None:
    data = "naam;omschrijving\nLiège;x\x81y\n".encode("latin-1")  # 0x81 is undefined in cp1252
    frame = read_delimited(SourceFile.from_bytes("w.csv", data))
    assert frame["naam"].tolist() == ["Liège"] and frame["omschrijving"].iloc[0].startswith("x")


def test_cp1252_after_a_long_ascii_start() -> None:
    rows = "".join(f"{i:05d};Gemeente {i}\n" for i in range(30000))  # > SNIFF_BYTES of plain ASCII
    data = ("code;naam\n" + rows + "62063;Liège\n").encode("cp1252")
    assert len(data) > files.SNIFF_BYTES
    frame = read_delimited(SourceFile.from_bytes("lang.csv", data))
    assert len(frame) == 30001 and frame["naam"].iloc[-1] == "Liège"


def test_title_rows_and_trailing_separators_are_skipped() -> None:
    text = (
        "Bevolking per wijk;;;\n"
        "Bron: Stad in Cijfers, 2025;;;\n"
        "\n"
        "Wijk;2024;2025;\n"
        "Amandus - Atheneum;100;110;\n"
        "Brederode;x;90;\n"
    )
    frame = read_delimited(SourceFile.from_bytes("export.csv", text.encode()))
    assert list(frame.columns) == ["Wijk", "2024", "2025"]
    assert frame.values.tolist() == [["Amandus - Atheneum", "100", "110"], ["Brederode", "x", "90"]]


def test_tab_separated_and_whitespace_in_headers() -> None:
    text = " code \t naam\n11001\tAartselaar\n"
    frame = read_delimited(SourceFile.from_bytes("t.txt", text.encode()))
    assert list(frame.columns) == ["code", "naam"]
    assert frame.iloc[0].tolist() == ["11001", "Aartselaar"]


def test_single_column_file_is_a_table() -> None:
    frame = read_delimited(SourceFile.from_bytes("codes.csv", b"statsec\n11001A00-\n11001A01-\n"))
    assert frame["statsec"].tolist() == ["11001A00-", "11001A01-"]


def test_quoted_fields_with_delimiters_and_newlines() -> None:
    text = 'naam,omschrijving\n"Halle","centrum, oud\nen nieuw"\n"Lot","klein"\n'
    frame = read_delimited(SourceFile.from_bytes("q.csv", text.encode()))
    assert frame["omschrijving"].tolist() == ["centrum, oud\nen nieuw", "klein"]


# --------------------------------------------------------------------------------------------
# The broken-file corpus: every one gives ImportProblem with a Dutch sentence, nothing else
# --------------------------------------------------------------------------------------------


def _xlsx_bytes() -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["statsec", "waarde"])
    for i in range(200):
        ws.append([f"11001A{i:02d}-", i])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _xlsx_with_cell(ref: str) -> bytes:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["statsec", "waarde"])
    ws.append(["11001A00-", 1])
    ws[ref] = "vergeten"
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _tiff(tags: list[int]) -> bytes:
    entries = b"".join(struct.pack("<HHII", tag, 3, 1, 1) for tag in tags)
    return b"II*\x00" + struct.pack("<I", 8) + struct.pack("<H", len(tags)) + entries + b"\x00\x00\x00\x00"


def _broken_cases(tmp: Path) -> dict[str, tuple[Callable[[], list[SourceFile]], str]]:
    b = SourceFile.from_bytes

    def shapefile_without(suffix: str) -> list[SourceFile]:
        parts = write_shapefile(tmp / f"zonder{suffix}")
        return [SourceFile.from_path(p) for s, p in parts.items() if s != suffix]

    def zip_with_traversal() -> list[SourceFile]:
        return [b("evil.zip", zip_bytes({"data.csv": b"a;b\n1;2\n", "../evil.txt": b"a;b\n1;2\n"}))]

    def zip_bomb() -> list[SourceFile]:
        return [b("bom.zip", zip_bytes({"nullen.csv": b"0" * (2 * 1024**2)}))]

    def sparse_2gb() -> list[SourceFile]:
        path = tmp / "groot.csv"
        with open(path, "wb") as fh:
            fh.truncate(2 * 1024**3)
        return [SourceFile.from_path(path)]

    truncated_geojson = feature_collection([point_feature(4.3, 50.8)] * 3)[:-40]
    return {
        "wrong delimiter": (
            lambda: [b("x.csv", b"code;naam;waarde\n11001,Aartselaar,1\n11002,Antwerpen,2\n")],
            "scheidingsteken",
        ),
        "utf-16 text": (
            lambda: [b("u.csv", "code;naam\n11001;Aartselaar\n".encode("utf-16"))],
            "Bewaar het bestand als CSV UTF-8",
        ),
        "utf-16 without bom": (lambda: [b("u.csv", "code;naam\n11001;Aartselaar\n".encode("utf-16-le"))], "UTF-16"),
        "binary garbage csv": (lambda: [b("data.csv", bytes(range(256)) * 40)], "binaire gegevens"),
        "empty file": (lambda: [b("leeg.csv", b"")], "is leeg"),
        "only blank lines": (lambda: [b("leeg.csv", b"\r\n\r\n  \n")], "lege regels"),
        "header only": (lambda: [b("kop.csv", b"\xef\xbb\xbfcode;naam;waarde\r\n")], "alleen een kopregel"),
        "duplicate headers": (lambda: [b("d.csv", b"code;naam;Code\n1;a;2\n")], "'code' meer dan eens"),
        "ragged row": (
            lambda: [b("r.csv", b"a,b,c\n" + b"1,2,3\n" * 20 + b"4,5,6,7\n")],
            "regel 22 meer kolommen (4) dan de kopregel (3)",
        ),
        "pdf renamed xlsx": (
            lambda: [b("cijfers.xlsx", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")],
            "geen Excel-bestand maar een PDF-document",
        ),
        "corrupt xlsx": (lambda: [b("kapot.xlsx", _xlsx_bytes()[:3000])], "beschadigd of onvolledig"),
        "xlsx with broken xml": (
            lambda: [
                b(
                    "kapot2.xlsx",
                    zip_bytes({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook><sheets"}),
                )
            ],
            "de werkmap kan niet geopend worden",
        ),
        "xlsx with a stray cell far away": (
            lambda: [b("ver.xlsx", _xlsx_with_cell("AB300000"))],
            "tot cel AB300000 reikt (8.400.000 cellen)",
        ),
        "xlsx bomb": (
            lambda: [
                b(
                    "bom.xlsx",
                    zip_bytes(
                        {
                            "[Content_Types].xml": b"<Types/>",
                            "xl/workbook.xml": b"<w/>",
                            "xl/worksheets/sheet1.xml": b" " * (2 * 1024**2),
                        }
                    ),
                )
            ],
            "verdacht groot",
        ),
        "ods spreadsheet": (
            lambda: [
                b(
                    "tabel.ods",
                    zip_bytes({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet", "content.xml": b"<x/>"}),
                )
            ],
            "OpenDocument-rekenblad (.ods)",
        ),
        "password xlsx": (
            lambda: [
                b(
                    "geheim.xlsx",
                    b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
                    + b"\x00" * 500
                    + "EncryptedPackage".encode("utf-16-le")
                    + b"\x00" * 100,
                )
            ],
            "wachtwoord",
        ),
        "html saved as xls": (
            lambda: [b("export.xls", b"<html><body><table><tr><td>a</td></tr></table>")],
            "webpagina (HTML)",
        ),
        "word document": (
            lambda: [b("notities.docx", zip_bytes({"[Content_Types].xml": b"<x/>", "word/document.xml": b"<w/>"}))],
            "Word-document",
        ),
        "image named csv": (
            lambda: [b("kaart.csv", b"\x89PNG\r\n\x1a\n" + b"\x00" * 50)],
            "geen CSV-bestand maar een afbeelding (PNG)",
        ),
        "plain tiff": (lambda: [b("scan.tif", _tiff([256, 257]))], "geen GeoTIFF"),
        "zip of jpg and docx": (
            lambda: [b("bijlagen.zip", zip_bytes({"foto.jpg": b"\xff\xd8\xff\xe0", "notities.docx": b"PK"}))],
            "Dit zip-bestand (bijlagen.zip) bevat geen bestand dat zorgzaam kan lezen "
            "(gevonden: foto.jpg, notities.docx)",
        ),
        "empty zip": (lambda: [b("leeg.zip", zip_bytes({}))], "gevonden: niets"),
        "zip bomb": (zip_bomb, "zip-bom"),
        "zip with ../evil.txt": (zip_with_traversal, "onveilige bestandsnaam ('../evil.txt')"),
        "truncated zip": (
            lambda: [b("half.zip", zip_bytes({"a.csv": b"a;b\n1;2\n" * 1000})[:-30])],
            "beschadigd of onvolledig zip-bestand",
        ),
        "zip three deep": (
            lambda: [b("a.zip", zip_bytes({"b.zip": zip_bytes({"c.zip": zip_bytes({"d.csv": b"a"})})}))],
            "zip-bestanden in zip-bestanden",
        ),
        "2 GB sparse file": (sparse_2gb, "te groot (2,0 GB)"),
        "shapefile without dbf": (lambda: shapefile_without(".dbf"), "vak.dbf ontbreekt"),
        "shapefile without shx and dbf": (
            lambda: [SourceFile.from_path(write_shapefile(tmp / "alleen")[".shp"])],
            "vak.shx, vak.dbf ontbreken",
        ),
        "geojson invalid json": (
            lambda: [b("kapot.geojson", truncated_geojson)],
            "kon niet gelezen worden als kaartlaag",
        ),
        "json invalid": (lambda: [b("kapot.json", b'{"headers": [1, 2], "rows": [[1, 2],, ]}')], "regel 1, kolom 37"),
        "geojson zero features": (lambda: [b("leeg.geojson", feature_collection([]))], "0 features"),
        "xml file": (lambda: [b("haltes.kml", b'<?xml version="1.0"?><kml><Placemark/></kml>')], "XML-bestand"),
        "gzip": (lambda: [b("data.csv.gz", b"\x1f\x8b\x08\x00rest")], "gzip-archief"),
        "missing path": (lambda: [SourceFile.from_path(tmp / "bestaat-niet.csv")], "bestaat niet"),
        "a folder": (lambda: [SourceFile.from_path(tmp)], "is een map"),
    }


BROKEN = sorted(_broken_cases(Path(".")).keys())


@pytest.mark.parametrize("case", BROKEN)
def test_broken_file_gives_one_dutch_sentence(case: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(archives, "RATIO_CHECK_MIN_BYTES", 1024**2)  # the 2 MiB zip bomb is checked too
    monkeypatch.setattr(workbooks, "RATIO_CHECK_MIN_BYTES", 1024**2)  # and the 2 MiB xlsx bomb
    make, phrase = _broken_cases(tmp_path)[case]
    with pytest.raises(ImportProblem) as info:
        read_any(make(), workdir=tmp_path)
    message = info.value.message
    assert phrase in message
    assert str(info.value) == message
    assert "Traceback" not in message and "Error" not in message
    assert message.endswith((".", ")", "'")) and 40 < len(message) < 450
    assert message.count(". ") <= 3  # one or two sentences (plus abbreviations such as 'bv.')


def test_sparse_2gb_file_is_refused_before_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "groot.geojson"
    with open(path, "wb") as fh:
        fh.truncate(2 * 1024**3)

    def no_reading(*args, **kwargs):
        raise AssertionError("the file was opened")

    monkeypatch.setattr(source, "open", no_reading, raising=False)
    monkeypatch.setattr(Path, "read_bytes", no_reading)
    with pytest.raises(ImportProblem, match="te groot"):
        SourceFile.from_path(path)


def test_upload_over_the_limit_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(source, "MAX_FILE_BYTES", 100)
    with pytest.raises(ImportProblem, match=r"te groot \(200 bytes\)"):
        SourceFile.from_bytes("C:\\fakepath\\groot.csv", b"x" * 200)
    assert SourceFile.from_bytes("C:\\fakepath\\klein.csv", b"a;b\n1;2\n").name == "klein.csv"


def test_zip_limits_members_and_unpacked_size(monkeypatch: pytest.MonkeyPatch) -> None:
    archive = SourceFile.from_bytes("veel.zip", zip_bytes({f"d{i}.csv": b"a;b\n1;2\n" for i in range(5)}))
    assert len(unpack([archive])) == 5
    monkeypatch.setattr(archives, "MAX_ZIP_MEMBERS", 4)
    with pytest.raises(ImportProblem, match="5 bestanden"):
        unpack([archive])
    monkeypatch.setattr(archives, "MAX_ZIP_MEMBERS", 100)
    monkeypatch.setattr(archives, "MAX_UNPACKED_BYTES", 30)
    with pytest.raises(ImportProblem, match="wordt uitgepakt"):
        unpack([archive])


def test_encrypted_zip_member_is_refused() -> None:
    data = bytearray(zip_bytes({"geheim.csv": b"a;b\n1;2\n"}))
    # zipfile cannot write encrypted members: set the 'encrypted' flag in both headers by hand.
    data[6] |= 0x1
    central = data.index(b"PK\x01\x02")
    data[central + 8] |= 0x1
    assert zipfile.ZipFile(io.BytesIO(bytes(data))).infolist()[0].flag_bits & 0x1
    with pytest.raises(ImportProblem, match="wachtwoord"):
        unpack([SourceFile.from_bytes("geheim.zip", bytes(data))])


# --------------------------------------------------------------------------------------------
# Zips: Statbel layout, nesting, GTFS
# --------------------------------------------------------------------------------------------


def test_statbel_text_zip_keeps_data_txt_and_drops_readme() -> None:
    data = "\ufeffCD_REFNIS|CD_SECTOR|TOTAL\n11001|11001A00-|1234\n".encode()
    archive = SourceFile.from_bytes(
        "OPENDATA_SECTOREN_2024.zip",
        zip_bytes(
            {
                "OPENDATA_SECTOREN_2024/OPENDATA_SECTOREN_2024.txt": data,
                "OPENDATA_SECTOREN_2024/OPENDATA_SECTOREN_2024_readme_nl.txt": b"Dit bestand bevat ...",
                "OPENDATA_SECTOREN_2024/Licence open data_NL.pdf": b"%PDF",
                ".DS_Store": b"\x00\x00",
            }
        ),
    )
    found = unpack([archive])
    assert [f.name for f in found] == ["OPENDATA_SECTOREN_2024.txt"]
    assert found[0].archive == "OPENDATA_SECTOREN_2024.zip" and found[0].folder == "OPENDATA_SECTOREN_2024"
    assert read_delimited(found[0])["CD_SECTOR"].tolist() == ["11001A00-"]


def test_zip_in_zip_one_level_and_names_in_messages(tmp_path: Path) -> None:
    inner = zip_bytes({"cijfers.csv": b"code;n\n1;2\n"})
    outer = SourceFile.from_bytes("buiten.zip", zip_bytes({"map/binnen.zip": inner, "leesmij.txt": b"uitleg"}))
    found = unpack([outer], workdir=tmp_path)
    assert [f.name for f in found] == ["cijfers.csv"]
    assert found[0].label == "cijfers.csv (in buiten.zip › binnen.zip)"
    assert found[0].path is not None and tmp_path in found[0].path.parents


def _gtfs_zip() -> bytes:
    return zip_bytes(
        {
            "agency.txt": b"agency_id,agency_name\nDL,De Lijn\n",
            "stops.txt": b"stop_id,stop_code,stop_name,stop_lat,stop_lon\r\n"
            b'1,101234,"Halle, Station",50.7339,4.2404\r\n2,301122,Lot Kerk,50.7660,4.2750\r\n',
            "stop_times.txt": b"trip_id,arrival_time,departure_time,stop_id,stop_sequence\n",
        }
    )


def test_gtfs_zip_stays_a_zip() -> None:
    gtfs = SourceFile.from_bytes("gtfs-delijn.zip", _gtfs_zip())
    assert sniff(gtfs) == "gtfs"
    assert unpack([gtfs]) == [gtfs]
    assert [d.kind for d in collect([gtfs])] == ["gtfs"]
    stops = read_delimited(zip_member(gtfs, "stops.txt"))
    assert stops["stop_name"].tolist() == ["Halle, Station", "Lot Kerk"]
    assert stops["stop_code"].tolist() == ["101234", "301122"]
    with pytest.raises(ImportProblem, match="ontbreekt 'shapes.txt'"):
        zip_member(gtfs, "shapes.txt")


def test_gtfs_zip_inside_a_zip_stays_whole() -> None:
    outer = SourceFile.from_bytes("download.zip", zip_bytes({"de_lijn-gtfs.zip": _gtfs_zip(), "x.csv": b"a;b\n1;2\n"}))
    assert sorted((d.kind, d.name) for d in collect([outer])) == [("delimited", "x.csv"), ("gtfs", "de_lijn-gtfs.zip")]


# --------------------------------------------------------------------------------------------
# Vector: CRS, layers, geometry report
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("crs_name, epsg", [("urn:ogc:def:crs:EPSG::31370", 31370), ("EPSG:3812", 3812)])
def test_geojson_legacy_crs_member_is_honoured(crs_name: str, epsg: int) -> None:
    features = [point_feature(150000.5, 170000.25), point_feature(151000, 171000, "11001A01-")]
    data = feature_collection(features, crs_name)
    gdf = read_vector(SourceFile.from_bytes("sh_statbel_statistical_sectors.geojson", data))
    assert crs_epsg(gdf) == epsg
    assert gdf["cd_sector"].tolist() == ["11001A00-", "11001A01-"]
    assert gdf.geometry.iloc[0].x == 150000.5  # not reprojected


def test_geojson_without_crs_but_lambert_coordinates_has_unknown_crs() -> None:
    gdf = read_vector(SourceFile.from_bytes("zonder_crs.geojson", feature_collection([point_feature(150000, 170000)])))
    assert gdf.crs is None and crs_epsg(gdf) is None


def test_shapefile_without_prj_or_with_garbage_prj_has_unknown_crs(tmp_path: Path) -> None:
    parts = write_shapefile(tmp_path / "a")
    parts[".prj"].unlink()
    no_prj = [SourceFile.from_path(p) for s, p in parts.items() if s != ".prj"]
    sets = [d.source for d in collect(no_prj)]
    assert not sets[0].has_prj
    gdf = read_vector(sets[0])
    assert gdf.crs is None and crs_epsg(gdf) is None and len(gdf) == 2

    parts = write_shapefile(tmp_path / "b")
    parts[".prj"].write_text("dit is geen projectie")
    gdf = read_vector(collect([SourceFile.from_path(p) for p in parts.values()])[0].source)
    assert crs_epsg(gdf) is None


def test_custom_projection_prj_is_not_guessed(tmp_path: Path) -> None:
    parts = write_shapefile(tmp_path / "c")
    custom = CRS.from_proj4("+proj=lcc +lat_1=51 +lat_2=49 +lat_0=50 +lon_0=4 +x_0=1000 +y_0=0 +ellps=intl +units=m")
    parts[".prj"].write_text(custom.to_wkt("WKT1_ESRI"))
    gdf = read_vector(collect([SourceFile.from_path(p) for p in parts.values()])[0].source)
    assert gdf.crs is not None  # the file has a projection …
    assert crs_epsg(gdf) is None  # … but not one zorgzaam knows: unknown, not a loose guess (pyproj says 2318)


@pytest.mark.parametrize("epsg", [31370, 3812, 4326, 3035])
def test_crs_epsg_from_esri_wkt(epsg: int) -> None:
    assert crs_epsg(CRS.from_epsg(epsg).to_wkt("WKT1_ESRI")) == epsg
    assert crs_epsg(f"EPSG:{epsg}") == epsg


BELGE_72_ESRI = (  # ArcGIS' Belge_Lambert_1972: other decimals and the standard parallels swapped
    'PROJCS["Belge_Lambert_1972",GEOGCS["GCS_Belge_1972",DATUM["D_Belge_1972",SPHEROID["International_1924",'
    '6378388.0,297.0]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],'
    'PROJECTION["Lambert_Conformal_Conic"],PARAMETER["False_Easting",150000.01256],'
    'PARAMETER["False_Northing",5400088.4378],PARAMETER["Central_Meridian",4.367486666666666],'
    'PARAMETER["Standard_Parallel_1",49.8333339],PARAMETER["Standard_Parallel_2",51.16666723333333],'
    'PARAMETER["Latitude_Of_Origin",90.0],UNIT["Meter",1.0]]'
)
UNNAMED_72 = (  # Lambert 72 without names or datum, as old exports write it
    'PROJCS["unnamed",GEOGCS["International 1909 (Hayford)",DATUM["unknown",SPHEROID["intl",6378388,297]],'
    'PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433]],PROJECTION["Lambert_Conformal_Conic_2SP"],'
    'PARAMETER["standard_parallel_1",51.16666723333333],PARAMETER["standard_parallel_2",49.8333339],'
    'PARAMETER["latitude_of_origin",90],PARAMETER["central_meridian",4.367486666666666],'
    'PARAMETER["false_easting",150000.013],PARAMETER["false_northing",5400088.438],UNIT["Meter",1]]'
)


@pytest.mark.parametrize("wkt", [BELGE_72_ESRI, UNNAMED_72], ids=["esri-belge-72", "unnamed-72"])
def test_crs_epsg_recognises_lambert_72_variants(wkt: str) -> None:
    assert CRS.from_wkt(wkt).to_epsg() is None  # pyproj alone does not say 31370 …
    assert crs_epsg(wkt) == 31370  # … zorgzaam does


def test_crs_epsg_does_not_match_a_shifted_lambert_72() -> None:
    shifted = UNNAMED_72.replace("150000.013", "150500")
    assert crs_epsg(shifted) is None


def test_crs_epsg_of_nothing() -> None:
    assert crs_epsg(None) is None
    assert crs_epsg("geen crs") is None


def test_shapefile_parts_with_mixed_case_and_in_memory(tmp_path: Path) -> None:
    parts = write_shapefile(tmp_path / "d", stem="Sectoren")
    uploads = [SourceFile.from_bytes(f"SECTOREN{s.upper()}", p.read_bytes()) for s, p in parts.items()]
    [dataset] = collect(uploads)
    gdf = read_vector(dataset.source)
    assert crs_epsg(gdf) == 31370 and gdf["code"].tolist() == ["11001A00-", "11001A01-"]


def test_geopackage_layers(tmp_path: Path) -> None:
    path = tmp_path / "osm.gpkg"
    pyogrio.write_dataframe(small_gdf(), path, layer="vlakken")
    pyogrio.write_dataframe(small_gdf().set_geometry(small_gdf().centroid), path, layer="punten")
    src = SourceFile.from_bytes("osm.gpkg", path.read_bytes())
    assert sniff(src) == "vector"
    assert sorted(list_layers(src)) == ["punten", "vlakken"]
    with pytest.raises(ImportProblem, match="meerdere kaartlagen") as info:
        read_vector(src)
    assert sorted(info.value.details) == ["punten", "vlakken"]
    assert set(read_vector(src, layer="punten").geom_type) == {"Point"}
    with pytest.raises(ImportProblem, match="geen kaartlaag 'wegen'"):
        read_vector(src, layer="wegen")


def test_spatialite_sqlite(tmp_path: Path) -> None:
    path = tmp_path / "sh_statbel_statistical_sectors_31370_20250101.sqlite"
    pyogrio.write_dataframe(small_gdf(), path, driver="SQLite", dataset_options={"SPATIALITE": "YES"})
    src = SourceFile.from_path(path)
    assert sniff(src) == "vector"
    gdf = read_vector(src)
    assert crs_epsg(gdf) == 31370 and len(gdf) == 2


def test_geometry_report_counts_null_empty_and_invalid() -> None:
    bowtie = shapely.Polygon([(0, 0), (1, 1), (1, 0), (0, 1)])
    gdf = gpd.GeoDataFrame(
        {"id": range(5)},
        geometry=[shapely.box(0, 0, 1, 1), None, shapely.Polygon(), bowtie, bowtie],
        crs=31370,
    )
    report = geometry_report(gdf)
    assert (report.n_features, report.n_null, report.n_empty, report.n_invalid) == (5, 1, 1, 2)
    assert not report.ok
    assert geometry_report(gdf.geometry.iloc[:1]).ok


# --------------------------------------------------------------------------------------------
# Sniffing by content
# --------------------------------------------------------------------------------------------


def test_sniff_by_content_not_extension() -> None:
    b = SourceFile.from_bytes
    assert sniff(b("tabel.xlsx", b"code;naam\n1;a\n")) == "delimited"  # a CSV saved as .xlsx
    assert sniff(b("data.txt", feature_collection([point_feature(4.3, 50.8)]))) == "vector"
    assert sniff(b("swing.json", b'{"headers": [{"name": "Geo", "type": "string"}], "rows": []}')) == "json"
    assert sniff(b("werkmap.bin", _xlsx_bytes())) == "workbook"
    assert sniff(b("hoogte.tif", _tiff([256, 257, 34735]))) == "raster"
    assert sniff(b("archief.zip", zip_bytes({"a.csv": b"a;b\n"}))) == "zip"
    assert sniff(b("bmi.csv", b"BMI;gemeente\n21,5;Halle\n")) == "delimited"  # 'BM' is no bitmap here
    assert sniff(b("rar.csv", b"Rar!;x\n1;2\n")) == "delimited"


def test_esri_json_from_a_mapserver_is_a_vector() -> None:
    doc = {
        "geometryType": "esriGeometryPoint",
        "spatialReference": {"wkid": 31370},
        "fields": [{"name": "naam", "type": "esriFieldTypeString"}],
        "features": [{"attributes": {"naam": "Halte Kerk"}, "geometry": {"x": 150000, "y": 200000}}],
    }
    src = SourceFile.from_bytes("query.json", json.dumps(doc).encode())
    assert sniff(src) == "vector"
    gdf = read_vector(src)
    assert crs_epsg(gdf) == 31370 and gdf["naam"].tolist() == ["Halte Kerk"]


def test_workbook_whole_numbers_dates_and_empty_sheets(tmp_path: Path) -> None:
    import datetime as dt

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "data"
    ws.append(["gemeente", "datum", "waarde", None])
    ws.append([11001, dt.datetime(2025, 1, 1), 12.5, None])
    ws.append(["02000", None, "x", None])
    wb.create_sheet("leeg")
    buf = io.BytesIO()
    wb.save(buf)
    sheets = read_workbook(SourceFile.from_bytes("w.xlsx", buf.getvalue()))
    assert list(sheets) == ["data"]
    frame = sheets["data"]
    assert list(frame.columns) == ["gemeente", "datum", "waarde"]
    assert frame["gemeente"].tolist() == [11001, "02000"]
    assert pd.Timestamp(frame["datum"].iloc[0]) == pd.Timestamp(dt.date(2025, 1, 1))
    assert frame["datum"].iloc[1] is None
    assert frame["waarde"].tolist() == [12.5, "x"]


def test_stray_cell_at_the_end_of_the_sheet_does_not_crash_the_process(tmp_path: Path) -> None:
    """calamine holds a sheet as a dense grid: XFD1048576 would abort the whole process (Rust OOM)."""
    path = tmp_path / "ver.xlsx"
    path.write_bytes(_xlsx_with_cell("XFD1048576"))
    code = (
        "import sys\nfrom zorgzaam.importers.files import SourceFile, read_workbook\n"
        "from zorgzaam.importers.errors import ImportProblem\n"
        "try:\n    read_workbook(SourceFile.from_path(sys.argv[1]))\n"
        "except ImportProblem as e:\n    print(e)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(path)],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "tot cel XFD1048576 reikt" in done.stdout


def _minimal_xlsx(shared_strings_count: int) -> bytes:
    ns = "http://schemas.openxmlformats.org/"
    members = {
        "[Content_Types].xml": (
            f'<Types xmlns="{ns}package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/>'
            f'<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.'
            'spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml"'
            ' ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>'
        ),
        "_rels/.rels": (
            f'<Relationships xmlns="{ns}package/2006/relationships"><Relationship Id="rId1" '
            f'Type="{ns}officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
            "</Relationships>"
        ),
        "xl/workbook.xml": (
            f'<workbook xmlns="{ns}spreadsheetml/2006/main" xmlns:r="{ns}officeDocument/2006/'
            'relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>'
        ),
        "xl/_rels/workbook.xml.rels": (
            f'<Relationships xmlns="{ns}package/2006/relationships"><Relationship Id="rId1" Type="{ns}officeDocument/'
            '2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" '
            f'Type="{ns}officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>'
        ),
        "xl/sharedStrings.xml": (
            f'<sst xmlns="{ns}spreadsheetml/2006/main" count="{shared_strings_count}" '
            f'uniqueCount="{shared_strings_count}"><si><t>code</t></si><si><t>naam</t></si>'
            "<si><t>Halle</t></si></sst>"
        ),
        "xl/worksheets/sheet1.xml": (
            f'<worksheet xmlns="{ns}spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c>'
            '<c r="B1" t="s"><v>1</v></c></row><row r="2"><c r="A2"><v>23027</v></c><c r="B2" t="s"><v>2</v></c>'
            "</row></sheetData></worksheet>"
        ),
    }
    return zip_bytes({k: v.encode() for k, v in members.items()})


@pytest.mark.parametrize("count", [3, 4_000_000_000], ids=["normal", "crafted-count"])
def test_crafted_shared_strings_count_does_not_take_the_app_down(count: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """calamine allocates by the declared count (96 GB here) and aborts its process: it runs in a child
    process, and openpyxl reads the file when that child dies."""
    fallback = []
    real = workbooks._openpyxl_sheets
    monkeypatch.setattr(workbooks, "_openpyxl_sheets", lambda src: fallback.append(src) or real(src))
    frame = read_workbook(SourceFile.from_bytes("sst.xlsx", _minimal_xlsx(count)))["S"]
    assert frame.to_dict("records") == [{"code": 23027, "naam": "Halle"}]
    assert len(fallback) == (1 if count > 3 else 0)


def test_xlsx_cells_without_address_are_read_with_openpyxl(monkeypatch: pytest.MonkeyPatch) -> None:
    data = _xlsx_bytes()
    zin = zipfile.ZipFile(io.BytesIO(data))
    members = {}
    for name in zin.namelist():
        content = zin.read(name)
        if name == "xl/worksheets/sheet1.xml":
            content = re.sub(rb'(<c) r="[A-Z]+[0-9]+"', rb"\1", content)  # positional cells are allowed
        members[name] = content
    calls = []
    monkeypatch.setattr(workbooks, "_calamine_sheets", lambda src: calls.append(src) or [])
    frame = read_workbook(SourceFile.from_bytes("positioneel.xlsx", zip_bytes(members)))["Sheet"]
    assert calls == []  # calamine's grid size could not be checked, so it was not used
    assert list(frame.columns) == ["statsec", "waarde"] and len(frame) == 200
    assert frame.iloc[5].tolist() == ["11001A05-", 5]


def test_real_xls_truncated_is_corrupt(realdata: Path) -> None:
    data = (realdata / "pinc_gebiedsniveaus" / "gemeente_elz.xls").read_bytes()
    with pytest.raises(ImportProblem, match="beschadigd of onvolledig"):
        read_workbook(SourceFile.from_bytes("gemeente_elz.xls", data[: len(data) // 2]))


def test_workbook_duplicate_headers_name_the_sheet() -> None:
    wb = openpyxl.Workbook()
    wb.active.title = "Blad1"
    wb.active.append(["code", "Code"])
    wb.active.append([1, 2])
    buf = io.BytesIO()
    wb.save(buf)
    with pytest.raises(ImportProblem, match="werkblad 'Blad1'"):
        read_workbook(SourceFile.from_bytes("d.xlsx", buf.getvalue()))


def test_readers_refuse_the_wrong_kind() -> None:
    with pytest.raises(ImportProblem, match="geen Excel-werkmap maar een tekstbestand"):
        read_workbook(SourceFile.from_bytes("a.xlsx", b"a;b\n1;2\n"))
    with pytest.raises(ImportProblem, match="geen tabel in tekstvorm"):
        read_delimited(SourceFile.from_bytes("a.csv", _xlsx_bytes()))
    with pytest.raises(ImportProblem, match="geen kaartlaag maar een Excel-werkmap"):
        read_vector(SourceFile.from_bytes("a.geojson", _xlsx_bytes()))


def test_read_json_size_bound_and_bom() -> None:
    src = SourceFile.from_bytes("s.json", codecs.BOM_UTF8 + b'{"headers": [], "rows": [["Halle", "2025", ""]]}')
    assert read_json(src)["rows"][0] == ["Halle", "2025", ""]
    with pytest.raises(ImportProblem, match="te groot"):
        read_json(src, max_bytes=10)


def test_damaged_files_give_import_problem_and_nothing_else(tmp_path: Path) -> None:
    """Truncated and bit-flipped copies of every kind of file: read, or one ImportProblem; no other error."""
    import random

    parts = write_shapefile(tmp_path / "shp")
    samples = {
        "statbel.txt": "\ufeffCD_REFNIS|CD_SECTOR|TOTAL|OPP\n11001|11001A00-|12|4,5\n".encode() * 40,
        "sectoren.geojson": feature_collection(
            [point_feature(150000 + i, 170000) for i in range(30)], "urn:ogc:def:crs:EPSG::31370"
        ),
        "tabel.xlsx": _xlsx_bytes(),
        "vak.zip": zip_bytes({f"vak/vak{s}": p.read_bytes() for s, p in parts.items()}),
        "swing.json": json.dumps({"headers": [{"name": "Geo"}], "rows": [["Halle", 1]] * 50}).encode(),
        "gtfs.zip": _gtfs_zip(),
    }
    rng = random.Random(20260)
    outcomes = Counter()
    for name, data in samples.items():
        for trial in range(18):
            damaged = bytearray(data)
            if trial % 2 == 0:
                damaged = damaged[: rng.randrange(1, len(damaged))]
            else:
                for _ in range(rng.randrange(1, 12)):
                    damaged[rng.randrange(len(damaged))] = rng.randrange(256)
            try:
                read_any([SourceFile.from_bytes(name, bytes(damaged))])
                outcomes["read"] += 1
            except ImportProblem as e:
                assert e.message and "Traceback" not in e.message
                outcomes["problem"] += 1
    assert outcomes["problem"] > 20 and sum(outcomes.values()) == 6 * 18
