"""One file to read (``SourceFile``: on disk or in memory), the per-file size limit, and the wording
the other modules share (sizes, lists of names, the formats zorgzaam reads). No Streamlit.

``MAX_FILE_BYTES`` and ``SNIFF_BYTES`` are read at call time; ``SourceFile`` reads this module's (patch them
here), ``formats`` and ``delimited`` import their own bindings.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import tempfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import IO

from ..errors import ImportProblem

GiB = 1024**3
MiB = 1024**2

#: One file on disk or one upload (the Streamlit upload limit is set to match).
MAX_FILE_BYTES = 1 * GiB
#: Bytes looked at to recognise a format and to sniff the delimiter.
SNIFF_BYTES = 256 * 1024

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
